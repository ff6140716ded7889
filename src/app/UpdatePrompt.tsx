import { useSyncExternalStore } from 'react';
import { applyUpdate, isUpdateWaiting, subscribeToUpdate } from '../pwa/updates';

/** "A new version is ready — Reload": shown when an update waits; nothing reloads until the person clicks. */
export function UpdatePrompt() {
  const waiting = useSyncExternalStore(subscribeToUpdate, isUpdateWaiting);
  if (!waiting) return null;
  return (
    <div className="messages">
      <div className="message update" role="status">
        <p>A new version of Glance is ready.</p>
        <button type="button" className="btn primary small" onClick={() => void applyUpdate()}>
          Reload
        </button>
      </div>
    </div>
  );
}
