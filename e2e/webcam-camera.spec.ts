import { expect, test } from './fixtures';
import { addClass, classRegion, createProject, openStudio, photoCount } from './helpers';

/**
 * Choosing the camera, with Chromium's two fake cameras (playwright.config.ts asks for device-count=2:
 * "fake_device_0" and "fake_device_1").
 */
test('lists the cameras by name, switches to the chosen one, and remembers it', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Cameras');
  await addClass(page, 'cup');
  const cup = classRegion(page, 'cup');
  await cup.getByRole('button', { name: 'Use webcam' }).click();
  await expect(cup.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });

  const camera = cup.getByRole('combobox', { name: 'Camera' });
  await expect(camera.getByRole('option')).toHaveText(['Front camera', 'Back camera', 'fake_device_0', 'fake_device_1']);
  await expect(cup.getByText('Showing: fake_device_0')).toBeVisible();

  await camera.selectOption({ label: 'fake_device_1' });
  await expect(cup.getByText('Showing: fake_device_1')).toBeVisible();
  await expect(cup.getByRole('button', { name: 'Take photo' })).toBeEnabled();
  await cup.getByRole('button', { name: 'Take photo' }).click();
  await expect.poll(() => photoCount(page, 'cup')).toBe(1);

  // Closing and reopening (and reloading) keeps the chosen camera.
  await cup.getByRole('button', { name: 'Close webcam' }).click();
  await cup.getByRole('button', { name: 'Use webcam' }).click();
  await expect(cup.getByText('Showing: fake_device_1')).toBeVisible({ timeout: 30_000 });
  await expect(camera.locator('option:checked')).toHaveText('fake_device_1');
  await page.reload();
  await classRegion(page, 'cup').getByRole('button', { name: 'Use webcam' }).click();
  await expect(classRegion(page, 'cup').getByText('Showing: fake_device_1')).toBeVisible({ timeout: 30_000 });
});

test('a remembered camera that is gone falls back to another camera and says so', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kiln-camera', 'device:unplugged-camera'));
  await openStudio(page);
  await createProject(page, 'Gone');
  await addClass(page, 'cup');
  const cup = classRegion(page, 'cup');
  await cup.getByRole('button', { name: 'Use webcam' }).click();
  await expect(cup.getByText(/The chosen camera is not available, so another camera is shown/)).toBeVisible({
    timeout: 30_000,
  });
  await expect(cup.getByRole('button', { name: 'Take photo' })).toBeEnabled();
  await expect(cup.getByRole('combobox', { name: 'Camera' }).locator('option:checked')).toHaveText('fake_device_0');
  await cup.getByRole('button', { name: 'Take photo' }).click();
  await expect.poll(() => photoCount(page, 'cup')).toBe(1);
});

test('burst, countdown, Esc, mouse hold and the mirror', async ({ page }) => {
  await openStudio(page);
  await createProject(page, 'Burst');
  await addClass(page, 'cup');
  const cup = classRegion(page, 'cup');
  await cup.getByRole('button', { name: 'Use webcam' }).click();
  const burst = cup.getByRole('button', { name: 'Start burst' });
  await expect(burst).toBeEnabled({ timeout: 30_000 });
  const counter = cup.getByRole('status').filter({ hasText: 'captured' });

  // A burst of 5 adds exactly 5 photos.
  await cup.getByRole('combobox', { name: 'Photos per burst' }).selectOption('5');
  await burst.click();
  await expect(cup.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
  await expect(counter).toHaveText('5 captured');
  await expect.poll(() => photoCount(page, 'cup')).toBe(5);

  // A countdown is shown (and read out), then the photo is taken.
  await cup.getByRole('combobox', { name: 'Countdown' }).selectOption({ label: '3 s' });
  await cup.getByRole('button', { name: 'Take photo' }).click();
  await expect(cup.getByText(/^Starting in [123]$/)).toHaveCount(1);
  await expect(cup.getByRole('button', { name: 'Take photo' })).toBeDisabled();
  await expect(counter).toHaveText('6 captured', { timeout: 15_000 });
  await expect.poll(() => photoCount(page, 'cup')).toBe(6);

  // Esc cancels a counting-down burst: nothing is added, even after the countdown would have ended.
  await cup.getByRole('combobox', { name: 'Countdown' }).selectOption({ label: '5 s' });
  await burst.click();
  // Start burst is disabled while it counts down, so focus moves to Stop, and back after.
  await expect(cup.getByRole('button', { name: 'Stop', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(cup.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
  await expect(burst).toBeFocused();
  await page.waitForTimeout(6_000);
  await expect(counter).toHaveText('6 captured');
  expect(await photoCount(page, 'cup')).toBe(6);

  // Hold to record with the mouse, at 2 frames per second.
  await cup.getByRole('combobox', { name: 'Frames per second' }).selectOption('2');
  const hold = cup.getByRole('button', { name: 'Hold to record' });
  await hold.hover();
  await page.mouse.down();
  await expect(cup.getByRole('button', { name: 'Recording…' })).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(700);
  await page.mouse.up();
  await expect(hold).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => photoCount(page, 'cup')).toBeGreaterThanOrEqual(7);

  // The front camera's view is mirrored by default; the toggle flips the view only.
  const mirror = cup.getByRole('button', { name: 'Mirror view' });
  const video = cup.getByLabel('Camera preview');
  await expect(mirror).toHaveAttribute('aria-pressed', 'true');
  await expect(video).toHaveCSS('transform', 'matrix(-1, 0, 0, 1, 0, 0)');
  await mirror.click();
  await expect(mirror).toHaveAttribute('aria-pressed', 'false');
  await expect(video).toHaveCSS('transform', 'none');
});

test.describe('on a touch-first device', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 412, height: 900 } });

  test('opens the back camera, unmirrored, with a quick switch to the front camera', async ({ page }) => {
    await openStudio(page);
    await createProject(page, 'Phone');
    await addClass(page, 'cup');
    const cup = classRegion(page, 'cup');
    await cup.getByRole('button', { name: 'Use webcam' }).click();
    await expect(cup.getByRole('button', { name: 'Take photo' })).toBeEnabled({ timeout: 30_000 });
    const camera = cup.getByRole('combobox', { name: 'Camera' });
    await expect(camera.locator('option:checked')).toHaveText('Back camera');
    await expect(cup.getByRole('button', { name: 'Mirror view' })).toHaveAttribute('aria-pressed', 'false');

    await cup.getByRole('button', { name: 'Switch to front camera' }).click();
    await expect(camera.locator('option:checked')).toHaveText('Front camera');
    await expect(cup.getByRole('button', { name: 'Mirror view' })).toHaveAttribute('aria-pressed', 'true');
    await expect(cup.getByRole('button', { name: 'Switch to back camera' })).toBeVisible();
    await expect(cup.getByRole('button', { name: 'Take photo' })).toBeEnabled();
  });
});
