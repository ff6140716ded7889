/**
 * Benchmark page for Glance: the app's real ml modules (src/ml) and frame capture (src/capture), exposed on
 * `window.glanceBench` for scripts/bench/run.ts to call. Nothing here is app code; it only times it.
 */
import * as tf from '@tensorflow/tfjs';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { grabCrop, readPixels } from '../src/capture/frames';
import { configureWasm, wasmThreadCount } from '../src/ml/backend';
import { Classifier } from '../src/ml/classifier';
import { EMBED_BATCH_SIZE, loadExtractor, TM_MOBILENET_V2_035, type FeatureExtractor } from '../src/ml/featureExtractor';
import { BASE_MODEL_FOLDERS, DEFAULT_BASES, DEFAULT_BASE_ID, loadExtractors } from '../src/ml/multiBase';
import { transformEmbeddings } from '../src/ml/head';
import { fetchModelFiles } from '../src/ml/modelFiles';
import { trainHead, type TrainingExample, type TrainOptions, type TrainResult } from '../src/ml/trainer';
import { trainHeadInWorker } from '../src/ml/trainInWorker';
import { loadEngineInWorker } from '../src/ml/engineClient';
import type { GlanceBenchApi } from './api';
import { argmax, closeCamera, liveLoop, loadBitmap, longTasksBetween, observeLongTasks, openCamera } from './common';

observeLongTasks();

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};
const MODEL_ROOT = `${import.meta.env.BASE_URL}models/`;

let extractor: FeatureExtractor | null = null;
let classifier: Classifier | null = null;
let video: HTMLVideoElement | null = null;
const bitmaps = new Map<string, ImageBitmap>();
const embeddings = new Map<string, Float32Array>();
let held: unknown[] = [];

