import { afterEach, describe, expect, it } from 'vitest';
import { bidiParts, FSI, isolate, PDI, withoutIsolates } from './bidi';
import { formatList } from './format';
import { setLanguage, t, ti } from './i18n';

afterEach(() => setLanguage('en'));

describe('bidiParts', () => {
  it('splits a sentence at its isolates, nested ones included', () => {
    expect(bidiParts('Delete “⁨نحل⁩”?')).toEqual(['Delete “', { isolated: ['نحل'] }, '”?']);
    expect(bidiParts('a ⁨b ⁨c⁩ d⁩ e')).toEqual(['a ', { isolated: ['b ', { isolated: ['c'] }, ' d'] }, ' e']);
    expect(bidiParts('plain')).toEqual(['plain']);
  });

  it('drops unmatched marks and keeps the text', () => {
    expect(bidiParts('a⁩ b')).toEqual(['a', ' b']);
    expect(bidiParts('a ⁨b')).toEqual(['a ', { isolated: ['b'] }]);
  });

  it('keeps isolates inside a value balanced, so a stray mark in a name cannot break the sentence', () => {
    expect(isolate(`${FSI}rock${PDI}`)).toBe(`${FSI}${FSI}rock${PDI}${PDI}`);
    expect(isolate(`rock${PDI}`)).toBe(`${FSI}rock${PDI}`);
    expect(isolate(`${FSI}rock`)).toBe(`${FSI}${FSI}rock${PDI}${PDI}`);
    expect(withoutIsolates(isolate('rock'))).toBe('rock');
  });
});

describe('ti', () => {
  it('isolates each value, names and numbers, and reads as t() without the marks', () => {
    const shown = ti('projects.deleteTitle', { name: 'نحل' });
    expect(shown).toBe(`Delete “${FSI}نحل${PDI}”?`);
    expect(withoutIsolates(shown)).toBe(t('projects.deleteTitle', { name: 'نحل' }));
    setLanguage('ar');
    const counted = ti('projects.classCount', { count: 12 });
    expect(counted).toContain(`${FSI}12${PDI}`);
    expect(withoutIsolates(counted)).toBe(t('projects.classCount', { count: 12 }));
  });

  it('isolates a list as a whole and each name in it, so the list keeps the sentence’s direction', () => {
    setLanguage('ar');
    const names = formatList(['rock', 'paper'].map(isolate));
    const parts = bidiParts(ti('train.settingsSummary', { summary: names }));
    // "(⁨⁨rock⁩ و⁨paper⁩⁩)": the brackets stay outside, the list is one run, each name its own.
    expect(parts[0]).toBe('(');
    expect(parts.at(-1)).toBe(')');
    expect(parts[1]).toEqual({ isolated: [{ isolated: ['rock'] }, ' و', { isolated: ['paper'] }] });
  });
});
