import type { io } from '@tensorflow/tfjs-core';
import type { SerializedModel } from '../api/types';
import { UserError, type MessageValues } from '../api/user-message';

/** The parts of a tfjs model.json that Kiln reads. */
interface ModelJson {
  modelTopology?: object;
  format?: string;
  weightsManifest?: { paths: string[]; weights: SerializedModel['weightSpecs'] }[];
}

/**
 * Model files that cannot be used, with a sentence that says what to do. Without a key of its own the sentence is
 * shown as it is (in English); the Teachable Machine import gives most of them a key, so they are translated.
 */
export class ModelFilesError extends UserError {
  override name = 'ModelFilesError';
  constructor(text: string, key = 'modelFiles.refused', values?: MessageValues) {
    super(key, text, values);
  }
}

export function parseModelJson(text: string): Required<Pick<ModelJson, 'modelTopology' | 'weightsManifest'>> {
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch {
    throw new ModelFilesError('model.json is not valid JSON. Choose the model.json file that came with the export.');
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelFilesError('model.json is not a TensorFlow.js layers model (it has no modelTopology or weightsManifest).');
  }
  return { modelTopology: json.modelTopology, weightsManifest: json.weightsManifest };
}

function concat(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Weight files named in the manifest, in manifest order. */
export function weightPaths(modelJsonText: string): string[] {
  return parseModelJson(modelJsonText).weightsManifest.flatMap((group) => group.paths);
}

/**
 * Builds a model from model.json text and its weight files. `readWeights` is asked for each path in
 * the manifest, in order; it answers the bytes or throws a ModelFilesError saying which file is missing.
 */
export async function modelFromFiles(
  modelJsonText: string,
  readWeights: (path: string) => Promise<ArrayBuffer>,
): Promise<SerializedModel> {
  const json = parseModelJson(modelJsonText);
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const buffers: ArrayBuffer[] = [];
  for (const path of paths) buffers.push(await readWeights(path));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const expected = weightSpecs.reduce((sum, spec) => sum + byteSize(spec), 0);
  const weightData = concat(buffers);
  if (weightData.byteLength !== expected) {
    throw new ModelFilesError(
      `The weight files hold ${weightData.byteLength} bytes but model.json describes ${expected}. The files may be truncated or from another model.`,
    );
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData };
}

function byteSize(spec: { shape: number[]; dtype: string; quantization?: { dtype: string } }): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = dtype === 'uint8' || dtype === 'bool' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : 4;
  return count * bytes;
}

/** Fetches model.json and its weight shards over HTTP. */
export async function fetchModel(url: string, fetchFn: typeof fetch = fetch): Promise<SerializedModel> {
  const response = await fetchFn(url);
  if (!response.ok) throw new ModelFilesError(`${url} answered ${response.status} ${response.statusText}`.trim());
  const text = await response.text();
  return modelFromFiles(text, async (path) => {
    const weightsUrl = new URL(path, new URL(url, globalThis.location?.href)).href;
    const weights = await fetchFn(weightsUrl);
    if (!weights.ok) throw new ModelFilesError(`${weightsUrl} answered ${weights.status} ${weights.statusText}`.trim());
    return weights.arrayBuffer();
  });
}

export function toModelArtifacts(model: SerializedModel): io.ModelArtifacts {
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightSpecs as io.WeightsManifestEntry[],
    weightData: model.weightData,
  };
}

export function fromModelArtifacts(artifacts: io.ModelArtifacts): SerializedModel {
  const data = artifacts.weightData;
  const weightData = Array.isArray(data) ? concat(data) : (data ?? new ArrayBuffer(0));
  return {
    modelTopology: artifacts.modelTopology as object,
    weightSpecs: (artifacts.weightSpecs ?? []) as SerializedModel['weightSpecs'],
    weightData,
  };
}
