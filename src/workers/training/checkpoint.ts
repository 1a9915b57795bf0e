import type * as tfl from '@tensorflow/tfjs-layers';
import type { CheckpointRecord, EpochLog, LayerWeights, RunRecord } from '../../api/types';
import type { SplitExtractor } from '../../ml/finetune';
import { serializeModel } from '../../ml/serialize';
import type { LoopCheckpoint } from '../../ml/train-loop';
import { getCheckpoint } from '../../storage/checkpoints';
import type { KilnDB } from '../../storage/db';
import { putRunProgress } from '../../storage/runs';

async function layerWeights(split: SplitExtractor): Promise<LayerWeights[]> {
  return Promise.all(
    split.trainableLayers.map(async (layer) => {
      const weights = layer.getWeights();
      return {
        layer: layer.name,
        values: await Promise.all(weights.map(async (w) => (await w.data()) as Float32Array)),
        shapes: weights.map((w) => w.shape),
      };
    }),
  );
}

/** What a checkpoint saves: the run, the project it belongs to, and the model being trained. */
export interface CheckpointTarget {
  runId: string;
  projectId: string;
  head: tfl.LayersModel;
  /** The fine-tuned backbone's split, whose trained layers are saved too; null when only the head trains. */
  split: SplitExtractor | null;
}

/** The model's weights at `epoch`, with where the loop stands (null once the run is finished). */
export async function checkpointRecord(
  { runId, projectId, head, split }: CheckpointTarget,
  epoch: number,
  resume: LoopCheckpoint | null,
): Promise<CheckpointRecord> {
  return {
    runId,
    projectId,
    createdAt: Date.now(),
    epoch,
    head: await serializeModel(head),
    backbone: split ? await layerWeights(split) : null,
    resume,
  };
}

/** Where the interrupted run's loop stopped, from its last checkpoint; undefined for a new run. */
export async function resumePoint(db: KilnDB, resumed: RunRecord | null, runId: string): Promise<LoopCheckpoint | undefined> {
  const existing = resumed ? await getCheckpoint(db, runId) : undefined;
  return existing?.resume ?? undefined;
}

/** After each epoch, stores the run's curves and time with a checkpoint, so a closed tab resumes there. */
export function checkpointEachEpoch(db: KilnDB, run: RunRecord, target: CheckpointTarget, duration: () => number) {
  return async (epoch: EpochLog, checkpoint: () => Promise<LoopCheckpoint>): Promise<void> => {
    const last = await checkpoint();
    run.curves = last.history;
    run.durationMs = duration();
    await putRunProgress(db, run, await checkpointRecord(target, epoch.epoch, last));
  };
}
