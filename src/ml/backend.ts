import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { fastTransposedMatMulOnWasm } from './wasmMatMul';
import { GlanceError } from './errors';

/** The tfjs backends Glance knows how to choose between. */
export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** What happened when one backend was tried; times are in milliseconds. */
export interface BackendTiming {
  backend: BackendName;
  ok: boolean;
  warmupMs?: number;
  msPerEmbedding?: number;
  error?: string;
}

const BACKENDS: readonly BackendName[] = ['webgl', 'wasm', 'cpu'];

/**
 * Picks the backend to use from measured timings: the fastest working one of webgl and wasm; cpu only when
 * neither works. Pure.
 * @throws GlanceError('backend-failed') when nothing works.
 */
export function chooseBackend(timings: BackendTiming[]): BackendName {
  const working = (name: BackendName) => timings.filter((t) => t.backend === name && t.ok);
  const fast = [...working('webgl'), ...working('wasm')]
    .sort((a, b) => (a.msPerEmbedding ?? Infinity) - (b.msPerEmbedding ?? Infinity));
  if (fast.length > 0) return fast[0].backend;
  if (working('cpu').length > 0) return 'cpu';
  const details = timings.map((t) => `${t.backend}: ${t.error ?? 'failed'}`).join('; ');
  throw new GlanceError(
    'backend-failed',
    `This browser could not run the image model on any backend${details ? ` (${details})` : ''}. Try an up-to-date Chrome, Edge, Firefox or Safari.`,
  );
}

/** Reads `?backend=webgl|wasm|cpu` from a location.search string; anything else is null. */
export function parseForcedBackend(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  return BACKENDS.find((b) => b === value) ?? null;
}

/**
 * True where the WASM backend can run its threaded SIMD build: a cross-origin isolated page or worker (COOP/COEP
 * headers, see vite.config.ts and src/pwa/sw.ts), which is what makes `SharedArrayBuffer` usable. Node says false.
 */
export function canUseWasmThreads(scope: { crossOriginIsolated?: boolean } = globalThis): boolean {
  return scope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

/** Options for `configureWasm`. */
export interface WasmOptions {
  /** false: stay single-threaded even where threads could run. Default true (threads where `canUseWasmThreads`). */
  threads?: boolean;
}

/**
 * Tells the WASM backend where its .wasm files are (e.g. Vite `?url` imports, so nothing is fetched from
 * another origin) and whether it may use threads. The threaded build's workers are made by tfjs from blobs, so they
 * need no file of their own. tfjs computes with half the logical cores (it assumes two hyper-threads per core), at
 * most 8, so a 2-core machine still gets 1 thread (`setThreadsCount` cannot raise that cap). Also makes its
 * transposed matrix products fast (`fastTransposedMatMulOnWasm`). Call before the wasm backend starts.
 */
export function configureWasm(paths?: Record<string, string> | string, options: WasmOptions = {}): void {
  // Where threads may run, tfjs's own feature check decides; elsewhere the flag says no up front (and in Node).
  if (!(options.threads ?? true) || !canUseWasmThreads()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (paths !== undefined) setWasmPaths(paths);
  fastTransposedMatMulOnWasm();
}

/** How many threads the WASM backend computes with (1 = single-threaded), or null before it has started. */
export function wasmThreadCount(): number | null {
  try {
    return getThreadsCount();
  } catch {
    return null;
  }
}

/** Options for `selectBackend`. */
export interface SelectBackendOptions {
  /** From `parseForcedBackend`: try only this one. */
  forced?: BackendName | null;
  /** Backends to measure, in order. Default ['wasm', 'webgl']; cpu is tried only if all of these fail. */
  candidates?: BackendName[];
  /** Runs one embedding and awaits its data. */
  measure: () => Promise<void>;
  /** Timed runs after the warm-up. Default 3. */
  runs?: number;
  onProgress?: (message: string) => void;
}

function messageOfError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Switches to `backend` and times one warm-up plus `runs` measured embeddings. Never throws. */
async function timeBackend(backend: BackendName, measure: () => Promise<void>, runs: number): Promise<BackendTiming> {
  try {
    if (!(await tf.setBackend(backend))) return { backend, ok: false, error: 'not available in this browser' };
    await tf.ready();
    let start = performance.now();
    await measure();
    const warmupMs = performance.now() - start;
    start = performance.now();
    for (let i = 0; i < runs; i++) await measure();
    return { backend, ok: true, warmupMs, msPerEmbedding: (performance.now() - start) / Math.max(1, runs) };
  } catch (err) {
    return { backend, ok: false, error: messageOfError(err) };
  }
}

/**
 * Measures each candidate backend with a short warm-up and a few timed embeddings, then switches tfjs to the
 * fastest that works (see `chooseBackend`). Tensors made on one backend (e.g. the model's weights) move to the
 * next on first use, so the model is loaded once. With `forced`, only that backend is tried.
 * @throws GlanceError('backend-failed') when no backend can run the model.
 */
export async function selectBackend(opts: SelectBackendOptions): Promise<{ backend: BackendName; timings: BackendTiming[] }> {
  const runs = opts.runs ?? 3;
  const candidates = opts.forced ? [opts.forced] : (opts.candidates ?? ['wasm', 'webgl']);
  const timings: BackendTiming[] = [];
  for (const name of candidates) {
    opts.onProgress?.(`Testing the ${name} backend…`);
    timings.push(await timeBackend(name, opts.measure, runs));
  }
  if (!opts.forced && !candidates.includes('cpu') && !timings.some((t) => t.ok)) {
    opts.onProgress?.('Falling back to the cpu backend…');
    timings.push(await timeBackend('cpu', opts.measure, runs));
  }
  if (opts.forced && !timings[0].ok) {
    const detail = timings[0].error ?? 'it did not start';
    throw new GlanceError(
      'backend-failed',
      `The ${opts.forced} backend asked for with ?backend=${opts.forced} does not work here (${detail}). Remove ?backend= from the address to choose automatically.`,
      // The page words it; `detail` also lets it say what failed when the backend was kept for a base switch instead.
      { say: { key: 'errors.backendForced', params: { backend: opts.forced, detail } } },
    );
  }
  const backend = chooseBackend(timings);
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new GlanceError('backend-failed', `Could not switch to the ${backend} backend. Reload the page.`);
  }
  opts.onProgress?.(`Using the ${backend} backend.`);
  return { backend, timings };
}
