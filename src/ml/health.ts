import { userMessage, type UserMessage } from '../api/user-message';
import { RECOMMENDED_PHOTOS_PER_CLASS } from './photo-counts';

/**
 * Pure functions behind the dataset health check: duplicates, near duplicates, class balance and
 * exposure. Plain arrays and typed arrays only, so they run in the worker, the UI and node alike.
 */

export interface PhotoRef {
  id: string;
  classId: string;
  hash: string;
  name: string;
}

/** Two or more photos with the same content hash. */
export interface DuplicateGroup {
  hash: string;
  photos: PhotoRef[];
  /** The group spans more than one class: the same photo filed under two labels. */
  crossClass: boolean;
}

/** Exact duplicates by content hash, photos in input order. Cross-class groups first, then larger groups, then by hash. */
export function exactDuplicates(photos: readonly PhotoRef[]): DuplicateGroup[] {
  const byHash = new Map<string, PhotoRef[]>();
  for (const photo of photos) {
    const group = byHash.get(photo.hash);
    if (group) group.push(photo);
    else byHash.set(photo.hash, [photo]);
  }
  const groups: DuplicateGroup[] = [];
  for (const [hash, members] of byHash) {
    if (members.length < 2) continue;
    const crossClass = members.some((p) => p.classId !== members[0]!.classId);
    groups.push({ hash, photos: members, crossClass });
  }
  return groups.sort(
    (a, b) =>
      Number(b.crossClass) - Number(a.crossClass) ||
      b.photos.length - a.photos.length ||
      (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0),
  );
}

/**
 * The ids to delete so that only the first photo of the group remains. Null for a cross-class group:
 * only the user knows which class is right.
 */
export function duplicateFix(group: DuplicateGroup): string[] | null {
  if (group.crossClass) return null;
  return group.photos.slice(1).map((p) => p.id);
}

export interface NearDuplicatePair {
  a: PhotoRef;
  b: PhotoRef;
  similarity: number;
}

const BLOCK_ROWS = 256;
/** Room for rounding when ruling a pair out early. */
const SLACK = 1e-6;

function dot(u: Float32Array, a: number, b: number, d: number): number {
  let sum = 0;
  for (let k = 0; k < d; k++) sum += u[a + k]! * u[b + k]!;
  return sum;
}

/** Adds the dot products of rows a, a + d with rows b … b + 3d over columns [k0, k1) to out[0…7]. */
function dot2x4(u: Float32Array, a: number, b: number, d: number, k0: number, k1: number, out: Float64Array): void {
  const a1 = a + d;
  const b1 = b + d;
  const b2 = b1 + d;
  const b3 = b2 + d;
  let e0 = 0;
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  for (let k = k0; k < k1; k++) {
    const x = u[a + k]!;
    const y = u[a1 + k]!;
    const p0 = u[b + k]!;
    const p1 = u[b1 + k]!;
    const p2 = u[b2 + k]!;
    const p3 = u[b3 + k]!;
    e0 += x * p0;
    e1 += x * p1;
    e2 += x * p2;
    e3 += x * p3;
    f0 += y * p0;
    f1 += y * p1;
    f2 += y * p2;
    f3 += y * p3;
  }
  out[0] = out[0]! + e0;
  out[1] = out[1]! + e1;
  out[2] = out[2]! + e2;
  out[3] = out[3]! + e3;
  out[4] = out[4]! + f0;
  out[5] = out[5]! + f1;
  out[6] = out[6]! + f2;
  out[7] = out[7]! + f3;
}

/** The near-duplicate similarity people may set, and the one used when a value is not a number. */
export const NEAR_THRESHOLD = { min: 0.8, max: 0.999, default: 0.97 } as const;

/** A similarity threshold held to [0.8, 0.999]; NaN and other non-numbers give `fallback`. */
export function nearThreshold(value: unknown, fallback: number = NEAR_THRESHOLD.default): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.min(NEAR_THRESHOLD.max, Math.max(NEAR_THRESHOLD.min, value));
}

/**
 * Pairs whose embeddings have cosine similarity ≥ threshold, most similar first (ties by input
 * order), at most `limit` of them. `vectors` is n × d row-major in the order of `photos`. Pairs with
 * the same hash are left out (exactDuplicates reports them), as are rows with a zero or non-finite norm.
 */
