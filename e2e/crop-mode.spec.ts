import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { expect, test } from './fixtures';
import {
  download,
  filesIn,
  openSettings,
  openStudio,
  previewProbabilities,
  projectWith,
  setNumber,
  trainAndWait,
  openForDevelopers,
} from './helpers';

// rps photos are 300 × 200: a centre crop cuts off a third of each, padding keeps it all.
const ROCK = filesIn('datasets', 'rps', 'rock');
const PAPER = filesIn('datasets', 'rps', 'paper');

test('“Fit with padding” trains, predicts, exports and runs in the demo page the same way', async ({ page, context }) => {
  test.setTimeout(420_000);
  await openStudio(page);
  await projectWith(page, 'Hands', { rock: ROCK.slice(0, 8), paper: PAPER.slice(0, 8) });

  await openSettings(page);
  const pad = page.getByRole('radio', { name: /^Fit with padding/ });
  const centre = page.getByRole('radio', { name: /^Crop to the centre/ });
  await expect(centre).toBeChecked();
  await pad.check();
  await expect(pad).toBeChecked();
  await expect(page.getByText('Settings and image model')).toContainText('fit with padding');
  await setNumber(page, 'Epochs', 2);
  await setNumber(page, 'Augmented copies per photo', 1);
  await trainAndWait(page);

  // Choosing the other mode now applies to the next training only: the model keeps its own.
  await centre.check();
  await expect(
    page.getByRole('status').filter({ hasText: 'Your current model was trained with “Fit with padding”' }),
  ).toBeVisible();

  const photo = ROCK[20]!;
  const preview = (await previewProbabilities(page, [photo])).get(path.basename(photo))!;
  const top = [...preview].sort((a, b) => b[1] - a[1])[0]![0];

  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  const zip = await download(page, page.getByRole('button', { name: 'Download model (.zip)' }));
  const metadata = JSON.parse(new TextDecoder().decode(unzipSync(zip.bytes)['metadata.json'])) as {
    userMetadata: { kiln: { cropMode: string } };
  };
  expect(metadata.userMetadata.kiln.cropMode).toBe('pad');

  const demo = await download(page, page.getByRole('button', { name: 'Download demo page (.html)' }));
  const demoPath = test.info().outputPath(demo.name);
  writeFileSync(demoPath, demo.bytes);
  const demoPage = await context.newPage();
  await demoPage.goto(pathToFileURL(demoPath).href);
  await expect(demoPage.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await demoPage.getByLabel('Choose a photo').setInputFiles(photo);
  await expect(demoPage.getByRole('status')).toHaveText(new RegExp(`^Top: ${top} \\(`), { timeout: 60_000 });
  // The same pixels reach the model: the probabilities agree closely, not only the top class.
  let largest = 0;
  for (const meter of await demoPage.getByRole('meter').all()) {
    const label = (await meter.getAttribute('aria-label')) ?? '';
    const value = Number(await meter.getAttribute('aria-valuenow')) / 100;
    largest = Math.max(largest, Math.abs(value - preview.get(label)!));
  }
  console.log(`largest probability difference, Preview vs demo page (pad): ${largest.toExponential(2)}`);
  expect(largest).toBeLessThan(0.01);
});
