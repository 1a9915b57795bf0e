import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  addClass,
  addImages,
  classRegion,
  createProject,
  filesIn,
  openSettings,
  openStudio,
  photoCount,
  setNumber,
  showResultDetails,
  trainAndWait,
} from './helpers';

test('photos dropped on a class go in, and training again only prepares the new photos', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Retrain');
  await addClass(page, 'ants');
  await addClass(page, 'bees');
  const ants = filesIn('datasets', 'hymenoptera', 'train', 'ants').filter((f) => f.endsWith('.jpg'));
  const bees = filesIn('datasets', 'hymenoptera', 'train', 'bees');
  await addImages(page, 'ants', ants.slice(0, 5));
  await addImages(page, 'bees', bees.slice(0, 5));

  // Drag and drop from the desktop: a DataTransfer holding real photo files.
  const dropped = ants.slice(5, 7).map((file) => ({ name: path.basename(file), base64: readFileSync(file).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((files) => {
    const transfer = new DataTransfer();
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: 'image/jpeg' }));
    }
    return transfer;
  }, dropped);
  const antsRegion = classRegion(page, 'ants');
  await antsRegion.dispatchEvent('dragover', { dataTransfer });
  await antsRegion.dispatchEvent('drop', { dataTransfer });
  await expect.poll(() => photoCount(page, 'ants')).toBe(7);

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  // Plain photos only here (augmented copies are covered in training-engine.spec.ts).
  await openSettings(page);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);
  await showResultDetails(page);
  await expect(page.getByText('Photos prepared for the model: 12 new, 0 reused from earlier trainings.')).toBeVisible();

  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  await addImages(page, 'bees', bees.slice(5, 7));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  // The screen was left and opened again: its Details start closed.
  await showResultDetails(page);
  await expect(page.getByText('Photos prepared for the model: 2 new, 12 reused from earlier trainings.')).toBeVisible();
});
