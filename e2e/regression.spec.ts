import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { unzipSync, zipSync } from 'fflate';
import { test } from './fixtures';
import { axeProblems, sidewaysScrolling } from './a11y';
import { download, filesIn, openForDevelopers, openStudio, trainAndWait } from './helpers';
import { attachScreenshot, chooseLanguage, settle } from './layout';
import { openTeachableMachinePage, predictWithTeachableMachine } from './teachable-machine-page';

/**
 * "Predict a number" (docs/REGRESSION.md), end to end on real photos: the rock-paper-scissors hands of ../shared,
 * each photo labelled with the number of fingers it shows (rock 0, scissors 2, paper 5) as a person would label it
 * with the value field. The model must learn that number well enough that its typical error on test photos it
 * never saw beats always answering the average, and Preview must show it on a gauge.
 */

const FINGERS = { rock: 0, scissors: 2, paper: 5 } as const;
const hands = (name: keyof typeof FINGERS, from: number, count: number) =>
  filesIn('datasets', 'rps', name).slice(from, from + count);

async function createNumberProject(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByRole('textbox', { name: 'Project name' }).fill('Hands');
  await dialog.getByRole('radio', { name: /Predict a number/ }).check();
  await dialog.getByRole('textbox', { name: 'What is the number?' }).fill('fingers');
  await dialog.getByRole('spinbutton', { name: 'Smallest value' }).fill('0');
  await dialog.getByRole('spinbutton', { name: 'Largest value' }).fill('5');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('navigation', { name: 'Project steps' })).toBeVisible();
}

/** Sets the value for new photos by typing it, and adds the files with it (or as test photos). */
async function addWithValue(page: Page, value: number, files: string[], test = false): Promise<void> {
  await page.getByRole('spinbutton', { name: 'fingers for new photos, typed' }).fill(String(value));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `${test ? 'Add test photos' : 'Add photos'} with value ${value}` }).click();
  await (await chooser).setFiles(files);
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
}

