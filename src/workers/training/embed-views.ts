import * as tf from '@tensorflow/tfjs-core';
import type { BackboneSpec } from '../../api/types';
import { augmentationFor, viewKey } from '../../ml/augment';
import type { Backbone } from '../../ml/backbone';
import { splitForFineTuning, type SplitExtractor } from '../../ml/finetune';
import type { Split } from '../../ml/split';
import type { KilnDB } from '../../storage/db';
import { activationValues, embedBatch } from '../device-memory';
import { CancelledError, ensureEmbeddings, inBatches, type EmbedControl, type ViewItem } from '../embedder';
import type { Engine } from '../engine';
import { TrainingRefusedError, type TrainingData } from './prepare';
import { downloadNotice, progress, type TrainControl } from './progress';

/** The backbone a run embeds with, and how many of its blocks it fine-tunes (0: the head only). */
export interface RunBackbone {
  spec: BackboneSpec;
  backbone: Backbone;
  blocks: number;
}

/** One row of the embedded data: a sample, plain (view 0) or one of its augmented copies. */
export interface SampleView {
  sample: number;
  view: number;
}

/** Every photo's rows once embedded: plain vectors, or block-boundary activations when fine-tuning. */
export interface EmbeddedViews {
  vectors: Float32Array[];
  rowShape: number[];
  stats: { computed: number; reused: number; imagesPerSecond?: number | null };
  /** The backbone copy being fine-tuned and its split into frozen prefix and trained suffix; null otherwise. */
  copy: Backbone | null;
  split: SplitExtractor | null;
}

/** The run's backbone (downloaded on first use, with a notice) and the blocks it fine-tunes. */
export async function loadBackbone(engine: Engine, data: TrainingData, control: TrainControl): Promise<RunBackbone> {
  const spec = await engine.specFor(data.resumed?.backboneId ?? data.project.backboneId);
  const backbone = await engine.backbone(spec, (s) =>
    control.onProgress?.(progress({ phase: 'preparing', done: 0, total: 1, ...downloadNotice(s.name) })),
  );
  const blocks = spec.fineTunableBlocks > 0 ? Math.min(data.settings.fineTuneBlocks, spec.fineTunableBlocks) : 0;
  return { spec, backbone, blocks };
}

/** Views: every photo plain; augmented copies of the photos that will ever be trained on. */
export function planViews({ samples, settings, cropMode }: TrainingData, split: Split) {
  const augmentedFor = new Set(settings.folds > 0 ? samples.map((_, i) => i) : split.train);
  const views: SampleView[] = [];
  samples.forEach((_, i) => {
    views.push({ sample: i, view: 0 });
    if (augmentedFor.has(i)) for (let v = 1; v <= settings.augmentation.views; v++) views.push({ sample: i, view: v });
  });
  const items: ViewItem[] = views.map(({ sample, view }) => ({
    hash: samples[sample]!.hash,
    image: samples[sample]!.image,
    view: viewKey(cropMode, view, settings.seed, settings.augmentation),
    augmentation: view === 0 ? null : augmentationFor(samples[sample]!.hash, view, settings.seed, settings.augmentation),
    cropMode,
  }));
  return { views, items };
}

/** Block-boundary activations of a fresh backbone copy, kept in memory (never cached), for fine-tuning. */
async function boundaryActivations(
  copy: Backbone,
  { spec, blocks }: RunBackbone,
  items: readonly ViewItem[],
  embedControl: EmbedControl,
): Promise<EmbeddedViews> {
  const split = splitForFineTuning(copy.model, blocks, spec.family);
  const perRow = split.boundaryShape.reduce((a, b) => a * b, 1);
  // Beyond this many values the activations would not fit (half on a small device, see device-memory.ts).
  if (perRow * items.length > activationValues()) {
    throw new TrainingRefusedError(
      'train.fineTuneTooBig',
      `Fine-tuning ${blocks} blocks on ${items.length} images needs more memory than is safe here. Use fewer blocks, fewer augmented copies, or train the head only.`,
      { blocks, count: items.length },
    );
  }
  const prefix = split.prefix;
  const size = spec.inputSize;
  const started = performance.now();
  const vectors = await inBatches(
    items,
    copy,
    async (pixels, batch) => {
      const out = tf.tidy(() => prefix.predict(tf.tensor4d(pixels, [batch.length, size, size, 3])) as tf.Tensor);
      try {
        const values = (await out.data()) as Float32Array;
        return batch.map((_, i) => values.slice(i * perRow, (i + 1) * perRow));
      } finally {
        out.dispose(); // also when reading it back fails (a lost GPU): the batch's activations are freed
      }
    },
    embedControl,
    embedBatch(),
  );
  // The frozen part is nearly all of the model: its pace is this device's pace with it, as advice reads it.
  const seconds = (performance.now() - started) / 1000;
  const imagesPerSecond = items.length >= 20 && seconds > 0 ? items.length / seconds : null;
  const stats = { computed: items.length, reused: 0, imagesPerSecond };
  return { vectors, rowShape: split.boundaryShape, stats, copy, split };
}

/** Embeds every view (cached embeddings reused) or computes activations to fine-tune on; null when stopped. */
export async function embedViews(
  db: KilnDB,
  engine: Engine,
  model: RunBackbone,
  items: readonly ViewItem[],
  control: TrainControl,
): Promise<EmbeddedViews | null> {
  const embedControl: EmbedControl = {
    isCancelled: control.isCancelled,
    onProgress: (done, total) => control.onProgress?.(progress({ phase: 'embedding', done, total })),
  };
  let copy: Backbone | null = null;
  try {
    if (model.blocks === 0) {
      // Sizes read now, not at load: the page's touch-first hint reaches the worker after its modules load.
      const started = performance.now();
      const embedded = await ensureEmbeddings(db, model.backbone, items, embedControl, embedBatch());
      // This device's pace with this image model (photo to stored embedding): what advice on a larger one reads.
      const seconds = (performance.now() - started) / 1000;
      const imagesPerSecond = embedded.computed >= 20 && seconds > 0 ? embedded.computed / seconds : null;
      const stats = { computed: embedded.computed, reused: embedded.reused, imagesPerSecond };
      return { vectors: embedded.vectors, rowShape: [model.spec.featureSize], stats, copy: null, split: null };
    }
    copy = await engine.freshCopy(model.spec);
    return await boundaryActivations(copy, model, items, embedControl);
  } catch (error) {
    copy?.dispose();
    if (error instanceof CancelledError) return null;
    throw error;
  }
}
