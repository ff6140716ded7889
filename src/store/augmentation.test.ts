import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUGMENT_COUNT } from '../ml/augment';
import type { FeatureExtractor } from '../ml/featureExtractor';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { prepareAugmented, seedOf } from './augmentation';
import { samples } from './samples';

/** Stands in for a base model: each image's embedding is its mean pixel, read back the way `embed` does. */
function fakeExtractor(id: string) {
  const calls: number[] = [];
  const extractor: Pick<FeatureExtractor, 'embed' | 'base'> = {
    base: { id, format: 'graph-model', embeddingNode: 'x', pooling: 'none', inputRange: [0, 1], embeddingSize: 1 },
    async embed(images) {
      calls.push(images.length);
      const means = tf.tidy(() => tf.stack(images.map((im) => tf.mean(im))));
      try {
        return Array.from(await means.data(), (m) => Float32Array.of(m));
      } finally {
        means.dispose();
      }
    },
  };
  return { extractor, calls };
}

/** A "JPEG" whose decoded crop is one flat grey level, so copies are easy to tell apart from other samples. */
const decode = async (jpeg: Blob) => tf.fill([224, 224, 3], Number(await jpeg.text()), 'float32') as tf.Tensor3D;

function addSamples(levels: number[]): string[] {
  return levels.map((level, i) => {
    const id = `sample-${i}`;
    const jpeg = new Blob([String(level)]);
    samples.set({ id, classId: 'c', jpeg, embedding: new Float32Array(1), baseId: 'base-a' });
    return id;
  });
}

beforeAll(useTestBackend);
afterEach(() => samples.clear());

describe('prepareAugmented', () => {
  it('gives each sample AUGMENT_COUNT copy embeddings for the base, one sample per step, with progress', async () => {
    const ids = addSamples([50, 100, 200]);
    const { extractor, calls } = fakeExtractor('base-a');
    const progress: string[] = [];
    const made = await prepareAugmented(extractor, ids, { decode, onProgress: (p) => progress.push(`${p.done}/${p.total}`) });
    expect(made).toBe(3);
    expect(calls).toEqual([AUGMENT_COUNT, AUGMENT_COUNT, AUGMENT_COUNT]);
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
    ids.forEach((id, i) => {
      const copies = samples.get(id)?.augmented?.['base-a'];
      expect(copies).toHaveLength(AUGMENT_COUNT);
      // A flat grey stays near its level under flips, crops and colour jitter (±40 brightness): the copies are of this sample.
      for (const c of copies!) expect(Math.abs(c[0] - [50, 100, 200][i])).toBeLessThanOrEqual(41);
    });
  });

  it('skips samples that already have copies for this base, and remakes them for another base', async () => {
    const ids = addSamples([10, 20]);
    await prepareAugmented(fakeExtractor('base-a').extractor, ids.slice(0, 1), { decode });
    const again = fakeExtractor('base-a');
    expect(await prepareAugmented(again.extractor, ids, { decode })).toBe(1);
    expect(again.calls).toHaveLength(1);
    const other = fakeExtractor('base-b');
    expect(await prepareAugmented(other.extractor, ids, { decode })).toBe(2);
    expect(Object.keys(samples.get(ids[0])!.augmented!)).toEqual(['base-b']);
  });

  it('stops with an AbortError when aborted and keeps the copies made so far', async () => {
    const ids = addSamples([10, 20, 30, 40]);
    const abort = new AbortController();
    const run = prepareAugmented(fakeExtractor('base-a').extractor, ids, {
      decode,
      signal: abort.signal,
      onProgress: (p) => p.done === 2 && abort.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(ids.map((id) => samples.get(id)?.augmented !== undefined)).toEqual([true, true, false, false]);
  });

  it('disposes the decoded crops and the copies', async () => {
    const ids = addSamples([10, 20, 30]);
    await prepareAugmented(fakeExtractor('warm-up').extractor, ids, { decode });
    expect(await tensorsLeftBy(() => prepareAugmented(fakeExtractor('base-a').extractor, ids, { decode }))).toBe(0);
  });

  it('seeds each sample by its id: stable, and different between ids', () => {
    expect(seedOf('sample-1')).toBe(seedOf('sample-1'));
    expect(seedOf('sample-1')).not.toBe(seedOf('sample-2'));
  });
});
