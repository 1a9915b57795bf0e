import { afterEach, describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent, formatRelativeTime } from './format';
import { language, setLanguage, t } from './i18n';
import { pickLanguage } from './languages';

afterEach(() => setLanguage('en'));

describe('pickLanguage', () => {
  it('takes the first preference Kiln ships, by exact tag or by its base language', () => {
    expect(pickLanguage(['fr-FR', 'es-MX', 'en'])).toBe('es');
    expect(pickLanguage(['ar-EG'])).toBe('ar');
    expect(pickLanguage(['EN-gb', 'es'])).toBe('en');
  });

  it('falls back to English when nothing fits or nothing is known', () => {
    expect(pickLanguage(['fr', 'de'])).toBe('en');
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
    const digits = (n: number) => new Intl.NumberFormat('ar').format(n);
    expect(t('projects.classCount', { count: 0 })).toBe('لا فئات');
    expect(t('projects.classCount', { count: 1 })).toBe('فئة واحدة');
    expect(t('projects.classCount', { count: 2 })).toBe('فئتان');
    expect(t('projects.classCount', { count: 3 })).toBe(`${digits(3)} فئات`);
    expect(t('projects.classCount', { count: 11 })).toBe(`${digits(11)} فئة`);
    expect(t('projects.classCount', { count: 100 })).toBe(`${digits(100)} فئة`);
  });
});
