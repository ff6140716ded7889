import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { baseModelDir, listImages, loadJpeg, readModelFilesFromDir } from '../test/modelFiles';
import { ModelLoadError } from './errors';
import { EMBED_BATCH_SIZE, MOBILENET_V1_025, loadExtractor, type FeatureExtractor } from './featureExtractor';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';
import { cropAndResize } from './preprocess';

let files: ModelFiles;
let extractor: FeatureExtractor;
let crops: tf.Tensor3D[];

beforeAll(async () => {
  await useTestBackend();
  files = await readModelFilesFromDir(baseModelDir);
  extractor = await loadExtractor(files);
  const paths = [
    ...(await listImages('fixtures', 'test', 'rock')).slice(0, 2),
    ...(await listImages('fixtures', 'test', 'paper')).slice(0, 2),
  ];
  crops = paths.map((p) => tf.tidy(() => cropAndResize(loadJpeg(p))));
});

afterAll(() => {
  tf.dispose(crops);
  extractor.dispose();
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('loadExtractor', () => {
  it('gives a 256-d embedding per image', async () => {
    const [e] = await extractor.embed([crops[0]]);
    expect(e).toBeInstanceOf(Float32Array);
    expect(e.length).toBe(MOBILENET_V1_025.embeddingSize);
    expect(e.some((v) => v !== 0)).toBe(true);
  });

  it('gives the same embedding for the same image, alone or in a batch', async () => {
    const [alone] = await extractor.embed([crops[1]]);
    const again = await extractor.embed([crops[0], crops[1], crops[2]]);
    expect(maxAbsDiff(alone, again[1])).toBeLessThan(1e-6);
    expect(maxAbsDiff(again[0], again[2])).toBeGreaterThan(1e-3);
  });

  // infer() resizes a 4D batch 224→224 with alignCorners (an exact identity) and scales with x * (hi-lo)/255 + lo.
  // Scaling the same way, a direct execute matches to the bit; the README's x / 255 * (hi-lo) + lo differs only
  // by float32 rounding (~1e-5 on values up to ~5), far below what moves a probability by 1e-4.
  it('matches a direct GraphModel.execute of the embedding node (infer resize is an identity)', async () => {
    const graph = await tf.loadGraphModel(ioHandlerFromFiles(files));
    const [lo, hi] = MOBILENET_V1_025.inputRange;
    const direct = (scale: (x: tf.Tensor) => tf.Tensor) => tf.tidy(() => {
      const out = graph.execute(scale(tf.stack(crops)), MOBILENET_V1_025.embeddingNode) as tf.Tensor;
      return out.reshape([crops.length, MOBILENET_V1_025.embeddingSize]);
    });
    const batch = tf.stack(crops) as tf.Tensor4D;
    const viaPackage = extractor.embedBatch(batch);
    const sameScaling = direct((x) => x.mul((hi - lo) / 255).add(lo));
    const readmeScaling = direct((x) => x.div(255).mul(hi - lo).add(lo));
    try {
      expect(viaPackage.shape).toEqual([crops.length, 256]);
      const v = await viaPackage.data();
      expect(maxAbsDiff(v, await sameScaling.data())).toBeLessThan(1e-5);
      expect(maxAbsDiff(v, await readmeScaling.data())).toBeLessThan(1e-4);
    } finally {
      tf.dispose([batch, viaPackage, sameScaling, readmeScaling]);
      graph.dispose();
    }
  });

  it('embeds more images than one batch, in order', async () => {
    const many = Array.from({ length: EMBED_BATCH_SIZE + 3 }, (_, i) => crops[i % crops.length]);
    const out = await extractor.embed(many);
    const single = await extractor.embed(crops);
    expect(out.length).toBe(many.length);
    expect(maxAbsDiff(out[EMBED_BATCH_SIZE + 1], single[(EMBED_BATCH_SIZE + 1) % crops.length])).toBeLessThan(1e-5);
  });

  it('rejects inputs that are not 224×224 crops', () => {
    const wrong = tf.zeros([1, 100, 100, 3]) as tf.Tensor4D;
    expect(() => extractor.embedBatch(wrong)).toThrow(/224/);
    wrong.dispose();
  });

  it('does not leak tensors in embed or embedBatch', async () => {
    await extractor.embed(crops);
    expect(await tensorsLeftBy(() => extractor.embed(crops))).toBe(0);
    expect(await tensorsLeftBy(() => {
      const batch = tf.stack(crops) as tf.Tensor4D;
      tf.dispose([batch, extractor.embedBatch(batch)]);
    })).toBe(0);
  });

  it('disposes its weights', async () => {
    const before = tf.memory().numTensors;
    const other = await loadExtractor(files);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a base it has no loader for', async () => {
    await expect(loadExtractor(files, { ...MOBILENET_V1_025, id: 'other', format: 'layers-model', pooling: 'mean' })).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('wraps a broken model in a ModelLoadError that says what to do', async () => {
    const broken: ModelFiles = { modelJson: files.modelJson, weights: new Map([[[...files.weights.keys()][0], new Uint8Array(16)]]) };
    const err = await loadExtractor(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).code).toBe('model-load-failed');
    expect((err as Error).message).toMatch(/Reload the page/);
  });
});
