/**
 * Glance's service worker (built by vite-plugin-pwa, injectManifest): precaches the app shell, the WASM files and
 * the base models so the app works with no network after one visit, and serves every response with the
 * cross-origin isolation headers so the WASM backend can use threads even on a static host that sends no headers.
 * A new version waits until the page asks it to take over (the "Reload" button), so a page is never reloaded while
 * a person works.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { withIsolationHeaders } from './isolationHeaders';

interface GlanceServiceWorkerScope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

declare const self: GlanceServiceWorkerScope;

// handlerWillRespond sees every response the precache strategy gives out, from the cache or the network.
addPlugins([{ handlerWillRespond: async ({ response }) => withIsolationHeaders(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Every navigation (also `/?backend=wasm`) gets the precached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
