/**
 * The classroom pack: a project file (see project-file/) that also carries the project's image model (its
 * backbone), so a teacher can hand a starter project to laptops that have never been online. See
 * docs/PROJECT-FILE.md ("Classroom packs") and docs/CLASSROOM.md.
 *
 * The pack adds to a version-2 project file:
 *   manifest.json   backbone: { id, name, bytes, sha256, model: 'backbone/model.json', weights: 'backbone/weights.bin',
 *                               spec?: BackboneSpec (custom backbones only) }
 *   backbone/model.json    a plain TensorFlow.js layers model.json (the cut feature extractor Kiln keeps in IndexedDB)
 *                          whose weightsManifest names weights.bin, so the folder also works with "Import model files"
 *   backbone/weights.bin   its weights; `bytes` is their size and `sha256` their SHA-256
 *
 * Everything here is checked without TensorFlow, before anything is written: the sizes, the hash, and that the
 * model's topology fits the declared backbone (its cut layer is there, its input is the backbone's square colour
 * image). The engine then loads the weights, which checks the feature size and, for pinned backbones, the checksum
 * of the weight values, still before anything is written.
 */
import { catalogueBackbone } from '../ml/backbone-catalogue';
import { sha256Hex } from '../shared/hash';
import type { BackboneRecord, BackboneSpec, SerializedModel } from '../api/types';
import { UserError } from '../api/user-message';

/** The largest backbone a pack may carry: MobileNetV2 1.00 is about 9 MB, so this leaves room and stops abuse. */
export const PACK_BACKBONE_LIMIT = 64 * 1024 ** 2;
const MODEL_JSON = 'backbone/model.json';
const WEIGHTS_BIN = 'backbone/weights.bin';

export interface PackBackboneManifest {
  id: string;
  name: string;
  bytes: number;
  sha256: string;
  model: string;
  weights: string;
  spec?: BackboneSpec;
}

/** A backbone read from a pack and checked: ready to hand to the engine. */
export interface PackBackbone {
  spec: BackboneSpec;
  files: SerializedModel;
}

export class PackError extends UserError {
  override name = 'PackError';
}

/** The manifest entry and the two files that put `record` (the backbone as stored on this device) into a pack. */
export async function packBackbone(
  record: BackboneRecord,
  spec: BackboneSpec,
): Promise<{ manifest: PackBackboneManifest; entries: [string, Uint8Array][] }> {
  const weights = new Uint8Array(record.model.weightData);
  if (weights.byteLength > PACK_BACKBONE_LIMIT) {
    const size = megabytes(weights.byteLength);
    const limit = megabytes(PACK_BACKBONE_LIMIT);
    throw new PackError(
      'pack.backboneTooBig',
      `The image model ${spec.name} is ${size}, more than a classroom pack can hold (${limit}). Save a project file instead.`,
      // Raw byte counts: the page writes them in its language (`{{size, bytes}}`).
      { name: spec.name, size: weights.byteLength, limit: PACK_BACKBONE_LIMIT },
    );
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Kiln classroom pack',
    modelTopology: record.model.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: record.model.weightSpecs }],
  };
  return {
    manifest: {
      id: spec.id,
      name: spec.name,
      bytes: weights.byteLength,
      sha256: await sha256Hex(weights),
      model: MODEL_JSON,
      weights: WEIGHTS_BIN,
      ...(catalogueBackbone(spec.id) ? {} : { spec }),
    },
    entries: [
      [MODEL_JSON, new TextEncoder().encode(JSON.stringify(modelJson))],
      [WEIGHTS_BIN, weights],
    ],
  };
}

/**
 * Reads and checks a pack's backbone. `declared` is the manifest's `backbone` entry, `projectBackboneId` the
 * backbone the project says it uses. Throws a PackError that says what is wrong and what to do.
 */
export async function readPackBackbone(
  declared: unknown,
  files: Map<string, Uint8Array>,
  projectBackboneId: string,
): Promise<PackBackbone> {
  if (!isRecord(declared)) throw damaged('its image model entry is not an object');
  const id = declared.id;
  if (typeof id !== 'string' || !id) throw damaged('its image model has no id');
  if (id !== projectBackboneId) {
    throw damaged(`it carries the image model "${id}", but its project uses "${projectBackboneId}"`);
  }
  const spec = catalogueBackbone(id) ?? customSpec(declared.spec, id);

  const bytes = declared.bytes;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes <= 0)
    throw damaged('the size of its image model is missing');
  if (bytes > PACK_BACKBONE_LIMIT) {
    const size = megabytes(bytes);
    const limit = megabytes(PACK_BACKBONE_LIMIT);
    throw new PackError(
      'pack.packedBackboneTooBig',
      `The classroom pack's image model is ${size}, more than Kiln accepts (${limit}). Make the pack with one of Kiln's own image models.`,
      { size: bytes, limit: PACK_BACKBONE_LIMIT },
    );
  }
  const weights = entry(files, declared.weights, 'the weights of its image model');
  const modelBytes = entry(files, declared.model, 'the model.json of its image model');
  if (weights.byteLength !== bytes) {
    throw damaged(`the image model's weights are ${weights.byteLength} bytes, but the pack says ${bytes}`);
  }
  const weightData = weights.slice().buffer; // its own buffer, so nothing keeps the whole archive alive
  if (typeof declared.sha256 !== 'string' || (await sha256Hex(weightData)) !== declared.sha256) {
    throw damaged("the image model's weights do not match their checksum (the file may be corrupted or changed)");
  }

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(modelBytes));
  } catch {
    throw damaged("its image model's model.json is not valid JSON");
  }
  if (!isRecord(json) || !isRecord(json.modelTopology) || !Array.isArray(json.weightsManifest)) {
    throw damaged("its image model's model.json is not a TensorFlow.js layers model");
  }
  const weightSpecs = (json.weightsManifest as unknown[]).flatMap((group) =>
    isRecord(group) && Array.isArray(group.weights) ? (group.weights as SerializedModel['weightSpecs']) : [],
  );
  const expected = weightSpecs.reduce((sum, w) => sum + weightBytes(w), 0);
  if (expected !== weights.byteLength) {
    throw damaged(
      `its image model's model.json describes ${expected} bytes of weights, but weights.bin holds ${weights.byteLength}`,
    );
  }
  checkTopology(json.modelTopology, spec);
  return { spec, files: { modelTopology: json.modelTopology, weightSpecs, weightData } };
}

