/**
 * Benchmark page for the reference: the real `@teachablemachine/image` 0.8.5 browser bundle running on its pinned
 * `@tensorflow/tfjs` 1.3.1 (installed as the `tfjs-13` alias), both loaded as the UMD scripts a TM user puts in
 * a page. Its MobileNetV2 0.35 base is fetched from TM's hard-coded storage.googleapis.com URL, which the bench
 * driver answers from ../shared/models (Playwright route). Exposed on `window.tmBench`.
 */
import tfUrl from 'tfjs-13/dist/tf.min.js?url';
import tmUrl from '@teachablemachine/image/dist/teachablemachine-image.min.js?url';
import type { TmBenchApi } from './api';
import { argmax, closeCamera, latencySummary, liveLoop, loadImageElement, longTasksBetween, observeLongTasks } from './common';

observeLongTasks();

/** The few tfjs 1.3.1 calls this page makes (the global `tf` of its UMD bundle). */
interface Tensor {
  shape: number[];
  data(): Promise<Float32Array>;
  dispose(): void;
  toFloat(): Tensor;
  div(x: Tensor): Tensor;
  sub(x: Tensor): Tensor;
}
interface Tf13 {
  version: { tfjs: string };
  getBackend(): string;
  ready(): Promise<void>;
  memory(): { numTensors: number; numBytes: number };
  tidy<T>(fn: () => T): T;
  scalar(v: number): Tensor;
  stack(ts: Tensor[]): Tensor;
  tensor2d(values: Float32Array, shape: [number, number]): Tensor;
  browser: { fromPixels(img: HTMLImageElement | HTMLCanvasElement): Tensor };
}
interface LayersModel {
  predict(x: Tensor): Tensor;
}
interface TeachableMobileNet {
  examples: Float32Array[][];
  trainingModel: LayersModel;
  truncatedModel: LayersModel;
  setLabels(labels: string[]): void;
  setSeed(seed: string): void;
  addExample(classIndex: number, image: HTMLImageElement | HTMLCanvasElement): Promise<void>;
  train(params: { denseUnits: number; epochs: number; learningRate: number; batchSize: number }, callbacks?: { onEpochEnd?: (epoch: number, logs: Record<string, number>) => void }): Promise<unknown>;
  predict(image: HTMLCanvasElement, flipped?: boolean): Promise<{ className: string; probability: number }[]>;
  save(url: string): Promise<unknown>;
}
interface TmWebcam {
  canvas: HTMLCanvasElement;
  webcam: HTMLVideoElement;
  setup(): Promise<void>;
  play(): Promise<void>;
  update(): void;
  stop(): void;
}
interface TmImage {
  version: string;
  createTeachable(metadata: Record<string, unknown>, options: { version: number; alpha: number }): Promise<TeachableMobileNet>;
  load(model: string, metadata: Record<string, unknown>): Promise<{ predict(image: HTMLCanvasElement, flipped?: boolean): Promise<unknown> }>;
  Webcam: new (width: number, height: number, flip: boolean) => TmWebcam;
}
declare global {
  interface Window {
    tf?: Tf13;
    tmImage?: TmImage;
  }
}

/** Where a trained TM model is saved for the cold-start run (TM's own `save`, tfjs's IndexedDB handler). */
const SAVED = 'indexeddb://glance-bench-tm';
/** Teachable Machine's web app defaults. */
const TM_TRAINING = { denseUnits: 100, epochs: 50, learningRate: 0.001, batchSize: 16 };

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

async function loadLibraries(): Promise<{ tf: Tf13; tmImage: TmImage }> {
  if (!window.tf) await loadScript(tfUrl);
  if (!window.tmImage) await loadScript(tmUrl);
  if (!window.tf || !window.tmImage) throw new Error('tfjs 1.3.1 or @teachablemachine/image did not load');
  return { tf: window.tf, tmImage: window.tmImage };
}

let tm: TeachableMobileNet | null = null;
let webcam: TmWebcam | null = null;
const images = new Map<string, HTMLImageElement>();
/** TM's base's own vectors (addExample, embedBatched), and vectors imported from the Glance page, by image URL. */
const own = new Map<string, Float32Array>();
const embeddings = new Map<string, Float32Array>();
let labels: string[] = [];

