/** The languages Kiln ships. Add one here and in locales/ (see docs/LANGUAGES.md). */
export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const FALLBACK_LANGUAGE: LanguageCode = 'en';

export function isLanguageCode(value: unknown): value is LanguageCode {
  return LANGUAGES.some((l) => l.code === value);
}

export function textDirection(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
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
