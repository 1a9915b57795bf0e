import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, classRegion, createProject, openStudio, photoCount } from './helpers';

test.use({ permissions: ['camera', 'clipboard-read', 'clipboard-write'] });

async function importDone(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
}

/** Puts a PNG on the system clipboard through the page, as "Copy image" in another app would. */
async function copyPng(page: Page, colour: string): Promise<void> {
  await page.evaluate(async (fill) => {
    const canvas = new OffscreenCanvas(96, 64);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, 96, 64);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
  }, colour);
}

/** A paste event carrying one PNG file, sent to whatever has focus (what Ctrl+V delivers). */
async function dispatchPaste(page: Page, colour: string): Promise<void> {
  await page.evaluate(async (fill) => {
    const canvas = new OffscreenCanvas(80, 80);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, 80, 80);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const data = new DataTransfer();
    data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    (document.activeElement ?? document.body).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, colour);
}

test.beforeEach(async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Clipboard');
  await addClass(page, 'cats');
  await addClass(page, 'dogs');
});

test('“Paste photos” reads an image from the clipboard into that class', async ({ page }) => {
  await copyPng(page, '#c33');
  await classRegion(page, 'dogs').getByRole('button', { name: 'Paste photos' }).click();
  await importDone(page);
  await expect.poll(() => photoCount(page, 'dogs')).toBe(1);
  expect(await photoCount(page, 'cats')).toBe(0);
  await expect(classRegion(page, 'dogs').getByRole('img', { name: /^pasted-.*\.png$/ })).toBeVisible();
});

test('“Paste photos” with only text on the clipboard says to copy a picture', async ({ page }) => {
  await page.evaluate(() => navigator.clipboard.writeText('not a picture'));
  await classRegion(page, 'cats').getByRole('button', { name: 'Paste photos' }).click();
  await expect(page.getByRole('alert')).toContainText('The clipboard holds no picture. Copy a photo');
  expect(await photoCount(page, 'cats')).toBe(0);
});

test('Ctrl+V pastes into the class last focused; with none chosen it asks to click a class', async ({ page }) => {
  // No class used yet and two to choose from: nothing is guessed.
  await dispatchPaste(page, '#3a3');
  await expect(page.getByRole('alert')).toContainText('Click the class the pasted photos belong to');
  expect(await photoCount(page, 'cats')).toBe(0);
  expect(await photoCount(page, 'dogs')).toBe(0);

  await classRegion(page, 'cats').getByRole('button', { name: 'Rename class cats' }).focus();
  await dispatchPaste(page, '#3a3');
  await importDone(page);
  await expect.poll(() => photoCount(page, 'cats')).toBe(1);

  // The real keyboard shortcut, with a real clipboard image, after moving to the other class.
  await copyPng(page, '#33c');
  await classRegion(page, 'dogs').getByRole('button', { name: 'Rename class dogs' }).focus();
  await page.keyboard.press('ControlOrMeta+V');
  await importDone(page);
  await expect.poll(() => photoCount(page, 'dogs')).toBe(1);
  expect(await photoCount(page, 'cats')).toBe(1);
});

test('text pasted into the class name field stays text', async ({ page }) => {
  await page.evaluate(() => navigator.clipboard.writeText('hamsters'));
  const field = page.getByRole('textbox', { name: 'Class name' });
  await field.focus();
  await page.keyboard.press('ControlOrMeta+V');
  await expect(field).toHaveValue('hamsters');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('without clipboard permission', () => {
  test.use({ permissions: ['camera'] });

  test('“Paste photos” says the browser refused and offers Ctrl+V instead', async ({ page }) => {
    await classRegion(page, 'cats').getByRole('button', { name: 'Paste photos' }).click();
    await expect(page.getByRole('alert')).toContainText('The browser did not allow Kiln to read the clipboard.');
    expect(await photoCount(page, 'cats')).toBe(0);
  });
});
