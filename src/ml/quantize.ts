import type { SerializedModel } from '../api/types';

/**
 * Weight quantization for exports, in the format tfjs readers dequantize on load: the spec keeps
 * dtype float32 and gains a `quantization` entry. uint8 is affine per tensor (v ≈ q · scale + min) and
 * loads in every tfjs since 1.0, Teachable Machine's library included; float16 needs tfjs 3 or newer.
 */
export type WeightPrecision = 'float32' | 'float16' | 'uint8';

type WeightSpec = SerializedModel['weightSpecs'][number] & {
  quantization?: { dtype: 'uint8' | 'float16'; scale?: number; min?: number };
};

const float32 = new Float32Array(1);
const bits32 = new Uint32Array(float32.buffer);

/** IEEE half precision bits of a float, rounding to nearest even; overflow goes to ±Infinity. */
export function toFloat16Bits(value: number): number {
  float32[0] = value;
  const x = bits32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = sign | (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return half;
}

function quantizeTensor(
  values: Float32Array,
  precision: 'float16' | 'uint8',
): { bytes: Uint8Array; quantization: WeightSpec['quantization'] } {
  if (precision === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' } };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  // A constant tensor still needs a non-zero scale to dequantize.
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! - min) / scale);
  return { bytes: out, quantization: { dtype: 'uint8', scale, min } };
}

/** The model with float32 weights stored at a lower precision (integer tensors are left as they are). */
export function quantizeModel(model: SerializedModel, precision: WeightPrecision): SerializedModel {
  if (precision === 'float32') return model;
  const parts: Uint8Array[] = [];
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const spec of model.weightSpecs as WeightSpec[]) {
    if (spec.quantization) throw new Error(`The weight ${spec.name} is already quantized.`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * 4;
    if (spec.dtype !== 'float32') {
      parts.push(new Uint8Array(model.weightData, offset, bytes));
      specs.push(spec);
    } else {
      const values = new Float32Array(model.weightData.slice(offset, offset + bytes));
      const q = quantizeTensor(values, precision);
      parts.push(q.bytes);
      specs.push({ ...spec, quantization: q.quantization });
    }
    offset += bytes;
  }
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.byteLength;
  }
  return { modelTopology: model.modelTopology, weightSpecs: specs, weightData: data.buffer };
}
