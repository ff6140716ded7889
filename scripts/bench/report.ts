import { DEFAULT_BASES_MMAC, type UiUpload } from './uiPath';
import type { Growth } from './growth';
import type { runGlance, runTm } from './phases';

type Glance = Awaited<ReturnType<typeof runGlance>>['result'];
type Tm = Awaited<ReturnType<typeof runTm>>;

export interface Cold {
  tm: { firstPredictionMs: number };
  glance: Partial<Record<'wasm' | 'webgl' | 'auto', { backend: string; firstPredictionMs: number }>>;
}

export interface Row {
  metric: string;
  wasm: number | string | null;
  webgl: number | string | null;
  tm: number | string | null;
  /** Best Glance value ÷ TM's (for "lower is better" rows too: the target is stated that way). */
  ratio: number | null;
  better: 'higher' | 'lower' | null;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

function row(metric: string, better: 'higher' | 'lower' | null, wasm: number | null, webgl: number | null, tm: number | null, digits = 2): Row {
  const glance = [wasm, webgl].filter((v): v is number => v !== null && Number.isFinite(v));
  const best = glance.length === 0 ? null : better === 'lower' ? Math.min(...glance) : Math.max(...glance);
  const ratio = best !== null && tm ? round(best / tm, 3) : null;
  const r = (v: number | null) => (v === null ? null : round(v, digits));
  return { metric, wasm: r(wasm), webgl: r(webgl), tm: r(tm), ratio: better ? ratio : null, better };
}

const text = (metric: string, wasm: string, webgl: string, tm: string): Row => ({ metric, wasm, webgl, tm, ratio: null, better: null });
const mainRun = (g: Glance) => g.training.find((t) => t.runner === 'main')!;
const workerRun = (g: Glance, backend = 'cpu') => g.training.find((t) => t.runner === 'worker' && t.workerBackend === backend) ?? null;
const mb = (bytes: number) => bytes / 1024 / 1024;
const secs = (t: { ms: number } | null) => (t ? t.ms / 1000 : null);
const coldMs = (c: { firstPredictionMs: number } | undefined) => (c ? { ms: c.firstPredictionMs } : null);

export function table(w: Glance, g: Glance, tm: Tm, cold: Cold | null): Row[] {
  const acc = (v: number | null) => (v === null ? null : 100 * v);
  const lt = (t: { longTasks: { count: number; longestMs: number } } | null) => (t ? `${t.longTasks.count} / ${Math.round(t.longTasks.longestMs)} ms` : 'n/a');
  const tensors = (m: { before: { numTensors: number }; after: { numTensors: number }; predictions: number }) => `${m.before.numTensors} → ${m.after.numTensors} (${m.predictions})`;
  const bytes = (m: { before: { numBytes: number }; after: { numBytes: number } }) => `${round(mb(m.before.numBytes), 2)} → ${round(mb(m.after.numBytes), 2)}`;
  return [
    row('embedding, batch 1 (images/s; TM: addExample)', 'higher', w.embedBatch1.imagesPerSec, g.embedBatch1.imagesPerSec, tm.embedBatch1.imagesPerSec),
    row(`embedding, batch ${w.init.embedBatchSize} (images/s; TM: its base batched)`, 'higher', w.embedBatchN.imagesPerSec, g.embedBatchN.imagesPerSec, tm.embedBatch16.imagesPerSec),
    row(`embedding, app path vs TM addExample (images/s)`, 'higher', w.embedBatchN.imagesPerSec, g.embedBatchN.imagesPerSec, tm.embedBatch1.imagesPerSec),
    row('head training, main thread (s)', 'lower', mainRun(w).ms / 1000, mainRun(g).ms / 1000, tm.training.ms / 1000),
    row('head training, Web Worker cpu (s)', 'lower', secs(workerRun(w)), secs(workerRun(g)), tm.training.ms / 1000),
    row('head training, Web Worker wasm (s)', 'lower', secs(workerRun(w, 'wasm')), secs(workerRun(g, 'wasm')), tm.training.ms / 1000),
    row(`test accuracy after training (%, ${tm.training.testN} held-out)`, 'higher', acc(mainRun(w).testAcc), acc(mainRun(g).testAcc), acc(tm.training.testAcc), 1),
    text('long tasks while training, main thread (count / longest)', lt(mainRun(w)), lt(mainRun(g)), lt(tm.training)),
    text('long tasks while training, Web Worker cpu (count / longest)', lt(workerRun(w)), lt(workerRun(g)), '–'),
    text('long tasks while training, Web Worker wasm (count / longest)', lt(workerRun(w, 'wasm')), lt(workerRun(g, 'wasm')), '–'),
    row('live prediction latency p50 (ms)', 'lower', w.live.latency.p50, g.live.latency.p50, tm.live.latency.p50, 1),
    row('live prediction latency p95 (ms)', 'lower', w.live.latency.p95, g.live.latency.p95, tm.live.latency.p95, 1),
    row('live predictions per second', 'higher', w.live.predictionsPerSec, g.live.predictionsPerSec, tm.live.predictionsPerSec),
    // Older JSON (--report) has no liveWorker.
    ...(w.liveWorker
      ? [
          row('live predictions per second, bases in the engine worker (the app\'s path)', 'higher', w.liveWorker.predictionsPerSec, null, tm.live.predictionsPerSec),
          row('live prediction latency p50, engine worker (ms)', 'lower', w.liveWorker.latency.p50, null, tm.live.latency.p50, 1),
        ]
      : []),
    text('tf.memory numTensors before → after (predictions)', tensors(w.memory), tensors(g.memory), tensors(tm.memory)),
    text('tf.memory MB before → after', bytes(w.memory), bytes(g.memory), bytes(tm.memory)),
    row(`JS heap held by ${w.heap.samples} samples (MB)`, 'lower', mb(w.heap.deltaBytes), mb(g.heap.deltaBytes), mb(tm.heap.deltaBytes)),
    row(`JS heap total with ${w.heap.samples} samples (MB)`, 'lower', mb(w.heap.heapHeldBytes), mb(g.heap.heapHeldBytes), mb(tm.heap.heapHeldBytes)),
    cold
      ? row('cold start to first live prediction (s)', 'lower', secs(coldMs(cold.glance.wasm)), secs(coldMs(cold.glance.webgl)), cold.tm.firstPredictionMs / 1000)
      : text('cold start to first live prediction (s)', 'skipped', 'skipped', 'skipped'),
  ];
}

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

/**
 * Issue 11's targets, each from this run: the app's real paths where there is one (UI upload, growth, warm reload),
 * else the bench pages running the app's ml code, always against TM in the same run.
 */
export function targets(w: Glance, g: Glance, tm: Tm, cold: Cold | null, ui: UiUpload, growth: Growth | null): Target[] {
  const uiRatio = ui.savedPerSec / tm.embedBatch1.imagesPerSec;
  // What the app trains with: the training worker on its wasm backend.
  const worker = [w, g].flatMap((x) => x.training).filter((t) => t.runner === 'worker' && t.workerBackend === 'wasm');
  const fastest = worker.length > 0 ? worker.reduce((a, b) => (b.ms < a.ms ? b : a)) : null;
  const live = w.live.predictionsPerSec >= g.live.predictionsPerSec ? { name: 'wasm', r: w.live } : { name: 'webgl', r: g.live };
  const warm = cold?.glance.auto ?? cold?.glance.wasm;
  const held = Math.min(mb(w.heap.deltaBytes), mb(g.heap.deltaBytes));
  return [
    { target: 'adding examples through the UI ≥ 10× TM addExample', measured: `${uiRatio.toFixed(1)}× (${ui.savedPerSec.toFixed(1)} vs ${tm.embedBatch1.imagesPerSec.toFixed(2)} images/s, ${ui.images} uploads to autosave landed)`, met: uiRatio >= 10 },
    {
      target: 'live predictions ≥ 30/s, no frame pile-up',
      measured: `${live.name} ${live.r.predictionsPerSec.toFixed(1)}/s, latency p50 ${live.r.latency.p50.toFixed(0)} ms, p95 ${live.r.latency.p95.toFixed(0)} ms`,
      // One frame in flight at a time: a pile-up would show as a p95 latency far above the frame interval.
      met: live.r.predictionsPerSec >= 30 && live.r.latency.p95 <= 2000 / live.r.predictionsPerSec,
    },
    {
      target: 'head training ≤ 0.15× TM time',
      measured: fastest ? `${(fastest.ms / tm.training.ms).toFixed(3)}× (training worker, wasm, on the ${fastest.mainBackend} page; acc ${fmtAcc(fastest.testAcc)} vs TM ${fmtAcc(tm.training.testAcc)})` : 'not run',
      met: fastest !== null && fastest.ms / tm.training.ms <= 0.15,
    },
    {
      target: `0 main-thread long tasks of the page's own while adding ${ui.images} images through the UI (the browser's making of each FileList counted apart)`,
      measured: ui.longTasks.ownCount === undefined
        ? `${ui.longTasks.count} (longest ${Math.round(ui.longTasks.longestMs)} ms)`
        : `${ui.longTasks.ownCount} of its own (longest ${Math.round(ui.longTasks.ownLongestMs)} ms); whole tasks: ${ui.longTasks.count} over 50 ms (longest ${Math.round(ui.longTasks.longestMs)} ms), ${ui.longTasks.withFileList} holding a FileList`,
      met: (ui.longTasks.ownCount ?? ui.longTasks.count) === 0,
    },
    { target: 'first prediction after a warm reload ≤ 2 s', measured: warm ? `${(warm.firstPredictionMs / 1000).toFixed(2)} s (${warm.backend})` : 'skipped', met: warm !== undefined && warm.firstPredictionMs <= 2000 },
    growth
      ? { target: `upload rate of the last ${growth.blockSize} vs the first ${growth.blockSize} (${growth.classes} × ${growth.perClass}) ≥ 0.9×`, measured: `${growth.lastVsFirst.toFixed(2)}× (${growth.blockRates.map((r) => r.toFixed(1)).join(' → ')} images/s)`, met: growth.lastVsFirst >= 0.9 }
      : { target: 'upload rate of the last block vs the first ≥ 0.9× (skipped)', measured: 'skipped', met: false },
    growth
      ? {
          target: `longest main-thread task of the page's own work during the ${growth.images}-image upload ≤ 50 ms (the browser's making of each class's FileList, before its change event, counted apart)`,
          measured: `${Math.round(growth.longTasks.ownLongestMs)} ms (${growth.longTasks.ownCount} long of its own); whole tasks: longest ${Math.round(growth.longTasks.longestMs)} ms, ${growth.longTasks.count} over 50 ms, ${growth.longTasks.withFileList} of them holding a FileList (longest FileList part ${Math.round(growth.longTasks.fileListLongestMs)} ms), ${growth.longTasks.over200} over 200 ms`,
          met: growth.longTasks.ownLongestMs <= 50,
        }
      : { target: 'longest main-thread task during the growth upload ≤ 50 ms (skipped)', measured: 'skipped', met: false },
    { target: `JS heap for ${w.heap.samples} held samples ≤ 80 MB`, measured: `${held.toFixed(1)} MB`, met: held <= 80 },
    { target: 'tensor count flat', measured: `wasm ${w.memory.before.numTensors}→${w.memory.after.numTensors}, webgl ${g.memory.before.numTensors}→${g.memory.after.numTensors}`, met: [w, g].every((x) => x.memory.after.numTensors === x.memory.before.numTensors) },
  ];
}

/** The growth stage's rows: does adding examples slow down as the project grows, and what a reload of it costs. */
export function growthRows(growth: Growth | null): Row[] {
  if (!growth) return [text('upload rate as the project grows', 'skipped', '–', '–')];
  return [
    text(`upload rate per ${growth.blockSize} examples, ${growth.classes} classes × ${growth.perClass} (images/s, counts shown)`, growth.blockRates.map((r) => r.toFixed(1)).join(' → '), '–', '–'),
    text(`long tasks during the ${growth.images}-image upload (count / longest / over 200 ms)`, `${growth.longTasks.count} / ${Math.round(growth.longTasks.longestMs)} ms / ${growth.longTasks.over200}`, '–', '–'),
    text(`  the page's own part, after the browser made the FileList (count / longest)`, growth.longTasks.ownLongestMs === undefined ? 'n/a' : `${growth.longTasks.ownCount} / ${Math.round(growth.longTasks.ownLongestMs)} ms`, '–', '–'),
    text(`all ${growth.images} saved with embeddings (s) / elements in the page`, `${(growth.savedMs / 1000).toFixed(1)} / ${growth.elements}`, '–', '–'),
    text(`reload of ${growth.images} examples (s) / stored (MB)`, `${(growth.reloadMs / 1000).toFixed(1)} / ${growth.storedBytes === null ? '?' : mb(growth.storedBytes).toFixed(0)}`, '–', '–'),
  ];
}

function fmtAcc(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`;
}

export function printTable(rows: Row[]): string {
  const cell = (v: Row['wasm']) => (v === null ? '–' : String(v));
  const ratio = (r: Row) => (r.ratio === null ? '' : `${r.ratio}×`);
  const header = ['metric', 'Glance WASM', 'Glance WebGL', 'TM', 'ratio (best Glance ÷ TM)'];
  const body = rows.map((r) => [r.metric, cell(r.wasm), cell(r.webgl), cell(r.tm), ratio(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((wd) => '-'.repeat(wd + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/**
 * The upload path a person uses, beside TM's `addExample` (the only way its library adds an example): images/s until
 * the counts show and until IndexedDB holds every example, the page's main-thread long tasks meanwhile, and the compute
 * it reaches against the default bases' cost per image.
 */
export function uiRows(ui: UiUpload, tm: Tm): Row[] {
  return [
    row(`adding examples through the UI, ${ui.images} uploads → counts shown (images/s; TM: addExample)`, 'higher', ui.countsPerSec, null, tm.embedBatch1.imagesPerSec),
    row(`adding examples through the UI → autosave landed (images/s; TM: addExample)`, 'higher', ui.savedPerSec, null, tm.embedBatch1.imagesPerSec),
    text('long tasks while uploading through the UI (count / longest / over 200 ms)', `${ui.longTasks.count} / ${Math.round(ui.longTasks.longestMs)} ms / ${ui.longTasks.over200}`, '–', '–'),
    text(`  the page's own part, after the browser made the FileList (count / longest)`, ui.longTasks.ownCount === undefined ? 'n/a' : `${ui.longTasks.ownCount} / ${Math.round(ui.longTasks.ownLongestMs)} ms`, '–', '–'),
    text(`compute reached through the UI (GMAC/s at ${DEFAULT_BASES_MMAC} MMAC per image)`, ui.gmacPerSec.toFixed(2), '–', '–'),
  ];
}
