import { describe, expect, it } from 'vitest';
import {
  largestErrors,
  parseValue,
  quantityProblem,
  regressionScores,
  residualsByRange,
  scaleTarget,
  unscaleTarget,
  valueBands,
  valueFromFolderName,
  type Quantity,
} from './regression';
import { readValueCsv } from './value-csv';

const ripeness: Quantity = { name: 'ripeness', unit: '', min: 0, max: 10 };

describe('regression scores', () => {
  it('match MSE, RMSE, MAE and R² computed by hand', () => {
    // errors: +1, −1, +2, 0 → squared 1, 1, 4, 0 (sum 6); absolute sum 4; truth mean 5, spread 4+0+4+16 = 24
    const s = regressionScores([3, 5, 7, 5 + 4], [4, 4, 9, 9]);
    expect(s.count).toBe(4);
    expect(s.mse).toBeCloseTo(6 / 4, 10);
    expect(s.rmse).toBeCloseTo(Math.sqrt(1.5), 10);
    expect(s.mae).toBeCloseTo(1, 10);
    // truth 3, 5, 7, 9 → mean 6, spread 9 + 1 + 1 + 9 = 20
    expect(s.r2).toBeCloseTo(1 - 6 / 20, 10);
  });

  it('give R² = 0 for always answering the mean, and the baseline RMSE of the training mean', () => {
    const s = regressionScores([2, 4, 6], [4, 4, 4], 3);
    expect(s.r2).toBeCloseTo(0, 10);
    // (2−3)², (4−3)², (6−3)² = 1, 1, 9 → sqrt(11/3)
    expect(s.baselineRmse).toBeCloseTo(Math.sqrt(11 / 3), 10);
  });

  it('leave R² out when every true value is the same, and are empty for no photos', () => {
    expect(regressionScores([5, 5], [4, 6]).r2).toBeNull();
    expect(regressionScores([], []).count).toBe(0);
  });

  it('put errors in bands of the range, saying which way the model is off', () => {
    const bands = residualsByRange([1, 2, 6, 10], [2, 2, 5, 7], ripeness, 2);
    expect(bands.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 5, 2],
      [5, 10, 2],
    ]);
    expect(bands[0]!.bias).toBeCloseTo(0.5);
    expect(bands[1]!.bias).toBeCloseTo(-2);
    expect(bands[1]!.mae).toBeCloseTo(2);
  });

  it('list the largest errors first', () => {
    expect(largestErrors([0, 5, 10, 3], [1, 9, 10, 1])).toEqual([1, 3, 0, 2]);
    expect(largestErrors([0, 5, 10, 3], [1, 9, 10, 1], 2)).toEqual([1, 3]);
  });
});

describe('target scaling', () => {
  it('maps the range onto −1…1 and back', () => {
    expect(scaleTarget(0, ripeness)).toBe(-1);
    expect(scaleTarget(5, ripeness)).toBe(0);
    expect(scaleTarget(10, ripeness)).toBe(1);
    const percent: Quantity = { name: 'full', unit: '%', min: 20, max: 120 };
    for (const v of [20, 33.3, 70, 120]) expect(unscaleTarget(scaleTarget(v, percent), percent)).toBeCloseTo(v, 10);
  });

  it('puts values in equal bands of the range, for a split that keeps every part', () => {
    expect(valueBands([0, 2.4, 2.5, 9.99, 10], ripeness)).toEqual([0, 0, 1, 3, 3]);
  });
});

describe('typed values', () => {
  it('accepts decimals with a point or a comma inside the range', () => {
    expect(parseValue('7', ripeness)).toEqual({ value: 7 });
    expect(parseValue(' 7,5 ', ripeness)).toEqual({ value: 7.5 });
    expect(parseValue('.5', ripeness)).toEqual({ value: 0.5 });
    expect(valueFromFolderName('10', ripeness)).toBe(10);
    expect(valueFromFolderName('ants', ripeness)).toBeNull();
  });

  it('refuses text, NaN, infinity, exponents and values outside the range', () => {
    for (const text of ['ripe', '', 'NaN', 'Infinity', '1e1', '0x5', '5 kg'])
      expect(parseValue(text, ripeness)).toEqual({ problem: 'value.notANumber' });
    expect(parseValue('11', ripeness)).toEqual({ problem: 'value.outOfRange' });
    expect(parseValue('-0.1', ripeness)).toEqual({ problem: 'value.outOfRange' });
  });

  it('checks the quantity itself', () => {
    expect(quantityProblem(ripeness)).toBeNull();
    expect(quantityProblem({ ...ripeness, name: ' ' })).toBe('quantity.nameMissing');
    expect(quantityProblem({ ...ripeness, min: 10 })).toBe('quantity.rangeInvalid');
    expect(quantityProblem({ ...ripeness, max: Number.NaN })).toBe('quantity.rangeInvalid');
  });
});

describe('values CSV', () => {
  it('reads file names and values, skipping a header, and refuses bad rows naming them', () => {
    const csv = 'file name,value\nants/a.jpg,3\nb.jpg,ripe\nc.jpg,12\nd.jpg,\ne.jpg,4.5\nA.JPG,2\n';
    const table = readValueCsv(csv, ripeness);
    expect(table.values).toEqual([
      { name: 'ants/a.jpg', value: 3, row: 2 },
      { name: 'e.jpg', value: 4.5, row: 6 },
    ]);
    expect(table.refused.map((r) => [r.row, r.name, r.problem])).toEqual([
      [3, 'b.jpg', 'value.notANumber'],
      [4, 'c.jpg', 'value.outOfRange'],
      [5, 'd.jpg', 'csv.missingValue'],
      [7, 'A.JPG', 'csv.duplicate'],
    ]);
  });

  it('reads semicolon files with decimal commas, as spreadsheets in many languages save them', () => {
    const table = readValueCsv('\uFEFFa.jpg;7,5\r\nb.jpg;2\r\n', ripeness);
    expect(table.values.map((v) => [v.name, v.value])).toEqual([
      ['a.jpg', 7.5],
      ['b.jpg', 2],
    ]);
    expect(table.refused).toEqual([]);
  });
});
