import * as tf from '@tensorflow/tfjs';
import { releaseProxy, transfer, wrap, type Endpoint } from 'comlink';
import { GlanceError, ModelLoadError } from './errors';
import type { Embedder } from './featureExtractor';
import { describeSources, type BaseSource } from './multiBase';
import { checkedCropPixels, PREPROCESS, type Crop, type CropPixels } from './preprocess';
import type { EngineInfo, EngineLoadOptions, EngineLoadResult, EngineService } from './engineService';

/**
 * The frozen bases in a dedicated module Worker (`engineWorker.ts`), so the page's thread only draws, stores and
 * makes the crops the image worker does not (camera frames, stored thumbnails embedded again). Each 224×224 crop (the one `cropAndResize`, made in the page or, for uploads, in the image
 * worker) reaches it as pixels, transferred, not copied, and the embeddings come back transferred too; the head stays
 * in the page. Comlink carries the calls.
 */

/** The part of a Worker the client uses; a MessagePort stands in for it in tests. */
export interface EngineWorkerLike extends Endpoint {
  terminate(): void;
}

/**
 * The engine worker could not be used: no module workers, a blocked or missing script, or it died before it had
 * loaded the bases. The caller runs the bases in the page instead.
 */
export class EngineWorkerUnavailableError extends GlanceError {
  constructor(why: string) {
    super('model-load-failed', `The engine worker could not be used (${why}).`);
    this.name = 'EngineWorkerUnavailableError';
  }
}

/** Makes the real worker; Vite bundles `engineWorker.ts` as a module worker. */
export function createEngineWorker(): EngineWorkerLike {
  return new Worker(new URL('./engineWorker.ts', import.meta.url), { type: 'module', name: 'glance-engine' });
}

export interface EngineWorkerOptions extends EngineLoadOptions {
  createWorker?: () => EngineWorkerLike;
  /** Hears once that the worker died after it had loaded; every call in flight or made later rejects with `err`. */
  onFailure?: (err: Error) => void;
}

/** A started engine worker: the bases behind the `Embedder` interface, and how the worker chose its backend. */
export interface WorkerEngine {
  embedder: Embedder;
  info: EngineInfo;
}

function loadError(result: Extract<EngineLoadResult, { ok: false }>): Error {
  if (result.code === 'model-load-failed') return new ModelLoadError(result.message, { say: result.say });
  if (result.code) return new GlanceError(result.code, result.message, { say: result.say });
  return new ModelLoadError(`The image model could not be loaded (${result.message}). Reload the page; if it keeps failing, try another browser or add ?backend=cpu to the address.`);
}

/** A crop's pixels, for the worker to take: pixels made on another thread as they are, a tensor's read out of it. */
async function cropPixels(crop: Crop): Promise<CropPixels> {
  const size = PREPROCESS.imageSize;
  if (crop instanceof Float32Array) return checkedCropPixels(crop);
  const [h, w, c] = crop.shape;
  if (h !== size || w !== size || c !== 3) throw new Error(`embed expects [${size}, ${size}, 3] crops from cropAndResize, got [${crop.shape.join(', ')}].`);
  const data = await crop.data();
  // The worker takes the buffer. WASM's data() is already a fresh copy of float32 crops (one less 600 KB buffer per
  // image to collect); elsewhere (cpu hands out the tensor's own storage, int32 needs converting) make one.
  return data instanceof Float32Array && tf.getBackend() === 'wasm' ? data : new Float32Array(data);
}

/**
 * Starts the engine worker and loads `sources` in it (their files are copied over once; the page keeps its own
 * for the exports). Given as a promise (the files still downloading), the worker starts its backend meanwhile.
 * Resolves once the worker has picked its backend. A `sources` that rejects rejects with its own error.
 * @throws EngineWorkerUnavailableError when the worker cannot start or dies while loading (run in the page then);
 *   the load's own error (ModelLoadError, GlanceError 'backend-failed') when the bases cannot run there.
 */
export async function loadEngineInWorker(sourcesOrPending: readonly BaseSource[] | Promise<readonly BaseSource[]>, opts: EngineWorkerOptions): Promise<WorkerEngine> {
  let worker: EngineWorkerLike;
  try {
    worker = (opts.createWorker ?? createEngineWorker)();
  } catch (err) {
    throw new EngineWorkerUnavailableError(err instanceof Error ? err.message : String(err));
  }
  const remote = wrap<EngineService>(worker);
  const pending = new Set<(err: Error) => void>();
  let failure: Error | null = null;
  let loaded = false;
  const close = () => {
    remote[releaseProxy]();
    worker.terminate();
  };
  // Comlink never settles a call whose worker is gone: every call is tracked here and rejected when that happens.
  const guarded = <T>(call: () => Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      pending.add(reject);
      call().then(resolve, reject).finally(() => pending.delete(reject));
    });
  };
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    pending.forEach((reject) => reject(err));
    pending.clear();
    close();
    if (loaded) opts.onFailure?.(err);
  };
  worker.addEventListener('error', (event) => {
    const message = (event as ErrorEvent).message || 'it stopped';
    fail(loaded ? new GlanceError('backend-failed', `The image model's worker stopped (${message}).`) : new EngineWorkerUnavailableError(message));
  });
  worker.addEventListener('messageerror', () => fail(new EngineWorkerUnavailableError('its answer could not be read')));

  const loadOpts = { wasmPaths: opts.wasmPaths, forced: opts.forced };
  // Not awaited: the backend starts while the files download; a worker that dies meanwhile fails the load below.
  void guarded(() => remote.warm(loadOpts)).catch(() => undefined);
  let sources: readonly BaseSource[];
  try {
    sources = await sourcesOrPending;
  } catch (err) {
    fail(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  let result: EngineLoadResult;
  try {
    result = await guarded(() => remote.load([...sources], loadOpts) as Promise<EngineLoadResult>);
  } catch (err) {
    fail(err instanceof Error ? err : new Error(String(err)));
    throw err instanceof EngineWorkerUnavailableError ? err : new EngineWorkerUnavailableError(err instanceof Error ? err.message : String(err));
  }
  if (!result.ok) {
    const err = loadError(result);
    fail(err);
    throw err;
  }
  loaded = true;
  const embedder: Embedder = {
    ...describeSources(sources),
    // One batch computed while the next one's pixels are read and posted: the worker never waits for the page.
    concurrency: 2,
    async embed(images) {
      if (images.length === 0) return [];
      const crops = await Promise.all(images.map(cropPixels));
      return guarded(() => remote.embed(transfer(crops, crops.map((c) => c.buffer as ArrayBuffer))));
    },
    dispose() {
      if (failure) return;
      failure = new Error('The image model was replaced while it was embedding.');
      pending.forEach((reject) => reject(failure!));
      pending.clear();
      close();
    },
  };
  return { embedder, info: result.info };
}
