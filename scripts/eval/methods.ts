import * as tf from '@tensorflow/tfjs';
import { transformEmbeddings, type TrainingConfig } from '../../src/ml/head';
import { trainHead, type TrainingExample } from '../../src/ml/trainer';
import { predictRows, type Features } from './protocol';
import { trainTmRecipe } from './tmRecipe';

/** One row of the benchmark: which bases feed it and how it learns. */
export interface Method {
  name: string;
  /** Base ids, concatenated in this order. */
  bases: string[];
  /** l2-normalise each base's embedding before concatenating. */
  perBaseL2: boolean;
  kind: 'trainHead' | 'tm' | 'ncm' | 'knn';
  /** trainHead overrides of DEFAULT_TRAINING; absent = exactly what the app runs. */
  config?: Partial<TrainingConfig>;
  /** Train on the augmented embeddings too (trainHead only). */
  augment?: boolean;
}

function examplesOf(f: Features, augment: boolean): TrainingExample[] {
  return f.rows.map((embedding, i) => ({ embedding, label: f.labels[i], ...(augment ? { augmented: f.augmented[i] } : {}) }));
}

function unit(v: Float32Array): Float32Array {
  const n = Math.max(Math.hypot(...v), 1e-12);
  return v.map((x) => x / n);
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

/** Softmax over cosine similarities scaled by `temperature`. */
function softmax(scores: number[], temperature: number): Float32Array {
  const m = Math.max(...scores);
  const e = scores.map((s) => Math.exp((s - m) * temperature));
  const z = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (x) => x / z);
}

/** Nearest class mean by cosine similarity; confidences are a softmax of the cosines (temperature 30). */
function nearestClassMean(train: Features, test: Float32Array[], numClasses: number): Float32Array[] {
  const means = Array.from({ length: numClasses }, (_, c) => {
    const rows = train.rows.filter((_, i) => train.labels[i] === c).map(unit);
    const m = new Float32Array(rows[0].length);
    rows.forEach((r) => r.forEach((x, j) => (m[j] += x)));
    return unit(m);
  });
  return test.map((t) => softmax(means.map((m) => dot(unit(t), m)), 30));
}

/** k-nearest neighbours (cosine, k = 5 or fewer): the share of each class among the neighbours. */
function nearestNeighbours(train: Features, test: Float32Array[], numClasses: number): Float32Array[] {
  const rows = train.rows.map(unit);
  const k = Math.min(5, rows.length);
  return test.map((t) => {
    const u = unit(t);
    const near = rows.map((r, i) => ({ s: dot(u, r), l: train.labels[i] })).sort((a, b) => b.s - a.s).slice(0, k);
    const p = new Float32Array(numClasses);
    near.forEach((n) => (p[n.l] += 1 / k));
    return p;
  });
}

/** Trains one method on `train` and returns its probabilities for each test row. */
export async function runMethod(method: Method, train: Features, test: Float32Array[], numClasses: number, seed: number): Promise<Float32Array[]> {
  if (method.kind === 'ncm') return nearestClassMean(train, test, numClasses);
  if (method.kind === 'knn') return nearestNeighbours(train, test, numClasses);
  if (method.kind === 'tm') {
    const model = await trainTmRecipe(examplesOf(train, false), numClasses, seed);
    try {
      return await predictRows(model, test);
    } finally {
      model.dispose();
    }
  }
  const result = await trainHead({ examples: examplesOf(train, method.augment ?? false), numClasses, config: method.config });
  try {
    return await predictRows(result.model, test, (x) => tf.tidy(() => transformEmbeddings(x, result.transform)));
  } finally {
    result.model.dispose();
  }
}
