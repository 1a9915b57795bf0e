import { readFileSync } from 'node:fs';
import { quarteredHeic } from '../src/test-support/heic';
import { expect, test } from './fixtures';
import { addClass, addImages, classRegion, createProject, filesIn, openStudio, photoCount } from './helpers';

test('unusable files are refused one by one with a reason, and the rest of the batch goes in', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Messy data');
  await addClass(page, 'ants');
  const good = filesIn('datasets', 'hymenoptera', 'train', 'ants').filter((f) => f.endsWith('.jpg'));
  await addImages(page, 'ants', good.slice(0, 3));
  expect(await photoCount(page, 'ants')).toBe(3);

  const jpeg = readFileSync(good[3]!);
  const png = readFileSync(filesIn('datasets', 'rps', 'rock')[0]!);
  // An iPhone photo (HEIC, made by the test), and one whose first bytes say HEIC but whose rest is lost.
  const heic = Buffer.from(await quarteredHeic(320, 240));
  const brokenHeic = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypheic\0\0\0\0mif1heic'), ...Buffer.alloc(64)]);
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, 'ants').getByRole('button', { name: 'Add images' }).click();
  await (
    await chooser
  ).setFiles([
    { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
    { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('These are my notes, not a photo.\n'.repeat(20)) },
    { name: 'cut-short.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)) },
    { name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    { name: 'half.png', mimeType: 'image/png', buffer: png.subarray(0, Math.floor(png.length / 2)) },
    { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: brokenHeic },
    { name: 'IMG_0002.HEIC', mimeType: 'image/heic', buffer: heic },
    { name: 'fine.jpg', mimeType: 'image/jpeg', buffer: jpeg },
  ]);

  const alert = page.getByRole('alert').filter({ hasText: 'were not' });
  await expect(alert).toContainText('2 photos added to “ants”; 6 files were not.');
  await expect(alert.getByRole('listitem').filter({ hasText: 'empty.jpg' })).toContainText('the file is empty (0 bytes)');
  await expect(alert.getByRole('listitem').filter({ hasText: 'notes.jpg' })).toContainText(
    'it is not an image: it contains text',
  );
  await expect(alert.getByRole('listitem').filter({ hasText: 'cut-short.jpg' })).toContainText('the JPEG is incomplete');
  await expect(alert.getByRole('listitem').filter({ hasText: 'readme.txt' })).toContainText(
    'it is not an image (its type is text/plain)',
  );
  await expect(alert.getByRole('listitem').filter({ hasText: 'half.png' })).toContainText(
    'the PNG is incomplete (the file was cut short); copy or download it again',
  );
  await expect(alert.getByRole('listitem').filter({ hasText: 'IMG_0001.HEIC' })).toContainText(
    'it is a HEIC photo that could not be read (it may be damaged); open it where it came from, export it as JPEG',
  );
  await expect(alert.getByRole('listitem').filter({ hasText: 'IMG_0002.HEIC' })).toHaveCount(0);
  // What was saved before is untouched, and the good files of the batch went in, the iPhone photo too.
  expect(await photoCount(page, 'ants')).toBe(5);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
  await page.reload();
  expect(await photoCount(page, 'ants')).toBe(5);

  // The refused files are kept with the project: after the reload the health check still lists them.
  const panel = page.getByRole('region', { name: 'Photo health check' });
  const unreadable = panel.getByRole('region', { name: 'Files that could not be read' });
  await expect(unreadable.getByRole('listitem')).toHaveCount(6);
  await expect(unreadable.getByRole('listitem').filter({ hasText: 'empty.jpg' })).toHaveText(
    'empty.jpg (for ants): the file is empty (0 bytes)',
  );
  await unreadable.getByRole('button', { name: 'Clear this list' }).click();
  await expect(unreadable).toHaveCount(0);
  await page.reload();
  expect(await photoCount(page, 'ants')).toBe(5);
  await expect(panel.getByRole('button', { name: 'Check photos' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Files that could not be read' })).toHaveCount(0);
});

test('training explains what is missing instead of failing', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Not ready');
  await addClass(page, 'ants');
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Add at least 2 classes before training: a model needs something to tell apart.',
  );
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  await addClass(page, 'bees');
  await addImages(page, 'ants', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 3));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Add at least 2 photos to "bees" before training.');
});
