import type { UserMessage } from '../user-message';
import type { ProjectRecord, RefusedFile } from './records';
import type { EpochLog } from './runs';

/** What long jobs report while they run, and what imports report when done. Plain data: it crosses the worker boundary by structured clone. */

export interface ImportReport {
  added: number;
  refused: RefusedFile[];
  cancelled: boolean;
  /** Set when storage ran out of space; what was added before stays. */
  stoppedBy: string | null;
  /** `stoppedBy` as a translatable message. */
  stoppedByMessage?: UserMessage | null;
}

/**
 * What a whole-project import made (a Kiln project file or classroom pack, a Teachable Machine project): the
 * project, each class's photos that went in and those refused with why, and files skipped for what they are.
 */
export interface ProjectImportReport {
  project: ProjectRecord;
  classes: { name: string; report: ImportReport }[];
  /** Files that are not a Teachable Machine project's photos, skipped. */
  ignored: string[];
  /** Files of a zip of class folders that went into no class, each with why. */
  skipped?: RefusedFile[];
  /** Set when the disk filled up: the project keeps the photos that went in. */
  stoppedBy: string | null;
  /** `stoppedBy` as a translatable message. */
  stoppedByMessage?: UserMessage | null;
}

export interface ImportProgress {
  done: number;
  total: number;
}

/** 'refit': training once more on all photos, after the held-back ones chose the epochs. */
export type TrainPhase = 'embedding' | 'preparing' | 'fold' | 'training' | 'refit';

export interface TrainProgress {
  phase: TrainPhase;
  done: number;
  total: number;
  epoch: EpochLog | null;
  /** During cross-validation: which fold (1-based) of how many. */
  fold: { index: number; count: number } | null;
  /** What is happening right now, such as a first download (shown in the progress line). */
  notice: string | null;
  /** The notice with its message key, for the page to translate. */
  noticeMessage?: UserMessage | null;
  /** Something the person should know after training too, such as a backend switch after a lost GPU. */
  warning?: string | null;
  /** The warning with its message key, for the page to translate. */
  warningMessage?: UserMessage | null;
}
