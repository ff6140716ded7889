/** Seeded randomness and class-balanced splits for training. Pure functions, no tensors. */

/** A small, fast, seeded PRNG returning floats in [0, 1). Same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle into a new array; the input is not modified. */
export function shuffle<T>(array: readonly T[], rng: () => number): T[] {
  const out = array.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Number of examples per label, for labels 0..numClasses-1 (numClasses defaults to max label + 1). */
export function classCounts(labels: readonly number[], numClasses?: number): number[] {
  const n = numClasses ?? labels.reduce((m, l) => Math.max(m, l + 1), 0);
  const counts = new Array<number>(n).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** How many of a class's `n` examples go to validation: at least 1 when n ≥ 2, and always at least 1 left to train. */
function validationCount(n: number, fraction: number): number {
  if (fraction <= 0 || n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

/**
 * Splits example indices per class into train and validation sets, reproducibly for a given seed.
 * Every class with at least one example keeps one for training; every class with two or more gives at least
 * one to validation (unless `validationFraction` is 0). Both index lists come back sorted.
 */
export function stratifiedSplit(
  labels: readonly number[],
  validationFraction: number,
  seed: number,
): { train: number[]; validation: number[] } {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = byClass.get(label) ?? [];
    list.push(i);
    byClass.set(label, list);
  });
  const rng = mulberry32(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const indices = shuffle(byClass.get(label) ?? [], rng);
    const nVal = validationCount(indices.length, validationFraction);
    validation.push(...indices.slice(0, nVal));
    train.push(...indices.slice(nVal));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending) };
}
