import os from 'node:os';
import type { BrowserContext, Page } from '@playwright/test';
import { RPS_CLASSES, rpsImages } from '../../e2e/paths';
import type { HeldSamples } from '../../bench/api';
import { MODELS_PREFIX, ORIGIN, dataRoot, dataUrl, type BenchData } from './setup';

/** How much work one run does; `--quick` shrinks everything to check the plumbing. */
export interface Plan {
  quick: boolean;
  /** The images: the full rps-webcam set of ../shared, or (quick) the committed fixtures, so a clone alone runs it. */
  data: BenchData;
  /** Images per class the heads train on, and test on. */
  trainPerClass: number;
  testPerClass: number;
  /**
   * TM: images per class added with `addExample` (timed, batch 1) and embedded by its base 16 at a time (timed).
   * Its other training examples and its test vectors are the same base's embeddings computed on the WASM page.
   */
  tmAddExamplePerClass: number;
  tmBatchedPerClass: number;
  /** Glance WASM: images per class embedded one at a time (all train + test images are embedded batched). */
  batch1PerClass: number;
  /** Glance WebGL (slow on SwiftShader): images per class embedded at batch 1 and batched; its heads train on the WASM page's embeddings. */
  webglBatch1PerClass: number;
  webglBatchedPerClass: number;
  /** null = each library's default (Glance 30, TM 50). */
  epochs: number | null;
  tmEpochs: number | null;
  liveSeconds: number;
  /** Predictions for the tensor-count check, stopping early after memoryMaxMs. */
  predictions: number;
  memoryMaxMs: number;
  heldSamples: number;
  coldPerClass: number;
  /** Images per class uploaded through the real page (file input → counts → autosave), in `uiClasses` classes. */
  uiPerClass: number;
  /** Classes the UI upload fills (the issue's case: 6 × 140 = 840 uploads). */
  uiClasses: number;
  /** The growth stage: `growth.classes` × `growth.perClass` uploads, rates compared per `growth.block` examples (`--skip-growth` leaves it out). */
  growth: { classes: number; perClass: number; block: number };
  /** Cold-start runs of the app: forced backends, and null = its own choice. */
  coldBackends: ('wasm' | 'webgl' | null)[];
}

export const FULL: Plan = {
  quick: false, data: 'rps-webcam', trainPerClass: 140, testPerClass: 60, tmAddExamplePerClass: 20, tmBatchedPerClass: 16, batch1PerClass: 20, webglBatch1PerClass: 5, webglBatchedPerClass: 32,
  epochs: null, tmEpochs: null, liveSeconds: 10, predictions: 1000, memoryMaxMs: 45_000, heldSamples: 10_000, coldPerClass: 8, uiPerClass: 140, uiClasses: 6,
  growth: { classes: 20, perClass: 250, block: 1000 },
  coldBackends: ['wasm', 'webgl', null],
};
export const QUICK: Plan = {
  quick: true, data: 'fixtures', trainPerClass: 2, testPerClass: 1, tmAddExamplePerClass: 1, tmBatchedPerClass: 1, batch1PerClass: 1, webglBatch1PerClass: 1, webglBatchedPerClass: 1,
  epochs: 2, tmEpochs: 2, liveSeconds: 1, predictions: 20, memoryMaxMs: 3_000, heldSamples: 500, coldPerClass: 2, uiPerClass: 2, uiClasses: 3,
  growth: { classes: 4, perClass: 5, block: 10 },
  coldBackends: ['wasm'],
};

export type Labeled = [string, number][];

/** `n` images per class of the plan's data, evenly spaced (so a smaller pick is a subset of a larger one), with labels. */
export function pick(data: BenchData, split: 'train' | 'test', n: number): Labeled {
  return RPS_CLASSES.flatMap((cls, label) => rpsImages(split, cls, n, dataRoot(data)).map((f): [string, number] => [dataUrl(f), label]));
}

const urls = (items: Labeled) => items.map(([u]) => u);
const TM_BASE_MODEL = `${MODELS_PREFIX}tm_mobilenet_v2_035_224_no_top/model.json`;

export function load(): number[] {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

/**
 * Live JS heap after a full GC (Chrome DevTools Protocol): the V8 heap plus ArrayBuffer backing stores, where
 * typed arrays such as embeddings keep their bytes (usedSize alone leaves them out).
 */
async function heapAfterGc(page: Page): Promise<{ usedSize: number; backingStorageSize: number; total: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const backing = usage.backingStorageSize ?? 0;
    return { usedSize: usage.usedSize, backingStorageSize: backing, total: usage.usedSize + backing };
  } finally {
    await cdp.detach();
  }
}

