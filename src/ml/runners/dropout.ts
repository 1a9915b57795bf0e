import { hashSeed } from '../augment';
import { seededRandom } from '../random';

/**
 * Inverted-dropout masks for one epoch, one row per training row in epoch order: each value is 0 (unit
 * dropped) or 1 / (1 − rate). Drawn in JS from a seed per (run seed, epoch), so a resumed run draws
 * exactly the masks the uninterrupted one would have.
 */
export function dropoutMasks(rows: number, units: number, rate: number, seed: number, epoch: number): Float32Array {
  const random = seededRandom(hashSeed(`dropout:${seed}:${epoch}`));
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(rows * units);
  for (let i = 0; i < mask.length; i++) mask[i] = random() < rate ? 0 : keep;
  return mask;
}
