/** A finished training's model read from a version-2 file: its head and, when it fine-tuned, its backbone layers. */
import type { LayerWeights, SerializedModel } from '../../api/types';
import { firstNonFiniteWeight, hasNonFinite } from '../../ml/finite-weights';
import { elementCount, unpackLayerWeights } from './backbone-pack';
import { entry, ownBuffer } from './entries';
import { bytesPerElement, isRecord, storedType, type CheckedModel } from './manifest';
import { damaged } from './refusals';

type Files = ReadonlyMap<string, Uint8Array>;

/** The head (`what`: "the model of training 1"): its topology must be a JSON object, its weights as long as listed. */
export function readHead(head: CheckedModel['head'], files: Files, what: string): SerializedModel {
  let topology: unknown;
  const topologyBytes = entry(files, head.topology, `the layers of ${what}`);
  try {
    topology = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(topologyBytes));
  } catch {
    throw damaged(`the layers of ${what} are not valid JSON`);
  }
  if (!isRecord(topology)) throw damaged(`the layers of ${what} are not a model`);
  const weights = entry(files, head.weights, `the weights of ${what}`);
  // Every weight's type is one the schema knows the size of.
  const expected = head.weightSpecs.reduce((sum, spec) => sum + elementCount(spec.shape) * bytesPerElement(storedType(spec))!, 0);
  if (weights.length !== expected) {
    throw damaged(
      `the weights of ${what} ("${head.weights}") are ${weights.length} bytes, but its weight list needs ${expected}`,
    );
  }
  const weightData = ownBuffer(weights);
  const broken = firstNonFiniteWeight(head.weightSpecs, weightData);
  if (broken) throw damaged(`the weights of ${what} hold values that are not numbers (in "${broken}")`);
  return { modelTopology: topology, weightSpecs: head.weightSpecs, weightData };
}

/** The fine-tuned backbone layers of `what`, from their backbone.bin. */
export function readFineTuned(backbone: NonNullable<CheckedModel['backbone']>, files: Files, what: string): LayerWeights[] {
  const bin = entry(files, backbone.weights, `the fine-tuned layers of ${what}`);
  const layers = unpackLayerWeights(bin, backbone.weights, backbone.layers);
  const broken = layers.find((layer) => layer.values.some(hasNonFinite));
  if (broken) throw damaged(`the fine-tuned layer "${broken.layer}" of ${what} holds values that are not numbers`);
  return layers;
}
