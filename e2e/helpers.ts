import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** ../shared beside the checkout: real photos and models, never copied into the repository. */
export const SHARED = path.resolve(import.meta.dirname, '../../shared');

export function sharedPath(...parts: string[]): string {
  return path.join(SHARED, ...parts);
}

/** Every file in a ../shared folder, sorted, as absolute paths. */
export function filesIn(...parts: string[]): string[] {
  const dir = sharedPath(...parts);
  return readdirSync(dir)
    .sort()
    .map((name) => path.join(dir, name));
}

/** Opens the studio and waits until it has chosen a backend and loaded (or failed to find) the backbone. */
export async function openStudio(page: Page, search = ''): Promise<void> {
  await page.goto(`./${search}`);
  await expect(page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/)).toBeVisible({ timeout: 120_000 });
}

export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByRole('textbox', { name: 'Project name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('navigation', { name: 'Project steps' })).toBeVisible();
}

export async function addClass(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Class name' }).fill(name);
  await page.getByRole('button', { name: 'Add class' }).click();
  await expect(classRegion(page, name)).toBeVisible();
}

export function classRegion(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Picks files through the class's "Add images" button, as a person would, and waits for the import to end. */
export async function addImages(page: Page, className: string, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await classRegion(page, className).getByRole('button', { name: 'Add images' }).click();
  await (await chooser).setFiles(files);
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
}

export async function photoCount(page: Page, className: string): Promise<number> {
  const text = await classRegion(page, className)
    .getByText(/^\d+ photos?$/)
    .innerText();
  return Number.parseInt(text, 10);
}

/** Clicks Train and waits until that training has finished (Results may still show the previous run's). */
export async function trainAndWait(page: Page): Promise<void> {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(train).toBeEnabled({ timeout: 300_000 });
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeDisabled();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
}

/** Predicts the files through Preview and returns the predicted class for each file name. */
export async function predictInPreview(page: Page, files: string[]): Promise<Map<string, string>> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).click();
  await (await chooser).setFiles(files);
  // Each prediction is a direct child; the bars inside it are a nested list.
  const items = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li');
  await expect(items).toHaveCount(files.length, { timeout: 300_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Predicting' })).toHaveCount(0);
  const results = new Map<string, string>();
  for (const item of await items.all()) {
    const name = (await item.getAttribute('aria-label')) ?? '';
    const line = item.getByText(/^Prediction: /);
    const text = (await line.count()) ? await line.innerText() : '';
    results.set(name, /^Prediction: (.+) \(\d+(\.\d+)?%\)$/.exec(text)?.[1] ?? '');
  }
  return results;
}

/** Opens the Train screen's settings panel (and its advanced part). */
export async function openSettings(page: Page, advanced = true): Promise<void> {
  const panel = page.getByText('Settings and image model', { exact: false }).first();
  if (!(await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).isVisible())) {
    await panel.click();
  }
  if (advanced && !(await page.getByRole('spinbutton', { name: 'Hidden units', exact: true }).isVisible())) {
    await page.getByText('Advanced settings').click();
  }
}

/** Types a number into a labelled setting and commits it, as tabbing away does. */
export async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByRole('spinbutton', { name: label, exact: true });
  await input.fill(String(value));
  await input.press('Tab');
  await expect(input).toHaveValue(String(value));
}

/** Imports photos from ../shared into classes, creating the classes. */
export async function projectWith(page: Page, name: string, classes: Record<string, string[]>): Promise<void> {
  await createProject(page, name);
  for (const cls of Object.keys(classes)) await addClass(page, cls);
  for (const [cls, files] of Object.entries(classes)) await addImages(page, cls, files);
  await page.getByRole('link', { name: '2. Train and preview' }).click();
}

/** Predicts the files through Preview and returns each file's exact probabilities (from the meters), by class name. */
export async function previewProbabilities(page: Page, files: string[]): Promise<Map<string, Map<string, number>>> {
  await predictInPreview(page, files);
  const items = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li');
  const results = new Map<string, Map<string, number>>();
  for (const item of await items.all()) {
    const byClass = new Map<string, number>();
    for (const meter of await item.getByRole('meter').all()) {
      byClass.set((await meter.getAttribute('aria-label')) ?? '', Number(await meter.getAttribute('aria-valuenow')) / 100);
    }
    results.set((await item.getAttribute('aria-label')) ?? '', byClass);
  }
  return results;
}

/** Clicks a button that saves a file and returns the file's bytes. */
export async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Uint8Array }> {
  const pending = page.waitForEvent('download');
  await button.click();
  const file = await pending;
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), bytes: new Uint8Array(Buffer.concat(chunks)) };
}

/**
 * Opens the Export screen's "For developers" disclosure, where the TensorFlow.js model zip (with its weight
 * precision and check) and the dataset with train.py are; the teacher's exports above it need no opening.
 */
export async function openForDevelopers(page: Page): Promise<void> {
  const summary = page.locator('summary', { hasText: 'For developers' });
  const details = page.locator('details', { has: summary });
  if ((await details.getAttribute('open')) === null) await summary.click();
  await expect(details).toHaveAttribute('open', '');
}

/** Opens a "Details" disclosure inside `region` if it is closed (waiting for it to appear). */
async function openDetails(page: Page, region: Locator, timeout: number): Promise<void> {
  const summary = region.locator('summary', { hasText: /^Details$/ });
  // A summary's parent is its <details> (a `has:` locator rooted at the region would never match inside it).
  const details = summary.locator('xpath=..');
  await expect(summary).toBeVisible({ timeout });
  if ((await details.getAttribute('open')) === null) await summary.click();
  await expect(details).toHaveAttribute('open', '');
}

/**
 * Opens the Details under the training progress, where the epoch line is ("Epoch 3 of 400: loss …"); the progress
 * itself is in plain stages. Call it once training has started: the disclosure stays open for the next training.
 */
export async function showProgressDetails(page: Page, timeout = 60_000): Promise<void> {
  await openDetails(page, page.getByRole('region', { name: 'Train', exact: true }), timeout);
}

/**
 * Opens the Results' Details, where the epochs, backend, image model, prepared photos and confusion table are; the
 * verdict and score above it need no opening.
 */
export async function showResultDetails(page: Page, timeout = 30_000): Promise<void> {
  await openDetails(page, page.getByRole('region', { name: 'Results', exact: true }), timeout);
}
