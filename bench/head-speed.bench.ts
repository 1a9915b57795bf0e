/**
 * Head training speed on cached embeddings: Kiln's loop against tf.layers `fit` at Teachable Machine's
 * settings (Dense 100, batch 16, Adam 0.001), and against a compute bound from the backend's matmul rate.
 */
import { TEACHABLE_MACHINE_SETTINGS } from '../src/api/settings';
import { saveResults, sharedUrls, table, test } from './harness';

type Kiln = { bench: import('comlink').Remote<import('./bench.worker').BenchApi> };
const EPOCHS = 10;

test('head training: ms per epoch for 500 and 5,000 embeddings', async ({ bench }) => {
  const classes = ['rock', 'paper', 'scissors'].map((c) => sharedUrls('datasets', 'rps', c).slice(0, 100));
  await bench.evaluate(
    async ({ urls, labels }) => {
      const { bench: b } = (window as unknown as { kiln: Kiln }).kiln;
      await b.setBackend('wasm');
      await b.loadBackbone('/shared/models/mobilenet-v2-0.35-224-no-top/model.json');
      await b.embedDataset('rps', urls, labels, 0, 42);
    },
    { urls: classes.flat(), labels: classes.flatMap((files, label) => files.map(() => label)) },
  );
  const gflops = await bench.evaluate(() => (window as unknown as { kiln: Kiln }).kiln.bench.matmulRate(16, 1280, 100));
  const rows: Record<string, string | number>[] = [];
  const median = (v: number[]) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  for (const count of [500, 5000]) {
    // Alternate the two, three times each, and take medians: timings on a shared machine drift.
    const runs = { kiln: [] as number[], fit: [] as number[], kilnAccuracy: 0, fitAccuracy: 0 };
    for (let repeat = 0; repeat < 3; repeat++) {
      for (const how of ['kiln', 'fit'] as const) {
        const r = await bench.evaluate(
          ({ count, epochs, settings, how }) =>
            (window as unknown as { kiln: Kiln }).kiln.bench.headSpeed('rps', count, epochs, settings, how),
          { count, epochs: EPOCHS, settings: TEACHABLE_MACHINE_SETTINGS, how },
        );
        runs[how].push(r.msPerEpoch);
        runs[`${how}Accuracy`] = r.accuracy;
      }
    }
    const kiln = median(runs.kiln);
    const fit = median(runs.fit);
    // Forward + backward ≈ 3 × the forward's 2·(1280·100 + 100·3) FLOPs per row.
    const boundMs = ((count * 3 * 2 * (1280 * 100 + 100 * 3)) / (gflops * 1e9)) * 1000;
    rows.push({
      embeddings: count,
      'Kiln ms/epoch': Math.round(kiln * 10) / 10,
      'fit ms/epoch': Math.round(fit * 10) / 10,
      'Kiln / fit': Math.round((kiln / fit) * 100) / 100,
      'bound ms/epoch': Math.round(boundMs * 10) / 10,
      'Kiln / bound': Math.round((kiln / boundMs) * 10) / 10,
      'Kiln train acc': runs.kilnAccuracy,
      'fit train acc': runs.fitAccuracy,
    });
  }
  console.log(
    `\nHead training on WASM, batch 16, ${EPOCHS} epochs (matmul 16×1280×100: ${gflops.toFixed(2)} GFLOP/s)\n${table(rows)}`,
  );
  console.log(`written to ${saveResults('head-speed', { backend: 'wasm', epochs: EPOCHS, gflops, rows })}`);
});
