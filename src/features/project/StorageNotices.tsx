import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { askNewProject, downloadStoredExamples } from '../../store/actions/project';
import { deleteSetAside } from '../../store/actions/classes';

/**
 * What the page says about browser storage when something is wrong: the saved project could not be restored (and
 * nothing is written over it until the person chooses), examples set aside because their images cannot be read,
 * and storage held by another tab.
 */
export function StorageNotices({ onOpenFile }: { onOpenFile: () => void }) {
  const { t } = useTranslation();
  const restoreFailed = useAppStore((s) => s.ui.storage.restoreFailed);
  const blocked = useAppStore((s) => s.ui.storage.blocked);
  const setAside = useAppStore((s) => s.ui.setAside);
  if (!restoreFailed && !blocked && setAside.length === 0) return null;
  return (
    <div className="messages storage-notices">
      {restoreFailed && (
        <section className="message error notice-block" aria-label={t('storage.notRestored')}>
          <p role="alert">{restoreFailed}</p>
          <div className="notice-actions">
            <button type="button" className="btn small" onClick={onOpenFile}>
              {t('storage.openFile')}
            </button>
            <button type="button" className="btn small" onClick={() => void downloadStoredExamples()}>
              {t('storage.download')}
            </button>
            <button type="button" className="btn small" onClick={askNewProject}>
              {t('storage.startNew')}
            </button>
          </div>
        </section>
      )}
      {blocked && (
        <div className="message error">
          <p role="alert">{t('storage.blocked')}</p>
        </div>
      )}
      {setAside.length > 0 && (
        <section className="message error notice-block" aria-label={t('storage.setAside')}>
          <p role="alert">{t('storage.setAsideText', { count: setAside.length, n: formatNumber(setAside.length) })}</p>
          <ul className="set-aside-list">
            {setAside.map((e) => (
              <li key={e.id}>
                {t('storage.setAsideItem', { n: formatNumber(e.position), name: e.className, reason: e.reason })}
              </li>
            ))}
          </ul>
          <div className="notice-actions">
            <button type="button" className="btn small" onClick={deleteSetAside}>
              {t('storage.deleteSetAside')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
