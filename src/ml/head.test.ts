import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { accuracy, argmax, perClassAccuracy } from './evaluate';
import { loadExtractor } from './featureExtractor';
import { DEFAULT_TRAINING, buildHead, transformEmbeddings } from './head';
import { trainHead, type TrainingExample } from './trainer';

beforeAll(async () => {
  await useTestBackend();
});

describe('buildHead', () => {
  it('maps [N, inputSize] to probabilities over numClasses', async () => {
    for (const hiddenUnits of [0, 8]) {
      const model = buildHead(256, 4, { ...DEFAULT_TRAINING, hiddenUnits, dropout: 0.3 });
      const p = tf.tidy(() => model.predict(tf.ones([2, 256])) as tf.Tensor2D);
      expect(p.shape).toEqual([2, 4]);
      const sums = (await p.sum(1).array()) as number[];
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
      tf.dispose(p);
      model.dispose();
    }
  });

  it('initialises the same weights for the same seed and different ones for another', async () => {
    const weightsOf = async (seed: number) => {
      const model = buildHead(16, 3, { ...DEFAULT_TRAINING, seed });
      const w = await model.getWeights()[0].data();
      model.dispose();
      return w;
    };
    expect(await weightsOf(7)).toEqual(await weightsOf(7));
    expect(await weightsOf(7)).not.toEqual(await weightsOf(8));
  });
});

describe('transformEmbeddings', () => {
  it('l2 scales each row to unit length and leaves zero rows at zero', async () => {
    const x = tf.tensor2d([[3, 4], [0, 0]]);
    const y = transformEmbeddings(x, 'l2');
    expect(await y.array()).toEqual([[0.6, 0.8], [0, 0]].map((r) => r.map((v) => Math.fround(v))));
    tf.dispose([x, y]);
  });

  it("'none' returns an equal copy the caller may dispose", async () => {
    const x = tf.tensor2d([[3, 4]]);
    const y = transformEmbeddings(x, 'none');
    y.dispose();
    expect(await x.array()).toEqual([[3, 4]]);
    x.dispose();
  });

  it('does not leak tensors', async () => {
    const x = tf.randomNormal([5, 8]) as tf.Tensor2D;
    expect(await tensorsLeftBy(() => transformEmbeddings(x, 'l2').dispose())).toBe(0);
    x.dispose();
  });
});

/**
 * The committed rps-cgi fixtures: test hands are other hand models than the train hands. On this one base (v1 α0.25,
 * TF-Hub) and 40 examples per class the test accuracy is 90.0 % (54/60; rock 18, paper 16, scissors 20), seeded and
 * the same on every run; the threshold leaves three images of margin. An untrained or broken head is near 33 %.
 */
describe('DEFAULT_TRAINING on the rps-cgi fixtures', () => {
  let train: TrainingExample[];
  let test: TrainingExample[];

  beforeAll(async () => {
    const extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
    try {
      train = await loadExamples(extractor, 'fixtures', 'train');
      test = await loadExamples(extractor, 'fixtures', 'test');
    } finally {
      extractor.dispose();
    }
  });

  it('reaches at least 85% on the 60 test images after training on all 120 train images', async () => {
    expect([train.length, test.length]).toEqual([120, 60]);
    const result = await trainHead({ examples: train, numClasses: 3 });
    const probs = tf.tidy(() => {
      const x = tf.tensor2d(test.flatMap((e) => [...e.embedding]), [test.length, 256]);
      return result.model.predict(transformEmbeddings(x, result.transform)) as tf.Tensor2D;
    });
    const predicted = (await probs.array()).map(argmax);
    probs.dispose();
    result.model.dispose();
    const labels = test.map((e) => e.label);
    const acc = accuracy(labels, predicted);
    console.log(`rps-cgi fixtures test accuracy ${(acc * 100).toFixed(1)}%, per class`, perClassAccuracy(labels, predicted, 3));
    expect(acc).toBeGreaterThanOrEqual(0.85);
  });
});
