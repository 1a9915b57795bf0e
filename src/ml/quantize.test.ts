import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { toModelArtifacts } from './model-artifacts';
import { quantizeModel, toFloat16Bits } from './quantize';
import type { SerializedModel } from '../api/types';

function model(values: number[][]): SerializedModel {
  const all = new Float32Array(values.flat());
  return {
    modelTopology: {},
    weightSpecs: values.map((v, i) => ({ name: `w${i}`, shape: [v.length], dtype: 'float32' })),
    weightData: all.buffer,
  };
}

/** What a tfjs reader makes of the stored weights: the same decoding loadLayersModel uses. */
function decoded(saved: SerializedModel): Float32Array[] {
  const artifacts = toModelArtifacts(saved);
  const map = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const out = Object.values(map).map((t) => t.dataSync() as Float32Array);
  tf.dispose(Object.values(map));
  return out;
}

describe('toFloat16Bits', () => {
  it('encodes exact halves, rounds to nearest even and saturates to infinity', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(0.5)).toBe(0x3800);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: ties to even
    expect(toFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('quantizeModel', () => {
  const weights = [
    [0.1, -0.25, 3.5, 0, 1e-3],
    [-1, 1, 0.333, 0.666],
    [7, 7, 7],
  ];

  it('float16 halves the weights and tfjs reads them back within half precision', () => {
    const q = quantizeModel(model(weights), 'float16');
    expect(q.weightData.byteLength).toBe(12 * 2);
    decoded(q).forEach((values, i) => {
      values.forEach((v, j) => expect(v).toBeCloseTo(weights[i]![j]!, 2));
    });
  });

  it('uint8 quarters the weights, within one step of each tensor’s range, constant tensors exact', () => {
    const q = quantizeModel(model(weights), 'uint8');
    expect(q.weightData.byteLength).toBe(12);
    decoded(q).forEach((values, i) => {
      const range = Math.max(...weights[i]!) - Math.min(...weights[i]!);
      values.forEach((v, j) => expect(Math.abs(v - weights[i]![j]!)).toBeLessThanOrEqual(range / 255 / 2 + 1e-6));
    });
    expect(Array.from(decoded(q)[2]!)).toEqual([7, 7, 7]);
  });

  it('float32 changes nothing', () => {
    const m = model(weights);
    expect(quantizeModel(m, 'float32')).toBe(m);
  });
});
