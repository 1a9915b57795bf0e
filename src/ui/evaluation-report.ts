/**
 * Evaluation exports and the small formatting helpers the evaluation components share. Pure: no DOM, no
 * storage, so the same text is produced in tests, in the page and in a downloaded report.
 */
import { BACKEND_LABELS } from '../api/domain';
import { evaluate, METRIC_EXPLANATIONS, type Evaluation } from '../api/domain';
import type { TrainingSettings } from '../api/settings';
import type { PredictionSet, RunRecord } from '../api/types';
import { downloadName } from '../shared/file-names';
import { escapeHtml } from '../shared/html';
import { formatDecimal, formatDuration, formatNumber, formatPercent, formatQuantityValue } from './i18n/format';
import { language, t } from './i18n/i18n';
import { textDirection } from './i18n/languages';
import { paragraph, table, type CellInput } from './report-html';
import { valueReportSections } from './value-report';

// Locale-aware since the languages work; re-exported here for the evaluation components and tests.
export { formatDuration, formatPercent };
// One escaping rule for every HTML Kiln writes (src/shared/html.ts); re-exported for the evaluation tests.
export { escapeHtml };

/**
 * The names of the downloaded predictions CSV and report: the project name made safe and readable in any script
 * (shared/file-names.ts, the rule every Kiln download follows), then the suffix.
 */
export const predictionsFileName = (projectName: string): string => downloadName(projectName, '-predictions.csv');
export const reportFileName = (projectName: string): string => downloadName(projectName, '-report.html');

/** The evaluation of a stored prediction set, or null when it is absent, empty or does not fit the run's classes. */
export function evaluateSet(set: PredictionSet | null | undefined, numClasses: number): Evaluation | null {
  // Fewer than 2 classes: a "Predict a number" run (its sets hold values, not classes), never scored as classes.
  if (!set || set.truth.length === 0 || numClasses < 2) return null;
  try {
    return evaluate(set.truth, set.probabilities, numClasses);
  } catch {
    // Stored data that does not match its run (should not happen): show it as not recorded rather than crash.
    return null;
  }
}

const OPTIMIZER_LABELS: Record<string, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };
const BALANCES = ['auto', 'on', 'off'];
const AUGMENTATIONS = ['flip', 'rotate', 'crop', 'brightness', 'contrast', 'saturation'] as const;

/** A setting's value in the current language's digits; no grouping, so seeds and rates read as typed. */
const text = (value: unknown): string =>
  value === undefined || value === null
    ? '—'
    : typeof value === 'number'
      ? formatNumber(value, { useGrouping: false, maximumFractionDigits: 10 })
      : String(value);

