import { describe, expect, it } from 'vitest';
import {
  BLURRY_BELOW,
  DARK_BELOW,
  balanceFindings,
  duplicateFix,
  exactDuplicates,
  exposureIssues,
  imageStats,
  nearDuplicates,
  nearThreshold,
  type PhotoRef,
} from './health';
import { seededRandom } from './random';

const photo = (id: string, classId: string, hash: string): PhotoRef => ({ id, classId, hash, name: `${id}.jpg` });
const ids = (photos: readonly PhotoRef[]) => photos.map((p) => p.id);

describe('exactDuplicates', () => {
  const photos = [
    photo('a1', 'cats', 'h-pair'),
    photo('t1', 'cats', 'h-triple'),
    photo('x1', 'cats', 'h-cross'),
    photo('a2', 'cats', 'h-pair'),
    photo('u', 'dogs', 'h-unique'),
    photo('t2', 'cats', 'h-triple'),
    photo('x2', 'dogs', 'h-cross'),
    photo('t3', 'cats', 'h-triple'),
  ];

  it('groups by hash: cross-class first, then larger groups, photos in input order', () => {
    const groups = exactDuplicates(photos);
    expect(groups.map((g) => [g.hash, g.crossClass, ids(g.photos)])).toEqual([
      ['h-cross', true, ['x1', 'x2']],
      ['h-triple', false, ['t1', 't2', 't3']],
      ['h-pair', false, ['a1', 'a2']],
    ]);
  });

  it('fixes a group by keeping the first photo, and leaves cross-class groups to the user', () => {
    const [cross, triple, pair] = exactDuplicates(photos);
    expect(duplicateFix(cross!)).toBeNull();
    expect(duplicateFix(triple!)).toEqual(['t2', 't3']);
    expect(duplicateFix(pair!)).toEqual(['a2']);
  });

  it('orders groups of the same kind and size by hash', () => {
    const groups = exactDuplicates([photo('1', 'c', 'bb'), photo('2', 'c', 'aa'), photo('3', 'c', 'bb'), photo('4', 'c', 'aa')]);
    expect(groups.map((g) => g.hash)).toEqual(['aa', 'bb']);
  });

  it('finds nothing when every hash is different', () => {
    expect(exactDuplicates([photo('1', 'c', 'a'), photo('2', 'd', 'b')])).toEqual([]);
    expect(exactDuplicates([])).toEqual([]);
  });
});

/** Every pair by brute force in double precision, best first. */
function bruteForce(photos: readonly PhotoRef[], vectors: Float32Array, d: number, threshold: number, limit: number) {
  const norms = photos.map((_, i) => Math.hypot(...vectors.subarray(i * d, (i + 1) * d)));
  const pairs: { a: string; b: string; similarity: number }[] = [];
  for (let i = 0; i < photos.length; i++) {
    for (let j = i + 1; j < photos.length; j++) {
      if (photos[i]!.hash === photos[j]!.hash || norms[i] === 0 || norms[j] === 0) continue;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += vectors[i * d + k]! * vectors[j * d + k]!;
      const similarity = dot / (norms[i]! * norms[j]!);
      if (similarity >= threshold) pairs.push({ a: photos[i]!.id, b: photos[j]!.id, similarity });
    }
  }
  return pairs.sort((x, y) => y.similarity - x.similarity).slice(0, limit);
}

const summary = (pairs: ReturnType<typeof nearDuplicates>) => pairs.map((p) => [p.a.id, p.b.id]);

