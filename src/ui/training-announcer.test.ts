import { afterEach, describe, expect, it } from 'vitest';
import type { TrainProgress } from '../api/types';
import { setLanguage } from './i18n/i18n';
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

afterEach(() => setLanguage('en'));

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

  it('speaks the current language, with its own number and percent formatting', () => {
    setLanguage('es');
    const percent = (p: number) => new Intl.NumberFormat('es', { style: 'percent' }).format(p);
    expect(trainingAnnouncement(null)).toBe('Ha empezado el entrenamiento.');
    expect(trainingAnnouncement(at({ done: 5, total: 10 }))).toBe(`Entrenando: ${percent(0.5)} hecho.`);
    setLanguage('ar');
    const message = trainingAnnouncement(at({ fold: { index: 2, count: 5 }, done: 9, total: 10 }));
    const number = (n: number) => new Intl.NumberFormat('ar').format(n);
    expect(message).toContain('التحقق المتقاطع');
    expect(message).toContain(`${number(2)} من ${number(5)}`);
    expect(message).toContain(new Intl.NumberFormat('ar', { style: 'percent' }).format(0.75));
    expect(message).not.toMatch(/[A-Za-z]/);
  });

  it('rounds down and copes with an empty stage', () => {
    expect(quarter(0, 0)).toBe(0);
    expect(quarter(1, 3)).toBe(25);
    expect(quarter(3, 3)).toBe(100);
  });
});
