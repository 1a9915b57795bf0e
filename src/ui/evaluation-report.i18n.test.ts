import { afterEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import type { RunRecord } from '../api/types';
import { evaluationReportHtml, settingsRows } from './evaluation-report';
import { setLanguage } from './i18n/i18n';

/** The downloaded report and the settings rows are written in the language the person chose. */

afterEach(() => setLanguage('en'));

const run = {
  id: 'run-1',
  projectId: 'p1',
  createdAt: Date.UTC(2025, 0, 15, 9, 30),
  durationMs: 12_345,
  status: 'completed',
  backboneId: 'mobilenet-v2',
  backboneName: 'MobileNetV2 1.0',
  backend: 'wasm',
  settings: DEFAULT_SETTINGS,
  classes: [
    { id: 'c1', name: 'ants', count: 2 },
    { id: 'c2', name: 'bees', count: 2 },
  ],
  curves: [{ epoch: 1, loss: 0.9, accuracy: 0.5, valLoss: 0.8, valAccuracy: 0.5 }],
  metrics: {
    trainCount: 4,
    validationCount: 2,
    validationAccuracy: 0.5,
    confusion: [
      [1, 0],
      [1, 0],
    ],
  },
  finalEpoch: 1,
  earlyStopped: false,
  classWeights: null,
  crossValidation: null,
  split: { train: [], validation: ['s1', 's2'] },
  fineTunedBlocks: 0,
  embeddings: { computed: 6, reused: 0 },
  validationPredictions: { sampleIds: ['s1', 's2'], truth: [0, 1], probabilities: [0.9, 0.1, 0.6, 0.4] },
  testPredictions: null,
} as unknown as RunRecord;

const report = () =>
  evaluationReportHtml({ projectName: 'Bichos', run, classNames: ['ants', 'bees'], generatedAt: 'now', charts: [] });

it('writes the report in Spanish, with Spanish numbers', () => {
  setLanguage('es');
  const html = report();
  expect(html).toContain('<html lang="es" dir="ltr">');
  expect(html).toContain('<h1>Informe de evaluación: Bichos</h1>');
  // Spanish puts a (non-breaking) space before the percent sign and a comma for the decimals.
  expect(html).toMatch(/Exactitud: 50,0\s% en 2 fotos/);
  expect(html).not.toContain('Validation photos');
});

it('writes the report in Arabic, right to left', () => {
  setLanguage('ar');
  const html = report();
  expect(html).toContain('<html lang="ar" dir="rtl">');
  expect(html).toContain('تقرير التقييم: Bichos');
  expect(html).toContain('صور التحقق');
});

it('names the settings in the chosen language', () => {
  setLanguage('es');
  expect(settingsRows(DEFAULT_SETTINGS).map((r) => r.name)).toContain('Tasa de aprendizaje');
});
