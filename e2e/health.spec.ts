import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { addClass, addImages, classRegion, createProject, filesIn, openStudio, photoCount } from './helpers';
import { solidBmp } from './image-bytes';

const ANTS = filesIn('datasets', 'hymenoptera', 'train', 'ants');

/** A uniform 64 × 64 grey BMP. */
const bmp = (grey: number): Buffer => solidBmp(64, 64, [grey, grey, grey]);

test('the health check finds duplicates, a photo in two classes, small classes and dark photos, and fixes them', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openStudio(page);
  await createProject(page, 'Checked');
  await addClass(page, 'ants');
  await addClass(page, 'bees');
  await addImages(page, 'ants', ANTS.slice(0, 6));
  await addImages(page, 'ants', ANTS.slice(0, 1)); // the same photo again
  await addImages(page, 'bees', ANTS.slice(1, 2)); // an ant filed as a bee too
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, 'bees').getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles([{ name: 'night.bmp', mimeType: 'image/bmp', buffer: bmp(8) }]);

  const panel = page.getByRole('region', { name: 'Photo health check' });
  await expect(panel.getByRole('status')).toHaveText(/^\d+ findings in 9 photos\.$/);
  const duplicates = panel.getByRole('region', { name: 'Exact duplicates' });
  await expect(duplicates.getByText(/^2 copies of one photo in ants\./)).toBeVisible();
  await expect(duplicates.getByText(/^The same photo is in 2 classes: ants, bees\./)).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Class sizes' }).getByText(/bees/).first()).toBeVisible();
  await expect(
    panel.getByRole('region', { name: 'Dark, bright or blurry photos' }).getByText('night.bmp is too dark and blurry.'),
  ).toBeVisible();

  // One click each: the extra copy goes, and the ant leaves the bees.
  await duplicates.getByRole('button', { name: /^Delete 1 extra copy of / }).click();
  await expect(duplicates.getByText(/^2 copies of one photo/)).toHaveCount(0);
  await duplicates.getByRole('button', { name: 'Keep only in ants' }).click();
  await expect(panel.getByRole('region', { name: 'Exact duplicates' })).toHaveCount(0);
  expect(await photoCount(page, 'ants')).toBe(6);
  expect(await photoCount(page, 'bees')).toBe(1);

  // Near duplicates need the model: the same pixels in a file with a different hash.
  const copy = Buffer.concat([readFileSync(ANTS[2]!), Buffer.from('trailing bytes')]);
  const picker = page.waitForEvent('filechooser');
  await classRegion(page, 'ants').getByRole('button', { name: 'Add images' }).click();
  await (await picker).setFiles([{ name: `copy-of-${path.basename(ANTS[2]!)}`, mimeType: 'image/jpeg', buffer: copy }]);
  // The quick check after the import has seen the copy before the full check is asked for.
  await expect(panel.getByRole('status')).toHaveText(/ in 8 photos\.$/);
  await expect(panel.getByText('Near duplicates are looked for when you press “Check photos”.')).toBeVisible();
  await panel.getByRole('button', { name: 'Check photos' }).click();
  const near = panel.getByRole('region', { name: 'Near duplicates' });
  await expect(
    near.getByText(new RegExp(`^${path.basename(ANTS[2]!).replace('.', '\\.')} and copy-of-.* look almost the same`)),
  ).toBeVisible({
    timeout: 60_000,
  });
  await near.getByRole('button', { name: /^Delete copy-of-/ }).click();
  await expect(panel.getByRole('region', { name: 'Near duplicates' })).toHaveCount(0);
  expect(await photoCount(page, 'ants')).toBe(6);

  // A health fix is a delete like the gallery's: Undo puts back what it removed (the copy), nothing older.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(() => photoCount(page, 'ants')).toBe(7);
  expect(await photoCount(page, 'bees')).toBe(1);

  // A class-size finding leads to its class.
  await panel.getByRole('region', { name: 'Class sizes' }).getByRole('button', { name: 'Go to bees' }).first().click();
  await expect(classRegion(page, 'bees').getByRole('heading', { name: 'bees' })).toBeFocused();
});
