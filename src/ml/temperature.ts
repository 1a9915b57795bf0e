/**
 * Calibration by temperature scaling (Guo et al., 2017): one number T divides the logits so that the model's
 * confidence matches how often it is right on the held-back photos. Label smoothing and training on all photos
 * leave Kiln's heads under-confident (see docs/TRAINING.md); T < 1 sharpens them. Because the last layer is a
 * dense layer before softmax, dividing its weights by T is the same model, calibrated: every export carries it.
 */

/** Fewer held-back photos than this and T is left at 1: too few to fit even one number. */
export const MIN_CALIBRATION_PHOTOS = 8;
/** T is searched in this range (ln T in [ln 0.25, ln 4]), so a handful of photos cannot push it to extremes. */
const LOW = Math.log(0.25);
const HIGH = Math.log(4);

/** Mean negative log-likelihood of the true classes after softmax(ln p / T). */
export function temperedLoss(probabilities: ArrayLike<number>, labels: readonly number[], numClasses: number, t: number): number {
  let loss = 0;
  for (let row = 0; row < labels.length; row++) {
    const logits = Array.from(
      { length: numClasses },
      (_, k) => Math.log(Math.max(1e-12, probabilities[row * numClasses + k]!)) / t,
    );
    const max = Math.max(...logits);
    const sum = logits.reduce((a, z) => a + Math.exp(z - max), 0);
    loss -= logits[labels[row]!]! - max - Math.log(sum);
  }
  return loss / labels.length;
}

/** The temperature that best calibrates these held-back predictions, or 1 with too few of them. */
export function fitTemperature(probabilities: ArrayLike<number>, labels: readonly number[], numClasses: number): number {
  if (labels.length < MIN_CALIBRATION_PHOTOS) return 1;
  // Golden-section search: the loss is unimodal in ln T.
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = LOW;
  let b = HIGH;
  const loss = (lnT: number) => temperedLoss(probabilities, labels, numClasses, Math.exp(lnT));
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = loss(c);
  let fd = loss(d);
  for (let i = 0; i < 40; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = loss(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/** Probabilities as the model divided by T would give them: softmax(ln p / T), row by row. */
export function withTemperature(probabilities: ArrayLike<number>, numClasses: number, t: number): Float32Array {
  const out = new Float32Array(probabilities.length);
  for (let row = 0; row * numClasses < probabilities.length; row++) {
    const logits = Array.from(
      { length: numClasses },
      (_, k) => Math.log(Math.max(1e-12, probabilities[row * numClasses + k]!)) / t,
    );
    const max = Math.max(...logits);
    const exps = logits.map((z) => Math.exp(z - max));
    const sum = exps.reduce((x, y) => x + y, 0);
    exps.forEach((e, k) => (out[row * numClasses + k] = e / sum));
  }
  return out;
}