function need<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} first`);
  return value;
}

/** One live prediction as the app's camera loop makes it (readPixels → predictPixels, mirrored), after 3 warm-up runs. */
async function warmedLivePredict(c: Classifier, v: HTMLVideoElement) {
  const predict = async () => {
    const pixels = readPixels(v);
    try {
      return await c.predictPixels(pixels, true);
    } finally {
      pixels.dispose();
    }
  };
  for (let i = 0; i < 3; i++) await predict();
  return predict;
}

/** Largest gap between animation frames while `work` runs: what a person would see as a stall. */
async function withFrameGaps<T>(work: () => Promise<T>): Promise<{ value: T; maxFrameGapMs: number; frames: number }> {
  let running = true;
  let last = performance.now();
  let maxGap = 0;
  let frames = 0;
  const frame = (now: number) => {
    maxGap = Math.max(maxGap, now - last);
    last = now;
    frames++;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  try {
    const value = await work();
    return { value, maxFrameGapMs: maxGap, frames };
  } finally {
    running = false;
  }
}

const bench: GlanceBenchApi = {
  /** Loads the app's default bases on `backend` (as startEngine does) and warms them up. */
  async init(backend: 'wasm' | 'webgl' | 'cpu') {
    const t0 = performance.now();
    configureWasm(WASM_PATHS);
    if (!(await tf.setBackend(backend))) throw new Error(`${backend} backend not available`);
    await tf.ready();
    const sources = await Promise.all(
      DEFAULT_BASES.map(async (base) => ({ base, files: await fetchModelFiles(`${MODEL_ROOT}${BASE_MODEL_FOLDERS[base.id]}/model.json`) })),
    );
    extractor = await loadExtractors(sources);
    const loadMs = performance.now() - t0;
    const probe = tf.zeros([1, 224, 224, 3]) as tf.Tensor4D;
    const t1 = performance.now();
    for (let i = 0; i < 2; i++) {
      const e = extractor.embedBatch(probe);
      await e.data();
      e.dispose();
    }
    probe.dispose();
    return { backend: tf.getBackend(), loadMs, warmupMs: performance.now() - t1, embedBatchSize: EMBED_BATCH_SIZE, tfjs: tf.version.tfjs, wasmThreads: wasmThreadCount() };
  },

  async loadImages(urls: string[]) {
    for (const url of urls) if (!bitmaps.has(url)) bitmaps.set(url, await loadBitmap(url));
    return bitmaps.size;
  },

  /**
   * Decoded image → embedding, the upload path (grabCrop, then FeatureExtractor.embed) with `batchSize` images per
   * forward pass. Embeddings are kept for `train`.
   */
  async embed(urls: string[], batchSize: number) {
    const ex = need(extractor, 'init');
    const t0 = performance.now();
    for (let i = 0; i < urls.length; i += batchSize) {
      const chunk = urls.slice(i, i + batchSize);
      const crops = chunk.map((u) => grabCrop(need(bitmaps.get(u) ?? null, `loadImages(${u})`), false));
      try {
        const out = await ex.embed(crops);
        chunk.forEach((u, j) => embeddings.set(u, out[j]));
      } finally {
        tf.dispose(crops);
      }
    }
    const ms = performance.now() - t0;
    return { n: urls.length, batchSize, ms, imagesPerSec: (urls.length * 1000) / ms, msPerImage: ms / urls.length };
  },

  /**
   * Trains the head on stored embeddings, on the main thread (`trainHead`, which yields between batches) or in
   * a Web Worker (`trainHeadInWorker`); reports time, long tasks, frame gaps and accuracy on the test images.
   */
  async train(spec) {
    const ex = need(extractor, 'init');
    const examples: TrainingExample[] = spec.train.map(([u, label]) => ({ embedding: need(embeddings.get(u) ?? null, `embed(${u})`), label }));
    const opts: TrainOptions = { examples, numClasses: spec.numClasses, config: spec.config };
    const run = () => (spec.runner === 'worker' ? trainHeadInWorker(opts, { backend: spec.workerBackend, wasmPaths: WASM_PATHS }) : trainHead(opts));
    const t0 = performance.now();
    const { value: result, maxFrameGapMs, frames } = await withFrameGaps<TrainResult>(run);
    const t1 = performance.now();
    const longTasks = await longTasksBetween(t0, t1);
    const testAcc = await accuracy(result, spec.test);
    classifier?.dispose();
    classifier = new Classifier(ex, result.model, result.transform, Array.from({ length: spec.numClasses }, (_, i) => `class ${i}`));
    const best = result.history[result.bestEpoch - 1];
    return {
      runner: spec.runner,
      workerBackend: spec.runner === 'worker' ? (spec.workerBackend ?? 'cpu') : null,
      mainBackend: tf.getBackend(),
      ms: t1 - t0,
      epochs: result.history.length,
      bestEpoch: result.bestEpoch,
      bestValAcc: best?.valAcc ?? null,
      testAcc,
      testN: spec.test.length,
      longTasks: { count: longTasks.count, longestMs: longTasks.longestMs, totalMs: longTasks.totalMs },
      maxFrameGapMs,
      frames,
    };
  },

  async openCamera() {
    video = await openCamera();
    return { width: video.videoWidth, height: video.videoHeight };
  },

  /** Live prediction as the app's camera loop does it (readPixels → Classifier.predictPixels, mirrored). */
  async live(seconds: number) {
    const c = need(classifier, 'train');
    const v = need(video, 'openCamera');
    return liveLoop(seconds, await warmedLivePredict(c, v));
  },

  async liveInWorker(seconds: number) {
    const c = need(classifier, 'train');
    const v = need(video, 'openCamera');
    const sources = await Promise.all(
      DEFAULT_BASES.map(async (base) => ({ base, files: await fetchModelFiles(`${MODEL_ROOT}${BASE_MODEL_FOLDERS[base.id]}/model.json`) })),
    );
    const { embedder, info } = await loadEngineInWorker(sources, { wasmPaths: WASM_PATHS, forced: 'wasm' });
    try {
      const predict = await warmedLivePredict(new Classifier(embedder, c.head, c.transform, [...c.labels]), v);
      const t0 = performance.now();
      const result = await liveLoop(seconds, predict);
      return { ...result, longTasks: await longTasksBetween(t0, performance.now()), workerThreads: info.threads };
    } finally {
      embedder.dispose();
    }
  },

  /** tf.memory() before and after `n` live predictions (after a warm-up), stopping early after `maxMs`. */
  async memory(n: number, maxMs: number) {
    const c = need(classifier, 'train');
    const v = need(video, 'openCamera');
    const once = async () => {
      const pixels = readPixels(v);
      try {
        await c.predictPixels(pixels, true);
      } finally {
        pixels.dispose();
      }
    };
    for (let i = 0; i < 5; i++) await once();
    const before = tf.memory();
    const t0 = performance.now();
    let done = 0;
    while (done < n && performance.now() - t0 < maxMs) {
      await once();
      done++;
    }
    const ms = performance.now() - t0;
    const after = tf.memory();
    return { predictions: done, requested: n, ms, before: { numTensors: before.numTensors, numBytes: before.numBytes }, after: { numTensors: after.numTensors, numBytes: after.numBytes } };
  },

  closeCamera() {
    if (video) closeCamera(video);
    video = null;
  },

  /**
   * Holds `n` samples as the app does (src/store/samples.ts: ids, a JPEG Blob and an embedding Float32Array (1792-d with the default bases)
   * each; the Blob's bytes live outside the JS heap). The driver measures the heap around this.
   */
  async holdSamples(n: number) {
    const size = need(extractor, 'init').base.embeddingSize;
    const jpeg = new Blob([new Uint8Array(8 * 1024)], { type: 'image/jpeg' });
    held = Array.from({ length: n }, (_, i) => {
      const embedding = new Float32Array(size);
      for (let j = 0; j < size; j++) embedding[j] = Math.random();
      return { id: `sample-${i}`, classId: `class-${i % 3}`, jpeg, url: `blob:bench/${i}`, embedding, baseId: DEFAULT_BASE_ID };
    });
    return { held: held.length, floatsPerSample: size };
  },

  releaseSamples() {
    held = [];
  },

  async exportEmbeddings(urls) {
    return urls.map((u) => Array.from(need(embeddings.get(u) ?? null, `embed(${u})`)));
  },

  async embedTmBase(modelUrl, urls) {
    const tmBase = await loadExtractor(await fetchModelFiles(modelUrl), TM_MOBILENET_V2_035);
    try {
      const out: number[][] = [];
      const t0 = performance.now();
      for (let i = 0; i < urls.length; i += EMBED_BATCH_SIZE) {
        const crops = urls.slice(i, i + EMBED_BATCH_SIZE).map((u) => grabCrop(need(bitmaps.get(u) ?? null, `loadImages(${u})`), false));
        try {
          for (const e of await tmBase.embed(crops)) out.push(Array.from(e));
        } finally {
          tf.dispose(crops);
        }
      }
      const ms = performance.now() - t0;
      return { n: urls.length, batchSize: EMBED_BATCH_SIZE, ms, imagesPerSec: (urls.length * 1000) / ms, msPerImage: ms / urls.length, embeddings: out };
    } finally {
      tmBase.dispose();
    }
  },

  async importEmbeddings(entries) {
    for (const [u, values] of entries) embeddings.set(u, Float32Array.from(values));
    return embeddings.size;
  },
};

async function accuracy(result: TrainResult, test: [string, number][]): Promise<number | null> {
  if (test.length === 0) return null;
  const size = result.model.inputs[0].shape[1] as number;
  const flat = new Float32Array(test.length * size);
  test.forEach(([u], i) => flat.set(need(embeddings.get(u) ?? null, `embed(${u})`), i * size));
  const probs = tf.tidy(() => result.model.predict(transformEmbeddings(tf.tensor2d(flat, [test.length, size]), result.transform)) as tf.Tensor2D);
  const data = await probs.data();
  probs.dispose();
  const k = probs.shape[1];
  let right = 0;
  test.forEach(([, label], i) => {
    if (argmax(data.subarray(i * k, (i + 1) * k)) === label) right++;
  });
  return right / test.length;
}

window.glanceBench = bench;
document.title = 'Glance ML benchmark (ready)';
