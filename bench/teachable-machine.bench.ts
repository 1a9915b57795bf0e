/**
 * Kiln against Teachable Machine's own library (@teachablemachine/image 0.8.5 on its TensorFlow.js
 * 1.3.1, a test-only dependency), same machine, same run, same photos, same base weights, same epochs:
 * wall time from "train" to a ready model and accuracy on held-out photos, for a first training of a
 * 500-photo rock-paper-scissors project and for training again after adding 10 photos. While Kiln
 * trains, the page's long tasks are recorded; afterwards 5 more train-and-predict cycles check memory.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startStaticServer } from '../e2e/static-server';
import { addClass, addImages, createProject, openSettings, predictInPreview } from '../e2e/helpers';
import { ROOT, SHARED, saveResults, table, test } from './harness';
import { teachableMachinePage } from './teachable-machine-page';

const CLASSES = ['rock', 'paper', 'scissors'] as const;
const files = (cls: string) =>
  readdirSync(path.join(SHARED, 'datasets', 'rps', cls))
    .sort()
    .map((name) => path.join(SHARED, 'datasets', 'rps', cls, name));
/** 500 training photos (167 + 167 + 166), 10 added later, and the rest held out for accuracy. */
const split = Object.fromEntries(
  CLASSES.map((cls, k) => {
    const all = files(cls);
    const first = k === 2 ? 166 : 167;
    return [
      cls,
      { train: all.slice(0, first), added: all.slice(first, first + (k === 0 ? 4 : 3)), heldOut: all.slice(first + 4) },
    ];
  }),
) as Record<(typeof CLASSES)[number], { train: string[]; added: string[]; heldOut: string[] }>;
const heldOut = CLASSES.flatMap((cls) => split[cls].heldOut.map((file) => ({ file, cls })));

async function kilnTrain(page: Page): Promise<{ seconds: number; longest: number; over50: number }> {
  // Found before the observer starts: Playwright's own role query walks the page's accessibility tree,
  // which on a page full of predictions is itself a long task, and not Kiln's.
  const train = (await page.getByRole('button', { name: 'Train', exact: true }).elementHandle())!;
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; longTaskObserver?: PerformanceObserver };
    // One observer at a time: a second one would count every long task twice.
    w.longTaskObserver?.disconnect();
    w.longTasks = [];
    w.longTaskObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration)));
    w.longTaskObserver.observe({ type: 'longtask' });
  });
  const started = Date.now();
  await train.click();
  // Train is disabled while a training runs (set as the click is handled), enabled again at its end.
  await page.waitForFunction(
    () => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Train');
      return button !== undefined && !(button as HTMLButtonElement).disabled;
    },
    undefined,
    { timeout: 3_600_000, polling: 50 },
  );
  const seconds = (Date.now() - started) / 1000;
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  return { seconds, longest: Math.max(0, ...tasks), over50: tasks.filter((d) => d > 50).length };
}

async function kilnAccuracy(page: Page): Promise<number> {
  const predicted = await predictInPreview(
    page,
    heldOut.map((h) => h.file),
  );
  return heldOut.filter((h) => predicted.get(path.basename(h.file)) === h.cls).length / heldOut.length;
}

async function workerMemory(page: Page): Promise<{ numTensors: number; numBytes: number; jsHeapBytes: number | null }> {
  const worker = page.workers().find((w) => w.url().includes('studio'))!;
  return worker.evaluate(() => (self as unknown as { kilnDiagnostics: { memory(): never } }).kilnDiagnostics.memory());
}

