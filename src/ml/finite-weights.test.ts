import { describe, expect, it } from 'vitest';
import { firstNonFiniteWeight, hasNonFinite } from './finite-weights';

/** Specs and bytes for float32 weights of the given values, with an int32 and a quantized weight between them. */
function model(first: number[], last: number[]) {
  const specs = [
    { name: 'dense/kernel', shape: [first.length], dtype: 'float32' },
    { name: 'steps', shape: [1], dtype: 'int32' },
    { name: 'q', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8' } },
    { name: 'dense/bias', shape: [last.length], dtype: 'float32' },
  ];
  const bytes = new Uint8Array(first.length * 4 + 4 + 3 + last.length * 4);
  bytes.set(new Uint8Array(Float32Array.from(first).buffer), 0);
  bytes.set(new Uint8Array(Int32Array.from([7]).buffer), first.length * 4);
  bytes.set([255, 0, 9], first.length * 4 + 4);
  bytes.set(new Uint8Array(Float32Array.from(last).buffer), first.length * 4 + 7); // not 4-aligned
  return { specs, data: bytes.buffer };
}

describe('finite weights', () => {
  it('finds no broken weight in a sound model', () => {
    const { specs, data } = model([0.5, -2, 3e38], [1, 0]);
    expect(firstNonFiniteWeight(specs, data)).toBeNull();
  });

  it('names the weight that holds NaN or an infinity, wherever it lies', () => {
    const nan = model([0.5, NaN], [1, 0]);
    expect(firstNonFiniteWeight(nan.specs, nan.data)).toBe('dense/kernel');
    const infinite = model([0.5, 1], [1, -Infinity]);
    expect(firstNonFiniteWeight(infinite.specs, infinite.data)).toBe('dense/bias');
  });

  it('checks loose values too', () => {
    expect(hasNonFinite(Float32Array.from([1, 2]))).toBe(false);
    expect(hasNonFinite(Float32Array.from([1, Infinity]))).toBe(true);
  });
});
