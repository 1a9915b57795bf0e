import type { Page, TestInfo } from '@playwright/test';
import { LANGUAGES } from '../src/ui/i18n/languages';

/**
 * The layout check: what a person would see as a broken screen, measured in the page itself.
 *
 * - the page scrolls sideways (`document.scrollingElement.scrollWidth > innerWidth`);
 * - an element's box sticks out of the window at the left or right, other than inside a box that scrolls or clips
 *   it (a wide table in its scroll box is fine; the table sticking out of the page is not);
 * - a word or a number is broken over two lines ("Macr|o F1", "Vie|w", "100.|0%"): every visible word is measured
 *   with a Range, and its line boxes must all be on one line. A word wider than the text column it is in (a long
 *   file name on a phone) may break: nothing else could show it. Chinese and Japanese, written without spaces, may
 *   break between any two characters in running text, as they are typeset; in labels (buttons, table cells, step
 *   tabs) their words (Intl.Segmenter) must stay whole too;
 * - text that must not be pulled apart is: `word-break: break-all` anywhere, or letter spacing on Arabic script
 *   (its letters would stop joining).
 *
 * Returns one readable line per problem (at most a few per kind), prefixed with `state`.
 */
export async function layoutProblems(page: Page, state: string): Promise<string[]> {
  await settle(page);
  const found = await page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      const cls = [...el.classList].filter((c) => !c.startsWith('svelte-')).join('.');
      return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${text ? ` "${text}"` : ''}`;
    };
    const visible = (el: Element) =>
      el.checkVisibility({ opacityProperty: false, visibilityProperty: true, contentVisibilityAuto: true });

    // 1. The page itself scrolls sideways.
    const overflow = document.scrollingElement!.scrollWidth - width;
    if (overflow > 0) problems.push(`the page scrolls sideways by ${overflow}px`);

    // 2. Boxes outside the window, except inside a box that scrolls or clips them.
    const clippedBy = (el: Element): boolean => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.overflowX !== 'visible') return true;
        if (style.position === 'fixed') return false;
      }
      return false;
    };
    const sticking: string[] = [];
    const sticks = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && (box.right > width + 1 || box.left < -1);
    };
    for (const el of document.querySelectorAll('body *')) {
      if (!sticks(el) || !visible(el) || clippedBy(el) || el.closest('.visually-hidden')) continue;
      // The innermost ones: a container sticks out only because of what is inside it.
      if ([...el.children].some((child) => sticks(child) && !clippedBy(child))) continue;
      const box = el.getBoundingClientRect();
      sticking.push(`${describe(el)} is outside the window (${Math.round(box.left)}…${Math.round(box.right)} of ${width}px)`);
    }
    problems.push(...sticking.slice(0, 5));

    // 3. Words broken over two lines, and styles that pull text apart.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const broken: string[] = [];
    const pulled = new Set<string>();
    // Words are split at breakable spaces only: "100,0 %" (no-break space) and "12 %" stay one word.
    const wordPattern = /[^ \t\n\r\f\u200b]+/g;
    // Scripts written without spaces (Chinese, Japanese, Thai…) may break a line between any two characters in
    // running text; in a label (a button, a cell, a step tab) a word found by Intl.Segmenter must stay whole.
    const spaceless = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3000-\u30FF\u3400-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u;
    const label = 'button, .button, summary, th, td, label, nav a, [role="tab"]';
    const arabic = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/u;
    const columnWidth = (el: Element): number => {
      for (let up: Element | null = el; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (style.display !== 'inline' && style.display !== 'contents' && up.clientWidth > 0) return up.clientWidth;
      }
      return width;
    };
    const lines = (range: Range): number => {
      const tops: number[] = [];
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5) continue;
        if (!tops.some((top) => Math.abs(top - rect.top) < rect.height / 2)) tops.push(rect.top);
      }
      return tops.length;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.nodeValue ?? '';
      if (!parent || !text.trim() || parent.closest('script, style, svg, .visually-hidden, option, select')) continue;
      if (!visible(parent)) continue;
      const style = getComputedStyle(parent);
      if (style.wordBreak === 'break-all') pulled.add(`${describe(parent)} has word-break: break-all`);
      if (arabic.test(text) && style.letterSpacing !== 'normal' && parseFloat(style.letterSpacing) !== 0)
        pulled.add(`${describe(parent)} spaces out Arabic letters (letter-spacing ${style.letterSpacing})`);
      if (broken.length >= 8) continue;
      for (const match of text.matchAll(wordPattern)) {
        const start = match.index;
        const pieces: { word: string; start: number }[] = [];
        if (spaceless.test(match[0])) {
          if (!parent.closest(label)) continue;
          const lang = parent.closest('[lang]')?.getAttribute('lang') ?? undefined;
          for (const part of new Intl.Segmenter(lang, { granularity: 'word' }).segment(match[0]))
            if (part.isWordLike) pieces.push({ word: part.segment, start: start + part.index });
        } else {
          // A line may end after a hyphen or a slash ("e-|mail", "and/|or"): each part is a word of its own.
          let from = start;
          for (const part of match[0].split(/(?<=[-\u2010\u2013\u2014/])/)) {
            pieces.push({ word: part, start: from });
            from += part.length;
          }
        }
        for (const { word, start: from } of pieces) {
          if (word.length < 2) continue;
          const range = document.createRange();
          range.setStart(node, from);
          range.setEnd(node, from + word.length);
          if (lines(range) < 2) continue;
          // Too wide for its column whatever the layout: breaking it is the only way to show it.
          const wordWidth = [...range.getClientRects()].reduce((sum, r) => sum + r.width, 0);
          if (wordWidth > columnWidth(parent) - 4) continue;
          broken.push(`"${word}" is broken over two lines in ${describe(parent)}`);
        }
      }
    }
    problems.push(...broken, ...[...pulled].slice(0, 5));
    return problems;
  });
  return found.map((line) => `${state}: ${line}`);
}

/** Two animation frames: layout and paint have caught up with the last change. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** The window sizes the layout must hold at: a 1366×768 laptop and a 390×844 phone. */
export const LAYOUT_SIZES = [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '390x844', width: 390, height: 844 },
] as const;

/** Every interface language Kiln ships (a language added to languages.ts is checked without touching the tests). */
export const LAYOUT_LANGUAGES: readonly string[] = LANGUAGES.map((l) => l.code);

/** Switches the interface language with the header's menu, as a person would, and waits until the page follows. */
export async function chooseLanguage(page: Page, code: string): Promise<void> {
  await page.locator('header select:has(option[value="ar"])').selectOption(code);
  await page.waitForFunction((lang) => document.documentElement.lang === lang, code);
}

/**
 * A screenshot kept with the test's results, passed or failed (the HTML report and the test's folder in
 * test-results/ show it): the whole page, or only the window (`fullPage: false`), as the person sees it.
 */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string, fullPage = true): Promise<void> {
  const path = testInfo.outputPath(`${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