describe('nearDuplicates', () => {
  // cos(p0, p1) = 0.99 / √0.9901 ≈ 0.99499; cos(p1, p3) = 1.09 / (√2 · √0.9901) ≈ 0.77463;
  // cos(p0, p3) = cos(p2, p3) = 1/√2 ≈ 0.70711; cos(p1, p2) ≈ 0.10050; cos(p0, p2) = 0.
  const photos = [photo('p0', 'c', 'h0'), photo('p1', 'c', 'h1'), photo('p2', 'c', 'h2'), photo('p3', 'd', 'h3')];
  const vectors = new Float32Array([1, 0, 0, 0.99, 0.1, 0, 0, 1, 0, 1, 1, 0]);

  it('keeps only pairs at or above the threshold', () => {
    const pairs = nearDuplicates(photos, vectors, 3, 0.99);
    expect(summary(pairs)).toEqual([['p0', 'p1']]);
    expect(pairs[0]!.similarity).toBeCloseTo(0.99 / Math.sqrt(0.9901), 6);
  });

  it('sorts by similarity, ties in input order, and respects the limit', () => {
    const pairs = nearDuplicates(photos, vectors, 3, 0.7);
    expect(summary(pairs)).toEqual([
      ['p0', 'p1'],
      ['p1', 'p3'],
      ['p0', 'p3'],
      ['p2', 'p3'],
    ]);
    expect(pairs[1]!.similarity).toBeCloseTo(1.09 / (Math.SQRT2 * Math.sqrt(0.9901)), 6);
    expect(pairs[2]!.similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(summary(nearDuplicates(photos, vectors, 3, 0.7, 2))).toEqual([
      ['p0', 'p1'],
      ['p1', 'p3'],
    ]);
    expect(nearDuplicates(photos, vectors, 3, 0.7, 0)).toEqual([]);
  });

  it('leaves out exact-hash duplicates, which exactDuplicates reports', () => {
    const withCopy = [...photos, photo('p0-copy', 'd', 'h0')];
    const v = new Float32Array([...vectors, 2, 0, 0]);
    // p0-copy normalises to p0, so its pair with p1 ties and comes second, by input order.
    expect(summary(nearDuplicates(withCopy, v, 3, 0.99))).toEqual([
      ['p0', 'p1'],
      ['p1', 'p0-copy'],
    ]);
  });

  it('skips zero vectors instead of producing NaN', () => {
    const withZero = [photo('z', 'c', 'hz'), ...photos];
    const v = new Float32Array([0, 0, 0, ...vectors]);
    const pairs = nearDuplicates(withZero, v, 3, -1);
    expect(pairs).toHaveLength(6);
    expect(pairs.every((p) => Number.isFinite(p.similarity) && p.a.id !== 'z' && p.b.id !== 'z')).toBe(true);
  });

  it('rejects vectors of the wrong size', () => {
    expect(() => nearDuplicates(photos, new Float32Array(11), 3, 0.9)).toThrow();
  });

  it('agrees with brute force across block edges, odd counts and early pruning', () => {
    const random = seededRandom(7);
    const n = 601;
    const d = 37;
    const v = new Float32Array(n * d);
    for (let i = 0; i < v.length; i++) v[i] = random() - 0.5;
    // Plant near duplicates: some rows are another row plus a little noise.
    for (let i = 0; i < 40; i++) {
      const from = Math.floor(random() * n);
      const to = Math.floor(random() * n);
      for (let k = 0; k < d; k++) v[to * d + k] = v[from * d + k]! + (random() - 0.5) * 0.2 * (i / 40);
    }
    const refs = Array.from({ length: n }, (_, i) => photo(`p${i}`, 'c', i === 500 ? 'h3' : `h${i}`));
    for (const [threshold, limit] of [
      [0.9, 500],
      [0.5, 25],
      [-1, 5],
    ] as const) {
      const expected = bruteForce(refs, v, d, threshold, limit);
      const actual = nearDuplicates(refs, v, d, threshold, limit);
      expect(summary(actual)).toEqual(expected.map((p) => [p.a, p.b]));
      actual.forEach((p, i) => expect(p.similarity).toBeCloseTo(expected[i]!.similarity, 5));
    }
  });

  it('handles 2,000 photos of 1,280 dimensions', () => {
    const random = seededRandom(1);
    const n = 2000;
    const d = 1280;
    const v = new Float32Array(n * d);
    for (let i = 0; i < v.length; i++) v[i] = random() - 0.5;
    for (const [from, to] of [
      [3, 1500],
      [999, 1000],
    ] as const) {
      for (let k = 0; k < d; k++) v[to * d + k] = v[from * d + k]! + (random() - 0.5) * 0.05;
    }
    const refs = Array.from({ length: n }, (_, i) => photo(`p${i}`, 'c', `h${i}`));
    expect(summary(nearDuplicates(refs, v, d, 0.95)).sort()).toEqual([
      ['p3', 'p1500'],
      ['p999', 'p1000'],
    ]);
  });
});

describe('balanceFindings', () => {
  /** The English sentences; `said` (the same as message keys) is checked on its own. */
  const english = (findings: ReturnType<typeof balanceFindings>) => findings.map(({ said: _said, ...rest }) => rest);

  it('flags 30 against 9 as imbalanced (30 > 3 × 9) and 9 as too few', () => {
    expect(
      english(
        balanceFindings([
          { id: 'a', name: 'ants', count: 9 },
          { id: 'b', name: 'bees', count: 30 },
        ]),
      ),
    ).toEqual([
      {
        kind: 'imbalance',
        classIds: ['a', 'b'],
        message: '“bees” has 30 photos, more than 3 times as many as “ants” (9).',
        advice:
          'Add photos to “ants” until it has at least a third as many as “bees” (1 more), or turn on class balancing in the training settings.',
      },
      {
        kind: 'few-photos',
        classIds: ['a'],
        message: '“ants” has 9 photos.',
        advice: 'Add at least 1 more, taken in different places and lights.',
      },
    ]);
  });

  it('finds nothing wrong with 30 against 10', () => {
    expect(
      balanceFindings([
        { id: 'a', name: 'ants', count: 10 },
        { id: 'b', name: 'bees', count: 30 },
      ]),
    ).toEqual([]);
  });

  it('flags every class the largest outnumbers more than three to one, with how many to add', () => {
    const findings = balanceFindings([
      { id: 'a', name: 'ants', count: 12 },
      { id: 'b', name: 'bees', count: 40 },
      { id: 'c', name: 'cats', count: 13 },
      { id: 'd', name: 'dogs', count: 14 },
    ]);
    // ⌈40 / 3⌉ = 14: ants needs 2 more, cats 1 more, dogs is fine.
    expect(findings.map((f) => [f.kind, f.classIds])).toEqual([
      ['imbalance', ['a', 'b']],
      ['imbalance', ['c', 'b']],
    ]);
    expect(findings[0]!.advice).toContain('(2 more)');
    expect(findings[1]!.advice).toContain('(1 more)');
  });

  it('matches the example advice: 8 against 60 needs 12 more', () => {
    const [imbalance] = balanceFindings([
      { id: 'a', name: 'ants', count: 8 },
      { id: 'b', name: 'bees', count: 60 },
    ]);
    expect(imbalance!.advice).toBe(
      'Add photos to “ants” until it has at least a third as many as “bees” (12 more), or turn on class balancing in the training settings.',
    );
  });

  it('reports empty and tiny classes without calling them imbalanced', () => {
    expect(
      english(
        balanceFindings([
          { id: 'a', name: 'cats', count: 0 },
          { id: 'b', name: 'dogs', count: 20 },
          { id: 'c', name: 'owls', count: 1 },
        ]).filter((f) => f.kind === 'few-photos'),
      ),
    ).toEqual([
      {
        kind: 'few-photos',
        classIds: ['a'],
        message: '“cats” has no photos.',
        advice: 'Add at least 10, taken in different places and lights.',
      },
      {
        kind: 'few-photos',
        classIds: ['c'],
        message: '“owls” has 1 photo.',
        advice: 'Add at least 9 more, taken in different places and lights.',
      },
    ]);
    expect(balanceFindings([{ id: 'a', name: 'cats', count: 0 }]).map((f) => f.kind)).toEqual(['few-photos']);
    expect(balanceFindings([{ id: 'a', name: 'cats', count: 50 }])).toEqual([]);
  });

  it('gives each finding as message keys with their values, for the page to translate', () => {
    const [imbalance, few] = balanceFindings([
      { id: 'a', name: 'ants', count: 9 },
      { id: 'b', name: 'bees', count: 30 },
    ]);
    expect(imbalance!.said.message).toEqual({
      key: 'health.imbalance',
      values: { large: 'bees', count: 30, ratio: 3, small: 'ants', smallCount: 9 },
      text: imbalance!.message,
    });
    expect(imbalance!.said.advice).toEqual({
      key: 'health.imbalanceAdvice',
      values: { small: 'ants', large: 'bees', count: 1 },
      text: imbalance!.advice,
    });
    expect(few!.said.message.key).toBe('health.fewPhotos');
    expect(few!.said.advice).toEqual({ key: 'health.addMorePhotos', values: { count: 1 }, text: few!.advice });
  });
});

/** A width × height RGBA image from a colour per pixel. */
function image(width: number, height: number, colour: (x: number, y: number) => [number, number, number]) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgba.set([...colour(x, y), 255], (y * width + x) * 4);
    }
  }
  return rgba;
}
const grey = (v: number): [number, number, number] => [v, v, v];

