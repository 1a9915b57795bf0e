import i18next, { type TOptions } from 'i18next';
import { createSubscriber } from 'svelte/reactivity';
import { isolate } from './bidi';
import {
  FALLBACK_LANGUAGE,
  LANGUAGES,
  intlLocale,
  isLanguageCode,
  pickLanguage,
  textDirection,
  type LanguageCode,
} from './languages';

/** Set by ti(): the interpolator isolates numbers too, after writing them. */
const ISOLATE_NUMBERS = 'kilnIsolateNumbers';

/** Where the person's own choice of language is remembered (it wins over the browser's preference). */
export const LANGUAGE_STORAGE_KEY = 'kiln.language';

function storedChoice(): LanguageCode | null {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguageCode(value) ? value : null;
  } catch {
    return null; // storage blocked: fall back to the browser's preference
  }
}

function initialLanguage(): LanguageCode {
  return storedChoice() ?? pickLanguage(globalThis.navigator?.languages);
}

/** A message that was missing at run time: in every language (`fallback: false`) or only in `language`. */
export interface MissingMessage {
  key: string;
  language: string;
  /** True when English stood in for the language's own message. */
  fallback: boolean;
}
const misses: MissingMessage[] = [];

/**
 * Every missing message is an error on the console ("Kiln i18n: missing key …"), which end-to-end tests treat
 * as a failure (e2e/fixtures.ts), and is kept for unit tests (`missingMessages()`).
 */
function reportMissing(miss: MissingMessage): void {
  if (misses.some((m) => m.key === miss.key && m.language === miss.language)) return;
  misses.push(miss);
  console.error(
    miss.fallback
      ? `Kiln i18n: missing key ${miss.key} in ${miss.language}; the English text was shown`
      : `Kiln i18n: missing key ${miss.key} in every language`,
  );
}

/** The messages found missing at run time since the page started (or the last `clearMissingMessages()`). */
export function missingMessages(): readonly MissingMessage[] {
  return misses;
}
export function clearMissingMessages(): void {
  misses.length = 0;
}

// Every language's messages, bundled statically (Vite reads locales/*.json at build time): no network backend,
// works offline and in tests. A language is shipped when it is in LANGUAGES (languages.ts); locales.test.ts
// checks that each has its file.
const files = import.meta.glob<{ default: object }>('./locales/*.json', { eager: true });
const resources = Object.fromEntries(
  LANGUAGES.map(({ code }) => [code, { translation: files[`./locales/${code}.json`]?.default ?? {} }]),
);

const instance = i18next.createInstance();
void instance.init({
  lng: initialLanguage(),
  fallbackLng: FALLBACK_LANGUAGE,
  supportedLngs: LANGUAGES.map((l) => l.code),
  resources,
  initAsync: false,
  // Svelte escapes text itself; i18next escaping would double-escape names like "Rock & roll". Every value goes
  // through the format function, so a bare `{{photos}}` number gets the language's digits too (below).
  interpolation: { escapeValue: false, alwaysFormat: true },
  returnNull: false,
  // A key no language has (t() itself reports one that only English has).
  saveMissing: true,
  missingKeyHandler: (_lngs, _ns, key) => reportMissing({ key, language: instance.language, fallback: false }),
});

