import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n/i18n';
import { captureAnnouncement, importAnnouncement } from './import-announcer';

afterEach(() => setLanguage('en'));

describe('importAnnouncement', () => {
  it('says nothing before any import, and speaks at the start, at each quarter and at the end only', () => {
    expect(importAnnouncement(null, false)).toBe('');
    const messages = Array.from({ length: 41 }, (_, done) => importAnnouncement({ done, total: 40 }, false));
    expect(new Set(messages)).toEqual(
      new Set(['Import started.', 'Import: 25% done.', 'Import: 50% done.', 'Import: 75% done.', 'Import: 100% done.']),
    );
    expect(importAnnouncement(null, true)).toBe('Import finished.');
  });

  it('copes with a total not known yet (a zip still being read)', () => {
    expect(importAnnouncement({ done: 0, total: 0 }, false)).toBe('Import started.');
    expect(importAnnouncement({ done: 3, total: 0 }, false)).toBe('Import started.');
  });

  it('never repeats the words of the visible progress line', () => {
    // The visible line stays findable by its own text ("Adding photos…") without matching this one.
    for (const job of [null, { done: 0, total: 8 }, { done: 4, total: 8 }]) {
      expect(importAnnouncement(job, true).toLowerCase()).not.toContain('adding photos');
    }
  });

  it('speaks the current language, with its own percent formatting', () => {
    setLanguage('es');
    const percent = new Intl.NumberFormat('es', { style: 'percent' }).format(0.5);
    expect(importAnnouncement({ done: 5, total: 10 }, false)).toContain(percent);
    setLanguage('ar');
    const message = importAnnouncement({ done: 3, total: 4 }, false);
    expect(message).toContain(new Intl.NumberFormat('ar', { style: 'percent' }).format(0.75));
    expect(message).not.toMatch(/[A-Za-z]/);
    expect(importAnnouncement(null, true)).not.toMatch(/[A-Za-z]/);
  });
});

describe('captureAnnouncement', () => {
  it('says how many photos were taken this time and in all, and nothing when none were', () => {
    expect(captureAnnouncement(0, 5)).toBe('');
    expect(captureAnnouncement(1, 1)).toBe('1 photo taken (1 so far).');
    expect(captureAnnouncement(12, 30)).toBe('12 photos taken (30 so far).');
  });

  it("does not repeat the visible counter's words, so that counter stays findable on its own", () => {
    expect(captureAnnouncement(12, 30)).not.toContain('captured');
    setLanguage('ar');
    expect(captureAnnouncement(2, 7)).not.toContain('التُقطت');
    expect(captureAnnouncement(2, 7)).not.toMatch(/[A-Za-z]/);
    setLanguage('es');
    expect(captureAnnouncement(3, 3)).toMatch(/^Se hicieron 3 fotos/);
  });
});
