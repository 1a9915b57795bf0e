import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Backbone } from '../ml/backbone';
import { argMax } from '../ml/metrics';
import { batchInput } from '../ml/preprocess';
import { deserializeModel } from '../ml/serialize';
import type { ClassRecord, Prediction } from '../shared/types';
import { getCheckpoint } from '../storage/checkpoints';
import { listClasses } from '../storage/classes';
import type { KilnDB } from '../storage/db';
import { getProject } from '../storage/projects';
import { getRun } from '../storage/runs';

interface ActiveModel {
  runId: string;
  head: tfl.LayersModel;
  classes: { id: string; name: string }[];
}

export class NoModelError extends Error {
  override name = 'NoModelError';
}

/** Keeps each project's active model loaded, and predicts with backbone + head. */
export class Predictor {
  #models = new Map<string, ActiveModel>();

  constructor(private readonly db: KilnDB) {}

  /** Installs a freshly trained head as the project's model (no round trip through storage). */
  install(projectId: string, runId: string, head: tfl.LayersModel, classes: readonly ClassRecord[]): void {
    this.forget(projectId);
    this.#models.set(projectId, { runId, head, classes: classes.map((c) => ({ id: c.id, name: c.name })) });
  }

  forget(projectId: string): void {
    this.#models.get(projectId)?.head.dispose();
    this.#models.delete(projectId);
  }

  async #model(projectId: string): Promise<ActiveModel> {
    const project = await getProject(this.db, projectId);
    if (!project?.activeRunId) throw new NoModelError('Train the model first: there is nothing to preview yet.');
    const loaded = this.#models.get(projectId);
    if (loaded?.runId === project.activeRunId) return loaded;
    const [run, checkpoint] = await Promise.all([
      getRun(this.db, project.activeRunId),
      getCheckpoint(this.db, project.activeRunId),
    ]);
    if (!run || !checkpoint) throw new NoModelError('The trained model was not found. Train again.');
    const head = await deserializeModel(checkpoint.head);
    // Class names may have been renamed since training: show today's names, keep the run's order.
    const current = await listClasses(this.db, projectId);
    const classes = run.classes.map((c) => ({ id: c.id, name: current.find((k) => k.id === c.id)?.name ?? c.name }));
    const model = { runId: run.id, head, classes };
    this.forget(projectId);
    this.#models.set(projectId, model);
    return model;
  }

  /** Predicts for images given as RGBA pixels at the backbone's input size. */
  async predict(projectId: string, backbone: Backbone, images: readonly Uint8ClampedArray[]): Promise<Prediction[]> {
    const model = await this.#model(projectId);
    const size = backbone.spec.inputSize;
    const input = batchInput(images, size, backbone.spec.scaling);
    const output = tf.tidy(() => {
      const features = backbone.features(tf.tensor4d(input, [images.length, size, size, 3]));
      return model.head.predict(features) as tf.Tensor2D;
    });
    let values: Float32Array;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    const n = model.classes.length;
    return images.map((_, i) => {
      const row = values.subarray(i * n, (i + 1) * n);
      const probabilities = model.classes.map((c, k) => ({ classId: c.id, name: c.name, probability: row[k]! }));
      return { probabilities, best: probabilities[argMax(row)]! };
    });
  }
}
