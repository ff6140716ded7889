/**
 * "None of these": is an image unlike every class the person trained? Pure JS on the embeddings the app already
 * has (no tensors). An image's *distance* is, for the class it is closest to, the mean cosine distance to its `k`
 * nearest training examples of that class. The cut-off is calibrated on the person's own data: each training
 * example's leave-one-out distance (to the others) gives a distribution, and the default cut-off is a high
 * percentile of it times a margin (held-out images of a class sit a little further away than its own examples do).
 */

/** The rule as saved in exports and projects: everything needed to reproduce it. */
export interface NoveltyRule {
  method: 'knn-cosine';
  /** Neighbours per class averaged into the distance. */
  k: number;
  /** Leave-one-out distances of the training examples, ascending (the calibration the slider moves along). */
  calibration: number[];
  /** Default cut-off: `margin` × the `percentile` of `calibration`. */
  percentile: number;
  margin: number;
  /** The cut-off in use: an image whose distance is above it is "None of these". */
  threshold: number;
}

/** The rule plus its reference embeddings (l2-normalised, with their class index). */
export interface NoveltyModel {
  rule: NoveltyRule;
  references: Float32Array[];
  labels: number[];
}

/** Chosen on rps-webcam and rps-cgi (5–140 examples a class): see `npm run eval` (scripts/eval/novelty.ts). */
export const NOVELTY_DEFAULTS = { k: 1, percentile: 95, margin: 2.2, maxPerClass: 100 } as const;

/** A copy of `v` scaled to unit length (a zero vector stays zero). */
export function l2Normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/** Dot product (cosine similarity for unit vectors). */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Adds `d` to `best` (ascending, at most `k` long) if it is among the `k` smallest so far. */
function keepSmallest(best: number[], d: number, k: number): void {
  if (best.length === k && d >= best[k - 1]) return;
  let i = best.length === k ? k - 1 : best.length;
  while (i > 0 && best[i - 1] > d) {
    best[i] = best[i - 1];
    i--;
  }
  best[i] = d;
}

/** The distance of a unit vector `e` to the references, skipping index `skip` (leave-one-out). */
function distanceTo(e: Float32Array, references: Float32Array[], labels: number[], k: number, skip = -1): number {
  const perClass = new Map<number, number[]>();
  for (let i = 0; i < references.length; i++) {
    if (i === skip) continue;
    let best = perClass.get(labels[i]);
    if (!best) perClass.set(labels[i], (best = []));
    keepSmallest(best, 1 - dot(e, references[i]), k);
  }
  let nearest = Infinity;
  for (const best of perClass.values()) nearest = Math.min(nearest, best.reduce((a, b) => a + b, 0) / best.length);
  return nearest;
}

/** The value at percentile `p` (0–100) of ascending `sorted`, linearly interpolated. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Infinity;
  const x = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

/** At most `n` of `items` spread over the whole list (neighbouring webcam frames look alike). */
function spreadIndices(count: number, n: number): number[] {
  if (count <= n) return Array.from({ length: count }, (_, i) => i);
  const step = count / n;
  return Array.from({ length: n }, (_, i) => Math.floor(i * step));
}

/**
 * Builds the rule from the training embeddings (`labels[i]` is the class index of `embeddings[i]`). Keeps at most
 * `maxPerClass` references per class so the rule stays small enough to export and cheap per frame.
 */
export function fitNovelty(
  embeddings: readonly Float32Array[],
  labels: readonly number[],
  options: Partial<{ k: number; percentile: number; margin: number; maxPerClass: number }> = {},
): NoveltyModel {
  const { k, percentile, margin, maxPerClass } = { ...NOVELTY_DEFAULTS, ...options };
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l) ?? [];
    list.push(i);
    byClass.set(l, list);
  });
  const keep = [...byClass.values()].flatMap((idx) => spreadIndices(idx.length, maxPerClass).map((j) => idx[j]));
  keep.sort((a, b) => a - b);
  const references = keep.map((i) => l2Normalize(embeddings[i]));
  const refLabels = keep.map((i) => labels[i]);
  const calibration = references
    .map((e, i) => distanceTo(e, references, refLabels, k, i))
    .filter((d) => Number.isFinite(d))
    .sort((a, b) => a - b);
  const rule: NoveltyRule = { method: 'knn-cosine', k, calibration, percentile, margin, threshold: defaultThreshold(calibration, percentile, margin) };
  return { rule, references, labels: refLabels };
}

/** The cut-off a calibration gives for a percentile and margin. */
export function defaultThreshold(calibration: readonly number[], percentile: number, margin: number): number {
  return calibration.length ? percentileOf(calibration, percentile) * margin : Infinity;
}

/** The distance of one embedding to the model's classes (see the module comment). */
export function noveltyDistance(model: NoveltyModel, embedding: Float32Array): number {
  return distanceTo(l2Normalize(embedding), model.references, model.labels, model.rule.k);
}

/** True when `embedding` is unlike every class (its distance is above the cut-off). */
export function isNovel(model: NoveltyModel, embedding: Float32Array, threshold = model.rule.threshold): boolean {
  return noveltyDistance(model, embedding) > threshold;
}

/** How the slider maps to a cut-off: 50 is the calibrated default; each 25 up halves it (stricter), down doubles it. */
export const SLIDER_DEFAULT = 50;

/** The cut-off distance for a "Confidence threshold" slider value (0–100). */
export function thresholdForSlider(rule: NoveltyRule, slider: number): number {
  const base = defaultThreshold(rule.calibration, rule.percentile, rule.margin);
  return base * 2 ** ((SLIDER_DEFAULT - slider) / 25);
}

/** Float32 rows as base64 (little-endian, row after row). */
function toBase64(rows: readonly Float32Array[]): string {
  const dim = rows[0]?.length ?? 0;
  const all = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => all.set(r, i * dim));
  const bytes = new Uint8Array(all.buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The "None of these" rule as written into both exports' metadata.json: enough to reproduce it exactly. */
export interface NoveltyMetadata {
  method: 'knn-cosine';
  rule: string;
  k: number;
  /** Cut-off in use when exported (the page's "Confidence threshold" slider). */
  threshold: number;
  /** The calibrated default cut-off and how it was made. */
  defaultThreshold: number;
  calibration: { kind: 'leave-one-out'; percentile: number; margin: number; examples: number };
  slider: number;
  references: { count: number; dim: number; labels: string[]; labelIndex: number[]; encoding: 'base64-float32le'; data: string };
}

/** The metadata block for `model` with the slider at `slider` and class names `labels`. */
export function noveltyMetadata(model: NoveltyModel, labels: readonly string[], slider = SLIDER_DEFAULT): NoveltyMetadata {
  const { rule } = model;
  return {
    method: 'knn-cosine',
    rule:
      'l2-normalise the concatenated embedding (the head input before its transform); for each class, take the mean of 1 - cosine similarity ' +
      'to its k nearest references; the smallest of these is the distance; above threshold the image is "None of these classes".',
    k: rule.k,
    threshold: thresholdForSlider(rule, slider),
    defaultThreshold: defaultThreshold(rule.calibration, rule.percentile, rule.margin),
    calibration: { kind: 'leave-one-out', percentile: rule.percentile, margin: rule.margin, examples: rule.calibration.length },
    slider,
    references: {
      count: model.references.length,
      dim: model.references[0]?.length ?? 0,
      labels: [...labels],
      labelIndex: [...model.labels],
      encoding: 'base64-float32le',
      data: toBase64(model.references),
    },
  };
}
