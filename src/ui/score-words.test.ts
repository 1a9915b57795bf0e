import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import { honestScore } from '../api/domain';
import type { RunRecord } from '../api/types';
import { withoutIsolates } from './i18n/bidi';
import { missingMessages, setLanguage } from './i18n/i18n';
import { addPhotosText, guessingAdviceText, rangeText, restsOnText, runScore, scoreTag, verdictText } from './score-words';
import { finishedAnnouncement } from './training-announcer';

afterEach(() => setLanguage('en'));

const names = ['roses', 'tulips', 'daisies'];
const plain = (text: string | null) => (text === null ? null : withoutIsolates(text));
const heldBack = (classCounts: number[]) => ({ kind: 'held-back' as const, fraction: 0.15, classCounts });

function run(confusion: number[][], extra: Partial<RunRecord> = {}): RunRecord {
  const validationCount = confusion.flat().reduce((a, b) => a + b, 0);
  const right = confusion.reduce((sum, row, i) => sum + row[i]!, 0);
  return {
    status: 'completed',
    settings: DEFAULT_SETTINGS,
    classes: confusion.map((_, i) => ({ id: `c${i}`, name: names[i]!, count: 10 })),
    metrics: {
      trainCount: 24,
      validationCount,
      validationAccuracy: validationCount ? right / validationCount : null,
      confusion,
    },
    crossValidation: null,
    imported: null,
    ...extra,
  } as RunRecord;
}

describe('the verdict in words', () => {
  it('says how many unseen photos it recognises and which classes it mixes up most', () => {
    const score = honestScore([
      [4, 1, 0],
      [0, 5, 0],
      [0, 0, 5],
    ]);
    expect(plain(verdictText(score, names))).toBe(
      'Recognises 14 of 15 photos it has not seen; mixes up “roses” and “tulips” most.',
    );
    expect(plain(restsOnText(score, heldBack([30, 30, 30])))).toBe('14 of 15 held-back photos right');
    expect(plain(restsOnText(score, { kind: 'test' }))).toBe('14 of 15 test photos right');
  });

  it('shows the range and how many photos to add when a class has fewer than 20 to check on', () => {
    const score = honestScore([
      [5, 0],
      [1, 4],
    ]);
    expect(plain(rangeText(score))).toBe('With so few photos to check on, the real score is probably between 60% and 98%.');
    // 15 % held back: 130 photos hold 20 back; the classes have 33 and 33.
    expect(plain(addPhotosText(score, heldBack([33, 33]), names))).toBe(
      'For a score you can trust, each class needs about 20 photos held back: add about 97 more photos to each class.',
    );
    expect(plain(addPhotosText(score, { kind: 'test' }, names))).toBe(
      'For a score you can trust, give each class 20 test photos: add 15 more to each class.',
    );
    expect(scoreTag(score)).toBe('few photos to tell');
  });

  it('names only the classes short of photos', () => {
    const score = honestScore([
      [20, 0, 0],
      [0, 5, 0],
      [0, 0, 3],
    ]);
    expect(plain(addPhotosText(score, { kind: 'test' }, names))).toBe(
      'For a score you can trust, give each class 20 test photos: add 17 more to “tulips” and “daisies”.',
    );
  });

  it('says nothing about range or photos to add once every class has 20 to check on', () => {
    const score = honestScore([
      [19, 1],
      [2, 18],
    ]);
    expect(rangeText(score)).toBeNull();
    expect(addPhotosText(score, heldBack([140, 140]), names)).toBeNull();
    expect(scoreTag(score)).toBeNull();
  });

  it('calls a model that answers one class for everything guessing, and says what to do', () => {
    const score = honestScore([
      [2, 0],
      [2, 0],
    ]);
    expect(plain(verdictText(score, names))).toBe(
      'The model is guessing: it answers “roses” for 4 of the 4 photos it has not seen.',
    );
    expect(plain(guessingAdviceText(score, names))).toMatch(/^It has not learned the difference yet\./);
    expect(scoreTag(score)).toBe('guessing');
  });

  it('calls a score about chance guessing, and a lucky-looking one too few to tell', () => {
    const guess = honestScore([
      [10, 10],
      [11, 9],
    ]);
    expect(plain(verdictText(guess, names))).toBe(
      'The model is guessing: it got 19 of 40 photos it has not seen right, about what picking at random gets (50%).',
    );
    const lucky = honestScore([
      [1, 0],
      [0, 1],
    ]);
    expect(plain(verdictText(lucky, names))).toBe(
      'Too few photos to tell yet: it got 2 of 2 photos it has not seen right, and that could be luck.',
    );
    expect(guessingAdviceText(lucky, names)).toBeNull();
  });

  it('without held-back photos, says how many photos a class needs for some to be held back', () => {
    const none = honestScore([
      [0, 0],
      [0, 0],
    ]);
    expect(verdictText(none, names)).toBe('No photos were held back to check the model on, so there is no honest score yet.');
    expect(plain(addPhotosText(none, heldBack([3, 3]), names))).toBe(
      'Give each class at least 4 photos, so Kiln can hold some back to check the model on.',
    );
    expect(addPhotosText(none, { kind: 'held-back', fraction: 0, classCounts: [3, 3] }, names)).toMatch(/Validation \(%\)/);
  });

  it('speaks Spanish and Arabic with every message there (no English fallback)', () => {
    const score = honestScore([
      [4, 1],
      [0, 5],
    ]);
    setLanguage('es');
    expect(plain(verdictText(score, names))).toMatch(
      /^Reconoce 9 de 10 fotos que no ha visto; donde más se confunde es entre «roses» y «tulips»\.$/,
    );
    expect(plain(addPhotosText(score, heldBack([33, 33]), names))).toContain('cada clase');
    setLanguage('ar');
    expect(plain(verdictText(score, names))).toContain('«roses»');
    expect(plain(rangeText(score))).not.toMatch(/[A-Za-z]/);
    expect(missingMessages().filter((m) => m.key.startsWith('score.'))).toEqual([]);
  });
});

