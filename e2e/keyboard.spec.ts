import { expect, test } from './fixtures';
import { tabTo } from './a11y';
import { classRegion, filesIn, openStudio, photoCount } from './helpers';

const ROCK = filesIn('datasets', 'rps', 'rock');
const PAPER = filesIn('datasets', 'rps', 'paper');

/**
 * The whole loop with the keyboard only: Tab and Shift+Tab to move, Enter and Space to act, typing
 * into fields. File choosers open with Enter and are answered through Playwright's filechooser event.
 * Every control reached shows a visible focus ring (checked by tabTo).
 */
test('a keyboard-only person creates a project, adds and captures photos, trains, reads results, previews and exports', async ({
  page,
}) => {
  test.setTimeout(360_000);
  await openStudio(page);

  await tabTo(page, page.getByRole('button', { name: 'New project' }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await expect(dialog.getByRole('textbox', { name: 'Project name' })).toBeFocused();
  await page.keyboard.type('Keys only');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Project steps' })).toBeVisible();

  const className = page.getByRole('textbox', { name: 'Class name' });
  await tabTo(page, className);
  for (const name of ['rock', 'paper']) {
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await expect(classRegion(page, name)).toBeVisible();
    await expect(className).toBeFocused();
  }
  for (const [name, files] of [
    ['rock', ROCK.slice(0, 6)],
    ['paper', PAPER.slice(0, 6)],
  ] as const) {
    await tabTo(page, classRegion(page, name).getByRole('button', { name: 'Add images' }));
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles([...files]);
    await expect.poll(() => photoCount(page, name), { timeout: 120_000 }).toBe(6);
  }

  // Capture by keyboard: open the webcam, Enter takes a photo, Space held down records, then close it.
  const paper = classRegion(page, 'paper');
  await tabTo(page, paper.getByRole('button', { name: 'Use webcam' }), { backwards: true, maxPresses: 300 });
  await page.keyboard.press('Enter');
  const takePhoto = paper.getByRole('button', { name: 'Take photo' });
  await expect(takePhoto).toBeEnabled({ timeout: 30_000 });
  await tabTo(page, takePhoto);
  await page.keyboard.press('Enter');
  await expect(paper.getByRole('status').filter({ hasText: 'captured' })).toHaveText('1 captured');
  await tabTo(page, paper.getByRole('button', { name: 'Hold to record' }));
  await page.keyboard.down('Space');
  await expect(paper.getByRole('button', { name: 'Recording…' })).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(1_000);
  await page.keyboard.up('Space');
  await expect.poll(() => photoCount(page, 'paper')).toBeGreaterThan(7);
  await tabTo(page, paper.getByRole('button', { name: 'Close webcam' }));
  await page.keyboard.press('Enter');
  await expect(paper.getByRole('button', { name: 'Use webcam' })).toBeFocused();

  // Shift+Tab walks back up the page to the steps.
  await tabTo(page, page.getByRole('link', { name: '2. Train and preview' }), { backwards: true, maxPresses: 300 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Train', exact: true })).toBeVisible();

  await tabTo(page, page.locator('summary', { hasText: 'Settings and image model' }));
  await page.keyboard.press('Enter');
  const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true });
  await tabTo(page, epochs);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  await expect(epochs).toHaveValue('2');
  const copies = page.getByRole('spinbutton', { name: 'Augmented copies per photo', exact: true });
  if (!(await copies.isVisible())) {
    await tabTo(page, page.locator('summary', { hasText: 'Advanced settings' }));
    await page.keyboard.press('Enter');
  }
  await tabTo(page, copies);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  await expect(copies).toHaveValue('0');

  const train = page.getByRole('button', { name: 'Train', exact: true });
  await tabTo(page, train, { backwards: true, maxPresses: 300 });
  await page.keyboard.press('Space');
  await expect(page.getByRole('status').filter({ hasText: /^Training finished\./ })).toBeAttached({ timeout: 300_000 });
  await expect(train).toBeEnabled();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(page.getByText(/^Validation accuracy: /)).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Choose photos to test' }));
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(ROCK.slice(10, 11));
  await expect(page.getByText(/^Prediction: (rock|paper) \(/)).toBeVisible({ timeout: 120_000 });

  // A photo, large, in the photo dialog: opened with Enter from the map's list, closed with Escape.
  await tabTo(page, page.getByRole('link', { name: '3. Evaluate' }), { backwards: true, maxPresses: 300 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Evaluate', exact: true })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Show the map' }), { maxPresses: 300 });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('img', { name: /^Map of \d+ photos in 2 classes/ })).toBeVisible({ timeout: 60_000 });
  await tabTo(page, page.locator('summary', { hasText: 'Photos on the map' }));
  await page.keyboard.press('Enter');
  const open = page.getByRole('button', { name: /^Open .* \((rock|paper)\)$/ }).first();
  await tabTo(page, open);
  await page.keyboard.press('Enter');
  const photo = page.getByRole('dialog');
  await expect(photo.getByRole('img')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(photo).toHaveCount(0);
  await expect(open).toBeFocused(); // focus goes back to the button that opened the photo

  await tabTo(page, page.getByRole('link', { name: '4. Export' }), { backwards: true, maxPresses: 300 });
  await page.keyboard.press('Enter');
  // The model zip is under "For developers": a disclosure that opens with Enter.
  await tabTo(page, page.locator('summary', { hasText: 'For developers' }));
  await page.keyboard.press('Enter');
  const downloadModel = page.getByRole('button', { name: 'Download model (.zip)' });
  await tabTo(page, downloadModel);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);
});
