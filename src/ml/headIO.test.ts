import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHead, DEFAULT_TRAINING } from './head';
import { loadHead, saveHead } from './headIO';
import { useTestBackend } from '../test/backend';

beforeAll(async () => {
  await useTestBackend();
});

describe('headIO', () => {
  it('a saved and re-loaded head gives the same outputs', async () => {
    const head = buildHead(8, 3, { ...DEFAULT_TRAINING, hiddenUnits: 5 });
    const files = await saveHead(head);
    expect(files.modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    const back = await loadHead(files);
    const x = tf.randomNormal([4, 8]);
    const a = head.predict(x) as tf.Tensor;
    const b = back.predict(x) as tf.Tensor;
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    head.dispose();
    back.dispose();
  });

  it('does not leak tensors', async () => {
    const head = buildHead(8, 2, DEFAULT_TRAINING);
    const before = tf.memory().numTensors;
    const back = await loadHead(await saveHead(head));
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
    head.dispose();
  });
});
