import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { expect, test } from './fixtures';
import {
  download,
  filesIn,
  openForDevelopers,
  openSettings,
  openStudio,
  photoCount,
  projectWith,
  setNumber,
  trainAndWait,
} from './helpers';

interface Manifest {
  format: string;
  version: number;
  project: { name: string; settings: Record<string, unknown> };
  classes: { id: string; name: string }[];
  samples: { id: string; classId: string; name: string; image: string }[];
  runs: {
    id: string;
    classes: { id: string }[];
    split: { train: string[] };
    metrics: unknown;
    curves: unknown;
    settings: unknown;
  }[];
}

/** Photo bytes by class name and photo name, and the manifest, from a project file. */
function contents(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as Manifest;
  const className = new Map(manifest.classes.map((c) => [c.id, c.name]));
  const photos = new Map(manifest.samples.map((s) => [`${className.get(s.classId)}/${s.name}`, Buffer.from(files[s.image]!)]));
  return { manifest, photos };
}

test('a project file carries photos, classes, settings and runs to a fresh browser profile, and back', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await projectWith(page, 'Field trip', {
    ants: filesIn('datasets', 'hymenoptera', 'train', 'ants').slice(0, 8),
    bees: filesIn('datasets', 'hymenoptera', 'train', 'bees').slice(0, 8),
  });
  await openSettings(page);
  await setNumber(page, 'Epochs', 12);
  await setNumber(page, 'Augmented copies per photo', 0);
  await trainAndWait(page);
  const accuracy = await page.getByText(/^Validation accuracy: /).innerText();

  await page.getByRole('link', { name: '4. Export' }).click();
  const exported = await download(page, page.getByRole('button', { name: 'Download project file (.zip)' }));
  expect(exported.name).toBe('Field-trip.kiln.zip');
  const filePath = test.info().outputPath(exported.name);
  writeFileSync(filePath, exported.bytes);

  // A fresh profile: nothing in IndexedDB, nothing cached.
  const fresh = await browser.newContext({ baseURL, permissions: ['camera'] });
  const other = await fresh.newPage();
  await openStudio(other);
  const chooser = other.waitForEvent('filechooser');
  await other.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(filePath);
  await expect(other.getByRole('navigation', { name: 'Project steps' })).toBeVisible({ timeout: 60_000 });
  expect(await photoCount(other, 'ants')).toBe(8);
  expect(await photoCount(other, 'bees')).toBe(8);
  await other.getByRole('link', { name: '2. Train and preview' }).click();
  await expect(other.getByText(accuracy, { exact: true })).toBeVisible();
  await openSettings(other);
  await expect(other.getByRole('spinbutton', { name: 'Epochs', exact: true })).toHaveValue('12');

  // Exported again from there, it holds the same photos, labels, settings and runs.
  await other.getByRole('link', { name: '4. Export' }).click();
  const again = await download(other, other.getByRole('button', { name: 'Download project file (.zip)' }));
  const [a, b] = [contents(exported.bytes), contents(again.bytes)];
  expect([...b.photos.keys()].sort()).toEqual([...a.photos.keys()].sort());
  for (const [name, bytes] of a.photos) expect(b.photos.get(name)!.equals(bytes), name).toBe(true);
  expect(b.manifest.classes.map((c) => c.name)).toEqual(a.manifest.classes.map((c) => c.name));
  expect(b.manifest.project.settings).toEqual(a.manifest.project.settings);
  expect(b.manifest.runs.map((r) => [r.metrics, r.curves, r.settings])).toEqual(
    a.manifest.runs.map((r) => [r.metrics, r.curves, r.settings]),
  );
  await fresh.close();

  // The same photos as class folders with a Python training script.
  await page.getByRole('link', { name: '4. Export' }).click();
  await openForDevelopers(page);
  const dataset = await download(page, page.getByRole('button', { name: 'Download dataset with training script (.zip)' }));
  const files = Object.keys(unzipSync(dataset.bytes));
  expect(files.filter((f) => f.startsWith('Field-trip/data/ants/'))).toHaveLength(8);
  expect(files.filter((f) => f.startsWith('Field-trip/data/bees/'))).toHaveLength(8);
  const script = new TextDecoder().decode(unzipSync(dataset.bytes)['Field-trip/train.py']);
  const parsed = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: script });
  expect(parsed.status, parsed.stderr?.toString()).toBe(0);
  expect(script).toContain('"ants"');
});

