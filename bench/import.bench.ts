/**
 * Import throughput: the shared rps folder (3 class folders, 600 photos of 300 × 200) picked through
 * "Import a folder of class folders" as a person would, timed from the pick to the end of the progress bar.
 * Every photo is decoded, downscaled, thumbnailed, hashed and stored in IndexedDB in the studio worker.
 */
import path from 'node:path';
import { startStaticServer } from '../e2e/static-server';
import { createProject, photoCount } from '../e2e/helpers';
import { ROOT, SHARED, saveResults, table, test } from './harness';

const RPS = path.join(SHARED, 'datasets', 'rps');

test('import throughput (rps folder)', async ({ browser }) => {
  const server = await startStaticServer(path.join(ROOT, process.env.KILN_OUT_DIR ?? 'dist'));
  const context = await browser.newContext({ baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).waitFor({ timeout: 120_000 });
  await createProject(page, 'Import throughput');

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import a folder of class folders' }).click();
  const started = Date.now();
  await (await chooser).setFiles(RPS);
  const progress = page.getByRole('status').filter({ hasText: 'Adding photos' });
  await progress.waitFor({ state: 'visible', timeout: 60_000 }).catch(() => undefined);
  await progress.waitFor({ state: 'detached', timeout: 3_600_000 });
  const seconds = (Date.now() - started) / 1000;
  let photos = 0;
  for (const cls of ['rock', 'paper', 'scissors']) photos += await photoCount(page, cls);
  await context.close();
  await server.close();

  const rows = [{ photos, 'import s': seconds, 'import throughput (rps folder) photos/s': photos / seconds }];
  console.log(table(rows));
  console.log(saveResults('import', { rows }));
});
