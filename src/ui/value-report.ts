/**
 * The parts of the downloaded HTML report that differ for a "Predict a number" run (docs/REGRESSION.md): its scores
 * on the held-back and test photos, cross-validation RMSE, errors by part of the range and the largest errors.
 */
import { largestErrors, regressionScores, residualsByRange, type Quantity, type RegressionScores } from '../api/domain';
import type { PredictionSet, RunRecord } from '../api/types';
import { escapeHtml } from '../shared/html';
import { formatDecimal, formatNumber, formatQuantityValue } from './i18n/format';
import { t } from './i18n/i18n';
import { paragraph, table, type CellInput } from './report-html';

const LARGEST_LISTED = 20;

export function valueReportSections(run: RunRecord, quantity: Quantity, names: ReadonlyMap<string, string>): string[] {
  const value = (v: number | null | undefined) => (v == null ? '—' : formatQuantityValue(v, quantity));
  const points = (set: PredictionSet | null | undefined) =>
    set ? set.sampleIds.map((id, i) => ({ id, truth: set.truth[i]!, predicted: set.probabilities[i]! })) : [];
  const heldBack = points(run.validationPredictions);
  const test = points(run.testPredictions);
  const all = [...heldBack, ...test];
  const scoresOf = (list: typeof all): RegressionScores | null =>
    list.length
      ? regressionScores(
          list.map((p) => p.truth),
          list.map((p) => p.predicted),
          run.trainMean ?? null,
        )
      : null;
  const sets = [
    { name: t('number.results.heldBackColumn', { count: heldBack.length }), scores: scoresOf(heldBack) },
    { name: t('number.results.testColumn', { count: test.length }), scores: scoresOf(test) },
  ].filter((s): s is { name: string; scores: RegressionScores } => s.scores !== null);
  const body: string[] = [`<h2>${escapeHtml(t('number.results.scores'))}</h2>`];
  if (sets.length === 0) {
    body.push(paragraph(t('number.results.noneHeldBack')));
    return body;
  }
  const rows: [string, (s: RegressionScores) => string][] = [
    ['MSE', (s) => formatDecimal(s.mse, 3)],
    ['RMSE', (s) => value(s.rmse)],
    ['MAE', (s) => value(s.mae)],
    ['R²', (s) => (s.r2 === null ? '—' : formatDecimal(s.r2, 2))],
    [t('number.results.baseline'), (s) => value(s.baselineRmse)],
  ];
  body.push(
    table(
      t('number.results.scores'),
      [t('number.results.score'), ...sets.map((s) => s.name)],
      rows.map(([name, pick]) => [name, ...sets.map((s) => pick(s.scores))]),
    ),
  );
  body.push(paragraph(t('number.results.help'), 'muted'));

  const cv = run.crossValidation;
  if (cv?.rmse && cv.folds.length) {
    body.push(
      table(
        t('number.results.cv', { k: formatNumber(cv.k), mean: value(cv.rmse.mean), std: value(cv.rmse.std) }),
        [t('evaluate.fold'), 'RMSE', 'MAE', 'R²', t('evaluate.photosScored')],
        cv.folds.map((f) => [
          formatNumber(f.fold),
          value(f.rmse),
          value(f.mae),
          f.r2 == null ? '—' : formatDecimal(f.r2, 2),
          formatNumber(f.validationCount),
        ]),
      ),
    );
  }

  const bands = residualsByRange(
    all.map((p) => p.truth),
    all.map((p) => p.predicted),
    quantity,
  );
  body.push(`<h2>${escapeHtml(t('number.evaluate.bandsTitle'))}</h2>`);
  body.push(
    table(
      t('number.evaluate.bandsTitle'),
      [t('number.evaluate.band', { quantity: quantity.name }), t('number.evaluate.bandPhotos'), 'MAE', t('number.evaluate.bias')],
      bands.map((b): CellInput[] => [
        t('number.evaluate.bandRange', { from: value(b.from), to: value(b.to) }),
        formatNumber(b.count),
        value(b.mae),
        b.bias === null
          ? '—'
          : t(b.bias >= 0 ? 'number.evaluate.tooHigh' : 'number.evaluate.tooLow', { value: value(Math.abs(b.bias)) }),
      ]),
    ),
  );

  body.push(`<h2>${escapeHtml(t('number.evaluate.largestTitle'))}</h2>`);
  const largest = largestErrors(
    all.map((p) => p.truth),
    all.map((p) => p.predicted),
    LARGEST_LISTED,
  ).map((i) => all[i]!);
  body.push(
    `<ol>${largest
      .map(
        (p) =>
          `<li><bdi>${escapeHtml(names.get(p.id) ?? t('evaluate.deletedPhoto'))}</bdi>: ${escapeHtml(
            t('number.evaluate.labelledSays', {
              truth: value(p.truth),
              predicted: value(p.predicted),
              error: value(Math.abs(p.predicted - p.truth)),
            }),
          )}</li>`,
      )
      .join('')}</ol>`,
  );
  return body;
}
