import type { RunRecord, TrainProgress } from '../api/types';
import { withoutIsolates } from './i18n/bidi';
import { formatNumber, formatPercent } from './i18n/format';
import { t } from './i18n/i18n';
import { messageText } from './i18n/messages';
import { runScore, verdictText } from './score-words';

/**
 * What a screen reader hears about a running training. The visible progress line changes on every
 * photo batch and every epoch; reading all of that aloud would drown everything else. So this turns
 * the progress into a message that changes only at each stage and at each quarter of a stage.
 * The sentence is in the current language (called inside a $derived, it follows a language switch).
 */
export function trainingAnnouncement(progress: TrainProgress | null): string {
  if (!progress) return t('announce.started');
  if (progress.phase === 'preparing') {
    if (progress.noticeMessage) return messageText(progress.noticeMessage);
    return progress.notice ?? t('announce.preparing');
  }
  const stage = progress.phase === 'embedding' ? 'embedding' : 'training';
  const percent = formatPercent(quarter(progress.done, progress.total) / 100, 0);
  if (!progress.fold) return t(`announce.${stage}`, { percent });
  const fold = formatNumber(progress.fold.index);
  const folds = formatNumber(progress.fold.count);
  return t(`announce.${stage}Fold`, { fold, folds, percent });
}

/** done/total rounded down to 0, 25, 50, 75 or 100. */
export function quarter(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((done / total) * 4) * 25);
}

/**
 * What a screen reader hears when training finishes: "Training finished." and the results' verdict, the same words
 * as the top of the results ("Recognises 5 of 6 photos it has not seen.", or that the model is guessing).
 */
export function finishedAnnouncement(
  run: Pick<RunRecord, 'metrics' | 'classes' | 'settings' | 'crossValidation' | 'imported' | 'status'>,
): string {
  const scored = runScore(run);
  if (!scored) return t('train.finished');
  // Plain text for the live region: no isolation marks (they are for <BidiText> on the page).
  const verdict = withoutIsolates(
    verdictText(
      scored.score,
      run.classes.map((c) => c.name),
    ),
  );
  return t('train.finishedVerdict', { verdict });
}
