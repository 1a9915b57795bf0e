/**
 * Teachable Machine image models in: a model zip or its three files become a project whose classes
 * are the model's labels, whose active model is the file's own (so Preview works at once), and whose
 * next training starts from the file's head (so new photos improve it: Teachable Machine cannot).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { featureExtractorFrom, weightChecksum } from '../ml/backbone';
import { firstNonFiniteWeight } from '../ml/finite-weights';
import { zipKind } from './zip-kind';
import { DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import { ModelFilesError, modelFromFiles } from '../ml/model-artifacts';
import { deserializeModel, serializeModel } from '../ml/serialize';
import { exportedCropMode, findHead, parseMetadata } from '../ml/tm-format';
import { normalizeSettings } from '../api/settings';
import type { MessageValues } from '../api/user-message';
import type { ClassRecord, ProjectRecord, RunRecord, SerializedModel } from '../api/types';
import { cleanName, uniqueNames } from '../shared/names';
import { readZip } from '../shared/zip';
import { putProjectBundle } from '../storage/projects';
import type { KilnDB } from '../storage/db';
import type { Engine } from './engine';

interface ModelFileSet {
  modelJson: string;
  metadata: string;
  readWeights: (path: string) => Promise<ArrayBuffer>;
  fileName: string;
}

/** A ModelFilesError that also carries its message key (`worker.<key>`) and values, so the page can translate it. */
function refusal(key: string, text: string, values?: MessageValues): ModelFilesError {
  return Object.assign(new ModelFilesError(text), { key, values });
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The three files, from one zip or picked together; folders inside a zip do not matter. */
async function fileSet(files: File[]): Promise<ModelFileSet> {
  if (files.length === 1 && /\.(zip|tm)$/i.test(files[0]!.name)) {
    const entries = readZip(new Uint8Array(await files[0]!.arrayBuffer()), 'tmExport');
    // A file given to this button that another one opens: say which.
    switch (zipKind(entries)) {
      case 'kiln-project':
        throw refusal(
          'tmModel.isKilnProject',
          'This is a Kiln project file, not a Teachable Machine model: open it with “Open a project file”.',
        );
      case 'tm-project':
        throw refusal(
          'tmModel.isTmProject',
          'This is a Teachable Machine project, not a model: open it with “Open a Teachable Machine project (.tm)”.',
        );
      case 'class-folders':
        throw refusal(
          'tmModel.isClassFolders',
          'This zip holds photos in class folders, not a model: open it with “Open a project file” (each folder becomes a class).',
        );
    }
    const byName = new Map([...entries].map(([path, bytes]) => [baseName(path), bytes]));
    const text = (name: string) => {
      const bytes = byName.get(name);
      if (!bytes)
        throw refusal('tmModel.zipMissingFile', `The zip has no ${name}, so it is not a Teachable Machine image model export.`, {
          name,
        });
      return new TextDecoder().decode(bytes);
    };
    return {
      modelJson: text('model.json'),
      metadata: text('metadata.json'),
      readWeights: async (path) => {
        const bytes = byName.get(baseName(path));
        if (!bytes)
          throw refusal(
            'tmModel.zipMissingWeights',
            `The zip has no "${path}", which model.json needs. Export the model again.`,
            {
              path,
            },
          );
        return bytes.slice().buffer;
      },
      fileName: files[0]!.name,
    };
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const model = files.find((f) => f.name.endsWith('.json') && f.name !== 'metadata.json');
  const metadata = byName.get('metadata.json');
  if (!model || !metadata) {
    throw refusal(
      'tmModel.chooseFiles',
      'Choose the Teachable Machine export as one .zip file, or its three files together: model.json, metadata.json and weights.bin.',
    );
  }
  return {
    modelJson: await model.text(),
    metadata: await metadata.text(),
    readWeights: async (path) => {
      const file = byName.get(baseName(path));
      if (!file)
        throw refusal('tmModel.missingWeights', `model.json needs "${path}": choose it together with model.json.`, { path });
      return file.arrayBuffer();
    },
    fileName: model.name,
  };
}

async function loadLayers(files: SerializedModel): Promise<tfl.LayersModel> {
  try {
    return await deserializeModel(files);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw refusal('tmModel.notLayersModel', `model.json could not be read as a TensorFlow.js layers model (${detail}).`, {
      detail,
    });
  }
}

function hiddenUnits(head: tfl.LayersModel): number {
  const dense = head.layers.filter((l) => l.getClassName() === 'Dense');
  const first = dense[0]?.outputShape as number[] | undefined;
  return dense.length === 2 && first ? first[1]! : 0;
}

/**
 * The project's class names, one per label in the model's output order: labels may repeat (or only differ in
 * case, NFC/NFD or invisible characters) in a hand-edited file, classes may not, and every output needs its own
 * class, so a repeat gets " (2)"….
 */
export function classNames(labels: readonly string[]): string[] {
  return uniqueNames(labels);
}

/** Creates a project from a Teachable Machine image model; resolves to the new project. */
export async function importTeachableMachine(db: KilnDB, engine: Engine, files: File[]): Promise<ProjectRecord> {
  const set = await fileSet(files);
  const metadata = parseMetadata(set.metadata);
  const serialized = await modelFromFiles(set.modelJson, set.readWeights);
  const broken = firstNonFiniteWeight(serialized.weightSpecs, serialized.weightData);
  if (broken) {
    throw refusal(
      'tmModel.brokenWeights',
      `The model’s weights hold values that are not numbers (in “${broken}”), so it cannot predict. Export it from Teachable Machine again.`,
      { weight: broken },
    );
  }
  const model = await loadLayers(serialized);
  try {
    const head = findHead(model, metadata.labels.length);
    const units = hiddenUnits(head);
    if (!units) throw refusal('tmModel.badHead', 'The model’s head is not the two Dense layers Teachable Machine trains.');
    // The backbone must be Teachable Machine's base, checked by the checksum of its weights.
    const extractor = featureExtractorFrom(model, DEFAULT_BACKBONE);
    const { sha256 } = await weightChecksum(extractor);
    if (sha256 !== DEFAULT_BACKBONE.sha256 || metadata.imageSize !== DEFAULT_BACKBONE.inputSize) {
      throw refusal(
        'tmModel.otherBackbone',
        `This model’s image model is not ${DEFAULT_BACKBONE.name} at ${DEFAULT_BACKBONE.inputSize} px (its weights differ), so Kiln cannot continue it. Teachable Machine image projects use that base.`,
        { backbone: DEFAULT_BACKBONE.name, size: DEFAULT_BACKBONE.inputSize },
      );
    }
    // A device that has no backbone yet can take it from this very file.
    if (engine.backboneStatus.state !== 'ready') await engine.importBackbone(serialized);

    const now = Date.now();
    const projectId = crypto.randomUUID();
    const runId = crypto.randomUUID();
    const names = classNames(metadata.labels);
    const classes: ClassRecord[] = names.map((name, order) => ({
      id: crypto.randomUUID(),
      projectId,
      name,
      order,
      createdAt: now + order,
    }));
    const settings = normalizeSettings({ hiddenUnits: units });
    const run: RunRecord = {
      id: runId,
      projectId,
      createdAt: now,
      durationMs: 0,
      status: 'completed',
      backboneId: DEFAULT_BACKBONE.id,
      backboneName: DEFAULT_BACKBONE.name,
      backend: engine.backend!.name,
      settings,
      classes: classes.map((c) => ({ id: c.id, name: c.name, count: 0 })),
      curves: [],
      metrics: { trainCount: 0, validationCount: 0, validationAccuracy: null, confusion: [] },
      finalEpoch: 0,
      earlyStopped: false,
      classWeights: null,
      crossValidation: null,
      split: { train: [], validation: [] },
      fineTunedBlocks: 0,
      embeddings: { computed: 0, reused: 0 },
      imported: {
        source: 'teachable-machine',
        fileName: set.fileName,
        madeWith: metadata.tmVersion
          ? `Teachable Machine ${metadata.tmVersion}`
          : `${metadata.packageName} ${metadata.packageVersion}`.trim(),
        savedAt: metadata.timeStamp || null,
      },
      startedFrom: null,
      cropMode: exportedCropMode(metadata),
    };
    const project: ProjectRecord = {
      id: projectId,
      name: cleanName(metadata.modelName) || 'Teachable Machine model',
      createdAt: now,
      updatedAt: now,
      backboneId: DEFAULT_BACKBONE.id,
      // Teachable Machine centre-crops; a Kiln export says in its own field if it was padded.
      cropMode: exportedCropMode(metadata),
      activeRunId: runId,
      settings: { hiddenUnits: units },
      continueFromRunId: runId,
    };
    await putProjectBundle(db, {
      project,
      classes,
      samples: [],
      runs: [run],
      checkpoints: [
        { runId, projectId, createdAt: now, epoch: 0, head: await serializeModel(head), backbone: null, resume: null },
      ],
    });
    return project;
  } finally {
    model.dispose();
  }
}
