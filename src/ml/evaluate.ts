/** Plain-number metrics over labels and predictions. No tensors. */

/** Index of the largest value (the first one on ties); -1 for an empty array. */
export function argmax(values: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (best < 0 || values[i] > values[best]) best = i;
  return best;
}

function checkSameLength(labels: readonly number[], predicted: readonly number[]): void {
  if (labels.length !== predicted.length) {
    throw new Error(`labels (${labels.length}) and predictions (${predicted.length}) differ in length.`);
  }
}

/** Fraction of predictions equal to the label; 0 when there are none. */
export function accuracy(labels: readonly number[], predicted: readonly number[]): number {
  checkSameLength(labels, predicted);
  if (labels.length === 0) return 0;
  return labels.filter((l, i) => predicted[i] === l).length / labels.length;
}

/** Accuracy per true class; null for a class with no examples. */
export function perClassAccuracy(labels: readonly number[], predicted: readonly number[], numClasses: number): (number | null)[] {
  const matrix = confusionMatrix(labels, predicted, numClasses);
  return matrix.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[c] / total;
  });
}

/** counts[trueClass][predictedClass]. */
export function confusionMatrix(labels: readonly number[], predicted: readonly number[], numClasses: number): number[][] {
  checkSameLength(labels, predicted);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  labels.forEach((l, i) => {
    const p = predicted[i];
    if (l < 0 || l >= numClasses || p < 0 || p >= numClasses) throw new Error(`Class index out of range at ${i}: ${l} → ${p}.`);
    m[l][p]++;
  });
  return m;
}

/**
 * Expected calibration error: bins predictions by their top probability and averages
 * |accuracy − confidence| over bins, weighted by bin size. 0 is perfectly calibrated.
 */
export function expectedCalibrationError(probabilities: readonly ArrayLike<number>[], labels: readonly number[], bins = 10): number {
  if (probabilities.length !== labels.length) throw new Error('probabilities and labels differ in length.');
  if (labels.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  probabilities.forEach((p, i) => {
    const top = argmax(p);
    const conf = p[top];
    const b = Math.min(bins - 1, Math.floor(conf * bins));
    count[b]++;
    confidence[b] += conf;
    if (top === labels[i]) correct[b]++;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += (count[b] / labels.length) * Math.abs(correct[b] / count[b] - confidence[b] / count[b]);
  }
  return ece;
}
