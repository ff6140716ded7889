/**
 * Registers the service worker and tells the page when a new version is waiting. The page never reloads by itself:
 * only `applyUpdate` (the person's "Reload") lets the new version take over, and then reloads once.
 */
import { registerSW } from 'virtual:pwa-register';

let updateWaiting = false;
let update: ((reloadPage?: boolean) => Promise<void>) | null = null;
const listeners = new Set<() => void>();
/** Browsers look for a new service worker on navigation; a tab that stays open also checks once an hour. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Registers `sw.js` (in a production build; a no-op under `vite dev`). Failures only mean "no offline copy". */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  update = registerSW({
    onNeedRefresh() {
      updateWaiting = true;
      for (const listener of listeners) listener();
    },
    onRegisteredSW(_url: string, registration: ServiceWorkerRegistration | undefined) {
      // Offline the check fails; the next one tries again.
      if (registration) setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
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
  // The plugin reloads only when this page already had a controller when it registered. On a first visit the worker
  // takes control of the page itself (clients.claim in sw.ts), so the new version's take-over is watched here too.
  navigator.serviceWorker?.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  await update?.(true);
}
