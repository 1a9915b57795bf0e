/**
 * The engine: starting it, its status, and the image models (backbones) it can use: the default one
 * from a Teachable Machine export, or the person's own model cut at a chosen layer.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BACKBONES } from '../../ml/backbone-catalogue';
import { ModelFilesError, modelFromFiles } from '../../ml/model-artifacts';
import { deserializeModel } from '../../ml/serialize';
import type { BackboneChoice, BackboneSpec, EngineStatus, SerializedModel } from '../../api/types';
import type { MessageValues } from '../../api/user-message';
import { getCachedBackbone } from '../../storage/backbones';
import type { Job } from '../jobs';
import type { Runtime, StartOptions } from '../runtime';

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
async function inspectModel(files: File[]): Promise<ModelInspection> {
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

export interface CustomBackboneRequest {
  files: File[];
  name: string;
  cutLayer: string;
  scaling: readonly [number, number];
}

/** Checks the person's own layers model and makes its spec, cut at the chosen layer. */
async function customBackboneSpec(options: CustomBackboneRequest, model: SerializedModel): Promise<BackboneSpec> {
  const files = options.files;
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
  return spec;
}

export function engineService(runtime: Runtime) {
  return {
    /** `tabId` names this tab in the changes other tabs hear (see studio.worker.ts). */
    start: (options: StartOptions & { tabId: string }) => runtime.start(options),
    status: async () => runtime.status(),

    /** Uses picked files (a Teachable Machine export or the base itself) as the default backbone. */
    async importBackbone({ files }: { files: File[] }, job: Job): Promise<EngineStatus> {
      const engine = await runtime.engine();
      await engine.importBackbone(await readModelFiles(files));
      job.changed('engine');
      return runtime.status();
    },

    async inspectModel({ files }: { files: File[] }): Promise<ModelInspection> {
      await runtime.engine();
      return inspectModel(files);
    },

    /** Adds the person's own layers model as a backbone, cut at the chosen layer. */
    async addCustomBackbone(request: CustomBackboneRequest, job: Job): Promise<BackboneSpec> {
      const engine = await runtime.engine();
      const model = await readModelFiles(request.files);
      const spec = await customBackboneSpec(request, model);
      await engine.addCustomBackbone(spec, model);
      job.changed('engine');
      return spec;
    },

    /** The backbones Kiln offers, and whether each is already on this device. */
    async listBackbones(): Promise<BackboneChoice[]> {
      const database = await runtime.db();
      const engine = await runtime.engine();
      const custom = (await database.getAll('backbones')).filter((r) => r.spec).map((r) => r.spec!);
      const choices = await Promise.all(
        [...BACKBONES, ...custom].map(async (spec) => ({
          spec,
          available:
            Boolean(await getCachedBackbone(database, spec.id)) ||
            (spec.id === engine.backboneStatus.id && engine.backboneStatus.state === 'ready'),
        })),
      );
      // A catalogue model with no public address (MobileNetV3-Small) is offered only where it can be had:
      // this build brought it along, or it is already on this device.
      return choices.filter((c) => c.available || c.spec.publicUrl || engine.hasBundled(c.spec.id));
    },
  };
}