export function nearDuplicates(
  photos: readonly PhotoRef[],
  vectors: Float32Array,
  d: number,
  threshold: number,
  limit = 500,
): NearDuplicatePair[] {
  const n = photos.length;
  if (!Number.isInteger(d) || d <= 0) throw new Error(`nearDuplicates: bad dimension ${d}`);
  if (vectors.length !== n * d) throw new Error(`nearDuplicates: expected ${n * d} values, got ${vectors.length}`);
  if (n < 2 || limit <= 0) return [];

  // Normalise the usable rows once, packed together so the inner loop runs over contiguous memory.
  const rowOf: number[] = [];
  const scales: number[] = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = i * d, end = k + d; k < end; k++) sum += vectors[k]! * vectors[k]!;
    if (sum > 0 && Number.isFinite(sum)) {
      rowOf.push(i);
      scales.push(1 / Math.sqrt(sum));
    }
  }
  const m = rowOf.length;
  const unit = new Float32Array(m * d);
  for (let r = 0; r < m; r++) {
    const src = rowOf[r]! * d;
    for (let k = 0; k < d; k++) unit[r * d + k] = vectors[src + k]! * scales[r]!;
  }
  const hashes = rowOf.map((i) => photos[i]!.hash);

  // Whenever the candidates reach 2 × limit, keep the best `limit` and raise the bar to the weakest
  // kept one: anything below it already has `limit` better pairs.
  type Candidate = { sim: number; r: number; s: number };
  let candidates: Candidate[] = [];
  let bar = threshold;
  const better = (x: Candidate, y: Candidate) => y.sim - x.sim || x.r - y.r || x.s - y.s;
  const prune = () => {
    candidates.sort(better);
    candidates = candidates.slice(0, limit);
    if (candidates.length === limit) bar = Math.max(bar, candidates[limit - 1]!.sim);
  };
  const consider = (sim: number, r: number, s: number) => {
    if (sim < bar || hashes[r] === hashes[s]) return;
    candidates.push({ sim: Math.min(1, sim), r, s });
    if (candidates.length >= 2 * limit) prune();
  };

  // A pair can stop early: after columns [0, c), its dot product is at most the partial sum plus
  // |a[c:]|·|b[c:]| (Cauchy–Schwarz). Unrelated photos usually fall short of the bar at a quarter or half.
  const c1 = d >> 2;
  const c2 = d >> 1;
  const tail1 = new Float64Array(m);
  const tail2 = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = 0;
    for (let k = d - 1; k >= 0; k--) {
      sum += unit[r * d + k]! * unit[r * d + k]!;
      if (k === c2) tail2[r] = Math.sqrt(sum);
      if (k === c1) tail1[r] = Math.sqrt(sum);
    }
  }
  const sums = new Float64Array(8);
  const hopeless = (r: number, s: number, tail: Float64Array) => {
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) if (sums[i * 4 + j]! + tail[r + i]! * tail[s + j]! >= bar - SLACK) return false;
    return true;
  };

  // Blocked upper triangle, two rows against four at a time so each load feeds several products.
  for (let r0 = 0; r0 < m; r0 += BLOCK_ROWS) {
    const r1 = Math.min(m, r0 + BLOCK_ROWS);
    for (let s0 = r0; s0 < m; s0 += BLOCK_ROWS) {
      const s1 = Math.min(m, s0 + BLOCK_ROWS);
      for (let r = r0; r < r1; r += 2) {
        if (r + 1 === r1) {
          for (let s = Math.max(s0, r + 1); s < s1; s++) consider(dot(unit, r * d, s * d, d), r, s);
          continue;
        }
        if (s0 === r0) consider(dot(unit, r * d, (r + 1) * d, d), r, r + 1);
        let s = Math.max(s0, r + 2);
        for (; s + 3 < s1; s += 4) {
          sums.fill(0);
          dot2x4(unit, r * d, s * d, d, 0, c1, sums);
          if (hopeless(r, s, tail1)) continue;
          dot2x4(unit, r * d, s * d, d, c1, c2, sums);
          if (hopeless(r, s, tail2)) continue;
          dot2x4(unit, r * d, s * d, d, c2, d, sums);
          for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) consider(sums[i * 4 + j]!, r + i, s + j);
        }
        for (; s < s1; s++) {
          consider(dot(unit, r * d, s * d, d), r, s);
          consider(dot(unit, (r + 1) * d, s * d, d), r + 1, s);
        }
      }
    }
  }
  prune();
  return candidates.map(({ sim, r, s }) => ({ a: photos[rowOf[r]!]!, b: photos[rowOf[s]!]!, similarity: sim }));
}

export interface BalanceFinding {
  kind: 'imbalance' | 'few-photos';
  /** For 'imbalance': the small class, then the largest. For 'few-photos': the class. */
  classIds: string[];
  message: string;
  advice: string;
  /** `message` and `advice` as translatable messages (keys under `worker.health.`). */
  said: { message: UserMessage; advice: UserMessage };
}

/** A class is out of balance when the largest class has more than this many times its photos. */
export const IMBALANCE_RATIO = 3;
/** Fewer photos than this in a class is too few to learn from: Kiln's one recommended count (photo-counts.ts). */
export const FEW_PHOTOS_BELOW = RECOMMENDED_PHOTOS_PER_CLASS;

const quoted = (name: string) => `“${name}”`;
const photosWord = (count: number) => (count === 1 ? '1 photo' : `${count} photos`);

