import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { baseModelDir, listImages, loadJpeg, readModelFilesFromDir } from '../test/modelFiles';
import { AUGMENT_COUNT, augmentedCrops, augmentedEmbeddings } from './augment';
import { loadExtractor, type FeatureExtractor } from './featureExtractor';
import { cropAndResize } from './preprocess';

let crop: tf.Tensor3D;
let extractor: FeatureExtractor;

beforeAll(async () => {
  await useTestBackend();
  const [file] = await listImages('fixtures', 'test', 'paper');
  crop = tf.tidy(() => cropAndResize(loadJpeg(file)));
  extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
});

afterAll(() => {
  crop.dispose();
  extractor.dispose();
});

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

describe('augmentedCrops', () => {
  it('makes AUGMENT_COUNT 224×224×3 crops in 0–255, the first a left–right flip', async () => {
    const out = augmentedCrops(crop, 7);
    try {
      expect(out.length).toBe(AUGMENT_COUNT);
      for (const o of out) {
        expect(o.shape).toEqual([224, 224, 3]);
        const [lo, hi] = await Promise.all([o.min().data(), o.max().data()]);
        expect(lo[0]).toBeGreaterThanOrEqual(0);
        expect(hi[0]).toBeLessThanOrEqual(255);
      }
      const flipped = tf.reverse(crop, 1);
      expect(await maxAbsDiff(out[0], flipped)).toBe(0);
      flipped.dispose();
      for (const o of out.slice(1)) expect(await maxAbsDiff(o, crop)).toBeGreaterThan(10);
    } finally {
      tf.dispose(out);
    }
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const a = augmentedCrops(crop, 3, 6);
    const b = augmentedCrops(crop, 3, 6);
    const c = augmentedCrops(crop, 4, 6);
    try {
      for (let i = 0; i < 6; i++) expect(await maxAbsDiff(a[i], b[i])).toBe(0);
      expect(await maxAbsDiff(a[5], c[5])).toBeGreaterThan(1);
    } finally {
      tf.dispose([...a, ...b, ...c]);
    }
  });

  it('does not dispose its input and does not leak tensors', async () => {
    tf.dispose(augmentedCrops(crop, 1));
    expect(await tensorsLeftBy(() => tf.dispose(augmentedCrops(crop, 2, 5)))).toBe(0);
    expect(crop.isDisposed).toBe(false);
  });
});

describe('augmentedEmbeddings', () => {
  it('embeds exactly the augmented copies, the first being the flipped crop', async () => {
    const out = await augmentedEmbeddings(extractor, crop, 5);
    expect(out).toHaveLength(AUGMENT_COUNT);
    const copies = augmentedCrops(crop, 5);
    const flipped = tf.reverse(crop, 1) as tf.Tensor3D;
    try {
      const [direct, [ofFlip, ofOriginal]] = await Promise.all([extractor.embed(copies), extractor.embed([flipped, crop])]);
      // Batches of different sizes may round differently: equal means within float noise.
      const gap = (a: Float32Array, b: Float32Array) => Math.max(...a.map((x, j) => Math.abs(x - b[j])));
      out.forEach((e, i) => expect(gap(e, direct[i])).toBeLessThan(1e-4));
      expect(gap(out[0], ofFlip)).toBeLessThan(1e-4);
      expect(gap(out[0], ofOriginal)).toBeGreaterThan(1e-2);
    } finally {
      tf.dispose([...copies, flipped]);
    }
  });

  it('disposes the copies, keeps the crop and leaks nothing', async () => {
    await augmentedEmbeddings(extractor, crop, 1);
    expect(await tensorsLeftBy(() => augmentedEmbeddings(extractor, crop, 2))).toBe(0);
    expect(crop.isDisposed).toBe(false);
  });
});
