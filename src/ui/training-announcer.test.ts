import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../shared/types';
import { quarter, trainingAnnouncement } from './training-announcer';

const at = (p: Partial<TrainProgress>): TrainProgress => ({
  phase: 'training',
  done: 0,
  total: 10,
  epoch: null,
  fold: null,
  notice: null,
  ...p,
});

describe('trainingAnnouncement', () => {
  it('changes only at each quarter of a stage, not at every epoch', () => {
    const messages = Array.from({ length: 21 }, (_, done) => trainingAnnouncement(at({ done, total: 20 })));
    expect(new Set(messages)).toEqual(new Set([0, 25, 50, 75, 100].map((p) => `Training: ${p}% done.`)));
  });

  it('names the stage, the fold and a download notice', () => {
    expect(trainingAnnouncement(null)).toBe('Training started.');
    expect(trainingAnnouncement(at({ phase: 'embedding', done: 3, total: 6 }))).toBe('Preparing photos: 50% done.');
    expect(trainingAnnouncement(at({ fold: { index: 2, count: 5 }, done: 9, total: 10 }))).toBe(
      'Training, cross-validation fold 2 of 5: 75% done.',
    );
    expect(trainingAnnouncement(at({ phase: 'preparing', notice: 'Downloading MobileNetV2 (first use only)…' }))).toBe(
      'Downloading MobileNetV2 (first use only)…',
    );
  });

  it('rounds down and copes with an empty stage', () => {
    expect(quarter(0, 0)).toBe(0);
    expect(quarter(1, 3)).toBe(25);
    expect(quarter(3, 3)).toBe(100);
  });
});
