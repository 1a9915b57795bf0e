import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, classRegion, createProject, openStudio, photoCount, sharedPath } from './helpers';
import { halvesAvif, halvesPng, solidBmp, twoFrameGif, withExifOrientation } from './image-bytes';

type Upload = { name: string; mimeType: string; buffer: Buffer };

async function pick(page: Page, className: string, files: (Upload | string)[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, className).getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles(files as Upload[]);
}

async function importDone(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
}

/** The stored photo's thumbnail, as the page shows it: its size and the colour of its top-left and bottom-right. */
async function thumbnail(image: Locator): Promise<{ width: number; height: number; topLeft: number[]; bottomRight: number[] }> {
  await expect(image).toBeVisible();
  return image.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    // One pixel in from the corner (JPEG edges blur), or the corner itself in a tiny image.
    const at = (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)];
    const inset = (side: number) => Math.min(1, side - 1);
    return {
      width: img.naturalWidth,
      height: img.naturalHeight,
      topLeft: at(inset(img.naturalWidth), inset(img.naturalHeight)),
      bottomRight: at(img.naturalWidth - 1 - inset(img.naturalWidth), img.naturalHeight - 1 - inset(img.naturalHeight)),
    };
  });
}

const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
const isBlue = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;

test.beforeEach(async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Formats');
  await addClass(page, 'things');
  await addClass(page, 'other');
});

test('GIF (first frame), BMP and an EXIF-rotated JPEG are accepted, and the rotation is applied', async ({ page }) => {
  // A 200 × 100 JPEG, left half red and right half blue, made by the browser's own encoder.
  const jpeg = Buffer.from(
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(200, 100);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#f00';
      ctx.fillRect(0, 0, 100, 100);
      ctx.fillStyle = '#00f';
      ctx.fillRect(100, 0, 100, 100);
      return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer())];
    }),
  );
  await pick(page, 'things', [
    { name: 'two-frames.gif', mimeType: 'image/gif', buffer: twoFrameGif() },
    { name: 'green.bmp', mimeType: 'image/bmp', buffer: solidBmp(64, 48, [0, 160, 0]) },
    // Orientation 6: "turn 90° clockwise to view", as phone cameras write for portrait photos.
    { name: 'rotated.jpg', mimeType: 'image/jpeg', buffer: withExifOrientation(jpeg, 6) },
  ]);
  await importDone(page);
  await expect.poll(() => photoCount(page, 'things')).toBe(3);
  await expect(page.getByRole('alert')).toHaveCount(0);

  const things = classRegion(page, 'things');
  const gif = await thumbnail(things.getByRole('img', { name: 'two-frames.gif' }));
  expect(isRed(gif.topLeft), `first frame is red, got ${gif.topLeft.join(',')}`).toBe(true);

  const rotated = await thumbnail(things.getByRole('img', { name: 'rotated.jpg' }));
  // Turned upright: portrait, the red half on top and the blue half at the bottom.
  expect(rotated.height).toBeGreaterThan(rotated.width);
  expect(isRed(rotated.topLeft), `top is red, got ${rotated.topLeft.join(',')}`).toBe(true);
  expect(isBlue(rotated.bottomRight), `bottom is blue, got ${rotated.bottomRight.join(',')}`).toBe(true);
});

test('WebP and AVIF photos go in with their colours where they belong', async ({ page }) => {
  // WebP made by the browser's own encoder; AVIF (which browsers decode but cannot encode) from image-bytes.ts.
  const webp = Buffer.from(
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(64, 32);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#f00';
      ctx.fillRect(0, 0, 32, 32);
      ctx.fillStyle = '#00f';
      ctx.fillRect(32, 0, 32, 32);
      return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/webp', quality: 1 })).arrayBuffer())];
    }),
  );
  await pick(page, 'things', [
    { name: 'halves.webp', mimeType: 'image/webp', buffer: webp },
    { name: 'halves.avif', mimeType: 'image/avif', buffer: halvesAvif() },
  ]);
  await importDone(page);
  await expect.poll(() => photoCount(page, 'things')).toBe(2);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const things = classRegion(page, 'things');
  for (const name of ['halves.webp', 'halves.avif']) {
    const shown = await thumbnail(things.getByRole('img', { name }));
    expect(shown.width, name).toBeGreaterThan(shown.height);
    expect(isRed(shown.topLeft), `${name}: left is red, got ${shown.topLeft.join(',')}`).toBe(true);
    expect(isBlue(shown.bottomRight), `${name}: right is blue, got ${shown.bottomRight.join(',')}`).toBe(true);
  }
});

test('20,000-pixel-wide images are downscaled while the page stays usable', async ({ page }) => {
  const huge = [1000, 1001, 1002].map((height) => ({
    name: `panorama-${height}.png`,
    mimeType: 'image/png',
    buffer: halvesPng(20_000, height),
  }));
  await pick(page, 'things', huge);
  // While the worker decodes, the page still answers: a dialog opens and closes.
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toBeVisible();
  await page.getByRole('button', { name: 'Rename class other' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename class' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  await importDone(page);
  await expect.poll(() => photoCount(page, 'things')).toBe(3);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const stored = await thumbnail(classRegion(page, 'things').getByRole('img', { name: 'panorama-1000.png' }));
  // Same 20:1 shape, longest side at the thumbnail's 160 px; left end red, right end blue.
  expect(stored.width).toBe(160);
  expect(stored.height).toBe(8);
  expect(isRed(stored.topLeft)).toBe(true);
  expect(isBlue(stored.bottomRight)).toBe(true);
});

test('the dataset’s “image not found” GIF placeholder goes in as an ordinary photo', async ({ page }) => {
  await pick(page, 'things', [sharedPath('datasets', 'hymenoptera', 'train', 'ants', 'imageNotFound.gif')]);
  await importDone(page);
  await expect.poll(() => photoCount(page, 'things')).toBe(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  const placeholder = await thumbnail(classRegion(page, 'things').getByRole('img', { name: 'imageNotFound.gif' }));
  expect([placeholder.width, placeholder.height]).toEqual([160, 160]);
});
