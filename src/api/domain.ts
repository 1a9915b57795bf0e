/**
 * The domain rules the page shows or applies itself: labels, metric definitions, photo-count
 * thresholds. All tf-free functions on plain data, re-exported from ml/ so the page depends on the api
 * alone and never loads TensorFlow.js.
 */
export { BACKEND_LABELS } from '../ml/backends';
export { catalogueBackbone } from '../ml/backbone-catalogue';
export { evaluate, METRIC_EXPLANATIONS, mostConfusing, rowsInCell, type Evaluation } from '../ml/evaluation';
export { balanceFindings, FEW_PHOTOS_BELOW, NEAR_THRESHOLD, nearThreshold } from '../ml/health';
export type { ProjectionMethod } from '../ml/projection';
export type { WeightPrecision } from '../ml/quantize';
