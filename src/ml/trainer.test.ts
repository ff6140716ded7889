import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tensorsLeftBy, useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { GlanceError, NotEnoughDataError } from './errors';
import { loadExtractor } from './featureExtractor';
import { trainHead, type EpochReport, type TrainingExample } from './trainer';

let examples: TrainingExample[];
const quick = { epochs: 4, batchSize: 8 };

beforeAll(async () => {
  await useTestBackend();
  const extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  try {
    examples = await loadExamples(extractor, 'fixtures', 'train', 20);
  } finally {
    extractor.dispose();
  }
});

describe('trainHead', () => {
  it('reports every epoch and batch, 1-based, and keeps the best epoch by validation', async () => {
    const epochs: EpochReport[] = [];
    const batches: [number, number, number][] = [];
    const result = await trainHead({
      examples, numClasses: 3, config: quick,
      onEpoch: (r) => epochs.push(r),
      onBatch: (b, n, e) => batches.push([b, n, e]),
    });
    expect(epochs.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(result.history).toEqual(epochs);
    // 60 examples, 15% per class held out → 17 per class train = 51 → 7 batches of 8.
    expect(batches.length).toBe(4 * 7);
    expect(batches[0]).toEqual([1, 7, 1]);
    expect(batches.at(-1)).toEqual([7, 7, 4]);
    const best = result.history[result.bestEpoch - 1];
    for (const r of result.history) {
      expect(r.valAcc! < best.valAcc! || (r.valAcc === best.valAcc && r.valLoss! >= best.valLoss!)).toBe(true);
    }
    expect(result.stopped).toBe(false);
    expect(result.validation.indices.length).toBe(9);
    expect(result.validation.labels).toEqual(result.validation.indices.map((i) => examples[i].label));
    expect(result.validation.probabilities.length).toBe(9);
    expect(result.validation.predicted.filter((p, i) => p === result.validation.labels[i]).length / 9).toBeCloseTo(best.valAcc!, 6);
    result.model.dispose();
  });

  it('returns a model that predicts what validation recorded for the best epoch', async () => {
    const result = await trainHead({ examples, numClasses: 3, config: quick });
    const x = tf.tensor2d(result.validation.indices.flatMap((i) => [...examples[i].embedding]), [9, 256]);
    const norm = tf.tidy(() => x.div(x.norm('euclidean', 1, true)));
    const p = result.model.predict(norm) as tf.Tensor2D;
    const got = await p.data();
    expect(Math.max(...result.validation.probabilities.flatMap((row, i) => [...row].map((v, k) => Math.abs(v - got[i * 3 + k]))))).toBeLessThan(1e-5);
    tf.dispose([x, norm, p]);
    result.model.dispose();
  });

  it('is reproducible for a seed', async () => {
    const a = await trainHead({ examples, numClasses: 3, config: { ...quick, seed: 3 } });
    const b = await trainHead({ examples, numClasses: 3, config: { ...quick, seed: 3 } });
    expect(a.history).toEqual(b.history);
    a.model.dispose();
    b.model.dispose();
  });

  it('selects by training loss when there is no validation set', async () => {
    const result = await trainHead({ examples, numClasses: 3, config: { ...quick, validationFraction: 0 } });
    expect(result.history.every((r) => r.valAcc === null && r.valLoss === null)).toBe(true);
    const losses = result.history.map((r) => r.loss);
    expect(result.history[result.bestEpoch - 1].loss).toBe(Math.min(...losses));
    expect(result.validation.indices).toEqual([]);
    result.model.dispose();
  });

  it('holds out no validation while a class has fewer examples than minPerClassForValidation (default 20)', async () => {
    const few = [0, 1, 2].flatMap((label) => examples.filter((e) => e.label === label).slice(0, label === 2 ? 19 : 20));
    const result = await trainHead({ examples: few, numClasses: 3, config: quick });
    expect(result.validation.indices).toEqual([]);
    expect(result.history.every((r) => r.valAcc === null)).toBe(true);
    result.model.dispose();
    const always = await trainHead({ examples: few, numClasses: 3, config: { ...quick, minPerClassForValidation: 0 } });
    expect(always.validation.indices.length).toBeGreaterThan(0);
    always.model.dispose();
  });

  it('allows empty classes as long as two classes have examples', async () => {
    const twoClasses = examples.filter((e) => e.label !== 1);
    const result = await trainHead({ examples: twoClasses, numClasses: 4, config: quick });
    expect(result.model.outputs[0].shape).toEqual([null, 4]);
    result.model.dispose();
  });

  it('throws NotEnoughDataError when only one class has examples', async () => {
    const oneClass = examples.filter((e) => e.label === 2);
    const err = await trainHead({ examples: oneClass, numClasses: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotEnoughDataError);
    expect((err as NotEnoughDataError).code).toBe('not-enough-data');
    expect((err as Error).message).toMatch(/at least two classes/);
    await expect(trainHead({ examples: [], numClasses: 3 })).rejects.toBeInstanceOf(NotEnoughDataError);
  });

  it('rejects labels outside the classes', async () => {
    const bad = [...examples, { embedding: examples[0].embedding, label: 3 }];
    await expect(trainHead({ examples: bad, numClasses: 3 })).rejects.toBeInstanceOf(GlanceError);
  });

  it('returns the best model so far with stopped: true when aborted after the first epoch', async () => {
    const controller = new AbortController();
    const result = await trainHead({
      examples, numClasses: 3, config: { epochs: 20, batchSize: 8 }, signal: controller.signal,
      onBatch: (_b, _n, epoch) => { if (epoch === 2) controller.abort(); },
    });
    expect(result.stopped).toBe(true);
    expect(result.history.length).toBe(1);
    expect(result.bestEpoch).toBe(1);
    const p = tf.tidy(() => result.model.predict(tf.ones([1, 256])) as tf.Tensor);
    expect((await p.sum().data())[0]).toBeCloseTo(1, 5);
    tf.dispose(p);
    result.model.dispose();
  });

  it('rejects with an AbortError when aborted before the first epoch finished', async () => {
    const controller = new AbortController();
    const during = trainHead({ examples, numClasses: 3, config: quick, signal: controller.signal, onBatch: () => controller.abort() });
    await expect(during).rejects.toMatchObject({ name: 'AbortError' });
    await expect(trainHead({ examples, numClasses: 3, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('leaves no tensors behind once the model is disposed, finished or aborted', async () => {
    expect(await tensorsLeftBy(async () => (await trainHead({ examples, numClasses: 3, config: quick })).model.dispose())).toBe(0);
    expect(await tensorsLeftBy(async () => {
      const controller = new AbortController();
      const r = await trainHead({ examples, numClasses: 3, config: quick, signal: controller.signal, onEpoch: () => controller.abort() });
      r.model.dispose();
    })).toBe(0);
    expect(await tensorsLeftBy(async () => {
      const controller = new AbortController();
      await trainHead({ examples, numClasses: 3, config: quick, signal: controller.signal, onBatch: () => controller.abort() }).catch(() => undefined);
    })).toBe(0);
  });

  it('lets other tasks run between batches', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const result = await trainHead({ examples, numClasses: 3, config: { ...quick, epochs: 10 } });
    clearInterval(timer);
    result.model.dispose();
    expect(ticks).toBeGreaterThan(0);
  });
});
