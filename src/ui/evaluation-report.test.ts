import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import type { RunRecord } from '../api/types';
import { csvField, escapeHtml, evaluationReportHtml, formatDuration, predictionsCsv, settingsRows } from './evaluation-report';
import { predictionsFileName, reportFileName } from './evaluation-report';

function makeRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    projectId: 'p1',
    createdAt: Date.UTC(2025, 0, 15, 9, 30),
    durationMs: 12_345,
    status: 'completed',
    backboneId: 'mobilenet-v2',
    backboneName: 'MobileNetV2 1.0',
    backend: 'webgl',
    settings: DEFAULT_SETTINGS,
    classes: [
      { id: 'c1', name: 'ants', count: 6 },
      { id: 'c2', name: 'bees', count: 5 },
    ],
    curves: [
      { epoch: 1, loss: 0.9, accuracy: 0.5, valLoss: 0.8, valAccuracy: 0.5 },
      { epoch: 2, loss: 0.4, accuracy: 0.9, valLoss: 0.5, valAccuracy: 0.75 },
    ],
    metrics: {
      trainCount: 7,
      validationCount: 4,
      validationAccuracy: 0.75,
      confusion: [
        [2, 0],
        [1, 1],
      ],
    },
    finalEpoch: 2,
    earlyStopped: false,
    classWeights: null,
    crossValidation: null,
    split: { train: [], validation: ['s1', 's2', 's3', 's4'] },
    fineTunedBlocks: 0,
    embeddings: { computed: 11, reused: 0 },
    validationPredictions: {
      sampleIds: ['s1', 's2', 's3', 's4'],
      truth: [0, 0, 1, 1],
      probabilities: [0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.3, 0.7],
    },
    testPredictions: { sampleIds: ['t1'], truth: [1], probabilities: [0.25, 0.75] },
    data: { classCounts: [6, 5], testCount: 1, sampleSetHash: 'abc' },
    ...overrides,
  };
}

const parseLines = (csv: string) => csv.split('\n').slice(0, -1);

