import type { TrainProgress } from '../shared/types';

/**
 * What a screen reader hears about a running training. The visible progress line changes on every
 * photo batch and every epoch; reading all of that aloud would drown everything else. So this turns
 * the progress into a message that changes only at each stage and at each quarter of a stage.
 */
export function trainingAnnouncement(progress: TrainProgress | null): string {
  if (!progress) return 'Training started.';
  if (progress.phase === 'preparing') return progress.notice ?? 'Preparing to train.';
  const stage = progress.phase === 'embedding' ? 'Preparing photos' : 'Training';
  const fold = progress.fold ? `, cross-validation fold ${progress.fold.index} of ${progress.fold.count}` : '';
  return `${stage}${fold}: ${quarter(progress.done, progress.total)}% done.`;
}

/** done/total rounded down to 0, 25, 50, 75 or 100. */
export function quarter(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 4) * 25);
}
