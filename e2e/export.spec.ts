import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { expect, test } from './fixtures';
import {
  download,
  filesIn,
  openStudio,
  previewProbabilities,
  projectWith,
  setNumber,
  openSettings,
  trainAndWait,
  openForDevelopers,
} from './helpers';
import { openTeachableMachinePage, predictWithTeachableMachine } from './teachable-machine-page';

const TRAIN = ['datasets', 'hymenoptera', 'train'];
const VAL = ['datasets', 'hymenoptera', 'val'];

test('an exported model loads in Teachable Machine’s library and tf.loadLayersModel, and predicts as Kiln does', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Ants and bees', {
    ants: filesIn(...TRAIN, 'ants').slice(0, 12),
    bees: filesIn(...TRAIN, 'bees').slice(0, 12),
  });
  await openSettings(page);
  await setNumber(page, 'Epochs', 15);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);

  const photos = [...filesIn(...VAL, 'ants').slice(0, 10), ...filesIn(...VAL, 'bees').slice(0, 10)];
  const kiln = await previewProbabilities(page, photos);
  expect(kiln.size).toBe(20);

  await page.getByRole('link', { name: '4. Export' }).click();
  // Teacher first: the demo page, the classroom pack and the project backup are the main buttons, in that order;
  // the TensorFlow.js zip and the dataset wait under "For developers".
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['Try it in a web page', 'Classroom pack', 'Project backup']);
  for (const name of ['Download demo page (.html)', 'Save a classroom pack (.zip)', 'Download project file (.zip)'])
    await expect(page.getByRole('button', { name })).toHaveClass(/\bprimary\b/);
  await expect(page.getByRole('button', { name: 'Download model (.zip)' })).toBeHidden();
  await openForDevelopers(page);
  const zip = await download(page, page.getByRole('button', { name: 'Download model (.zip)' }));
  expect(zip.name).toBe('Ants-and-bees-model.zip');
  const entries = unzipSync(zip.bytes);
  expect(Object.keys(entries).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  const metadata = JSON.parse(new TextDecoder().decode(entries['metadata.json'])) as Record<string, unknown>;
  expect(metadata).toMatchObject({ labels: ['ants', 'bees'], imageSize: 224, modelName: 'Ants and bees' });
  for (const field of ['packageName', 'packageVersion', 'tfjsVersion', 'timeStamp', 'userMetadata'])
    expect(metadata).toHaveProperty(field);

  const served = new Map<string, Uint8Array>(Object.entries(entries).map(([name, bytes]) => [`/${name}`, bytes]));
  for (const photo of photos) served.set(`/photos/${path.basename(photo)}`, readFileSync(photo));
  const tmPage = await openTeachableMachinePage(context, served);
  const theirs = await predictWithTeachableMachine(
    tmPage,
    photos.map((p) => path.basename(p)),
  );
  let largest = 0;
  for (const prediction of theirs) {
    const ours = kiln.get(prediction.file)!;
    expect(prediction.labels).toEqual(['ants', 'bees']);
    const mine = prediction.labels.map((label) => ours.get(label)!);
    const top = (values: number[]) => values.indexOf(Math.max(...values));
    expect(top(prediction.teachableMachine), prediction.file).toBe(top(mine));
    expect(top(prediction.layersModel), prediction.file).toBe(top(mine));
    mine.forEach((p, k) => {
      largest = Math.max(largest, Math.abs(p - prediction.teachableMachine[k]!), Math.abs(p - prediction.layersModel[k]!));
    });
  }
  console.log(`largest probability difference, Kiln preview vs Teachable Machine's library: ${largest.toExponential(2)}`);
  expect(largest).toBeLessThan(1e-4);

  // 8-bit weights: the size and accuracy change are shown before download, and the file is a quarter of the size.
  await page.getByRole('radio', { name: /Quarter size \(8-bit\)/ }).check();
  await page.getByRole('button', { name: 'Check size and accuracy' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Weights: / })).toHaveText(
    /^Weights: [\d.]+ (KB|MB) instead of [\d.]+ MB\. Validation accuracy on \d+ photos: [\d.]+% at full precision, [\d.]+% at this one\.$/,
    { timeout: 60_000 },
  );
  const small = await download(page, page.getByRole('button', { name: 'Download model (.zip)' }));
  expect(small.name).toBe('Ants-and-bees-model-uint8.zip');
  const smallWeights = unzipSync(small.bytes)['weights.bin']!.byteLength;
  expect(smallWeights / entries['weights.bin']!.byteLength).toBeCloseTo(0.25, 2);

  // The demo page: one file, opened from disk, agrees with Preview on a photo.
  const demo = await download(page, page.getByRole('button', { name: 'Download demo page (.html)' }));
  expect(demo.name).toBe('Ants-and-bees-demo.html');
  const demoPath = test.info().outputPath(demo.name);
  writeFileSync(demoPath, demo.bytes);
  const demoPage = await context.newPage();
  await demoPage.goto(pathToFileURL(demoPath).href);
  await expect(demoPage.getByRole('status')).toHaveText('Ready', { timeout: 60_000 });
  await demoPage.getByLabel('Choose a photo').setInputFiles(photos[0]!);
  const ours = kiln.get(path.basename(photos[0]!))!;
  const expectedTop = [...ours].sort((a, b) => b[1] - a[1])[0]![0];
  await expect(demoPage.getByRole('status')).toHaveText(new RegExp(`^Top: ${expectedTop} \\(`), { timeout: 60_000 });
});
