import * as tf from '@tensorflow/tfjs';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { loadExamples } from '../test/embeddings';
import { baseModelDir, readModelFilesFromDir } from '../test/modelFiles';
import { NotEnoughDataError } from './errors';
import { loadExtractor } from './featureExtractor';
import { trainHead, type TrainingExample } from './trainer';
import { serveTraining, trainHeadInWorker, type TrainingPort, type WorkerLike } from './trainInWorker';

let examples: TrainingExample[];
const quick = { epochs: 3, batchSize: 8, minPerClassForValidation: 0 }; // 12 per class: hold out validation anyway, to compare it
const open: { close(): void }[] = [];

/** A "worker" served in-process over a real MessageChannel, so messages are structured-cloned as in a browser. */
function inProcessWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  serveTraining(port2 as unknown as TrainingPort);
  const worker: WorkerLike = {
    postMessage: (m, t) => port1.postMessage(m, t as never),
    onmessage: null,
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
  port1.on('message', (data: unknown) => worker.onmessage?.({ data } as MessageEvent));
  return worker;
}

beforeAll(async () => {
  await useTestBackend();
  const extractor = await loadExtractor(await readModelFilesFromDir(baseModelDir));
  try {
    examples = await loadExamples(extractor, 'fixtures', 'train', 12);
  } finally {
    extractor.dispose();
  }
});

afterEach(() => open.splice(0).forEach((p) => p.close()));

async function probabilities(model: tf.LayersModel, rows: TrainingExample[]): Promise<Float32Array> {
  const x = tf.tensor2d(rows.flatMap((e) => Array.from(e.embedding)), [rows.length, rows[0].embedding.length]);
  const p = model.predict(tf.div(x, tf.norm(x, 2, 1, true))) as tf.Tensor;
  const data = (await p.data()) as Float32Array;
  tf.dispose([x, p]);
  return data;
}

describe('trainHeadInWorker', () => {
  it('returns the same head, history and validation as trainHead on the main thread', async () => {
    const epochs: number[] = [];
    const batches: [number, number][] = [];
    const inWorker = await trainHeadInWorker(
      { examples, numClasses: 3, config: quick, onEpoch: (r) => epochs.push(r.epoch), onBatch: (b, n) => batches.push([b, n]) },
      { createWorker: inProcessWorker, backend: 'cpu' },
    );
    const local = await trainHead({ examples, numClasses: 3, config: quick });
    expect(epochs).toEqual([1, 2, 3]);
    // 36 examples, 15% per class held out → 10 per class train = 30 → 4 batches of 8, in each of 3 epochs.
    expect(batches).toHaveLength(3 * 4);
    expect(batches.at(-1)).toEqual([4, 4]);
    expect(inWorker.history).toEqual(local.history);
    expect(inWorker.bestEpoch).toBe(local.bestEpoch);
    expect(inWorker.validation.predicted).toEqual(local.validation.predicted);
    const a = await probabilities(inWorker.model, examples);
    const b = await probabilities(local.model, examples);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    inWorker.model.dispose();
    local.model.dispose();
  });

  it('rejects with NotEnoughDataError (code not-enough-data) when only one class has examples', async () => {
    const oneClass = examples.filter((e) => e.label === 0);
    const run = trainHeadInWorker({ examples: oneClass, numClasses: 3, config: quick }, { createWorker: inProcessWorker, backend: 'cpu' });
    await expect(run).rejects.toBeInstanceOf(NotEnoughDataError);
    await expect(run).rejects.toMatchObject({ code: 'not-enough-data' });
  });

  it('rejects with an AbortError when stopped before the first epoch, and keeps the best epoch when stopped later', async () => {
    const early = new AbortController();
    const first = trainHeadInWorker({ examples, numClasses: 3, config: quick, signal: early.signal }, { createWorker: inProcessWorker, backend: 'cpu' });
    early.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });

    const late = new AbortController();
    const result = await trainHeadInWorker(
      { examples, numClasses: 3, config: { ...quick, epochs: 50 }, signal: late.signal, onEpoch: (r) => r.epoch === 2 && late.abort() },
      { createWorker: inProcessWorker, backend: 'cpu' },
    );
    expect(result.stopped).toBe(true);
    expect(result.history.length).toBeGreaterThanOrEqual(2);
    expect(result.history.length).toBeLessThan(50);
    result.model.dispose();
  });

  it('leaves no tensors behind on either side', async () => {
    const warm = await trainHeadInWorker({ examples, numClasses: 3, config: quick }, { createWorker: inProcessWorker, backend: 'cpu' });
    warm.model.dispose();
    const before = tf.memory().numTensors;
    const result = await trainHeadInWorker({ examples, numClasses: 3, config: quick }, { createWorker: inProcessWorker, backend: 'cpu' });
    result.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
