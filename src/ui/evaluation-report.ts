/**
 * Evaluation exports and the small formatting helpers the evaluation components share. Pure: no DOM, no
 * storage, so the same text is produced in tests, in the page and in a downloaded report.
 */
import { BACKEND_LABELS } from '../ml/backends';
import { evaluate, METRIC_EXPLANATIONS, type Evaluation } from '../ml/evaluation';
import type { TrainingSettings } from '../shared/settings';
import type { PredictionSet, RunRecord } from '../shared/types';

/** "91.5%", or "—" when there is no value. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  return value == null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(decimals)}%`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The evaluation of a stored prediction set, or null when it is absent, empty or does not fit the run's classes. */
export function evaluateSet(set: PredictionSet | null | undefined, numClasses: number): Evaluation | null {
  if (!set || set.truth.length === 0 || numClasses < 1) return null;
  try {
    return evaluate(set.truth, set.probabilities, numClasses);
  } catch {
    // Stored data that does not match its run (should not happen): show it as not recorded rather than crash.
    return null;
  }
}

const OPTIMIZER_LABELS: Record<string, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' };
const BALANCE_LABELS: Record<string, string> = { auto: 'Automatic', on: 'On', off: 'Off' };
const AUGMENTATIONS = ['flip', 'rotate', 'crop', 'brightness', 'contrast', 'saturation'] as const;

const text = (value: unknown): string => (value === undefined || value === null ? '—' : String(value));