/** Heap before and while `n` samples are held by the page's `holdSamples`. */
async function heldHeap(page: Page, bench: 'glanceBench' | 'tmBench', n: number) {
  const before = await heapAfterGc(page);
  const info: HeldSamples = await page.evaluate(([b, k]) => (b === 'tmBench' ? window.tmBench : window.glanceBench).holdSamples(k), [bench, n] as const);
  const held = await heapAfterGc(page);
  await page.evaluate((b) => (b === 'tmBench' ? window.tmBench : window.glanceBench).releaseSamples(), bench);
  const delta = held.total - before.total;
  return { samples: n, floatsPerSample: info.floatsPerSample, before, held, heapBeforeBytes: before.total, heapHeldBytes: held.total, deltaBytes: delta, bytesPerSample: delta / n };
}

type Log = (msg: string) => void;

async function openBenchPage(context: BrowserContext, file: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${file}] page error: ${e.message}`));
  await page.goto(`${ORIGIN}/bench/${file}`);
  await page.waitForFunction(() => document.title.endsWith('(ready)'));
  return page;
}

/**
 * The reference: TM's library on its own page. `addExample` (its only way to add an example: one image, then a
 * blocking dataSync) and its base at batch 16 are timed on subsets; its other training examples and its test
 * vectors are the same base's embeddings from the WASM page (`tmVectors`), put where addExample puts its own
 * (tfjs 1.3.1 on SwiftShader embeds ~1–5 images/s, so 600 images would take many minutes). How close those
 * vectors are to TM's own is measured and reported.
 */
export async function runTm(context: BrowserContext, plan: Plan, log: Log, tmVectors: [string, number[]][]) {
  const train = pick(plan.data, 'train', plan.trainPerClass);
  const test = pick(plan.data, 'test', plan.testPerClass);
  const added = pick(plan.data, 'train', plan.tmAddExamplePerClass);
  const addedUrls = new Set(urls(added));
  const rest = train.filter(([u]) => !addedUrls.has(u));
  const batchedUrls = urls(pick(plan.data, 'test', plan.tmBatchedPerClass));
  const page = await openBenchPage(context, 'tm.html');
  const loadStart = load();
  const init = await page.evaluate((labels) => window.tmBench.init(labels), [...RPS_CLASSES]);
  log(`TM ${init.tmImage} on tfjs ${init.tfjs} (${init.backend}), base loaded in ${init.loadMs.toFixed(0)} ms`);
  await page.evaluate((u) => window.tmBench.loadImages(u), [...new Set([...urls(added), ...batchedUrls])]);
  const batch1 = await page.evaluate((items) => window.tmBench.addExamples(items), added);
  log(`TM addExample: ${batch1.imagesPerSec.toFixed(2)} images/s (${batch1.perCall.p50.toFixed(0)} ms p50 per call, ${batch1.n} images)`);
  const batched = await page.evaluate((u) => window.tmBench.embedBatched(u, 16), batchedUrls);
  log(`TM base at batch 16: ${batched.imagesPerSec.toFixed(2)} images/s (${batched.n} images)`);
  await page.evaluate((e) => window.tmBench.importEmbeddings(e), tmVectors);
  const consistency = await page.evaluate(() => window.tmBench.compareEmbeddings());
  const examples = await page.evaluate((items) => window.tmBench.addEmbedded(items), rest);
  log(`TM examples: ${examples}; WASM-page vectors vs TM's own on ${consistency.n} images: max |diff| ${consistency.maxAbsDiff.toExponential(2)}, min cosine ${consistency.minCosine.toFixed(6)}`);
  const training = await page.evaluate(([t, e]) => window.tmBench.train({ test: t, epochs: e ?? undefined }), [test, plan.tmEpochs] as const);
  log(`TM train: ${(training.ms / 1000).toFixed(1)} s, test acc ${training.testAcc}, ${training.longTasks.count} long tasks (longest ${training.longTasks.longestMs.toFixed(0)} ms)`);
  await page.evaluate(() => window.tmBench.openCamera());
  const live = await page.evaluate((sec) => window.tmBench.live(sec), plan.liveSeconds);
  log(`TM live: ${live.predictionsPerSec.toFixed(2)}/s, p50 ${live.latency.p50.toFixed(0)} ms`);
  const memory = await page.evaluate(([n, ms]) => window.tmBench.memory(n, ms), [plan.predictions, plan.memoryMaxMs] as const);
  await page.evaluate(() => window.tmBench.closeCamera());
  const heap = await heldHeap(page, 'tmBench', plan.heldSamples);
  await page.close();
  return {
    init, trainExamples: examples, examplesFromAddExample: batch1.n, vectorConsistency: consistency,
    embedBatch1: batch1, embedBatch16: batched, training, live, memory, heap, loadavg: { start: loadStart, end: load() },
  };
}

/**
 * Glance's ml code on one backend, on its own page. With `embeddings` (WebGL: SwiftShader embeds ~5 images/s),
 * only a subset is embedded for timing and the heads train on the given (WASM page's) embeddings of the same
 * images and model.
 */
