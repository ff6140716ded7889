import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { listImages, loadJpeg, readBaseFiles, repoRoot } from '../test/modelFiles';
import { ModelLoadError } from './errors';
import { MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, MOBILENET_V1_075_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type FeatureExtractor } from './featureExtractor';
import type { ModelFiles } from './modelFiles';
import {
  BASE_CHOICES, BASE_MODEL_FOLDERS, DEFAULT_BASES, DEFAULT_BASE_ID, MOST_ACCURATE_ID, baseChoice, combinedBaseId, extractorSources, fetchBaseFiles, loadExtractors, type BaseSource,
} from './multiBase';
import { ON_DEMAND_MODEL_FOLDERS, onDemandFolderOf } from './onDemandModels';
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

describe('fetchBaseFiles', () => {
  /** A fetch like the browser's with no network: every request rejects with a TypeError. */
  const offline = (async () => {
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;

  it('says an on-demand image model must be downloaded once, with what to do, when it cannot be fetched', async () => {
    const err = await fetchBaseFiles('/models/', MOBILENET_V1_075_LAYERS, offline).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/not stored for offline use until it is first chosen \(about 10\.4 MB\): connect to the internet and choose it again in Under the hood → Image model/);
  });

  it('keeps the HTTP error of an on-demand model that the server does not have (not "offline")', async () => {
    const missing = (async () => new Response('not found', { status: 404 })) as typeof fetch;
    const err = await fetchBaseFiles('/models/', MOBILENET_V1_075_LAYERS, missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/answered HTTP 404/);
  });

  it('keeps the usual message for a precached base', async () => {
    const err = await fetchBaseFiles('/models/', MOBILENET_V1_025, offline).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as Error).message).toMatch(/^The image model could not be downloaded \(model\.json at \/models\/mobilenet_v1_025_224_classification_graph\/model\.json\)/);
  });

  it('fetches from the base’s folder, which only the "Most accurate" choice needs on demand', async () => {
    const folder = BASE_MODEL_FOLDERS[MOBILENET_V1_075_LAYERS.id];
    const disk = path.join(repoRoot, 'public/models', folder);
    const fromDisk = (async (input: string | URL | Request) => new Response(await readFile(path.join(disk, String(input).split('/').pop()!)))) as typeof fetch;
    const files = await fetchBaseFiles('/models/', MOBILENET_V1_075_LAYERS, fromDisk);
    expect(files.weights.size).toBe(55);
    expect(onDemandFolderOf(`/app/models/${folder}/group1-shard1of1`)).toBe(folder);
    expect(onDemandFolderOf('/app/models/mobilenet_v1_0.25_224_layers/model.json')).toBeNull();
    const onDemandChoices = BASE_CHOICES.filter((c) => c.bases.some((b) => BASE_MODEL_FOLDERS[b.id] in ON_DEMAND_MODEL_FOLDERS)).map((c) => c.id);
    expect(onDemandChoices).toEqual([MOST_ACCURATE_ID]);
  });
});
