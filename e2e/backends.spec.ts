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
});
