import * as tf from '@tensorflow/tfjs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test/backend';
import { baseModelDir, listImages, loadJpeg, readBaseFiles, readModelFilesFromDir } from '../test/modelFiles';
import { EngineWorkerUnavailableError, loadEngineInWorker, type EngineWorkerLike } from './engineClient';
import { createEngineService } from './engineService';
import { ModelLoadError } from './errors';
import { MOBILENET_V1_025, MOBILENET_V1_025_LAYERS, type BaseDescriptor } from './featureExtractor';
import { BASE_MODEL_FOLDERS, loadExtractors, type BaseSource } from './multiBase';
import { cropAndResize } from './preprocess';

/**
 * A "worker" served in-process over a real MessageChannel (messages are structured-cloned and buffers transferred
 * as in a browser), with Comlink on both ends as in the app. `crash()` fires the Worker 'error' event.
 */
interface TestWorker extends EngineWorkerLike {
  crash(message: string): void;
  terminated: boolean;
  /** Messages posted to the worker so far. */
  posted: number;
}

/** Waits until the page side has posted more than `count` messages: the call is then in the worker, not before it. */
async function untilPosted(worker: TestWorker, count: number): Promise<void> {
  for (let i = 0; i < 200 && worker.posted <= count; i++) await new Promise((r) => setTimeout(r, 5));
  expect(worker.posted).toBeGreaterThan(count);
}

const open: MessagePort[] = [];

