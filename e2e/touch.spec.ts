import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { classRegion, filesIn, openSettings, openStudio, photoCount, setNumber } from './helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** A finger on the control's centre for `ms`, sent as real touch input through the DevTools protocol. */
async function pressAndHold(page: Page, target: Locator, ms: number): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = (await target.boundingBox())!;
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2, id: 1 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(ms); // the hold itself: what is measured is the photos it gave, not the time
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/**
 * The whole loop on a phone (390×844, touch): tap to create a project and classes, press and hold to
 * record photos with the (fake) camera, tap to select photos, train, and see a prediction live and on a file.
 */
test('on a touch phone: create, record by press-and-hold, select by tapping, train and preview', async ({ page }) => {
  test.setTimeout(360_000);
  await openStudio(page);
  await page.getByRole('button', { name: 'New project' }).tap();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByRole('textbox', { name: 'Project name' }).fill('Phone');
  await dialog.getByRole('button', { name: 'Create' }).tap();
  for (const name of ['left', 'right']) {
    await page.getByRole('textbox', { name: 'Class name' }).fill(name);
    await page.getByRole('button', { name: 'Add class' }).tap();
    await expect(classRegion(page, name)).toBeVisible();
  }

  for (const name of ['left', 'right']) {
    const region = classRegion(page, name);
    await region.getByRole('button', { name: 'Use webcam' }).tap();
    const hold = region.getByRole('button', { name: /Hold to record|Recording/ });
    await expect(hold).toBeEnabled({ timeout: 30_000 });
    await pressAndHold(page, hold, 1500);
    await expect(hold).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(() => photoCount(page, name), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await region.getByRole('button', { name: 'Close webcam' }).tap();
  }
  const recorded = await photoCount(page, 'left');

  // Selecting photos by tapping them in the gallery.
  const left = classRegion(page, 'left');
  const cells = left.getByRole('gridcell');
  // No hover on a phone: a photo's delete and Test buttons are shown, never an invisible target a tap could hit.
  await expect(cells.nth(0).getByRole('button', { name: /^Delete photo / })).toBeVisible();
  await expect(cells.nth(0).getByRole('button', { name: /^Delete photo / })).toHaveCSS('opacity', '1');
  await expect(cells.nth(0).getByRole('button', { name: /^Test only: / })).toHaveCSS('opacity', '1');
  await left.getByRole('button', { name: 'Select photos' }).tap();
  await cells.nth(0).tap();
  await cells.nth(1).tap();
  await expect(left.getByRole('status').filter({ hasText: /selected$/ })).toHaveText('2 selected');
  await expect(cells.nth(0)).toHaveAttribute('aria-selected', 'true');
  await left.getByRole('button', { name: 'Clear selection' }).tap();
  expect(await photoCount(page, 'left')).toBe(recorded);

  await page.getByRole('link', { name: '2. Train and preview' }).tap();
  await openSettings(page);
  await setNumber(page, 'Epochs', 2);
  await setNumber(page, 'Augmented copies per photo', 0);
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.tap();
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeEnabled();
  await expect(train).toBeEnabled({ timeout: 300_000 });
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();

  await page.getByRole('button', { name: 'Use webcam' }).tap();
  await expect(page.getByText(/^Looks like (left|right)$/)).toBeVisible({ timeout: 60_000 });
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).tap();
  await (await chooser).setFiles(filesIn('datasets', 'rps', 'rock').slice(0, 1));
  await expect(page.getByText(/^Prediction: (left|right) \(/)).toBeVisible({ timeout: 120_000 });
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
});
