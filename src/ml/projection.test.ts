import { describe, expect, it } from 'vitest';
import { project } from './projection';
import { seededRandom, type Random } from './random';

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `perCluster` Gaussian points (sd 1) around three centres, `offsets[c]` along axis c of d-space. */
function threeClusters(
  perCluster: number,
  d: number,
  seed: number,
  offsets = [40, 40, 40],
): { vectors: Float32Array; labels: number[] } {
  const random = seededRandom(seed);
  const vectors = new Float32Array(3 * perCluster * d);
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < perCluster; p++) {
      const row = c * perCluster + p;
      labels.push(c);
      for (let j = 0; j < d; j++) vectors[row * d + j] = gaussian(random) + (j === c ? offsets[c]! : 0);
    }
  }
  return { vectors, labels };
}

/** Every 2-D point is closer to its own cluster's centroid than to any other. */
function expectSeparated(points: Float32Array, labels: readonly number[]): void {
  const centroids = [0, 1, 2].map((c) => {
    const members = labels.flatMap((l, i) => (l === c ? [i] : []));
    const x = members.reduce((s, i) => s + points[2 * i]!, 0) / members.length;
    const y = members.reduce((s, i) => s + points[2 * i + 1]!, 0) / members.length;
    return [x, y] as const;
  });
  labels.forEach((label, i) => {
    const distances = centroids.map(([x, y]) => Math.hypot(points[2 * i]! - x, points[2 * i + 1]! - y));
    const nearest = distances.indexOf(Math.min(...distances));
    expect(nearest, `point ${i}`).toBe(label);
  });
}

function expectInUnitSquare(points: Float32Array): void {
  for (const v of points) {
    expect(v).toBeGreaterThanOrEqual(-1);
    expect(v).toBeLessThanOrEqual(1);
  }
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('project: PCA', () => {
  it('recovers points along a line as the first axis, sign fixed by the largest component', () => {
    // Direction (0.2, -0.9, 0.4)/‖·‖: its largest component is negative, so the sign rule flips it and the first
    // coordinate runs against t.
    const u = [0.2, -0.9, 0.4];
    const norm = Math.hypot(...u);
    const random = seededRandom(3);
    const n = 40;
    const t = Array.from({ length: n }, () => random() * 10 - 5);
    const vectors = new Float32Array(n * 3);
    t.forEach((ti, i) => {
      for (let j = 0; j < 3; j++) vectors[i * 3 + j] = 7 + (ti * u[j]!) / norm + 0.001 * gaussian(random);
    });
    const points = project(vectors, n, 3, 'pca', 1);
    const first = Array.from({ length: n }, (_, i) => points[2 * i]!);
    expect(correlation(first, t)).toBeCloseTo(-1, 5);
  });

  it('keeps three far-apart clusters in 50-D separated, inside [-1, 1]', () => {
    const { vectors, labels } = threeClusters(30, 50, 11);
    const points = project(vectors, 90, 50, 'pca', 1);
    expect(points).toHaveLength(180);
    expectSeparated(points, labels);
    expectInUnitSquare(points);
    // Min–max scaling: each axis reaches both ends.
    for (const axis of [0, 1]) {
      const values = Array.from({ length: 90 }, (_, i) => points[2 * i + axis]!);
      expect(Math.min(...values)).toBe(-1);
      expect(Math.max(...values)).toBe(1);
    }
  });

  it('the n×n Gram route (n < d) agrees with the d×d covariance route', () => {
    // The same 24 points in 20-D (covariance route) and padded with 30 zero features (Gram route). Unequal offsets
    // keep the top two variances apart, so the answer does not hinge on where power iteration starts.
    const { vectors } = threeClusters(8, 20, 5, [60, 30, 10]);
    const n = 24;
    const padded = new Float32Array(n * 50);
    for (let i = 0; i < n; i++) padded.set(vectors.subarray(i * 20, (i + 1) * 20), i * 50);
    const a = project(vectors, n, 20, 'pca', 1);
    const b = project(padded, n, 50, 'pca', 1);
    for (let i = 0; i < 2 * n; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
  });

  it('is deterministic', () => {
    const { vectors } = threeClusters(20, 64, 2, [60, 30, 10]);
    expect(project(vectors, 60, 64, 'pca', 9)).toEqual(project(vectors, 60, 64, 'pca', 9));
    // The start vector depends on the seed, but power iteration converges to the same (sign-fixed) answer.
    const other = project(vectors, 60, 64, 'pca', 10);
    project(vectors, 60, 64, 'pca', 9).forEach((v, i) => expect(other[i]).toBeCloseTo(v, 3));
  });

  it('handles n = 0, 1, 2, d = 1 and identical points', () => {
    expect(project(new Float32Array(0), 0, 5, 'pca', 1)).toEqual(new Float32Array(0));
    expect(project(new Float32Array([1, 2, 3]), 1, 3, 'pca', 1)).toEqual(new Float32Array([0, 0]));
    const two = project(new Float32Array([0, 0, 0, 3, 4, 0]), 2, 3, 'pca', 1);
    expect(Math.abs(two[0]! - two[2]!)).toBe(2); // the two points at opposite ends of axis 0
    expect([two[1], two[3]]).toEqual([0, 0]); // no second direction
    const line = project(new Float32Array([1, 3, 2]), 3, 1, 'pca', 1);
    expect(Array.from(line)).toEqual([-1, 0, 1, 0, 0, 0]);
    expect(project(new Float32Array(12).fill(4), 4, 3, 'pca', 1)).toEqual(new Float32Array(8));
  });

  it('rejects a vectors array of the wrong length', () => {
    expect(() => project(new Float32Array(5), 2, 3, 'pca', 1)).toThrow(RangeError);
  });
});

describe('project: UMAP', () => {
  const { vectors, labels } = threeClusters(20, 10, 7);

  it('gives the same output for the same seed', () => {
    const a = project(vectors, 60, 10, 'umap', 42);
    const b = project(vectors, 60, 10, 'umap', 42);
    expect(a).toEqual(b);
    expectInUnitSquare(a);
    expect(project(vectors, 60, 10, 'umap', 43)).not.toEqual(a);
  });

  it('keeps three well-separated Gaussian clusters separated', () => {
    expectSeparated(project(vectors, 60, 10, 'umap', 1), labels);
  });

  it('falls back to PCA below four points', () => {
    for (const n of [1, 2, 3]) {
      const subset = vectors.subarray(0, n * 10);
      expect(project(subset, n, 10, 'umap', 1)).toEqual(project(subset, n, 10, 'pca', 1));
    }
    expect(project(vectors.subarray(0, 40), 4, 10, 'umap', 1)).toHaveLength(8);
  });
});
