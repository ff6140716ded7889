import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { meanStd, type Score } from './protocol';

/** All scores: key `${train}→${test}|${k}|${method}` → one Score per seed. */
export type Results = Map<string, Score[]>;

export const resultKey = (train: string, test: string, k: number, method: string) => `${train}→${test}|${k}|${method}`;

const kLabel = (k: number) => (Number.isFinite(k) ? `k=${k}` : 'all (140)');

function cell(scores: Score[] | undefined, pick: (s: Score) => number, digits: number, scale = 1): string {
  if (!scores?.length) return '–';
  const { mean, std } = meanStd(scores.map((s) => pick(s) * scale));
  return scores.length > 1 ? `${mean.toFixed(digits)} ± ${std.toFixed(digits)}` : mean.toFixed(digits);
}

/** A markdown table: one row per method, one column per k, for one train→test pair. */
export function accuracyTable(results: Results, train: string, test: string, ks: number[], methods: string[]): string {
  const head = `| method | ${ks.map(kLabel).join(' | ')} |\n|---|${ks.map(() => '---:').join('|')}|`;
  const rows = methods.map((m) => `| ${m} | ${ks.map((k) => cell(results.get(resultKey(train, test, k, m)), (s) => s.acc, 1, 100)).join(' | ')} |`);
  return [head, ...rows].join('\n');
}

/** Expected calibration error (10 bins, on the test split) of the confidences each method shows. */
export function eceTable(results: Results, pairs: [string, string][], ks: number[], methods: string[]): string {
  const cols = pairs.flatMap(([tr, te]) => ks.map((k) => ({ tr, te, k, label: `${tr === te ? tr : `${tr}→${te}`} ${kLabel(k)}` })));
  const head = `| method | ${cols.map((c) => c.label).join(' | ')} |\n|---|${cols.map(() => '---:').join('|')}|`;
  const rows = methods.map((m) => `| ${m} | ${cols.map((c) => cell(results.get(resultKey(c.tr, c.te, c.k, m)), (s) => s.ece, 3)).join(' | ')} |`);
  return [head, ...rows].join('\n');
}

/** Ours vs the reference per k: difference in points and the share of the reference's errors removed. */
export function targetTable(results: Results, pairs: [string, string][], ks: number[], ours: string, reference: string): string {
  const head = '| train → test | k | ours % | TM % | Δ points | errors removed | target met |\n|---|---|---:|---:|---:|---:|---|';
  const rows = pairs.flatMap(([tr, te]) => ks.map((k) => {
    const o = meanStd((results.get(resultKey(tr, te, k, ours)) ?? []).map((s) => s.acc * 100)).mean;
    const r = meanStd((results.get(resultKey(tr, te, k, reference)) ?? []).map((s) => s.acc * 100)).mean;
    const removed = r < 100 ? ((100 - r) - (100 - o)) / (100 - r) : o >= 100 ? 0 : -Infinity;
    const inDomain = tr === te;
    // A mean over seeds of a 180-image test split: 1 image = 0.56 points.
    const images = ((r - o) * 180) / 100;
    const notWorse = o >= r - 0.05 ? 'yes (not worse)' : `no: worse by ${images.toFixed(1)} of 180 images`;
    const met = inDomain && Number.isFinite(k) ? (o - r >= 3 || removed >= 0.3 ? 'yes' : 'no') : notWorse;
    return `| ${tr} → ${te} | ${kLabel(k)} | ${o.toFixed(1)} | ${r.toFixed(1)} | ${(o - r >= 0 ? '+' : '') + (o - r).toFixed(1)} | ${Number.isFinite(removed) ? `${(removed * 100).toFixed(0)}%` : '–'} | ${met} |`;
  }));
  return [head, ...rows].join('\n');
}

/** Date, CPU, Node, tfjs and backend, for the header of docs/benchmarks.md. */
export function machineLine(backend: string): string {
  const date = execSync('date', { encoding: 'utf8' }).trim();
  const nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return `${date} · ${nproc} cores (${cpu}) · Node ${process.version} · @tensorflow/tfjs ${tf.version.tfjs} · backend ${backend} (single-threaded)`;
}
