import { seededRandom, shuffled } from './random';

export interface Fold {
  train: number[];
  validation: number[];
}

/**
 * Stratified k-fold: each class's items are shuffled (seeded) and dealt round-robin into k folds, so
 * every fold holds about 1/k of every class. Each fold serves once as validation.
 */
export function stratifiedKFold(labels: readonly number[], k: number, seed: number): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer of at least 2, got ${k}`);
  const random = seededRandom(seed);
  const assignment = new Array<number>(labels.length).fill(0);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => byClass.set(label, [...(byClass.get(label) ?? []), index]));
  let offset = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    // Continue the deal where the previous class stopped, so small classes do not all land in fold 0.
    shuffled(byClass.get(label)!, random).forEach((index, i) => {
      assignment[index] = (offset + i) % k;
    });
    offset = (offset + byClass.get(label)!.length) % k;
  }
  return Array.from({ length: k }, (_, fold) => ({
    train: labels.map((_, i) => i).filter((i) => assignment[i] !== fold),
    validation: labels.map((_, i) => i).filter((i) => assignment[i] === fold),
  }));
}
