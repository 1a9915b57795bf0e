import type { TrainingSettings } from './settings';
import type { UserMessage } from './user-message';

/**
 * Plain data shared by the UI, the worker and storage. Everything here crosses the worker boundary
 * by structured clone, so it holds no class instances, tensors or functions.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * How a photo becomes the model's square input: 'center' keeps the centred square (Teachable Machine's
 * way, which cuts off the sides of a wide photo), 'pad' fits the whole photo and fills the rest with grey
 * (see shared/crop-mode.ts).
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
  /** Training settings as last chosen; missing fields take the defaults (shared/settings.ts). */
  settings?: Partial<TrainingSettings>;
  /** An imported model whose head the next trainings start from, while its classes still match. */
  continueFromRunId?: string | null;
  /** Files this project's imports refused, oldest first, the latest REFUSED_KEPT (storage/projects.ts) at most. */
  refused?: RefusedEntry[];
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

/** 'running' while a worker trains it; a 'running' run whose worker is gone was interrupted and can resume. */
export type RunStatus = 'running' | 'completed' | 'stopped';

export interface FoldResult {
  fold: number;
  accuracy: number;
  macroF1: number;
  trainCount: number;
  validationCount: number;
  epochs: number;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export interface CrossValidationSummary {
  k: number;
  folds: FoldResult[];
  /** Filled once every fold has run. */
  accuracy: MeanStd | null;
  macroF1: MeanStd | null;
}

export interface RunRecord {
  id: string;
  projectId: string;
  createdAt: number;
  durationMs: number;
  status: RunStatus;
  backboneId: string;
  /** The backbone's name when the run was made (custom backbones have no catalogue entry). */
  backboneName: string;
  backend: BackendName;
  settings: TrainingSettings;
  classes: { id: string; name: string; count: number }[];
  curves: EpochLog[];
  metrics: RunMetrics;
  /** The epoch whose weights the model has: the best one when early stopping restored it. */
  finalEpoch: number;
  earlyStopped: boolean;
  /** Per-class loss weights used, or null when classes were balanced enough. */
  classWeights: number[] | null;
  crossValidation: CrossValidationSummary | null;
  /** The photos on each side of the split, by sample id: a resumed run uses exactly these. */
  split: { train: string[]; validation: string[] };
  /** MobileNetV2 blocks unfrozen (0: head only). */
  fineTunedBlocks: number;
  /** Backbone passes this run needed, and embeddings it found cached from earlier runs. */
  embeddings: { computed: number; reused: number };
  /** Set on a model brought in from a file rather than trained here. */
  imported?: ImportedModelInfo | null;
  /** The model's answers on the validation photos (runs from before this field have none). */
  validationPredictions?: PredictionSet | null;
  /** The model's answers on the photos marked "test only", never trained or validated on. */
  testPredictions?: PredictionSet | null;
  /** What the run was trained on: photos per class (run class order) and a hash of the set of photos. */
  data?: DataSummary | null;
  /** The run whose head weights this one started from (continuing an imported model), if any. */
  startedFrom?: string | null;
  /** How photos were turned into model input for this run; runs from before this field used 'center'. */
  cropMode?: CropMode;
}

export interface ImportedModelInfo {
  source: 'teachable-machine';
  fileName: string;
  /** What the export's metadata says made it, e.g. "Teachable Machine 2.4.4". */
  madeWith: string;
  savedAt: string | null;
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

/** A backbone Kiln knows how to find, cut and verify (see ml/backbone-catalogue.ts). */
export interface BackboneSpec {
  id: string;
  name: string;
  family: 'mobilenet-v2' | 'mobilenet-v1' | 'custom';
  inputSize: number;
  /** Where real users get it (fetched when first chosen, then kept in IndexedDB), or null for imported models. */
  publicUrl: string | null;
  /** Where a build that brought the weights along keeps them, relative to the app's base URL. */
  bundledPath: string | null;
  /** The layer whose output becomes the embedding (average-pooled when it is a feature map). */
  cutLayer: string;
  /** Pixels are mapped from [0, 255] to this range. */
  scaling: readonly [number, number];
  featureSize: number;
  /**
   * SHA-256 of the extractor's weight values in layer order (float32 bytes), when known. A source whose
   * weights differ is refused. Null: only the architecture can be checked (see docs/BACKBONE.md).
   */
  sha256: string | null;
  /** Inverted-residual blocks that fine-tuning may unfreeze (MobileNetV2 only). */
  fineTunableBlocks: number;
}

export type BackboneSourceKind = 'bundled' | 'public' | 'imported' | 'pack';

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

/** What the Backbone chooser lists. */
export interface BackboneChoice {
  spec: BackboneSpec;
  /** Already on this device (no download needed). */
  available: boolean;
}

export interface BackendChoice {
  name: BackendName;
  /** One plain sentence for the user. */
  reason: string;
  /** The reason's sentences with their message keys (joined by a space, they read as `reason`); absent in older records. */
  reasonMessages?: UserMessage[];
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
  /** The message with its key, for the page to translate. */
  userMessage?: UserMessage | null;
}

export interface EngineStatus {
  backend: BackendChoice;
  backbone: BackboneStatus;
}

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

export interface ImportReport {
  added: number;
  refused: RefusedFile[];
  cancelled: boolean;
  /** Set when storage ran out of space; what was added before stays. */
  stoppedBy: string | null;
  /** `stoppedBy` as a translatable message. */
  stoppedByMessage?: UserMessage | null;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export type TrainPhase = 'embedding' | 'preparing' | 'fold' | 'training';

export interface TrainProgress {
  phase: TrainPhase;
  done: number;
  total: number;
  epoch: EpochLog | null;
  /** During cross-validation: which fold (1-based) of how many. */
  fold: { index: number; count: number } | null;
  /** What is happening right now, such as a first download (shown in the progress line). */
  notice: string | null;
  /** The notice with its message key, for the page to translate. */
  noticeMessage?: UserMessage | null;
  /** Something the person should know after training too, such as a backend switch after a lost GPU. */
  warning?: string | null;
  /** The warning with its message key, for the page to translate. */
  warningMessage?: UserMessage | null;
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

/** What exporting at a lower weight precision saves and costs (see workers/export-service.ts). */
export interface PrecisionCheck {
  precision: 'float32' | 'float16' | 'uint8';
  weightBytes: number;
  fullWeightBytes: number;
  validationPhotos: number;
  /** Validation accuracy of the exported model at full precision, and at the chosen one; null without validation photos. */
  accuracyBefore: number | null;
  accuracyAfter: number | null;
}

/** A model's answers on a set of photos; the photos may have been deleted or moved since. */
export interface PredictionSet {
  sampleIds: string[];
  /** True class index (run class order) per photo. */
  truth: number[];
  /** sampleIds.length × classes, row-major, in run class order. */
  probabilities: number[];
}

export interface DataSummary {
  /** Training + validation photos per class, in run class order. */
  classCounts: number[];
  testCount: number;
  /** SHA-256 of the sorted photo content hashes: equal sets of photos give equal hashes. */
  sampleSetHash: string;
}

/** One photo's place in the embedding map. */
export interface MapPoint {
  sampleId: string;
  name: string;
  classId: string;
  x: number;
  y: number;
  testOnly: boolean;
}

/** What the dataset health check found (see ml/health.ts); photos are referred to by id, class and name. */
export interface HealthReport {
  checkedAt: number;
  photoCount: number;
  /** Near duplicates need every photo's embedding: checked on request, not after each import. */
  nearChecked: boolean;
  duplicates: { hash: string; photos: HealthPhoto[]; crossClass: boolean }[];
  near: { a: HealthPhoto; b: HealthPhoto; similarity: number }[];
  /** More near pairs passed the threshold than `near` lists (the most similar are kept). */
  nearTruncated?: boolean;
  balance: {
    kind: 'imbalance' | 'few-photos';
    classIds: string[];
    message: string;
    advice: string;
    /** `message` and `advice` as translatable messages. */
    said?: { message: UserMessage; advice: UserMessage };
  }[];
  exposure: { photo: HealthPhoto; issues: ('too-dark' | 'too-bright' | 'blurry')[] }[];
}

export interface HealthPhoto {
  id: string;
  classId: string;
  hash: string;
  name: string;
}
