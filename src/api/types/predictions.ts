/** What a model says about photos: predictions, the embedding map, the precision check. Plain data: it crosses the worker boundary by structured clone. */

export interface ClassProbability {
  classId: string;
  name: string;
  probability: number;
}

export interface Prediction {
  /** Classes in the model's order. */
  probabilities: ClassProbability[];
  best: ClassProbability;
  /**
   * A "Predict a number" model's answer, in the quantity's unit (its `probabilities` are then one entry, the
   * quantity, with probability 1). Absent for classifiers.
   */
  value?: number;
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
  /** A "Predict a number" model: RMSE on the validation photos at full and at the chosen precision, in its unit. */
  rmseBefore?: number | null;
  rmseAfter?: number | null;
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

/**
 * What a model looked at in one photo (Grad-CAM, src/ml/grad-cam.ts): the picture as the model saw it (its crop
 * mode, its input size) and, for every class, a grid of evidence in [0, 1] over that picture.
 */
export interface Explanation {
  /** The model's input as a JPEG: what the heatmaps lie over. */
  image: Blob;
  rows: number;
  cols: number;
  /** Per class, in `prediction.probabilities` order: rows × cols values, row after row. */
  heat: number[][];
  prediction: Prediction;
}

/** The shortcut check of one class: where the evidence for it lay on its held-back photos. */
export interface ClassShortcut {
  classId: string;
  name: string;
  /** Held-back photos of this class that were looked at. */
  photos: number;
  /** Mean share of the evidence for the class that lay at the photos' edges. */
  edgeShare: number;
  /** True when the edges carry clearly more than their share: the class is told by its background. */
  reliesOnBackground: boolean;
  /** The photos whose evidence lay most at the edges, most first (at most 6). */
  examples: { sampleId: string; edgeShare: number }[];
}

export interface ShortcutReport {
  runId: string;
  /** The share of each photo's area the edges cover: evidence spread evenly gives this much at the edges. */
  edgeArea: number;
  /** A class's mean edge share at or above this means it relies on the background. */
  threshold: number;
  classes: ClassShortcut[];
}

/** A photo to explain: a stored one, a file picked in Preview, or a webcam frame (transferred). */
export type ExplainSource = { sampleId: string } | { file: File } | { frame: ImageBitmap };
