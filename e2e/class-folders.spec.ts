import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
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
    expect(await photoCount(page, cls)).toBe(200);
  }
});
