/**
 * The bench worker: times Kiln's parts on the same backends, with the same code as the studio worker.
 * Datasets are embedded once and kept here by name, so studies compare settings on identical features.
 */
import { expose } from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { augmentationFor, IDENTITY, type AugmentationParams } from '../src/ml/augment';
import { RAW_STOPPING, SMOOTHED_STOPPING } from '../src/ml/early-stopping';
import { refitPlan, refitSettings } from '../src/ml/refit';
import { mergeHeads } from '../src/ml/ensemble';
import { loadBackbone, type Backbone } from '../src/ml/backbone';
import { catalogueBackbone, DEFAULT_BACKBONE, MOBILENET_V3_SMALL } from '../src/ml/backbone-catalogue';
import { classWeights } from '../src/ml/class-weights';
import { createHead } from '../src/ml/head';
import { accuracy, argMaxRows } from '../src/ml/metrics';
import { fetchModel } from '../src/ml/model-artifacts';
import { batchInput } from '../src/ml/preprocess';
import { stratifiedSplit } from '../src/ml/split';
import { trainLoop, type TrainingRows } from '../src/ml/train-loop';
import { yieldToEventLoop } from '../src/ml/yield';
import type { TrainingSettings } from '../src/api/settings';
import { activateBackend, wasmDetail } from '../src/workers/backend-setup';
import { openKilnDB, type KilnDB } from '../src/storage/db';
import { ensureEmbeddings } from '../src/workers/embedder';
import { decodeImageFile, modelPixels } from '../src/workers/pixels';

interface Dataset {
  /** Per photo: the plain view, then `views` augmented ones; each `dim()` values. */
  vectors: Float32Array[][];
  labels: number[];
  /** Per photo, when asked for: fixed test-time views (mirrored; the centre 80 %; both). */
  testViews?: Float32Array[][];
}

/** Test-time augmentation candidates: fixed, not random, so every photo gets the same ones. */
const TEST_VIEWS: AugmentationParams[] = [
  { ...IDENTITY, flip: true },
  { ...IDENTITY, crop: { x: 0.1, y: 0.1, size: 0.8 } },
  { ...IDENTITY, flip: true, crop: { x: 0.1, y: 0.1, size: 0.8 } },
];

const datasets = new Map<string, Dataset>();
let backbone: Backbone | null = null;
let db: KilnDB | null = null;

/** Width of the loaded backbone's embedding (1280 for MobileNetV2, 1024 for MobileNetV3-Small). */
const dim = () => backbone?.spec.featureSize ?? 1280;

/** Rows for `photos`: each photo's plain view, plus its first `views` augmented copies. */
function rows(data: Dataset, photos: readonly number[], views = 0): TrainingRows {
  const picked = photos.flatMap((p) => data.vectors[p]!.slice(0, 1 + views).map((v) => ({ v, label: data.labels[p]! })));
  const values = new Float32Array(picked.length * dim());
  picked.forEach((row, i) => values.set(row.v, i * dim()));
  return { values, rowShape: [dim()], labels: picked.map((r) => r.label) };
}

