import { DEFAULT_BASES_MMAC, type UiUpload } from './uiPath';
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

export function targets(w: Glance, g: Glance, tm: Tm): Target[] {
  const best = Math.max(w.embedBatchN.imagesPerSec, g.embedBatchN.imagesPerSec);
  const embedRatio = best / tm.embedBatch1.imagesPerSec;
  const trainings = [w, g].flatMap((x) => x.training);
  const fastest = trainings.reduce((a, b) => (b.ms < a.ms ? b : a));
  const accOk = (t: { testAcc: number | null }) => (t.testAcc ?? 0) >= (tm.training.testAcc ?? 1);
  // The proposal: train in a Web Worker on its wasm backend (trainHeadInWorker with wasmPaths).
  const proposed = trainings.filter((t) => t.runner === 'worker' && t.workerBackend === 'wasm');
  const flat = [w, g].every((x) => x.memory.after.numTensors === x.memory.before.numTensors);
  return [
    { target: 'embedding throughput ≥ 10× TM', measured: `${embedRatio.toFixed(1)}× (best Glance batch ${w.init.embedBatchSize} vs TM addExample)`, met: embedRatio >= 10 },
    {
      target: 'training ≤ 0.2× TM time at ≥ TM accuracy',
      measured: `${(fastest.ms / tm.training.ms).toFixed(3)}× (${fastest.runner}${fastest.workerBackend ? `/${fastest.workerBackend}` : ''} on ${fastest.mainBackend} page; acc ${fmtAcc(fastest.testAcc)} vs TM ${fmtAcc(tm.training.testAcc)})`,
      met: fastest.ms / tm.training.ms <= 0.2 && accOk(fastest),
    },
    {
      target: 'training ≤ 0.2× TM time (proposal: Web Worker, wasm)',
      measured: proposed.map((t) => `${t.mainBackend} page ${(t.ms / tm.training.ms).toFixed(3)}×`).join(', '),
      met: proposed.length > 0 && proposed.every((t) => t.ms / tm.training.ms <= 0.2),
    },
    { target: '≥ 15 live predictions/s', measured: `wasm ${w.live.predictionsPerSec.toFixed(1)}, webgl ${g.live.predictionsPerSec.toFixed(1)}`, met: Math.max(w.live.predictionsPerSec, g.live.predictionsPerSec) >= 15 },
    {
      target: 'zero long tasks while training (proposal: Web Worker, wasm)',
      measured: proposed.map((t) => `${t.mainBackend} page: ${t.longTasks.count}`).join(', ') + `; today's main-thread trainer: wasm ${mainRun(w).longTasks.count}, webgl ${mainRun(g).longTasks.count} (longest ${Math.round(mainRun(g).longTasks.longestMs)} ms)`,
      met: proposed.length > 0 && proposed.every((t) => t.longTasks.count === 0),
    },
    { target: 'tensor count flat', measured: `wasm ${w.memory.before.numTensors}→${w.memory.after.numTensors}, webgl ${g.memory.before.numTensors}→${g.memory.after.numTensors}`, met: flat },
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
    text(`compute reached through the UI (GMAC/s at ${DEFAULT_BASES_MMAC} MMAC per image)`, ui.gmacPerSec.toFixed(2), '–', '–'),
  ];
}
