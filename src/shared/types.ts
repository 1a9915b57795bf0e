/**
 * Plain data shared by the UI, the worker and storage. Everything here crosses the worker boundary
 * by structured clone, so it holds no class instances, tensors or functions.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export type CropMode = 'center';

export interface ProjectRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  backboneId: string;
  cropMode: CropMode;
  /** The run whose model Preview uses; null until a training finishes. */
  activeRunId: string | null;
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
}

export interface EmbeddingRecord {
  backboneId: string;
  hash: string;
  /** What was embedded: the crop mode, later also the augmentation view. */
  view: string;
  vector: Float32Array;
}

export interface HeadConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: number;
  validationFraction: number;
  seed: number;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface RunMetrics {
  trainCount: number;
  validationCount: number;
  /** Null when there were too few photos to hold any back. */
  validationAccuracy: number | null;
  /** confusion[true][predicted] over the validation photos. */
  confusion: number[][];
}

export type RunStatus = 'completed' | 'stopped';

export interface RunRecord {
  id: string;
  projectId: string;
  createdAt: number;
  durationMs: number;
  status: RunStatus;
  backboneId: string;
  backend: BackendName;
  config: HeadConfig;
  classes: { id: string; name: string; count: number }[];
  curves: EpochLog[];
  metrics: RunMetrics;
  /** Backbone passes this run needed, and embeddings it found cached from earlier runs. */
  embeddings: { computed: number; reused: number };
}

/** A tfjs layers model as plain data (what tf.io save handlers receive). */
export interface SerializedModel {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

export interface CheckpointRecord {
  runId: string;
  projectId: string;
  createdAt: number;
  epoch: number;
  head: SerializedModel;
}

export type BackboneSourceKind = 'bundled' | 'public' | 'imported';

export interface BackboneRecord {
  id: string;
  sha256: string;
  source: BackboneSourceKind;
  savedAt: number;
  /** The feature extractor (base cut and pooled), ready to load. */
  model: SerializedModel;
}

export interface BackendChoice {
  name: BackendName;
  /** One plain sentence for the user. */
  reason: string;
  /** Details such as "SIMD, 2 threads" or the GPU's name. */
  detail: string;
  /** Images per second measured per backend, when a measurement was needed. */
  measured: Partial<Record<BackendName, number>>;
  forced: boolean;
}

export interface BackboneStatus {
  state: 'ready' | 'missing';
  id: string;
  name: string;
  source: BackboneSourceKind | null;
  /** What went wrong and what to do, when missing. */
  message: string | null;
}

export interface EngineStatus {
  backend: BackendChoice;
  backbone: BackboneStatus;
}

export interface RefusedFile {
  name: string;
  reason: string;
}

export interface ImportReport {
  added: number;
  refused: RefusedFile[];
  cancelled: boolean;
  /** Set when storage ran out of space; what was added before stays. */
  stoppedBy: string | null;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export type TrainPhase = 'embedding' | 'training';

export interface TrainProgress {
  phase: TrainPhase;
  done: number;
  total: number;
  epoch: EpochLog | null;
}

export interface ClassProbability {
  classId: string;
  name: string;
  probability: number;
}

export interface Prediction {
  /** Classes in the model's order. */
  probabilities: ClassProbability[];
  best: ClassProbability;
}

export interface FilePrediction {
  name: string;
  prediction: Prediction | null;
  error: string | null;
}
