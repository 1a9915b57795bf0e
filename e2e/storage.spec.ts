import { expect, test } from './fixtures';
import { addClass, addImages, createProject, filesIn, openStudio } from './helpers';

/**
 * The Collect screen says how much space the project takes and how much is left, and offers to ask the browser
 * to keep Kiln's data. The browser's answer is its own (Chromium weighs how much a site is used), so each test
 * fixes it with a stand-in for navigator.storage.persist and checks what the person is told.
 */
for (const answer of [true, false]) {
  test(`asking to keep Kiln's data, when the browser says ${answer ? 'yes' : 'no'}`, async ({ page }) => {
    await page.addInitScript((granted) => {
      let kept = false;
      navigator.storage.persisted = () => Promise.resolve(kept);
      navigator.storage.persist = () => {
        kept = granted;
        return Promise.resolve(granted);
      };
    }, answer);
    await openStudio(page);
    await createProject(page, 'Space');
    await addClass(page, 'rock');
    await addImages(page, 'rock', filesIn('datasets', 'rps', 'rock').slice(0, 3));

    await expect(page.getByText(/This project’s photos take \d[\d.,]* (KB|MB)\./)).toBeVisible();
    await expect(page.getByText(/Kiln uses .+ on this device, with .+ left\./)).toBeVisible();
    await expect(page.getByText('The browser may clear them when the disk runs low:')).toBeVisible();
    await page.getByRole('button', { name: 'ask it to keep Kiln’s data' }).click();
    if (answer) {
      await expect(page.getByText('The browser will keep them even when the disk runs low.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'ask it to keep Kiln’s data' })).toHaveCount(0);
    } else {
      await expect(page.getByRole('status').filter({ hasText: 'The browser said no for now.' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'ask it to keep Kiln’s data' })).toBeVisible();
    }
  });
}
