import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { applyUpdate, isUpdateWaiting, subscribeToUpdate } from '../pwa/updates';

/** "A new version is ready — Reload": shown when an update waits; nothing reloads until the person clicks. */
export function UpdatePrompt() {
  const { t } = useTranslation();
  const waiting = useSyncExternalStore(subscribeToUpdate, isUpdateWaiting);
  if (!waiting) return null;
  return (
    <div className="messages">
      <div className="message update" role="status">
        <p>{t('update.ready')}</p>
        <button type="button" className="btn primary small" onClick={() => void applyUpdate()}>
          {t('update.reload')}
        </button>
      </div>
    </div>
  );
}
