import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluation';
import { seededRandom } from './random';
import { fitTemperature, MIN_CALIBRATION_PHOTOS, temperedLoss, withTemperature } from './temperature';

/** Two-class predictions that are right 90 % of the time but always say 60 %: under-confident. */
function underConfident(count: number) {
  const random = seededRandom(7);
  const labels: number[] = [];
  const probabilities: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const right = random() < 0.9;
    const predicted = right ? label : 1 - label;
    labels.push(label);
    probabilities.push(predicted === 0 ? 0.6 : 0.4, predicted === 0 ? 0.4 : 0.6);
  }
  return { labels, probabilities };
}

describe('temperature scaling', () => {
  it('sharpens an under-confident model until its confidence matches how often it is right', () => {
    const { labels, probabilities } = underConfident(200);
    const t = fitTemperature(probabilities, labels, 2);
    expect(t).toBeLessThan(1);
    const before = evaluate(labels, probabilities, 2);
    const after = evaluate(labels, withTemperature(probabilities, 2, t), 2);
    expect(after.accuracy).toBe(before.accuracy); // the order of the classes never changes
    expect(after.ece!).toBeLessThan(before.ece! / 3);
    expect(temperedLoss(probabilities, labels, 2, t)).toBeLessThan(temperedLoss(probabilities, labels, 2, 1));
  });

  it('is left at 1 with too few held-back photos, and T = 1 changes nothing', () => {
    const { labels, probabilities } = underConfident(MIN_CALIBRATION_PHOTOS - 1);
    expect(fitTemperature(probabilities, labels, 2)).toBe(1);
    const same = withTemperature(probabilities, 2, 1);
    same.forEach((p, i) => expect(p).toBeCloseTo(probabilities[i]!, 6));
  });
});
