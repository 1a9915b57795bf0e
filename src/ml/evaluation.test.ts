import { describe, expect, it } from 'vitest';
import en from '../ui/i18n/locales/en.json';
import { evaluate, METRIC_EXPLANATIONS, mostConfusing, rowsInCell } from './evaluation';

/** Probability rows that put `confidence` on the predicted class and share the rest evenly. */
function probabilitiesFor(predicted: readonly number[], numClasses: number, confidence = 0.8): number[] {
  const rest = (1 - confidence) / (numClasses - 1);
  return predicted.flatMap((p) => Array.from({ length: numClasses }, (_, k) => (k === p ? confidence : rest)));
}

describe('evaluate: per-class and averaged metrics', () => {
  it('imbalanced classes with supports 8/2/1, by hand', () => {
    const truth = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 1];
    // confusion [true][pred]:  [6 1 1] / [1 1 0] / [0 1 0]; predicted counts (column sums) 7, 3, 1.
    // class 0: P = 6/7, R = 6/8, F1 = 2·6/(8+7) = 0.8
    // class 1: P = 1/3, R = 1/2, F1 = 2·1/(2+3) = 0.4
    // class 2: P = 0/1 = 0, R = 0/1 = 0, F1 = 0
    // macro: P = (6/7 + 1/3 + 0)/3 = 25/63, R = (3/4 + 1/2 + 0)/3 = 5/12, F1 = (0.8 + 0.4 + 0)/3 = 0.4
    // weighted: P = (8·6/7 + 2·1/3 + 1·0)/11 = 158/231, R = (6 + 1)/11 = 7/11, F1 = (8·0.8 + 2·0.4)/11 = 7.2/11
    const e = evaluate(truth, probabilitiesFor(predicted, 3), 3);
    expect(e.count).toBe(11);
    expect(e.accuracy).toBeCloseTo(7 / 11);
    expect(e.confusion).toEqual([
      [6, 1, 1],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    expect(e.perClass.map((c) => c.support)).toEqual([8, 2, 1]);
    expect(e.perClass.map((c) => c.predicted)).toEqual([7, 3, 1]);
    expect(e.perClass[0]!.precision).toBeCloseTo(6 / 7);
    expect(e.perClass[0]!.recall).toBeCloseTo(0.75);
    expect(e.perClass[0]!.f1).toBeCloseTo(0.8);
    expect(e.perClass[1]!.precision).toBeCloseTo(1 / 3);
    expect(e.perClass[1]!.recall).toBeCloseTo(0.5);
    expect(e.perClass[1]!.f1).toBeCloseTo(0.4);
    expect(e.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 1 });
    expect(e.macro.precision).toBeCloseTo(25 / 63);
    expect(e.macro.recall).toBeCloseTo(5 / 12);
    expect(e.macro.f1).toBeCloseTo(0.4);
    expect(e.weighted.precision).toBeCloseTo(158 / 231);
    expect(e.weighted.recall).toBeCloseTo(7 / 11);
    expect(e.weighted.f1).toBeCloseTo(7.2 / 11);
    // The big class dominates the weighted average, so it sits well above the macro one.
    expect(e.weighted.f1 - e.macro.f1).toBeGreaterThan(0.2);
  });

  it('a class never predicted gets precision null, and counts as 0 in the averages', () => {
    const truth = [0, 0, 1, 1, 2, 2];
    const predicted = [0, 0, 1, 1, 1, 0];
    // confusion: [2 0 0] / [0 2 0] / [1 1 0]; predicted counts 3, 3, 0.
    // class 0 and 1: P = 2/3, R = 1, F1 = 2·2/(2+3) = 0.8; class 2: P undefined, R = 0, F1 = 0.
    // macro (zero_division=0): P = (2/3 + 2/3 + 0)/3 = 4/9, R = (1 + 1 + 0)/3 = 2/3, F1 = 1.6/3
    const e = evaluate(truth, probabilitiesFor(predicted, 3), 3);
    expect(e.perClass[2]).toEqual({ precision: null, recall: 0, f1: 0, support: 2, predicted: 0 });
    expect(e.macro.precision).toBeCloseTo(4 / 9);
    expect(e.macro.recall).toBeCloseTo(2 / 3);
    expect(e.macro.f1).toBeCloseTo(1.6 / 3);
    expect(e.weighted.precision).toBeCloseTo(4 / 9); // equal supports: same as macro
  });

  it('classes absent from the truth are left out of the macro average', () => {
    // 4 classes; class 2 is predicted once but never true, class 3 neither.
    const truth = [0, 0, 1];
    const predicted = [0, 2, 1];
    const e = evaluate(truth, probabilitiesFor(predicted, 4), 4);
    expect(e.perClass[2]).toEqual({ precision: 0, recall: null, f1: 0, support: 0, predicted: 1 });
    expect(e.perClass[3]).toEqual({ precision: null, recall: null, f1: null, support: 0, predicted: 0 });
    // class 0: P = 1, R = 1/2, F1 = 2/3; class 1: P = R = F1 = 1.
    expect(e.macro.precision).toBeCloseTo(1);
    expect(e.macro.recall).toBeCloseTo(0.75);
    expect(e.macro.f1).toBeCloseTo((2 / 3 + 1) / 2);
    expect(e.weighted.recall).toBeCloseTo(2 / 3);
    expect(e.normalized[3]).toEqual([0, 0, 0, 0]);
  });

  it('perfect predictions', () => {
    const truth = [0, 1, 2, 2, 1, 0];
    const e = evaluate(truth, probabilitiesFor(truth, 3, 1), 3);
    expect(e.accuracy).toBe(1);
    expect(e.perClass.every((c) => c.precision === 1 && c.recall === 1 && c.f1 === 1)).toBe(true);
    expect(e.macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(e.weighted).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(e.ece).toBe(0);
    expect(e.logLoss).toBeCloseTo(0);
    expect(e.normalized).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('all-wrong predictions', () => {
    const truth = [0, 0, 1, 1];
    const e = evaluate(truth, probabilitiesFor([1, 1, 0, 0], 2, 1), 2);
    expect(e.accuracy).toBe(0);
    expect(e.perClass.map((c) => [c.precision, c.recall, c.f1])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(e.macro).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(e.weighted).toEqual({ precision: 0, recall: 0, f1: 0 });
    // Fully confident and always wrong: one bin, |0 − 1| = 1; the true class gets p = 0, clamped to 1e-7.
    expect(e.ece).toBe(1);
    expect(e.logLoss).toBeCloseTo(-Math.log(1e-7));
  });

  it('normalized confusion rows sum to 1', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const predicted = [0, 1, 2, 1, 0, 2, 2, 0, 1];
    const e = evaluate(truth, probabilitiesFor(predicted, 3), 3);
    for (const row of e.normalized) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(e.normalized[2]).toEqual([0.25, 0.25, 0.5]);
  });

  it('ties in the argmax go to the lowest class index', () => {
    const e = evaluate([1, 1], [0.5, 0.5, 0.2, 0.8], 2);
    expect(e.confusion).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('empty input', () => {
    const e = evaluate([], [], 3);
    expect(e.count).toBe(0);
    expect(e.accuracy).toBeNull();
    expect(e.macro).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(e.weighted).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(e.ece).toBeNull();
    expect(e.logLoss).toBeNull();
    expect(e.reliability).toHaveLength(10);
    expect(e.perClass[0]).toEqual({ precision: null, recall: null, f1: null, support: 0, predicted: 0 });
  });

  it('rejects probabilities of the wrong shape and out-of-range labels', () => {
    expect(() => evaluate([0, 1], [0.5, 0.5, 1], 2)).toThrow(RangeError);
    expect(() => evaluate([0, 2], [0.5, 0.5, 1, 0], 2)).toThrow(RangeError);
  });
});

describe('evaluate: scikit-learn reference values', () => {
  it('matches the classification_report docstring example', () => {
    // y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1]; scikit-learn's classification_report prints
    //   class 0: 0.50 1.00 0.67 (support 1); class 1: 0.00 0.00 0.00 (1); class 2: 1.00 0.67 0.80 (3)
    //   accuracy 0.60; macro avg 0.50 0.56 0.49; weighted avg 0.70 0.60 0.61.
    // By hand: confusion [1 0 0] / [1 0 0] / [0 1 2], predicted counts 2, 1, 2.
    //   P = 1/2, 0/1, 2/2; R = 1/1, 0/1, 2/3; F1 = 2/3, 0, 2·2/(3+2) = 0.8
    //   macro P = 0.5, R = 5/9, F1 = (2/3 + 0.8)/3 = 22/45; weighted P = (0.5 + 0 + 3)/5 = 0.7, R = 0.6,
    //   F1 = (2/3 + 0 + 2.4)/5 = 46/75.
    const e = evaluate([0, 1, 2, 2, 2], probabilitiesFor([0, 0, 2, 2, 1], 3), 3);
    expect(e.perClass.map((c) => c.precision)).toEqual([0.5, 0, 1]);
    expect(e.perClass[0]!.f1).toBeCloseTo(2 / 3);
    expect(e.perClass[2]!.recall).toBeCloseTo(2 / 3);
    expect(e.perClass[2]!.f1).toBeCloseTo(0.8);
    expect(e.accuracy).toBeCloseTo(0.6);
    expect(e.macro.precision).toBeCloseTo(0.5);
    expect(e.macro.recall).toBeCloseTo(5 / 9);
    expect(e.macro.f1).toBeCloseTo(22 / 45);
    expect(e.weighted.precision).toBeCloseTo(0.7);
    expect(e.weighted.recall).toBeCloseTo(0.6);
    expect(e.weighted.f1).toBeCloseTo(46 / 75);
  });

  it('matches precision_score / f1_score docstring examples, zero_division=0 included', () => {
    // y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]: precision macro 0.22…, f1 macro 0.267…,
    // f1 per class [0.8, 0, 0].
    const truth = [0, 1, 2, 0, 1, 2];
    const e = evaluate(truth, probabilitiesFor([0, 2, 1, 0, 0, 1], 3), 3);
    expect(e.macro.precision).toBeCloseTo(2 / 9);
    expect(e.macro.f1).toBeCloseTo(0.8 / 3);
    expect(e.perClass.map((c) => c.f1)).toEqual([0.8, 0, 0]);
    // y_pred all 0, zero_division=0: precision per class [1/3, 0, 0] (we report the undefined ones as null).
    const allZero = evaluate(truth, probabilitiesFor([0, 0, 0, 0, 0, 0], 3), 3);
    expect(allZero.perClass.map((c) => c.precision)).toEqual([1 / 3, null, null]);
    expect(allZero.macro.precision).toBeCloseTo(1 / 9);
  });
});

describe('evaluate: calibration', () => {
  it('ECE and log loss on a hand case', () => {
    // Confidences 0.95, 0.95, 0.55, 0.55; one of each pair right.
    // ECE = 0.5·|0.5 − 0.95| + 0.5·|0.5 − 0.55| = 0.225 + 0.025 = 0.25
    const truth = [0, 1, 0, 1];
    const probabilities = [0.95, 0.05, 0.95, 0.05, 0.55, 0.45, 0.55, 0.45];
    const e = evaluate(truth, probabilities, 2);
    expect(e.ece).toBeCloseTo(0.25);
    expect(e.reliability[9]).toEqual({ lower: 0.9, upper: 1, count: 2, meanConfidence: expect.closeTo(0.95), accuracy: 0.5 });
    expect(e.reliability[5]).toEqual({ lower: 0.5, upper: 0.6, count: 2, meanConfidence: expect.closeTo(0.55), accuracy: 0.5 });
    expect(e.reliability.filter((b) => b.count === 0).every((b) => b.meanConfidence === null && b.accuracy === null)).toBe(true);
    expect(e.logLoss).toBeCloseTo(-(Math.log(0.95) + Math.log(0.05) + Math.log(0.55) + Math.log(0.45)) / 4);
  });

  it('a confidence of exactly 1 falls in the last bin, and Float32Array input works', () => {
    const e = evaluate([0, 1], new Float32Array([1, 0, 0.25, 0.75]), 2);
    expect(e.reliability[9]!.count).toBe(1);
    expect(e.reliability[7]!.count).toBe(1);
    expect(e.ece).toBeCloseTo(0.5 * 0 + 0.5 * 0.25);
  });
});

describe('error analysis', () => {
  const truth = [0, 0, 1, 1, 2, 2];
  // row 0 right, row 1 wrong (→1 at 0.6), row 2 wrong (→0 at 0.9), row 3 right, row 4 wrong (→0 at 0.7), row 5 wrong (→1 at 0.6)
  const probabilities = [
    [0.8, 0.1, 0.1],
    [0.3, 0.6, 0.1],
    [0.9, 0.05, 0.05],
    [0.1, 0.8, 0.1],
    [0.7, 0.1, 0.2],
    [0.2, 0.6, 0.2],
  ].flat();

  it('mostConfusing lists the wrong rows, most confident first, ties in row order', () => {
    expect(mostConfusing(truth, probabilities, 3)).toEqual([
      { row: 2, predicted: 0, confidence: 0.9, trueProbability: 0.05 },
      { row: 4, predicted: 0, confidence: 0.7, trueProbability: 0.2 },
      { row: 1, predicted: 1, confidence: 0.6, trueProbability: 0.3 },
      { row: 5, predicted: 1, confidence: 0.6, trueProbability: 0.2 },
    ]);
  });

  it('rowsInCell returns the rows of one confusion cell', () => {
    expect(rowsInCell(truth, probabilities, 3, 0, 0)).toEqual([0]);
    expect(rowsInCell(truth, probabilities, 3, 1, 0)).toEqual([2]);
    expect(rowsInCell(truth, probabilities, 3, 2, 1)).toEqual([5]);
    expect(rowsInCell(truth, probabilities, 3, 2, 2)).toEqual([]);
    const e = evaluate(truth, probabilities, 3);
    for (let t = 0; t < 3; t++)
      for (let p = 0; p < 3; p++) expect(rowsInCell(truth, probabilities, 3, t, p)).toHaveLength(e.confusion[t]![p]!);
  });

  it('every metric has a one-line explanation', () => {
    for (const text of Object.values(METRIC_EXPLANATIONS)) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toContain('\n');
    }
    expect(METRIC_EXPLANATIONS.macro).toMatch(/never predicted/);
  });

  it('explains the metrics without jargon a 12-year-old would not know, in the words the page shows', () => {
    for (const text of Object.values(METRIC_EXPLANATIONS)) expect(text).not.toMatch(/harmonic|diagonal|calibrated/i);
    for (const [key, text] of Object.entries(METRIC_EXPLANATIONS)) {
      expect(en.metrics.explain[key as keyof typeof en.metrics.explain], key).toBe(text);
    }
  });
});
