import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  createProject,
  filesIn,
  openSettings,
  openStudio,
  predictInPreview,
  setNumber,
  sharedPath,
  showResultDetails,
  trainAndWait,
} from './helpers';

async function backendPanel(page: import('@playwright/test').Page) {
  await page.getByText(/^Backend:/).click();
  return page.getByRole('note', { name: 'Why this backend' });
}

test('on a software-only GPU the measured choice is WASM with threads, and the page says why', async ({ page }) => {
  await openStudio(page);
  await expect(page.getByText(/^Backend: WASM$/)).toBeVisible();
  const panel = await backendPanel(page);
  // Headless Chromium here has SwiftShader for both WebGPU and WebGL: ruled out by their info.
  await expect(panel).toContainText('WebGPU runs in software here');
  await expect(panel).toContainText('WebGL runs in software here');
  // Production build, cross-origin isolated: the threaded SIMD build runs, with every core.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(panel).toContainText(`WASM: SIMD, ${Math.min(cores, 8)} thread${cores === 1 ? '' : 's'}`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('?backend=webgpu forces the WebGPU path, which trains and predicts for real', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page, '?backend=webgpu');
  await expect(page.getByText(/^Backend: WebGPU$/)).toBeVisible();
  await expect(await backendPanel(page)).toContainText('Chosen by ?backend=webgpu in the address.');
  await page.getByText(/^Backend:/).click();

  // Kept tiny: software WebGPU embeds under one image per second here.
  await createProject(page, 'On WebGPU');
  await addClass(page, 'rock');
  await addClass(page, 'paper');
  await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 3));
  await addImages(page, 'paper', filesIn('datasets', 'rps', 'paper').slice(0, 3));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);
  await showResultDetails(page);
  await expect(page.getByText(/ on WebGPU /)).toBeVisible();
  // Six photos are too few to judge accuracy; the model must at least have learned the ones it saw.
  const predicted = await predictInPreview(page, [
    filesIn('datasets', 'rps', 'rock')[0]!,
    filesIn('datasets', 'rps', 'paper')[0]!,
  ]);
  expect([...predicted.values()]).toEqual(['rock', 'paper']);
  // What the model looks at works on WebGPU too (Grad-CAM's gradient runs on the same backend).
  const first = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li').first();
  await first.getByRole('button', { name: /^What the model looks at in / }).click();
  await expect(first.getByRole('figure').locator('figcaption')).toHaveText(/^Evidence for “rock” \(\d+%\): strongest /);
});

test('a GPU lost while nothing trains moves Kiln to WASM, says so, and Preview goes on predicting', async ({ page }) => {
  test.setTimeout(240_000);
  await openStudio(page, '?backend=webgpu');
  await expect(page.getByText(/^Backend: WebGPU$/)).toBeVisible();
  // A ready model without training: a Teachable Machine export.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a Teachable Machine model' }).click();
  await (
    await chooser
  ).setFiles(
    ['model.json', 'metadata.json', 'weights.bin'].map((f) => sharedPath('models', 'teachable-machine', 'nail-biting', f)),
  );
  await expect(page.getByText(/^Imported from /)).toBeVisible({ timeout: 60_000 });
  const bee = filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!;
  const onGpu = await predictInPreview(page, [bee]);
  expect(onGpu.size).toBe(1);

  const worker = page.workers().find((w) => w.url().includes('studio.worker'))!;
  expect(
    await worker.evaluate(() =>
      (self as unknown as { kilnDiagnostics: { loseGpuDevice(): boolean } }).kilnDiagnostics.loseGpuDevice(),
    ),
  ).toBe(true);

  // The next prediction fails on the lost device, moves to WASM and is made there; the person is told in words.
  const ant = filesIn('datasets', 'hymenoptera', 'val', 'ants')[0]!;
  const chooser2 = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).click();
  await (await chooser2).setFiles([ant]);
  const items = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li');
  await expect(items.first()).toHaveAttribute('aria-label', ant.split('/').pop()!, { timeout: 60_000 });
  await expect(items.first().getByText(/^Prediction: .+ \(\d+(\.\d+)?%\)$/)).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByRole('alert').filter({
      hasText: 'The graphics processor stopped responding, so Kiln moved from WebGPU to WASM. Everything carries on there.',
    }),
  ).toBeVisible();
  await expect(page.getByText(/^Backend: WASM$/)).toBeVisible();
  await expect(page.getByText(/Failed to execute|mapAsync|Device was lost/)).toHaveCount(0);
  await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'stopped responding' })).toHaveCount(0);
});