test('Kiln against Teachable Machine’s library: first training and training again', async ({ browser }) => {
  const rows: Record<string, string | number>[] = [];
  const extra: Record<string, unknown> = {};

  // Kiln: the studio itself, driven as a person would, with Teachable Machine's settings.
  const server = await startStaticServer(path.join(ROOT, 'dist'));
  const context = await browser.newContext({ baseURL: server.url, permissions: ['camera'] });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByText(/^Backend: (WebGPU|WebGL|WASM|CPU)/).waitFor({ timeout: 120_000 });
  const backend = await page.getByText(/^Backend: /).innerText();
  await createProject(page, 'Bench');
  for (const cls of CLASSES) await addClass(page, cls);
  for (const cls of CLASSES) await addImages(page, cls, split[cls].train);
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  await openSettings(page, false);
  await page.getByRole('button', { name: 'Teachable Machine’s settings' }).click();
  const first = await kilnTrain(page);
  const firstAccuracy = await kilnAccuracy(page);
  await page.getByRole('link', { name: '1. Classes and photos' }).click();
  for (const cls of CLASSES) await addImages(page, cls, split[cls].added);
  await page.getByRole('link', { name: '2. Train and preview' }).click();
  const again = await kilnTrain(page);
  const againAccuracy = await kilnAccuracy(page);

  // Memory: five more train-and-predict cycles must not grow the worker's tensors or heap.
  const before = await workerMemory(page);
  for (let i = 0; i < 5; i++) {
    await kilnTrain(page);
    await predictInPreview(
      page,
      heldOut.slice(0, 4).map((h) => h.file),
    );
  }
  const after = await workerMemory(page);
  extra.memory = { before, after };
  extra.longTasks = { first, again };
  await context.close();
  await server.close();

  // Teachable Machine's library, in a page of its own, on the same photos and base weights.
  const { context: tmContext, page: tm } = await teachableMachinePage(browser);
  const url = (file: string) => `/shared/${path.relative(SHARED, file).split(path.sep).map(encodeURIComponent).join('/')}`;
  const result = await tm.evaluate(
    async ({ train, added, held, labels }) => {
      type Img = HTMLImageElement;
      const w = window as unknown as {
        tf: { getBackend(): string; version: { tfjs: string } };
        tmImage: {
          createTeachable(
            m: object,
            o: object,
          ): Promise<{
            setLabels(l: string[]): void;
            addExample(k: number, c: HTMLCanvasElement): Promise<void>;
            train(p: object): Promise<unknown>;
            predict(c: HTMLCanvasElement): Promise<{ className: string; probability: number }[]>;
          }>;
        };
      };
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d')!;
      const load = (src: string) =>
        new Promise<Img>((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve(img);
          img.onerror = reject;
          img.src = src;
        });
      // As the Teachable Machine app does: the centred square drawn on a 224 canvas.
      const draw = (img: Img) => {
        const side = Math.min(img.naturalWidth, img.naturalHeight);
        ctx.drawImage(img, (img.naturalWidth - side) / 2, (img.naturalHeight - side) / 2, side, side, 0, 0, 224, 224);
        return canvas;
      };
      const images = new Map<string, Img>();
      for (const src of [...train.map((t) => t.src), ...added.map((t) => t.src), ...held.map((h) => h.src)])
        images.set(src, await load(src));
      const session = async (photos: { src: string; k: number }[]) => {
        const model = await w.tmImage.createTeachable(
          { tfjsVersion: w.tf.version.tfjs, modelName: 'bench', labels, imageSize: 224 },
          {
            version: 2,
            alpha: 0.35,
            checkpointUrl: '/shared/models/mobilenet-v2-0.35-224-no-top/model.json',
            trainingLayer: 'out_relu',
          },
        );
        model.setLabels(labels);
        // "Train" in Teachable Machine: every photo through the base, then 50 epochs of the head.
        const started = performance.now();
        for (const p of photos) await model.addExample(p.k, draw(images.get(p.src)!));
        await model.train({ denseUnits: 100, epochs: 50, learningRate: 0.001, batchSize: 16 });
        const seconds = (performance.now() - started) / 1000;
        let right = 0;
        for (const h of held) {
          const p = await model.predict(draw(images.get(h.src)!));
          const best = p.reduce((a, b) => (b.probability > a.probability ? b : a));
          if (best.className === labels[h.k]) right++;
        }
        return { seconds, accuracy: right / held.length };
      };
      const firstRun = await session(train);
      const againRun = await session([...train, ...added]);
      return { backend: w.tf.getBackend(), first: firstRun, again: againRun };
    },
    {
      train: CLASSES.flatMap((cls, k) => split[cls].train.map((f) => ({ src: url(f), k }))),
      added: CLASSES.flatMap((cls, k) => split[cls].added.map((f) => ({ src: url(f), k }))),
      held: heldOut.map((h) => ({ src: url(h.file), k: CLASSES.indexOf(h.cls as (typeof CLASSES)[number]) })),
      labels: [...CLASSES],
    },
  );
  await tmContext.close();

  rows.push(
    {
      training: 'first (500 photos)',
      'Kiln s': first.seconds,
      'TM library s': result.first.seconds,
      'Kiln / TM': first.seconds / result.first.seconds,
      'Kiln acc': firstAccuracy,
      'TM acc': result.first.accuracy,
    },
    {
      training: 'again (+10 photos)',
      'Kiln s': again.seconds,
      'TM library s': result.again.seconds,
      'Kiln / TM': again.seconds / result.again.seconds,
      'Kiln acc': againAccuracy,
      'TM acc': result.again.accuracy,
    },
  );
  console.log(`Kiln: ${backend}; Teachable Machine's library: tfjs 1.3.1 on ${result.backend}`);
  console.log(table(rows));
  console.log(
    table([
      { while: 'first training', 'longest task ms': first.longest, 'tasks > 50 ms': first.over50 },
      { while: 'training again', 'longest task ms': again.longest, 'tasks > 50 ms': again.over50 },
    ]),
  );
  console.log(
    table([
      {
        when: 'before 5 cycles',
        tensors: before.numTensors,
        'tensor MB': before.numBytes / 1e6,
        'worker heap MB': (before.jsHeapBytes ?? 0) / 1e6,
      },
      {
        when: 'after 5 cycles',
        tensors: after.numTensors,
        'tensor MB': after.numBytes / 1e6,
        'worker heap MB': (after.jsHeapBytes ?? 0) / 1e6,
      },
    ]),
  );
  console.log(saveResults('teachable-machine', { kilnBackend: backend, tmBackend: result.backend, rows, ...extra }));
});
