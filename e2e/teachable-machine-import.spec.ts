import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { unzipSync, zipSync } from 'fflate';
import { expect, test } from './fixtures';
import {
  addImages,
  download,
  filesIn,
  openSettings,
  openStudio,
  previewProbabilities,
  setNumber,
  sharedPath,
  trainAndWait,
  openForDevelopers,
} from './helpers';
import { openTeachableMachinePage, predictWithTeachableMachine } from './teachable-machine-page';

const EXPORTS = ['nail-biting', 'hand-gestures', 'handwritten-digits', 'video-classifier'];
const exportFiles = (name: string) =>
  ['model.json', 'metadata.json', 'weights.bin'].map((file) => sharedPath('models', 'teachable-machine', name, file));

async function openModel(page: Page, files: string[] | { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.getByRole('link', { name: 'Kiln' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a Teachable Machine model' }).click();
  await (await chooser).setFiles(files);
}

async function projectCount(page: Page): Promise<number> {
  await expect(page.getByRole('heading', { name: 'Projects', level: 1 })).toBeVisible();
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 2 }) })
    .count();
}

test('every shared Teachable Machine export opens as a project and predicts as Teachable Machine’s library does', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  const photos = [filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!, filesIn('datasets', 'rps', 'paper')[0]!];
  for (const name of EXPORTS) {
    if (name === 'hand-gestures') {
      // One of them as a zip with a folder inside, as people re-zip downloads.
      const zip = zipSync(Object.fromEntries(exportFiles(name).map((f) => [`my model/${path.basename(f)}`, readFileSync(f)])));
      const zipPath = test.info().outputPath(`${name}.zip`);
      writeFileSync(zipPath, zip);
      await openModel(page, [zipPath]);
    } else {
      await openModel(page, exportFiles(name));
    }
    await expect(page.getByText(/^Imported from /)).toBeVisible({ timeout: 60_000 });
    const kiln = await previewProbabilities(page, photos);

    const served = new Map<string, Uint8Array>(exportFiles(name).map((f) => [`/${path.basename(f)}`, readFileSync(f)]));
    for (const photo of photos) served.set(`/photos/${path.basename(photo)}`, readFileSync(photo));
    const tmPage = await openTeachableMachinePage(context, served);
    const theirs = await predictWithTeachableMachine(
      tmPage,
      photos.map((p) => path.basename(p)),
    );
    await tmPage.close();
    await context.unroute('http://teachable-machine.test/**');
    for (const prediction of theirs) {
      const ours = kiln.get(prediction.file)!;
      prediction.labels.forEach((label, k) => {
        expect(Math.abs(ours.get(label)! - prediction.teachableMachine[k]!), `${name} ${prediction.file} ${label}`).toBeLessThan(
          1e-4,
        );
      });
    }
  }
  await page.getByRole('link', { name: 'Kiln' }).click();
  expect(await projectCount(page)).toBe(EXPORTS.length);
});

test('the nail-biting model keeps learning from new photos here, and the result exports', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await openModel(page, exportFiles('nail-biting'));
  await expect(page.getByText(/^Imported from model\.json, made with Teachable Machine 2\.4\.4/)).toBeVisible({
    timeout: 60_000,
  });

  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  await addImages(page, 'normal', filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 8));
  await addImages(page, 'nail-biting', filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 8));
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page);
  await setNumber(page, 'Epochs', 10);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);
  await expect(page.getByText('Training started from the weights of the imported Teachable Machine model.')).toBeVisible();

  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  const zip = await download(page, page.getByRole('button', { name: 'Download model (.zip)' }));
  const metadata = JSON.parse(new TextDecoder().decode(unzipSync(zip.bytes)['metadata.json'])) as { labels: string[] };
  expect(metadata.labels).toEqual(['normal', 'nail-biting']);

  // And back in: the export is itself a Teachable Machine model.
  const zipPath = test.info().outputPath(zip.name);
  writeFileSync(zipPath, zip.bytes);
  await openModel(page, [zipPath]);
  await expect(page.getByText(/^Imported from nail-biting-detector-model\.zip/)).toBeVisible({ timeout: 60_000 });
  const predicted = await previewProbabilities(page, [filesIn('datasets', 'hymenoptera', 'val', 'bees')[0]!]);
  expect([...predicted.values()][0]!.size).toBe(2);
});