/**
 * Classes the largest class outnumbers more than IMBALANCE_RATIO to one (empty classes are left to
 * the few-photos check), then classes with fewer than FEW_PHOTOS_BELOW photos, each in input order.
 */
export function balanceFindings(classes: readonly { id: string; name: string; count: number }[]): BalanceFinding[] {
  const findings: BalanceFinding[] = [];
  const filled = classes.filter((c) => c.count > 0);
  if (filled.length >= 2) {
    const largest = filled.reduce((best, c) => (c.count > best.count ? c : best));
    for (const c of filled) {
      if (largest.count <= IMBALANCE_RATIO * c.count) continue;
      const more = Math.ceil(largest.count / IMBALANCE_RATIO) - c.count;
      const message = userMessage(
        'health.imbalance',
        `${quoted(largest.name)} has ${photosWord(largest.count)}, more than ${IMBALANCE_RATIO} times as many as ${quoted(c.name)} (${c.count}).`,
        { large: largest.name, count: largest.count, ratio: IMBALANCE_RATIO, small: c.name, smallCount: c.count },
      );
      const advice = userMessage(
        'health.imbalanceAdvice',
        `Add photos to ${quoted(c.name)} until it has at least a third as many as ${quoted(largest.name)} (${more} more), or turn on class balancing in the training settings.`,
        { small: c.name, large: largest.name, count: more },
      );
      findings.push({
        kind: 'imbalance',
        classIds: [c.id, largest.id],
        message: message.text,
        advice: advice.text,
        said: { message, advice },
      });
    }
  }
  for (const c of classes) {
    if (c.count >= FEW_PHOTOS_BELOW) continue;
    const more = FEW_PHOTOS_BELOW - c.count;
    const message =
      c.count === 0
        ? userMessage('health.noPhotos', `${quoted(c.name)} has no photos.`, { name: c.name })
        : userMessage('health.fewPhotos', `${quoted(c.name)} has ${photosWord(c.count)}.`, { name: c.name, count: c.count });
    const advice =
      c.count === 0
        ? userMessage('health.addPhotos', `Add at least ${more}, taken in different places and lights.`, { count: more })
        : userMessage('health.addMorePhotos', `Add at least ${more} more, taken in different places and lights.`, {
            count: more,
          });
    findings.push({
      kind: 'few-photos',
      classIds: [c.id],
      message: message.text,
      advice: advice.text,
      said: { message, advice },
    });
  }
  return findings;
}

export interface ImageStats {
  /** Mean Rec. 601 luma, 0–255. */
  meanLuminance: number;
  /** Variance of the 3 × 3 Laplacian of the luma over interior pixels; 0 when there are none. */
  laplacianVariance: number;
}

/** Mean luma and Laplacian variance of RGBA pixels (alpha ignored). */
export function imageStats(rgba: Uint8ClampedArray, width: number, height: number): ImageStats {
  const count = width * height;
  if (rgba.length !== count * 4) throw new Error(`imageStats: expected ${count * 4} values, got ${rgba.length}`);
  if (count === 0) return { meanLuminance: 0, laplacianVariance: 0 };

  // Luma × 1000 in integers, so flat areas give a Laplacian of exactly 0.
  const luma = new Int32Array(count);
  let total = 0;
  for (let p = 0; p < count; p++) {
    const y = 299 * rgba[4 * p]! + 587 * rgba[4 * p + 1]! + 114 * rgba[4 * p + 2]!;
    luma[p] = y;
    total += y;
  }
  const meanLuminance = total / count / 1000;
  if (width < 3 || height < 3) return { meanLuminance, laplacianVariance: 0 };

  const interior = (width - 2) * (height - 2);
  const laplacian = new Float64Array(interior);
  let sum = 0;
  let q = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      const v = (luma[p - width]! + luma[p + width]! + luma[p - 1]! + luma[p + 1]! - 4 * luma[p]!) / 1000;
      laplacian[q++] = v;
      sum += v;
    }
  }
  const mean = sum / interior;
  let squares = 0;
  for (let i = 0; i < interior; i++) squares += (laplacian[i]! - mean) ** 2;
  return { meanLuminance, laplacianVariance: squares / interior };
}

export type ExposureIssue = 'too-dark' | 'too-bright' | 'blurry';

// Tuned for a ~128–160 px thumbnail: downscaling sharpens, so a photo that still has a Laplacian
// variance this low at that size is soft all over.
export const DARK_BELOW = 40;
export const BRIGHT_ABOVE = 220;
export const BLURRY_BELOW = 50;

export function exposureIssues(stats: ImageStats): ExposureIssue[] {
  const issues: ExposureIssue[] = [];
  if (stats.meanLuminance < DARK_BELOW) issues.push('too-dark');
  if (stats.meanLuminance > BRIGHT_ABOVE) issues.push('too-bright');
  if (stats.laplacianVariance < BLURRY_BELOW) issues.push('blurry');
  return issues;
}
