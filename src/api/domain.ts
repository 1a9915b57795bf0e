/**
 * The domain rules the page shows or applies itself: labels, metric definitions, photo-count
 * thresholds. All tf-free functions on plain data, re-exported from ml/ so the page depends on the api
 * alone and never loads TensorFlow.js.
 */
export { BACKEND_LABELS } from '../ml/backends';
export { catalogueBackbone, MOBILENET_V3_SMALL } from '../ml/backbone-catalogue';
export { edgeArea, edgeShare, EVIDENCE_REGIONS, strongestRegion, type EvidenceRegion } from '../ml/evidence';
export { evaluate, METRIC_EXPLANATIONS, mostConfusing, rowsInCell, type Evaluation } from '../ml/evaluation';
export { balanceFindings, FEW_PHOTOS_BELOW, NEAR_THRESHOLD, nearThreshold } from '../ml/health';
export {
  honestScore,
  honestScoreOfCounts,
  needsMorePhotos,
  photosToAdd,
  tellsApart,
  wilsonInterval,
  type HonestScore,
  type Interval,
  type ScoredSet,
  type ScoreVerdict,
} from '../ml/honest-score';
export {
  heldBackOf,
  MIN_PHOTOS_TO_TRAIN,
  photoCountLevel,
  photosForHeldBack,
  RECOMMENDED_PHOTOS_PER_CLASS,
  TRUSTED_SCORE_PHOTOS,
  type PhotoCountLevel,
} from '../ml/photo-counts';
export type { ProjectionMethod } from '../ml/projection';
export type { WeightPrecision } from '../ml/quantize';
export { FINE_TUNE_USEFUL_PHOTOS, fineTuningWillNotHelp, largerModelAdvice, type LargerModelAdvice } from '../ml/model-advice';
export {
  formatValue,
  largestErrors,
  parseValue,
  quantityProblem,
  regressionScores,
  residualsByRange,
  type Quantity,
  type RangeResiduals,
  type RegressionScores,
} from '../ml/regression';
