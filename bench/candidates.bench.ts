/**
 * Candidates for Kiln's defaults that bench:quality cannot try through the app because the app does not have
 * them (yet): test-time averaging of fixed views (mirrored, the centre 80 %) and ensembles of several seeds'
 * heads; with the stopping and refit rules beside them. On cached embeddings (bench worker, MobileNetV2 0.35,
 * WASM), on the quality study's sets and splits, five seeds. `npm run bench:candidates`; the results go to
 * bench/results/candidates.json and docs/TRAINING.md. A candidate is worth building only if it helps on more
 * than one set.
 */
import { DEFAULT_SETTINGS, type TrainingSettings } from '../src/api/settings';
import { evaluate } from '../src/ml/evaluation';
import { fitTemperature, withTemperature } from '../src/ml/temperature';
import { saveResults, table, test } from './harness';
import { SETS } from './quality-sets';

type Kiln = { bench: import('comlink').Remote<import('./bench.worker').BenchApi> };
type Prediction = Awaited<ReturnType<import('./bench.worker').BenchApi['trainPredict']>>;
const SEEDS = [1, 2, 3, 4, 5];
/** CANDIDATES_BACKBONE=v3 measures on MobileNetV3-Small's features, =1.00 on MobileNetV2 1.00's. */
const BACKBONE = {
  v3: { folder: 'mobilenet-v3-small-1.0-224-no-top', id: 'mobilenet-v3-small-1.0-224' },
  '1.00': { folder: 'mobilenet-v2-1.00-224-no-top', id: 'mobilenet-v2-1.00-224' },
}[process.env.CANDIDATES_BACKBONE ?? ''] ?? { folder: 'mobilenet-v2-0.35-224-no-top', id: 'mobilenet-v2-0.35-224' };
const RESULTS = process.env.CANDIDATES_BACKBONE ? `-${process.env.CANDIDATES_BACKBONE}` : '';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const pm = (v: number[]) => `${(100 * mean(v)).toFixed(1)} ± ${(100 * sd(v)).toFixed(1)}`;

/** The mean of several probability tables of the same photos. */
const average = (tables: number[][]) => tables[0]!.map((_, i) => mean(tables.map((t) => t[i]!)));

function score(labels: number[], probabilities: number[], numClasses: number) {
  const e = evaluate(labels, probabilities, numClasses);
  return { accuracy: e.accuracy ?? 0, f1: e.macro.f1, ece: e.ece ?? 0 };
}

