import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneSpec } from '../api/types';
import { UserError } from '../api/user-message';

/** MobileNetV2's inverted-residual blocks are named block_1 … block_16 (block 0 is expanded_conv). */
export const MOBILENET_V2_LAST_BLOCK = 16;

/**
 * Where each family's inverted-residual blocks start: block N begins with the 1×1 expansion named here, and that
 * layer's input is where block N − 1 ends (after its residual add, if it has one). Block 0 has no expansion.
 * MobileNetV3-Small's blocks are expanded_conv_1 … expanded_conv_10 (with squeeze-and-excite inside).
 */
const BLOCKS: Partial<Record<BackboneSpec['family'], { last: number; expansion: (block: number) => string }>> = {
  'mobilenet-v2': { last: MOBILENET_V2_LAST_BLOCK, expansion: (block) => `block_${block}_expand` },
  'mobilenet-v3': { last: 10, expansion: (block) => `expanded_conv_${block}_expand` },
};

const TRAINABLE_TYPES = new Set(['Conv2D', 'DepthwiseConv2D']);

export interface SplitExtractor {
  /** Input image → activations at the block boundary (frozen). */
  prefix: tfl.LayersModel;
  /** Boundary activations → pooled features; its convolution kernels are the ones fine-tuning changes. */
  suffix: tfl.LayersModel;
  /** The layers whose weights train, in a stable order (checkpoints store weights in this order). */
  trainableLayers: tfl.layers.Layer[];
  /** Shape of one boundary activation, e.g. [7, 7, 56]. */
  boundaryShape: number[];
}

/**
 * Splits a flat MobileNet extractor (V2 or V3) so its last `blocks` inverted-residual blocks (and the
 * convolutions after them: Conv_1, and V3's Conv_2) can train while everything before stays frozen. Batch-norm
 * layers stay frozen: with a few hundred photos their statistics would only get worse. The layers are shared
 * with `extractor`, so call this on a copy of the backbone, never on the one that embeds for every project.
 */
export function splitForFineTuning(
  extractor: tfl.LayersModel,
  blocks: number,
  family: BackboneSpec['family'] = 'mobilenet-v2',
): SplitExtractor {
  const naming = BLOCKS[family];
  const last = naming?.last ?? MOBILENET_V2_LAST_BLOCK;
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > last) {
    throw new UserError('train.fineTuneBlocks', `Fine-tuning needs between 1 and ${last} blocks, got ${blocks}.`, {
      max: last,
      blocks,
    });
  }
  const layers = extractor.layers;
  const firstTuned = naming ? layers.find((l) => l.name === naming.expansion(last - blocks + 1)) : undefined;
  const boundaryLayer = firstTuned?.inboundNodes[0]?.inboundLayers[0];
  const boundaryIndex = boundaryLayer ? layers.indexOf(boundaryLayer) : -1;
  if (boundaryIndex < 0) {
    throw new UserError(
      'train.fineTuneNotMobileNet',
      'This image model has no blocks Kiln knows how to unfreeze: fine-tuning works with MobileNetV2 and MobileNetV3-Small. Set “Fine-tune last blocks” to 0, or choose one of those image models.',
    );
  }
  const boundary = layers[boundaryIndex]!;
  const boundaryOutput = boundary.inboundNodes[0]!.outputTensors[0]!;

  const input = tfl.input({ shape: boundaryOutput.shape.slice(1) as number[], name: 'kiln_boundary' });
  const mapped = new Map<number, tfl.SymbolicTensor>([[boundaryOutput.id, input]]);
  const suffixLayers = layers.slice(boundaryIndex + 1);
  for (const layer of suffixLayers) {
    const node = layer.inboundNodes[0]!;
    const inputs = node.inputTensors.map((t) => {
      const replacement = mapped.get(t.id);
      if (!replacement) throw new Error(`Layer ${layer.name} reads from before the boundary; cannot split here.`);
      return replacement;
    });
    const output = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tfl.SymbolicTensor;
    mapped.set(node.outputTensors[0]!.id, output);
  }
  const finalOutput = mapped.get(extractor.outputs[0]!.id);
  if (!finalOutput) throw new Error('The extractor output was not reached from the boundary.');

  for (const layer of layers) layer.trainable = false;
  const trainableLayers = suffixLayers.filter((l) => TRAINABLE_TYPES.has(l.getClassName()));
  for (const layer of trainableLayers) layer.trainable = true;

  return {
    prefix: tfl.model({ inputs: extractor.inputs, outputs: boundaryOutput, name: 'kiln_prefix' }),
    suffix: tfl.model({ inputs: input, outputs: finalOutput, name: 'kiln_suffix' }),
    trainableLayers,
    boundaryShape: boundaryOutput.shape.slice(1) as number[],
  };
}

/** The variables fine-tuning updates, in trainableLayers order. */
export function trainableVariables(split: SplitExtractor): tf.Variable[] {
  return split.trainableLayers.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
}
