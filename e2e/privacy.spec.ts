import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import {
  addClass,
  addImages,
  createProject,
  download,
  filesIn,
  openStudio,
  predictInPreview,
  sharedPath,
  trainAndWait,
  openForDevelopers,
} from './helpers';
import { expect, test } from './fixtures';

const PUBLIC_BASE =
  'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/';

/** Every request the browser makes for this context: page, studio worker, WASM threads and service worker. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (request) => urls.push(request.url()));
  return urls;
}

async function fullSession(page: Page): Promise<void> {
  await createProject(page, 'Private');
  await addClass(page, 'ants');
  await addClass(page, 'bees');
  await addImages(page, 'ants', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 6));
  await addImages(page, 'bees', filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 6));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  await predictInPreview(page, filesIn('datasets', 'hymenoptera', 'val', 'ants').slice(0, 3));
  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  for (const name of ['Download model (.zip)', 'Download demo page (.html)', 'Download project file (.zip)']) {
    await download(page, page.getByRole('button', { name }));
  }
}

const leaving = (urls: string[], origin: string) =>
  urls.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));

test('with the backbone bundled, no request leaves the origin during a whole session', async ({ page, context, baseURL }) => {
  const urls = recordRequests(context);
  await openStudio(page);
  await fullSession(page);
  expect(urls.length).toBeGreaterThan(5);
  expect(leaving(urls, new URL(baseURL!).origin)).toEqual([]);
});

test('without it, the only request that leaves is the one backbone download', async ({ page, context, baseURL }) => {
  await context.route('**/models/mobilenet-v2-0.35-224/**', (route) => route.fulfill({ status: 404 }));
  await context.route(`${PUBLIC_BASE}**`, (route) =>
    route.fulfill({
      body: readFileSync(
        sharedPath('models', 'mobilenet-v2-0.35-224-no-top', path.basename(new URL(route.request().url()).pathname)),
      ),
      headers: { 'access-control-allow-origin': '*' },
    }),
  );
  const urls = recordRequests(context);
  await openStudio(page);
  await fullSession(page);
  expect(leaving(urls, new URL(baseURL!).origin)).toEqual([`${PUBLIC_BASE}model.json`, `${PUBLIC_BASE}weights.bin`]);
});

test('the privacy note says what happens to photos', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Privacy' }).click();
  const note = page.getByRole('dialog', { name: 'Your photos stay on this device' });
  await expect(note).toContainText('Nothing is uploaded.');
  await expect(note).toContainText('No analytics, no accounts, no cookies.');
  await note.getByRole('button', { name: 'Close' }).click();
  await expect(note).toBeHidden();
});
