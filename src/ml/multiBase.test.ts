import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { listImages, loadJpeg, readBaseFiles } from '../test/modelFiles';
import { ModelLoadError } from './errors';
import { MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type FeatureExtractor } from './featureExtractor';
import type { ModelFiles } from './modelFiles';
import { BASE_CHOICES, BASE_MODEL_FOLDERS, DEFAULT_BASES, DEFAULT_BASE_ID, baseChoice, combinedBaseId, extractorSources, loadExtractors, type BaseSource } from './multiBase';
import { cropAndResize } from './preprocess';


let sources: BaseSource[];
let combined: FeatureExtractor;
let crops: tf.Tensor3D[];

beforeAll(async () => {
  await useTestBackend();
  sources = await Promise.all([MOBILENET_V1_025, TM_MOBILENET_V2_035].map(async (base) => ({ base, files: await readBaseFiles(BASE_MODEL_FOLDERS[base.id]) })));
  combined = await loadExtractors(sources);
  const files = [...(await listImages('fixtures', 'test', 'rock')).slice(0, 2), ...(await listImages('fixtures', 'test', 'scissors')).slice(0, 1)];
  crops = files.map((f) => tf.tidy(() => cropAndResize(loadJpeg(f))));
});

afterAll(() => {
  tf.dispose(crops);
  combined.dispose();
});

const norm = (v: Float32Array) => Math.hypot(...v);

describe('loadExtractors', () => {
  it('concatenates the l2-normalised embeddings of each base, in order', async () => {
    const [v1, v2] = await Promise.all(sources.map((s) => loadExtractor(s.files, s.base)));
    try {
      const [a] = await v1.embed([crops[0]]);
      const [b] = await v2.embed([crops[0]]);
      const [c] = await combined.embed([crops[0]]);
      expect(c.length).toBe(256 + 1280);
      const first = c.subarray(0, 256);
      const second = c.subarray(256);
      expect(norm(first)).toBeCloseTo(1, 5);
      expect(norm(second)).toBeCloseTo(1, 5);
      first.forEach((x, i) => expect(Math.abs(x - a[i] / norm(a))).toBeLessThan(1e-5));
      second.forEach((x, i) => expect(Math.abs(x - b[i] / norm(b))).toBeLessThan(1e-5));
    } finally {
      v1.dispose();
      v2.dispose();
    }
  });

  it('describes the combination and each base (marked l2) for the exporter', () => {
    expect(combined.base.id).toBe(`${MOBILENET_V1_025.id}+${TM_MOBILENET_V2_035.id}`);
    expect(DEFAULT_BASE_ID).toBe(DEFAULT_BASES.map((b) => b.id).join('+'));
    expect(combinedBaseId(DEFAULT_BASES)).toBe([MOBILENET_V1_025.id, MOBILENET_V1_025_LAYERS.id, TM_MOBILENET_V2_035.id].join('+'));
    expect(combined.base.embeddingSize).toBe(1536);
    expect(combined.parts?.map((p) => [p.base.id, p.base.normalize])).toEqual([[MOBILENET_V1_025.id, 'l2'], [TM_MOBILENET_V2_035.id, 'l2']]);
    expect(combined.parts?.[1].files).toBe(sources[1].files);
  });

  it('gives embedBatch and embed the same rows, batch or not', async () => {
    const rows = await combined.embed(crops);
    const batch = tf.stack(crops) as tf.Tensor4D;
    const out = combined.embedBatch(batch);
    const data = await out.data();
    tf.dispose([batch, out]);
    rows.forEach((r, i) => r.forEach((x, j) => expect(Math.abs(x - data[i * 1536 + j])).toBeLessThan(1e-5)));
  });

  it('offers the default first, each choice named by its combined id', () => {
    expect(BASE_CHOICES[0].id).toBe(DEFAULT_BASE_ID);
    for (const c of BASE_CHOICES) expect(c.id).toBe(combinedBaseId(c.bases));
    expect(baseChoice('no-such-base')).toBe(BASE_CHOICES[0]);
    expect(baseChoice(MOBILENET_V1_025.id).bases).toEqual([MOBILENET_V1_025]);
  });

  it('gives back the sources it was loaded from (to load it again elsewhere)', () => {
    expect(extractorSources(combined).map((s) => [s.base.id, s.base.normalize, s.files])).toEqual(sources.map((s) => [s.base.id, undefined, s.files]));
  });

  it('is plain loadExtractor for a single base', async () => {
    const single = await loadExtractors([sources[0]]);
    expect(single.parts).toBeUndefined();
    expect(single.base).toBe(MOBILENET_V1_025);
    single.dispose();
  });

  it('does not leak tensors in embed or embedBatch', async () => {
    await combined.embed(crops);
    expect(await tensorsLeftBy(() => combined.embed(crops))).toBe(0);
    expect(await tensorsLeftBy(() => {
      const batch = tf.stack(crops) as tf.Tensor4D;
      tf.dispose([batch, combined.embedBatch(batch)]);
    })).toBe(0);
  });

  it('disposes every base, and the loaded ones when a later base fails', async () => {
    const before = tf.memory().numTensors;
    const other = await loadExtractors(sources);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const broken: ModelFiles = { modelJson: sources[1].files.modelJson, weights: new Map() };
    await expect(loadExtractors([sources[0], { base: TM_MOBILENET_V2_035, files: broken }])).rejects.toBeInstanceOf(ModelLoadError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