/** The training settings in plain words, in a fixed order; tolerant of fields missing from old runs. */
export function settingsRows(settings: Partial<TrainingSettings>): { name: string; value: string }[] {
  const a = settings.augmentation;
  const augmentations = a
    ? AUGMENTATIONS.filter((k) => a[k])
        .map((k) => t(`settings.augmentation.${k}`))
        .join(', ') || t('settings.none')
    : '—';
  const onOff = (on: boolean | null | undefined) => (on == null ? '—' : t(on ? 'settings.on' : 'settings.off'));
  return [
    { name: t('settings.epochs'), value: text(settings.epochs) },
    { name: t('settings.learningRate'), value: text(settings.learningRate) },
    { name: t('settings.batchSize'), value: text(settings.batchSize) },
    { name: t('settings.hiddenUnits'), value: text(settings.hiddenUnits) },
    { name: t('settings.dropout'), value: text(settings.dropout) },
    { name: t('settings.l2'), value: text(settings.l2) },
    { name: t('settings.labelSmoothing'), value: text(settings.labelSmoothing) },
    {
      name: t('settings.optimizer'),
      value: settings.optimizer ? (OPTIMIZER_LABELS[settings.optimizer] ?? settings.optimizer) : '—',
    },
    {
      name: t('settings.validationFraction'),
      value: settings.validationFraction == null ? '—' : formatPercent(settings.validationFraction, 0),
    },
    { name: t('settings.seed'), value: text(settings.seed) },
    {
      name: t('settings.balance'),
      value: settings.balance
        ? BALANCES.includes(settings.balance)
          ? t(`settings.${settings.balance}`)
          : settings.balance
        : '—',
    },
    {
      name: t('settings.views'),
      value: a ? (a.views === 0 ? t('settings.augmentationOff') : text(a.views)) : '—',
    },
    { name: t('settings.augmentations'), value: augmentations },
    { name: t('settings.fineTuneBlocks'), value: text(settings.fineTuneBlocks) },
    { name: t('settings.fineTuneRateFactor'), value: text(settings.fineTuneRateFactor) },
    { name: t('settings.earlyStopping'), value: onOff(settings.earlyStopping) },
    { name: t('settings.patience'), value: text(settings.patience) },
    { name: t('settings.refitOnAll'), value: settings.refitOnAll == null ? '—' : onOff(settings.refitOnAll) },
    { name: t('settings.averagedHeads'), value: settings.averagedHeads == null ? '—' : text(settings.averagedHeads) },
    {
      name: t('settings.folds'),
      value:
        settings.folds == null
          ? '—'
          : settings.folds === 0
            ? t('settings.singleSplit')
            : t('settings.foldCount', { folds: formatNumber(settings.folds) }),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------------
// CSV

/** Starts that make a spreadsheet treat a cell as a formula (OWASP's list; tab and CR are the less obvious ones). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: defused against formula injection, then quoted when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvNumber = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '' : value.toFixed(6));

/**
 * The run's answer for every validation photo, then every test photo, one row each, with the probability of every
 * class. Lines end with "\n", the last one too.
 */
export function predictionsCsv(run: RunRecord, sampleNames: Map<string, string>): string {
  if (run.quantity) return valuePredictionsCsv(run, sampleNames);
  const classes = run.classes.map((c) => c.name);
  const n = classes.length;
  const lines = [['photo', 'set', 'true_class', 'predicted_class', 'confidence', ...classes.map((c) => `p_${c}`)].map(csvField)];
  const sets: [string, PredictionSet | null | undefined][] = [
    ['validation', run.validationPredictions],
    ['test', run.testPredictions],
  ];
  for (const [setName, set] of sets) {
    if (!set) continue;
    set.sampleIds.forEach((id, row) => {
      const p = set.probabilities.slice(row * n, row * n + n);
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
      const truth = set.truth[row];
      lines.push([
        csvField(sampleNames.get(id) ?? id),
        setName,
        csvField(truth === undefined ? '' : (classes[truth] ?? String(truth))),
        csvField(classes[best] ?? ''),
        csvNumber(p[best]),
        ...classes.map((_, k) => csvNumber(p[k])),
      ]);
    });
  }
  return lines.map((fields) => fields.join(',')).join('\n') + '\n';
}

/** A "Predict a number" run's answers: each photo's true and predicted value and the error, in the quantity's unit. */
function valuePredictionsCsv(run: RunRecord, sampleNames: Map<string, string>): string {
  const lines = [['photo', 'set', 'true_value', 'predicted_value', 'error'].map(csvField)];
  const sets: [string, PredictionSet | null | undefined][] = [
    ['validation', run.validationPredictions],
    ['test', run.testPredictions],
  ];
  for (const [setName, set] of sets) {
    set?.sampleIds.forEach((id, row) => {
      const truth = set.truth[row]!;
      const predicted = set.probabilities[row]!;
      lines.push([
        csvField(sampleNames.get(id) ?? id),
        setName,
        csvNumber(truth),
        csvNumber(predicted),
        csvNumber(predicted - truth),
      ]);
    });
  }
  return lines.map((fields) => fields.join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------------------
// HTML report

/** Only PNGs encoded inline: anything else could reach the network or carry markup. */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

/** A fixed, locale-free date, so the report reads the same wherever it is opened. */
function isoMinute(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '—' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function explanations(keys: (keyof typeof METRIC_EXPLANATIONS)[]): string {
  const names: Record<keyof typeof METRIC_EXPLANATIONS, string> = {
    accuracy: t('metrics.accuracy'),
    precision: t('metrics.precision'),
    recall: t('metrics.recall'),
    f1: t('metrics.f1'),
    support: t('metrics.support'),
    macro: t('metrics.macroAverage'),
    weighted: t('metrics.weightedAverage'),
    confusion: t('report.confusionMatrix'),
    ece: t('report.calibrationError'),
    reliability: t('reliability.bins'),
    logLoss: t('compare.logLoss'),
  };
  return `<dl>${keys.map((k) => `<dt>${escapeHtml(names[k])}</dt><dd>${escapeHtml(t(`metrics.explain.${k}`))}</dd>`).join('')}</dl>`;
}

function metricsTable(evaluation: Evaluation, classNames: string[], caption: string): string {
  const pct = (v: number | null) => formatPercent(v);
  const rows: CellInput[][] = evaluation.perClass.map((c, i) => [
    classNames[i] ?? t('metrics.classN', { n: formatNumber(i + 1) }),
    c.precision === null ? t('metrics.neverPredicted') : pct(c.precision),
    pct(c.recall),
    pct(c.f1),
    formatNumber(c.support),
  ]);
  rows.push([
    t('metrics.macroAverage'),
    pct(evaluation.macro.precision),
    pct(evaluation.macro.recall),
    pct(evaluation.macro.f1),
    formatNumber(evaluation.count),
  ]);
  rows.push([
    t('metrics.weightedAverage'),
    pct(evaluation.weighted.precision),
    pct(evaluation.weighted.recall),
    pct(evaluation.weighted.f1),
    formatNumber(evaluation.count),
  ]);
  const head = ['class', 'precision', 'recall', 'f1', 'support'].map((k) => t(`metrics.${k}`));
  return [
    paragraph(t('report.accuracyOn', { accuracy: pct(evaluation.accuracy), count: evaluation.count }), 'headline'),
    table(caption, head, rows),
  ].join('\n');
}

function confusionTables(confusion: number[][], normalized: number[][] | null, classNames: string[], what: string): string {
  const name = (i: number) => classNames[i] ?? t('metrics.classN', { n: formatNumber(i + 1) });
  const head = [t('compare.corner'), ...confusion.map((_, i) => name(i))];
  const rows = (matrix: number[][], format: (v: number) => string): CellInput[][] =>
    matrix.map((row, i) => [name(i), ...row.map((v, j) => ({ text: format(v), className: i === j ? 'diagonal' : undefined }))]);
  const parts = [
    table(
      t('report.counts', { what }),
      head,
      rows(confusion, (v) => formatNumber(v)),
    ),
  ];
  if (normalized) {
    parts.push(
      table(
        t('report.shares', { what }),
        head,
        rows(normalized, (v) => formatPercent(v, 0)),
      ),
    );
  }
  return parts.join('\n');
}

function calibration(evaluation: Evaluation): string {
  if (evaluation.ece === null) return paragraph(t('report.noCalibration'));
  return [
    paragraph(t('report.ece', { value: formatPercent(evaluation.ece) }), 'headline'),
    evaluation.logLoss === null ? '' : paragraph(t('report.logLoss', { value: formatDecimal(evaluation.logLoss, 3) })),
    table(
      t('reliability.bins'),
      ['confidence', 'photos', 'meanConfidence', 'accuracy'].map((k) => t(`reliability.${k}`)),
      evaluation.reliability.map((b) => [
        `${formatPercent(b.lower, 0)}–${formatPercent(b.upper, 0)}`,
        { text: formatNumber(b.count) },
        { text: formatPercent(b.meanConfidence) },
        { text: formatPercent(b.accuracy) },
      ]),
    ),
    explanations(['ece', 'reliability', 'logLoss']),
  ].join('\n');
}

const REPORT_CSS = `
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:#1f1a17;background:#fff;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1,h2{line-height:1.2}h2{margin-top:2rem;border-bottom:1px solid #d9d0c8;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.75rem 0;width:max-content;max-width:100%}
caption{text-align:start;color:#5c534d;padding-bottom:.3rem}
th,td{border:1px solid #d9d0c8;padding:.25rem .6rem;text-align:center}
th[scope=row]{text-align:start}
td.diagonal{background:#e8f3ec;font-weight:600}
.headline{font-size:1.1rem;font-weight:600}
.muted{color:#5c534d}
dt{font-weight:600}dd{margin:0 0 .4rem;margin-inline-start:1rem}
figure{margin:1rem 0}img{max-width:100%;height:auto;border:1px solid #d9d0c8}
@media print{body{margin:0}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

export interface EvaluationReportInput {
  projectName: string;
  run: RunRecord;
  /** Names for the run's classes, in run class order. */
  classNames: string[];
  /** When the report was made, as the caller wants it shown. */
  generatedAt: string;
  charts: { title: string; pngDataUrl: string }[];
  /** Photo names by id: a number run's report lists its largest errors by name. */
  sampleNames?: ReadonlyMap<string, string>;
}

/** A self-contained HTML report of one training: inline CSS, no scripts, nothing fetched from anywhere. */
export function evaluationReportHtml(input: EvaluationReportInput): string {
  const { projectName, run, generatedAt } = input;
  const numClasses = run.classes.length;
  const classNames = run.classes.map((c, i) => input.classNames[i] ?? c.name);
  const validation = evaluateSet(run.validationPredictions, numClasses);
  const test = evaluateSet(run.testPredictions, numClasses);
  const body: string[] = [];

  body.push(`<h1>${escapeHtml(t('report.title', { name: projectName }))}</h1>`);
  body.push(paragraph(t('report.generated', { date: generatedAt }), 'muted'));

  body.push(`<h2>${escapeHtml(t('report.theTraining'))}</h2>`);
  const status = (['running', 'completed', 'stopped'] as const).find((s) => s === run.status);
  const summary: CellInput[][] = [
    [t('report.trained'), isoMinute(run.createdAt)],
    [t('report.status'), status ? t(`report.statusValue.${status}`) : run.status],
    [t('compare.backbone'), run.backboneName || run.backboneId],
    [t('compare.fineTunedBlocks'), formatNumber(run.fineTunedBlocks)],
    [t('runs.backend'), BACKEND_LABELS[run.backend] ?? run.backend],
    [t('runs.duration'), formatDuration(run.durationMs)],
    [t('report.epochsRun'), formatNumber(run.curves.length)],
    [t('report.epochKept'), formatNumber(run.finalEpoch)],
    [t('report.trainingPhotos'), formatNumber(run.metrics.trainCount)],
    [t('report.validationPhotos'), formatNumber(run.metrics.validationCount)],
    run.quantity
      ? [
          t('number.projectKind', { quantity: run.quantity.name }),
          `${formatQuantityValue(run.quantity.min, run.quantity)} – ${formatQuantityValue(run.quantity.max, run.quantity)}`,
        ]
      : [
          t('report.classes'),
          run.classes.map((c, i) => `${classNames[i]} (${formatNumber(run.data?.classCounts[i] ?? c.count)})`).join(', '),
        ],
  ];
  if (run.data) summary.push([t('compare.testOnly'), formatNumber(run.data.testCount)]);
  if (run.imported)
    summary.push([t('report.importedFrom'), `${run.imported.fileName} (${run.imported.madeWith || 'Teachable Machine'})`]);
  if (run.classWeights)
    summary.push([
      t('report.classWeights'),
      run.classWeights.map((w, i) => `${classNames[i]} ×${formatDecimal(w, 2)}`).join(', '),
    ]);
  body.push(table(t('report.summary'), [t('report.item'), t('report.value')], summary));
  body.push(
    table(
      t('report.settings'),
      [t('compare.setting'), t('report.value')],
      settingsRows(run.settings).map((r) => [r.name, r.value]),
    ),
  );

  const validationPhotos = t('report.validationPhotos');
  if (run.quantity) body.push(...valueReportSections(run, run.quantity, input.sampleNames ?? new Map()));
  else body.push(`<h2>${escapeHtml(validationPhotos)}</h2>`);
  if (run.quantity) {
    // Scored above, by its errors.
  } else if (validation) {
    body.push(metricsTable(validation, classNames, t('report.validationByClass')));
    body.push(explanations(['accuracy', 'precision', 'recall', 'f1', 'support', 'macro', 'weighted']));
    body.push(`<h3>${escapeHtml(t('report.confusionMatrix'))}</h3>`);
    body.push(confusionTables(validation.confusion, validation.normalized, classNames, validationPhotos));
    body.push(explanations(['confusion']));
    body.push(`<h3>${escapeHtml(t('report.calibration'))}</h3>`);
    body.push(calibration(validation));
  } else if (run.metrics.validationCount > 0) {
    body.push(
      paragraph(
        t('report.accuracyOn', {
          accuracy: formatPercent(run.metrics.validationAccuracy),
          count: run.metrics.validationCount,
        }),
        'headline',
      ),
    );
    body.push(paragraph(t('report.notRecorded')));
    body.push(confusionTables(run.metrics.confusion, null, classNames, validationPhotos));
  } else {
    body.push(paragraph(t('report.noValidation')));
  }

  if (test) {
    const testPhotos = t('report.testPhotos');
    body.push(`<h2>${escapeHtml(testPhotos)}</h2>`);
    body.push(paragraph(t('report.testOnlyNote'), 'muted'));
    body.push(metricsTable(test, classNames, t('report.testByClass')));
    body.push(confusionTables(test.confusion, test.normalized, classNames, testPhotos));
    body.push(`<h3>${escapeHtml(t('report.testCalibration'))}</h3>`);
    body.push(calibration(test));
  }

  const cv = run.crossValidation;
  if (cv && cv.folds.length && !run.quantity) {
    body.push(`<h2>${escapeHtml(t('report.crossValidation'))}</h2>`);
    if (cv.accuracy && cv.macroF1) {
      body.push(
        paragraph(
          t('report.overFolds', {
            k: formatNumber(cv.k),
            accuracy: formatPercent(cv.accuracy.mean),
            accuracyStd: formatPercent(cv.accuracy.std),
            f1: formatPercent(cv.macroF1.mean),
            f1Std: formatPercent(cv.macroF1.std),
          }),
          'headline',
        ),
      );
    }
    body.push(
      table(
        t('evaluate.foldsCaption'),
        [t('evaluate.fold'), t('evaluate.accuracy'), t('evaluate.macroF1'), t('evaluate.photosScored'), t('results.epochs')],
        cv.folds.map((f) => [
          formatNumber(f.fold),
          formatPercent(f.accuracy),
          formatPercent(f.macroF1),
          formatNumber(f.validationCount),
          formatNumber(f.epochs),
        ]),
      ),
    );
  }

  if (run.curves.length) {
    body.push(`<h2>${escapeHtml(t('report.curves'))}</h2>`);
    const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : formatDecimal(v, 4));
    body.push(
      table(
        t('train.epochByEpoch'),
        run.quantity
          ? [
              t('train.epochColumn'),
              t('train.loss'),
              t('number.closeTitle'),
              t('train.validationLoss'),
              t('number.closeValidation'),
            ]
          : ['epochColumn', 'loss', 'accuracy', 'validationLoss', 'validationAccuracy'].map((k) => t(`train.${k}`)),
        run.curves.map((e) => [
          formatNumber(e.epoch),
          num(e.loss),
          formatPercent(e.accuracy),
          num(e.valLoss),
          formatPercent(e.valAccuracy),
        ]),
      ),
    );
  }

  const charts = input.charts.filter((c) => PNG_DATA_URL.test(c.pngDataUrl));
  if (charts.length) {
    body.push(`<h2>${escapeHtml(t('report.charts'))}</h2>`);
    for (const c of charts) {
      // The URL passed the pattern above, so it holds no quote or markup; escaping is belt and braces.
      body.push(
        `<figure><img src="${escapeHtml(c.pngDataUrl)}" alt="${escapeHtml(c.title)}"><figcaption>${escapeHtml(c.title)}</figcaption></figure>`,
      );
    }
  }

  return [
    '<!doctype html>',
    `<html lang="${language()}" dir="${textDirection(language())}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(t('report.documentTitle', { name: projectName }))}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body.filter(Boolean),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