describe('csvField', () => {
  it('quotes fields with commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('predictionsCsv', () => {
  it('writes the header, validation rows then test rows, with 6-decimal numbers', () => {
    const names = new Map([
      ['s1', 'ant1.jpg'],
      ['s2', 'ant2.jpg'],
      ['s3', 'bee1.jpg'],
      ['s4', 'bee2.jpg'],
      ['t1', 'test.jpg'],
    ]);
    const lines = parseLines(predictionsCsv(makeRun(), names));
    expect(lines).toEqual([
      'photo,set,true_class,predicted_class,confidence,p_ants,p_bees',
      'ant1.jpg,validation,ants,ants,0.900000,0.900000,0.100000',
      'ant2.jpg,validation,ants,ants,0.800000,0.800000,0.200000',
      'bee1.jpg,validation,bees,ants,0.600000,0.600000,0.400000',
      'bee2.jpg,validation,bees,bees,0.700000,0.300000,0.700000',
      'test.jpg,test,bees,bees,0.750000,0.250000,0.750000',
    ]);
  });

  it("uses a deleted photo's sample id and quotes hostile names and classes", () => {
    const run = makeRun({
      classes: [
        { id: 'c1', name: '=evil,class', count: 1 },
        { id: 'c2', name: 'bees', count: 1 },
      ],
      testPredictions: null,
    });
    const names = new Map([
      ['s1', '=HYPERLINK("http://x")'],
      ['s2', 'a, "b".jpg'],
    ]);
    const lines = parseLines(predictionsCsv(run, names));
    expect(lines[0]).toBe('photo,set,true_class,predicted_class,confidence,"p_=evil,class",p_bees');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"")",validation,"'=evil,class","'=evil,class",0.900000,0.900000,0.100000`);
    expect(lines[2]).toBe('"a, ""b"".jpg",validation,"\'=evil,class","\'=evil,class",0.800000,0.800000,0.200000');
    expect(lines[3]!.startsWith('s3,validation,bees,')).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('has only the header when nothing was recorded', () => {
    const csv = predictionsCsv(makeRun({ validationPredictions: null, testPredictions: undefined }), new Map());
    expect(csv).toBe('photo,set,true_class,predicted_class,confidence,p_ants,p_bees\n');
  });
});

describe('evaluationReportHtml', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';

  it('escapes hostile names and includes no scripts or remote URLs', () => {
    const run = makeRun({
      classes: [
        { id: 'c1', name: '<script>alert(1)</script>', count: 6 },
        { id: 'c2', name: 'bees & "wasps"', count: 5 },
      ],
    });
    const html = evaluationReportHtml({
      projectName: '<script>alert("p")</script>',
      run,
      classNames: run.classes.map((c) => c.name),
      generatedAt: '2025-01-16 <b>',
      charts: [
        { title: 'Loss', pngDataUrl: png },
        { title: 'Remote', pngDataUrl: 'https://example.com/x.png' },
        { title: 'SVG', pngDataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
        { title: 'Broken out', pngDataUrl: 'data:image/png;base64,AAAA" onerror="x' },
      ],
    });
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toMatch(/https?:/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('bees &amp; &quot;wasps&quot;');
    expect(html).toContain('2025-01-16 &lt;b&gt;');
    expect(html).not.toContain('onerror');
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain(`<img src="${png}" alt="Loss">`);
  });

  it('includes the metrics, confusion matrices, calibration, test set and curves', () => {
    const run = makeRun({
      crossValidation: {
        k: 3,
        folds: [{ fold: 1, accuracy: 0.8, macroF1: 0.79, trainCount: 6, validationCount: 3, epochs: 10 }],
        accuracy: { mean: 0.8, std: 0.05 },
        macroF1: { mean: 0.79, std: 0.04 },
      },
    });
    const html = evaluationReportHtml({
      projectName: 'Insects',
      run,
      classNames: ['ants', 'bees'],
      generatedAt: 'now',
      charts: [],
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('Accuracy: 75.0% on 4 photos');
    // ants: P = 2/3, R = 1, F1 = 0.8; bees: P = 1, R = 1/2.
    expect(html).toContain('<th scope="row">ants</th><td>66.7%</td><td>100.0%</td><td>80.0%</td><td>2</td>');
    expect(html).toContain('Macro average');
    expect(html).toContain('Weighted average');
    expect(html).toContain('<td class="diagonal">50%</td>');
    expect(html).toContain('Expected calibration error:');
    expect(html).toContain('Confidence bins');
    expect(html).toContain('Test photos');
    expect(html).toContain('Accuracy: 100.0% on 1 photo<');
    expect(html).toContain('Over 3 folds: accuracy 80.0% ± 5.0%');
    expect(html).toContain('<th scope="row">2</th><td>0.4000</td><td>90.0%</td><td>0.5000</td><td>75.0%</td>');
    expect(html).toContain('2025-01-15 09:30 UTC');
    expect(html).toContain('MobileNetV2 1.0');
    expect(html).toContain('Learning rate');
  });

  it('falls back to the stored confusion matrix when per-photo answers were not recorded', () => {
    const run = makeRun({ validationPredictions: undefined, testPredictions: undefined });
    const html = evaluationReportHtml({ projectName: 'Old', run, classNames: ['ants', 'bees'], generatedAt: 'now', charts: [] });
    expect(html).toContain('not recorded');
    expect(html).toContain('Accuracy: 75.0% on 4 photos');
    expect(html).not.toContain('Test photos');
  });
});

describe('helpers', () => {
  it('formats durations', () => {
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });

  it('lists settings in plain words', () => {
    const rows = settingsRows(DEFAULT_SETTINGS);
    expect(rows.find((r) => r.name === 'Optimizer')?.value).toBe('Adam');
    expect(rows.find((r) => r.name === 'Cross-validation')?.value).toBe('none (single validation split)');
    expect(settingsRows({}).every((r) => r.value === '—')).toBe(true);
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('download names', () => {
  it('name the CSV and the report like every other download: readable in any script, safe everywhere', () => {
    expect(predictionsFileName('Ants and bees')).toBe('Ants-and-bees-predictions.csv');
    expect(reportFileName('نحل وزهور')).toBe('نحل-وزهور-report.html');
    expect(reportFileName('蜜蜂/蚂蚁: 2025?')).toBe('蜜蜂-蚂蚁-2025-report.html');
    expect(predictionsFileName('CON')).toBe('CON_-predictions.csv');
    expect(reportFileName('***')).toBe('kiln-project-report.html');
  });
});
