import type { UserMessage } from '../user-message';

/** What the dataset health check found (see ml/health.ts). Plain data: it crosses the worker boundary by structured clone. */

/** What the dataset health check found (see ml/health.ts); photos are referred to by id, class and name. */
export interface HealthReport {
  checkedAt: number;
  photoCount: number;
  /** Near duplicates need every photo's embedding: checked on request, not after each import. */
  nearChecked: boolean;
  duplicates: { hash: string; photos: HealthPhoto[]; crossClass: boolean }[];
  near: { a: HealthPhoto; b: HealthPhoto; similarity: number }[];
  /** More near pairs passed the threshold than `near` lists (the most similar are kept). */
  nearTruncated?: boolean;
  balance: {
    kind: 'imbalance' | 'few-photos';
    classIds: string[];
    message: string;
    advice: string;
    /** `message` and `advice` as translatable messages. */
    said?: { message: UserMessage; advice: UserMessage };
  }[];
  exposure: { photo: HealthPhoto; issues: ('too-dark' | 'too-bright' | 'blurry')[] }[];
}

export interface HealthPhoto {
  id: string;
  classId: string;
  hash: string;
  name: string;
}
