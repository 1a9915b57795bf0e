import { expect, test } from './fixtures';
import { addClass, classRegion, createProject, openStudio, photoCount, trainAndWait } from './helpers';

/** Chromium's fake camera (--use-fake-device-for-media-stream) shows a moving test pattern. */
test('captures photos from the webcam into a class, then previews live on the webcam', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Webcam');
  await addClass(page, 'left');
  await addClass(page, 'right');

  const left = classRegion(page, 'left');
  await left.getByRole('button', { name: 'Use webcam' }).click();
  const takePhoto = left.getByRole('button', { name: 'Take photo' });
  await expect(takePhoto).toBeEnabled({ timeout: 30_000 });
  await takePhoto.click();
  await expect.poll(() => photoCount(page, 'left')).toBe(1);
  await expect(left.getByRole('status').filter({ hasText: 'captured' })).toHaveText('1 captured');

  // Hold to record: frames keep coming while the button is held, by keyboard here.
  const hold = left.getByRole('button', { name: 'Hold to record' });
  await hold.focus();
  await page.keyboard.down('Space');
  await expect(left.getByRole('button', { name: 'Recording…' })).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(800);
  await page.keyboard.up('Space');
  await expect.poll(() => photoCount(page, 'left')).toBeGreaterThanOrEqual(4);
  await left.getByRole('button', { name: 'Close webcam' }).click();
  await expect(takePhoto).toHaveCount(0);

  const right = classRegion(page, 'right');
  await right.getByRole('button', { name: 'Use webcam' }).click();
  await expect(right.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });
  for (let i = 0; i < 3; i++) await right.getByRole('button', { name: 'Take photo' }).click();
  await expect.poll(() => photoCount(page, 'right')).toBe(3);
  // Captured frames are real stored photos: they show in the grid and survive a reload.
  await expect(right.getByRole('grid', { name: 'Photos of right' }).getByRole('img')).toHaveCount(3);
  await page.reload();
  expect(await photoCount(page, 'right')).toBe(3);

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  await page.getByRole('button', { name: 'Use webcam' }).click();
  const live = page.getByRole('group', { name: 'Live webcam preview' });
  await expect(live.getByRole('meter', { name: 'left' })).toBeVisible({ timeout: 60_000 });
  await expect(live.getByRole('meter', { name: 'right' })).toBeVisible();
  // The same camera chooser as on the collect step: switching cameras keeps the predictions coming.
  await live.getByRole('combobox', { name: 'Camera' }).selectOption({ label: 'fake_device_1' });
  await expect(live.getByText('Showing: fake_device_1')).toBeVisible();
  await expect(live.getByRole('meter', { name: 'left' })).toBeVisible();
  await expect(live.getByRole('button', { name: 'Mirror view' })).toHaveAttribute('aria-pressed', 'true');
  await live.getByRole('button', { name: 'Stop webcam' }).click();
  await expect(live).toHaveCount(0);
});
