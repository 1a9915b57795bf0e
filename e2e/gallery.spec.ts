import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
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
  trainAndWait,
} from './helpers';

const ROCK = filesIn('datasets', 'rps', 'rock');
const PAPER = filesIn('datasets', 'rps', 'paper');
const name = (file: string) => path.basename(file);

function grid(page: Page, className: string): Locator {
  return classRegion(page, className).getByRole('grid', { name: `Photos of ${className}` });
}

function photo(page: Page, className: string, file: string): Locator {
  return grid(page, className).getByRole('gridcell', { name: name(file), exact: true });
}

function selectedCount(page: Page, className: string): Locator {
  return classRegion(page, className)
    .getByRole('status')
    .filter({ hasText: / selected$/ });
}

test('the gallery selects by mouse and keyboard, moves, deletes with undo, opens large and sorts by date', async ({ page }) => {
  test.setTimeout(240_000);
  const rocks = ROCK.slice(0, 30);
  await openStudio(page);
  await createProject(page, 'Gallery');
  await addClass(page, 'rock');
  await addClass(page, 'paper');
  await addImages(page, 'rock', rocks);
  await expect.poll(() => photoCount(page, 'rock')).toBe(30);

  await expect(photo(page, 'rock', rocks[0]!)).toBeVisible();

  // Click, shift-click for a range, ctrl-click to take one out.
  await photo(page, 'rock', rocks[0]!).click();
  await expect(photo(page, 'rock', rocks[0]!)).toHaveAttribute('aria-selected', 'true');
  await photo(page, 'rock', rocks[3]!).click({ modifiers: ['Shift'] });
  await expect(selectedCount(page, 'rock')).toHaveText('4 selected');
  await photo(page, 'rock', rocks[1]!).click({ modifiers: ['ControlOrMeta'] });
  await expect(selectedCount(page, 'rock')).toHaveText('3 selected');
  await expect(photo(page, 'rock', rocks[1]!)).toHaveAttribute('aria-selected', 'false');

  // Keyboard: arrows move the focus, Shift+arrows extend, Space toggles, Ctrl+A takes all, Escape clears.
  await photo(page, 'rock', rocks[0]!).click();
  await page.keyboard.press('ArrowRight');
  await expect(photo(page, 'rock', rocks[1]!)).toBeFocused();
  await expect(selectedCount(page, 'rock')).toHaveText('1 selected');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(photo(page, 'rock', rocks[2]!)).toBeFocused();
  await expect(selectedCount(page, 'rock')).toHaveText('3 selected');
  await page.keyboard.press('Space');
  await expect(photo(page, 'rock', rocks[2]!)).toHaveAttribute('aria-selected', 'false');
  // End scrolls the grid to the last photo (rendered only once its row is on screen) and focuses it.
  await page.keyboard.press('End');
  await expect(photo(page, 'rock', rocks[29]!)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(photo(page, 'rock', rocks[0]!)).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(selectedCount(page, 'rock')).toHaveText('30 selected');
  await page.keyboard.press('Escape');
  await expect(selectedCount(page, 'rock')).toHaveCount(0);

  // Move three photos to paper.
  await photo(page, 'rock', rocks[0]!).click();
  await photo(page, 'rock', rocks[2]!).click({ modifiers: ['Shift'] });
  const actions = classRegion(page, 'rock').getByRole('group', { name: 'Selected photos of rock' });
  await actions.getByRole('combobox', { name: 'Move to' }).selectOption({ label: 'paper' });
  await actions.getByRole('button', { name: 'Move selected' }).click();
  await expect.poll(() => photoCount(page, 'rock')).toBe(27);
  await expect.poll(() => photoCount(page, 'paper')).toBe(3);
  for (const file of rocks.slice(0, 3)) await expect(photo(page, 'paper', file)).toBeVisible();
  await expect(photo(page, 'rock', rocks[0]!)).toHaveCount(0);

  // Delete two, then Undo brings them back.
  await photo(page, 'rock', rocks[3]!).click();
  await photo(page, 'rock', rocks[4]!).click({ modifiers: ['Shift'] });
  await actions.getByRole('button', { name: 'Delete selected' }).click();
  await expect.poll(() => photoCount(page, 'rock')).toBe(25);
  await expect(photo(page, 'rock', rocks[3]!)).toHaveCount(0);
  // "Delete selected" goes with the selection: the focus moves to the next photo, not to the page itself.
  await expect(photo(page, 'rock', rocks[5]!)).toBeFocused();
  await page.getByRole('status').filter({ hasText: 'Deleted 2 photos.' }).getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => photoCount(page, 'rock')).toBe(27);
  await expect(photo(page, 'rock', rocks[3]!)).toBeVisible();
  await expect(photo(page, 'rock', rocks[4]!)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  // The Undo button has gone: the focus is on the first photo put back.
  await expect(photo(page, 'rock', rocks[3]!)).toBeFocused();

  // The Delete key on the focused photo: the focus goes to the next photo, never to <body>.
  await photo(page, 'rock', rocks[6]!).click();
  await page.keyboard.press('Delete');
  await expect.poll(() => photoCount(page, 'rock')).toBe(26);
  await expect(photo(page, 'rock', rocks[7]!)).toBeFocused();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('gridcell');
  await page.getByRole('status').filter({ hasText: 'Deleted 1 photo.' }).getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => photoCount(page, 'rock')).toBe(27);
  await expect(photo(page, 'rock', rocks[6]!)).toBeFocused();

  // The single-photo controls still work.
  await photo(page, 'rock', rocks[5]!)
    .getByRole('button', { name: `Test only: ${name(rocks[5]!)}` })
    .click();
  await expect(classRegion(page, 'rock').getByText('1 test only')).toBeVisible();

  // Open one large; arrows step to the next photo.
  await photo(page, 'rock', rocks[3]!).click();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: name(rocks[3]!) });
  await expect(dialog.getByRole('img', { name: name(rocks[3]!) })).toBeVisible();
  await expect(dialog).toContainText('class rock');
  await expect(dialog).toContainText('300×200 px');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: name(rocks[4]!) })).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Sort by date added.
  const firstCell = grid(page, 'rock').getByRole('gridcell').first();
  await expect(firstCell).toHaveAccessibleName(name(rocks[3]!));
  await classRegion(page, 'rock').getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Newest first' });
  await expect(firstCell).toHaveAccessibleName(name(rocks[29]!));
  await classRegion(page, 'rock').getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Oldest first' });
  await expect(firstCell).toHaveAccessibleName(name(rocks[3]!));
});

test('after training, sorting by confidence shows the mislabelled photo first', async ({ page }) => {
  test.setTimeout(300_000);
  const mislabelled = PAPER[20]!;
  await openStudio(page);
  await createProject(page, 'Confidence');
  await addClass(page, 'rock');
  await addClass(page, 'paper');
  await addImages(page, 'rock', [...ROCK.slice(0, 6), mislabelled]);
  await addImages(page, 'paper', PAPER.slice(0, 6));
  await expect(classRegion(page, 'rock').getByRole('option', { name: 'Lowest model confidence first' })).toBeDisabled();

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page);
  await setNumber(page, 'Epochs', 10);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);

  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  const firstCell = grid(page, 'rock').getByRole('gridcell').first();
  await expect(firstCell).toHaveAccessibleName(name(ROCK[0]!));
  await classRegion(page, 'rock')
    .getByRole('combobox', { name: 'Sort by' })
    .selectOption({ label: 'Lowest model confidence first' });
  await expect(classRegion(page, 'rock').getByText(/least sure belong here come first/)).toBeVisible();
  await expect(firstCell).toHaveAccessibleName(name(mislabelled));
});
