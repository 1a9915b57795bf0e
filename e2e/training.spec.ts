import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  classRegion,
  createProject,
  filesIn,
  openStudio,
  photoCount,
  predictInPreview,
  trainAndWait,
} from './helpers';

const TRAIN = ['datasets', 'hymenoptera', 'train'];
const VAL = ['datasets', 'hymenoptera', 'val'];

test('a new user trains ants vs bees with the defaults, is told how they were used, and reads the test-only score', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const started = Date.now();
  const mark = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
  await openStudio(page);
  await createProject(page, 'Insects');
  await addClass(page, 'ants');
  await addClass(page, 'bees');

  const ants = filesIn(...TRAIN, 'ants');
  const bees = filesIn(...TRAIN, 'bees');
  await addImages(page, 'ants', ants);
  await addImages(page, 'bees', bees);
  // Every training file decodes (the GIF placeholder too: its first frame is a real image).
  expect(await photoCount(page, 'ants')).toBe(ants.length);
  expect(await photoCount(page, 'bees')).toBe(bees.length);
  // The val folder as test-only photos: never trained or validated on, scored on their own.
  for (const cls of ['ants', 'bees']) {
    const chooser = page.waitForEvent('filechooser');
    await classRegion(page, cls).getByRole('button', { name: 'Add test photos' }).click();
    await (await chooser).setFiles(filesIn(...VAL, cls));
    await expect(classRegion(page, cls).getByText(`${filesIn(...VAL, cls).length} test only`)).toBeVisible();
  }
  mark('imported');

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  mark('trained');
  await expect(page.getByText(/Validation accuracy: \d/)).toBeVisible();
  // The defaults use all the photos: once the held-back ones chose the epochs, the model learned from every one.
  const all = ants.length + bees.length;
  await expect(
    page.getByText(
      new RegExp(
        `^Then the final model learned from all ${all} photos, the held-back ones too, for \\d+ epochs?.*` +
          // …three times from different starts, averaged (docs/TRAINING.md: steadier than one).
          'It learned 3 times, each from a different start, and answers with their average\\.$',
      ),
    ),
  ).toBeVisible();

  // The test-only score is reported on Evaluate, with the photos it rests on.
  const testCount = filesIn(...VAL, 'ants').length + filesIn(...VAL, 'bees').length;
  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await expect(page.getByRole('table', { name: `Test photos: ${testCount} marked “test only”, never trained on` })).toBeVisible();
  const rests = await page.getByText(new RegExp(`^(\\d+) of ${testCount} test photos right$`)).innerText();
  const accuracy = Number(/^(\d+)/.exec(rests)![1]) / testCount;
  console.log(`hymenoptera val (test only) accuracy with the defaults: ${(accuracy * 100).toFixed(1)}% (${rests})`);
  expect(accuracy).toBeGreaterThanOrEqual(0.85);

  // Preview agrees with the model that was scored.
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  const predicted = await predictInPreview(page, filesIn(...VAL, 'bees').slice(0, 5));
  expect([...predicted.values()].filter((cls) => cls === 'bees').length).toBeGreaterThanOrEqual(4);
  mark('predicted');

  // Everything is still there after a reload: the project, its classes and photos, and the model.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  const again = await predictInPreview(page, filesIn(...VAL, 'bees').slice(0, 5));
  expect([...again.values()].filter((cls) => cls === 'bees').length).toBeGreaterThanOrEqual(4);
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  expect(await photoCount(page, 'ants')).toBe(ants.length);
  expect(await photoCount(page, 'bees')).toBe(bees.length);
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: 'Insects' })).toBeVisible();
});
