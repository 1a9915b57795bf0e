import { seededRandom, shuffled } from './random';

export interface Split {
  train: number[];
  validation: number[];
}

/**
 * Stratified train/validation split: each class gives the same share of its items to validation,
 * so a small class is never left out of the score. Returns indices into `labels`.
 *
 * A class with a single item stays in training (it cannot be scored without being unseen).
 */
export function stratifiedSplit(labels: readonly number[], validationFraction: number, seed: number): Split {
  if (validationFraction < 0 || validationFraction >= 1) {
    throw new Error(`validationFraction must be in [0, 1), got ${validationFraction}`);
  }
  const random = seededRandom(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    const list = byClass.get(label) ?? [];
    list.push(index);
    byClass.set(label, list);
  });
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffled(byClass.get(label)!, random);
    let take = Math.round(members.length * validationFraction);
    if (validationFraction > 0 && take === 0 && members.length >= 4) take = 1;
    take = Math.min(take, members.length - 1);
    validation.push(...members.slice(0, take));
    train.push(...members.slice(take));
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}
