/**
 * `npm run eval`: few-shot accuracy and calibration of Glance's default training vs the Teachable Machine recipe on
 * real images (../shared/datasets) with real weights, on the WASM backend. Prints the tables and writes
 * docs/benchmarks.md. `--quick`: 1 seed, k = 5, rps-webcam only (CI smoke; does not write the doc).
 * `--novelty`: only the "None of these classes" flag rates (all k, both sets).
 * `--explore` / `--explore2`: the wider sets of alternatives tried while choosing the default.
 * `--candidate`: issue 11's MobileNet v1 α0.75 next to the default, with the cost per image (MACs, ms on WASM).
 * `--candidate --cost`: only that cost table.
 * `--seeds=N`: N draws per k instead of 5; `--all-seeds`: k = all once per seed (the head's seed varies).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BASES } from '../../src/ml/featureExtractor';
import { useTestBackend as pickTestBackend } from '../../src/test/backend';
import { repoRoot, sharedDir, type DatasetName } from '../../src/test/modelFiles';
import { loadBase, msPerImage } from './bases';
import { CANDIDATE, EXPLORE, EXPLORE2, EXPLORE3, MAIN, OURS, REFERENCE } from './catalog';
import { costTable } from './candidate';
import { checkDefaultPath, defaultSpeed } from './defaultPath';
import { embeddedSplit } from './embeddings';
import { runMethod, type Method } from './methods';
import { drawIndices, featuresOf, score, type SplitsByBase } from './protocol';
import { renderDoc } from './doc';
import { noveltyReport } from './novelty';
import { accuracyTable, eceTable, machineLine, resultKey, targetTable, type Results } from './report';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = process.argv.find((a) => a.startsWith('--train='))?.slice(8) as DatasetName | undefined;
const TRAIN_SETS: DatasetName[] = quick ? ['rps-webcam'] : only ? [only] : ['rps-webcam', 'rps-cgi'];
const TEST_SETS: DatasetName[] = quick || args.has('--no-cross') ? TRAIN_SETS : ['rps-webcam', 'rps-cgi'];
const KS = quick ? [5] : [5, 10, 25, Infinity];
const seedCount = Number(process.argv.find((a) => a.startsWith('--seeds='))?.slice(8) ?? 5);
const SEEDS = quick ? [1] : Array.from({ length: seedCount }, (_, i) => i + 1);
/** `--all-seeds`: k = all is trained once per seed too (same examples, the head's seed varies: init and batch order). */
const allSeeds = args.has('--all-seeds');
const candidate = args.has('--candidate');
const METHODS: Method[] = candidate ? CANDIDATE : args.has('--explore') ? EXPLORE : args.has('--explore2') ? EXPLORE2 : args.has('--explore3') ? EXPLORE3 : quick ? MAIN.filter((m) => m.name === OURS || m.name === REFERENCE) : MAIN;
const log = (m: string) => console.error(m);

/** Embeds (or reads from the cache) every split the methods need; also times each base. */
async function prepare(): Promise<{ data: Record<string, SplitsByBase>; speed: Record<string, { b1: number; b16: number }> }> {
  const data: Record<string, SplitsByBase> = {};
  const speed: Record<string, { b1: number; b16: number }> = {};
  const needsAugment = METHODS.some((m) => m.augment);
  for (const base of BASES.filter((b) => METHODS.some((m) => m.bases.includes(b.id)))) {
    const ex = await loadBase(base);
    try {
      speed[base.id] = { b1: await msPerImage(ex, 1), b16: await msPerImage(ex, 16, 3) };
      for (const ds of new Set([...TRAIN_SETS, ...TEST_SETS])) {
        (data[ds] ??= {})[base.id] = {
          train: TRAIN_SETS.includes(ds) ? await embeddedSplit(ex, ds, 'train', log, needsAugment) : await embeddedSplit(ex, ds, 'test', log),
          test: await embeddedSplit(ex, ds, 'test', log),
        };
      }
    } finally {
      ex.dispose();
    }
  }
  return { data, speed };
}

