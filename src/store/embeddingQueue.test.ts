import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import type { FeatureExtractor } from '../ml/featureExtractor';
import { CROP_LENGTH, cropTensor, type Crop } from '../ml/preprocess';
import { EmbeddingQueue } from './embeddingQueue';
import { samples } from './samples';

beforeAll(async () => {
  await useTestBackend();
});

afterEach(() => samples.clear());

/** A stand-in extractor: each image's embedding is [tag, its mean pixel]; `gate` holds a batch until released. */
function fakeExtractor(id: string, tag: number) {
  let release: (() => void) | null = null;
  const calls: number[] = [];
  const extractor = {
    base: { id },
    embed: async (images: Crop[]) => {
      calls.push(images.length);
      const means = images.map((im) => tf.tidy(() => tf.mean(cropTensor(im)).dataSync()[0]));
      if (extractor.hold) await new Promise<void>((r) => (release = r));
      if (extractor.failAfterHold) throw new Error('Tensor is disposed.');
      return means.map((m) => new Float32Array([tag, m]));
    },
    hold: false,
    failAfterHold: false,
    release: () => release?.(),
    calls,
  };
  return extractor;
}

function addSample(id: string): void {
  samples.set({ id, classId: 'c', jpeg: new Blob(), embedding: null, baseId: null });
}

const crop = (value: number) => tf.fill([224, 224, 3], value) as tf.Tensor3D;

