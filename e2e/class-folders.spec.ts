import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { quarteredHeic } from '../src/test-support/heic';
import { expect, test } from './fixtures';
import { classRegion, createProject, filesIn, openStudio, photoCount, sharedPath } from './helpers';

const RPS = sharedPath('datasets', 'rps');
const CLASSES = ['rock', 'paper', 'scissors'];

test('a folder of class folders becomes one class per folder; importing it again reports 600 duplicates', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await createProject(page, 'Hands');
  for (let round = 1; round <= 2; round++) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import a folder of class folders' }).click();
    await (await chooser).setFiles(RPS);
    await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 240_000 });
    for (const cls of CLASSES) {
      await expect(classRegion(page, cls)).toBeVisible();
      expect(await photoCount(page, cls)).toBe(200 * round);
    }
  }
  const duplicates = page.getByRole('region', { name: 'Exact duplicates' });
  await expect(duplicates.getByText(/^600 photos are exact copies of another photo\./)).toBeVisible({ timeout: 60_000 });
  await duplicates.getByRole('button', { name: 'Delete all 600 extra copies within classes' }).click();
  await expect(page.getByRole('region', { name: 'Exact duplicates' })).toHaveCount(0, { timeout: 60_000 });
  for (const cls of CLASSES) expect(await photoCount(page, cls)).toBe(200);
});

test('a zip of class folders imports the same way', async ({ page }) => {
  test.setTimeout(180_000);
  const entries: Record<string, Uint8Array> = {};
  for (const cls of CLASSES)
    for (const file of filesIn('datasets', 'rps', cls)) entries[`rps/${cls}/${path.basename(file)}`] = readFileSync(file);
  // What a real zip also holds: notes, an iPhone photo, a scan, a photo in no class folder, and macOS's clutter.
  entries['rps/notes.txt'] = new TextEncoder().encode('taken on Tuesday');
  entries['rps/rock/IMG_0001.HEIC'] = new Uint8Array([0, 0, 0, 24, ...new TextEncoder().encode('ftypheic\0\0\0\0mif1heic')]);
  entries['rps/rock/IMG_0002.HEIC'] = await quarteredHeic(320, 240);
  entries['rps/paper/scan.tiff'] = new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]);
  entries['rps/cover.jpg'] = readFileSync(filesIn('datasets', 'rps', 'rock')[0]!);
  entries['__MACOSX/rps/rock/._0.png'] = new Uint8Array([0, 5, 22, 7]);
  const zipPath = test.info().outputPath('rps.zip');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(zipPath, zipSync(entries, { level: 0 }));

  await openStudio(page);
  await createProject(page, 'Zipped');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a zip of class folders' }).click();
  await (await chooser).setFiles(zipPath);
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 150_000 });
  for (const cls of CLASSES) {
    await expect(classRegion(page, cls)).toBeVisible();
    // The iPhone's HEIC photo goes in with the rocks.
    expect(await photoCount(page, cls)).toBe(cls === 'rock' ? 201 : 200);
  }
  // Every file that went into no class is named with why; the system's clutter is not the person's.
  const notice = page.getByRole('alert').filter({ hasText: 'rps.zip' });
  await expect(notice.locator('strong').first()).toHaveText('601 photos added to “rps.zip”; 4 files were not.');
  // One summary for the whole zip: files that went into no class, then a photo that could not be read.
  await expect(notice.getByRole('listitem')).toHaveText([
    'rps/notes.txt: it is not a photo Kiln reads (JPEG, PNG, WebP, GIF, BMP, AVIF or HEIC).',
    'rps/paper/scan.tiff: it is a TIFF image, which the browser cannot open; convert it to JPEG or PNG and add that.',
    'rps/cover.jpg: it is not inside a class folder, so its class is unknown; put it in the folder of its class.',
    /^rps\/rock\/IMG_0001\.HEIC: it is a HEIC photo that could not be read \(it may be damaged\)/,
  ]);
  await expect(page.getByRole('alert').filter({ hasText: 'were not' })).toHaveCount(1);
});
