import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { expect, test } from './fixtures';
import { classRegion, filesIn, openStudio, photoCount } from './helpers';

/** A Teachable Machine project file as it is laid out: manifest.json and `<class>-!-<n>.jpg` per sample. */
function tmProject(classes: Record<string, string[]>, manifest: object | null = { type: 'image', version: '2.4.4' }): Buffer {
  const entries: Record<string, Uint8Array> = {};
  if (manifest) entries['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
  for (const [name, files] of Object.entries(classes)) {
    files.forEach((file, i) => (entries[`${name}-!-${i}.jpg`] = readFileSync(file)));
  }
  return Buffer.from(zipSync(entries, { level: 0 }));
}

async function openTmFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a Teachable Machine project (.tm)' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/octet-stream', buffer });
}

test('a Teachable Machine project file becomes a project with its classes, in order, and their photos', async ({ page }) => {
  await openStudio(page);
  const file = tmProject({
    Scissors: filesIn('datasets', 'rps', 'scissors').slice(0, 2),
    Rock: filesIn('datasets', 'rps', 'rock').slice(0, 3),
    Paper: filesIn('datasets', 'rps', 'paper').slice(0, 2),
  });
  await openTmFile(page, 'Hand game.tm', file);

  await expect(page.getByRole('navigation', { name: 'Project steps' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('heading', { level: 3 })).toHaveText(['Scissors', 'Rock', 'Paper']);
  expect(await photoCount(page, 'Scissors')).toBe(2);
  expect(await photoCount(page, 'Rock')).toBe(3);
  expect(await photoCount(page, 'Paper')).toBe(2);
  await expect(classRegion(page, 'Rock').getByRole('img', { name: 'Rock-!-2.jpg' })).toBeVisible();

  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: 'Hand game' })).toBeVisible();
  await expect(page.getByText(/^3 classes ·/)).toBeVisible();
});

test('a file that is not a Teachable Machine project is refused with what to do, and no project is made', async ({ page }) => {
  await openStudio(page);
  await openTmFile(page, 'no-manifest.tm', tmProject({ Rock: filesIn('datasets', 'rps', 'rock').slice(0, 1) }, null));
  await expect(page.getByRole('alert')).toHaveText(
    'The file has no manifest.json, so it is not a Teachable Machine project file. In Teachable Machine, save the project to a file again and choose that .tm file.',
  );
  await openTmFile(page, 'photo.tm', readFileSync(filesIn('datasets', 'rps', 'rock')[0]!));
  await expect(page.getByRole('alert')).toContainText('is not a zip archive');
  await expect(page.getByRole('heading', { name: 'Teach your computer to recognise things' })).toBeVisible();
});

test('a Kiln project file or a zip of class folders given to this button is answered with the button to use', async ({
  page,
}) => {
  await openStudio(page);
  const kiln = zipSync({ 'manifest.json': new TextEncoder().encode(JSON.stringify({ format: 'kiln-project', version: 2 })) });
  await openTmFile(page, 'backup.tm', Buffer.from(kiln));
  await expect(page.getByRole('alert')).toHaveText(
    'This is a Kiln project file, not a Teachable Machine project: open it with “Open a project file”.',
  );
  const folders = zipSync({ 'trip/ants/1.jpg': readFileSync(filesIn('datasets', 'rps', 'rock')[0]!) });
  await openTmFile(page, 'trip.tm', Buffer.from(folders));
  await expect(page.getByRole('alert')).toHaveText(
    'This zip holds photos in class folders, not a Teachable Machine project: open it with “Open a project file” (each folder becomes a class).',
  );
  await expect(page.getByRole('heading', { name: 'Teach your computer to recognise things' })).toBeVisible();
});
