/**
 * A training's fine-tuned backbone layers in the project file: every layer's float32 tensors one after the other in
 * `models/<run>/backbone.bin`, and in the manifest, per layer, the tensors' shapes and their byte offsets.
 */
import type { LayerWeights } from '../../api/types';
import type { ManifestLayer } from './manifest';
import { bytesOf, ownBuffer } from './entries';
import { damaged, ProjectFileError } from './refusals';

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** backbone.bin and the layer list that describes it. */
export function packLayerWeights(layers: readonly LayerWeights[]): { layers: ManifestLayer[]; bytes: Uint8Array } {
  const total = layers.reduce((sum, l) => sum + l.values.reduce((s, v) => s + v.byteLength, 0), 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  const index = layers.map((l) => {
    const offsets = l.values.map((v, i) => {
      if (v.length !== elementCount(l.shapes[i] ?? [])) {
        throw new ProjectFileError(
          'projectFile.weightsMismatch',
          `The project can't be exported: the saved weights of layer "${l.layer}" don't match their shapes. Train again, then export.`,
          { layer: l.layer },
        );
      }
      const at = offset;
      bytes.set(bytesOf(v), at);
      offset += v.byteLength;
      return at;
    });
    return { layer: l.layer, shapes: l.shapes, offsets };
  });
  return { layers: index, bytes };
}

/**
 * The layers back from backbone.bin (`bin`, the entry `name`) and their list (shapes already checked, as many
 * offsets as shapes): every tensor must lie inside the file, and together they must fill it exactly.
 */
export function unpackLayerWeights(
  bin: Uint8Array,
  name: string,
  layers: readonly { layer: string; shapes: number[][]; offsets: readonly unknown[] }[],
): LayerWeights[] {
  let total = 0;
  const unpacked = layers.map(({ layer, shapes, offsets }) => {
    const values = shapes.map((dims, t) => {
      const offset = offsets[t];
      const length = elementCount(dims) * 4;
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset + length > bin.length)
        throw damaged(`the weights of layer "${layer}" run past the end of "${name}" (${bin.length} bytes)`);
      total += length;
      return new Float32Array(ownBuffer(bin.subarray(offset, offset + length)));
    });
    return { layer, values, shapes };
  });
  if (total !== bin.length) throw damaged(`"${name}" is ${bin.length} bytes, but the layer list needs ${total}`);
  return unpacked;
}