describe('EmbeddingQueue', () => {
  it('keeps two batches in flight for an embedder on another thread (concurrency 2), one for one on this thread', async () => {
    for (const concurrency of [2, undefined]) {
      const queue = new EmbeddingQueue(() => {}, () => {});
      let inFlight = 0;
      let most = 0;
      const releases: (() => void)[] = [];
      const embedder = {
        base: { id: 'w' },
        concurrency,
        embed: async (images: tf.Tensor3D[]) => {
          most = Math.max(most, ++inFlight);
          const means = images.map((im) => tf.tidy(() => tf.mean(im).dataSync()[0]));
          await new Promise<void>((r) => releases.push(r));
          inFlight--;
          return means.map((m) => new Float32Array([m]));
        },
      };
      const ids = Array.from({ length: 12 }, (_, i) => `${concurrency ?? 1}-${i}`);
      ids.forEach(addSample);
      ids.forEach((id, i) => queue.enqueue(id, crop(i)));
      const before = tf.memory().numTensors;
      queue.setExtractor(embedder as unknown as FeatureExtractor);
      const done = queue.idle();
      // Answer the batches one by one, the later one first when two are out: results land by sample, not by order.
      while (queue.pending > 0) {
        await new Promise((r) => setTimeout(r, 5));
        releases.splice(0).reverse().forEach((r) => r());
      }
      await done;
      expect(most).toBe(concurrency ?? 1);
      expect(ids.map((id) => samples.get(id)!.embedding![0])).toEqual(ids.map((_, i) => i));
      // Every queued crop was disposed once its batch was done.
      expect(tf.memory().numTensors).toBe(before - ids.length);
    }
  });

  it('paused with setExtractor(null) while a batch fails (a dead engine worker), it sets nothing aside and resumes on the next extractor', async () => {
    const failed: unknown[] = [];
    const queue = new EmbeddingQueue(() => {}, (id) => failed.push(id));
    const dead = fakeExtractor('a', 1);
    dead.hold = true;
    dead.failAfterHold = true;
    for (let i = 0; i < 8; i++) addSample(`p${i}`);
    for (let i = 0; i < 8; i++) queue.enqueue(`p${i}`, async () => crop(i));
    queue.setExtractor(dead as unknown as FeatureExtractor);
    await new Promise((r) => setTimeout(r, 20));
    // The worker dies: the queue is paused, then the batch in flight is rejected.
    queue.setExtractor(null);
    dead.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(failed).toEqual([]);
    expect(queue.pending).toBe(4); // the rejected batch is left to the recovery (it re-queues samples with no embedding)
    const next = fakeExtractor('a', 2);
    queue.setExtractor(next as unknown as FeatureExtractor);
    await queue.idle();
    expect(failed).toEqual([]);
    for (let i = 4; i < 8; i++) expect(samples.get(`p${i}`)!.embedding![0]).toBe(2);
  });

  it('embeds queued crops (tensors, pixels from the image worker, or lazy) in order, disposes them, and idle() waits for all', async () => {
    const errors: unknown[] = [];
    const queue = new EmbeddingQueue(() => {}, (e) => errors.push(e));
    const ex = fakeExtractor('a', 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 8; i++) addSample(`s${i}`);
    queue.enqueue('s0', crop(0));
    for (let i = 1; i < 6; i++) queue.enqueue(`s${i}`, async () => crop(i));
    queue.enqueueAll([{ sampleId: 's6', crop: new Float32Array(CROP_LENGTH).fill(6) }]);
    queue.enqueue('s7', async () => new Float32Array(CROP_LENGTH).fill(7));
    expect(queue.pending).toBe(8);
    queue.setExtractor(ex as unknown as FeatureExtractor);
    await queue.idle();
    expect(errors).toEqual([]);
    for (let i = 0; i < 8; i++) {
      expect(Array.from(samples.get(`s${i}`)!.embedding!)).toEqual([1, i]);
      expect(samples.get(`s${i}`)!.baseId).toBe('a');
    }
    expect(ex.calls).toEqual([4, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('drops a batch that was running when the extractor changed (even one that fails on disposed weights), keeps the jobs queued after a clear', async () => {
    const errors: unknown[] = [];
    const queue = new EmbeddingQueue(() => {}, (e) => errors.push(e));
    const old = fakeExtractor('old', 1);
    old.hold = true;
    old.failAfterHold = true; // its weights were disposed by the switch
    const next = fakeExtractor('new', 2);
    addSample('x');
    addSample('y');
    queue.setExtractor(old as unknown as FeatureExtractor);
    queue.enqueue('x', crop(5));
    await new Promise((r) => setTimeout(r, 10)); // the old extractor is now holding x's batch
    expect(old.calls).toEqual([1]);
    // A switch: clear, new extractor, every sample queued again (lazily).
    queue.clear();
    queue.setExtractor(next as unknown as FeatureExtractor);
    queue.enqueue('x', async () => crop(5));
    queue.enqueue('y', async () => crop(7));
    old.release();
    await queue.idle();
    await new Promise((r) => setTimeout(r, 10));
    await queue.idle();
    expect(errors).toEqual([]);
    expect(Array.from(samples.get('x')!.embedding!)).toEqual([2, 5]);
    expect(Array.from(samples.get('y')!.embedding!)).toEqual([2, 7]);
    expect(samples.get('x')!.baseId).toBe('new');
  });

  it('embeds a sample once when it is queued again while it waits (recovery re-queues an upload in progress), and frees the second crop', async () => {
    const queue = new EmbeddingQueue(() => {}, () => {});
    const ex = fakeExtractor('a', 1);
    const before = tf.memory().numTensors;
    addSample('u1');
    addSample('u2');
    queue.enqueueAll([{ sampleId: 'u1', crop: crop(1) }, { sampleId: 'u2', crop: crop(2) }]);
    // What recoverInPage's reembedSamples does for every example still without an embedding.
    queue.enqueue('u1', async () => crop(9));
    queue.enqueue('u2', crop(9));
    expect(queue.pending).toBe(2);
    queue.setExtractor(ex as unknown as FeatureExtractor);
    await queue.idle();
    expect(ex.calls).toEqual([2]);
    expect(Array.from(samples.get('u1')!.embedding!)).toEqual([1, 1]);
    expect(Array.from(samples.get('u2')!.embedding!)).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    // Once embedded, it can be queued again (other bases): not a duplicate any more.
    queue.enqueue('u1', crop(3));
    await queue.idle();
    expect(ex.calls).toEqual([2, 1]);
    expect(Array.from(samples.get('u1')!.embedding!)).toEqual([1, 3]);
  });

  it('queues a sample again while its batch runs: deleted when the batch began and brought back by an undo, it is still embedded', async () => {
    const queue = new EmbeddingQueue(() => {}, () => {});
    const ex = fakeExtractor('a', 1);
    ex.hold = true;
    addSample('keep');
    addSample('undone');
    queue.enqueueAll([{ sampleId: 'keep', crop: crop(1) }, { sampleId: 'undone', crop: crop(2) }]);
    const removed = samples.get('undone')!;
    samples.remove(['undone']);
    queue.setExtractor(ex as unknown as FeatureExtractor);
    await new Promise((r) => setTimeout(r, 10)); // the batch runs without 'undone' (gone when it began)
    expect(ex.calls).toEqual([1]);
    // Undo brings the example back and queues it (from its image) while that batch still runs.
    samples.set(removed);
    queue.enqueue('undone', async () => crop(2));
    ex.hold = false;
    ex.release();
    await queue.idle();
    expect(Array.from(samples.get('keep')!.embedding!)).toEqual([1, 1]);
    expect(Array.from(samples.get('undone')!.embedding!)).toEqual([1, 2]);
  });
});
