import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/appStore';
import { dismissError, setNotice } from '../store/actions/errors';

/** One place for problems (each its own role=alert) and for the latest success (role=status). */
export function ErrorArea() {
  const { t } = useTranslation();
  const errors = useAppStore((s) => s.ui.errors);
  const notice = useAppStore((s) => s.ui.notice);
  return (
    <div className="messages">
      {errors.map((e) => (
        <div key={e.id} className="message error">
          <p role="alert">{e.message}</p>
          <button type="button" className="icon-btn" aria-label={t('messages.dismissError', { message: e.message })} onClick={() => dismissError(e.id)}>
            ×
          </button>
        </div>
      ))}
      {notice && (
        <div className="message ok">
          <p role="status">{notice}</p>
          <button type="button" className="icon-btn" aria-label={t('messages.dismissMessage')} onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
