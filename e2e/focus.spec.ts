import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  addClass,
  classRegion,
  createProject,
  filesIn,
  openSettings,
  openStudio,
  projectWith,
  setNumber,
  trainAndWait,
} from './helpers';

const ROCK = filesIn('datasets', 'rps', 'rock');
const PAPER = filesIn('datasets', 'rps', 'paper');

/**
 * Focus return (WCAG 2.4.3): whatever closes gives keyboard focus back to the control that opened it, or, when
 * that control is gone, to something visible. Focus never falls to <body>.
 */

/** Focus is on an element that is really shown: not <body>, not a visually hidden (1px) heading. */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body) return false;
    const box = active.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  });
}

test('dialogs give focus back to the button that opened them, or to something visible', async ({ page }) => {
  await openStudio(page);

  const newProject = page.getByRole('button', { name: 'New project' });
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await newProject.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(newProject).toBeFocused();
  await newProject.press('Enter');
  await expect(dialog.getByRole('textbox', { name: 'Project name' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(newProject).toBeFocused();

  await createProject(page, 'Focus');
  await addClass(page, 'ant');
  await addClass(page, 'bee');

  await page.getByRole('button', { name: 'Rename class ant' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename class' });
  await rename.getByRole('textbox', { name: 'Class name' }).fill('ants');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(rename).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Rename class ants' })).toBeFocused();

  const deleteBee = page.getByRole('button', { name: 'Delete class bee' });
  await deleteBee.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(deleteBee).toBeFocused();

  // The opener goes with the class: focus lands on something visible instead.
  await deleteBee.click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete class' }).click();
  await expect(classRegion(page, 'bee')).toHaveCount(0);
  await expect.poll(() => focusIsVisible(page)).toBe(true);
});

test('closing the guided tour with Escape leaves focus on something visible', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('button', { name: 'Guided tour', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Guided tour' });
  await expect(panel.getByRole('heading', { name: 'Guided tour' })).toBeFocused();
  await expect(classRegion(page, 'rock')).toBeVisible(); // the tour's classes are loaded
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  // On Collect the screen's title is visually hidden: the step's own next control takes focus.
  await expect(classRegion(page, 'rock').getByRole('button', { name: 'Use webcam' })).toBeFocused();
  expect(await focusIsVisible(page)).toBe(true);
});

test('previews on Train and the photo dialog on Evaluate give focus back to their openers', async ({ page }) => {
  test.setTimeout(120_000);
  await openStudio(page);
  await projectWith(page, 'Focus trained', { rock: ROCK.slice(0, 6), paper: PAPER.slice(0, 6) });
  await openSettings(page);
  await setNumber(page, 'Epochs', 2);
  await setNumber(page, 'Augmented copies per photo', 0);

  const previewAugmentation = page.getByRole('button', { name: 'Preview augmentation' });
  await previewAugmentation.click();
  const closePreview = page.getByRole('button', { name: 'Close preview' });
  await closePreview.click();
  await expect(closePreview).toHaveCount(0);
  await expect(previewAugmentation).toBeFocused();

  await trainAndWait(page);
  const useWebcam = page.getByRole('button', { name: 'Use webcam' });
  await useWebcam.click();
  const stop = page.getByRole('button', { name: 'Stop webcam' });
  await stop.click();
  await expect(stop).toHaveCount(0);
  await expect(useWebcam).toBeFocused();

  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await page
    .getByRole('button', { name: /^(rock|paper) predicted as (rock|paper): [1-9]\d* photos?/ })
    .first()
    .click();
  const open = page.getByRole('button', { name: /^Open / }).first();
  await open.click();
  const photo = page.getByRole('dialog');
  await expect(photo.getByRole('img')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(photo).toHaveCount(0);
  await expect(open).toBeFocused();
});
