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
 * Object URLs of the thumbnails drawn so far, made on first draw (`samples.url`), not when a sample is added: each
 * `createObjectURL` is a synchronous call into the browser (about 0.4 ms here), and a windowed grid draws a few dozen
 * of thousands. Revoked when the sample goes or its image changes.
 */
const urls = new Map<SampleId, string>();

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
  /** The thumbnail URL of a sample's image, made on first use and kept until the sample goes; '' when it has no image. */
  url(id: SampleId): string {
    const made = urls.get(id);
    if (made !== undefined) return made;
    const s = registry.get(id);
    if (!s || s.jpeg.size === 0) return '';
    const url = URL.createObjectURL(s.jpeg);
    urls.set(id, url);
    return url;
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