describe('runScore', () => {
  it('reads a run by its held-back photos', () => {
    const scored = runScore(
      run([
        [2, 0],
        [0, 2],
      ]),
    )!;
    expect(scored.score).toMatchObject({ right: 4, total: 4, verdict: 'uncertain' });
    expect(scored.set).toEqual({ kind: 'held-back', fraction: DEFAULT_SETTINGS.validationFraction, classCounts: [10, 10] });
  });

  it('after k-fold, reads every photo once across the folds', () => {
    const r = run(
      [
        [0, 0],
        [0, 0],
      ],
      {
        classes: [
          { id: 'a', name: 'roses', count: 15 },
          { id: 'b', name: 'tulips', count: 15 },
        ],
        crossValidation: {
          k: 3,
          folds: [
            { fold: 1, accuracy: 0.9, macroF1: 0.9, trainCount: 20, validationCount: 10, epochs: 5 },
            { fold: 2, accuracy: 1, macroF1: 1, trainCount: 20, validationCount: 10, epochs: 5 },
            { fold: 3, accuracy: 0.8, macroF1: 0.8, trainCount: 20, validationCount: 10, epochs: 5 },
          ],
          accuracy: { mean: 0.9, std: 0.08 },
          macroF1: { mean: 0.9, std: 0.08 },
        },
      },
    );
    expect(runScore(r)).toMatchObject({ score: { right: 27, total: 30 }, set: { kind: 'cross-validation' } });
  });

  it('has nothing to read for an imported or unfinished run', () => {
    expect(
      runScore(
        run(
          [
            [1, 0],
            [0, 1],
          ],
          { imported: { source: 'teachable-machine', fileName: 'm.zip', madeWith: '', savedAt: null } },
        ),
      ),
    ).toBeNull();
    expect(
      runScore(
        run(
          [
            [1, 0],
            [0, 1],
          ],
          { status: 'running' },
        ),
      ),
    ).toBeNull();
  });
});

describe('finishedAnnouncement', () => {
  it('announces the verdict, as plain text', () => {
    const text = finishedAnnouncement(
      run([
        [2, 0],
        [2, 0],
      ]),
    );
    expect(text).toBe('Training finished. The model is guessing: it answers “roses” for 4 of the 4 photos it has not seen.');
    expect(text).toBe(withoutIsolates(text));
  });
});
