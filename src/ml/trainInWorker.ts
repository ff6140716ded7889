import * as tf from '@tensorflow/tfjs';
import { GlanceError, NotEnoughDataError, type GlanceErrorCode } from './errors';
import { DEFAULT_TRAINING, buildHead, type TrainingConfig } from './head';
import { trainHead, type EpochReport, type TrainOptions, type TrainResult, type TrainingExample } from './trainer';

/**
 * Training the head off the main thread: `trainHeadInWorker` has `trainHead`'s signature and result, but the
 * epochs run in a Web Worker (`trainWorker.ts`), so the page never sees a long task while training. The worker
 * gets the embeddings (copied), trains with the same `trainHead`, and sends back the best weights; the client
 * rebuilds the same head around them.
 */

/** The part of a Worker the client uses; a MessagePort wrapper stands in for it in tests. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
  terminate(): void;
}

/**
 * The training worker could not be used: it failed to load (a blocked or missing script, no module workers), died
 * before answering, or sent a message that could not be read. The caller trains on the main thread instead.
 */
export class TrainWorkerUnavailableError extends GlanceError {
  constructor(why: string) {
    super('training-failed', `The training worker could not be used (${why}).`);
    this.name = 'TrainWorkerUnavailableError';
  }
}

/** The part of the worker's global scope (or a MessagePort) that `serveTraining` uses. */
export interface TrainingPort {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Backends the worker may train on; `undefined` keeps whatever tfjs picked. */
export type WorkerBackend = 'cpu' | 'wasm' | 'webgl';

interface TrainRequest {
  type: 'train';
  examples: TrainingExample[];
  numClasses: number;
  config?: Partial<TrainingConfig>;
  wantBatches: boolean;
  backend?: WorkerBackend;
  /** For the wasm backend: where its .wasm files are (see `configureWasm`). */
  wasmPaths?: Record<string, string>;
}

interface SerializedWeights {
  shape: number[];
  values: Float32Array;
}

type ToClient =
  | { type: 'epoch'; report: EpochReport }
  | { type: 'batch'; batch: number; batchesPerEpoch: number; epoch: number }
  | { type: 'done'; weights: SerializedWeights[]; result: Omit<TrainResult, 'model'> }
  | { type: 'error'; name: string; message: string; code?: GlanceErrorCode };

type ToWorker = TrainRequest | { type: 'abort' };

/**
 * The worker side: answers one `train` request on `port` with progress messages and then `done` (the best
 * weights, transferred) or `error`. An `abort` message stops training as `trainHead`'s AbortSignal would.
 */
export function serveTraining(port: TrainingPort, configure?: (request: { backend?: WorkerBackend; wasmPaths?: Record<string, string> }) => void): void {
  const abort = new AbortController();
  const send = (message: ToClient, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = (event: MessageEvent) => {
    const message = event.data as ToWorker;
    if (message.type === 'abort') abort.abort();
    else {
      configure?.(message);
      void train(message, abort.signal, send);
    }
  };
}

async function train(request: TrainRequest, signal: AbortSignal, send: (m: ToClient, t?: Transferable[]) => void): Promise<void> {
  try {
    // A backend that does not start here (e.g. wasm without its files) falls back to cpu: slower, same result.
    if (request.backend && tf.getBackend() !== request.backend && !(await tf.setBackend(request.backend).catch(() => false))) await tf.setBackend('cpu');
    await tf.ready();
    const { model, ...result } = await trainHead({
      examples: request.examples,
      numClasses: request.numClasses,
      config: request.config,
      signal,
      onEpoch: (report) => send({ type: 'epoch', report }),
      onBatch: request.wantBatches ? (batch, batchesPerEpoch, epoch) => send({ type: 'batch', batch, batchesPerEpoch, epoch }) : undefined,
    });
    let weights: SerializedWeights[];
    try {
      weights = await Promise.all(model.getWeights().map(async (w) => ({ shape: w.shape, values: (await w.data()) as Float32Array })));
    } finally {
      model.dispose();
    }
    send({ type: 'done', weights, result }, weights.map((w) => w.values.buffer as ArrayBuffer));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    send({ type: 'error', name: e.name, message: e.message, code: err instanceof GlanceError ? err.code : undefined });
  }
}

function errorFrom(message: Extract<ToClient, { type: 'error' }>): Error {
  if (message.name === 'AbortError') return new DOMException(message.message, 'AbortError');
  if (message.code === 'not-enough-data') return new NotEnoughDataError(message.message);
  if (message.code) return new GlanceError(message.code, message.message);
  return new GlanceError('training-failed', `Training failed (${message.message}). Train again; if it keeps failing, reload the page.`);
}

/** Rebuilds the head `trainHead` would have returned from the worker's weights. */
function rebuild(opts: TrainOptions, weights: SerializedWeights[]): tf.LayersModel {
  const config: TrainingConfig = { ...DEFAULT_TRAINING, ...opts.config };
  const model = buildHead(opts.examples[0].embedding.length, opts.numClasses, config);
  const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return model;
}

/** Makes the real worker; Vite bundles `trainWorker.ts` as a module worker. */
export function createTrainWorker(): WorkerLike {
  return new Worker(new URL('./trainWorker.ts', import.meta.url), { type: 'module', name: 'glance-train' });
}

/** Options beyond `trainHead`'s: which worker to use and which backend it trains on. */
export interface WorkerTrainOptions {
  createWorker?: () => WorkerLike;
  /**
   * Default: 'wasm' when `wasmPaths` is given, else 'cpu'. On 3 × 140 rps-webcam examples wasm trained the default
   * head in about the main thread's time and cpu took 4× longer (docs/bench-results.md).
   */
  backend?: WorkerBackend;
  /** The .wasm file URLs, as given to `configureWasm` (the worker cannot see the page's Vite asset URLs). */
  wasmPaths?: Record<string, string>;
}

/**
 * `trainHead` in a Web Worker: same options, callbacks and result (the best epoch's head, uncompiled, owned by
 * the caller), same errors (NotEnoughDataError, GlanceError, AbortError before the first epoch). Preconditions
 * are checked by the same code, in the worker. The worker is terminated when training ends.
 */
export function trainHeadInWorker(opts: TrainOptions, workerOpts: WorkerTrainOptions = {}): Promise<TrainResult> {
  if (opts.signal?.aborted) return Promise.reject(new DOMException('Training stopped before the first epoch finished', 'AbortError'));
  let worker: WorkerLike;
  try {
    worker = (workerOpts.createWorker ?? createTrainWorker)();
  } catch (err) {
    return Promise.reject(new TrainWorkerUnavailableError(err instanceof Error ? err.message : String(err)));
  }
  return new Promise<TrainResult>((resolve, reject) => {
    let heard = false;
    const onAbort = () => worker.postMessage({ type: 'abort' } satisfies ToWorker);
    const finish = () => {
      opts.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
    };
    opts.signal?.addEventListener('abort', onAbort);
    worker.onerror = (event) => {
      finish();
      // Before its first word the worker never started (its script did not load): the caller can train here.
      if (!heard) reject(new TrainWorkerUnavailableError(event.message || 'it did not start'));
      else reject(new GlanceError('training-failed', `The training worker failed (${event.message}). Reload the page and train again.`));
    };
    worker.onmessageerror = () => {
      finish();
      reject(new TrainWorkerUnavailableError('its answer could not be read'));
    };
    worker.onmessage = (event: MessageEvent) => {
      heard = true;
      const message = event.data as ToClient;
      if (message.type === 'epoch') opts.onEpoch?.(message.report);
      else if (message.type === 'batch') opts.onBatch?.(message.batch, message.batchesPerEpoch, message.epoch);
      else {
        finish();
        if (message.type === 'error') reject(errorFrom(message));
        else {
          try {
            resolve({ ...message.result, model: rebuild(opts, message.weights) });
          } catch (err) {
            reject(err);
          }
        }
      }
    };
    const request: TrainRequest = {
      type: 'train',
      examples: opts.examples.map(({ embedding, label, augmented }) => ({ embedding, label, augmented })),
      numClasses: opts.numClasses,
      config: opts.config,
      wantBatches: opts.onBatch !== undefined,
      backend: workerOpts.backend ?? (workerOpts.wasmPaths ? 'wasm' : 'cpu'),
      wasmPaths: workerOpts.wasmPaths,
    };
    worker.postMessage(request);
  });
}
