import { expect, test } from './fixtures';
import { sidewaysScrolling } from './a11y';
import { addClass, addImages, classRegion, createProject, filesIn, openSettings, openStudio, setNumber } from './helpers';

const ROCK = filesIn('datasets', 'rps', 'rock');
const PAPER = filesIn('datasets', 'rps', 'paper');

test.use({ viewport: { width: 360, height: 740 } });

/**
 * Every screen at a phone's 360 px and at 200% zoom of a 1280×800 laptop (640×400 CSS px): the page
 * never scrolls sideways. Reduced motion, asked for by the system, stops the app's transitions.
 */
test('every screen fits 360 px and 200% zoom without sideways scrolling, and reduced motion stops transitions', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems: string[] = [];
  const check = async (state: string) => problems.push(...(await sidewaysScrolling(page, state)));

  await openStudio(page);
  await check('Projects (empty)');
  await page.getByRole('button', { name: 'Privacy' }).click();
  await check('Privacy dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

  await createProject(page, 'A project with a rather long name to see how it wraps');
  await addClass(page, 'rock');
  await addClass(page, 'a class name that is long enough to wrap on a phone');
  await addImages(page, 'rock', ROCK.slice(0, 6));
  await addImages(page, 'a class name that is long enough to wrap on a phone', PAPER.slice(0, 6));
  await page.getByRole('button', { name: 'Check photos' }).click();
  await expect(page.getByRole('heading', { name: 'Class sizes' })).toBeVisible({ timeout: 120_000 });
  await check('Collect (classes, photos, health)');
  await classRegion(page, 'rock').getByRole('button', { name: 'Use webcam' }).click();
  await expect(page.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });
  await check('Collect (webcam)');
  await page.getByRole('button', { name: 'Close webcam' }).click();

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page);
  await check('Train (settings open)');
  await setNumber(page, 'Epochs', 2);
  await setNumber(page, 'Augmented copies per photo', 0);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(train).toBeEnabled({ timeout: 300_000 });
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await page.getByText('Epoch by epoch').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).click();
  await (await chooser).setFiles(ROCK.slice(10, 11));
  await expect(page.getByText(/^Prediction: /)).toBeVisible({ timeout: 120_000 });
  await check('Train (results, charts, prediction)');

  // The probability bars grow with a transition; reduced motion turns it off.
  const fill = page.getByRole('meter').first().locator('.fill');
  expect(await fill.evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await fill.evaluate((el) => getComputedStyle(el).transitionDuration)).not.toBe('0s');

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await expect(page.getByText(/^Expected calibration error: /)).toBeVisible();
  await page.getByRole('button', { name: 'Show the map' }).click();
  await expect(page.getByRole('img', { name: /^Map of \d+ photos in 2 classes/ })).toBeVisible({ timeout: 60_000 });
  await check('Evaluate (with map)');

  await page.getByRole('link', { name: '4. Export' }).click();
  await expect(page.getByRole('heading', { name: 'Export', exact: true })).toBeVisible();
  await check('Export');

  await page.getByRole('link', { name: 'Kiln' }).click();
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();
  await check('Projects (with a project)');

  // Spanish (longer words) and Arabic (right to left) at the same widths: every screen of the trained project.
  for (const language of ['es', 'ar']) {
    await page.getByRole('combobox', { name: /^(Language|Idioma|اللغة)$/ }).selectOption(language);
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    await check(`Projects (${language})`);
    await page.getByRole('link', { name: 'A project with a rather long name to see how it wraps' }).click();
    const steps = page.getByRole('navigation', { name: /^(Pasos del proyecto|خطوات المشروع)$/ }).getByRole('link');
    for (let step = 0; step < 4; step++) {
      await steps.nth(step).click();
      await expect(steps.nth(step)).toHaveAttribute('aria-current', 'page');
      await check(`step ${step + 1} (${language})`);
    }
    await page.getByRole('link', { name: 'Kiln' }).click();
  }

  expect(problems, problems.join('\n')).toEqual([]);
});
