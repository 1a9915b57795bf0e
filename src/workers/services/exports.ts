/**
 * Everything that becomes a file to save: Teachable Machine compatible model zips and their precision
 * check, the demo page, the dataset with train.py, the project file and the classroom pack.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { demoPageHtml, type DemoPageStrings } from '../../export/demo-page';
import { demoScripts } from '../../export/demo-scripts';
import { argMax } from '../../ml/metrics';
import { batchInput } from '../../ml/preprocess';
import type { WeightPrecision } from '../../ml/quantize';
import { deserializeModel, serializeModel } from '../../ml/serialize';
import { exportFiles, teachableMachineModel, type ExportedModelFiles } from '../../ml/tm-format';
import { regressionScores, type Quantity } from '../../ml/regression';
import { valueHead } from '../../ml/value-head';
import { runCropMode } from '../../api/crop-mode';
import { writeZip } from '../../shared/zip';
import type { PrecisionCheck, RunRecord } from '../../api/types';
import { KILN_VERSION } from '../../shared/version';
import { getProject } from '../../storage/projects';
import { getRun } from '../../storage/runs';
import { getSample } from '../../storage/samples';
import { embedBatch, viewPixels } from '../embedder';
import { downloadName } from '../file-names';
import { UserError } from '../../api/user-message';
import type { KilnDB } from '../../storage/db';
import { exportDataset } from '../dataset-export';
import { handOver } from '../operations';
import { exportProjectFile } from '../project-file';
import type { Download, StudioDeps } from './deps';

interface ExportContext {
  projectName: string;
  run: RunRecord;
  labels: string[];
  imageSize: number;
  /** Fresh copies of the active model's parts: the caller disposes them. */
  extractor: tfl.LayersModel;
  head: tfl.LayersModel;
  backboneId: string;
  backboneSha256: string;
  /** A "Predict a number" model's quantity: its export answers the value itself (src/ml/value-head.ts). */
  quantity: Quantity | null;
}

async function exportContext(deps: StudioDeps, projectId: string): Promise<ExportContext> {
  const database = await deps.db();
  const predictor = await deps.predictor();
  const active = await predictor.active(projectId);
  const [project, run] = await Promise.all([getProject(database, projectId), getRun(database, active.runId)]);
  if (!project || !run) throw new UserError('export.noModel', 'The project or its model was not found. Train again.');
  // Fresh copies: a Sequential built around the live models would rewire the ones Preview uses.
  const [extractor, head] = await Promise.all([
    active.backbone.serialize().then(deserializeModel),
    serializeModel(active.head).then(deserializeModel),
  ]);
  return {
    projectName: project.name,
    run,
    labels: active.classes.map((c) => c.name),
    imageSize: active.backbone.spec.inputSize,
    extractor,
    head,
    backboneId: active.backbone.spec.id,
    backboneSha256: active.backbone.sha256,
    quantity: run.quantity ?? null,
  };
}

async function modelFiles(context: ExportContext, precision: WeightPrecision): Promise<ExportedModelFiles> {
  const { quantity } = context;
  const head = quantity ? valueHead(context.head, quantity) : context.head;
  const model = teachableMachineModel(context.extractor, head);
  try {
    return await exportFiles(
      model,
      {
        modelName: context.projectName,
        // A number model has one output: named by its quantity, described under userMetadata.kiln.quantity.
        labels: quantity ? [quantity.name] : context.labels,
        imageSize: context.imageSize,
        userMetadata: {
          kiln: {
            version: KILN_VERSION,
            runId: context.run.id,
            backbone: context.backboneId,
            backboneSha256: context.backboneSha256,
            // Teachable Machine has no such field (its library always centre-crops): see docs/EXPORT.md.
            cropMode: runCropMode(context.run),
            weightPrecision: precision,
            validationAccuracy: context.run.metrics.validationAccuracy,
            ...(quantity
              ? {
                  task: 'regression',
                  quantity: { name: quantity.name, unit: quantity.unit, min: quantity.min, max: quantity.max },
                  validationRmse: context.run.metrics.regression?.rmse ?? null,
                }
              : {}),
          },
        },
      },
      precision,
    );
  } finally {
    // The value head is this export's own copy (the trained head is the context's, disposed with it).
    if (head !== context.head) head.dispose();
  }
}

function dispose(context: ExportContext): void {
  context.extractor.dispose();
  context.head.dispose();
}

/** The trained model as Teachable Machine's three files in a zip, at the chosen weight precision. */
async function exportModel(deps: StudioDeps, projectId: string, precision: WeightPrecision): Promise<Download> {
  const context = await exportContext(deps, projectId);
  try {
    const files = await modelFiles(context, precision);
    const encoder = new TextEncoder();
    const bytes = writeZip({
      'model.json': encoder.encode(files.modelJson),
      'weights.bin': files.weights,
      'metadata.json': encoder.encode(files.metadata),
    });
    const suffix = precision === 'float32' ? '' : `-${precision}`;
    return { fileName: downloadName(context.projectName, `-model${suffix}.zip`), bytes };
  } finally {
    dispose(context);
  }
}