/** Trains every method on the same draws and scores it on the whole test split of each test set. */
async function evaluate(data: Record<string, SplitsByBase>): Promise<Results> {
  const results: Results = new Map();
  for (const trainDs of TRAIN_SETS) {
    for (const k of KS) {
      for (const seed of Number.isFinite(k) || allSeeds ? SEEDS : [1]) {
        const idx = drawIndices(data[trainDs][METHODS[0].bases[0]].train.labels, k, seed);
        for (const m of METHODS) {
          const t0 = performance.now();
          const train = featuresOf(data[trainDs], m.bases, 'train', idx, m.perBaseL2);
          const tests = TEST_SETS.map((ds) => featuresOf(data[ds], m.bases, 'test', data[ds][m.bases[0]].test.labels.map((_, i) => i), m.perBaseL2));
          const method = Number.isFinite(k) || m.kind !== 'trainHead' ? m : { ...m, config: { ...m.config, seed } };
          const probs = await runMethod(method, train, tests.flatMap((t) => t.rows), 3, seed);
          let o = 0;
          tests.forEach((t, j) => {
            const key = resultKey(trainDs, TEST_SETS[j], k, m.name);
            results.set(key, [...(results.get(key) ?? []), score(probs.slice(o, o + t.rows.length), t.labels)]);
            o += t.rows.length;
          });
          if (seed === 1) log(`${trainDs} k=${k} ${m.name}: ${(performance.now() - t0).toFixed(0)} ms`);
        }
      }
    }
  }
  if (tf.memory().numTensors > 0) log(`warning: ${tf.memory().numTensors} tensors left after evaluation`);
  return results;
}

/**
 * The eval measures on the full datasets in ../shared (not in the repo; the committed fixtures are too few for its
 * draws): without them it says so in one line and exits 1.
 */
function requireData(): void {
  const missing = [...new Set([...TRAIN_SETS, ...TEST_SETS])].map((d) => path.join(sharedDir, 'datasets', d)).filter((d) => !existsSync(d));
  if (missing.length === 0) return;
  console.error(`npm run eval needs the full test images, ${missing.join(' and ')} not found: put shared/ (datasets/rps-webcam, datasets/rps-cgi) beside the repository or set GLANCE_SHARED_DIR.`);
  process.exit(1);
}

async function main(): Promise<void> {
  requireData();
  const started = performance.now();
  const backend = await pickTestBackend();
  if (args.has('--novelty')) {
    console.log(await noveltyReport(false, log));
    return;
  }
  if (candidate && args.has('--cost')) {
    console.log(await costTable(METHODS));
    return;
  }
  const { data, speed } = await prepare();
  const pathCheck = await checkDefaultPath(data, log);
  const combinedSpeed = await defaultSpeed();
  const results = await evaluate(data);
  const novelty = candidate ? 'not run with --candidate' : await noveltyReport(quick, log);
  const cost = candidate ? `\n\n### Cost per image (WASM in Node, one thread)\n\n${await costTable(METHODS)}` : '';
  const names = METHODS.map((m) => m.name);
  const inDomain = TRAIN_SETS.map((d) => [d, d] as [string, string]);
  const cross = TRAIN_SETS.flatMap((tr) => TEST_SETS.filter((te) => te !== tr).map((te) => [tr, te] as [string, string]));
  const tables = [...inDomain, ...cross].map(([tr, te]) => ({ title: tr === te ? `${tr} (train and test)` : `cross-domain: train ${tr}, test ${te}`, table: accuracyTable(results, tr, te, KS, names) }));
  const pairs = [...inDomain, ...cross];
  const target = (METHODS === MAIN ? [OURS] : names.filter((n) => n !== REFERENCE))
    .filter((m) => names.includes(m) && names.includes(REFERENCE))
    .map((m) => `**${m}** vs ${REFERENCE}:\n\n${targetTable(results, pairs, KS, m, REFERENCE)}`)
    .join('\n\n');
  const ece = eceTable(results, inDomain, KS, names);
  const minutes = (performance.now() - started) / 60000;
  const machine = machineLine(backend);
  for (const t of tables) console.log(`\n### ${t.title}\n\n${t.table}`);
  console.log(`\n### "None of these classes": flag rates (default rule, k = 1, 2.2 × 95th percentile of leave-one-out distances)\n\n${novelty}`);
  console.log(`\n### Target check\n\n${target}\n\n### ECE\n\n${ece}\n\n${pathCheck}\n\n${machine}; run took ${minutes.toFixed(1)} min${cost}`);
  if (!quick && !only && METHODS === MAIN) {
    const doc = await renderDoc({ machine, minutes, tables, target, ece, speed, combinedSpeed, pathCheck });
    await writeFile(path.join(repoRoot, 'docs/benchmarks.md'), doc);
    log('wrote docs/benchmarks.md');
  }
}

await main();
