import type { TrainProgress } from '../../api/types';
import { userMessage } from '../../api/user-message';

/** How the caller follows and stops a run. */
export interface TrainControl {
  onProgress?: (p: TrainProgress) => void;
  isCancelled?: () => boolean;
}

/** A progress report, with no epoch, fold or notice unless given. */
export const progress = (p: Partial<TrainProgress> & Pick<TrainProgress, 'phase' | 'done' | 'total'>): TrainProgress => ({
  epoch: null,
  fold: null,
  notice: null,
  ...p,
});

/** The progress line while a backbone downloads on first use. */
export function downloadNotice(name: string): Pick<TrainProgress, 'notice' | 'noticeMessage'> {
  const message = userMessage('train.downloading', `Downloading ${name} (first use only)…`, { name });
  return { notice: message.text, noticeMessage: message };
}
