import i18next, { type TOptions } from 'i18next';
import { createSubscriber } from 'svelte/reactivity';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import { FALLBACK_LANGUAGE, isLanguageCode, pickLanguage, textDirection, type LanguageCode } from './languages';

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

// One instance, messages bundled statically: no network backend, works offline and in tests.
const instance = i18next.createInstance();
void instance.init({
  lng: initialLanguage(),
  fallbackLng: FALLBACK_LANGUAGE,
  supportedLngs: ['en', 'es', 'ar'],
  resources: { en: { translation: en }, es: { translation: es }, ar: { translation: ar } },
  initAsync: false,
  // Svelte escapes text itself; i18next escaping would double-escape names like "Rock & roll".
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * "512 bytes", "12 KB", "3.4 MB", "2.0 GB" in `lng`: format.ts formatBytes() in the current language, and the
 * `bytes` format of messages (`{{size, bytes}}`), so a worker can send a raw byte count and the page writes it.
 */
export function bytesIn(lng: string, bytes: number): string {
  const number = (value: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(lng, options).format(value);
  const decimal = (value: number) => number(value, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
  if (bytes < 1024) return instance.t('units.bytes', { lng, count: bytes, value: number(bytes) });
  if (bytes < 1024 ** 2) return instance.t('units.kilobytes', { lng, value: number(bytes / 1024, { maximumFractionDigits: 0 }) });
  if (bytes < 1024 ** 3) return instance.t('units.megabytes', { lng, value: decimal(bytes / 1024 ** 2) });
  return instance.t('units.gigabytes', { lng, value: decimal(bytes / 1024 ** 3) });
}
instance.services.formatter?.add('bytes', (value: unknown, lng: string | undefined) =>
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

/** Translates a key (e.g. 'projects.title'); re-renders the caller when the language changes. */
export function t(key: string, options?: TOptions): string {
  subscribe();
  return instance.t(key, options) as string;
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
}

/** Whether a key has a message (worker messages fall back to their English text when not). */
export function i18nHasKey(key: string, options?: TOptions): boolean {
  subscribe();
  // A plural message exists only as key_one, key_other…: i18next finds it only when told the count.
  return instance.exists(key, options);
}
