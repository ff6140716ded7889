import { describe, expect, it } from 'vitest';
import { accuracy, argmax, confusionMatrix, expectedCalibrationError, perClassAccuracy } from './evaluate';

const labels = [0, 0, 0, 1, 1, 2];
const predicted = [0, 1, 0, 1, 2, 2];

describe('evaluate', () => {
  it('argmax picks the first largest value', () => {
    expect(argmax(new Float32Array([0.1, 0.7, 0.2]))).toBe(1);
    expect(argmax(new Float32Array([0.5, 0.5]))).toBe(0);
    expect(argmax(new Float32Array([]))).toBe(-1);
  });

  it('accuracy is the fraction right', () => {
    expect(accuracy(labels, predicted)).toBeCloseTo(4 / 6);
    expect(accuracy([], [])).toBe(0);
    expect(() => accuracy([0], [])).toThrow();
  });

  it('confusion matrix has true classes as rows', () => {
    expect(confusionMatrix(labels, predicted, 4)).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('per-class accuracy is null for a class without examples', () => {
    expect(perClassAccuracy(labels, predicted, 4)).toEqual([2 / 3, 0.5, 1, null]);
  });

  it('expected calibration error weighs |accuracy − confidence| by bin size', () => {
    // Bin 0.9: two predictions at 0.9, one right → |0.5 − 0.9| = 0.4, weight 2/4.
    // Bin 0.6: two predictions at 0.6, both right → |1 − 0.6| = 0.4, weight 2/4.
    const probs = [[0.9, 0.1], [0.1, 0.9], [0.6, 0.4], [0.4, 0.6]].map((p) => new Float32Array(p));
    expect(expectedCalibrationError(probs, [0, 0, 0, 1])).toBeCloseTo(0.4, 5);
    const perfect = [new Float32Array([1, 0]), new Float32Array([0, 1])];
    expect(expectedCalibrationError(perfect, [0, 1])).toBeCloseTo(0, 6);
  });
});
