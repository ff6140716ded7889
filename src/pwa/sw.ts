/**
 * Glance's service worker (built by vite-plugin-pwa, injectManifest): precaches the app shell, the WASM files and
 * the default base models so the app works with no network after one visit, keeps an on-demand model (the "Most
 * accurate" image model's extra 10 MB) once it was first downloaded, and serves every response with the
 * cross-origin isolation headers so the WASM backend can use threads even on a static host that sends no headers.
 * A new version waits until the page asks it to take over (the "Reload" button), so a page is never reloaded while
 * a person works.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { ON_DEMAND_CACHE, ON_DEMAND_CACHE_PREFIX, onDemandFolderOf } from '../ml/onDemandModels';
import { withIsolationHeaders } from './isolationHeaders';

interface GlanceServiceWorkerScope {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  location: Location;
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'activate', listener: (event: Event & { waitUntil(p: Promise<unknown>): void }) => void): void;
}

declare const self: GlanceServiceWorkerScope;

// handlerWillRespond sees every response the precache strategy gives out, from the cache or the network.
addPlugins([{ handlerWillRespond: async ({ response }) => withIsolationHeaders(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// On-demand model files (not precached, vite.config.ts): cache first, stored on their first successful download.
// The files are byte copies that never change, so a stored one is never refreshed. Without a network and not yet
// stored, the fetch fails and the page says what to do (fetchBaseFiles).
registerRoute(
  ({ url }) => url.origin === self.location.origin && onDemandFolderOf(url.pathname) !== null,
  async ({ request }) => {
    const cache = await caches.open(ON_DEMAND_CACHE);
    const stored = await cache.match(request);
    if (stored) return withIsolationHeaders(stored);
    const response = await fetch(request);
    // A static host may answer a missing file with its index page and a 200: never keep HTML as a model file.
    const html = (response.headers.get('content-type') ?? '').includes('text/html');
    if (response.ok && !html) {
      // Storage full: the download still serves the page, it is just not kept for offline use.
      await cache.put(request, response.clone()).catch((err: unknown) => console.warn('Glance could not keep a model file for offline use:', err));
    }
    return withIsolationHeaders(response);
  },
);
// Every navigation (also `/?backend=wasm`) gets the precached page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // On-demand caches of an earlier layout (another name) hold files this version no longer asks for.
      for (const name of await caches.keys()) if (name.startsWith(ON_DEMAND_CACHE_PREFIX) && name !== ON_DEMAND_CACHE) await caches.delete(name);
      // Control the page that installed this worker straight away, so a model first downloaded on the very first
      // visit is kept for offline use too. Only a first install changes anything here: an update activates only
      // after the person's "Reload" (SKIP_WAITING), and the page reloads then anyway.
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
