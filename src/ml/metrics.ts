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
