/**
 * Base-model folders under `public/models/` that are not precached by the service worker: a person who never picks
 * the image model that needs one never downloads it. The first fetch stores it in ON_DEMAND_CACHE (src/pwa/sw.ts),
 * so once picked it works offline like the others. Plain data: vite.config.ts and the service worker import it too.
 */
export const ON_DEMAND_MODEL_FOLDERS: Readonly<Record<string, { megabytes: number }>> = {
  'mobilenet_v1_0.75_224_layers': { megabytes: 10.4 },
};

/** Every on-demand cache name starts so; the service worker deletes the ones that are not ON_DEMAND_CACHE. */
export const ON_DEMAND_CACHE_PREFIX = 'glance-on-demand-models-';
/** The Cache Storage name the service worker keeps on-demand model files in (bump it when a folder's files change). */
export const ON_DEMAND_CACHE = `${ON_DEMAND_CACHE_PREFIX}v1`;

/** The on-demand folder a same-origin path is in (`…/models/<folder>/…`), or null. */
export function onDemandFolderOf(pathname: string): string | null {
  const match = /\/models\/([^/]+)\//.exec(pathname);
  return match && match[1] in ON_DEMAND_MODEL_FOLDERS ? match[1] : null;
}
