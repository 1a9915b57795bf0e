import { expect, test } from './fixtures';
import {
  filesIn,
  openSettings,
  openStudio,
  predictInPreview,
  projectWith,
  setNumber,
  showProgressDetails,
  showResultDetails,
  trainAndWait,
} from './helpers';

const rps = (cls: string, count: number, from = 0) => filesIn('datasets', 'rps', cls).slice(from, from + count);
const bugs = (cls: string, count: number, split = 'train') =>
  filesIn('datasets', 'hymenoptera', split, cls)
    .filter((f) => f.endsWith('.jpg'))
    .slice(0, count);

test('a training interrupted by a closed tab resumes from its last epoch with the same split', async ({ page, context }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await projectWith(page, 'Interrupted', { rock: rps('rock', 30), paper: rps('paper', 30) });
  await openSettings(page);
  await setNumber(page, 'Epochs', 400);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
  // Resuming is what is tested: no second training on all photos after the 400 epochs.
  await page.getByRole('checkbox', { name: 'Train the final model on all photos' }).uncheck();
  const projectUrl = page.url();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // The progress is in plain stages; the epoch line is behind its Details.
  await showProgressDetails(page);
  await expect(page.getByText(/^Epoch ([3-9]|\d\d+) of 400/)).toBeVisible({ timeout: 60_000 });
  await page.close();

  const again = await context.newPage();
  await again.goto(projectUrl);
  const banner = again.getByRole('region', { name: 'Interrupted training' });
  await expect(banner).toContainText(/interrupted after epoch \d+ of 400/);
  const reached = Number(/after epoch (\d+)/.exec(await banner.innerText())![1]);
  expect(reached).toBeGreaterThanOrEqual(3);
  await banner.getByRole('button', { name: 'Resume training' }).click();
  // It continues from the checkpoint: the first epoch it reports is the next one.
  await showProgressDetails(again);
  await expect(again.getByText(new RegExp(`^Epoch (${reached + 1}|${reached + 2}|${reached + 3}) of 400`))).toBeVisible({
    timeout: 60_000,
  });
  await expect(again.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 180_000 });
  // 15% of 30 per class held back: the same 10 photos as before the interruption.
  await expect(again.getByText(/^\d+ of 10 held-back photos right$/)).toBeVisible();
  await showResultDetails(again);
  await expect(again.getByText(/^Trained after 400 epochs/)).toBeVisible();
  await expect(banner).toHaveCount(0);
});

test('k-fold cross-validation on rock-paper-scissors reports mean ± std and each fold', async ({ page }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await projectWith(page, 'Folds', { rock: rps('rock', 40), paper: rps('paper', 40), scissors: rps('scissors', 40) });
  await openSettings(page);
  await page.getByRole('combobox', { name: 'Cross-validation' }).selectOption('5');
  await trainAndWait(page);
  await expect(page.getByText(/^Cross-validated accuracy: \d+\.\d% ± \d+\.\d%/)).toBeVisible();
  // Every photo checked once, by a model that did not learn from it: the score says on how many.
  await expect(page.getByText(/^\d+ of 120 photos right, each checked by a model that did not learn from it$/)).toBeVisible();
  await showResultDetails(page);
  const folds = page.getByRole('table', { name: 'Cross-validation, fold by fold' });
  await expect(folds.getByRole('row')).toHaveCount(6);
  // Every photo was scored once: 5 folds of 24.
  for (const cell of await folds
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader') })
    .all()) {
    await expect(cell.getByRole('cell').nth(2)).toHaveText('24');
  }
  // The kept model learned from all 120 photos.
  await expect(page.getByText(/· 120 training photos/)).toBeVisible();
  const predicted = await predictInPreview(page, [rps('rock', 1, 150)[0]!, rps('scissors', 1, 150)[0]!]);
  expect([...predicted.values()]).toEqual(['rock', 'scissors']);
  // Evaluate shows the same summary and folds.
  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await expect(page.getByText(/^Cross-validated over 5 folds: accuracy \d+\.\d% ± \d+\.\d%/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cross-validation, fold by fold' }).getByRole('row')).toHaveCount(6);
});

test('fine-tuning the last 2 blocks on hymenoptera completes, predicts, and keeps its weights after a reload', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Fine-tuned', { ants: bugs('ants', 40), bees: bugs('bees', 40) });
  await openSettings(page);
  await setNumber(page, 'Fine-tune last blocks', 2);
  await setNumber(page, 'Epochs', 8);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);
  await showResultDetails(page);
  await expect(page.getByRole('region', { name: 'Results' }).getByText(/last 2 blocks fine-tuned/)).toBeVisible();
  const val = [...bugs('ants', 10, 'val'), ...bugs('bees', 10, 'val')];
  const expected = (file: string) => (file.includes('/ants/') ? 'ants' : 'bees');
  const score = async () => {
    const predicted = await predictInPreview(page, val);
    return val.filter((f) => predicted.get(f.split('/').pop()!) === expected(f)).length / val.length;
  };
  const before = await score();
  expect(before).toBeGreaterThanOrEqual(0.7);
  // The heatmap explains the fine-tuned copy this session trained (its last blocks now also serve the training).
  const first = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li').first();
  await first.getByRole('button', { name: /^What the model looks at in / }).click();
  await expect(first.getByRole('figure').locator('figcaption')).toHaveText(
    /^(Evidence for|Nothing in this photo points to) “(ants|bees)”/,
  );
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  // The fine-tuned backbone weights come back from the checkpoint: the same answers.
  expect(await score()).toBe(before);
});

