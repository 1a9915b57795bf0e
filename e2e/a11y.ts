import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

/** The WCAG levels Kiln promises: 2.0, 2.1 and 2.2, A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Rules axe-core ships turned off that Kiln's promise needs: WCAG 2.2's target size (2.5.8, every control at least
 * 24 × 24 CSS px, or far enough from the next one). Named, so the scan does not depend on how axe treats a disabled
 * rule whose tag is asked for.
 */
const RULES_ON = { 'target-size': { enabled: true } };

/**
 * Runs axe-core on the page as it is now and returns one readable line per failing element, prefixed
 * with the state's name, so a test can collect every screen's problems and report them together.
 */
export async function axeProblems(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).options({ rules: RULES_ON }).withTags(WCAG_TAGS).analyze();
  // A scan that checked nothing (an empty or crashed page) must not count as a pass.
  if (results.passes.length < 10) return [`${state}: axe checked only ${results.passes.length} rules`];
  // Target size must really have run (it passes, fails, or finds nothing to check on this page).
  const ran = [results.passes, results.violations, results.incomplete, results.inapplicable].some((list) =>
    list.some((rule) => rule.id === 'target-size'),
  );
  if (!ran) return [`${state}: axe did not run the target-size rule`];
  // Structure rules axe files under best practice, not WCAG: heading order, one main landmark, an h1.
  const structure = await new AxeBuilder({ page })
    .withRules(['heading-order', 'landmark-one-main', 'page-has-heading-one'])
    .analyze();
  return [...results.violations, ...structure.violations].flatMap((v) =>
    v.nodes.map((n) => `${state}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`),
  );
}

/** How far the page scrolls sideways beyond the window (0 when nothing sticks out). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
}

/** Up to five visible elements whose right edge is past the window: what to fix when a page scrolls sideways. */
export async function elementsSticking(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    const sticks = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1;
    };
    // The innermost ones: a container sticks out only because of what is inside it.
    for (const el of document.querySelectorAll('body *')) {
      if (sticks(el) && ![...el.children].some(sticks) && out.length < 5) {
        const text = (el.textContent ?? '').trim().slice(0, 40);
        out.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${text}" right=${Math.round(el.getBoundingClientRect().right)}`,
        );
      }
    }
    return out;
  });
}

/** Phone width (360 px) and a 1280×800 laptop at 200% zoom (640×400 CSS px). */
export const SMALL_VIEWPORTS = [
  { name: '360×740', width: 360, height: 740 },
  { name: '640×400 (200% zoom)', width: 640, height: 400 },
];

/**
 * Measures the page at each small viewport and returns a line for each one that scrolls sideways,
 * naming the elements that stick out. Leaves the page at the first viewport.
 */
export async function sidewaysScrolling(page: Page, state: string): Promise<string[]> {
  const problems: string[] = [];
  for (const size of SMALL_VIEWPORTS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const overflow = await horizontalOverflow(page);
    if (overflow > 1) {
      problems.push(`${state} at ${size.name}: ${overflow}px sideways; ${(await elementsSticking(page)).join(', ')}`);
    }
  }
  await page.setViewportSize({ width: SMALL_VIEWPORTS[0]!.width, height: SMALL_VIEWPORTS[0]!.height });
  return problems;
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user moves through the page,
 * and checks the focused control shows a visible focus ring. Fails when the control is not in the tab order.
 */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; maxPresses?: number } = {}) {
  const key = options.backwards ? 'Shift+Tab' : 'Tab';
  for (let i = 0; i < (options.maxPresses ?? 150); i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      if (ring.style === 'none' || ring.width < 2) throw new Error(`No visible focus ring on ${target}: ${JSON.stringify(ring)}`);
      return;
    }
    await page.keyboard.press(key);
  }
  throw new Error(`Could not reach ${target} with ${key}`);
}
