import type * as tf from '@tensorflow/tfjs';
import { augmentedEmbeddings } from '../ml/augment';
import type { Embedder } from '../ml/featureExtractor';
import { yieldToEventLoop } from '../ml/yieldToEventLoop';
import { samples } from './samples';
import type { Progress, SampleId } from './types';

/**
 * Samples whose copies are made per step. One sample is AUGMENT_COUNT (4) embeddings, about as much synchronous model
 * work as one step of the embedding queue (4 images), so the page can render and take input between steps.
 */
const SAMPLES_PER_STEP = 1;

export interface PrepareOptions {
  signal?: AbortSignal;
  /** Called before the first step and after every step. */
  onProgress?: (progress: Progress) => void;
  /** A sample's JPEG → its 224×224 crop; the caller's tensor to dispose. Injected so tests run without a DOM. */
  decode: (jpeg: Blob) => Promise<tf.Tensor3D>;
}

/** A per-sample seed, so a sample's copies come out the same every time they are made (FNV-1a of its id). */
export function seedOf(id: SampleId): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Gives every listed sample the embeddings of its augmented copies for `extractor`'s base, skipping those that have
 * them already: decode its stored JPEG, `augmentedEmbeddings`, keep the result on the sample (memory only). Works a
 * sample at a time, yielding between steps. Rejects with an AbortError when `signal` aborts; copies made until then
 * are kept. Returns how many samples it prepared.
 */
export async function prepareAugmented(extractor: Pick<Embedder, 'embed' | 'base'>, ids: readonly SampleId[], opts: PrepareOptions): Promise<number> {
  const baseId = extractor.base.id;
  const todo = ids.filter((id) => {
    const s = samples.get(id);
    // Set-aside examples (undecodable images) are skipped by training, so they get no copies either.
    return s !== undefined && !s.setAside && !s.augmented?.[baseId];
  });
  const progress = { done: 0, total: todo.length };
  opts.onProgress?.({ ...progress });
  for (let i = 0; i < todo.length; i += SAMPLES_PER_STEP) {
    if (opts.signal?.aborted) throw new DOMException('Stopped while preparing augmented copies', 'AbortError');
    for (const id of todo.slice(i, i + SAMPLES_PER_STEP)) {
      const sample = samples.get(id);
      if (sample) await prepareOne(extractor, sample.id, sample.jpeg, opts.decode);
      progress.done += 1;
    }
    opts.onProgress?.({ ...progress });
    await yieldToEventLoop();
  }
  return todo.length;
}

async function prepareOne(extractor: Pick<Embedder, 'embed' | 'base'>, id: SampleId, jpeg: Blob, decode: PrepareOptions['decode']): Promise<void> {
  const crop = await decode(jpeg);
  try {
    samples.setAugmented(id, extractor.base.id, await augmentedEmbeddings(extractor, crop, seedOf(id)));
  } finally {
    crop.dispose();
  }
}

/** How many augmented copies each example gets (for the settings hint; features do not import ml). */
export { AUGMENT_COUNT } from '../ml/augment';