describe('imageStats', () => {
  it('gives a uniform grey its own luma and no Laplacian variance', () => {
    expect(
      imageStats(
        image(8, 8, () => grey(128)),
        8,
        8,
      ),
    ).toEqual({ meanLuminance: 128, laplacianVariance: 0 });
  });

  it('gives a black-and-white checkerboard a large variance', () => {
    // Interior 2 × 2: white pixels have four black neighbours (0 − 4 · 255 = −1020), black ones +1020.
    const stats = imageStats(
      image(4, 4, (x, y) => grey((x + y) % 2 ? 255 : 0)),
      4,
      4,
    );
    expect(stats).toEqual({ meanLuminance: 127.5, laplacianVariance: 1020 ** 2 });
  });

  it('computes the Laplacian variance of a single bright pixel by hand', () => {
    // Interior pixels (1,1) and (2,1): −4 · 255 = −1020 and 255; mean −382.5, variance 637.5².
    const stats = imageStats(
      image(4, 3, (x, y) => grey(x === 1 && y === 1 ? 255 : 0)),
      4,
      3,
    );
    expect(stats.laplacianVariance).toBeCloseTo(637.5 ** 2, 6);
  });

  it('weights channels by Rec. 601', () => {
    // Red: 0.299 · 255 = 76.245; blue: 0.114 · 255 = 29.07; half of each averages 52.6575.
    const stats = imageStats(
      image(2, 2, (x) => (x === 0 ? [255, 0, 0] : [0, 0, 255])),
      2,
      2,
    );
    expect(stats.meanLuminance).toBeCloseTo(52.6575, 9);
    expect(stats.laplacianVariance).toBe(0);
  });

  it('ignores alpha and rejects a buffer of the wrong size', () => {
    const rgba = image(3, 3, () => grey(100));
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
    expect(imageStats(rgba, 3, 3).meanLuminance).toBe(100);
    expect(() => imageStats(rgba, 4, 3)).toThrow();
  });
});

