import * as tf from '@tensorflow/tfjs';
import { transfer } from 'comlink';
import { configureWasm, selectBackend, wasmThreadCount, type BackendName, type BackendTiming } from './backend';
import { GlanceError, type GlanceErrorCode, type Wording } from './errors';
import type { FeatureExtractor } from './featureExtractor';
import { loadExtractors, type BaseSource } from './multiBase';
import { cropTensor, PREPROCESS, type CropPixels } from './preprocess';

/** How the engine worker should start. */
export interface EngineLoadOptions {
  /** The .wasm file URLs the page serves (a worker cannot see Vite's asset URLs). */
  wasmPaths?: Record<string, string>;
  /** From `?backend=` (or the backend already in use, on a base switch): try only this one. */
  forced: BackendName | null;
}

/** What a started engine reports: the backend chosen by timing, how it was chosen and its WASM threads. */
export interface EngineInfo {
  backend: BackendName;
  timings: BackendTiming[];
  /** Threads the WASM backend computes with (1: single-threaded), null on another backend. */
  threads: number | null;
}

/** `load`'s answer: errors travel as data so their `code` survives the trip between threads. */
export type EngineLoadResult = { ok: true; info: EngineInfo } | { ok: false; name: string; message: string; code?: GlanceErrorCode; say?: Wording };

/** The engine worker's API, as `Comlink.expose` serves it (`engineWorker.ts`) and `engineClient.ts` calls it. */
export interface EngineService {
  /**
   * Starts the backend `opts` names (the WASM module compiled, its threads made) before the base files are here, so a
   * page start overlaps it with their download. Never throws: `load` reports what went wrong.
   */
  warm(opts: EngineLoadOptions): Promise<void>;
  load(sources: BaseSource[], opts: EngineLoadOptions): Promise<EngineLoadResult>;
  /** Crops → one embedding each, in order; the crops' buffers are transferred in and the embeddings' back. */
  embed(crops: CropPixels[]): Promise<Float32Array[]>;
  dispose(): void;
}

/**
 * Loads `sources` on this thread and picks the fastest backend by timing real embeddings on each candidate (only
 * `forced` when given), the same in the engine worker and in the page. Disposes what it loaded if that fails.
 */
export async function loadAndTimeBases(
  sources: BaseSource[],
  forced: BackendName | null,
): Promise<{ extractor: FeatureExtractor; backend: BackendName; timings: BackendTiming[]; threads: number | null }> {
  // Load on the backend we will most likely keep; weights move by themselves if another one wins.
  await tf.setBackend(forced ?? 'wasm').catch(() => false);
  const extractor = await loadExtractors(sources);
  const probe = tf.zeros([1, PREPROCESS.imageSize, PREPROCESS.imageSize, 3]) as tf.Tensor4D;
  try {
    const { backend, timings } = await selectBackend({
      forced,
      measure: async () => {
        const e = extractor.embedBatch(probe);
        try {
          await e.data();
        } finally {
          e.dispose();
        }
      },
    });
    return { extractor, backend, timings, threads: backend === 'wasm' ? wasmThreadCount() : null };
  } catch (err) {
    extractor.dispose();
    throw err;
  } finally {
    probe.dispose();
  }
}

/**
 * The bases on this thread, behind the `EngineService` API: loads them, picks the fastest backend by the same
 * timed warm-up the page used to run (`selectBackend`), and embeds crops sent as plain pixel buffers.
 */
export function createEngineService(opts: { ownsFiles?: boolean } = {}): EngineService {
  let extractor: FeatureExtractor | null = null;
  // The WASM paths can be given once, before the backend starts: warm() and load() share this one start.
  let started: Promise<void> | null = null;
  const start = (o: EngineLoadOptions) =>
    (started ??= (async () => {
      configureWasm(o.wasmPaths);
      await tf.setBackend(o.forced ?? 'wasm').catch(() => false);
    })());
  return {
    async warm(loadOpts) {
      await start(loadOpts).catch(() => undefined);
    },
    async load(sources, loadOpts) {
      try {
        if (extractor) throw new Error('this engine is already loaded');
        await start(loadOpts);
        const loaded = await loadAndTimeBases(sources, loadOpts.forced);
        extractor = loaded.extractor;
        // The weights now live in the backend's memory; the page keeps the files (exports, a reload in the page),
        // so a worker's own copy of the shards (`ownsFiles`: they were cloned to it) is let go, not held twice.
        if (opts.ownsFiles) for (const s of sources) s.files.weights.clear();
        return { ok: true, info: { backend: loaded.backend, timings: loaded.timings, threads: loaded.threads } };
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        return { ok: false, name: e.name, message: e.message, code: err instanceof GlanceError ? err.code : undefined, say: err instanceof GlanceError ? err.say : undefined };
      }
    },
    async embed(crops) {
      if (!extractor) throw new Error('The image model is not loaded.');
      // Made into tensors once here, not once per base of a combination; a crop of the wrong size is refused.
      const tensors: tf.Tensor3D[] = [];
      try {
        for (const c of crops) tensors.push(cropTensor(c));
        const out = await extractor.embed(tensors);
        return transfer(out, out.map((e) => e.buffer as ArrayBuffer));
      } finally {
        tf.dispose(tensors);
      }
    },
    dispose() {
      extractor?.dispose();
      extractor = null;
    },
  };
}
