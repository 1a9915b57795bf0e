import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  classRegion,
  createProject,
  filesIn,
  openSettings,
  openStudio,
  setNumber,
  trainAndWait,
} from './helpers';
import { solidBmp } from './image-bytes';

/**
 * Honest numbers (docs/EVALUATE.md, "Honest numbers"): every score says on how many photos it rests, shows its range
 * and how many photos to add when a class has few photos to check on, and a model that gives one answer to
 * everything is called guessing, on Train, Evaluate, the run history, the tips and the guided tour. Small on
 * purpose: a few photos, two epochs, no augmented copies. No timings are asserted.
 */

const rps = (cls: string, count: number) => filesIn('datasets', 'rps', cls).slice(0, count);

/** The cheapest model that cannot tell its classes apart: every photo the same uniform grey, in different sizes. */
function greyPhotos(prefix: string, count: number) {
  // Grey 128 survives JPEG re-encoding exactly, so every photo is the same picture to the model (but not the
  // same file, so none is a duplicate): the model can only give one answer to all of them.
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${i + 1}.bmp`,
    mimeType: 'image/bmp',
    buffer: solidBmp(64 + 2 * i, 64 + 2 * i, [128, 128, 128]),
  }));
}

async function addPictures(page: Page, className: string, files: ReturnType<typeof greyPhotos>): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, className).getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles(files);
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
}

async function quickSettings(page: Page): Promise<void> {
  await openSettings(page);
  await setNumber(page, 'Epochs', 2);
  await setNumber(page, 'Augmented copies per photo', 0);
}

test('a score on few photos says on how many it rests, shows its range and how many photos to add', async ({ page }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await createProject(page, 'Few photos');
  await addClass(page, 'rock');
  await addClass(page, 'paper');
  // Nothing added yet: no "too few photos" scolding, and the card says the one rule.
  await expect(page.getByRole('region', { name: 'Tips' })).toHaveCount(0);
  await expect(classRegion(page, 'rock')).toContainText(
    'No photos yet. A class needs at least 2 photos to train, and 10 or more, taken in different places and lights, to learn well.',
  );

  await addImages(page, 'rock', rps('rock', 8));
  await addImages(page, 'paper', rps('paper', 8));
  await expect(classRegion(page, 'rock').getByText('2 more to learn well')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tips' })).toContainText('fewer than 10 photos');

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await quickSettings(page);
  await trainAndWait(page);

  // Focus lands on the results, and screen readers hear the verdict.
  await expect(page.getByRole('heading', { name: 'Results', exact: true })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: /^Training finished\. / })).toBeAttached();

  // 15 % of 8 photos per class: one of each held back, two in all.
  const results = page.getByRole('region', { name: 'Results', exact: true });
  await expect(results.getByText(/^[0-2] of 2 held-back photos right$/)).toBeVisible();
  await expect(results).toContainText(/With so few photos to check on, the real score is probably between \d+% and \d+%\./);
  // 130 photos hold 20 back at 15 %: each class of 8 needs 122 more.
  await expect(results).toContainText(
    'For a score you can trust, each class needs about 20 photos held back: add about 122 more photos to each class.',
  );
  // The technical details wait behind "Details".
  await expect(results.getByText(/^Trained after 2 epochs/)).toBeHidden();

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  const evaluate = page.getByRole('region', { name: /^Training of / });
  await expect(evaluate).toContainText(/With so few photos to check on, the real score is probably between \d+% and \d+%\./);
  await expect(evaluate).toContainText('add about 122 more photos to each class');
  await expect(evaluate.getByText(/^[0-2] of 2 held-back photos right$/)).toBeVisible();
  const history = page.getByRole('table', { name: 'Every training of this project' });
  await expect(history).toContainText(/[0-2] of 2 right/);
  await expect(history).toContainText(/few photos to tell|guessing/);
});

test('a model that gives one answer to everything is called guessing, and the tour does not say "Well done!"', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await page
    .getByRole('region', { name: 'New here? Try a guided first project' })
    .getByRole('button', { name: 'Start the guided tour' })
    .click();
  const panel = page.getByRole('region', { name: 'Guided tour' });
  await expect(panel).toContainText('Step 1 of 5');
  for (const name of ['rock', 'paper', 'scissors']) await addPictures(page, name, greyPhotos(name, 10));
  await expect(panel).toContainText('Step 4 of 5');

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await quickSettings(page);
  await trainAndWait(page);

  // Two of each class held back, all six given the same answer.
  const results = page.getByRole('region', { name: 'Results', exact: true });
  const oneAnswer = /The model is guessing: it answers “(rock|paper|scissors)” for 6 of the 6 photos it has not seen\./;
  await expect(results).toContainText(oneAnswer);
  await expect(results).toContainText('It has not learned the difference yet.');
  await expect(results.getByText(/^2 of 6 held-back photos right$/)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Training finished\. The model is guessing/ })).toBeAttached();
  await expect(page.getByRole('region', { name: 'Tips' })).toContainText(
    /The model answers “(rock|paper|scissors)” to almost everything\./,
  );

  // The tour says what to do instead of congratulating.
  await expect(panel.getByRole('heading', { name: 'Not there yet' })).toBeVisible();
  await expect(panel).toContainText('Step 4 of 5');
  await expect(panel).toContainText(/to almost every photo it has not seen, so it cannot tell the shapes apart yet/);
  await expect(panel.getByRole('link', { name: 'Go to the photos' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Well done!' })).toHaveCount(0);

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  const evaluate = page.getByRole('region', { name: /^Training of / });
  await expect(evaluate).toContainText(oneAnswer);
  await expect(evaluate.getByText('guessing', { exact: true }).first()).toBeVisible();
  const history = page.getByRole('table', { name: 'Every training of this project' });
  await expect(history).toContainText('2 of 6 right');
  await expect(history).toContainText('guessing');
});
