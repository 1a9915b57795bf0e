import type { Quantity } from '../../ml/regression';
import type { TrainingSettings } from '../settings';
import type { UserMessage } from '../user-message';
import type { BackboneSourceKind, BackboneSpec } from './engine';
import type { EpochLog } from './runs';

/** Records as IndexedDB keeps them: projects, classes, photos, embeddings, checkpoints, backbones. Plain data: it crosses the worker boundary by structured clone. */

/**
 * How a photo becomes the model's square input: 'center' keeps the centred square (Teachable Machine's
 * way, which cuts off the sides of a wide photo), 'pad' fits the whole photo and fills the rest with grey
 * (see api/crop-mode.ts).
 */
export type CropMode = 'center' | 'pad';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  backboneId: string;
  cropMode: CropMode;
  /** The run whose model Preview uses; null until a training finishes. */
  activeRunId: string | null;
  /** Training settings as last chosen; missing fields take the defaults (api/settings.ts). */
  settings?: Partial<TrainingSettings>;
  /** An imported model whose head the next trainings start from, while its classes still match. */
  continueFromRunId?: string | null;
  /** Files this project's imports refused, oldest first, the latest REFUSED_KEPT (storage/projects.ts) at most. */
  refused?: RefusedEntry[];
  /**
   * Set on a "Predict a number" project (docs/REGRESSION.md): the number each photo gets. Its photos all sit in
   * one class record (the model has one output) and carry `SampleRecord.value`. Absent: a classification
   * project, as every project from before this field.
   */
  quantity?: Quantity | null;
}

export interface ClassRecord {
  id: string;
  projectId: string;
  name: string;
  /** Position among the project's classes; the model's output index follows it. */
  order: number;
  createdAt: number;
}

export type SampleSource = 'file' | 'webcam';

export interface SampleRecord {
  id: string;
  projectId: string;
  classId: string;
  /** SHA-256 of the original bytes (files) or of the stored image (webcam frames). */
  hash: string;
  name: string;
  source: SampleSource;
  addedAt: number;
  /** Size of the stored (downscaled) image. */
  width: number;
  height: number;
  originalWidth: number;
  originalHeight: number;
  /** Downscaled copy, longest side at most 512 px. */
  image: Blob;
  /** Small copy for galleries. */
  thumb: Blob;
  /** Kept out of training and validation; scored separately as the test set. */
  testOnly?: boolean;
  /** A "Predict a number" project's value for this photo, inside the quantity's range; absent until labelled. */
  value?: number;
  /**
   * Exposure and sharpness of `thumb` for the health check (workers/photo-stats.ts), measured once at
   * import. Missing on older records and photos from project files: measured and stored on the next check.
   */
  stats?: { meanLuminance: number; laplacianVariance: number };
}

export interface EmbeddingRecord {
  backboneId: string;
  hash: string;
  /** What was embedded: the crop mode, later also the augmentation view. */
  view: string;
  vector: Float32Array;
}

/** A tfjs layers model as plain data (what tf.io save handlers receive). */
export interface SerializedModel {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/** Weights of fine-tuned backbone layers, by layer name, in the order of the layer's weights. */
export interface LayerWeights {
  layer: string;
  values: Float32Array[];
  shapes: number[][];
}

/** What the training loop needs to continue where it stopped (see ml/train-loop.ts LoopCheckpoint). */
export interface ResumeState {
  epoch: number;
  history: EpochLog[];
  bestEpoch: number;
  bestValLoss: number | null;
  wait: number;
  weights: Float32Array[];
  bestWeights: Float32Array[] | null;
  optimizers: { name: string; values: Float32Array; shape: number[] }[][];
}

export interface CheckpointRecord {
  runId: string;
  projectId: string;
  createdAt: number;
  epoch: number;
  head: SerializedModel;
  /** The unfrozen backbone layers' weights when the run fine-tuned, else null. */
  backbone: LayerWeights[] | null;
  /** Present while the run is in progress: written after every epoch. */
  resume: ResumeState | null;
}

export interface BackboneRecord {
  id: string;
  /** The checksum of the weights as stored (pinned ones must match the catalogue). */
  sha256: string;
  source: BackboneSourceKind;
  savedAt: number;
  /** The feature extractor (base cut and pooled), ready to load. */
  model: SerializedModel;
  /** Present for backbones the user brought (custom models): how to cut and feed them. */
  spec?: BackboneSpec;
}

/** How many refused files a project keeps (the latest), for the health check. */
export const REFUSED_KEPT = 500;

export interface RefusedFile {
  name: string;
  /** Why, in English (logs and tests); `message` is the same sentence as a translatable key. */
  reason: string;
  message?: UserMessage;
}

/** A refused file as the project keeps it for the health check: with the class it was meant for. */
export interface RefusedEntry extends RefusedFile {
  className: string;
}