describe('exposureIssues', () => {
  const issues = (rgba: Uint8ClampedArray, size: number) => exposureIssues(imageStats(rgba, size, size));

  it('calls black too dark and flat, white too bright and flat', () => {
    expect(
      issues(
        image(128, 128, () => grey(0)),
        128,
      ),
    ).toEqual(['too-dark', 'blurry']);
    expect(
      issues(
        image(128, 128, () => grey(255)),
        128,
      ),
    ).toEqual(['too-bright', 'blurry']);
  });

  it('finds nothing wrong with a mid-grey checkerboard', () => {
    // Mean 128; Laplacian ±512, variance 262,144.
    expect(
      issues(
        image(128, 128, (x, y) => grey((x + y) % 2 ? 192 : 64)),
        128,
      ),
    ).toEqual([]);
  });

  it('calls a smooth ramp blurry but a single hard edge sharp', () => {
    // A linear ramp has a Laplacian of 0 everywhere.
    expect(
      issues(
        image(128, 128, (x) => grey(2 * x)),
        128,
      ),
    ).toEqual(['blurry']);
    // A 60 | 200 edge: ±140 in 2 of 126 interior columns, variance 2 · 140² / 126 ≈ 311.
    const edge = imageStats(
      image(128, 128, (x) => grey(x < 64 ? 60 : 200)),
      128,
      128,
    );
    expect(edge.laplacianVariance).toBeCloseTo((2 * 140 ** 2) / 126, 6);
    expect(exposureIssues(edge)).toEqual([]);
  });

  it('uses strict thresholds', () => {
    expect(exposureIssues({ meanLuminance: DARK_BELOW, laplacianVariance: BLURRY_BELOW })).toEqual([]);
    expect(exposureIssues({ meanLuminance: DARK_BELOW - 0.1, laplacianVariance: BLURRY_BELOW - 0.1 })).toEqual([
      'too-dark',
      'blurry',
    ]);
  });
});

describe('nearThreshold', () => {
  it('holds the similarity to 0.8–0.999 and ignores values that are not numbers', () => {
    expect(nearThreshold(0.95)).toBe(0.95);
    expect(nearThreshold(0.5)).toBe(0.8);
    expect(nearThreshold(1)).toBe(0.999);
    expect(nearThreshold(Infinity)).toBe(0.999);
    expect(nearThreshold(-Infinity)).toBe(0.8);
    expect(nearThreshold(NaN)).toBe(0.97);
    expect(nearThreshold(NaN, 0.9)).toBe(0.9);
    expect(nearThreshold('0.9')).toBe(0.97);
  });
});