function need<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} first`);
  return value;
}

/** TM's own `capture` (utils/tf.ts), which its UMD bundle does not export: [H,W,3] 0–255 → [H,W,3] x/127 − 1. */
function capture(tf: Tf13, img: HTMLImageElement): Tensor {
  return tf.tidy(() => tf.browser.fromPixels(img).toFloat().div(tf.scalar(127)).sub(tf.scalar(1)));
}

const bench: TmBenchApi = {
  /** Loads the libraries and TM's MobileNetV2 0.35 base exactly as TM's trainer does (`createTeachable`). */
  async init(classes: string[]) {
    const t0 = performance.now();
    const { tf, tmImage } = await loadLibraries();
    await tf.ready();
    tm = await tmImage.createTeachable({ tfjsVersion: tf.version.tfjs, imageSize: 224 }, { version: 2, alpha: 0.35 });
    labels = classes;
    tm.setLabels(classes);
    // Seeded so the split, batch order and initial weights repeat from run to run (TM's own setSeed).
    tm.setSeed('glance-bench');
    return { backend: tf.getBackend(), tfjs: tf.version.tfjs, tmImage: tmImage.version, loadMs: performance.now() - t0 };
  },

  async loadImages(urls: string[]) {
    for (const url of urls) if (!images.has(url)) images.set(url, await loadImageElement(url));
    return images.size;
  },

  /** TM's `addExample` (capture → base → dataSync), one image per call: the only way TM adds examples. */
  async addExamples(items: [string, number][]) {
    const m = need(tm, 'init');
    const perCall: number[] = [];
    const t0 = performance.now();
    for (const [url, label] of items) {
      const s = performance.now();
      await m.addExample(label, need(images.get(url) ?? null, `loadImages(${url})`));
      perCall.push(performance.now() - s);
      own.set(url, m.examples[label][m.examples[label].length - 1]);
    }
    const ms = performance.now() - t0;
    return { n: items.length, batchSize: 1, ms, imagesPerSec: (items.length * 1000) / ms, msPerImage: ms / items.length, perCall: latencySummary(perCall) };
  },

  /**
   * TM's base on `batchSize` images per forward pass (TM's capture, then its truncated model; TM itself never
   * batches). Keeps the embeddings, e.g. of the test images for accuracy.
   */
  async embedBatched(urls: string[], batchSize: number) {
    const m = need(tm, 'init');
    const tf = need(window.tf ?? null, 'init');
    const t0 = performance.now();
    for (let i = 0; i < urls.length; i += batchSize) {
      const chunk = urls.slice(i, i + batchSize);
      const out = tf.tidy(() => m.truncatedModel.predict(tf.stack(chunk.map((u) => capture(tf, need(images.get(u) ?? null, u))))));
      const data = await out.data();
      const d = out.shape[1];
      out.dispose();
      chunk.forEach((u, j) => own.set(u, data.slice(j * d, (j + 1) * d)));
    }
    const ms = performance.now() - t0;
    return { n: urls.length, batchSize, ms, imagesPerSec: (urls.length * 1000) / ms, msPerImage: ms / urls.length };
  },

  async importEmbeddings(entries) {
    for (const [u, values] of entries) embeddings.set(u, Float32Array.from(values));
    return embeddings.size;
  },

  async compareEmbeddings() {
    let maxAbsDiff = 0;
    let minCosine = 1;
    let n = 0;
    for (const [u, a] of own) {
      const b = embeddings.get(u);
      if (!b) continue;
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let i = 0; i < a.length; i++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[i] - b[i]));
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
      }
      minCosine = Math.min(minCosine, dot / Math.sqrt(na * nb));
      n++;
    }
    return { n, maxAbsDiff, minCosine };
  },

  async addEmbedded(items) {
    const m = need(tm, 'init');
    for (const [u, label] of items) m.examples[label].push(need(embeddings.get(u) ?? null, `embedBatched(${u})`));
    return m.examples.reduce((n, e) => n + e.length, 0);
  },

  /** TM's `train` with its web app's defaults (or `epochs`), then accuracy on the test images. */
  async train(spec: { test: [string, number][]; epochs?: number }) {
    const m = need(tm, 'init');
    const tf = need(window.tf ?? null, 'init');
    const history: Record<string, number>[] = [];
    const t0 = performance.now();
    await m.train({ ...TM_TRAINING, epochs: spec.epochs ?? TM_TRAINING.epochs }, { onEpochEnd: (_e, logs) => void history.push({ ...logs }) });
    const t1 = performance.now();
    const longTasks = await longTasksBetween(t0, t1);
    let testAcc: number | null = null;
    if (spec.test.length > 0) {
      const d = need(embeddings.get(spec.test[0][0]) ?? null, 'importEmbeddings(test)').length;
      const flat = new Float32Array(spec.test.length * d);
      spec.test.forEach(([u], i) => flat.set(need(embeddings.get(u) ?? null, u), i * d));
      const probs = tf.tidy(() => m.trainingModel.predict(tf.tensor2d(flat, [spec.test.length, d])));
      const p = await probs.data();
      const k = probs.shape[1];
      probs.dispose();
      testAcc = spec.test.filter(([, label], i) => argmax(p.subarray(i * k, (i + 1) * k)) === label).length / spec.test.length;
    }
    const last = history.at(-1) ?? {};
    await m.save(SAVED);
    localStorage.setItem('glance-bench-tm-labels', JSON.stringify(labels));
    return {
      ms: t1 - t0,
      epochs: history.length,
      finalValAcc: last.val_acc ?? last.val_accuracy ?? null,
      finalAcc: last.acc ?? last.accuracy ?? null,
      testAcc,
      testN: spec.test.length,
      longTasks: { count: longTasks.count, longestMs: longTasks.longestMs, totalMs: longTasks.totalMs },
      params: { ...TM_TRAINING, epochs: spec.epochs ?? TM_TRAINING.epochs },
    };
  },

  /** TM's Webcam helper (200×200, flipped), as in TM's export snippet. */
  async openCamera() {
    const { tmImage } = await loadLibraries();
    webcam = new tmImage.Webcam(200, 200, true);
    await webcam.setup();
    await webcam.play();
    return { width: webcam.webcam.videoWidth, height: webcam.webcam.videoHeight };
  },

  /** TM's export snippet loop: webcam.update(), then await model.predict(webcam.canvas), once per frame. */
  async live(seconds: number) {
    const m = need(tm, 'init');
    const w = need(webcam, 'openCamera');
    const predict = async () => {
      w.update();
      return m.predict(w.canvas);
    };
    for (let i = 0; i < 3; i++) await predict();
    return liveLoop(seconds, predict);
  },

  /** tf.memory() around up to `n` predictions, stopping early after `maxMs` (TM is slow). */
  async memory(n: number, maxMs: number) {
    const m = need(tm, 'init');
    const w = need(webcam, 'openCamera');
    const tf = need(window.tf ?? null, 'init');
    for (let i = 0; i < 3; i++) {
      w.update();
      await m.predict(w.canvas);
    }
    const before = tf.memory();
    const t0 = performance.now();
    let done = 0;
    while (done < n && performance.now() - t0 < maxMs) {
      w.update();
      await m.predict(w.canvas);
      done++;
    }
    const ms = performance.now() - t0;
    const after = tf.memory();
    return { predictions: done, requested: n, ms, before: { numTensors: before.numTensors, numBytes: before.numBytes }, after: { numTensors: after.numTensors, numBytes: after.numBytes } };
  },

  closeCamera() {
    if (webcam) {
      webcam.stop();
      closeCamera(webcam.webcam);
    }
    webcam = null;
  },

  /** Holds `n` examples in TM's own store (`examples[class]`, one 1280-d Float32Array each, as addExample keeps them). */
  async holdSamples(n: number) {
    const m = need(tm, 'init');
    m.setLabels(labels);
    for (let i = 0; i < n; i++) {
      const e = new Float32Array(1280);
      for (let j = 0; j < e.length; j++) e[j] = Math.random();
      m.examples[i % labels.length].push(e);
    }
    return { held: n, floatsPerSample: 1280 };
  },

  releaseSamples() {
    need(tm, 'init').setLabels(labels);
  },
};

/**
 * Cold start (`?cold`): from navigation to the first live prediction, with a TM model trained earlier in this
 * browser (saved by `train`) — the path of a TM user's page: load the libraries, `tmImage.load`, Webcam, predict.
 */
async function coldStart(): Promise<void> {
  try {
    const { tmImage } = await loadLibraries();
    const saved = JSON.parse(localStorage.getItem('glance-bench-tm-labels') ?? '[]') as string[];
    const model = await tmImage.load(SAVED, { labels: saved, tfjsVersion: window.tf?.version.tfjs ?? '', imageSize: 224 });
    const cam = new tmImage.Webcam(200, 200, true);
    await cam.setup();
    await cam.play();
    cam.update();
    await model.predict(cam.canvas);
    window.tmCold = { firstPredictionMs: performance.now() };
    cam.stop();
  } catch (err) {
    window.tmCold = { error: err instanceof Error ? err.message : String(err) };
  }
}

window.tmBench = bench;
if (new URLSearchParams(location.search).has('cold')) void coldStart();
document.title = 'TM benchmark (ready)';
