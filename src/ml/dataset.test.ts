import { describe, expect, it } from 'vitest';
import { classCounts, mulberry32, shuffle, stratifiedSplit } from './dataset';

describe('mulberry32', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const take = (seed: number) => { const r = mulberry32(seed); return Array.from({ length: 5 }, r); };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    for (const v of take(7)) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('shuffle', () => {
  it('returns a permutation in a new array without touching the input', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const copy = input.slice();
    const out = shuffle(input, mulberry32(1));
    expect(input).toEqual(copy);
    expect(out).not.toBe(input);
    expect(out).not.toEqual(input);
    expect([...out].sort((a, b) => a - b)).toEqual(input);
    expect(shuffle(input, mulberry32(1))).toEqual(out);
  });
});

describe('classCounts', () => {
  it('counts examples per class, including empty classes', () => {
    expect(classCounts([0, 2, 2, 0, 2], 4)).toEqual([2, 0, 3, 0]);
    expect(classCounts([1, 1])).toEqual([0, 2]);
  });
});

describe('stratifiedSplit', () => {
  const labels = [...Array(20).fill(0), ...Array(10).fill(1), ...Array(2).fill(2), 3] as number[];

  it('partitions the indices', () => {
    const { train, validation } = stratifiedSplit(labels, 0.2, 5);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    expect(train.filter((i) => validation.includes(i))).toEqual([]);
  });

  it('takes about the fraction from each class, at least one when a class has two', () => {
    const { train, validation } = stratifiedSplit(labels, 0.2, 5);
    expect(classCounts(validation.map((i) => labels[i]), 4)).toEqual([4, 2, 1, 0]);
    expect(classCounts(train.map((i) => labels[i]), 4)).toEqual([16, 8, 1, 1]);
  });

  it('always leaves at least one training example per class', () => {
    const { train } = stratifiedSplit([0, 0, 1, 1, 1], 0.9, 1);
    expect(classCounts(train.map((i) => [0, 0, 1, 1, 1][i]), 2)).toEqual([1, 1]);
  });

  it('is reproducible for a seed and changes with the seed', () => {
    expect(stratifiedSplit(labels, 0.2, 5)).toEqual(stratifiedSplit(labels, 0.2, 5));
    expect(stratifiedSplit(labels, 0.2, 5).validation).not.toEqual(stratifiedSplit(labels, 0.2, 6).validation);
  });

  it('puts everything in train when the fraction is 0', () => {
    expect(stratifiedSplit(labels, 0, 5).validation).toEqual([]);
  });
});