/** The training settings in plain words, in a fixed order; tolerant of fields missing from old runs. */
export function settingsRows(settings: Partial<TrainingSettings>): { name: string; value: string }[] {
  const a = settings.augmentation;
  const augmentations = a ? AUGMENTATIONS.filter((k) => a[k]).join(', ') || 'none' : '—';
  return [
    { name: 'Epochs', value: text(settings.epochs) },
    { name: 'Learning rate', value: text(settings.learningRate) },
    { name: 'Batch size', value: text(settings.batchSize) },
    { name: 'Hidden units', value: text(settings.hiddenUnits) },
    { name: 'Dropout', value: text(settings.dropout) },
    { name: 'L2 regularisation', value: text(settings.l2) },
    { name: 'Label smoothing', value: text(settings.labelSmoothing) },
    { name: 'Optimizer', value: settings.optimizer ? (OPTIMIZER_LABELS[settings.optimizer] ?? settings.optimizer) : '—' },
    {
      name: 'Photos held back for validation',
      value: settings.validationFraction == null ? '—' : formatPercent(settings.validationFraction, 0),
    },
    { name: 'Random seed', value: text(settings.seed) },
    { name: 'Class balancing', value: settings.balance ? (BALANCE_LABELS[settings.balance] ?? settings.balance) : '—' },
    { name: 'Augmented copies per photo', value: a ? (a.views === 0 ? 'none (augmentation off)' : text(a.views)) : '—' },
    { name: 'Augmentations', value: augmentations },
    { name: 'Backbone blocks to fine-tune', value: text(settings.fineTuneBlocks) },
    { name: 'Fine-tuning learning-rate factor', value: text(settings.fineTuneRateFactor) },
    { name: 'Early stopping', value: settings.earlyStopping == null ? '—' : settings.earlyStopping ? 'On' : 'Off' },
    { name: 'Patience (epochs)', value: text(settings.patience) },
    {
      name: 'Cross-validation',
      value: settings.folds == null ? '—' : settings.folds === 0 ? 'none (single validation split)' : `${settings.folds} folds`,
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

// ---------------------------------------------------------------------------------------------------------------------
// HTML report

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Only PNGs encoded inline: anything else could reach the network or carry markup. */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

/** A fixed, locale-free date, so the report reads the same wherever it is opened. */
function isoMinute(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '—' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

interface Cell {
  text: string;
  header?: boolean;
  className?: string;
}
type CellInput = string | Cell;

function table(caption: string, head: string[], rows: CellInput[][]): string {
  const cell = (c: CellInput, first: boolean): string => {
    const { text: t, header = first, className } = typeof c === 'string' ? { text: c } : c;
    const cls = className ? ` class="${escapeHtml(className)}"` : '';
    return header ? `<th scope="row"${cls}>${escapeHtml(t)}</th>` : `<td${cls}>${escapeHtml(t)}</td>`;
  };
  return [
    '<table>',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => cell(c, i === 0)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

const paragraph = (t: string, className?: string) => `<p${className ? ` class="${className}"` : ''}>${escapeHtml(t)}</p>`;

function explanations(keys: (keyof typeof METRIC_EXPLANATIONS)[]): string {
  const names: Record<keyof typeof METRIC_EXPLANATIONS, string> = {
    accuracy: 'Accuracy',
    precision: 'Precision',
    recall: 'Recall',
    f1: 'F1',
    support: 'Support',
    macro: 'Macro average',
    weighted: 'Weighted average',
    confusion: 'Confusion matrix',
    ece: 'Calibration error',
    reliability: 'Confidence bins',
    logLoss: 'Log loss',
  };
  return `<dl>${keys.map((k) => `<dt>${escapeHtml(names[k])}</dt><dd>${escapeHtml(METRIC_EXPLANATIONS[k])}</dd>`).join('')}</dl>`;
}

function metricsTable(evaluation: Evaluation, classNames: string[], caption: string): string {
  const pct = (v: number | null) => formatPercent(v);
  const rows: CellInput[][] = evaluation.perClass.map((c, i) => [
    classNames[i] ?? `Class ${i + 1}`,
    c.precision === null ? '— (never predicted)' : pct(c.precision),
    pct(c.recall),
    pct(c.f1),
    String(c.support),
  ]);
  rows.push([
    'Macro average',
    pct(evaluation.macro.precision),
    pct(evaluation.macro.recall),
    pct(evaluation.macro.f1),
    String(evaluation.count),
  ]);
  rows.push([
    'Weighted average',
    pct(evaluation.weighted.precision),
    pct(evaluation.weighted.recall),
    pct(evaluation.weighted.f1),
    String(evaluation.count),
  ]);
  return [
    paragraph(
      `Accuracy: ${pct(evaluation.accuracy)} on ${evaluation.count} photo${evaluation.count === 1 ? '' : 's'}`,
      'headline',
    ),
    table(caption, ['Class', 'Precision', 'Recall', 'F1', 'Support'], rows),
  ].join('\n');
}

function confusionTables(confusion: number[][], normalized: number[][] | null, classNames: string[], what: string): string {
  const name = (i: number) => classNames[i] ?? `Class ${i + 1}`;
  const head = ['True \\ predicted', ...confusion.map((_, i) => name(i))];
  const rows = (matrix: number[][], format: (v: number) => string): CellInput[][] =>
    matrix.map((row, i) => [name(i), ...row.map((v, j) => ({ text: format(v), className: i === j ? 'diagonal' : undefined }))]);
  const parts = [
    table(`${what}: counts (rows are true classes, columns the model's predictions)`, head, rows(confusion, String)),
  ];
  if (normalized) {
    parts.push(
      table(
        `${what}: share of each true class (rows are true classes, columns the model's predictions)`,
        head,
        rows(normalized, (v) => formatPercent(v, 0)),
      ),
    );
  }
  return parts.join('\n');
}

function calibration(evaluation: Evaluation): string {
  if (evaluation.ece === null) return paragraph('There are no photos to measure calibration on.');
  return [
    paragraph(`Expected calibration error: ${formatPercent(evaluation.ece)}`, 'headline'),
    evaluation.logLoss === null ? '' : paragraph(`Log loss: ${evaluation.logLoss.toFixed(3)}`),
    table(
      'Confidence bins',
      ['Confidence', 'Photos', 'Mean confidence', 'Accuracy'],
      evaluation.reliability.map((b) => [
        `${formatPercent(b.lower, 0)}–${formatPercent(b.upper, 0)}`,
        { text: String(b.count) },
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
caption{text-align:left;color:#5c534d;padding-bottom:.3rem}
th,td{border:1px solid #d9d0c8;padding:.25rem .6rem;text-align:center}
th[scope=row]{text-align:left}
td.diagonal{background:#e8f3ec;font-weight:600}
.headline{font-size:1.1rem;font-weight:600}
.muted{color:#5c534d}
dt{font-weight:600}dd{margin:0 0 .4rem 1rem}
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
}

/** A self-contained HTML report of one training: inline CSS, no scripts, nothing fetched from anywhere. */
export function evaluationReportHtml(input: EvaluationReportInput): string {
  const { projectName, run, generatedAt } = input;
  const numClasses = run.classes.length;
  const classNames = run.classes.map((c, i) => input.classNames[i] ?? c.name);
  const validation = evaluateSet(run.validationPredictions, numClasses);
  const test = evaluateSet(run.testPredictions, numClasses);
  const body: string[] = [];

  body.push(`<h1>Evaluation report: ${escapeHtml(projectName)}</h1>`);
  body.push(paragraph(`Generated ${generatedAt} by Kiln.`, 'muted'));

  body.push('<h2>The training</h2>');
  const summary: CellInput[][] = [
    ['Trained', isoMinute(run.createdAt)],
    ['Status', run.status === 'running' ? 'in progress' : run.status],
    ['Backbone', run.backboneName || run.backboneId],
    ['Backbone blocks fine-tuned', String(run.fineTunedBlocks)],
    ['Backend', BACKEND_LABELS[run.backend] ?? run.backend],
    ['Duration', formatDuration(run.durationMs)],
    ['Epochs run', String(run.curves.length)],
    ['Epoch kept', String(run.finalEpoch)],
    ['Training photos', String(run.metrics.trainCount)],
    ['Validation photos', String(run.metrics.validationCount)],
    ['Classes', run.classes.map((c, i) => `${classNames[i]} (${run.data?.classCounts[i] ?? c.count})`).join(', ')],
  ];
  if (run.data) summary.push(['Test-only photos', String(run.data.testCount)]);
  if (run.imported) summary.push(['Imported from', `${run.imported.fileName} (${run.imported.madeWith || 'Teachable Machine'})`]);
  if (run.classWeights)
    summary.push(['Class weights', run.classWeights.map((w, i) => `${classNames[i]} ×${w.toFixed(2)}`).join(', ')]);
  body.push(table('Summary', ['Item', 'Value'], summary));
  body.push(
    table(
      'Settings',
      ['Setting', 'Value'],
      settingsRows(run.settings).map((r) => [r.name, r.value]),
    ),
  );

  body.push('<h2>Validation photos</h2>');
  if (validation) {
    body.push(metricsTable(validation, classNames, 'Validation photos: precision, recall and F1 by class'));
    body.push(explanations(['accuracy', 'precision', 'recall', 'f1', 'support', 'macro', 'weighted']));
    body.push('<h3>Confusion matrix</h3>');
    body.push(confusionTables(validation.confusion, validation.normalized, classNames, 'Validation photos'));
    body.push(explanations(['confusion']));
    body.push('<h3>Calibration</h3>');
    body.push(calibration(validation));
  } else if (run.metrics.validationCount > 0) {
    body.push(
      paragraph(
        `Accuracy: ${formatPercent(run.metrics.validationAccuracy)} on ${run.metrics.validationCount} photos`,
        'headline',
      ),
    );
    body.push(
      paragraph('The answers for each photo were not recorded for this training, so only the confusion matrix is shown.'),
    );
    body.push(confusionTables(run.metrics.confusion, null, classNames, 'Validation photos'));
  } else {
    body.push(paragraph('No photos were held back for validation in this training.'));
  }

  if (test) {
    body.push('<h2>Test photos</h2>');
    body.push(paragraph('Photos marked "test only": never trained or validated on.', 'muted'));
    body.push(metricsTable(test, classNames, 'Test photos: precision, recall and F1 by class'));
    body.push(confusionTables(test.confusion, test.normalized, classNames, 'Test photos'));
    body.push('<h3>Calibration on the test photos</h3>');
    body.push(calibration(test));
  }

  const cv = run.crossValidation;
  if (cv && cv.folds.length) {
    body.push('<h2>Cross-validation</h2>');
    if (cv.accuracy && cv.macroF1) {
      body.push(
        paragraph(
          `Over ${cv.k} folds: accuracy ${formatPercent(cv.accuracy.mean)} ± ${formatPercent(cv.accuracy.std)}, macro F1 ${formatPercent(cv.macroF1.mean)} ± ${formatPercent(cv.macroF1.std)}`,
          'headline',
        ),
      );
    }
    body.push(
      table(
        'Cross-validation, fold by fold',
        ['Fold', 'Accuracy', 'Macro F1', 'Photos scored', 'Epochs'],
        cv.folds.map((f) => [
          String(f.fold),
          formatPercent(f.accuracy),
          formatPercent(f.macroF1),
          String(f.validationCount),
          String(f.epochs),
        ]),
      ),
    );
  }

  if (run.curves.length) {
    body.push('<h2>Training curves</h2>');
    const num = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(4));
    body.push(
      table(
        'Epoch by epoch',
        ['Epoch', 'Loss', 'Accuracy', 'Validation loss', 'Validation accuracy'],
        run.curves.map((e) => [
          String(e.epoch),
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
    body.push('<h2>Charts</h2>');
    for (const c of charts) {
      // The URL passed the pattern above, so it holds no quote or markup; escaping is belt and braces.
      body.push(
        `<figure><img src="${escapeHtml(c.pngDataUrl)}" alt="${escapeHtml(c.title)}"><figcaption>${escapeHtml(c.title)}</figcaption></figure>`,
      );
    }
  }

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Kiln evaluation: ${escapeHtml(projectName)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body.filter(Boolean),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
