/**
 * The quality study (`npm run bench:quality`): how good a classifier Kiln makes from real photos, measured on
 * photos it never trained or validated on, beside Teachable Machine's own library on the same split.
 *
 * Kiln is driven through the studio's own worker and client (bench/quality-page.ts): photos are imported into
 * a project, the test photos marked "test only", trained with each method's settings and scored by the app's
 * own test-only score. Teachable Machine is @teachablemachine/image 0.8.5 (its TensorFlow.js 1.3.1) in a page
 * of its own: each photo embedded once by its own code, then its own `train` per seed (`setSeed`).
 *
 * Sets (../shared/datasets), each split once with a fixed seed that no method sees: hymenoptera (its own
 * train/val folders), caltech-confusables 60/40, and few-photo versions (10 a class) of caltech-confusables
 * and rock-paper-scissors. Five training seeds per method. Results are merged into
 * bench/results/quality.json as each row finishes; QUALITY_SETS / QUALITY_METHODS (names separated by ;)
 * run a part. No test split is ever used to choose anything inside a training.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { TrainingSettings } from '../src/api/settings';
import { RAW_STOPPING, type StoppingRule } from '../src/ml/early-stopping';
import { evaluate } from '../src/ml/evaluation';
import type { Method, Score, SetClass } from './quality-page';
import { SETS, SPLIT_SEED, type SetDef } from './quality-sets';
import { teachableMachinePage } from './teachable-machine-page';
import { ROOT, SHARED, saveResults, table, test } from './harness';

const SEEDS = [1, 2, 3, 4, 5];
const V2_035 = 'mobilenet-v2-0.35-224';
const V2_100 = 'mobilenet-v2-1.00-224';
const V3_SMALL = 'mobilenet-v3-small-1.0-224';

interface KilnMethod extends Method {
  /** The early-stopping rule, when not Kiln's own (to measure what it changed). */
  rule?: StoppingRule;
}
const kiln = (settings: Partial<TrainingSettings>, extra: Partial<KilnMethod> = {}): KilnMethod => ({
  base: 'kiln',
  settings,
  backboneId: V2_035,
  ...extra,
});
const METHODS: Record<string, KilnMethod | 'teachable-machine-library'> = {
  'Teachable Machine library': 'teachable-machine-library',
  'Kiln, Teachable Machine’s settings': { base: 'teachable-machine', settings: {}, backboneId: V2_035 },
  'Kiln before (raw early stopping, no refit)': kiln({ refitOnAll: false }, { rule: RAW_STOPPING }),
  'smoothed early stopping, no refit': kiln({ refitOnAll: false }),
  'raw early stopping + refit on all': kiln({}, { rule: RAW_STOPPING }),
  // Measured as the defaults until 2026-12-07, when averaging three trainings on all photos became the default.
  'Kiln defaults (smoothed + refit on all)': kiln({ averagedHeads: 1 }),
  'Kiln defaults (3 trainings averaged)': kiln({}),
  'defaults, no label smoothing': kiln({ labelSmoothing: 0 }),
  'defaults + 4 augmented copies': kiln({ augmentation: { ...defaultsAugmentation(), views: 4 } }),
  'MobileNetV3-Small, defaults': kiln({}, { backboneId: V3_SMALL }),
  'MobileNetV3-Small + 4 copies': kiln({ augmentation: { ...defaultsAugmentation(), views: 4 } }, { backboneId: V3_SMALL }),
  'MobileNetV2 1.00, defaults': kiln({}, { backboneId: V2_100 }),
  'MobileNetV2 1.00 + 4 copies': kiln({ augmentation: { ...defaultsAugmentation(), views: 4 } }, { backboneId: V2_100 }),
  // Fine-tuning is slow on 2 cores: run it on its own with QUALITY_METHODS.
  'fine-tune last block (K = 1)': kiln({ fineTuneBlocks: 1 }),
  'fine-tune last 2 blocks (K = 2)': kiln({ fineTuneBlocks: 2 }),
  'MobileNetV3-Small, fine-tune last block (K = 1)': kiln({ fineTuneBlocks: 1 }, { backboneId: V3_SMALL }),
};
const SLOW = new Set([
  'fine-tune last block (K = 1)',
  'fine-tune last 2 blocks (K = 2)',
  'MobileNetV3-Small, fine-tune last block (K = 1)',
]);

function defaultsAugmentation(): TrainingSettings['augmentation'] {
  return { views: 2, flip: true, rotate: true, crop: true, brightness: true, contrast: true, saturation: true };
}