/**
 * Checks, from the topology alone, that a model can be `spec`: it has the layer Kiln cuts at, and its input is a
 * square colour image of the backbone's size. Throws a PackError otherwise.
 */
export function checkTopology(topology: unknown, spec: BackboneSpec): void {
  const layers = layerConfigs(topology);
  if (!layers.some((l) => layerName(l) === spec.cutLayer)) {
    throw damaged(`its image model is not ${spec.name}: it has no "${spec.cutLayer}" layer`);
  }
  const input = layers.map(inputShape).find((s) => s !== null);
  const size = spec.inputSize;
  if (!input || input.length !== 4 || input[1] !== size || input[2] !== size || input[3] !== 3) {
    throw damaged(
      `its image model is not ${spec.name}: it takes ${input ? input.slice(1).join(' × ') : 'no image'}, not ${size} × ${size} × 3`,
    );
  }
}

function layerConfigs(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) {
    for (const item of node) layerConfigs(item, out);
  } else if (isRecord(node)) {
    if (typeof node.class_name === 'string') out.push(node);
    for (const value of Object.values(node)) if (typeof value === 'object') layerConfigs(value, out);
  }
  return out;
}

function layerName(layer: Record<string, unknown>): unknown {
  return layer.name ?? (isRecord(layer.config) ? layer.config.name : undefined);
}

function inputShape(layer: Record<string, unknown>): unknown[] | null {
  const config = isRecord(layer.config) ? layer.config : null;
  const shape = config?.batch_input_shape ?? config?.batchInputShape;
  return Array.isArray(shape) ? shape : null;
}

function customSpec(value: unknown, id: string): BackboneSpec {
  if (!isRecord(value)) throw damaged(`its image model "${id}" is not one Kiln knows, and the pack does not describe it`);
  const spec = value as unknown as BackboneSpec;
  const ok =
    spec.id === id &&
    spec.family === 'custom' &&
    typeof spec.name === 'string' &&
    typeof spec.cutLayer === 'string' &&
    Number.isInteger(spec.inputSize) &&
    spec.inputSize > 0 &&
    Number.isInteger(spec.featureSize) &&
    spec.featureSize > 0 &&
    Array.isArray(spec.scaling) &&
    spec.scaling.length === 2 &&
    spec.scaling.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw damaged(`the description of its image model "${id}" is incomplete`);
  return {
    id,
    name: spec.name,
    family: 'custom',
    inputSize: spec.inputSize,
    publicUrl: null,
    bundledPath: null,
    cutLayer: spec.cutLayer,
    scaling: [spec.scaling[0], spec.scaling[1]],
    featureSize: spec.featureSize,
    sha256: null,
    fineTunableBlocks: 0,
  };
}

function weightBytes(spec: unknown): number {
  if (!isRecord(spec) || !Array.isArray(spec.shape)) return NaN;
  const count = (spec.shape as unknown[]).reduce<number>((a, b) => a * (typeof b === 'number' ? b : NaN), 1);
  const quantization = isRecord(spec.quantization) ? spec.quantization.dtype : undefined;
  const dtype = quantization ?? spec.dtype;
  const size = dtype === 'uint8' || dtype === 'int8' || dtype === 'bool' ? 1 : dtype === 'uint16' || dtype === 'float16' ? 2 : 4;
  return count * size;
}

function entry(files: Map<string, Uint8Array>, path: unknown, what: string): Uint8Array {
  const bytes = typeof path === 'string' ? files.get(path) : undefined;
  if (!bytes) {
    const where = `${what}${typeof path === 'string' ? ` ("${path}")` : ''}`;
    throw new PackError(
      'pack.incomplete',
      `The classroom pack is incomplete: ${where} is missing. Ask for the pack again, or make it again with "Save a classroom pack".`,
      { what: where },
    );
  }
  return bytes;
}

function damaged(detail: string): PackError {
  return new PackError('pack.damaged', `The classroom pack is damaged: ${detail}. Make it again with "Save a classroom pack".`, {
    detail,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The English text's sizes only; a message's values carry raw byte counts. */
function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
