/**
 * What the two benchmark pages expose on `window`, shared by the pages (bench/*.ts) and the driver
 * (scripts/bench). Pure types: no imports, so both TypeScript programs can include it.
 */

export interface Throughput {
  n: number;
  batchSize: number;
  ms: number;
  imagesPerSec: number;
  msPerImage: number;
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  mean: number;
}

export interface LongTaskSummary {
  count: number;
  longestMs: number;
  totalMs: number;
}

export interface LiveResult {
  latency: Latency;
  predictionsPerSec: number;
  seconds: number;
}

export interface TensorMemory {
  numTensors: number;
  numBytes: number;
}

export interface MemoryResult {
  predictions: number;
  requested?: number;
  ms: number;
  before: TensorMemory;
  after: TensorMemory;
}

export interface HeldSamples {
  held: number;
  floatsPerSample: number;
}

export interface GlanceTrainSpec {
  train: [string, number][];
  test: [string, number][];
  numClasses: number;
  runner: 'main' | 'worker';
  workerBackend?: 'cpu' | 'wasm' | 'webgl';
  config?: { epochs?: number };
}

export interface GlanceTrainResult {
  runner: 'main' | 'worker';
  workerBackend: string | null;
  mainBackend: string;
  ms: number;
  epochs: number;
  bestEpoch: number;
  bestValAcc: number | null;
  testAcc: number | null;
  testN: number;
  longTasks: LongTaskSummary;
  maxFrameGapMs: number;
  frames: number;
}

/** What both benchmark pages do the same way: the fake camera, live prediction, tensor memory and held samples. */
export interface PageBenchApi {
  openCamera(): Promise<{ width: number; height: number }>;
  live(seconds: number): Promise<LiveResult>;
  memory(n: number, maxMs: number): Promise<MemoryResult>;
  closeCamera(): void;
  holdSamples(n: number): Promise<HeldSamples>;
  releaseSamples(): void;
}

export interface GlanceBenchApi extends PageBenchApi {
  /** `wasmThreads`: threads the WASM backend computes with (null when it has not started). */
  init(backend: 'wasm' | 'webgl' | 'cpu'): Promise<{ backend: string; loadMs: number; warmupMs: number; embedBatchSize: number; tfjs: string; wasmThreads: number | null }>;
  loadImages(urls: string[]): Promise<number>;
  embed(urls: string[], batchSize: number): Promise<Throughput>;
  train(spec: GlanceTrainSpec): Promise<GlanceTrainResult>;
  /** Embeddings computed on this page, to train another page's head on the same vectors. */
  exportEmbeddings(urls: string[]): Promise<number[][]>;
  importEmbeddings(entries: [string, number[]][]): Promise<number>;
  /**
   * Embeds images with Teachable Machine's base (MobileNetV2 0.35, x/127 − 1) through Glance's own loader on this
   * page's backend, for the TM page's training set (tfjs 1.3.1 on SwiftShader would take many minutes).
   */
  embedTmBase(modelUrl: string, urls: string[]): Promise<Throughput & { embeddings: number[][] }>;
  /**
   * Live prediction as the app runs it: the same bases in the engine worker (WASM, as the app picks it here), the
   * trained head in the page, the frame read and cropped in the page. Also the page's long tasks meanwhile.
   */
  liveInWorker(seconds: number): Promise<LiveResult & { longTasks: LongTaskSummary; workerThreads: number | null }>;
}

export interface TmTrainResult {
  ms: number;
  epochs: number;
  finalValAcc: number | null;
  finalAcc: number | null;
  testAcc: number | null;
  testN: number;
  longTasks: LongTaskSummary;
  params: { denseUnits: number; epochs: number; learningRate: number; batchSize: number };
}

export interface TmBenchApi extends PageBenchApi {
  init(classes: string[]): Promise<{ backend: string; tfjs: string; tmImage: string; loadMs: number }>;
  loadImages(urls: string[]): Promise<number>;
  addExamples(items: [string, number][]): Promise<Throughput & { perCall: Latency }>;
  embedBatched(urls: string[], batchSize: number): Promise<Throughput>;
  /** Embeddings of TM's base computed elsewhere (see GlanceBenchApi.embedTmBase), by image URL. */
  importEmbeddings(entries: [string, number[]][]): Promise<number>;
  /** Puts imported embeddings into TM's example store, exactly as `addExample` stores its own. */
  addEmbedded(items: [string, number][]): Promise<number>;
  /** How far imported embeddings are from TM's own (from addExample and embedBatched) for the same images. */
  compareEmbeddings(): Promise<{ n: number; maxAbsDiff: number; minCosine: number }>;
  train(spec: { test: [string, number][]; epochs?: number }): Promise<TmTrainResult>;
}

declare global {
  interface Window {
    glanceBench: GlanceBenchApi;
    tmBench: TmBenchApi;
    /** Set by bench/tm.html?cold once the first live prediction is in. */
    tmCold?: { firstPredictionMs?: number; error?: string };
    /** Set by the driver's init script on the app page: performance.now() of the first live prediction. */
    glanceFirstPrediction?: number;
  }
}
