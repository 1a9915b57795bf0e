import type { Page } from '@playwright/test';
import { axeProblems } from './a11y';
import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  classRegion,
  createProject,
  filesIn,
  openStudio,
  photoCount,
  predictInPreview,
  trainAndWait,
} from './helpers';

/** Kiln's one recommended count per class (src/ml/photo-counts.ts), which the tour asks for. */
const TOUR_PHOTOS = 10;

function tourPanel(page: Page) {
  return page.getByRole('region', { name: 'Guided tour' });
}

/**
 * Records from the fake camera into a class, holding "Hold to record" by keyboard, until it has `count` photos.
 * Frames are stored when the button is let go, so it holds, lets go and looks, as a person would.
 */
async function recordPhotos(page: Page, className: string, count: number): Promise<void> {
  const region = classRegion(page, className);
  await region.getByRole('button', { name: 'Use webcam' }).click();
  await expect(region.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });
  const hold = region.getByRole('button', { name: 'Hold to record' });
  for (let attempt = 0; attempt < 10 && (await photoCount(page, className)) < count; attempt++) {
    await hold.focus();
    await page.keyboard.down('Space');
    await expect(region.getByRole('button', { name: 'Recording…' })).toHaveAttribute('aria-pressed', 'true');
    await page.waitForTimeout(1500);
    await page.keyboard.up('Space');
    await expect(region.getByRole('button', { name: 'Hold to record' })).toBeEnabled({ timeout: 30_000 });
    await page.waitForTimeout(500); // the last frames are being stored
  }
  await expect.poll(() => photoCount(page, className)).toBeGreaterThanOrEqual(count);
  await region.getByRole('button', { name: 'Close webcam' }).click();
}

test('the guided tour is offered on a first visit, can be dismissed, and replayed', async ({ page }) => {
  await openStudio(page);
  const offer = page.getByRole('region', { name: 'New here? Try a guided first project' });
  await expect(offer).toBeVisible();
  expect(await axeProblems(page, 'tour offered')).toEqual([]);
  await offer.getByRole('button', { name: 'No, thanks' }).click();
  await expect(offer).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  await expect(offer).toHaveCount(0); // remembered on this device

  await page.getByRole('button', { name: 'Guided tour' }).click();
  const panel = tourPanel(page);
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Guided tour' })).toBeFocused();
  await expect(panel).toContainText('Step 1 of 5');
  await expect(panel.getByRole('heading', { name: 'Photos of “rock”' })).toBeVisible();
  for (const name of ['rock', 'paper', 'scissors']) await expect(classRegion(page, name)).toBeVisible();
  expect(await axeProblems(page, 'tour panel')).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Project steps' })).toBeVisible();
  await expect(panel).toHaveCount(0);
});

test("deleting the tour's project ends the tour", async ({ page }) => {
  await openStudio(page);
  await page
    .getByRole('region', { name: 'New here? Try a guided first project' })
    .getByRole('button', { name: 'Start the guided tour' })
    .click();
  await expect(tourPanel(page)).toBeVisible();
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByRole('button', { name: 'Delete project Rock, paper, scissors' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('button', { name: 'Delete project Rock, paper, scissors' })).toHaveCount(0);
  const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('kiln.guidedTour') ?? 'null') as unknown);
  await expect.poll(stored).toEqual({ state: 'dismissed' });
  // Not offered again (it was taken), and the Guided tour button still starts a fresh one.
  await expect(page.getByRole('region', { name: 'New here? Try a guided first project' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Guided tour' }).click();
  await expect(tourPanel(page)).toContainText('Step 1 of 5');
});

test('following the tour with the webcam gets to a trained model that Preview uses', async ({ page }) => {
  test.setTimeout(400_000);
  await openStudio(page);
  await page
    .getByRole('region', { name: 'New here? Try a guided first project' })
    .getByRole('button', { name: 'Start the guided tour' })
    .click();
  const panel = tourPanel(page);
  const steps = ['rock', 'paper', 'scissors'];
  for (const [i, name] of steps.entries()) {
    await expect(panel).toContainText(`Step ${i + 1} of 5`);
    await expect(panel.getByRole('heading', { name: `Photos of “${name}”` })).toBeVisible();
    await recordPhotos(page, name, TOUR_PHOTOS);
  }
  await expect(panel).toContainText('Step 4 of 5');
  await expect(panel.getByRole('heading', { name: 'Train the model' })).toBeVisible();
  await panel.getByRole('link', { name: 'Go to Train and preview' }).click();
  await trainAndWait(page);

  // The tour congratulates only a model that tells the shapes apart on photos it has not seen. The fake camera's
  // frames of the three "shapes" may well look alike: then the tour says so, and what to do, as Results does.
  const next = panel.getByRole('heading', { name: /^(Try it|Not there yet)$/ });
  await expect(next).toBeVisible();
  if ((await next.innerText()) === 'Not there yet') {
    await expect(panel).toContainText('Step 4 of 5');
    await expect(panel).toContainText(/Add 10 more photos of each shape/);
    await expect(panel.getByRole('link', { name: 'Go to the photos' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Results', exact: true })).toContainText(
      /The model is guessing|Too few photos to tell yet/,
    );
    await expect(panel.getByRole('heading', { name: 'Well done!' })).toHaveCount(0);
    return;
  }
  await expect(page.getByRole('region', { name: 'Results', exact: true })).toContainText(
    /^Results\s*Recognises \d+ of \d+ photos/,
  );
  await expect(panel).toContainText('Step 5 of 5');
  await expect(panel.getByRole('heading', { name: 'Try it' })).toBeVisible();
  const predicted = await predictInPreview(page, filesIn('datasets', 'rps', 'rock').slice(0, 1));
  expect(steps).toContain([...predicted.values()][0]);
  await expect(panel.getByRole('heading', { name: 'Well done!' })).toBeVisible();
  await panel.getByRole('button', { name: 'Finish the tour' }).click();
  await expect(panel).toHaveCount(0);
});

test('a project with one class gets the "one class" hint on Collect and Train, until it has two', async ({ page }) => {
  test.setTimeout(200_000);
  await openStudio(page);
  await createProject(page, 'Just cats');
  await addClass(page, 'cats');
  const tips = page.getByRole('region', { name: 'Tips' });
  // On Collect too: with one class there is no "Next: train" link, so the tip says what is missing.
  await expect(tips).toContainText('Only one class.');
  await expect(tips).toContainText('Add a second class');
  await expect(page.getByRole('link', { name: /^Next/ })).toHaveCount(0);
  await addImages(page, 'cats', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 2));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await expect(tips).toContainText('Only one class.');
  await expect(tips).toContainText('with only “cats” there is nothing to tell it from');
  expect(await axeProblems(page, 'tips')).toEqual([]);

  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  await addClass(page, 'dogs');
  await addImages(page, 'dogs', filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 2));
  await expect(tips).toContainText('Too few photos.');
  await expect(tips).not.toContainText('Only one class.');
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await expect(tips).toContainText('Too few photos.');
  await expect(tips).toContainText('“cats” and “dogs”: fewer than 10 photos');
  await expect(tips).not.toContainText('Only one class.');
});