test('broken or hostile model files are refused with a clear message, and nothing stored changes', async ({ page }) => {
  test.setTimeout(180_000);
  await openStudio(page);
  await openModel(page, exportFiles('nail-biting'));
  await expect(page.getByText(/^Imported from /)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Kiln' }).click();
  const before = await projectCount(page);

  const [modelJson, metadataJson, weights] = exportFiles('nail-biting').map((f) => readFileSync(f));
  const file = (name: string, buffer: Buffer | Uint8Array) => ({
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(buffer),
  });
  const metadata = JSON.parse(metadataJson!.toString()) as { labels: string[] };
  const cases: { what: string; files: ReturnType<typeof file>[]; message: RegExp }[] = [
    {
      what: 'malformed model.json',
      files: [
        file('model.json', Buffer.from('{"modelTopology": ')),
        file('metadata.json', metadataJson!),
        file('weights.bin', weights!),
      ],
      message: /model\.json is not valid JSON/,
    },
    {
      what: 'weights of the wrong size',
      files: [
        file('model.json', modelJson!),
        file('metadata.json', metadataJson!),
        file('weights.bin', weights!.subarray(0, 1000)),
      ],
      message: /weight files hold 1000 bytes but model\.json describes/,
    },
    {
      what: 'weights that are not numbers (the last value set to NaN)',
      files: [
        file('model.json', modelJson!),
        file('metadata.json', metadataJson!),
        file('weights.bin', Buffer.concat([weights!.subarray(0, weights!.length - 4), Buffer.from([0, 0, 0xc0, 0x7f])])),
      ],
      message:
        /The model’s weights hold values that are not numbers \(in “.+”\), so it cannot predict\. Export it from Teachable Machine again\./,
    },
    {
      what: 'missing weights',
      files: [file('model.json', modelJson!), file('metadata.json', metadataJson!)],
      message: /model\.json needs "weights\.bin"/,
    },
    {
      what: 'labels that do not match the outputs',
      files: [
        file('model.json', modelJson!),
        file('metadata.json', Buffer.from(JSON.stringify({ ...metadata, labels: ['a', 'b', 'c'] }))),
        file('weights.bin', weights!),
      ],
      message: /predicts 2 classes but metadata\.json names 3/,
    },
    {
      what: 'a file that is not a zip',
      files: [file('model.zip', Buffer.from('this is a text file, not a zip'))],
      message: /not a zip archive/,
    },
    {
      what: 'a zip bomb',
      files: [
        file('model.zip', zipSync({ 'model.json': modelJson!, 'weights.bin': new Uint8Array(64 * 1024 * 1024) }, { level: 9 })),
      ],
      message: /zip bomb/,
    },
    {
      what: 'thousands of entries',
      files: [
        file(
          'model.zip',
          zipSync(Object.fromEntries(Array.from({ length: 50_001 }, (_, i) => [`f${i}.txt`, new Uint8Array(0)]))),
        ),
      ],
      message: /contains 50001 entries, more than the 50000/,
    },
    {
      what: 'a path-traversal entry',
      files: [
        file('model.zip', zipSync({ '../../model.json': modelJson!, 'metadata.json': metadataJson!, 'weights.bin': weights! })),
      ],
      message: /\.\.\/\.\.\/model\.json/,
    },
  ];
  for (const { what, files, message } of cases) {
    await openModel(page, files);
    await expect(page.getByRole('alert'), what).toHaveText(message);
    expect(await projectCount(page), what).toBe(before);
  }
});