const only = (variable: string) => process.env[variable]?.split(';').map((s) => s.trim()) ?? null;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const pm = (v: number[], scale = 100, digits = 1) => `${(scale * mean(v)).toFixed(digits)} ± ${(scale * sd(v)).toFixed(digits)}`;

/** Serves the public bucket's MobileNetV2 no_top models from ../shared, as a device with internet would get them. */
async function publicBucketFromShared(context: BrowserContext): Promise<void> {
  const folders: Record<string, string> = { '0.35': 'mobilenet-v2-0.35-224-no-top', '1.00': 'mobilenet-v2-1.00-224-no-top' };
  await context.route('https://storage.googleapis.com/teachable-machine-models/**', (route) => {
    const match = /kernels_(\d\.\d\d)_224_no_top\/(.+)$/.exec(new URL(route.request().url()).pathname);
    const folder = match && folders[match[1]!];
    const file = folder && path.join(SHARED, 'models', folder, match[2]!);
    if (!file || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ body: readFileSync(file), headers: { 'access-control-allow-origin': '*' } });
  });
}

type QualityPage = {
  quality: {
    prepareSet(backend: string, name: string, classes: SetClass[]): Promise<{ projectId: string; refused: number }>;
    trainAndScore(projectId: string, method: Method, seed: number): Promise<Score>;
  };
};

async function setStoppingRule(page: Page, rule: StoppingRule | null): Promise<void> {
  const worker = page.workers().find((w) => w.url().includes('studio'));
  if (!worker) throw new Error('the studio worker is not running');
  await worker.evaluate(
    (r) =>
      (self as unknown as { kilnDiagnostics: { overrideStoppingRule(r: unknown): void } }).kilnDiagnostics.overrideStoppingRule(
        r,
      ),
    rule,
  );
}

/** Teachable Machine's library on the same split: its embeddings once, then its own training per seed. */
async function teachableMachineLibrary(browser: Browser, set: SetDef): Promise<Score[]> {
  const { context, page } = await teachableMachinePage(browser);
  const labels = set.classes.map((c) => c.name);
  const runs = await page.evaluate(
    async ({ classes, labels, seeds }) => {
      type Teachable = {
        examples: Float32Array[][];
        totalSamples: number;
        trainingModel: { predict(x: unknown): { data(): Promise<Float32Array>; dispose(): void } };
        setLabels(l: string[]): void;
        setSeed(s: string): void;
        addExample(k: number, c: HTMLCanvasElement): Promise<void>;
        train(p: object): Promise<unknown>;
        dispose(): void;
      };
      const w = window as unknown as {
        tf: { version: { tfjs: string }; tensor2d(v: Float32Array, s: number[]): { dispose(): void } };
        tmImage: { createTeachable(m: object, o: object): Promise<Teachable> };
      };
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const load = (src: string) =>
        new Promise<HTMLImageElement | null>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = () => resolve(null); // a file the browser cannot decode: Teachable Machine skips it too
          img.src = src;
        });
      // As the Teachable Machine app does: the centred square drawn on a 224 canvas.
      const draw = (img: HTMLImageElement) => {
        const side = Math.min(img.naturalWidth, img.naturalHeight);
        ctx.drawImage(img, (img.naturalWidth - side) / 2, (img.naturalHeight - side) / 2, side, side, 0, 0, 224, 224);
        return canvas;
      };
      const make = () =>
        w.tmImage.createTeachable(
          { tfjsVersion: w.tf.version.tfjs, modelName: 'quality', labels, imageSize: 224 },
          {
            version: 2,
            alpha: 0.35,
            checkpointUrl: '/shared/models/mobilenet-v2-0.35-224-no-top/model.json',
            trainingLayer: 'out_relu',
          },
        );
      // Its own code embeds every photo once: the training photos in one model, the test photos in another.
      const embedder = await make();
      const tester = await make();
      embedder.setLabels(labels);
      tester.setLabels(labels);
      for (const [k, c] of classes.entries()) {
        for (const src of c.train) {
          const img = await load(src);
          if (img) await embedder.addExample(k, draw(img));
        }
        for (const src of c.test) {
          const img = await load(src);
          if (img) await tester.addExample(k, draw(img));
        }
      }
      const testRows = tester.examples.flatMap((rows, k) => rows.map((row) => ({ row, k })));
      const values = new Float32Array(testRows.length * testRows[0]!.row.length);
      testRows.forEach((r, i) => values.set(r.row, i * r.row.length));
      const out: { truth: number[]; probabilities: number[]; seconds: number }[] = [];
      for (const seed of seeds) {
        const model = await make();
        model.setLabels(labels);
        model.examples = embedder.examples.map((rows) => rows.slice());
        model.totalSamples = embedder.totalSamples;
        model.setSeed(String(seed));
        const started = performance.now();
        await model.train({ denseUnits: 100, epochs: 50, learningRate: 0.001, batchSize: 16 });
        const seconds = (performance.now() - started) / 1000;
        const x = w.tf.tensor2d(values, [testRows.length, testRows[0]!.row.length]);
        const p = model.trainingModel.predict(x);
        const probabilities = Array.from(await p.data());
        p.dispose();
        x.dispose();
        out.push({ truth: testRows.map((r) => r.k), probabilities, seconds });
        model.dispose();
      }
      return out;
    },
    { classes: set.classes, labels, seeds: SEEDS },
  );
  await context.close();
  return runs.map((r) => {
    const scored = evaluate(r.truth, r.probabilities, labels.length);
    return {
      accuracy: scored.accuracy ?? 0,
      macroF1: scored.macro.f1,
      ece: scored.ece ?? 0,
      testCount: r.truth.length,
      epochs: 50,
      finalEpoch: 50,
      refitEpochs: 0,
      seconds: r.seconds,
    };
  });
}

