import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { listImages, loadJpeg, readModelFilesFromDir, repoRoot, sharedDir } from '../test/modelFiles';
import { MOBILENET_V1_025_LAYERS, MOBILENET_V1_075_LAYERS, TM_MOBILENET_V2_035, loadExtractor, type BaseDescriptor } from './featureExtractor';
import { ioHandlerFromFiles, type ModelFiles } from './modelFiles';
import { BASE_MODEL_FOLDERS } from './multiBase';
import { cropAndResize } from './preprocess';

/** The app's copy in public/models when it ships the base, else the shared one. */
async function filesOf(base: BaseDescriptor): Promise<ModelFiles> {
  const folder = BASE_MODEL_FOLDERS[base.id];
  return readModelFilesFromDir(path.join(repoRoot, 'public/models', folder)).catch(() => readModelFilesFromDir(path.join(sharedDir, 'models', folder)));
}

let crops: tf.Tensor3D[];

beforeAll(async () => {
  await useTestBackend();
  const files = [(await listImages('fixtures', 'test', 'paper'))[0], (await listImages('fixtures', 'test', 'rock'))[0]];
  crops = files.map((f) => tf.tidy(() => cropAndResize(loadJpeg(f))));
});

afterAll(() => tf.dispose(crops));

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

describe('layers-model bases', () => {
  it.each([
    ['0.25', MOBILENET_V1_025_LAYERS],
    ['0.75', MOBILENET_V1_075_LAYERS],
  ] as const)('v1 %s (Keras): mean of conv_pw_13_relu on x/127.5 − 1 equals the model’s own global pooling', async (_, base) => {
    const files = await filesOf(base);
    const extractor = await loadExtractor(files, base);
    const full = await tf.loadLayersModel(ioHandlerFromFiles(files));
    const pool = tf.model({ inputs: full.inputs, outputs: full.getLayer('global_average_pooling2d_1').output });
    const batch = tf.stack(crops) as tf.Tensor4D;
    const ours = extractor.embedBatch(batch);
    const theirs = tf.tidy(() => tf.reshape(pool.predict(tf.sub(tf.div(batch, 127.5), 1)) as tf.Tensor, [crops.length, base.embeddingSize]));
    try {
      expect(ours.shape).toEqual([2, base.embeddingSize]);
      expect(await maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    } finally {
      tf.dispose([batch, ours, theirs]);
      full.dispose();
      extractor.dispose();
    }
  });

  it('TM v2 0.35: 1280-d, the whole model on x/127 − 1 as Teachable Machine feeds it', async () => {
    const files = await filesOf(TM_MOBILENET_V2_035);
    const extractor = await loadExtractor(files, TM_MOBILENET_V2_035);
    const full = await tf.loadLayersModel(ioHandlerFromFiles(files));
    const batch = tf.stack(crops) as tf.Tensor4D;
    const ours = extractor.embedBatch(batch);
    const theirs = tf.tidy(() => full.predict(tf.sub(tf.div(batch, 127), 1)) as tf.Tensor);
    try {
      expect(ours.shape).toEqual([2, 1280]);
      expect(await maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
      expect(await leaks(() => extractor.embed(crops))).toBe(0);
    } finally {
      tf.dispose([batch, ours, theirs]);
      full.dispose();
      extractor.dispose();
    }
  });

  it('frees every weight on dispose', async () => {
    const files = await filesOf(MOBILENET_V1_025_LAYERS);
    const before = tf.memory().numTensors;
    const extractor = await loadExtractor(files, MOBILENET_V1_025_LAYERS);
    await extractor.embed(crops);
    extractor.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

async function leaks(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  return tensorsLeftBy(fn);
}
