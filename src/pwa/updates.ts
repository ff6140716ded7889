/**
 * Registers the service worker and tells the page when a new version is waiting. The page never reloads by itself:
 * only `applyUpdate` (the person's "Reload") lets the new version take over, and then reloads once.
 */
import { registerSW } from 'virtual:pwa-register';

let updateWaiting = false;
let update: ((reloadPage?: boolean) => Promise<void>) | null = null;
const listeners = new Set<() => void>();

/** Registers `sw.js` (in a production build; a no-op under `vite dev`). Failures only mean "no offline copy". */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  update = registerSW({
    onNeedRefresh() {
      updateWaiting = true;
      for (const listener of listeners) listener();
    },
    onRegisterError(error: unknown) {
      console.warn('Glance could not install its offline copy (service worker):', error);
    },
  });
}

/** True once a new version has been installed and waits for `applyUpdate`. */
export function isUpdateWaiting(): boolean {
  return updateWaiting;
}

/** Calls `listener` when `isUpdateWaiting` changes; returns the unsubscribe function (useSyncExternalStore shape). */
export function subscribeToUpdate(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Lets the waiting version take over; the page reloads when it does. */
export async function applyUpdate(): Promise<void> {
  await update?.(true);
}