// `{{count, number}}` and the other built-in formats, with the language's own digits (languages.ts intlLocale):
// i18next's own formatters would ask Intl for the browser's default digits.
const formatter = instance.services.formatter!;
const localeOf = (lng: string | undefined) => intlLocale(lng ?? instance.language);
formatter.add('number', (value: number, lng, options: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(localeOf(lng), options).format(value),
);
formatter.add('currency', (value: number, lng, options: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(localeOf(lng), { ...options, style: 'currency' }).format(value),
);
formatter.add('datetime', (value: Date | number, lng, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(localeOf(lng), options).format(value),
);
formatter.add('relativetime', (value: number, lng, options: Intl.RelativeTimeFormatOptions & { range?: string }) =>
  new Intl.RelativeTimeFormat(localeOf(lng), options).format(value, (options.range ?? 'day') as Intl.RelativeTimeFormatUnit),
);
formatter.add('list', (value: string[], lng, options: Intl.ListFormatOptions) =>
  new Intl.ListFormat(localeOf(lng), options).format(value),
);
// A number interpolated without a format (`{{photos}}`, `{{count}}`) is written in the language's digits and
// decimal sign, without grouping, as `{{count, number}}` and formatNumber() would write it. English keeps
// String(n), the same as the worker's English text. (alwaysFormat above sends every value here.)
const interpolator = instance.services.interpolator as unknown as {
  format: (value: unknown, format: string | undefined, lng: string, options: object) => unknown;
};
const formatWithFormat = interpolator.format;
interpolator.format = (value, format, lng, options) => {
  const text =
    !format && typeof value === 'number' && Number.isFinite(value) && lng !== FALLBACK_LANGUAGE
      ? new Intl.NumberFormat(intlLocale(lng), { useGrouping: false, maximumFractionDigits: 20 }).format(value)
      : formatWithFormat(value, format, lng, options);
  // ti(): numbers are isolated once written (their strings were isolated by ti() itself).
  return typeof value === 'number' && (options as { [ISOLATE_NUMBERS]?: boolean })[ISOLATE_NUMBERS]
    ? isolate(String(text))
    : text;
};

/**
 * "512 bytes", "12 KB", "3.4 MB", "2.0 GB" in `lng`: format.ts formatBytes() in the current language, and the
 * `bytes` format of messages (`{{size, bytes}}`), so a worker can send a raw byte count and the page writes it.
 */
export function bytesIn(lng: string, bytes: number): string {
  const number = (value: number, options?: Intl.NumberFormatOptions) =>
    new Intl.NumberFormat(intlLocale(lng), options).format(value);
  const decimal = (value: number) => number(value, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
  if (bytes < 1024) return instance.t('units.bytes', { lng, count: bytes, value: number(bytes) });
  if (bytes < 1024 ** 2) return instance.t('units.kilobytes', { lng, value: number(bytes / 1024, { maximumFractionDigits: 0 }) });
  if (bytes < 1024 ** 3) return instance.t('units.megabytes', { lng, value: decimal(bytes / 1024 ** 2) });
  return instance.t('units.gigabytes', { lng, value: decimal(bytes / 1024 ** 3) });
}
formatter.add('bytes', (value: unknown, lng: string | undefined) =>
  typeof value === 'number' ? bytesIn(lng ?? instance.language, value) : String(value),
);

// Svelte reactivity for a non-rune source: t() and language() subscribe, setLanguage() notifies.
let notify: () => void = () => undefined;
const subscribe = createSubscriber((update) => {
  notify = update;
  return () => (notify = () => undefined);
});

function applyToDocument(code: LanguageCode): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = code;
  document.documentElement.dir = textDirection(code);
}
applyToDocument(instance.language as LanguageCode);

/** The current language code; reading it inside a template or $derived re-runs on change. */
export function language(): LanguageCode {
  subscribe();
  return instance.language as LanguageCode;
}

/**
 * Translates a key (e.g. 'projects.title'); re-renders the caller when the language changes. A key the
 * language lacks shows the English text and is reported (`missingMessages()`, and an error on the console).
 */
export function t(key: string, options?: TOptions): string {
  subscribe();
  const text = instance.t(key, options) as string;
  const lng = typeof options?.lng === 'string' ? options.lng : instance.language;
  if (lng !== FALLBACK_LANGUAGE && !instance.exists(key, { ...options, lngs: [lng] }) && instance.exists(key, options))
    reportMissing({ key, language: lng, fallback: true });
  return text;
}

const languageListeners = new Set<(code: LanguageCode) => void>();

/**
 * Calls `listener` after each language switch, for text kept outside the templates (a form control's
 * validation message, set with setCustomValidity); returns the function that stops it.
 */
export function onLanguageChange(listener: (code: LanguageCode) => void): () => void {
  languageListeners.add(listener);
  return () => languageListeners.delete(listener);
}

/** i18next options that are not values in the sentence: ti() leaves them as they are. */
const NOT_VALUES = new Set(['lng', 'lngs', 'ns', 'context', 'defaultValue', 'fallbackLng', 'ordinal', 'postProcess']);

/**
 * t() for a sentence shown as text, with each value (a project, class or file name, a number, a list)
 * isolated for direction, so a name in the other direction keeps its place and the punctuation around it.
 * Show the result with the kit's <BidiText text={…} />, which turns each isolate into a <bdi>; keep t() for
 * attributes (aria-label, title), which have no layout. See bidi.ts and docs/LANGUAGES.md. A value that is
 * part of a nested key (`$t(worker.zip.file.{{file}})`) must not go through ti().
 */
export function ti(key: string, options: TOptions = {}): string {
  const values: Record<string, unknown> = { [ISOLATE_NUMBERS]: true };
  for (const [name, value] of Object.entries(options))
    values[name] = typeof value === 'string' && !NOT_VALUES.has(name) ? isolate(value) : value;
  return t(key, values as TOptions);
}

/** Switches language at once (no reload), sets <html lang dir> and remembers the choice. */
export function setLanguage(code: LanguageCode): void {
  void instance.changeLanguage(code);
  applyToDocument(code);
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, code);
  } catch {
    // Not remembered when storage is blocked; the switch still applies to this page.
  }
  notify();
  for (const listener of languageListeners) listener(code);
}

/** Whether a key has a message (worker messages fall back to their English text when not). */
export function i18nHasKey(key: string, options?: TOptions): boolean {
  subscribe();
  // A plural message exists only as key_one, key_other…: i18next finds it only when told the count.
  return instance.exists(key, options);
}
