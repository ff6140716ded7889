import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, t } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { askNewProject, cancelConfirm, chooseProjectFile, confirmReplace, exportDataset, saveProject } from '../../store/actions/project';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ProgressBar } from '../../ui/ProgressBar';
import { StorageNotices } from './StorageNotices';

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return t('units.kb', { n: formatNumber(Math.max(1, Math.round(n / 1024))) });
  if (n < 1024 ** 3) return t('units.mb', { n: formatNumber(n / 1024 / 1024, 1) });
  return t('units.gb', { n: formatNumber(n / 1024 ** 3, 2) });
}

/** Project files: new, open (Glance or Teachable Machine), save, export the data set; and where work is kept. */
export function ProjectToolbar() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const storage = useAppStore((s) => s.ui.storage);
  const confirm = useAppStore((s) => s.ui.confirm);
  return (
    <div className="project-bar">
      <div className="project-buttons">
        <button type="button" className="btn small" onClick={askNewProject}>
          {t('project.new')}
        </button>
        <button type="button" className="btn small" onClick={() => input.current?.click()}>
          {t('project.open')}
        </button>
        <input
          ref={input}
          type="file"
          hidden
          accept=".zip,.tm,application/zip"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void chooseProjectFile(f);
          }}
        />
        <button type="button" className="btn small" onClick={() => void saveProject()}>
          {t('project.save')}
        </button>
        <button type="button" className="btn small" onClick={() => void exportDataset()}>
          {t('project.exportDataset')}
        </button>
      </div>
      <span className={`save-state muted${storage.full || storage.restoreFailed ? ' bad' : ''}`}>
        {storage.secondaryTab
          ? t('project.notSavingOtherTab')
          : storage.restoreFailed
            ? t('project.notSavingRestoreFailed')
            : storage.full
              ? t('project.storageFull')
              : storage.usageBytes != null
                ? t('project.savedUsage', { size: formatBytes(storage.usageBytes) })
                : t('project.saved')}
      </span>
      <StorageNotices onOpenFile={() => input.current?.click()} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.kind === 'open' ? t('project.confirmOpenTitle', { name: confirm.fileName }) : t('project.confirmNewTitle')}
        message={
          confirm?.kind === 'open'
            ? t('project.confirmOpenText')
            : storage.restoreFailed
              ? t('project.confirmNewRestoreFailed')
              : t('project.confirmNewText')
        }
        confirmLabel={confirm?.kind === 'open' ? t('project.replace') : t('project.startNew')}
        cancelLabel={t('project.cancel')}
        onCancel={cancelConfirm}
        onConfirm={() => void confirmReplace()}
      />
    </div>
  );
}

/** Covers the workspace while a saved project comes back (or a file is opened), so nothing typed meanwhile is lost. */
export function RestoreOverlay() {
  const { t } = useTranslation();
  const restoring = useAppStore((s) => s.ui.restore);
  const opening = useAppStore((s) => s.ui.opening);
  const restore = restoring ?? opening;
  if (!restore) return null;
  const what = restoring ? t('project.restoring') : t('project.opening');
  const counts = { count: restore.total, done: formatNumber(restore.done), total: formatNumber(restore.total) };
  return (
    <div className="restore-overlay">
      <div className="card restore-card">
        <p>{restoring ? t('project.restoringText') : t('project.openingText')}</p>
        <ProgressBar label={what} value={restore.done} max={restore.total} valueText={restore.total ? t('project.progress', counts) : t('project.reading')} />
        {restore.total > 0 && (
          <p className="muted">{t('project.progress', counts)}</p>
        )}
      </div>
    </div>
  );
}