function inProcessWorker(): TestWorker {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  expose(createEngineService(), port2 as never);
  const errorListeners: ((e: unknown) => void)[] = [];
  const messageListeners = new Map<unknown, (data: unknown) => void>();
  const worker: TestWorker = {
    terminated: false,
    posted: 0,
    postMessage: (m: unknown, t?: Transferable[]) => {
      worker.posted++;
      port1.postMessage(m, t as never);
    },
    addEventListener: (type: string, listener: unknown) => {
      const l = listener as (e: unknown) => void;
      if (type === 'error') errorListeners.push(l);
      if (type === 'message') {
        const wrapped = (data: unknown) => l({ data });
        messageListeners.set(listener, wrapped);
        port1.on('message', wrapped);
      }
    },
    removeEventListener: (type: string, listener: unknown) => {
      const wrapped = messageListeners.get(listener);
      if (type === 'message' && wrapped) port1.off('message', wrapped);
    },
    terminate: () => {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
    crash: (message) => errorListeners.forEach((l) => l({ message })),
  };
  return worker;
}

let graphSource: BaseSource;
let crops: tf.Tensor3D[];

beforeAll(async () => {
  await useTestBackend();
  graphSource = { base: MOBILENET_V1_025, files: await readModelFilesFromDir(baseModelDir) };
  const files = (await listImages('fixtures', 'test', 'rock')).slice(0, 3);
  crops = files.map((f) => tf.tidy(() => cropAndResize(loadJpeg(f))));
});

afterEach(() => {
  open.splice(0).forEach((p) => p.close());
});

describe('loadEngineInWorker', () => {
  it('gives the same embeddings as the bases loaded in the page, for one base and for a combination', async () => {
    const layersSource = { base: MOBILENET_V1_025_LAYERS, files: await readBaseFiles(BASE_MODEL_FOLDERS[MOBILENET_V1_025_LAYERS.id]) };
    for (const sources of [[graphSource], [graphSource, layersSource]]) {
      const inPage = await loadExtractors(sources);
      const { embedder, info } = await loadEngineInWorker(sources, { forced: 'wasm', createWorker: inProcessWorker });
      try {
        expect(info.backend).toBe('wasm');
        expect(info.threads).toBe(1); // Node is never cross-origin isolated
        expect(embedder.base).toEqual(inPage.base);
        expect(embedder.parts?.map((p) => p.base)).toEqual(inPage.parts?.map((p) => p.base));
        const want = await inPage.embed(crops);
        const got = await embedder.embed(crops);
        expect(got.map((e) => e.length)).toEqual(want.map(() => inPage.base.embeddingSize));
        got.forEach((e, i) => expect(Array.from(e)).toEqual(Array.from(want[i])));
        // The same crops as pixels (made in the image worker, for uploads), in the page and through the worker.
        const pixels = async () => Promise.all(crops.map(async (c) => new Float32Array(await c.data())));
        const inPageFromPixels = await inPage.embed(await pixels());
        const sent = await pixels();
        const gotFromPixels = await embedder.embed(sent);
        [inPageFromPixels, gotFromPixels].forEach((embeddings) => embeddings.forEach((e, i) => expect(Array.from(e)).toEqual(Array.from(want[i]))));
        // Transferred to the worker, not copied.
        expect(sent.every((p) => p.buffer.byteLength === 0)).toBe(true);
      } finally {
        inPage.dispose();
        embedder.dispose();
      }
    }
  });

  it('leaves the crops it sends alone and leaks no tensor in the page', async () => {
    const { embedder } = await loadEngineInWorker([graphSource], { forced: 'wasm', createWorker: inProcessWorker });
    try {
      const sumOf = async (t: tf.Tensor3D) => {
        const s = tf.sum(t);
        try {
          return await s.data();
        } finally {
          s.dispose();
        }
      };
      await embedder.embed(crops); // warm-up
      const before = tf.memory().numTensors;
      const sum = await sumOf(crops[0]);
      await embedder.embed(crops);
      expect(await sumOf(crops[0])).toEqual(sum);
      // The service in this process owns its tensors too: nothing is left behind on either side.
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      embedder.dispose();
    }
  });

  it('rejects an embedding in flight when it is disposed, and every call after', async () => {
    const worker = inProcessWorker();
    const { embedder } = await loadEngineInWorker([graphSource], { forced: 'wasm', createWorker: () => worker });
    const posted = worker.posted;
    const inFlight = embedder.embed(crops);
    await untilPosted(worker, posted); // really in flight: posted, not yet answered
    embedder.dispose();
    await expect(inFlight).rejects.toThrow(/replaced/);
    await expect(embedder.embed(crops)).rejects.toThrow(/replaced/);
    expect(worker.terminated).toBe(true);
  });

  it('reports a worker that dies after loading once, and rejects what was in flight', async () => {
    const worker = inProcessWorker();
    const failures: Error[] = [];
    const { embedder } = await loadEngineInWorker([graphSource], { forced: 'wasm', createWorker: () => worker, onFailure: (e) => failures.push(e) });
    const posted = worker.posted;
    const inFlight = embedder.embed(crops);
    await untilPosted(worker, posted);
    worker.crash('out of memory');
    await expect(inFlight).rejects.toThrow(/worker stopped \(out of memory\)/);
    worker.crash('again');
    expect(failures.map((e) => e.message)).toEqual(["The image model's worker stopped (out of memory)."]);
    expect(worker.terminated).toBe(true);
  });

  it('says the worker is unavailable when it cannot be made or dies before it has loaded', async () => {
    await expect(loadEngineInWorker([graphSource], { forced: 'wasm', createWorker: () => { throw new Error('module workers are off'); } })).rejects.toThrow(EngineWorkerUnavailableError);
    const dying = inProcessWorker();
    const loading = loadEngineInWorker([graphSource], { forced: 'wasm', createWorker: () => dying });
    dying.crash('blocked by CSP');
    await expect(loading).rejects.toThrow(/engine worker could not be used \(blocked by CSP\)/);
  });

  it('passes a load error on with its code, so the person reads the same advice as in the page', async () => {
    const unknown: BaseDescriptor = { ...MOBILENET_V1_025, id: 'no-such-base' };
    const worker = inProcessWorker();
    const err = await loadEngineInWorker([{ base: unknown, files: graphSource.files }], { forced: 'wasm', createWorker: () => worker }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).message).toMatch(/no-such-base is not supported/);
    expect(worker.terminated).toBe(true);
  });
});
