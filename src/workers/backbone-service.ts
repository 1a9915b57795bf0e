/** Bringing model files in: the default backbone from a Teachable Machine export, or a custom backbone. */
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelFilesError, modelFromFiles } from '../ml/model-artifacts';
import { deserializeModel } from '../ml/serialize';
import type { BackboneSpec, EngineStatus, SerializedModel } from '../api/types';
import type { MessageValues } from '../api/user-message';
import { engineStatus, readyEngine } from './context';

/** A ModelFilesError that also carries its message key (`worker.<key>`) and values, so the page can translate it. */
function refusal(key: string, text: string, values?: MessageValues): ModelFilesError {
  return Object.assign(new ModelFilesError(text), { key, values });
}

/** Reads model.json and its weight files from what the person picked (names matter, folders do not). */
export async function readModelFiles(files: File[]): Promise<SerializedModel> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const modelJson = files.find((f) => f.name.endsWith('.json') && f.name !== 'metadata.json');
  if (!modelJson)
    throw refusal('backbone.chooseFiles', 'Choose the model.json file together with its weights file(s) (such as weights.bin).');
  return modelFromFiles(await modelJson.text(), async (path) => {
    const file = byName.get(path.split('/').pop()!);
    if (!file)
      throw refusal('backbone.missingWeights', `model.json needs "${path}": choose it together with model.json.`, { path });
    return file.arrayBuffer();
  });
}

/** Uses picked files (a Teachable Machine export or the base itself) as the default backbone. */
export async function importDefaultBackbone(files: File[]): Promise<EngineStatus> {
  const engine = await readyEngine();
  await engine.importBackbone(await readModelFiles(files));
  return engineStatus();
}

export interface ModelLayerInfo {
  name: string;
  outputShape: (number | null)[];
}

export interface ModelInspection {
  inputShape: (number | null)[];
  /** Layers whose output could become an embedding: feature maps (pooled) or flat vectors. */
  layers: ModelLayerInfo[];
}

function flatLayers(model: tfl.LayersModel): tfl.layers.Layer[] {
  return model.layers.flatMap((layer) => (layer instanceof tfl.LayersModel ? flatLayers(layer) : [layer]));
}

/** Lists the layers of a picked layers model, so the person can choose where to cut it. */
export async function inspectModel(files: File[]): Promise<ModelInspection> {
  await readyEngine();
  const model = await deserializeModel(await readModelFiles(files));
  try {
    const candidates = flatLayers(model).filter((layer) => {
      const shape = layer.outputShape as (number | null)[];
      // Single-output layers only (a multi-output layer's shape is an array of shapes).
      return Array.isArray(shape) && (shape.length === 4 || shape.length === 2) && !Array.isArray(shape[0]);
    });
    return {
      inputShape: model.inputs[0]!.shape,
      layers: candidates.map((layer) => ({ name: layer.name, outputShape: layer.outputShape as (number | null)[] })),
    };
  } finally {
    model.dispose();
  }
}

/** Adds the person's own layers model as a backbone, cut at the chosen layer. */
export async function addCustomBackbone(
  files: File[],
  options: { name: string; cutLayer: string; scaling: readonly [number, number] },
): Promise<BackboneSpec> {
  const engine = await readyEngine();
  const model = await readModelFiles(files);
  const inspected = await inspectModel(files);
  const [, height, width, channels] = inspected.inputShape;
  if (height !== width || channels !== 3 || !height) {
    const shape = inspected.inputShape.slice(1).join(' × ');
    throw refusal('backbone.notSquareImages', `Kiln needs a model that takes square colour images; this one takes ${shape}.`, {
      shape,
    });
  }
  const layer = inspected.layers.find((l) => l.name === options.cutLayer);
  if (!layer) {
    throw refusal('backbone.noSuchLayer', `The model has no layer "${options.cutLayer}" to cut at.`, {
      layer: options.cutLayer,
    });
  }
  const featureSize = layer.outputShape[layer.outputShape.length - 1] as number;
  const checksum = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', model.weightData)).slice(0, 6), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  const spec: BackboneSpec = {
    id: `custom-${checksum}-${options.cutLayer}`.replace(/[^a-zA-Z0-9_.-]/g, '_'),
    name: options.name.trim() || `Custom model (${options.cutLayer})`,
    family: 'custom',
    inputSize: height,
    publicUrl: null,
    bundledPath: null,
    cutLayer: options.cutLayer,
    scaling: options.scaling,
    featureSize,
    sha256: null,
    fineTunableBlocks: 0,
  };
  await engine.addCustomBackbone(spec, model);
  return spec;
}
