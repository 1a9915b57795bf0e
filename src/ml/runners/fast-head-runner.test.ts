import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEACHABLE_MACHINE_SETTINGS, type OptimizerName, type TrainingSettings } from '../../api/settings';
import { createHead } from '../head';
import { seededRandom } from '../random';
import { AutodiffRunner } from './autodiff-runner';
import { FastHeadRunner } from './fast-head-runner';
import type { EpochRunner, RunnerContext } from './runner';

const FEATURES = 24;
const require = createRequire(import.meta.url);

function context(settings: TrainingSettings): RunnerContext {
  const random = seededRandom(11);
  const n = 40;
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const values = Float32Array.from({ length: n * FEATURES }, (_, i) =>
    (i % FEATURES) % 3 === labels[Math.floor(i / FEATURES)]! ? 1 + random() : random(),
  );
  return {
    parts: { head: createHead(FEATURES, 3, settings), suffix: null, suffixVariables: [] },
    numClasses: 3,
    settings,
    train: { values, rowShape: [FEATURES], labels },
    classWeights: [1, 2, 0.5],
  };
}

/** Two epochs with one runner; returns its weights and optimizer slots. */
async function twoEpochs(make: (ctx: RunnerContext) => Promise<EpochRunner>, settings: TrainingSettings) {
  const ctx = context(settings);
  const runner = await make(ctx);
  const order = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
  await runner.runEpoch(1, order, undefined);
  await runner.runEpoch(2, order.slice().reverse(), undefined);
  const weights = await runner.readWeights();
  runner.dispose();
  ctx.parts.head.dispose();
  return weights;
}

async function compare(optimizer: OptimizerName): Promise<void> {
  const settings: TrainingSettings = {
    ...TEACHABLE_MACHINE_SETTINGS,
    hiddenUnits: 8,
    batchSize: 16,
    optimizer,
    learningRate: 0.01,
    l2: 0.01,
    labelSmoothing: 0.1,
    dropout: 0.3,
  };
  const reference = await twoEpochs(async (ctx) => new AutodiffRunner(ctx), settings);
  const fast = await twoEpochs((ctx) => FastHeadRunner.create(ctx), settings);
  reference.forEach((values, i) =>
    values.forEach((v, j) => expect(fast[i]![j], `${optimizer} weight ${i}[${j}]`).toBeCloseTo(v, 4)),
  );
}

describe('the hand-written head step', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`matches tfjs autodiff and optimizers on ${backend} (Adam, momentum, RMSprop; dropout, smoothing, L2, class weights)`, async () => {
      if (backend === 'wasm') {
        setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
      }
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) await compare(optimizer);
      expect(tf.memory().numTensors).toBe(before);
      // Raw kernel outputs live outside the engine's count: their memory must come back too.
      expect(tf.memory().numBytes).toBe(bytes);
      await tf.setBackend('cpu');
    });
  }

  it('checkpointed optimizer slots resume to the same weights', async () => {
    const settings = { ...TEACHABLE_MACHINE_SETTINGS, hiddenUnits: 8 };
    const order = Int32Array.from({ length: 40 }, (_, i) => i);
    const straight = context(settings);
    const a = await FastHeadRunner.create(straight);
    await a.runEpoch(1, order, undefined);
    const slots = await a.slots();
    const weights = await a.readWeights();
    await a.runEpoch(2, order, undefined);
    const expected = await a.readWeights();
    a.dispose();
    const resumed = context(settings);
    const b = await FastHeadRunner.create(resumed);
    await b.writeWeights(weights);
    await b.restoreSlots(slots);
    await b.runEpoch(2, order, undefined);
    expect(await b.readWeights()).toEqual(expected);
    b.dispose();
    straight.parts.head.dispose();
    resumed.parts.head.dispose();
  });
});

describe('checkpoints move between runners', () => {
  it('a run checkpointed by the autodiff runner (a GPU backend) resumes on the fast one, and back', async () => {
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      const settings = { ...TEACHABLE_MACHINE_SETTINGS, hiddenUnits: 8, optimizer, learningRate: 0.01 };
      const order = Int32Array.from({ length: 40 }, (_, i) => i);
      const run = async (
        first: (c: RunnerContext) => Promise<EpochRunner>,
        second: (c: RunnerContext) => Promise<EpochRunner>,
      ) => {
        const a = context(settings);
        const one = await first(a);
        await one.runEpoch(1, order, undefined);
        const [weights, slots] = [await one.readWeights(), await one.slots()];
        one.dispose();
        a.parts.head.dispose();
        const b = context(settings);
        const two = await second(b);
        await two.writeWeights(weights);
        await two.restoreSlots(slots);
        await two.runEpoch(2, order, undefined);
        const out = await two.readWeights();
        two.dispose();
        b.parts.head.dispose();
        return out;
      };
      const autodiff = async (c: RunnerContext) => new AutodiffRunner(c);
      const fast = (c: RunnerContext) => FastHeadRunner.create(c);
      const reference = await run(autodiff, autodiff);
      for (const mixed of [await run(autodiff, fast), await run(fast, autodiff)]) {
        reference.forEach((values, i) => values.forEach((v, j) => expect(mixed[i]![j], optimizer).toBeCloseTo(v, 4)));
      }
    }
  });
});