const api = {
  async setBackend(name: 'webgpu' | 'webgl' | 'wasm' | 'cpu'): Promise<{ ok: boolean; detail: string }> {
    backbone?.dispose();
    backbone = null;
    const ok = await activateBackend(name);
    return { ok, detail: name === 'wasm' ? await wasmDetail() : name };
  },

  async loadBackbone(modelUrl: string, id?: string): Promise<void> {
    backbone?.dispose();
    const spec = id === MOBILENET_V3_SMALL.id ? MOBILENET_V3_SMALL : (id && catalogueBackbone(id)) || DEFAULT_BACKBONE;
    backbone = await loadBackbone(spec, await fetchModel(modelUrl));
  },

  /** Backbone images/s on tensors already on the backend (no decoding): the hardware's side of the ratio. */
  async rawThroughput(batch: number, seconds = 3): Promise<number> {
    const b = backbone!;
    const x = tf.randomUniform([batch, 224, 224, 3], -1, 1, 'float32', 1);
    const run = async () => {
      const y = tf.tidy(() => b.features(x as tf.Tensor4D));
      await y.data();
      y.dispose();
    };
    await run();
    let images = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      await run();
      images += batch;
    }
    x.dispose();
    return images / ((performance.now() - start) / 1000);
  },

  /**
   * Kiln's full path, the studio's own code (ensureEmbeddings): photo blob → decode → centre crop →
   * preprocess → embed → IndexedDB cache, in batches of `batch`. Images/s. Fresh hashes, so nothing is cached.
   */
  async fullPathThroughput(urls: string[], batch: number): Promise<number> {
    const b = backbone!;
    db ??= await openKilnDB();
    const blobs = await Promise.all(urls.map(async (u) => (await fetch(u)).blob()));
    const run = crypto.randomUUID();
    const items = blobs.map((image, i) => ({
      hash: `${run}-${i}`,
      image,
      view: 'center',
      augmentation: null,
      cropMode: 'center' as const,
    }));
    const start = performance.now();
    await ensureEmbeddings(db, b, items, {}, batch);
    return blobs.length / ((performance.now() - start) / 1000);
  },

  /** Embeds photos (and `views` augmented copies of each) once, kept under `name` for studies. */
  async embedDataset(
    name: string,
    urls: string[],
    labels: number[],
    views: number,
    seed: number,
    withTestViews = false,
  ): Promise<number> {
    const b = backbone!;
    const vectors: Float32Array[][] = [];
    const testViews: Float32Array[][] = [];
    for (const url of urls) {
      const file = new File([await (await fetch(url)).blob()], url.split('/').pop()!);
      const { bitmap, bytes } = await decodeImageFile(file);
      const hash = `${url}:${bytes.length}`;
      const pixels = [modelPixels(bitmap, 224)];
      for (let v = 1; v <= views; v++) {
        pixels.push(
          modelPixels(
            bitmap,
            224,
            augmentationFor(hash, v, seed, {
              views,
              flip: true,
              rotate: true,
              crop: true,
              brightness: true,
              contrast: true,
              saturation: true,
            }),
          ),
        );
      }
      const extra = withTestViews ? TEST_VIEWS.map((t) => modelPixels(bitmap, 224, t)) : [];
      bitmap.close();
      const all = [...pixels, ...extra];
      const features = await b.embed(batchInput(all, 224, b.spec.scaling), all.length);
      const rowsOf = all.map((_, i) => features.slice(i * dim(), (i + 1) * dim()));
      vectors.push(rowsOf.slice(0, pixels.length));
      if (withTestViews) testViews.push(rowsOf.slice(pixels.length));
    }
    datasets.set(name, { vectors, labels, ...(withTestViews ? { testViews } : {}) });
    return vectors.length;
  },

  /**
   * Trains as Kiln does (validation split for early stopping inside the training photos) and scores
   * on separate test photos. Returns test accuracy, epochs run and time.
   */
  async trainEvaluate(
    trainSet: string,
    testSet: string | { fraction: number },
    settings: TrainingSettings,
  ): Promise<{ accuracy: number; epochs: number; finalEpoch: number; ms: number }> {
    const data = datasets.get(trainSet)!;
    let trainPhotos = data.labels.map((_, i) => i);
    let test: TrainingRows;
    if (typeof testSet === 'string') {
      const other = datasets.get(testSet)!;
      test = rows(
        other,
        other.labels.map((_, i) => i),
      );
    } else {
      const split = stratifiedSplit(data.labels, testSet.fraction, settings.seed + 1000);
      trainPhotos = split.train;
      test = rows(data, split.validation);
    }
    const trainLabels = trainPhotos.map((i) => data.labels[i]!);
    const inner = stratifiedSplit(trainLabels, settings.validationFraction, settings.seed);
    const fit = inner.train.map((i) => trainPhotos[i]!);
    const held = inner.validation.map((i) => trainPhotos[i]!);
    const numClasses = Math.max(...data.labels) + 1;
    const head = createHead(dim(), numClasses, settings);
    const start = performance.now();
    const result = await trainLoop({
      parts: { head, suffix: null, suffixVariables: [] },
      numClasses,
      settings,
      train: rows(data, fit, settings.augmentation.views),
      validation: held.length ? rows(data, held) : null,
      classWeights: classWeights(
        fit.map((i) => data.labels[i]!),
        numClasses,
        settings.balance,
      ),
    });
    const ms = performance.now() - start;
    const p = tf.tidy(() => head.predict(tf.tensor2d(test.values, [test.labels.length, dim()])) as tf.Tensor);
    const predicted = argMaxRows((await p.data()) as Float32Array, numClasses);
    p.dispose();
    head.dispose();
    return {
      accuracy: accuracy(test.labels as number[], predicted),
      epochs: result.history.length,
      finalEpoch: result.finalEpoch,
      ms,
    };
  },

  /**
   * Candidate methods on cached embeddings: trains as Kiln does (split, early stopping with `rule`, and the
   * training on all photos when `refit`), and returns the test photos' class probabilities for the plain
   * view and each fixed test-time view, so the caller can score single heads, test-time averaging and
   * ensembles of several seeds' heads.
   */
  async trainPredict(
    trainSet: string,
    testSet: string,
    settings: TrainingSettings,
    rule: 'raw' | 'smoothed',
  ): Promise<{
    labels: number[];
    plain: number[];
    views: number[][];
    finalEpoch: number;
    ms: number;
    /** The first training's answers on its held-back photos, and their classes (for calibration). */
    validation: { labels: number[]; probabilities: number[] } | null;
  }> {
    const data = datasets.get(trainSet)!;
    const other = datasets.get(testSet)!;
    const all = data.labels.map((_, i) => i);
    const inner = stratifiedSplit(data.labels, settings.validationFraction, settings.seed);
    const numClasses = Math.max(...data.labels) + 1;
    const stopping = rule === 'raw' ? RAW_STOPPING : SMOOTHED_STOPPING;
    const start = performance.now();
    let head: tfl.LayersModel = createHead(dim(), numClasses, settings);
    const first = await trainLoop({
      parts: { head, suffix: null, suffixVariables: [] },
      numClasses,
      settings,
      train: rows(data, inner.train, settings.augmentation.views),
      validation: inner.validation.length ? rows(data, inner.validation) : null,
      classWeights: classWeights(
        inner.train.map((i) => data.labels[i]!),
        numClasses,
        settings.balance,
      ),
      stopping,
    });
    const plan = refitPlan(settings, first, inner.validation.length);
    if (plan) {
      head.dispose();
      // As the app does (src/workers/trainer.ts): `plan.heads` trainings on all photos, averaged into one head.
      const members: tfl.LayersModel[] = [];
      for (let member = 0; member < plan.heads; member++) {
        const memberSettings = refitSettings(settings, plan, member);
        const memberHead = createHead(dim(), numClasses, memberSettings);
        await trainLoop({
          parts: { head: memberHead, suffix: null, suffixVariables: [] },
          numClasses,
          settings: memberSettings,
          train: rows(data, all, settings.augmentation.views),
          validation: null,
          classWeights: classWeights(data.labels, numClasses, settings.balance),
        });
        members.push(memberHead);
      }
      head = members.length === 1 ? members[0]! : mergeHeads(members);
      if (members.length > 1) members.forEach((m) => m.dispose());
    }
    const ms = performance.now() - start;
    const predict = async (vectors: Float32Array[]) => {
      const values = new Float32Array(vectors.length * dim());
      vectors.forEach((v, i) => values.set(v, i * dim()));
      const p = tf.tidy(() => head.predict(tf.tensor2d(values, [vectors.length, dim()])) as tf.Tensor);
      const out = Array.from((await p.data()) as Float32Array);
      p.dispose();
      return out;
    };
    const plain = await predict(other.vectors.map((v) => v[0]!));
    const views: number[][] = [];
    for (let t = 0; t < (other.testViews?.[0]?.length ?? 0); t++) views.push(await predict(other.testViews!.map((v) => v[t]!)));
    head.dispose();
    const validation = first.validationProbabilities
      ? { labels: inner.validation.map((i) => data.labels[i]!), probabilities: Array.from(first.validationProbabilities) }
      : null;
    return { labels: other.labels, plain, views, finalEpoch: first.finalEpoch, ms, validation };
  },

  /**
   * ms per epoch of head training on `count` rows resampled from a dataset, either with Kiln's loop
   * or with tf.layers `fit` at Teachable Machine's settings (batch 16, Adam 0.001): same rows, epochs.
   * Returns the time and the final training accuracy.
   */
  async headSpeed(
    name: string,
    count: number,
    epochs: number,
    settings: TrainingSettings,
    how: 'kiln' | 'fit',
  ): Promise<{ msPerEpoch: number; accuracy: number }> {
    const data = datasets.get(name)!;
    const photos = Array.from({ length: count }, (_, i) => i % data.labels.length);
    const train = rows(data, photos);
    const numClasses = Math.max(...data.labels) + 1;
    const same = { ...settings, epochs, earlyStopping: false, validationFraction: 0 };
    const model = createHead(dim(), numClasses, same);
    let start: number;
    if (how === 'kiln') {
      start = performance.now();
      await trainLoop({
        parts: { head: model, suffix: null, suffixVariables: [] },
        numClasses,
        settings: same,
        train,
        validation: null,
        classWeights: null,
      });
    } else {
      model.compile({ optimizer: tf.train.adam(same.learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const xs = tf.tensor2d(train.values, [train.labels.length, dim()]);
      const ys = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(train.labels as number[], 'int32'), numClasses), 'float32'));
      start = performance.now();
      await model.fit(xs, ys, { epochs, batchSize: same.batchSize, shuffle: true, verbose: 0 });
      tf.dispose([xs, ys]);
    }
    const msPerEpoch = (performance.now() - start) / epochs;
    const accuracy = await trainingAccuracy(model, train, numClasses);
    model.dispose();
    return { msPerEpoch, accuracy };
  },

  /** Dense matmul rate on this backend, GFLOP/s: the bound a head step cannot beat. */
  async matmulRate(m: number, k: number, n: number): Promise<number> {
    const a = tf.randomUniform([m, k]);
    const b = tf.randomUniform([k, n]);
    const once = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await once();
    let runs = 0;
    const start = performance.now();
    while (performance.now() - start < 1500) {
      await once();
      runs++;
    }
    const seconds = (performance.now() - start) / 1000;
    tf.dispose([a, b]);
    return (2 * m * k * n * runs) / seconds / 1e9;
  },

  /** µs per yield to the event loop (the training loop yields between batches so Stop can land). */
  async yieldCost(count: number): Promise<number> {
    const start = performance.now();
    for (let i = 0; i < count; i++) await yieldToEventLoop();
    return ((performance.now() - start) / count) * 1000;
  },

  memory(): { numTensors: number; numBytes: number } {
    const { numTensors, numBytes } = tf.memory();
    return { numTensors, numBytes };
  },
};

async function trainingAccuracy(model: tfl.LayersModel, data: TrainingRows, numClasses: number): Promise<number> {
  const p = tf.tidy(() => model.predict(tf.tensor2d(data.values, [data.labels.length, dim()])) as tf.Tensor);
  const predicted = argMaxRows((await p.data()) as Float32Array, numClasses);
  p.dispose();
  return accuracy(data.labels as number[], predicted);
}

export type BenchApi = typeof api;
expose(api);
