/** 2-D maps of embedding vectors (PCA or UMAP) for the studio's scatter plot: pure TS, run in the worker. */
import { UMAP } from 'umap-js';
import { seededRandom, type Random } from './random';

export type ProjectionMethod = 'pca' | 'umap';

/** 2-D coordinates for n vectors of size d (row-major). Deterministic for a given seed. Output scaled to [-1, 1] on each axis. */
export function project(vectors: Float32Array, n: number, d: number, method: ProjectionMethod, seed: number): Float32Array {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) throw new RangeError(`bad shape ${n}×${d}`);
  if (vectors.length !== n * d) throw new RangeError(`expected ${n}×${d} = ${n * d} values, got ${vectors.length}`);
  if (n === 0) return new Float32Array(0);
  const coordinates = method === 'umap' && n >= 4 ? umap(vectors, n, d, seed) : pca(vectors, n, d, seed);
  return scaleAxes(coordinates, n);
}

function umap(vectors: Float32Array, n: number, d: number, seed: number): Float64Array {
  const rows = Array.from({ length: n }, (_, i) => Array.from(vectors.subarray(i * d, (i + 1) * d)));
  const embedding = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), random: seededRandom(seed) }).fit(rows);
  const out = new Float64Array(2 * n);
  embedding.forEach((point, i) => {
    out[2 * i] = point[0]!;
    out[2 * i + 1] = point[1]!;
  });
  return out;
}

/** Principal-component scores on the top two directions, interleaved (x0, y0, x1, y1, …). */
function pca(vectors: Float32Array, n: number, d: number, seed: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += vectors[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const centred = (i: number, j: number): number => vectors[i * d + j]! - mean[j]!;

  const random = seededRandom(seed);
  const out = new Float64Array(2 * n);
  // Eigenvectors of whichever of XᵀX (d×d) and XXᵀ (n×n) is smaller; both share their non-zero eigenvalues.
  const useCovariance = d <= n;
  const m = useCovariance ? d : n;
  const matrix = useCovariance ? gram(d, n, (a, t) => centred(t, a)) : gram(n, d, (a, t) => centred(a, t));
  let trace = 0;
  for (let a = 0; a < m; a++) trace += matrix[a * m + a]!;
  const found: Float64Array[] = [];
  for (let component = 0; component < 2; component++) {
    const { vector, value } = topEigenvector(matrix, m, found, random);
    found.push(vector);
    // Rounding noise, not variance (e.g. the second axis of two points): leave the axis at 0 rather than stretch noise.
    if (!(value > 1e-12 * trace)) continue;
    // The principal direction in feature space: v itself, or Xᵀu/√λ from an eigenvector u of XXᵀ.
    let direction = vector;
    if (!useCovariance) {
      direction = new Float64Array(d);
      const norm = Math.sqrt(value);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) direction[j]! += (centred(i, j) * vector[i]!) / norm;
    }
    const sign = signOfLargest(direction);
    for (let i = 0; i < n; i++) {
      let score = 0;
      if (useCovariance) for (let j = 0; j < d; j++) score += centred(i, j) * direction[j]!;
      else score = Math.sqrt(value) * vector[i]!; // X v = X Xᵀ u / √λ = √λ u
      out[2 * i + component] = sign * score;
    }
  }
  return out;
}

/**
 * G[a][b] = Σ_t entry(a, t)·entry(b, t) for a, b < m, t < length: a dense symmetric m×m matrix.
 * Works through t in blocks so each block of entries stays in cache while every pair (a, b) reads it.
 */
function gram(m: number, length: number, entry: (a: number, t: number) => number): Float64Array {
  const g = new Float64Array(m * m);
  const blockSize = 64;
  const block = new Float64Array(m * blockSize);
  for (let t0 = 0; t0 < length; t0 += blockSize) {
    const size = Math.min(blockSize, length - t0);
    for (let a = 0; a < m; a++) for (let t = 0; t < size; t++) block[a * blockSize + t] = entry(a, t0 + t);
    for (let a = 0; a < m; a++) {
      const rowA = a * blockSize;
      let b = a;
      // Four columns at a time: each entry of row a is loaded once per four products.
      for (; b + 3 < m; b += 4) {
        const r0 = b * blockSize;
        const r1 = r0 + blockSize;
        const r2 = r1 + blockSize;
        const r3 = r2 + blockSize;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < size; t++) {
          const x = block[rowA + t]!;
          s0 += x * block[r0 + t]!;
          s1 += x * block[r1 + t]!;
          s2 += x * block[r2 + t]!;
          s3 += x * block[r3 + t]!;
        }
        const cell = a * m + b;
        g[cell]! += s0;
        g[cell + 1]! += s1;
        g[cell + 2]! += s2;
        g[cell + 3]! += s3;
      }
      for (; b < m; b++) {
        const rowB = b * blockSize;
        let sum = 0;
        for (let t = 0; t < size; t++) sum += block[rowA + t]! * block[rowB + t]!;
        g[a * m + b]! += sum;
      }
    }
  }
  for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) g[a * m + b] = g[b * m + a]!;
  return g;
}

/** Power iteration on a symmetric PSD matrix, kept orthogonal to earlier eigenvectors (deflation). */
function topEigenvector(
  matrix: Float64Array,
  m: number,
  previous: readonly Float64Array[],
  random: Random,
): { vector: Float64Array; value: number } {
  const v = Float64Array.from({ length: m }, () => random() - 0.5);
  const next = new Float64Array(m);
  let value = 0;
  for (let iteration = 0; iteration < 300; iteration++) {
    orthogonalise(v, previous);
    if (!normalise(v)) return { vector: v, value: 0 };
    for (let a = 0; a < m; a++) {
      let sum = 0;
      const row = a * m;
      for (let b = 0; b < m; b++) sum += matrix[row + b]! * v[b]!;
      next[a] = sum;
    }
    orthogonalise(next, previous);
    value = Math.sqrt(dot(next, next));
    if (value === 0) return { vector: v, value: 0 };
    let change = 0;
    for (let a = 0; a < m; a++) change += (next[a]! / value - v[a]!) ** 2;
    v.set(next);
    if (change < 1e-14) break; // plenty for a plot; a near-tie of the top two only rotates within their plane
  }
  normalise(v);
  return { vector: v, value };
}

function orthogonalise(v: Float64Array, against: readonly Float64Array[]): void {
  for (const u of against) {
    const projection = dot(u, v);
    for (let a = 0; a < v.length; a++) v[a]! -= projection * u[a]!;
  }
}

function normalise(v: Float64Array): boolean {
  const norm = Math.sqrt(dot(v, v));
  if (!(norm > 1e-300)) {
    v.fill(0);
    return false;
  }
  for (let a = 0; a < v.length; a++) v[a]! /= norm;
  return true;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** +1 or −1, so that the largest-magnitude component (first of equals) comes out positive. */
function signOfLargest(v: Float64Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[best]!)) best = i;
  return v[best]! < 0 ? -1 : 1;
}

/** Min–max scaling of each axis to [-1, 1]; an axis with no spread maps to 0. */
function scaleAxes(coordinates: Float64Array, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let axis = 0; axis < 2; axis++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const value = coordinates[2 * i + axis]!;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const range = max - min;
    for (let i = 0; i < n; i++) {
      out[2 * i + axis] = range > 0 ? Math.min(1, Math.max(-1, (2 * (coordinates[2 * i + axis]! - min)) / range - 1)) : 0;
    }
  }
  return out;
}
