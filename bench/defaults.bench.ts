/**
 * How Kiln's default training settings were chosen: candidate settings against Teachable Machine's
 * on real photos, same features, several seeds. Run with `npm run bench:defaults` (about 10 minutes).
 */
import { DEFAULT_SETTINGS, TEACHABLE_MACHINE_SETTINGS, type TrainingSettings } from '../src/api/settings';
import { saveResults, sharedUrls, table, test } from './harness';

type Kiln = { bench: import('comlink').Remote<import('./bench.worker').BenchApi> };
const SEEDS = [1, 2, 3, 4, 5];

const aug = (views: number) => ({ augmentation: { ...DEFAULT_SETTINGS.augmentation, views } });
const candidates: Record<string, Partial<TrainingSettings>> = {
  'Teachable Machine': TEACHABLE_MACHINE_SETTINGS,
  'TM + 2 augmented copies': { ...TEACHABLE_MACHINE_SETTINGS, ...aug(2) },
  'TM + early stopping': { ...TEACHABLE_MACHINE_SETTINGS, epochs: 100, earlyStopping: true, patience: 12 },
  'ES + dropout 0.25 + smoothing 0.1, no copies, lr 0.001': { ...DEFAULT_SETTINGS, ...aug(0), learningRate: 0.001 },
  'same, 2 copies': { ...DEFAULT_SETTINGS, learningRate: 0.001 },
  'Kiln defaults (same, 2 copies, lr 0.003)': DEFAULT_SETTINGS,
  'Kiln defaults with 1 copy': { ...DEFAULT_SETTINGS, ...aug(1) },
  'Kiln defaults with 4 copies': { ...DEFAULT_SETTINGS, ...aug(4) },
  'Kiln defaults, dropout 0.5': { ...DEFAULT_SETTINGS, dropout: 0.5 },
  'Kiln defaults, L2 0.001': { ...DEFAULT_SETTINGS, l2: 0.001 },
  'Kiln defaults, patience 20': { ...DEFAULT_SETTINGS, patience: 20 },
};

test('default settings against Teachable Machine’s', async ({ bench }) => {
  await bench.evaluate(async () => {
    const { bench: b } = (window as unknown as { kiln: Kiln }).kiln;
    await b.setBackend('wasm');
    await b.loadBackbone('/shared/models/mobilenet-v2-0.35-224-no-top/model.json');
  });
  const sets = {
    'hymenoptera-train': ['ants', 'bees'].map((c) => sharedUrls('datasets', 'hymenoptera', 'train', c)),
    'hymenoptera-val': ['ants', 'bees'].map((c) => sharedUrls('datasets', 'hymenoptera', 'val', c)),
    rps: ['rock', 'paper', 'scissors'].map((c) => sharedUrls('datasets', 'rps', c)),
  };
  for (const [name, classes] of Object.entries(sets)) {
    const urls = classes.flat();
    const labels = classes.flatMap((files, label) => files.map(() => label));
    await bench.evaluate(
      ({ name, urls, labels }) => (window as unknown as { kiln: Kiln }).kiln.bench.embedDataset(name, urls, labels, 4, 42),
      {
        name,
        urls,
        labels,
      },
    );
  }
  const rows: Record<string, string | number>[] = [];
  for (const [label, partial] of Object.entries(candidates)) {
    const settings = { ...TEACHABLE_MACHINE_SETTINGS, ...partial };
    const scores = { hymenoptera: [] as number[], rps: [] as number[], epochs: [] as number[], ms: [] as number[] };
    for (const seed of SEEDS) {
      const s = { ...settings, seed };
      const h = await bench.evaluate(
        (s) => (window as unknown as { kiln: Kiln }).kiln.bench.trainEvaluate('hymenoptera-train', 'hymenoptera-val', s),
        s,
      );
      const r = await bench.evaluate(
        (s) => (window as unknown as { kiln: Kiln }).kiln.bench.trainEvaluate('rps', { fraction: 0.4 }, s),
        s,
      );
      scores.hymenoptera.push(h.accuracy);
      scores.rps.push(r.accuracy);
      scores.epochs.push(h.epochs);
      scores.ms.push(h.ms);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
    rows.push({
      settings: label,
      'hymenoptera val %': `${(100 * mean(scores.hymenoptera)).toFixed(1)} ± ${(100 * sd(scores.hymenoptera)).toFixed(1)}`,
      'rps 40% test %': `${(100 * mean(scores.rps)).toFixed(1)} ± ${(100 * sd(scores.rps)).toFixed(1)}`,
      'epochs run': Math.round(mean(scores.epochs)),
      'train ms (hymenoptera)': Math.round(mean(scores.ms)),
    });
    console.log(table(rows.slice(-1)));
  }
  console.log(`\nDefault settings study (WASM, ${SEEDS.length} seeds, mean ± sd)\n${table(rows)}`);
  console.log(`written to ${saveResults('defaults', { seeds: SEEDS, rows })}`);
});
