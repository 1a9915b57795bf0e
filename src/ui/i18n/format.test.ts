import { afterEach, describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDateTime,
  formatDecimal,
  formatDuration,
  formatList,
  formatLocale,
  formatNumber,
  formatPercent,
  formatRelativeTime,
} from './format';
import { language, setLanguage, t } from './i18n';
import { intlLocale, LANGUAGES, pickLanguage } from './languages';

afterEach(() => setLanguage('en'));

describe('pickLanguage', () => {
  it('takes the first preference Kiln ships, by exact tag or by its base language', () => {
    expect(pickLanguage(['sv-SE', 'es-MX', 'en'])).toBe('es');
    expect(pickLanguage(['fr-CA', 'en'])).toBe('fr');
    expect(pickLanguage(['zh-CN'])).toBe('zh');
    expect(pickLanguage(['ar-EG'])).toBe('ar');
    expect(pickLanguage(['EN-gb', 'es'])).toBe('en');
  });

  it('falls back to English when nothing fits or nothing is known', () => {
    expect(pickLanguage(['sv', 'fi'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });
});

describe('formatting follows the language', () => {
  it('writes English as the screens always have', () => {
    expect(formatPercent(0.853)).toBe('85.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(12 * 1024)).toBe('12 KB');
    expect(formatBytes(3.45 * 1024 * 1024)).toBe('3.5 MB');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
  });

  it('uses Spanish separators and words', () => {
    setLanguage('es');
    expect(language()).toBe('es');
    expect(formatPercent(0.853)).toBe(new Intl.NumberFormat('es', { style: 'percent', minimumFractionDigits: 1 }).format(0.853));
    expect(formatBytes(3.45 * 1024 * 1024)).toBe('3,5 MB');
    expect(t('projects.classCount', { count: 1 })).toBe('1 clase');
    expect(t('projects.classCount', { count: 3 })).toBe('3 clases');
    expect(formatRelativeTime(Date.now() - 3 * 60_000)).toBe('hace 3 minutos');
  });

  it('uses every Arabic plural form', () => {
    setLanguage('ar');
    const digits = (n: number) => new Intl.NumberFormat(intlLocale('ar')).format(n);
    expect(t('projects.classCount', { count: 0 })).toBe('لا فئات');
    expect(t('projects.classCount', { count: 1 })).toBe('فئة واحدة');
    expect(t('projects.classCount', { count: 2 })).toBe('فئتان');
    expect(t('projects.classCount', { count: 3 })).toBe(`${digits(3)} فئات`);
    expect(t('projects.classCount', { count: 11 })).toBe(`${digits(11)} فئة`);
    expect(t('projects.classCount', { count: 100 })).toBe(`${digits(100)} فئة`);
  });
});

describe('one digit system per language', () => {
  /** The ten digits of an Intl numbering system, "0123456789" for 'latn'. */
  const digitsOf = (system: string) =>
    new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(1234567890).slice(-1) +
    new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false }).format(123456789);

  it('pins each language’s digits in the locale every formatter gets', () => {
    expect(intlLocale('ar')).toBe('ar-u-nu-latn');
    expect(intlLocale('es')).toBe('es-u-nu-latn');
    expect(intlLocale('xx')).toBe('xx');
    setLanguage('ar');
    expect(formatLocale()).toBe('ar-u-nu-latn');
  });

  it.each(LANGUAGES.map((l) => [l.code, l.digits]))('%s writes every number in %s digits', (code, system) => {
    setLanguage(code as (typeof LANGUAGES)[number]['code']);
    const date = new Date(2026, 2, 14, 15, 9, 26);
    const shown = [
      formatNumber(1234567.89),
      formatDecimal(0.5, 2),
      formatPercent(0.853),
      formatBytes(3.45 * 1024 * 1024),
      formatDuration(185_000),
      formatDuration(3_900_000),
      formatDateTime(date, true),
      formatRelativeTime(Date.now() - 3 * 60_000),
      t('projects.classCount', { count: 12 }), // {{count, number}} (or a bare {{count}} in English)
      t('backend.rate', { backend: 'WASM', rate: 12.5 }), // a bare {{rate}}
      t('worker.import.tooLarge', { width: 12000, height: 9000, megapixels: 108 }),
    ].join(' ');
    const own = new Set(digitsOf(system));
    const digits = shown.match(/\p{Nd}/gu) ?? [];
    expect(digits.length).toBeGreaterThan(20);
    expect(digits.filter((d) => !own.has(d))).toEqual([]);
  });

  it('writes bare numbers in messages with the language’s decimal sign, and English as String(n)', () => {
    expect(t('backend.rate', { backend: 'WASM', rate: 12.5 })).toBe('WASM 12.5 images/s');
    setLanguage('es');
    expect(t('backend.rate', { backend: 'WASM', rate: 12.5 })).toBe('WASM 12,5 imágenes/s');
  });

  it('lists in the language’s words', () => {
    expect(formatList(['rock', 'paper', 'scissors'])).toBe('rock, paper, and scissors');
    setLanguage('es');
    expect(formatList(['rock', 'paper', 'scissors'])).toBe('rock, paper y scissors');
  });
});
