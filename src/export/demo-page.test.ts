import { afterEach, describe, expect, it } from 'vitest';
import { demoPageStrings } from '../ui/demo-page-strings';
import { setLanguage } from '../ui/i18n/i18n';
import { intlLocale, textDirection } from '../ui/i18n/languages';
import { DEMO_PAGE_ENGLISH, demoPageHtml, type DemoPageInput, type DemoPageStrings } from './demo-page';

/**
 * The demo page's HTML in the language of the page that exports it. (How it runs, from file://, is tested in
 * e2e/demo-page.spec.ts and, exported from Kiln in Arabic, in e2e/demo-page-language.spec.ts.)
 */

afterEach(() => setLanguage('en'));

const MODEL = { modelTopology: { class_name: 'Sequential' }, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] };

function page(overrides: Partial<DemoPageInput> = {}): string {
  return demoPageHtml({
    title: 'Bees and flowers',
    labels: ['نحل', 'flowers'],
    modelJson: MODEL,
    weights: new Uint8Array([1, 2, 3]),
    imageSize: 224,
    scripts: [],
    generatedAt: '2025-01-02T12:00:00.000Z',
    ...overrides,
  });
}

/** The page as Kiln exports it in `code`: the strings translated by the page, as exports.svelte.ts passes them. */
function pageIn(code: 'en' | 'es' | 'ar', overrides: Partial<DemoPageInput> = {}): string {
  setLanguage(code);
  return page({
    language: code,
    locale: intlLocale(code),
    direction: textDirection(code),
    strings: demoPageStrings(),
    ...overrides,
  });
}

/** The page's configuration block, as its script reads it. */
function config(html: string): { language: string; locale: string; strings: DemoPageStrings; labels: string[] } {
  const json = /<script type="application\/json" id="kiln-config">(.*?)<\/script>/s.exec(html)![1]!;
  return JSON.parse(json) as ReturnType<typeof config>;
}

/** The visible text of the page's markup (scripts and styles removed, tags stripped, entities read back). */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>.*?<\/\1>/gs, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('demo page language', () => {
  it('is English and left to right when no language is given', () => {
    const html = page();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain(`<p class="lede">${DEMO_PAGE_ENGLISH.lede}</p>`);
    expect(html).toContain('>Use the webcam</button>');
    expect(html).toContain('<time datetime="2025-01-02T12:00:00.000Z">January 2, 2025</time>');
    expect(config(html).strings).toEqual(DEMO_PAGE_ENGLISH);
  });

  it("says in English exactly what Kiln's English messages say", () => {
    expect(demoPageStrings()).toEqual(DEMO_PAGE_ENGLISH);
  });

  it('in Arabic: lang="ar" dir="rtl", every sentence in Arabic, names isolated, numbers in Kiln’s digits', () => {
    const html = pageIn('ar');
    expect(html).toContain('<html lang="ar" dir="rtl">');
    const text = visibleText(html);
    for (const sentence of [
      'يعمل بالكامل على هذا الجهاز؛ لا يُرفع أي شيء.',
      'استخدام الكاميرا',
      'اختيار صورة',
      'جارٍ تحميل النموذج…',
    ])
      expect(text).toContain(sentence);
    expect(html).toContain('aria-label="صورة الكاميرا (معكوسة كالمرآة)"');
    expect(html).toContain('aria-label="التوقعات"');
    // No English sentence is left on the page, visible or in what its script shows later.
    const strings = config(html).strings;
    for (const [key, english] of Object.entries(DEMO_PAGE_ENGLISH)) {
      expect(text, key).not.toContain(english.replace(/\{\w+\}.*$/, '').trim() || '\u0000');
      // A sentence with no words of its own ("{label}: {value}") reads the same in every language.
      if (/\p{L}/u.test(english.replace(/\{\w+\}/g, ''))) expect(strings[key as keyof DemoPageStrings], key).not.toBe(english);
    }
    // The teacher's own names, in any script, are isolated from the text around them.
    expect(html).toContain('<h1><bdi>Bees and flowers</bdi></h1>');
    expect(html).toContain('<bdi class="name">نحل</bdi>');
    expect(html).toContain('<bdi class="name">flowers</bdi>');
    expect(html).toContain('<bdi id="backend">جارٍ البدء…</bdi>');
    // Numbers and the date in the locale Kiln itself writes Arabic numbers in.
    const locale = intlLocale('ar');
    expect(config(html).locale).toBe(locale);
    const zero = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(0);
    expect(html).toContain(`<span class="pct" aria-hidden="true">${zero}</span>`);
    expect(html).toContain(`aria-valuetext="${zero}"`);
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date('2025-01-02T12:00:00.000Z'));
    expect(text).toContain(`صُنعت باستخدام Kiln في ${day}`);
  });

  it('in Arabic, the result sentence keeps its slots for the page to fill: "الأرجح: نحل (91%)"', () => {
    const { strings, locale } = config(pageIn('ar'));
    expect(strings.top).toBe('الأرجح: {label} ({percent})');
    // What the page's script writes: the slots filled (each in a <bdi>), the percentage in the page's locale.
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(0.91);
    const filled = strings.top.replace('{label}', 'نحل').replace('{percent}', percent);
    expect(filled.startsWith('الأرجح: نحل (')).toBe(true);
    expect(filled.endsWith(')')).toBe(true);
    expect(strings.notPhoto).toBe('«{file}» ليس صورة. اختر ملف صورة (JPEG أو PNG أو WebP أو GIF).');
    // Sentences that name another one use its translation.
    expect(strings.cameraMissing).toContain('«استخدام الكاميرا»');
    expect(strings.stillLoading).toContain('«جاهز»');
  });

  it('in Spanish, left to right, with Spanish sentences', () => {
    const html = pageIn('es');
    expect(html).toContain('<html lang="es" dir="ltr">');
    expect(html).toContain('>Usar la cámara</button>');
    expect(config(html).strings.top).toBe('Más probable: {label} ({percent})');
  });

  it('fills any missing or empty sentence with English, and refuses a bad language or direction', () => {
    const html = page({ language: 'not a language!', direction: 'sideways' as 'ltr', strings: { lede: '', ready: 'Prêt' } });
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(config(html).strings.lede).toBe(DEMO_PAGE_ENGLISH.lede);
    expect(config(html).strings.ready).toBe('Prêt');
  });

  it('escapes translated text like any other text', () => {
    const html = page({
      strings: {
        lede: '<img src=x onerror=alert(1)>',
        madeWith: '<b>{date}</b> & co',
        top: '</script><script>x()</script>{label}',
      },
    });
    expect(html).toContain('<p class="lede">&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(html).toContain('<footer>&lt;b&gt;<time');
    expect(html).toContain('&lt;/b&gt; &amp; co');
    expect(html).not.toContain('</script><script>x()');
    expect(config(html).strings.top).toBe('</script><script>x()</script>{label}');
  });
});
