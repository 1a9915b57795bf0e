import { bytesIn, language, t } from './i18n';
import { intlLocale } from './languages';

/**
 * Locale-aware formatting of numbers, percentages, sizes, durations and dates, in the current language.
 * Each function reads the language, so a template that calls it re-renders when the language changes.
 * Every Intl formatter gets `formatLocale()`, the language with its one digit system pinned (languages.ts).
 */

/** The locale to give any Intl formatter (and Chart.js's `locale`): "ar-u-nu-latn". */
export function formatLocale(): string {
  return intlLocale(language());
}

const EMPTY = '—';

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(formatLocale(), options).format(value);
}

/** A fixed number of decimals, like toFixed() but with the locale's digits and separators. */
export function formatDecimal(value: number, decimals: number): string {
  return formatNumber(value, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false });
}

/** 0.853 -> "85.3%" (en), "85,3 %" (es), "85.3%" (ar, with direction marks); a dash for a missing value. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  if (value == null || !Number.isFinite(value)) return EMPTY;
  return formatNumber(value, { style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/**
 * "512 bytes", "12 KB", "3.4 MB", "2.0 GB", with the locale's digits and unit words; the same as the `bytes`
 * format in messages (`{{size, bytes}}`, for sizes a worker sends as numbers).
 */
export function formatBytes(bytes: number): string {
  return bytesIn(language(), bytes);
}

/** Seconds with one decimal: "4.2 s". */
export function formatSeconds(seconds: number): string {
  return t('units.seconds', { value: formatDecimal(seconds, 1) });
}

export function formatDateTime(date: Date | number, withSeconds = false): string {
  return new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short' }).format(
    date,
  );
}

/** "3 minutes ago", "hace 3 minutos", "قبل 3 دقائق": the largest unit that fits. */
export function formatRelativeTime(date: Date | number, now: number = Date.now()): string {
  const seconds = Math.round((Number(date) - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
    ['year', Infinity],
  ];
  let value = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size)
      return new Intl.RelativeTimeFormat(formatLocale(), { numeric: 'auto' }).format(Math.round(value), unit);
    value /= size;
  }
  return formatDateTime(date);
}

/** "4.2 s", "3 min 07 s", "1 h 05 min"; a dash for a missing or negative duration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return EMPTY;
  const seconds = ms / 1000;
  if (seconds < 60) return formatSeconds(seconds);
  const twoDigits = (n: number) => formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return t('units.minutesSeconds', { minutes: formatNumber(minutes), seconds: twoDigits(Math.round(seconds % 60)) });
  return t('units.hoursMinutes', { hours: formatNumber(Math.floor(minutes / 60)), minutes: twoDigits(minutes % 60) });
}

/** "rock, paper and scissors", "rock, paper y scissors", "rock وpaper وscissors": a list in the language's words. */
export function formatList(
  items: readonly string[],
  type: Intl.ListFormatType = 'conjunction',
  style: Intl.ListFormatStyle = 'long',
): string {
  return new Intl.ListFormat(formatLocale(), { type, style }).format(items);
}

/** A "Predict a number" value for people: up to 2 decimals, with the quantity's unit when it has one. */
export function formatQuantityValue(value: number, quantity: { unit: string }, decimals = 2): string {
  if (!Number.isFinite(value)) return EMPTY;
  const number = formatNumber(value, { maximumFractionDigits: decimals });
  return quantity.unit ? `${number} ${quantity.unit}` : number;
}