test('augmented copies are previewed, embedded once and reused; unbalanced classes are weighted', async ({ page }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await projectWith(page, 'Augmented', { rock: rps('rock', 24), paper: rps('paper', 8) });
  await openSettings(page);
  await setNumber(page, 'Augmented copies per photo', 2);
  await page.getByRole('checkbox', { name: 'Small rotations' }).uncheck();
  await page.getByRole('button', { name: 'Preview augmentation' }).click();
  const preview = page.getByRole('region', { name: 'What augmentation does' });
  await expect(preview.getByRole('img')).toHaveCount(3);
  await expect(preview.getByRole('img', { name: 'Augmented copy 2' })).toBeVisible();
  await trainAndWait(page);
  await showResultDetails(page);
  // 32 photos plainly, plus 2 copies of each of the 27 training photos (15% of each class held back), in words.
  await expect(page.getByText('Photos prepared for the model: 86 new, 0 reused from earlier trainings.')).toBeVisible();
  await expect(page.getByText('That is your 32 photos and 54 slightly changed copies of the ones it learns from.')).toBeVisible();
  await expect(page.getByText(/Classes were weighted to balance them \(rock ×0\.\d+, paper ×\d\.\d+\)/)).toBeVisible();
  await trainAndWait(page);
  await expect(page.getByText('Photos prepared for the model: 0 new, 86 reused from earlier trainings.')).toBeVisible();
});

test('the same seed and photos give the same split and the same numbers on WASM; charts draw as it trains', async ({ page }) => {
  test.setTimeout(240_000);
  await openStudio(page);
  await projectWith(page, 'Repeatable', { rock: rps('rock', 20), scissors: rps('scissors', 20) });
  await openSettings(page);
  await setNumber(page, 'Epochs', 15);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
  const table = async () => {
    await trainAndWait(page);
    await expect(page.getByRole('img', { name: /^Loss \(lower is better\), by epoch/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Accuracy \(higher is better\), by epoch/ })).toBeVisible();
    const details = page.getByText('Epoch by epoch');
    if (!(await page.getByRole('table').filter({ hasText: 'Validation loss' }).isVisible())) await details.click();
    return page.getByRole('table').filter({ hasText: 'Validation loss' }).innerText();
  };
  const first = await table();
  expect(first.split('\n').length).toBeGreaterThan(15);
  expect(await table()).toBe(first);
  await setNumber(page, 'Seed', 7);
  expect(await table()).not.toBe(first);
});

test('when the GPU is lost mid-training, Kiln moves to WASM and finishes from the last checkpoint', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page, '?backend=webgpu');
  await expect(page.getByText(/^Backend: WebGPU$/)).toBeVisible();
  await projectWith(page, 'Lost GPU', { rock: rps('rock', 3), paper: rps('paper', 3) });
  await openSettings(page);
  await setNumber(page, 'Epochs', 60);
  await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await showProgressDetails(page, 120_000);
  await expect(page.getByText(/^Epoch ([2-9]|\d\d) of 60/)).toBeVisible({ timeout: 120_000 });
  const worker = page.workers().find((w) => w.url().includes('studio.worker'))!;
  expect(
    await worker.evaluate(() =>
      (self as unknown as { kilnDiagnostics: { loseGpuDevice(): boolean } }).kilnDiagnostics.loseGpuDevice(),
    ),
  ).toBe(true);
  await expect(page.getByRole('alert').filter({ hasText: 'moved from WebGPU to WASM' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 120_000 });
  await showResultDetails(page);
  await expect(page.getByText(/^Trained after 60 epochs[\s\S]* on WASM/)).toBeVisible();
  await expect(page.getByText(/^Backend: WASM$/)).toBeVisible();
});
