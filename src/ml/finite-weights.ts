/**
 * Whether a model's weights are all numbers. A broken save or a hand-edited file can hold NaN or an infinity; such a
 * model loads without complaint and then answers NaN to every photo ("Prediction: normal (—)"), so models are checked
 * when they come in, not when they are used. Pure: works on the serialized bytes, no tfjs.
 */

/** A weight as a model's manifest lists it (tfjs's WeightsManifestEntry, the parts read here). */
export interface WeightSpecLike {
  name: string;
  shape: readonly number[];
  dtype: string;
  quantization?: { dtype: string } | null;
}

/** Bytes per value of a weight's type, null for a type a model file may not use. */
export function bytesPerValue(dtype: string): number | null {
  switch (dtype) {
    case 'uint8':
    case 'int8':
    case 'bool':
      return 1;
    case 'uint16':
    case 'int16':
    case 'float16':
      return 2;
    case 'float32':
    case 'int32':
      return 4;
    case 'complex64':
      return 8;
    default:
      return null;
  }
}

/** Bytes per value as stored (its quantization's type when quantized), null for a type this check cannot step over. */
function storedBytes(spec: WeightSpecLike): number | null {
  return bytesPerValue(spec.quantization?.dtype ?? spec.dtype);
}

/** True when `values` holds NaN or ±Infinity. */
export function hasNonFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return true;
  return false;
}

/**
 * The name of the first float32 weight that holds NaN or an infinity, or null when there is none. Integer and
 * quantized weights cannot hold either and are stepped over; so is anything after a type this cannot size.
 */
export function firstNonFiniteWeight(specs: readonly WeightSpecLike[], data: ArrayBuffer): string | null {
  let offset = 0;
  for (const spec of specs) {
    const bytes = storedBytes(spec);
    if (bytes === null) return null;
    const count = spec.shape.reduce((product, size) => product * size, 1);
    const length = count * bytes;
    if (offset + length > data.byteLength) return null; // a short file is refused elsewhere, with its own words
    if (!spec.quantization && spec.dtype === 'float32') {
      // Copied when unaligned: a Float32Array needs an offset that is a multiple of 4.
      const values =
        offset % 4 === 0 ? new Float32Array(data, offset, count) : new Float32Array(data.slice(offset, offset + length));
      if (hasNonFinite(values)) return spec.name;
    }
    offset += length;
  }
  return null;
}
