import path from 'node:path';
import { expect, test } from './fixtures';
import { addClass, addImages, createProject, filesIn, openStudio, photoCount, predictInPreview, trainAndWait } from './helpers';

const TRAIN = ['datasets', 'hymenoptera', 'train'];
const VAL = ['datasets', 'hymenoptera', 'val'];

test('a new user trains ants vs bees, predicts unseen photos, and finds it all after a reload', async ({ page }) => {
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
  mark('imported');

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  mark('trained');
  await expect(page.getByText(/Validation accuracy: \d/)).toBeVisible();

  const expected = new Map<string, string>();
  for (const cls of ['ants', 'bees']) for (const file of filesIn(...VAL, cls)) expected.set(path.basename(file), cls);
  const predicted = await predictInPreview(page, [...filesIn(...VAL, 'ants'), ...filesIn(...VAL, 'bees')]);
  let right = 0;
  for (const [name, cls] of expected) if (predicted.get(name) === cls) right++;
  mark('predicted');
  const accuracy = right / expected.size;
  console.log(`hymenoptera val accuracy through Preview: ${(accuracy * 100).toFixed(1)}% (${right}/${expected.size})`);
  expect(accuracy).toBeGreaterThanOrEqual(0.85);

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
