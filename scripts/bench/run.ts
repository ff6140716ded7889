/**
 * `npm run bench [-- --quick] [-- --skip-build] [-- --ui-only]`: Glance's ml code (WASM and WebGL pages) against the reference
 * `@teachablemachine/image` 0.8.5 on tfjs 1.3.1 (its own page), in one Debian Chromium, on rps-webcam from
 * ../shared (or GLANCE_SHARED_DIR; without it the full run says so and exits 1). Prints a table and writes
 * bench-results/bench-<time>.json. Never asserts timings; --quick runs a few committed fixture images (so a clone
 * alone runs it), checks that every stage ran and the JSON is complete, and exits non-zero if not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../e2e/paths';
import { coldApp, coldTm, trainAppOnce } from './cold';
import { FULL, QUICK, load, runGlance, runTm } from './phases';
import { growthRows, printTable, table, targets, uiRows, type Cold } from './report';
import { uploadThroughUi, type UiUpload } from './uiPath';
import { uploadGrowth, type Growth } from './growth';
import { build, dataRoot, launch, startPreview } from './setup';
import { validate } from './validate';

const args = new Set(process.argv.slice(2));
const plan = args.has('--quick') ? QUICK : FULL;
const started = Date.now();
const log = (msg: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

/** `--report <file.json>`: prints the table and targets of an earlier run again (with this version's report code). */
function reprint(file: string): number {
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    tm: Parameters<typeof table>[2];
    glance: { wasm: Parameters<typeof table>[0]; webgl: Parameters<typeof table>[0]; ui: UiUpload; growth?: Growth | null };
    cold: Cold | null;
    machine: { loadavg: { start: number[]; end: number[] } };
  };
  const growth = r.glance.growth ?? null;
  console.log(`load average: start ${r.machine.loadavg.start.join(' ')}, end ${r.machine.loadavg.end.join(' ')}\n`);
  console.log(printTable([...table(r.glance.wasm, r.glance.webgl, r.tm, r.cold), ...uiRows(r.glance.ui, r.tm), ...growthRows(growth)]));
  console.log('\nTargets:');
  for (const t of targets(r.glance.wasm, r.glance.webgl, r.tm, r.cold, r.glance.ui, growth)) console.log(`  [${t.met ? 'met' : 'NOT met'}] ${t.target}: ${t.measured}`);
  return 0;
}

