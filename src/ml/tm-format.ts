import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { isCropMode } from '../api/crop-mode';
import type { CropMode } from '../api/types';
import { ModelFilesError } from './model-artifacts';
import { quantizeModel, type WeightPrecision } from './quantize';
import { serializeModel } from './serialize';

/**
 * Teachable Machine's image model format: model.json + weights.bin + metadata.json, with the model a
 * Sequential of [feature extractor, head]. Its library (@teachablemachine/image) reads only `labels`
 * and `imageSize` from the metadata and predicts with tf.loadLayersModel, so any model of this shape
 * loads there; the other fields are kept for tools that show them.
 *
 * Teachable Machine has no crop-mode field: its library always centre-crops. Kiln writes the mode in its
 * own field, userMetadata.kiln.cropMode ('center' | 'pad'). A model trained with 'pad' still loads in
 * Teachable Machine's library, but gets centre-cropped input there, so it sees wide photos differently
 * than it was trained to (see docs/EXPORT.md).
 */
export interface TeachableMachineMetadata {
  tfjsVersion: string;
  tmVersion?: string;
  packageName: string;
  packageVersion: string;
  timeStamp: string;
  userMetadata: Record<string, unknown>;
  modelName: string;
  labels: string[];
  /** Missing in exports before Teachable Machine 2.3; 224 is what they used. */
  imageSize?: number;
}

export interface ExportedModelFiles {
  modelJson: string;
  weights: Uint8Array;
  metadata: string;
}

/** The version of @teachablemachine/image whose load() these exports are tested with. */
export const TM_PACKAGE_VERSION = '0.8.5';

/** One model, input pixels → class probabilities, in Teachable Machine's nesting. Shares its parts' weights. */
export function teachableMachineModel(extractor: tfl.LayersModel, head: tfl.LayersModel): tfl.Sequential {
  return tfl.sequential({ layers: [extractor, head] });
}

export async function exportFiles(
  model: tfl.LayersModel,
  info: { modelName: string; labels: string[]; imageSize: number; userMetadata: Record<string, unknown> },
  precision: WeightPrecision,
): Promise<ExportedModelFiles> {
  const serialized = quantizeModel(await serializeModel(model), precision);
  const modelJson = {
    modelTopology: serialized.modelTopology,
    format: 'layers-model',
    generatedBy: `Kiln (TensorFlow.js tfjs-layers v${tfl.version_layers})`,
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: serialized.weightSpecs }],
  };
  const metadata: TeachableMachineMetadata = {
    tfjsVersion: tf.version_core,
    packageName: '@teachablemachine/image',
    packageVersion: TM_PACKAGE_VERSION,
    timeStamp: new Date().toISOString(),
    userMetadata: info.userMetadata,
    modelName: info.modelName,
    labels: info.labels,
    imageSize: info.imageSize,
  };
  return {
    modelJson: JSON.stringify(modelJson),
    weights: new Uint8Array(serialized.weightData),
    metadata: JSON.stringify(metadata, null, 2),
  };
}

/** Reads and checks metadata.json; missing imageSize means an old export at 224 px. */
export function parseMetadata(text: string): TeachableMachineMetadata & { imageSize: number } {
  let json: Partial<TeachableMachineMetadata>;
  try {
    json = JSON.parse(text) as Partial<TeachableMachineMetadata>;
  } catch {
    throw new ModelFilesError('metadata.json is not valid JSON. Choose the metadata.json that came with the model.');
  }
  if (!json || !Array.isArray(json.labels) || json.labels.length < 2 || !json.labels.every((l) => typeof l === 'string')) {
    throw new ModelFilesError(
      'metadata.json has no list of at least two class labels, so it is not a Teachable Machine image model.',
    );
  }
  const imageSize = json.imageSize ?? 224;
  if (!Number.isInteger(imageSize) || imageSize < 32 || imageSize > 1024) {
    throw new ModelFilesError(`metadata.json gives an image size of ${String(json.imageSize)}, which is not a usable size.`);
  }
  return {
    tfjsVersion: String(json.tfjsVersion ?? ''),
    ...(json.tmVersion ? { tmVersion: String(json.tmVersion) } : {}),
    packageName: String(json.packageName ?? ''),
    packageVersion: String(json.packageVersion ?? ''),
    timeStamp: String(json.timeStamp ?? ''),
    userMetadata: json.userMetadata && typeof json.userMetadata === 'object' ? json.userMetadata : {},
    modelName: String(json.modelName ?? 'Teachable Machine model'),
    labels: json.labels,
    imageSize,
  };
}

/**
 * The crop mode an export was trained with: Kiln's own field, else 'center' (Teachable Machine's exports
 * and Kiln's older ones were all centre-cropped).
 */
export function exportedCropMode(metadata: Pick<TeachableMachineMetadata, 'userMetadata'>): CropMode {
  const kiln = metadata.userMetadata.kiln;
  const mode = kiln && typeof kiln === 'object' ? (kiln as Record<string, unknown>).cropMode : undefined;
  return isCropMode(mode) ? mode : 'center';
}

/**
 * The classification head inside a loaded image model: the last nested model made only of Dense (and
 * Dropout) layers, as in Teachable Machine's exports and Kiln's. Checks its output against the labels.
 */
export function findHead(model: tfl.LayersModel, labelCount: number): tfl.LayersModel {
  const nested = model.layers.filter((l): l is tfl.LayersModel => l instanceof tfl.LayersModel);
  const head = nested.reverse().find((m) => m.layers.every((l) => ['Dense', 'Dropout', 'InputLayer'].includes(l.getClassName())));
  if (!head)
    throw new ModelFilesError('This model has no Teachable Machine head (a block of Dense layers after the image model).');
  const outputs = (head.outputs[0]!.shape as number[])[1];
  if (outputs !== labelCount) {
    throw new ModelFilesError(
      `The model predicts ${outputs} classes but metadata.json names ${labelCount}. The files are from different models.`,
    );
  }
  return head;
}
