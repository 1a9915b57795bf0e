import { expect, test } from './fixtures';
import { classRegion, createProject, openStudio, photoCount, sharedPath } from './helpers';

const RPS = sharedPath('datasets', 'rps');
const CLASSES = ['rock', 'paper', 'scissors'];

test('cancelling a folder import counts every class it reached, and the folder can be imported again', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await createProject(page, 'Cancelled');
  const progress = page.getByRole('status').filter({ hasText: 'Adding photos' });

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a folder of class folders' }).click();
  await (await chooser).setFiles(RPS);
  await expect
    .poll(async () => Number(/Adding photos: (\d+)/.exec((await progress.textContent().catch(() => '')) ?? '')?.[1] ?? 0), {
      timeout: 120_000,
    })
    .toBeGreaterThanOrEqual(50);
  await progress.getByRole('button', { name: 'Cancel import' }).click();
  await expect(progress).toHaveCount(0, { timeout: 60_000 });

  const notice = page.getByRole('alert').filter({ hasText: /cancelled: \d+ photos? added/ });
  await expect(notice).toHaveCount(1);
  const added = Number(/cancelled: (\d+) photos? added/.exec(await notice.innerText())![1]);
  expect(added).toBeGreaterThanOrEqual(50);
  expect(added).toBeLessThan(600);
  const counts: Record<string, number> = {};
  for (const cls of CLASSES) counts[cls] = (await classRegion(page, cls).count()) ? await photoCount(page, cls) : 0;
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(added);

  const again = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a folder of class folders' }).click();
  await (await again).setFiles(RPS);
  await expect(progress).toHaveCount(0, { timeout: 240_000 });
  for (const cls of CLASSES) {
    await expect(classRegion(page, cls)).toBeVisible();
    expect(await photoCount(page, cls)).toBe(counts[cls]! + 200);
  }
  // The second import finished: no new cancel notice.
  await expect(notice).toHaveCount(1);
});
