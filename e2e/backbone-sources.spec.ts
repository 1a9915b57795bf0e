import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { addClass, addImages, createProject, filesIn, openStudio, predictInPreview, sharedPath, trainAndWait } from './helpers';

const PUBLIC_BASE =
  'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/';

/** Makes the copy this build brought along unreachable, as on a build made without it. */
async function withoutBundledBackbone(context: BrowserContext): Promise<void> {
  await context.route('**/models/mobilenet-v2-0.35-224/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
}

/** Answers the public bucket from ../shared, so the real download path runs without internet. */
async function publicBucketFromShared(context: BrowserContext): Promise<string[]> {
  const served: string[] = [];
  await context.route(`${PUBLIC_BASE}**`, (route) => {
    const file = path.basename(new URL(route.request().url()).pathname);
    served.push(file);
    return route.fulfill({
      body: readFileSync(sharedPath('models', 'mobilenet-v2-0.35-224-no-top', file)),
      headers: {
        'access-control-allow-origin': '*',
        'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      },
    });
  });
  return served;
}

async function imageModelLine(page: import('@playwright/test').Page): Promise<string> {
  await page.getByText(/^Backend:/).click();
  const line = await page
    .getByRole('note', { name: 'Why this backend' })
    .getByText(/^Image model:/)
    .innerText();
  await page.getByText(/^Backend:/).click();
  return line;
}

test('without a bundled copy the backbone comes from the public URL once, then from IndexedDB offline', async ({
  page,
  context,
}) => {
  await withoutBundledBackbone(context);
  const served = await publicBucketFromShared(context);
  await openStudio(page);
  expect(served).toEqual(['model.json', 'weights.bin']);
  expect(await imageModelLine(page)).toContain('downloaded once from Teachable Machine’s public storage; checksum verified');

  await createProject(page, 'From the bucket');
  await addClass(page, 'ants');
  await addClass(page, 'bees');
  await addImages(page, 'ants', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 6));
  await addImages(page, 'bees', filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 6));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);

  // The network is gone now: the backbone must come from this browser's IndexedDB.
  await context.unroute(`${PUBLIC_BASE}**`);
  await context.route(`${PUBLIC_BASE}**`, (route) => route.abort('internetdisconnected'));
  await page.reload();
  await expect(page.getByText(/^Backend: WASM/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The image model is not available' })).toHaveCount(0);
  const predicted = await predictInPreview(page, filesIn('datasets', 'hymenoptera', 'val', 'bees').slice(0, 2));
  expect([...predicted.values()].every((cls) => cls === 'ants' || cls === 'bees')).toBe(true);
  expect(served).toEqual(['model.json', 'weights.bin']);
});

test('with no source reachable the app says so and takes a Teachable Machine export from files', async ({ page, context }) => {
  await withoutBundledBackbone(context);
  await context.route(`${PUBLIC_BASE}**`, (route) => route.abort('internetdisconnected'));
  await openStudio(page);
  const banner = page.getByRole('region', { name: 'The image model is not available' });
  await expect(banner).toContainText('Kiln could not download its image model');
  await createProject(page, 'Offline');
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();

  const pick = async (files: string[]) => {
    const chooser = page.waitForEvent('filechooser');
    await banner.getByRole('button', { name: 'Import model files' }).click();
    await (await chooser).setFiles(files);
  };
  await pick([sharedPath('models', 'teachable-machine', 'nail-biting', 'model.json')]);
  await expect(banner.getByRole('alert')).toHaveText('model.json needs "weights.bin": choose it together with model.json.');

  const v1 = sharedPath('models', 'mobilenet-v1-0.25-224');
  await pick(filesIn('models', 'mobilenet-v1-0.25-224').filter((f) => f.startsWith(v1)));
  await expect(banner.getByRole('alert')).toContainText('has no "out_relu" layer and is not a Teachable Machine image export');

  await pick(filesIn('models', 'teachable-machine', 'nail-biting'));
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  expect(await imageModelLine(page)).toContain('imported from your files; checksum verified');
});
