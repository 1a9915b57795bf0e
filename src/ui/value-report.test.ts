import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import type { RunRecord } from '../api/types';
import { evaluationReportHtml, predictionsCsv } from './evaluation-report';
import { run as runRecord } from '../test-support/records';

const fingers = { name: 'fingers', unit: '', min: 0, max: 5 };
const numberRun = (): RunRecord =>
  runRecord('p1', {
    settings: DEFAULT_SETTINGS,
    quantity: fingers,
    trainMean: 2.5,
    classes: [{ id: 'c1', name: 'fingers', count: 6 }],
    metrics: { trainCount: 6, validationCount: 2, validationAccuracy: null, confusion: [] },
    validationPredictions: { sampleIds: ['a', 'b'], truth: [0, 5], probabilities: [1, 4.5] },
    testPredictions: { sampleIds: ['c'], truth: [2], probabilities: [2.25] },
  });

describe('a "Predict a number" run in the downloads', () => {
  it('reports its scores, errors by range and largest errors, not class metrics', () => {
    const html = evaluationReportHtml({
      projectName: 'Hands',
      run: numberRun(),
      classNames: ['fingers'],
      generatedAt: '2026-12-07',
      charts: [],
      sampleNames: new Map([
        ['a', 'rock-1.png'],
        ['b', 'paper-1.png'],
        ['c', 'scissors-1.png'],
      ]),
    });
    expect(html).toContain('Scores of the model');
    // Held-back: errors +1 and −0.5 → RMSE √(1.25/2) ≈ 0.79; test: error 0.25.
    expect(html).toContain('<th scope="row">RMSE</th>\n<td>0.79</td><td>0.25</td>'.replace('\n', ''));
    expect(html).toContain('Errors by part of the range');
    // Largest error first: rock-1 (off by 1), then paper-1 (0.5), then scissors-1 (0.25).
    expect(html.indexOf('rock-1.png')).toBeLessThan(html.indexOf('paper-1.png'));
    expect(html.indexOf('paper-1.png')).toBeLessThan(html.indexOf('scissors-1.png'));
    expect(html).toContain('Labelled 0, the model says 1 (off by 1).');
    expect(html).not.toContain('Precision');
    expect(html).not.toContain('Confusion');
  });

  it('writes each photo’s true and predicted value and the error to the CSV', () => {
    const csv = predictionsCsv(numberRun(), new Map([['a', 'rock-1.png']]));
    expect(csv.trim().split('\n')).toEqual([
      'photo,set,true_value,predicted_value,error',
      'rock-1.png,validation,0.000000,1.000000,1.000000',
      'b,validation,5.000000,4.500000,-0.500000',
      'c,test,2.000000,2.250000,0.250000',
    ]);
  });
});