test('a number learned from real photos beats always answering the average; Preview, Evaluate and the exports agree', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(600_000);
  await openStudio(page);
  await createNumberProject(page);
  const card = page.getByRole('region', { name: 'fingers, from 0 to 5' });
  await expect(card).toBeVisible();
  // Bad values are refused with a message, and nothing can be added with them.
  await page.getByRole('spinbutton', { name: 'fingers for new photos, typed' }).fill('9');
  await expect(card.getByRole('alert')).toHaveText('Give a value from 0 to 5.');
  await expect(card.getByRole('button', { name: /^Add photos with value/ })).toBeDisabled();

  for (const [name, value] of Object.entries(FINGERS) as [keyof typeof FINGERS, number][]) {
    await addWithValue(page, value, hands(name, 0, 14));
    await addWithValue(page, value, hands(name, 100, 6), true);
  }
  await expect(card.getByText('60 photos with a value')).toBeVisible();
  await expect(card.getByText('18 test only')).toBeVisible();

  // A photo's value taken away: it is listed apart and not trained on; a CSV gives it back, refusing bad rows by number.
  const labelled = card.getByRole('grid', { name: 'Photos with a value' });
  const first = labelled.getByRole('gridcell').first();
  const firstName = ((await first.getAttribute('aria-label')) ?? '').split(' · ')[0]!;
  await first.click();
  await card.getByRole('button', { name: 'Remove their value' }).click();
  await expect(card.getByRole('heading', { name: '1 photo without a value' })).toBeVisible();
  await expect(card.getByText('59 photos with a value')).toBeVisible();
  const csv = testInfo.outputPath('values.csv');
  writeFileSync(csv, `file name,value\n${firstName},0\nnot-here.png,3\n${path.basename(hands('paper', 0, 1)[0]!)},five\n`);
  const chooser = page.waitForEvent('filechooser');
  await card.getByRole('button', { name: 'Values from a CSV file' }).click();
  await (await chooser).setFiles(csv);
  const report = page.getByRole('status').filter({ hasText: 'Values from “values.csv”' });
  await expect(report).toContainText('given to 1 photo');
  await expect(report).toContainText('Row 3: not-here.png · no photo of this project has this name');
  await expect(report).toContainText('Row 4:');
  await expect(report).toContainText('“five” is not a number');
  await expect(card.getByText('60 photos with a value')).toBeVisible();
  await expect(card.getByRole('heading', { name: /without a value/ })).toHaveCount(0);

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  const results = page.getByRole('region', { name: 'Results' });
  await expect(results).toContainText('On the 18 test photos it never saw');
  const scores = results.getByRole('table', { name: 'Scores of the model' });
  const cell = async (row: string) => {
    const line = scores.getByRole('row').filter({ has: page.getByRole('rowheader', { name: row, exact: true }) });
    return Number.parseFloat((await line.getByRole('cell').last().innerText()).replace(/[^\d.-]/g, ''));
  };
  const rmse = await cell('RMSE');
  const baseline = await cell('RMSE of always answering the average');
  testInfo.annotations.push({ type: 'test RMSE', description: `${rmse} vs always the average ${baseline}` });
  expect(rmse).toBeLessThan(baseline);
  expect(await cell('R²')).toBeGreaterThan(0);

  // Preview: each photo's answer on a gauge across 0–5.
  const chooserPreview = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose photos to test' }).click();
  await (await chooserPreview).setFiles([...hands('rock', 150, 2), ...hands('paper', 150, 2)]);
  // (the same four photos again below, for the exports)
  const items = page.getByRole('list', { name: 'Predictions' }).locator(':scope > li');
  await expect(items).toHaveCount(4, { timeout: 120_000 });
  const previewPhotos = [...hands('rock', 150, 2), ...hands('paper', 150, 2)];
  const answers = await Promise.all(
    (await items.all()).map(async (item) =>
      Number.parseFloat(((await item.getByRole('meter').getAttribute('aria-label')) ?? '').replace('fingers: ', '')),
    ),
  );
  // Rock shows fewer fingers than paper, as the model says.
  expect(Math.max(answers[0]!, answers[1]!)).toBeLessThan(Math.min(answers[2]!, answers[3]!));

  // Evaluate: the scatter plot, the largest errors first, and a value fixed from there.
  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await expect(page.getByRole('img', { name: /^Predicted against true fingers for 2\d photos/ })).toBeVisible();
  const largest = page.getByRole('region', { name: 'Largest errors first' });
  await expect(largest.getByRole('listitem')).toHaveCount(12);
  const worst = largest.getByRole('listitem').first();
  await worst.getByRole('textbox', { name: /^Right value for / }).fill('6');
  await expect(worst.getByRole('alert')).toHaveText('Give a value from 0 to 5.');
  await worst.getByRole('textbox', { name: /^Right value for / }).fill('4');
  await worst.getByRole('button', { name: 'Give this value' }).click();
  await expect(worst).toContainText('Its value is now 4.');
  await expect(page.getByRole('table', { name: 'Errors by part of the range' })).toBeVisible();
  const htmlReport = await download(page, page.getByRole('button', { name: 'Download report (HTML)' }));
  const reportHtml = new TextDecoder().decode(htmlReport.bytes);
  expect(reportHtml).toContain('Scores of the model');
  expect(reportHtml).toContain('Largest errors first');
  expect(reportHtml).toMatch(/<img src="data:image\/png;base64,[^"]+"/);

  // The TensorFlow.js export answers the value itself, as Preview does.
  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  const zip = await download(page, page.getByRole('button', { name: 'Download model (.zip)' }));
  const entries = unzipSync(zip.bytes);
  const metadata = JSON.parse(new TextDecoder().decode(entries['metadata.json'])) as {
    labels: string[];
    userMetadata: { kiln: { task: string; quantity: unknown } };
  };
  expect(metadata.labels).toEqual(['fingers']);
  expect(metadata.userMetadata.kiln).toMatchObject({
    task: 'regression',
    quantity: { name: 'fingers', unit: '', min: 0, max: 5 },
  });
  const served = new Map<string, Uint8Array>(Object.entries(entries).map(([name, bytes]) => [`/${name}`, bytes]));
  for (const photo of previewPhotos) served.set(`/photos/${path.basename(photo)}`, readFileSync(photo));
  const libraryPage = await openTeachableMachinePage(context, served);
  const loaded = await predictWithTeachableMachine(
    libraryPage,
    previewPhotos.map((p) => path.basename(p)),
    { teachableMachine: false },
  );
  loaded.forEach((prediction, i) => {
    expect(prediction.layersModel).toHaveLength(1);
    // Preview shows two decimals.
    expect(Math.abs(prediction.layersModel[0]! - answers[i]!), prediction.file).toBeLessThanOrEqual(0.006);
  });

  // The demo page shows the number.
  const demo = await download(page, page.getByRole('button', { name: 'Download demo page (.html)' }));
  const demoPath = testInfo.outputPath(demo.name);
  writeFileSync(demoPath, demo.bytes);
  const demoPage = await context.newPage();
  await demoPage.goto(pathToFileURL(demoPath).href);
  await expect(demoPage.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await demoPage.getByLabel('Choose a photo').setInputFiles(previewPhotos[2]!);
  await expect(demoPage.getByRole('status')).toHaveText(/^fingers: \d/, { timeout: 60_000 });
  const shown = Number.parseFloat((await demoPage.getByRole('status').innerText()).replace('fingers: ', ''));
  expect(Math.abs(shown - answers[2]!)).toBeLessThanOrEqual(0.011);
});

