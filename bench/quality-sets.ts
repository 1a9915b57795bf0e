/**
 * The photo sets of the quality studies (bench/quality.bench.ts, bench/candidates.bench.ts), from
 * ../shared/datasets, each split once with a fixed seed that no training sees.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { seededRandom, shuffled } from '../src/ml/random';
import type { SetClass } from './quality-page';
import { SHARED } from './harness';

export const SPLIT_SEED = 2026;

export interface SetDef {
  name: string;
  classes: SetClass[];
}

const url = (...parts: string[]) => `/shared/${parts.map(encodeURIComponent).join('/')}`;
const photos = (...parts: string[]) =>
  readdirSync(path.join(SHARED, ...parts))
    .sort()
    .map((file) => url(...parts, file));

/** Each class's photos in a fixed shuffled order: the first `train` (a count or a share) train, the rest test. */
function splitFolder(set: string, classes: string[], train: number, maxTest = Infinity): SetDef {
  return {
    name: `${set}-${train < 1 ? `${Math.round(train * 100)}%` : `${train} a class`}`,
    classes: classes.map((name, k) => {
      const all = shuffled(photos('datasets', set, name), seededRandom(SPLIT_SEED + k));
      const count = train < 1 ? Math.round(all.length * train) : train;
      return { name, train: all.slice(0, count), test: all.slice(count, count + maxTest) };
    }),
  };
}

const CALTECH = ['crab', 'crayfish', 'lobster', 'scorpion', 'flamingo', 'ibis', 'emu', 'rooster'];
export const SETS: SetDef[] = [
  {
    name: 'hymenoptera',
    classes: ['ants', 'bees'].map((name) => ({
      name,
      train: photos('datasets', 'hymenoptera', 'train', name),
      test: photos('datasets', 'hymenoptera', 'val', name),
    })),
  },
  splitFolder('caltech-confusables', CALTECH, 0.6),
  splitFolder('caltech-confusables', CALTECH, 10),
  splitFolder('rps', ['rock', 'paper', 'scissors'], 10, 60),
];