test('candidates for the defaults: test-time averaging, ensembles, stopping and refit rules', async ({ bench }) => {
  test.setTimeout(4 * 60 * 60 * 1000);
  await bench.evaluate(async ({ folder, id }) => {
    const { bench: b } = (window as unknown as { kiln: Kiln }).kiln;
    await b.setBackend('wasm');
    await b.loadBackbone(`/shared/models/${folder}/model.json`, id);
  }, BACKBONE);
  const rows: Record<string, string | number>[] = [];
  const only = process.env.CANDIDATES_SETS?.split(';');
  for (const set of SETS.filter((s) => !only || only.includes(s.name))) {
    const numClasses = set.classes.length;
    for (const part of ['train', 'test'] as const) {
      const urls = set.classes.flatMap((c) => c[part]);
      const labels = set.classes.flatMap((c, k) => c[part].map(() => k));
      await bench.evaluate(
        ({ name, urls, labels, views, testViews }) =>
          (window as unknown as { kiln: Kiln }).kiln.bench.embedDataset(name, urls, labels, views, 42, testViews),
        { name: `${set.name}:${part}`, urls, labels, views: 2, testViews: part === 'test' },
      );
    }
    const runs = async (settings: Partial<TrainingSettings>, rule: 'raw' | 'smoothed') => {
      const out: Prediction[] = [];
      for (const seed of SEEDS) {
        out.push(
          await bench.evaluate(
            ({ name, s, rule }) =>
              (window as unknown as { kiln: Kiln }).kiln.bench.trainPredict(`${name}:train`, `${name}:test`, s, rule),
            { name: set.name, s: { ...DEFAULT_SETTINGS, ...settings, seed }, rule },
          ),
        );
      }
      return out;
    };
    const add = (
      method: string,
      scores: { accuracy: number; f1: number; ece: number }[],
      extra: Partial<Record<string, string>> = {},
    ) => {
      const row = {
        set: set.name,
        method,
        'accuracy %': pm(scores.map((s) => s.accuracy)),
        'macro F1 %': pm(scores.map((s) => s.f1)),
        'ECE %': pm(scores.map((s) => s.ece)),
        ...extra,
      };
      rows.push(row);
      console.log(table([row]));
    };
    // Head training on cached embeddings, both trainings when there are two: what "at most 2× today's" is about.
    const epochs = (r: Prediction[]) => ({
      'epochs kept': mean(r.map((p) => p.finalEpoch)).toFixed(1),
      'train ms': mean(r.map((p) => p.ms)).toFixed(0),
    });

    // Temperature scaling fitted on the first training's held-back answers, as the app does (src/ml/temperature.ts).
    const calibrated = (p: Prediction) => {
      const t = p.validation ? fitTemperature(p.validation.probabilities, p.validation.labels, numClasses) : 1;
      return score(p.labels, Array.from(withTemperature(p.plain, numClasses, t)), numClasses);
    };
    const quick = Boolean(process.env.CANDIDATES_QUICK);
    const before = await runs({ refitOnAll: false }, 'raw');
    add(
      'before: raw stopping, no refit',
      before.map((p) => score(p.labels, p.plain, numClasses)),
      epochs(before),
    );
    if (!quick) {
      const smoothedOnly = await runs({ refitOnAll: false }, 'smoothed');
      add(
        'smoothed stopping, no refit',
        smoothedOnly.map((p) => score(p.labels, p.plain, numClasses)),
        epochs(smoothedOnly),
      );
    }
    const oneHead = await runs({ averagedHeads: 1 }, 'smoothed');
    add(
      'smoothed + refit, one training on all photos',
      oneHead.map((p) => score(p.labels, p.plain, numClasses)),
      epochs(oneHead),
    );
    add('the same, calibrated', oneHead.map(calibrated));
    const defaults = await runs({}, 'smoothed');
    add(
      'defaults: smoothed + refit, 3 trainings averaged',
      defaults.map((p) => score(p.labels, p.plain, numClasses)),
      epochs(defaults),
    );
    add('defaults, calibrated (temperature from held-back photos)', defaults.map(calibrated));
    if (quick) {
      saveResults(`candidates-quick${RESULTS}`, { backbone: BACKBONE.id, seeds: SEEDS, rows });
      continue;
    }
    add(
      'defaults + mirrored view averaged',
      defaults.map((p) => score(p.labels, average([p.plain, p.views[0]!]), numClasses)),
    );
    add(
      'defaults + mirrored and centre-crop views averaged',
      defaults.map((p) => score(p.labels, average([p.plain, ...p.views]), numClasses)),
    );
    // Ensembles of three seeds' whole trainings, five different triples: {1,2,3}, {2,3,4}, … {5,1,2}.
    add(
      'one training on all photos, 3 seeds averaged',
      SEEDS.map((_, i) => {
        const three = [0, 1, 2].map((j) => oneHead[(i + j) % SEEDS.length]!);
        return score(three[0]!.labels, average(three.map((p) => p.plain)), numClasses);
      }),
    );
    const noSmoothing = await runs({ labelSmoothing: 0 }, 'smoothed');
    add(
      'defaults, no label smoothing',
      noSmoothing.map((p) => score(p.labels, p.plain, numClasses)),
      epochs(noSmoothing),
    );
    const dropout = await runs({ dropout: 0.5 }, 'smoothed');
    add(
      'defaults, dropout 0.5',
      dropout.map((p) => score(p.labels, p.plain, numClasses)),
      epochs(dropout),
    );
    saveResults(`candidates${RESULTS}`, { backbone: BACKBONE.id, seeds: SEEDS, rows });
  }
  console.log(`\nCandidates (WASM, ${BACKBONE.id}, seeds ${SEEDS.join(', ')}, mean ± sd)\n${table(rows)}`);
});
