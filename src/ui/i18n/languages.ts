/** What Kiln needs to know about a language besides its messages. */
export interface LanguageInfo {
  /** BCP 47 code, also the name of its file in locales/. */
  code: string;
  /** The language's name in itself, for the switcher. */
  name: string;
  dir: 'ltr' | 'rtl';
  /**
   * The one digit system every number on screen uses in this language (an Intl numbering system: 'latn' for
   * 0123, 'arab' for ٠١٢٣, 'deva', 'beng', …). Chosen here, never left to the browser: browsers disagree on the
   * default (recent CLDR data gives 'latn' for Arabic, older browsers 'arab'), and a default that differs from the
   * digits in names, inputs and charts mixes two systems on one screen. See docs/LANGUAGES.md, "Digits".
   */
  digits: string;
}

/** The languages Kiln ships. Add one here and in locales/ (see docs/LANGUAGES.md). */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', digits: 'latn' },
  { code: 'es', name: 'Español', dir: 'ltr', digits: 'latn' },
  { code: 'ar', name: 'العربية', dir: 'rtl', digits: 'latn' },
  { code: 'fr', name: 'Français', dir: 'ltr', digits: 'latn' },
  { code: 'de', name: 'Deutsch', dir: 'ltr', digits: 'latn' },
  { code: 'pt', name: 'Português', dir: 'ltr', digits: 'latn' },
  { code: 'id', name: 'Bahasa Indonesia', dir: 'ltr', digits: 'latn' },
  // Hindi: Devanagari digits are official but rare in schoolbooks and on screens; Western digits match what
  // pupils type and what the rest of the device shows.
  { code: 'hi', name: 'हिन्दी', dir: 'ltr', digits: 'latn' },
  { code: 'zh', name: '简体中文', dir: 'ltr', digits: 'latn' },
  { code: 'ja', name: '日本語', dir: 'ltr', digits: 'latn' },
] as const satisfies readonly LanguageInfo[];

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const FALLBACK_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return LANGUAGES.some((l) => l.code === value);
}

export function textDirection(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

/**
 * The locale Intl formatters get for a language: its code with its digit system pinned ("ar-u-nu-latn"), so
 * numbers, dates, durations, percentages and chart ticks all use one system. Unknown codes pass through.
 */
export function intlLocale(code: string): string {
  const digits = (LANGUAGES as readonly LanguageInfo[]).find((l) => l.code === code)?.digits;
  return digits ? `${code}-u-nu-${digits}` : code;
}

/**
 * The best shipped language for the browser's ordered preferences (navigator.languages):
 * an exact tag first ("es"), then its base language ("es-MX" -> "es"); English when nothing fits.
 */
export function pickLanguage(preferred: readonly string[] | undefined): LanguageCode {
  for (const tag of preferred ?? []) {
    const lower = tag.toLowerCase();
    if (isLanguageCode(lower)) return lower;
    const base = lower.split('-')[0];
    if (isLanguageCode(base)) return base;
  }
  return FALLBACK_LANGUAGE;
}
