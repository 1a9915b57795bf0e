import type { BalanceMode } from '../api/settings';

/** Imbalance above which 'auto' turns class weights on: the largest class more than twice the smallest. */
export const AUTO_BALANCE_RATIO = 2;

export function classCounts(labels: readonly number[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) counts[label]! += 1;
  return counts;
}

/**
 * "Balanced" class weights, n / (classes × count), as scikit-learn computes them: every class then
 * contributes equally to the loss. Null when weighting is off (or 'auto' finds the classes balanced).
 */
export function classWeights(labels: readonly number[], numClasses: number, mode: BalanceMode): number[] | null {
  if (mode === 'off') return null;
  const counts = classCounts(labels, numClasses);
  const present = counts.filter((c) => c > 0);
  if (present.length === 0) return null;
  if (mode === 'auto' && Math.max(...present) <= AUTO_BALANCE_RATIO * Math.min(...present)) return null;
  return counts.map((count) => (count === 0 ? 0 : labels.length / (numClasses * count)));
}
