import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from '../ml/backbone';
import { featureMapModel, gradCam, type ImageEvidence } from '../ml/grad-cam';
import { argMax } from '../ml/metrics';
import { unscaleTarget, type Quantity } from '../ml/regression';
import { batchInput } from '../ml/preprocess';
import { deserializeModel } from '../ml/serialize';
import { runCropMode } from '../api/crop-mode';
import type { CropMode, LayerWeights, Prediction } from '../api/types';
import { getCheckpoint } from '../storage/checkpoints';
import { listClasses } from '../storage/classes';
import type { KilnDB } from '../storage/db';
import { getProject } from '../storage/projects';
import { getRun } from '../storage/runs';
import type { Engine } from './engine';
import { UserError } from '../api/user-message';

interface ActiveModel {
  runId: string;
  head: tfl.LayersModel;
  /** The shared backbone, or this model's own fine-tuned copy. */
  backbone: Backbone;
  ownsBackbone: boolean;
  classes: { id: string; name: string }[];
  /** The mode the run was trained with (not the project's current choice): every input is drawn this way. */
  cropMode: CropMode;
  /** A "Predict a number" model's quantity (its one output is the value scaled to −1…1), else null. */
  quantity: Quantity | null;
}

export class NoModelError extends UserError {
  override name = 'NoModelError';
}

/** Puts fine-tuned layer weights into a backbone copy, by layer name. */
export function applyLayerWeights(backbone: Backbone, weights: readonly LayerWeights[]): void {
  for (const entry of weights) {
    const layer = backbone.model.getLayer(entry.layer);
    tf.tidy(() => layer.setWeights(entry.values.map((values, i) => tf.tensor(values, entry.shapes[i]))));
  }
}

/** The model's answer for one row of probabilities, in its class order (or one scaled value, for a number). */
function toPrediction(
  classes: readonly { id: string; name: string }[],
  row: ArrayLike<number>,
  quantity: Quantity | null = null,
): Prediction {
  if (quantity) {
    const only = { classId: classes[0]?.id ?? '', name: quantity.name, probability: 1 };
    return { probabilities: [only], best: only, value: unscaleTarget(row[0]!, quantity) };
  }
  const probabilities = classes.map((c, k) => ({ classId: c.id, name: c.name, probability: row[k]! }));
  return { probabilities, best: probabilities[argMax(row)]! };
}

/** Keeps each project's active model loaded, and predicts with its backbone + head. */
export class Predictor {
  #models = new Map<string, ActiveModel>();
  /** Each backbone's last feature map as a model (sharing its layers: never disposed on its own). */
  #featureMaps = new WeakMap<Backbone, tfl.LayersModel>();

  constructor(
    private readonly db: KilnDB,
    private readonly engine: Engine,
  ) {}

  /** Installs a freshly trained model as the project's (no round trip through storage). */
  install(
    projectId: string,
    runId: string,
    head: tfl.LayersModel,
    classes: { id: string; name: string }[],
    backbone: Backbone,
    owns: boolean,
    cropMode: CropMode,
    quantity: Quantity | null = null,
  ): void {
    this.forget(projectId);
    this.#models.set(projectId, { runId, head, backbone, ownsBackbone: owns, classes, cropMode, quantity });
  }

  forget(projectId: string): void {
    const model = this.#models.get(projectId);
    model?.head.dispose();
    if (model?.ownsBackbone) model.backbone.dispose();
    this.#models.delete(projectId);
  }

  /** Drops every loaded model: after a backend switch their tensors live on the old backend. */
  forgetAll(): void {
    for (const id of [...this.#models.keys()]) this.forget(id);
  }

  async #model(projectId: string): Promise<ActiveModel> {
    const project = await getProject(this.db, projectId);
    if (!project?.activeRunId)
      throw new NoModelError('preview.noModel', 'Train the model first: there is nothing to preview yet.');
    const loaded = this.#models.get(projectId);
    if (loaded?.runId === project.activeRunId) return loaded;
    const [run, checkpoint] = await Promise.all([
      getRun(this.db, project.activeRunId),
      getCheckpoint(this.db, project.activeRunId),
    ]);
    if (!run || !checkpoint) throw new NoModelError('preview.modelMissing', 'The trained model was not found. Train again.');
    const spec = await this.engine.specFor(run.backboneId);
    let backbone: Backbone;
    let owns = false;
    if (checkpoint.backbone) {
      backbone = await this.engine.freshCopy(spec);
      applyLayerWeights(backbone, checkpoint.backbone);
      owns = true;
    } else {
      backbone = await this.engine.backbone(spec);
    }
    const head = await deserializeModel(checkpoint.head);
    // Class names may have been renamed since training: show today's names, keep the run's order.
    const current = await listClasses(this.db, projectId);
    const classes = run.classes.map((c) => ({ id: c.id, name: current.find((k) => k.id === c.id)?.name ?? c.name }));
    this.install(projectId, run.id, head, classes, backbone, owns, runCropMode(run), run.quantity ?? null);
    return this.#models.get(projectId)!;
  }

  /** The project's active model (loading it when needed): for exports, which must not dispose it. */
  active(projectId: string): Promise<Readonly<ActiveModel>> {
    return this.#model(projectId);
  }

  /** The input size of the project's active model, for drawing pixels before predict(). */
  async inputSize(projectId: string): Promise<number> {
    return (await this.#model(projectId)).backbone.spec.inputSize;
  }

  /** How the project's active model wants photos drawn: its run's crop mode. */
  async cropMode(projectId: string): Promise<CropMode> {
    return (await this.#model(projectId)).cropMode;
  }

  /** Predicts for images given as RGBA pixels at the model's input size. */
  async predict(projectId: string, images: readonly Uint8ClampedArray[]): Promise<Prediction[]> {
    const model = await this.#model(projectId);
    const { inputSize: size, scaling } = model.backbone.spec;
    const input = batchInput(images, size, scaling);
    const output = tf.tidy(() => {
      const features = model.backbone.features(tf.tensor4d(input, [images.length, size, size, 3]));
      return model.head.predict(features) as tf.Tensor2D;
    });
    let values: Float32Array;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    const n = model.quantity ? 1 : model.classes.length;
    return images.map((_, i) => toPrediction(model.classes, values.subarray(i * n, (i + 1) * n), model.quantity));
  }

  /** What the model looked at in each image (RGBA at its input size): every class's Grad-CAM, and its answer. */
  async explain(
    projectId: string,
    images: readonly Uint8ClampedArray[],
  ): Promise<{ evidence: ImageEvidence; prediction: Prediction }[]> {
    const model = await this.#model(projectId);
    const { inputSize: size, scaling } = model.backbone.spec;
    let mapModel = this.#featureMaps.get(model.backbone);
    if (!mapModel) {
      mapModel = featureMapModel(model.backbone.model);
      this.#featureMaps.set(model.backbone, mapModel);
    }
    const input = tf.tensor4d(batchInput(images, size, scaling), [images.length, size, size, 3]);
    try {
      const evidence = await gradCam(mapModel, model.head, input);
      return evidence.map((e) => ({ evidence: e, prediction: toPrediction(model.classes, e.probabilities, model.quantity) }));
    } finally {
      input.dispose();
    }
  }
}
