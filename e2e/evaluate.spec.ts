import { expect, test } from './fixtures';
import {
  addImages,
  classRegion,
  download,
  filesIn,
  openSettings,
  openStudio,
  photoCount,
  projectWith,
  setNumber,
  trainAndWait,
} from './helpers';

const TRAIN = ['datasets', 'hymenoptera', 'train'];

test('results explain themselves: per-class metrics, a clickable confusion matrix, relabelling, test photos, map and downloads', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Insects', {
    ants: filesIn(...TRAIN, 'ants').slice(0, 20),
    bees: filesIn(...TRAIN, 'bees').slice(0, 20),
  });
  // A test-only folder for each class: never trained on, reported on its own.
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  for (const cls of ['ants', 'bees']) {
    const chooser = page.waitForEvent('filechooser');
    await classRegion(page, cls).getByRole('button', { name: 'Add test photos' }).click();
    await (await chooser).setFiles(filesIn('datasets', 'hymenoptera', 'val', cls).slice(0, 4));
    await expect(classRegion(page, cls).getByText('4 test only')).toBeVisible();
  }
  expect(await photoCount(page, 'ants')).toBe(20);

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page);
  await setNumber(page, 'Epochs', 12);
  await setNumber(page, 'Augmented copies per photo', 0);
  await setNumber(page, 'Validation (%)', 30);
  await trainAndWait(page);

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  const validation = page.getByRole('table', { name: /^Validation photos: \d+ held back/ });
  await expect(validation.getByRole('row', { name: /^ants / })).toBeVisible();
  await expect(validation.getByRole('row', { name: /^Macro average/ })).toBeVisible();
  await expect(page.getByText(/^Precision: /)).toBeVisible(); // the plain-language explanation
  const testTable = page.getByRole('table', { name: /^Test photos/ });
  // Support of the test set: 4 photos per class.
  await expect(testTable.getByRole('row', { name: /^ants .* 4$/ })).toBeVisible();
  await expect(testTable.getByRole('row', { name: /^bees .* 4$/ })).toBeVisible();

  // A confusion cell lists its photos; one of them is moved to the other class from there.
  const cell = page.getByRole('button', { name: /^ants predicted as ants: \d+ photos?$/ }).first();
  const inCell = Number(/: (\d+) photo/.exec((await cell.getAttribute('aria-label'))!)![1]);
  expect(inCell).toBeGreaterThan(0);
  await cell.click();
  const grid = page.getByRole('region', { name: /ants predicted as ants/ });
  await expect(grid.getByRole('listitem')).toHaveCount(inCell);
  const first = grid.getByRole('listitem').first();
  const name = (await first.getByRole('img').getAttribute('alt'))!;
  await first.getByRole('combobox', { name: `Move ${name} to class` }).selectOption('bees');
  await first.getByRole('button', { name: `Move ${name}` }).click();
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  // The move is the worker's: its counts arrive as soon as it has run (the shortcut check may be using the worker).
  await expect.poll(() => photoCount(page, 'ants')).toBe(19);
  await expect.poll(() => photoCount(page, 'bees')).toBe(21);
  await page.getByRole('link', { name: '3. Evaluate' }).click();

  await expect(page.getByText(/^Expected calibration error: /)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Most confusing photos' })).toBeVisible();

  await page.getByRole('button', { name: 'Show the map' }).click();
  await expect(page.getByRole('img', { name: /^Map of 48 photos in 2 classes/ })).toBeVisible({ timeout: 60_000 });
  await page.getByText('Photos on the map').click();
  await page
    .getByRole('button', { name: /^Open .* \((ants|bees)\)$/ })
    .first()
    .click();
  const photo = page.getByRole('dialog');
  await expect(photo.getByRole('img')).toBeVisible();
  await photo.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('combobox', { name: 'Method' }).selectOption('umap');
  await page.getByRole('button', { name: 'Show the map' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Preparing photos' })).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByRole('img', { name: /^Map of 48 photos in 2 classes/ })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  const csv = await download(page, page.getByRole('button', { name: 'Download predictions (CSV)' }));
  const lines = new TextDecoder().decode(csv.bytes).trim().split('\n');
  expect(lines[0]).toBe('photo,set,true_class,predicted_class,confidence,p_ants,p_bees');
  expect(lines.filter((l) => l.includes(',test,'))).toHaveLength(8);
  const report = await download(page, page.getByRole('button', { name: 'Download report (HTML)' }));
  const html = new TextDecoder().decode(report.bytes);
  expect(html).toContain('Insects');
  expect(html).not.toContain('<script');
});

test('two trainings appear in the history, side by side, and either can be the active model', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Twice', {
    ants: filesIn(...TRAIN, 'ants').slice(0, 10),
    bees: filesIn(...TRAIN, 'bees').slice(0, 10),
  });
  await openSettings(page);
  await setNumber(page, 'Augmented copies per photo', 0);
  await setNumber(page, 'Epochs', 5);
  await trainAndWait(page);
  await setNumber(page, 'Epochs', 9);
  await trainAndWait(page);

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  const history = page.getByRole('table', { name: 'Every training of this project' });
  await expect(history.getByRole('row')).toHaveCount(3); // header + two runs
  for (const box of await history.getByRole('checkbox', { name: /^Compare the training of / }).all()) await box.check();
  const comparison = page.getByRole('region', { name: 'Comparing two trainings' });
  await expect(comparison.getByRole('row', { name: /^Epochs 5 9$/ })).toBeVisible();
  await expect(comparison.getByRole('table', { name: 'Change in each metric' })).toBeVisible();

  // The older one becomes the active model again; deleting the newer leaves one run.
  const makeActive = history.getByRole('button', { name: /^Make the training of .* the active model$/ });
  await expect(makeActive).toHaveCount(1);
  await makeActive.click();
  await expect(history.getByRole('button', { name: /^Make the training of .* the active model$/ })).toHaveCount(1);
  const deletes = history.getByRole('button', { name: /^Delete the training of / });
  await deletes.first().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete training' }).click();
  await expect(history.getByRole('row')).toHaveCount(2);
});

test('photos of a test folder are added as test only and can be moved back to training', async ({ page }) => {
  await openStudio(page);
  await projectWith(page, 'Flags', { ants: filesIn(...TRAIN, 'ants').slice(0, 3), bees: filesIn(...TRAIN, 'bees').slice(0, 3) });
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  const toggle = classRegion(page, 'ants')
    .getByRole('button', { name: /^Test only: / })
    .first();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(classRegion(page, 'ants').getByText('1 test only')).toBeVisible();
  expect(await photoCount(page, 'ants')).toBe(2);
  await classRegion(page, 'ants')
    .getByRole('button', { name: /^Test only: / })
    .first()
    .click();
  await expect(classRegion(page, 'ants').getByText(/test only$/)).toHaveCount(0);
  await addImages(page, 'ants', filesIn(...TRAIN, 'ants').slice(3, 4));
  expect(await photoCount(page, 'ants')).toBe(4);
});