async function main(): Promise<number> {
  const reportIndex = process.argv.indexOf('--report');
  if (reportIndex > 0) return reprint(process.argv[reportIndex + 1]);
  if (!fs.existsSync(dataRoot(plan.data))) {
    console.error(`npm run bench needs the full rps-webcam images, ${dataRoot(plan.data)} not found: put shared/ beside the repository, set GLANCE_SHARED_DIR, or run the quick bench on the committed fixtures (npm run bench -- --quick).`);
    return 1;
  }
  const loadStart = load();
  log(`${plan.quick ? 'quick' : 'full'} run; load average ${loadStart.join(' ')} on ${os.cpus().length} cores`);
  const buildMs = args.has('--skip-build') ? null : build();
  if (buildMs !== null) log(`built in ${(buildMs / 1000).toFixed(1)} s`);
  const server = await startPreview();
  const { browser, context, network, camera } = await launch();
  if (args.has('--ui-only')) {
    // The UI-path stage alone (a few minutes instead of ten), e.g. to compare two versions of the page: no JSON.
    try {
      const ui = await uploadThroughUi(context, plan.uiClasses, plan.uiPerClass, plan.data);
      log(`UI upload: ${ui.images} images, counts at ${(ui.countsMs / 1000).toFixed(1)} s, saved at ${(ui.savedMs / 1000).toFixed(1)} s (${ui.savedPerSec.toFixed(1)} images/s, ${ui.gmacPerSec.toFixed(2)} GMAC/s), ${ui.longTasks.count} long tasks, longest ${Math.round(ui.longTasks.longestMs)} ms, ${ui.longTasks.over200} over 200 ms; of the page's own ${ui.longTasks.ownCount}, longest ${Math.round(ui.longTasks.ownLongestMs)} ms`);
      log(`load average at the end: ${load().join(' ')}`);
      return 0;
    } finally {
      await browser.close();
      server.kill();
    }
  }
  try {
    const { result: wasm, embeddings, tmVectors } = await runGlance(context, 'wasm', plan, log);
    const tm = await runTm(context, plan, log, tmVectors);
    const { result: webgl } = await runGlance(context, 'webgl', plan, log, embeddings);
    let cold: Cold | null = null;
    if (!args.has('--skip-cold')) {
      const tmCold = await coldTm(context);
      log(`TM cold start: ${(tmCold.firstPredictionMs / 1000).toFixed(2)} s`);
      await trainAppOnce(context, plan.coldPerClass, plan.data);
      log('app trained once and autosaved');
      const glance: Cold['glance'] = {};
      for (const b of plan.coldBackends) {
        const r = await coldApp(context, b);
        glance[b ?? 'auto'] = r;
        log(`Glance cold start (${b ?? `auto → ${r.backend}`}): ${(r.firstPredictionMs / 1000).toFixed(2)} s`);
      }
      cold = { tm: tmCold, glance };
    }
    const ui = await uploadThroughUi(context, plan.uiClasses, plan.uiPerClass, plan.data);
    log(`UI upload: ${ui.images} images, counts at ${(ui.countsMs / 1000).toFixed(1)} s, saved at ${(ui.savedMs / 1000).toFixed(1)} s (${ui.savedPerSec.toFixed(1)} images/s, ${ui.gmacPerSec.toFixed(2)} GMAC/s), ${ui.longTasks.count} long tasks, longest ${Math.round(ui.longTasks.longestMs)} ms; of the page's own ${ui.longTasks.ownCount}, longest ${Math.round(ui.longTasks.ownLongestMs)} ms`);
    let growth: Growth | null = null;
    if (!args.has('--skip-growth')) {
      const { classes, perClass, block } = plan.growth;
      growth = await uploadGrowth(context, classes, perClass, plan.data, block, log);
      log(`growth: ${growth.images} uploads, block rates ${growth.blockRates.map((r) => r.toFixed(1)).join(' → ')} images/s (last ÷ first ${growth.lastVsFirst.toFixed(2)}), saved at ${(growth.savedMs / 1000).toFixed(1)} s, ${growth.longTasks.count} long tasks, longest ${Math.round(growth.longTasks.longestMs)} ms (the page's own: ${growth.longTasks.ownCount}, longest ${Math.round(growth.longTasks.ownLongestMs)} ms), reload ${(growth.reloadMs / 1000).toFixed(1)} s`);
    }
    const rows = [...table(wasm, webgl, tm, cold), ...uiRows(ui, tm), ...growthRows(growth)];
    const goals = targets(wasm, webgl, tm, cold, ui, growth);
    const result = {
      schema: 'glance-bench/1',
      quick: plan.quick,
      plan,
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', node: process.version, chromium: browser.version(), loadavg: { start: loadStart, end: load() } },
      fakeCamera: camera,
      network: { ...network, blockedCount: network.blocked.length },
      reference: {
        library: '@teachablemachine/image 0.8.5 (dist/teachablemachine-image.min.js)',
        tfjs: tm.init.tfjs,
        how: 'the real library, offline: its UMD bundle on tfjs 1.3.1 (npm alias tfjs-13); the base URL it hard-codes answered by Playwright from public/models/tm_mobilenet_v2_035_224_no_top (the same files as shared/models) (inner functional model served as model.json)',
        examples: 'addExample on a subset (timed); the other training examples and the test vectors are the same base computed by Glance\'s loader on WASM (see tm.vectorConsistency)',
      },
      tm,
      glance: { wasm, webgl, ui, growth },
      cold,
      table: rows,
      targets: goals,
    };
    const problems = validate(result, plan);
    const outDir = path.join(repoRoot, 'bench-results');
    fs.mkdirSync(outDir, { recursive: true });
    const out = path.join(outDir, `bench-${plan.quick ? 'quick-' : ''}${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nload average: start ${loadStart.join(' ')}, end ${result.machine.loadavg.end.join(' ')} (${os.cpus().length} cores)\n`);
    console.log(printTable(rows));
    console.log('\nTargets:');
    for (const t of goals) console.log(`  [${t.met ? 'met' : 'NOT met'}] ${t.target}: ${t.measured}`);
    console.log(`\nJSON: ${path.relative(repoRoot, out)} (${result.durationS.toFixed(0)} s)`);
    if (problems.length > 0) {
      console.error(`\nThe bench output is incomplete:\n  ${problems.join('\n  ')}`);
      return 1;
    }
    return 0;
  } finally {
    await browser.close();
    server.kill();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