/** Accuracy of a loaded export on the run's validation photos, through the exported model itself. */
async function validationAccuracy(
  database: KilnDB,
  model: tfl.LayersModel,
  run: RunRecord,
  imageSize: number,
  scaling: readonly [number, number],
): Promise<{ correct: number; total: number; rmse: number | null }> {
  const classIndex = new Map(run.classes.map((c, i) => [c.id, i]));
  const q = run.quantity ?? null;
  const samples = (await Promise.all(run.split.validation.map((id) => getSample(database, id)))).filter((s) =>
    q ? s !== undefined && typeof s.value === 'number' : s !== undefined && classIndex.has(s.classId),
  );
  const truth: number[] = [];
  const predicted: number[] = [];
  let correct = 0;
  const batchSize = embedBatch();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    const pixels = await Promise.all(batch.map((s) => viewPixels(s!.image, imageSize, null, runCropMode(run))));
    const input = batchInput(pixels, imageSize, scaling);
    const output = tf.tidy(() => model.predict(tf.tensor4d(input, [batch.length, imageSize, imageSize, 3])) as tf.Tensor2D);
    const values = (await output.data()) as Float32Array;
    output.dispose();
    const k = q ? 1 : run.classes.length;
    batch.forEach((s, i) => {
      if (q) {
        // The exported number model answers the value itself.
        truth.push(s!.value!);
        predicted.push(values[i]!);
        if (Math.abs(values[i]! - s!.value!) <= 0.1 * (q.max - q.min)) correct++;
      } else if (argMax(values.subarray(i * k, (i + 1) * k)) === classIndex.get(s!.classId)) correct++;
    });
  }
  return { correct, total: samples.length, rmse: q && truth.length ? regressionScores(truth, predicted).rmse : null };
}

/**
 * What a lower weight precision costs and saves: the zip size, and validation accuracy of the exported
 * model at full and at the chosen precision (each loaded back from its own files, as a user would).
 */
async function checkPrecision(deps: StudioDeps, projectId: string, precision: WeightPrecision): Promise<PrecisionCheck> {
  const context = await exportContext(deps, projectId);
  const { scaling } = (await (await deps.predictor()).active(projectId)).backbone.spec;
  const database = await deps.db();
  try {
    const full = await modelFiles(context, 'float32');
    const reduced = precision === 'float32' ? full : await modelFiles(context, precision);
    const score = async (files: ExportedModelFiles) => {
      const json = JSON.parse(files.modelJson) as {
        modelTopology: object;
        weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
      };
      const loaded = await deserializeModel({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0]!.weights,
        weightData: files.weights.slice().buffer,
      });
      try {
        return await validationAccuracy(database, loaded, context.run, context.imageSize, scaling);
      } finally {
        loaded.dispose();
      }
    };
    const before = await score(full);
    const after = precision === 'float32' ? before : await score(reduced);
    return {
      precision,
      weightBytes: reduced.weights.byteLength,
      fullWeightBytes: full.weights.byteLength,
      validationPhotos: before.total,
      accuracyBefore: before.total && !context.quantity ? before.correct / before.total : null,
      accuracyAfter: after.total && !context.quantity ? after.correct / after.total : null,
      ...(context.quantity ? { rmseBefore: before.rmse, rmseAfter: after.rmse } : {}),
    };
  } finally {
    dispose(context);
  }
}

/** The language the demo page speaks: the exporting page's own (its code, direction and translated sentences). */
export interface DemoLanguage {
  /** BCP 47 tag of the interface language ("en", "es", "ar"): the page's `lang`. */
  language: string;
  /** The locale the interface writes numbers and dates in, with its digit system ("ar-u-nu-latn"). */
  locale: string;
  direction: 'ltr' | 'rtl';
  strings: DemoPageStrings;
}

/**
 * One HTML file with the model and TensorFlow.js inside: opens from file://, predicts photos and the webcam, in
 * the language the page asks for.
 */
async function exportDemo(deps: StudioDeps, projectId: string, speaks: DemoLanguage): Promise<Download> {
  const context = await exportContext(deps, projectId);
  try {
    const [files, scripts] = await Promise.all([modelFiles(context, 'float32'), demoScripts()]);
    const html = demoPageHtml({
      title: context.projectName,
      labels: context.quantity ? [context.quantity.name] : context.labels,
      quantity: context.quantity,
      modelJson: JSON.parse(files.modelJson) as object,
      weights: files.weights,
      imageSize: context.imageSize,
      cropMode: runCropMode(context.run),
      scripts,
      generatedAt: new Date().toISOString(),
      language: speaks.language,
      locale: speaks.locale,
      direction: speaks.direction,
      strings: speaks.strings,
    });
    return { fileName: downloadName(context.projectName, '-demo.html'), bytes: new TextEncoder().encode(html) };
  } finally {
    dispose(context);
  }
}

/** Hands a file's bytes to the page without copying them. */
function asDownload(file: Download): Download {
  return handOver(file, [file.bytes.buffer as ArrayBuffer]);
}

export function exportsService(deps: StudioDeps) {
  return {
    /** The active model as Teachable Machine's model.json + weights.bin + metadata.json, zipped. */
    exportModel: async ({ projectId, precision }: { projectId: string; precision: WeightPrecision }) =>
      asDownload(await exportModel(deps, projectId, precision)),
    checkPrecision: ({ projectId, precision }: { projectId: string; precision: WeightPrecision }) =>
      checkPrecision(deps, projectId, precision),
    /** The demo page, in the language, direction and words the page passes (its interface language). */
    exportDemo: async ({ projectId, ...speaks }: { projectId: string } & DemoLanguage) =>
      asDownload(await exportDemo(deps, projectId, speaks)),
    /** The photos as class folders, with train.py for Python/Keras. */
    exportDataset: async ({ projectId }: { projectId: string }) => asDownload(await exportDataset(await deps.db(), projectId)),
    /**
     * The whole project (photos, settings, runs, models) as one zip with a versioned manifest; with
     * `withBackbone`, a classroom pack: the project plus its image model, for devices never online.
     */
    exportProject: async ({ projectId, withBackbone = false }: { projectId: string; withBackbone?: boolean }) =>
      asDownload(await exportProjectFile(await deps.db(), projectId, { withBackbone })),
  };
}