test('a file that is not a Kiln project is refused and nothing changes', async ({ page }) => {
  await openStudio(page);
  const foreign = test.info().outputPath('holiday.zip');
  const { zipSync } = await import('fflate');
  writeFileSync(foreign, zipSync({ 'IMG_0001.jpg': new Uint8Array([1, 2, 3]) }));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(foreign);
  await expect(page.getByRole('alert')).toContainText('is not a Kiln project file');
  await expect(page.getByRole('heading', { name: 'Teach your computer to recognise things' })).toBeVisible();
});

test('photos of a project file that cannot be used are named with why, and the rest of the project opens', async ({ page }) => {
  await openStudio(page);
  const [ant, bee] = [
    filesIn('datasets', 'hymenoptera', 'train', 'ants')[0]!,
    filesIn('datasets', 'hymenoptera', 'train', 'bees')[0]!,
  ];
  const beeBytes = readFileSync(bee);
  const manifest = {
    format: 'kiln-project',
    version: 1,
    project: { name: 'Messy backup' },
    classes: [
      { name: 'ants', folder: 'ants' },
      { name: 'bees', folder: 'bees' },
    ],
    photos: [
      { class: 'ants', file: 'photos/ants/ant.jpg', name: 'ant.jpg' },
      { class: 'bees', file: 'photos/bees/bee.jpg', name: 'bee.jpg' },
      { class: 'bees', file: 'photos/bees/notes.jpg', name: 'notes.jpg' },
      { class: 'ants', file: 'photos/ants/half.jpg', name: 'half.jpg' },
    ],
  };
  const { zipSync } = await import('fflate');
  const file = test.info().outputPath('messy.kiln.zip');
  writeFileSync(
    file,
    zipSync({
      'manifest.json': new TextEncoder().encode(JSON.stringify(manifest)),
      'photos/ants/ant.jpg': readFileSync(ant),
      'photos/bees/bee.jpg': beeBytes,
      'photos/bees/notes.jpg': new TextEncoder().encode('Remember: take more photos of bees on flowers.'),
      'photos/ants/half.jpg': beeBytes.subarray(0, Math.floor(beeBytes.length / 2)),
    }),
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(file);

  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Project “Messy backup” made with 2 classes and 2 photos; 2 files did not go in.');
  await expect(summary.getByRole('listitem')).toHaveText([
    'ants: “half.jpg”: the JPEG is incomplete (the file was cut short); copy or download it again',
    'bees: “notes.jpg”: it is not an image: it contains text',
  ]);
  await summary.getByRole('link', { name: 'Open “Messy backup”' }).click();
  expect(await photoCount(page, 'ants')).toBe(1);
  expect(await photoCount(page, 'bees')).toBe(1);
  // What went in is saved.
  await page.reload();
  expect(await photoCount(page, 'bees')).toBe(1);
});

test('a zip of class folders given to "Open a project file" becomes a project named after it, every file accounted for', async ({
  page,
}) => {
  await openStudio(page);
  const { zipSync } = await import('fflate');
  const [ant, bee] = [
    filesIn('datasets', 'hymenoptera', 'train', 'ants')[0]!,
    filesIn('datasets', 'hymenoptera', 'train', 'bees')[0]!,
  ];
  const file = test.info().outputPath('Field trip.zip');
  writeFileSync(
    file,
    zipSync({
      'Field trip/ants/a.jpg': readFileSync(ant),
      'Field trip/bees/b.jpg': readFileSync(bee),
      'Field trip/notes.txt': new TextEncoder().encode('Bring a magnifier.'),
    }),
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open a project file' }).click();
  await (await chooser).setFiles(file);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Project “Field trip” made with 2 classes and 2 photos; 1 file did not go in.');
  await expect(summary.getByRole('listitem')).toHaveText([
    '“Field trip/notes.txt”: it is not a photo Kiln reads (JPEG, PNG, WebP, GIF, BMP, AVIF or HEIC)',
  ]);
  await summary.getByRole('link', { name: 'Open “Field trip”' }).click();
  expect(await photoCount(page, 'ants')).toBe(1);
  expect(await photoCount(page, 'bees')).toBe(1);
});
