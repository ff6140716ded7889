import type { ClassId, SampleId } from './types';

/** One example. Lives outside React state: the store holds only ids and counts. */
export interface Sample {
  id: SampleId;
  classId: ClassId;
  /** The 224×224 crop as the person saw it, JPEG. */
  jpeg: Blob;
  /** Null until the feature extractor has processed it. */
  embedding: Float32Array | null;
  /** Which frozen base produced `embedding`. */
  baseId: string | null;
  /**
   * Embeddings of augmented copies (`augmentedCrops`), by the base that made them; only the latest base is kept.
   * Memory only, never saved: made when a training run with "Augment examples" on first needs them, and made
   * again after a reload or when the project is opened from a file.
   */
  augmented?: Record<string, readonly Float32Array[]>;
  /**
   * Why this example could not be used (its stored image cannot be decoded, say), when it was set aside. It stays
   * in its class and in storage, is listed for the person and skipped by training, until the person deletes it.
   */
  setAside?: string;
}

const registry = new Map<SampleId, Sample>();
/**
 * Object URLs of the thumbnails drawn so far, made when first drawn (`samples.whenUrl`, `samples.url`), not when a
 * sample is added: each `createObjectURL` is a synchronous call into the browser (0.4–1.5 ms here), and a windowed
 * grid draws a few dozen of thousands. Revoked when the sample goes or its image changes.
 */
const urls = new Map<SampleId, string>();

/**
 * Thumbnails waiting for their URL, each with the grids' cells that wait (`samples.whenUrl`). The URLs are made a few
 * at a time, each few in a task of their own: `createObjectURL` is a synchronous call into the browser, about 1.5 ms
 * each while the browser is busy reading an upload and writing autosave, and a grid's new row made 16 of them inside
 * one render (25 ms).
 */
const waiting = new Map<SampleId, Set<() => void>>();
const urlMaker = { scheduled: false };
/** How long one task may spend making thumbnail URLs before it lets the page run. */
const URL_SLICE_MS = 3;

function makeUrl(id: SampleId): string {
  const made = urls.get(id);
  if (made !== undefined) return made;
  const s = registry.get(id);
  if (!s || s.jpeg.size === 0) return '';
  const url = URL.createObjectURL(s.jpeg);
  urls.set(id, url);
  return url;
}

function scheduleUrls(): void {
  if (urlMaker.scheduled) return;
  urlMaker.scheduled = true;
  setTimeout(makeWaitingUrls, 0);
}

function makeWaitingUrls(): void {
  urlMaker.scheduled = false;
  const start = performance.now();
  for (const [id, cells] of waiting) {
    if (performance.now() - start >= URL_SLICE_MS) break;
    waiting.delete(id);
    makeUrl(id);
    cells.forEach((cell) => cell());
  }
  if (waiting.size > 0) scheduleUrls();
}

function revokeUrl(id: SampleId): void {
  const url = urls.get(id);
  if (url === undefined) return;
  URL.revokeObjectURL(url);
  urls.delete(id);
}

/** Autosave listens here: a sample was added or changed (embedding ready), or samples were removed. */
export type SampleEvent =
  | { type: 'put'; id: SampleId }
  | { type: 'remove'; ids: SampleId[] }
  /** Every sample was replaced at once by a project whose records were already written (open, new). */
  | { type: 'reset' };
const listeners = new Set<(e: SampleEvent) => void>();
const emit = (e: SampleEvent) => listeners.forEach((l) => l(e));

export const samples = {
  get: (id: SampleId) => registry.get(id),
  set(sample: Sample): void {
    if (registry.get(sample.id)?.jpeg !== sample.jpeg) revokeUrl(sample.id);
    registry.set(sample.id, sample);
    emit({ type: 'put', id: sample.id });
  },
  /** The thumbnail URL of a sample's image, made now if it was not yet and kept until the sample goes; '' when it has no image. */
  url: makeUrl,
  /** The thumbnail URL if it was made already (`url`, `whenUrl`); undefined if not yet. */
  madeUrl: (id: SampleId): string | undefined => urls.get(id),
  /**
   * Asks for a sample's thumbnail URL without making it now: `ready` hears once it is made, in a later task, with
   * others (`madeUrl` reads it then). Returns how to stop waiting. A grid's cell uses this while it renders.
   */
  whenUrl(id: SampleId, ready: () => void): () => void {
    if (urls.has(id)) return () => {};
    let cells = waiting.get(id);
    if (!cells) waiting.set(id, (cells = new Set()));
    cells.add(ready);
    scheduleUrls();
    return () => {
      const now = waiting.get(id);
      now?.delete(ready);
      if (now?.size === 0) waiting.delete(id);
    };
  },
  /** Records a sample's embedding once the extractor has computed it. */
  setEmbedding(id: SampleId, embedding: Float32Array, baseId: string): void {
    const s = registry.get(id);
    if (!s) return;
    s.embedding = embedding;
    s.baseId = baseId;
    emit({ type: 'put', id });
  },
  /** Forgets a sample's embedding (it is about to be computed again by other bases). */
  clearEmbedding(id: SampleId): void {
    const s = registry.get(id);
    if (!s || (!s.embedding && !s.baseId)) return;
    s.embedding = null;
    s.baseId = null;
    emit({ type: 'put', id });
  },
  /**
   * Records the embeddings of a sample's augmented copies. Tells no listener: they are not saved, so autosave has
   * nothing to write.
   */
  setAugmented(id: SampleId, baseId: string, embeddings: readonly Float32Array[]): void {
    const s = registry.get(id);
    if (s) s.augmented = { [baseId]: embeddings };
  },
  /** Marks a sample as unusable (see `Sample.setAside`). Tells no listener: nothing about it needs saving. */
  markSetAside(id: SampleId, reason: string): void {
    const s = registry.get(id);
    if (s) s.setAside = reason;
  },
  /**
   * Replaces every sample at once (opening or starting a project whose records are already stored): frees the old
   * thumbnails and tells listeners `reset`, so autosave writes nothing of either project again.
   */
  replaceAll(next: Iterable<Sample>): void {
    for (const id of [...urls.keys()]) revokeUrl(id);
    registry.clear();
    for (const s of next) registry.set(s.id, s);
    emit({ type: 'reset' });
  },
  /** Removes samples and frees their thumbnails. */
  remove(ids: Iterable<SampleId>): void {
    const removed: SampleId[] = [];
    for (const id of ids) {
      const s = registry.get(id);
      if (!s) continue;
      revokeUrl(id);
      registry.delete(id);
      removed.push(id);
    }
    if (removed.length) emit({ type: 'remove', ids: removed });
  },
  subscribe(listener: (e: SampleEvent) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  clear(): void {
    samples.remove([...registry.keys()]);
  },
  get size() {
    return registry.size;
  },
};
