import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { expect, test } from './fixtures';
import { addClass, addImages, classRegion, createProject, filesIn, openStudio, photoCount } from './helpers';

/**
 * A full disk. Chromium's DevTools quota override (Storage.overrideQuotaForOrigin) makes IndexedDB throw a real
 * QuotaExceededError, but in this Chromium it took effect in only some runs (navigator.storage.estimate() kept the
 * full quota in the others), so these tests use the worker's test-only hook instead: photo writes throw the same
 * QuotaExceededError after a given number of photos (src/workers/storage-fault.ts). See docs/COLLECT.md.
 */
async function fillDiskAfter(page: Page, photos: number): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes('studio.worker'))!;
  await worker.evaluate(
    (n) => (self as unknown as { kilnDiagnostics: { fillDiskAfter(n: number): void } }).kilnDiagnostics.fillDiskAfter(n),
    photos,
  );
}

function diskFullNumbers(text: string): { wentIn: number; didNot: number } {
  const match = /The disk is full: (\d+) photos? went in and (\d+) did not\./.exec(text);
  expect(match, text).not.toBeNull();
  return { wentIn: Number(match![1]), didNot: Number(match![2]) };
}

test('an import that fills the disk stops cleanly, says how many went in, and keeps everything saved before', async ({
  page,
}) => {
  await openStudio(page);
  await createProject(page, 'Full disk');
  await addClass(page, 'paper');
  await addClass(page, 'rock');
  await addImages(page, 'paper', filesIn('datasets', 'rps', 'paper').slice(0, 3));
  await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 2));

  // Room for 20 more photos; photos are written 16 at a time, so the second batch finds the disk full.
  await fillDiskAfter(page, 20);
  const more = filesIn('datasets', 'rps', 'rock').slice(2, 42);
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, 'rock').getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles(more);

  const notice = page.getByRole('alert').filter({ hasText: 'Import into “rock” stopped.' });
  await expect(notice).toBeVisible({ timeout: 120_000 });
  const text = await notice.innerText();
  expect(diskFullNumbers(text)).toEqual({ wentIn: 16, didNot: 24 });
  expect(text).toContain('Free some space (or delete photos or projects) and add the rest again.');
  await expect.poll(() => photoCount(page, 'rock')).toBe(18);

  // After a reload (which also ends the simulated full disk): the photos that went in, and the other class, are there.
  await page.reload();
  await expect(classRegion(page, 'rock')).toBeVisible({ timeout: 120_000 });
  await expect.poll(() => photoCount(page, 'rock')).toBe(18);
  expect(await photoCount(page, 'paper')).toBe(3);
  await expect(classRegion(page, 'paper').getByRole('img')).toHaveCount(3);
});

test('a zip of class folders that fills the disk reports the whole import, not just the class it stopped in', async ({
  page,
}) => {
  const entries: Record<string, Uint8Array> = {};
  for (const cls of ['rock', 'paper', 'scissors']) {
    for (const file of filesIn('datasets', 'rps', cls).slice(0, 15))
      entries[`${cls}/${path.basename(file)}`] = readFileSync(file);
  }
  await openStudio(page);
  await createProject(page, 'Full disk zip');
  // rock's 15 photos go in (one batch), paper's first batch of 15 does not fit, scissors is never reached.
  await fillDiskAfter(page, 20);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a zip of class folders' }).click();
  await (
    await chooser
  ).setFiles({ name: 'hands.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(entries, { level: 0 })) });

  const notice = page.getByRole('alert').filter({ hasText: 'Import into “paper” stopped.' });
  await expect(notice).toBeVisible({ timeout: 120_000 });
  expect(diskFullNumbers(await notice.innerText())).toEqual({ wentIn: 15, didNot: 30 });

  await page.reload();
  await expect(classRegion(page, 'rock')).toBeVisible({ timeout: 120_000 });
  await expect.poll(() => photoCount(page, 'rock')).toBe(15);
  expect(await photoCount(page, 'paper')).toBe(0);
});