type Row = Record<string, string | number>;

function rowOf(set: SetDef, method: string, scores: Score[]): Row {
  return {
    set: set.name,
    method,
    'accuracy %': pm(scores.map((s) => s.accuracy)),
    'macro F1 %': pm(scores.map((s) => s.macroF1)),
    'ECE %': pm(scores.map((s) => s.ece)),
    'epochs kept': pm(
      scores.map((s) => s.finalEpoch),
      1,
      1,
    ),
    'refit epochs': mean(scores.map((s) => s.refitEpochs)).toFixed(1),
    'train s': mean(scores.map((s) => s.seconds)).toFixed(1),
    'test photos': scores[0]!.testCount,
  };
}

test('quality study: Kiln’s methods beside Teachable Machine’s library on held-out photos', async ({
  bench,
  browser,
  context,
}) => {
  const sets = SETS.filter((s) => !only('QUALITY_SETS') || only('QUALITY_SETS')!.includes(s.name));
  const methods = Object.entries(METHODS).filter(([name]) =>
    only('QUALITY_METHODS') ? only('QUALITY_METHODS')!.includes(name) : !SLOW.has(name),
  );
  await publicBucketFromShared(context);
  // QUALITY_RESULTS names another results file, so a slow part (fine-tuning) can run beside the rest.
  const results = process.env.QUALITY_RESULTS ?? 'quality';
  const file = path.join(ROOT, 'bench', 'results', `${results}.json`);
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[]; raw: Record<string, Score[]> })
    : null;
  const rows: Row[] = previous?.rows ?? [];
  const raw: Record<string, Score[]> = previous?.raw ?? {};
  const save = (set: SetDef, method: string, scores: Score[]) => {
    raw[`${set.name} · ${method}`] = scores;
    const row = rowOf(set, method, scores);
    const at = rows.findIndex((r) => r.set === set.name && r.method === method);
    if (at >= 0) rows[at] = row;
    else rows.push(row);
    saveResults(results, { seeds: SEEDS, splitSeed: SPLIT_SEED, backend: 'wasm', rows, raw });
    console.log(table([row]));
  };

  for (const set of sets) {
    const prepared = await bench.evaluate(
      ({ name, classes }) => (window as unknown as QualityPage).quality.prepareSet('wasm', name, classes),
      { name: set.name, classes: set.classes },
    );
    console.log(`${set.name}: project ready (${prepared.refused} files refused)`);
    for (const [name, method] of methods) {
      // QUALITY_SKIP_DONE=1 continues an interrupted study: rows already in quality.json stay as they are.
      if (process.env.QUALITY_SKIP_DONE && rows.some((r) => r.set === set.name && r.method === name)) continue;
      if (method === 'teachable-machine-library') {
        save(set, name, await teachableMachineLibrary(browser, set));
        continue;
      }
      await setStoppingRule(bench, method.rule ?? null);
      const scores: Score[] = [];
      for (const seed of SEEDS) {
        scores.push(
          await bench.evaluate(
            ({ projectId, method, seed }) => (window as unknown as QualityPage).quality.trainAndScore(projectId, method, seed),
            {
              projectId: prepared.projectId,
              method: { base: method.base, settings: method.settings, backboneId: method.backboneId },
              seed,
            },
          ),
        );
      }
      save(set, name, scores);
    }
  }
  console.log(`\nQuality study (WASM, seeds ${SEEDS.join(', ')}, mean ± sd)\n${table(rows)}`);
});
