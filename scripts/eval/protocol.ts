import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffle } from '../../src/ml/dataset';
import { accuracy, argmax, expectedCalibrationError } from '../../src/ml/evaluate';
import type { EmbeddedSplit } from './embeddings';

/** Embedded splits by base id, for one dataset. */
export type SplitsByBase = Record<string, { train: EmbeddedSplit; test: EmbeddedSplit }>;

/** One training set for one method: a feature row (and augmented rows) per drawn example. */
export interface Features {
  rows: Float32Array[];
  augmented: Float32Array[][];
  labels: number[];
}

/** Test accuracy and calibration of one trained run. */
export interface Score {
  acc: number;
  ece: number;
}

/**
 * The seeded draw of `k` train examples per class (all when k is Infinity): the same indices for every method at
 * a given seed, so rows are comparable.
 */
export function drawIndices(labels: readonly number[], k: number, seed: number): number[] {
  const rng = mulberry32(1000 + seed);
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  return classes.flatMap((c) => {
    const idx = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    return Number.isFinite(k) ? shuffle(idx, rng).slice(0, k) : idx;
  });
}

function l2(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.max(Math.sqrt(s), 1e-12);
  return v.map((x) => x / n);
}

/** Concatenates per-base vectors in `bases` order, each l2-normalised first when `perBaseL2`. */
export function concatParts(parts: Float32Array[], perBaseL2: boolean): Float32Array {
  const ready = perBaseL2 ? parts.map(l2) : parts;
  const out = new Float32Array(ready.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of ready) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Feature rows of `indices` from one split, built from the given bases. */
export function featuresOf(data: SplitsByBase, bases: readonly string[], split: 'train' | 'test', indices: number[], perBaseL2: boolean): Features {
  const first = data[bases[0]][split];
  return {
    rows: indices.map((i) => concatParts(bases.map((b) => data[b][split].rows[i]), perBaseL2)),
    augmented: indices.map((i) => {
      const copies = first.augmented?.[i] ?? [];
      return copies.map((_, j) => concatParts(bases.map((b) => data[b][split].augmented![i][j]), perBaseL2));
    }),
    labels: indices.map((i) => first.labels[i]),
  };
}

/** Accuracy and ECE of probability rows against labels. */
export function score(probabilities: Float32Array[], labels: number[]): Score {
  return { acc: accuracy(labels, probabilities.map(argmax)), ece: expectedCalibrationError(probabilities, labels) };
}

/** Runs `model` on rows (after `prepare`) and reads the probabilities back. */
export async function predictRows(model: tf.LayersModel, rows: Float32Array[], prepare: (x: tf.Tensor2D) => tf.Tensor2D = (x) => x.clone()): Promise<Float32Array[]> {
  const d = rows[0].length;
  const out = tf.tidy(() => {
    const flat = new Float32Array(rows.length * d);
    rows.forEach((r, i) => flat.set(r, i * d));
    return model.predict(prepare(tf.tensor2d(flat, [rows.length, d]))) as tf.Tensor2D;
  });
  try {
    const p = (await out.data()) as Float32Array;
    const k = out.shape[1];
    return rows.map((_, i) => p.slice(i * k, (i + 1) * k));
  } finally {
    out.dispose();
  }
}

/** Mean and (sample) standard deviation. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}
