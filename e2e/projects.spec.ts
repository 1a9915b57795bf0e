import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  classRegion,
  createProject,
  filesIn,
  openStudio,
  photoCount,
  showProgressDetails,
  showResultDetails,
} from './helpers';

test('projects can be created, renamed and deleted after confirming', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'First');
  await page.getByRole('link', { name: 'Projects' }).click();
  await createProject(page, 'Second');
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: 'First' })).toBeVisible();

  await page.getByRole('button', { name: 'Rename project First' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename project' });
  await rename.getByRole('textbox', { name: 'Project name' }).fill('Renamed');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('link', { name: 'Renamed' })).toBeVisible();

  // Cancelling keeps it; confirming deletes it.
  await page.getByRole('button', { name: 'Delete project Renamed' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('link', { name: 'Renamed' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete project Renamed' }).click();
  await page.getByRole('dialog', { name: 'Delete “Renamed”?' }).getByRole('button', { name: 'Delete project' }).click();
  await expect(page.getByRole('link', { name: 'Renamed' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('link', { name: 'Second' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Renamed' })).toHaveCount(0);
});

test('classes can be renamed and deleted, and duplicates are refused', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Classes');
  await addClass(page, 'ant');
  await addClass(page, 'bees');
  await page.getByRole('textbox', { name: 'Class name' }).fill('BEES');
  await page.getByRole('button', { name: 'Add class' }).click();
  await expect(page.getByRole('alert')).toHaveText('There is already a class called "BEES".');

  await addImages(page, 'ant', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 2));
  await page.getByRole('button', { name: 'Rename class ant' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename class' });
  await dialog.getByRole('textbox', { name: 'Class name' }).fill('ants');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  expect(await photoCount(page, 'ants')).toBe(2);

  await page.getByRole('button', { name: 'Delete class bees' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete class' }).click();
  await expect(classRegion(page, 'bees')).toHaveCount(0);
  await page.reload();
  await expect(classRegion(page, 'ants')).toBeVisible();
  await expect(classRegion(page, 'bees')).toHaveCount(0);
});

test('Stop ends training within a batch and keeps the epochs done; the page stays responsive', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Stoppable');
  await addClass(page, 'rock');
  await addClass(page, 'paper');
  await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 40));
  await addImages(page, 'paper', filesIn('datasets', 'rps', 'paper').slice(0, 40));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await showProgressDetails(page, 120_000);
  await expect(page.getByText(/^Epoch [2-9]/)).toBeVisible({ timeout: 120_000 });

  // The main thread answers while the worker trains.
  const roundTrip = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        setTimeout(() => resolve(performance.now() - start), 0);
      }),
  );
  expect(roundTrip).toBeLessThan(1000);

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await showResultDetails(page);
  const summary = await page.getByText(/^Stopped after \d+ epochs?/).innerText();
  const epochs = Number(/Stopped after (\d+)/.exec(summary)![1]);
  expect(epochs).toBeGreaterThanOrEqual(1);
  expect(epochs).toBeLessThan(50);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});
