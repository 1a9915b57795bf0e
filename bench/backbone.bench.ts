/**
 * Backbone throughput on every backend that starts here, raw (tensors already on the backend) and
 * through Kiln's full path (file → decode → centre crop → preprocess → embed → IndexedDB cache), and
 * the backend the studio itself picks on this device, against the fastest one measured.
 */
import path from 'node:path';
import { ROOT, saveResults, sharedUrls, table, test } from './harness';
import { startStaticServer } from '../e2e/static-server';

type Kiln = { bench: import('comlink').Remote<import('./bench.worker').BenchApi> };
const BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'] as const;
const BASE = '/shared/models/mobilenet-v2-0.35-224-no-top/model.json';

test('backbone throughput per backend, and the backend Kiln picks', async ({ bench, browser }) => {
  const photos = [
    ...sharedUrls('datasets', 'hymenoptera', 'val', 'ants'),
    ...sharedUrls('datasets', 'hymenoptera', 'val', 'bees'),
  ];
  const rows: Record<string, string | number>[] = [];
  const best: Record<string, number> = {};
  for (const backend of BACKENDS) {
    const started = await bench.evaluate((name) => (window as unknown as { kiln: Kiln }).kiln.bench.setBackend(name), backend);
    if (!started.ok) {
      rows.push({ backend, batch: '-', 'raw img/s': 'did not start', 'full path img/s': '-', 'full / raw': '-' });
      continue;
    }
    await bench.evaluate((url) => (window as unknown as { kiln: Kiln }).kiln.bench.loadBackbone(url), BASE);
    const single = await bench.evaluate(() => (window as unknown as { kiln: Kiln }).kiln.bench.rawThroughput(1, 2));
    // Software GPUs manage well under one image a second: batch 32 would take minutes and say nothing new.
    const batches = single < 1 ? [1, 8] : [1, 8, 32];
    for (const batch of batches) {
      const raw =
        batch === 1
          ? single
          : await bench.evaluate((b) => (window as unknown as { kiln: Kiln }).kiln.bench.rawThroughput(b, 3), batch);
      const count = single < 1 ? Math.max(batch, 8) : Math.max(4 * batch, 48);
      const full = await bench.evaluate(
        ({ urls, b }) => (window as unknown as { kiln: Kiln }).kiln.bench.fullPathThroughput(urls, b),
        { urls: photos.slice(0, count), b: batch },
      );
      best[backend] = Math.max(best[backend] ?? 0, full);
      rows.push({ backend: started.detail, batch, 'raw img/s': raw, 'full path img/s': full, 'full / raw': full / raw });
    }
  }
  console.log(table(rows));

  // The studio's own choice on this device, from its header, against the fastest full path measured.
  const server = await startStaticServer(path.join(ROOT, 'dist'));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  const badge = await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).innerText({ timeout: 120_000 });
  await context.close();
  await server.close();
  const chosen = ({ WebGPU: 'webgpu', WebGL: 'webgl', WASM: 'wasm', CPU: 'cpu' } as const)[
    /^Backend: (\w+)/.exec(badge)![1] as 'WebGPU' | 'WebGL' | 'WASM' | 'CPU'
  ];
  const fastest = Math.max(...Object.values(best));
  const choice = { chosen, 'chosen img/s': best[chosen] ?? 0, 'fastest img/s': fastest, ratio: (best[chosen] ?? 0) / fastest };
  console.log(table([choice]));
  console.log(saveResults('backbone', { rows, choice }));
});
