import { formatNumber, formatPercent } from './i18n/format';
import { t } from './i18n/i18n';
import { quarter } from './training-announcer';

/** How far an import has got: `done` of `total` files (total 0 while it is still unknown). */
export interface ImportProgress {
  done: number;
  total: number;
}

/**
 * What a screen reader hears about an import of photos. The visible line ("Adding photos: 12 of 40") changes with
 * every photo; reading each one aloud would drown everything else. So this says when it starts, at each quarter,
 * and when it is over (`ended`: an import ran since the screen opened and none runs now). Empty before any import.
 * The sentence is in the current language (called inside a $derived, it follows a language switch).
 */
export function importAnnouncement(job: ImportProgress | null, ended: boolean): string {
  if (!job) return ended ? t('announce.import.finished') : '';
  const percent = quarter(job.done, job.total);
  if (job.total <= 0 || percent === 0) return t('announce.import.started');
  return t('announce.import.progress', { percent: formatPercent(percent / 100, 0) });
}

/**
 * What a screen reader hears when the camera stops taking photos (one photo, the end of a burst or of a
 * recording): how many this time, and how many in all since the camera opened. Nothing when none were taken.
 * The visible counter changes many times a second while recording, so it is not read aloud itself.
 */
export function captureAnnouncement(taken: number, total: number): string {
  if (taken <= 0) return '';
  return t('announce.capture.taken', { count: taken, total: formatNumber(total) });
}