test('folders named by value go in (others are refused, named); every number screen passes axe, in Arabic on a phone too', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const entries: Record<string, Uint8Array> = {};
  for (const [name, value] of Object.entries(FINGERS) as [keyof typeof FINGERS, number][])
    for (const file of hands(name, 20, 5)) entries[`hands/${value}/${path.basename(file)}`] = readFileSync(file);
  const stray = hands('rock', 40, 1)[0]!;
  entries[`hands/rock/${path.basename(stray)}`] = readFileSync(stray);
  const zipPath = testInfo.outputPath('hands.zip');
  writeFileSync(zipPath, zipSync(entries, { level: 0 }));

  await openStudio(page);
  const problems: string[] = [];
  await page.getByRole('button', { name: 'New project' }).click();
  await page
    .getByRole('dialog', { name: 'New project' })
    .getByRole('radio', { name: /Predict a number/ })
    .check();
  problems.push(...(await axeProblems(page, 'new number project dialog')));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await createNumberProject(page);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a zip of folders named by value' }).click();
  await (await chooser).setFiles(zipPath);
  await expect(page.getByRole('status').filter({ hasText: 'Adding photos' })).toHaveCount(0, { timeout: 120_000 });
  const notice = page.getByRole('alert').filter({ hasText: 'hands.zip' });
  await expect(notice.locator('strong').first()).toHaveText('15 photos added to “hands.zip”; 1 file was not.');
  await expect(notice.getByRole('listitem')).toHaveText([
    `hands/rock/${path.basename(stray)}: its folder “rock” is not a value from 0 to 5; name each folder by its photos’ value.`,
  ]);
  const card = page.getByRole('region', { name: 'fingers, from 0 to 5' });
  await expect(card.getByText('15 photos with a value')).toBeVisible();
  const badges = await card
    .getByRole('grid', { name: 'Photos with a value' })
    .getByRole('gridcell')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label')!.split(' · ')[1]));
  expect(new Set(badges)).toEqual(new Set(['0', '2', '5']));
  problems.push(...(await axeProblems(page, 'collect (number)')));

  // The webcam takes photos with the value set when each is taken.
  await page.getByRole('spinbutton', { name: 'fingers for new photos, typed' }).fill('3');
  await card.getByRole('button', { name: 'Use webcam' }).click();
  await card.getByRole('button', { name: 'Take photo' }).click();
  await expect(card.getByText('16 photos with a value')).toBeVisible();
  await card.getByRole('button', { name: 'Close webcam' }).click();
  await expect(
    card.getByRole('grid', { name: 'Photos with a value' }).getByRole('gridcell', { name: /^webcam-.* · 3$/ }),
  ).toHaveCount(1);

  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await trainAndWait(page);
  problems.push(...(await axeProblems(page, 'train (number)')));
  // Live on the webcam: the value on a gauge across the range.
  await page.getByRole('button', { name: 'Use webcam' }).click();
  const live = page.getByRole('group', { name: 'Live webcam preview' });
  await expect(live.getByRole('meter', { name: /^fingers: / })).toBeVisible({ timeout: 60_000 });
  problems.push(...(await axeProblems(page, 'train (number, live webcam)')));
  await live.getByRole('button', { name: 'Stop webcam' }).click();
  await page.getByRole('link', { name: '3. Evaluate' }).click();
  await expect(page.getByRole('region', { name: 'Largest errors first' })).toBeVisible();
  problems.push(...(await axeProblems(page, 'evaluate (number)')));

  // The same screens in Arabic, right to left, on a phone: nothing in English's place, nothing scrolls sideways.
  await chooseLanguage(page, 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.setViewportSize({ width: 360, height: 740 });
  await settle(page);
  for (const [step, state] of [
    ['3', 'evaluate'],
    ['2', 'train'],
    ['1', 'collect'],
  ] as const) {
    await page
      .getByRole('navigation')
      .getByRole('link', { name: new RegExp(`^${step}\\D`) })
      .click();
    await expect(page.getByRole('heading', { level: 1 })).toBeAttached();
    await settle(page);
    problems.push(...(await axeProblems(page, `${state} (number, Arabic)`)));
    problems.push(...(await sidewaysScrolling(page, `${state} (number, Arabic)`)));
    await attachScreenshot(page, testInfo, `number-${state}-ar-360`);
  }
  expect(problems).toEqual([]);
});
