import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSettings } from '../../api/settings';
import type { BackboneSpec, ProjectRecord } from '../../api/types';
import { trainableVariables, type SplitExtractor } from '../../ml/finetune';
import { createHead } from '../../ml/head';
import { deserializeModel } from '../../ml/serialize';
import type { TrainableParts } from '../../ml/train-loop';
import { getCheckpoint } from '../../storage/checkpoints';
import type { KilnDB } from '../../storage/db';
import { getRun } from '../../storage/runs';
import type { TrainingData } from './prepare';

/** Where every training loop of a run starts from. */
export interface StartingParts {
  /** The run whose head weights each loop starts from, or null for a fresh head. */
  startedFrom: string | null;
  /** A new head (drawn from `seed`, the run's by default), and the fine-tuned layers set back to their starting weights. */
  fresh(seed?: number): TrainableParts;
  /** Frees the kept starting weights. */
  dispose(): void;
}

/**
 * The head weights of the model this project continues (an imported Teachable Machine model), when
 * its classes, hidden units and backbone still match; otherwise training starts from scratch.
 */
async function continuedHead(
  db: KilnDB,
  project: ProjectRecord,
  classes: readonly { id: string }[],
  settings: TrainingSettings,
  backboneId: string,
): Promise<{ runId: string; weights: tf.Tensor[] } | null> {
  if (!project.continueFromRunId || settings.fineTuneBlocks > 0) return null;
  const [run, checkpoint] = await Promise.all([
    getRun(db, project.continueFromRunId),
    getCheckpoint(db, project.continueFromRunId),
  ]);
  if (!run || !checkpoint || run.backboneId !== backboneId) return null;
  if (run.classes.length !== classes.length || run.classes.some((c, i) => c.id !== classes[i]!.id)) return null;
  const head = await deserializeModel(checkpoint.head);
  try {
    const weights = head.getWeights().map((w) => tf.clone(w));
    const hidden = weights[0]?.shape[1];
    if (hidden !== settings.hiddenUnits) {
      tf.dispose(weights);
      return null;
    }
    return { runId: run.id, weights };
  } finally {
    head.dispose();
  }
}

/** Keeps the fine-tuned layers' starting weights and any continued head, so each loop starts alike. */
export async function startingParts(
  db: KilnDB,
  { project, resumed, classes, settings }: TrainingData,
  spec: BackboneSpec,
  split: SplitExtractor | null,
): Promise<StartingParts> {
  const initialSuffix = split ? trainableVariables(split).map((v) => tf.clone(v)) : [];
  // Imported models are classifiers: a "Predict a number" project always starts fresh.
  const warmStart = resumed || project.quantity ? null : await continuedHead(db, project, classes, settings, spec.id);
  const output = project.quantity || resumed?.quantity ? 'linear' : 'softmax';
  return {
    startedFrom: warmStart?.runId ?? null,
    fresh: (seed = settings.seed) => {
      if (split) trainableVariables(split).forEach((v, i) => v.assign(initialSuffix[i]!));
      const head = createHead(spec.featureSize, classes.length, { hiddenUnits: settings.hiddenUnits, seed, output });
      if (warmStart) head.setWeights(warmStart.weights);
      return {
        head,
        suffix: split?.suffix ?? null,
        suffixVariables: split ? trainableVariables(split) : [],
      };
    },
    dispose: () => {
      tf.dispose(initialSuffix);
      if (warmStart) tf.dispose(warmStart.weights);
    },
  };
}
