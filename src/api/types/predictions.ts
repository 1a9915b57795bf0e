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

/** One photo's place in the embedding map. */
export interface MapPoint {
  sampleId: string;
  name: string;
  classId: string;
  x: number;
  y: number;
  testOnly: boolean;
}