export async function runGlance(context: BrowserContext, backend: 'wasm' | 'webgl', plan: Plan, log: Log, embeddings?: [string, number[]][]) {
  const train = pick(plan.data, 'train', plan.trainPerClass);
  const test = pick(plan.data, 'test', plan.testPerClass);
  const batch1 = urls(pick(plan.data, 'train', embeddings ? plan.webglBatch1PerClass : plan.batch1PerClass));
  const batched = embeddings ? urls(pick(plan.data, 'train', plan.webglBatchedPerClass)) : urls([...train, ...test]);
  const page = await openBenchPage(context, 'glance.html');
  const loadStart = load();
  const init = await page.evaluate((b) => window.glanceBench.init(b), backend);
  log(`Glance ${init.backend}: base loaded in ${init.loadMs.toFixed(0)} ms, warm-up ${init.warmupMs.toFixed(0)} ms`);
  await page.evaluate((u) => window.glanceBench.loadImages(u), [...new Set([...batch1, ...batched])]);
  const embedBatch1 = await page.evaluate((u) => window.glanceBench.embed(u, 1), batch1);
  const embedBatchN = await page.evaluate(([u, n]) => window.glanceBench.embed(u, n), [batched, init.embedBatchSize] as const);
  log(`Glance ${backend} embed: ${embedBatch1.imagesPerSec.toFixed(1)} images/s at batch 1, ${embedBatchN.imagesPerSec.toFixed(1)} at batch ${init.embedBatchSize} (${embedBatchN.n} images)`);
  if (embeddings) await page.evaluate((e) => window.glanceBench.importEmbeddings(e), embeddings);
  const config = plan.epochs ? { epochs: plan.epochs } : undefined;
  const runners: { runner: 'main' | 'worker'; workerBackend?: 'cpu' | 'wasm' }[] = [
    { runner: 'main' }, { runner: 'worker', workerBackend: 'cpu' }, { runner: 'worker', workerBackend: 'wasm' },
  ];
  const training = [];
  for (const r of runners) {
    const result = await page.evaluate((spec) => window.glanceBench.train(spec), { train, test, numClasses: 3, config, ...r });
    log(`Glance ${backend} train (${r.runner}${r.workerBackend ? `/${r.workerBackend}` : ''}): ${(result.ms / 1000).toFixed(2)} s, test acc ${result.testAcc}, ${result.longTasks.count} long tasks (longest ${result.longTasks.longestMs.toFixed(0)} ms), max frame gap ${result.maxFrameGapMs.toFixed(0)} ms`);
    training.push(result);
  }
  await page.evaluate(() => window.glanceBench.openCamera());
  const live = await page.evaluate((sec) => window.glanceBench.live(sec), plan.liveSeconds);
  log(`Glance ${backend} live: ${live.predictionsPerSec.toFixed(1)}/s, p50 ${live.latency.p50.toFixed(1)} ms`);
  // The app's own path on this machine: the bases in the engine worker (WASM), the head in the page.
  const liveWorker = backend === 'wasm' ? await page.evaluate((sec) => window.glanceBench.liveInWorker(sec), plan.liveSeconds) : null;
  if (liveWorker) log(`Glance live, bases in the engine worker: ${liveWorker.predictionsPerSec.toFixed(1)}/s, p50 ${liveWorker.latency.p50.toFixed(1)} ms, ${liveWorker.longTasks.count} long tasks in the page (longest ${liveWorker.longTasks.longestMs.toFixed(0)} ms)`);
  const memory = await page.evaluate(([n, ms]) => window.glanceBench.memory(n, ms), [plan.predictions, plan.memoryMaxMs] as const);
  await page.evaluate(() => window.glanceBench.closeCamera());
  const heap = await heldHeap(page, 'glanceBench', plan.heldSamples);
  const all = urls([...train, ...test]);
  const exported: [string, number[]][] = [];
  const tmVectors: [string, number[]][] = [];
  let tmBase = null;
  if (!embeddings) {
    const values = await page.evaluate((u) => window.glanceBench.exportEmbeddings(u), all);
    all.forEach((u, i) => exported.push([u, values[i]]));
    const { embeddings: tm, ...timing } = await page.evaluate(([m, u]) => window.glanceBench.embedTmBase(m, u), [TM_BASE_MODEL, all] as const);
    all.forEach((u, i) => tmVectors.push([u, tm[i]]));
    tmBase = timing;
    log(`TM's base on Glance's ${backend} code: ${timing.imagesPerSec.toFixed(1)} images/s (${timing.n} images, for the TM page's training set)`);
  }
  await page.close();
  return {
    result: { init, embedBatch1, embedBatchN, trainedOn: embeddings ? 'wasm page embeddings' : 'own embeddings', training, live, liveWorker, memory, heap, tmBase, loadavg: { start: loadStart, end: load() } },
    embeddings: exported,
    tmVectors,
  };
}
