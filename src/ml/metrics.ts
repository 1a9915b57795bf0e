/** Pure metric functions on plain arrays: no tensors, so the UI and tests can use them anywhere. */

export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** counts[true][predicted] */
export function confusionMatrix(trueLabels: readonly number[], predicted: readonly number[], numClasses: number): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  trueLabels.forEach((t, i) => {
    matrix[t]![predicted[i]!]! += 1;
  });
  return matrix;
}

export function accuracy(trueLabels: readonly number[], predicted: readonly number[]): number {
  if (trueLabels.length === 0) return Number.NaN;
  let right = 0;
  trueLabels.forEach((t, i) => {
    if (predicted[i] === t) right++;
  });
  return right / trueLabels.length;
}

/** Per-class F1 from a confusion matrix; a class never predicted and never present scores 0. */
export function f1PerClass(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, k) => {
    const tp = row[k]!;
    const actual = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + r[k]!, 0);
    return actual + predicted === 0 ? 0 : (2 * tp) / (actual + predicted);
  });
}

/** Unweighted mean of per-class F1 over the classes present in the data. */
export function macroF1(confusion: readonly (readonly number[])[]): number {
  const present = confusion.map((row) => row.reduce((a, b) => a + b, 0) > 0);
  const scores = f1PerClass(confusion).filter((_, k) => present[k]);
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : Number.NaN;
}

export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** The most likely class of each row of a flat probabilities array. */
export function argMaxRows(probabilities: ArrayLike<number>, numClasses: number): number[] {
  const rows = probabilities.length / numClasses;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (probabilities[r * numClasses + k]! > probabilities[r * numClasses + best]!) best = k;
    return best;
  });
}
