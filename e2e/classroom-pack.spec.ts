import { writeFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { unzipSync } from 'fflate';
import { expect, test } from './fixtures';
import {
  download,
  filesIn,
  openSettings,
  openStudio,
  photoCount,
  predictInPreview,
  projectWith,
  setNumber,
  showResultDetails,
  trainAndWait,
} from './helpers';

const PUBLIC_BASE =
  'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/';

/** A laptop that was never online: no copy of the image model in this build, and no internet. */
async function neverOnline(context: BrowserContext): Promise<string[]> {
  const asked: string[] = [];
  await context.route('**/models/mobilenet-v2-0.35-224/**', (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 404, body: 'not here' });
  });
  await context.route(`${PUBLIC_BASE}**`, (route) => {
    asked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return asked;
}

test('a classroom pack opens, previews and trains on a device that never had the image model', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(400_000);
  await openStudio(page);
  await projectWith(page, 'Bugs starter', {
    ants: filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 6),
    bees: filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 6),
  });
  await trainAndWait(page);

  await page.getByRole('link', { name: '4. Export' }).click();
  await expect(page.getByRole('heading', { name: 'Classroom pack' })).toBeVisible();
  await expect(page.getByText(/everything it needs to work without internet/)).toBeVisible();
  const pack = await download(page, page.getByRole('button', { name: 'Save a classroom pack (.zip)' }));
  expect(pack.name).toBe('Bugs-starter-classroom.kiln.zip');
  await expect(page.getByRole('status').filter({ hasText: 'Saved Bugs-starter-classroom.kiln.zip' })).toBeVisible();
  const files = unzipSync(pack.bytes);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { backbone: { id: string; bytes: number } };
  expect(manifest.backbone.id).toBe('mobilenet-v2-0.35-224');
  expect(files['backbone/weights.bin']!.byteLength).toBe(manifest.backbone.bytes);
  // The plain project file stays small: the image model only goes into the pack.
  const plain = await download(page, page.getByRole('button', { name: 'Download project file (.zip)' }));
  expect(pack.bytes.byteLength - plain.bytes.byteLength).toBeGreaterThan(manifest.backbone.bytes);
  const packPath = test.info().outputPath(pack.name);
  writeFileSync(packPath, pack.bytes);

  // A fresh profile on a laptop that was never online: nothing cached, no model to download.
  const laptop = await browser.newContext({ baseURL, permissions: ['camera'] });
  const asked = await neverOnline(laptop);
  const other = await laptop.newPage();
  await openStudio(other);
  expect(asked.length).toBeGreaterThan(0); // it did look for the model, and found none
  await expect(other.getByRole('region', { name: 'The image model is not available' })).toBeVisible();

  const chooser = other.waitForEvent('filechooser');
  await other.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(packPath);
  await expect(other.getByRole('navigation', { name: 'Project steps' })).toBeVisible({ timeout: 120_000 });
  await expect(other.getByRole('region', { name: 'The image model is not available' })).toHaveCount(0);
  expect(await photoCount(other, 'ants')).toBe(6);

  // Preview works with the model trained on the teacher's computer…
  await other.getByRole('link', { name: '2. Train and preview' }).click();
  const predicted = await predictInPreview(other, filesIn('datasets', 'hymenoptera', 'val', 'ants').slice(0, 2));
  expect([...predicted.values()].every((cls) => cls === 'ants' || cls === 'bees')).toBe(true);
  expect([...predicted.values()].filter(Boolean)).toHaveLength(2);

  // …and so does training here, with the image model from the pack.
  await openSettings(other, false);
  await setNumber(other, 'Epochs', 5);
  await trainAndWait(other);
  await showResultDetails(other);
  await expect(other.getByText(/^Trained after 5 epochs/)).toBeVisible();
  await other.getByText(/^Backend:/).click();
  await expect(other.getByRole('note', { name: 'Why this backend' })).toContainText('taken from a classroom pack');

  // Reloaded, still offline: the model was kept on this device.
  await other.reload();
  await expect(other.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/)).toBeVisible({ timeout: 120_000 });
  await expect(other.getByRole('region', { name: 'The image model is not available' })).toHaveCount(0);
  await expect(other.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await laptop.close();
});

test('a damaged classroom pack is refused with a clear message and adds nothing', async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Tiny', {
    ants: filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 2),
    bees: filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 2),
  });
  await page.getByRole('link', { name: '4. Export' }).click();
  const pack = await download(page, page.getByRole('button', { name: 'Save a classroom pack (.zip)' }));
  // Flip one byte of the weights, keeping the zip itself sound.
  const { zipSync } = await import('fflate');
  const files = unzipSync(pack.bytes);
  files['backbone/weights.bin']![100]! ^= 0xff;
  const packPath = test.info().outputPath('damaged.kiln.zip');
  writeFileSync(packPath, zipSync(files));

  const laptop = await browser.newContext({ baseURL });
  await neverOnline(laptop);
  const other = await laptop.newPage();
  await openStudio(other);
  const chooser = other.waitForEvent('filechooser');
  await other.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(packPath);
  await expect(other.getByRole('alert').filter({ hasText: 'classroom pack' })).toContainText(
    "The classroom pack is damaged: the image model's weights do not match their checksum",
    { timeout: 60_000 },
  );
  await expect(other.getByRole('region', { name: 'The image model is not available' })).toBeVisible();
  await expect(other.getByRole('listitem').filter({ hasText: 'Tiny' })).toHaveCount(0);
  await laptop.close();
});
