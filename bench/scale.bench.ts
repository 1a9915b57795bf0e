/**
 * How Kiln grows with project size: 500, 2,000 and 5,000 photos, made by re-sampling the shared photos
 * with seeded random crops (so every photo is new to the cache) and really stored through the studio,
 * dropped on the classes as a person would. For each size: import, embedding and training time,
 * IndexedDB bytes per photo, and the time to open the project again.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startStaticServer } from '../e2e/static-server';
import { addClass, createProject, openSettings } from '../e2e/helpers';
import { ROOT, SHARED, saveResults, sharedUrls, table, test } from './harness';

const SIZES = (process.env.KILN_SCALE_SIZES ?? '500,2000,5000').split(',').map(Number);

/** Makes `count` JPEG crops of the class's shared photos in the page and drops them on the class. */
async function dropCrops(page: Page, className: string, sources: string[], count: number, seed: number): Promise<number> {
  const started = Date.now();
  await page.evaluate(
    async ({ className, sources, count, seed }) => {
      let s = seed >>> 0;
      const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const bitmaps = await Promise.all(sources.map(async (src) => createImageBitmap(await (await fetch(src)).blob())));
      const canvas = new OffscreenCanvas(320, 320);
      const ctx = canvas.getContext('2d')!;
      const files: File[] = [];
      for (let i = 0; i < count; i++) {
        const bitmap = bitmaps[i % bitmaps.length]!;
        const side = Math.min(bitmap.width, bitmap.height) * (0.6 + 0.4 * random());
        const x = random() * (bitmap.width - side);
        const y = random() * (bitmap.height - side);
        ctx.drawImage(bitmap, x, y, side, side, 0, 0, 320, 320);
        files.push(
          new File([await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 })], `crop-${i}.jpg`, { type: 'image/jpeg' }),
        );
      }
      const section = [...document.querySelectorAll('h3')].find((h) => h.textContent === className)!.closest('section')!;
      const transfer = new DataTransfer();
      files.forEach((f) => transfer.items.add(f));
      (window as unknown as { dropStarted: number }).dropStarted = performance.now();
      section.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { className, sources, count, seed },
  );
  await page
    .getByRole('status')
    .filter({ hasText: 'Adding photos' })
    .waitFor({ state: 'visible', timeout: 60_000 })
    .catch(() => undefined);
  await page.getByRole('status').filter({ hasText: 'Adding photos' }).waitFor({ state: 'detached', timeout: 3_600_000 });
  return (Date.now() - started) / 1000;
}

async function usage(page: Page): Promise<number> {
  return page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
}

test('project size: 500, 2,000 and 5,000 photos', async ({ browser }) => {
  // KILN_OUT_DIR: a build folder of one's own (as the e2e tests allow), when several builds share the checkout.
  const server = await startStaticServer(path.join(ROOT, process.env.KILN_OUT_DIR ?? 'dist'));
  const rows: Record<string, string | number>[] = [];
  const sources = ['ants', 'bees'].map((cls) => sharedUrls('datasets', 'hymenoptera', 'train', cls));
  for (const size of SIZES) {
    // A fresh profile per size; no service worker, so the test can answer /shared/ itself.
    const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
    await context.route('**/shared/**', (route) =>
      route.fulfill({
        path: path.join(SHARED, decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/shared\//, '')),
      }),
    );
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).waitFor({ timeout: 120_000 });
    const empty = await usage(page);
    await createProject(page, `Scale ${size}`);
    await addClass(page, 'ants');
    await addClass(page, 'bees');
    let importSeconds = 0;
    for (const [k, cls] of (['ants', 'bees'] as const).entries()) {
      importSeconds += await dropCrops(page, cls, sources[k]!.slice(0, 60), size / 2, 1000 + size + k);
    }
    const bytes = (await usage(page)) - empty;

    await page.getByRole('link', { name: '2. Train and preview' }).click();
    await openSettings(page, false);
    // Teachable Machine's settings: one backbone pass per photo, a fixed 50 epochs.
    await page.getByRole('button', { name: 'Teachable Machine’s settings' }).click();
    const started = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByText(/^Epoch \d+ of/).waitFor({ timeout: 3_600_000 });
    const embedSeconds = (Date.now() - started) / 1000;
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        !([...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train') as HTMLButtonElement).disabled,
      undefined,
      { timeout: 3_600_000, polling: 100 },
    );
    const trainSeconds = (Date.now() - started) / 1000 - embedSeconds;

    // Opening it again: from the project list to its classes with their counts and first thumbnails. The gallery
    // reads only photo ids on open and thumbnails for the rows on screen, so this should hardly grow with size.
    await page.getByRole('link', { name: 'Kiln' }).click();
    await page.reload();
    await page.getByRole('link', { name: `Scale ${size}` }).waitFor();
    const opening = Date.now();
    await page.getByRole('link', { name: `Scale ${size}` }).click();
    await page.getByRole('grid', { name: 'Photos of bees' }).getByRole('img').first().waitFor();
    await page
      .getByRole('region', { name: 'bees', exact: true })
      .getByText(`${size / 2} photos`, { exact: true })
      .waitFor();
    const openSeconds = (Date.now() - opening) / 1000;
    await context.close();

    rows.push({
      photos: size,
      'import s': importSeconds,
      'import photos/s': size / importSeconds,
      'embed s': embedSeconds,
      'train 50 epochs s': trainSeconds,
      'IndexedDB KB/photo': bytes / size / 1024,
      'open s': openSeconds,
    });
    console.log(table(rows));
  }
  await server.close();
  console.log(saveResults('scale', { rows }));
});
