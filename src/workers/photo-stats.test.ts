import { afterEach, describe, expect, it } from 'vitest';
import type { ImageStats } from '../ml/health';
import { openKilnDB, type KilnDB } from '../storage/db';
import { addSamples, getSamples } from '../storage/samples';
import { putClassesWithIds, sample } from '../test-support/records';
import { photoStats, storedStats } from './photo-stats';

let db: KilnDB | null = null;
let n = 0;

afterEach(() => db?.close());

/** A measure that counts its calls and tells thumbnails apart by their size. */
function counting() {
  const calls: Blob[] = [];
  const measure = (thumb: Blob): Promise<ImageStats> => {
    calls.push(thumb);
    return Promise.resolve({ meanLuminance: 10 * thumb.size, laplacianVariance: 100 + thumb.size });
  };
  return { calls, measure };
}

describe('photo statistics for the health check', () => {
  it('uses the statistics stored on a record without decoding its thumbnail', async () => {
    db = await openKilnDB({ name: `kiln-photo-stats-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    // The thumbnail is not an image at all: decoding it would fail.
    const stored = sample('p', 'rock', {
      thumb: new Blob([new Uint8Array([0])], { type: 'image/jpeg' }),
      stats: { meanLuminance: 30, laplacianVariance: 12 },
    });
    await addSamples(db, [stored]);
    const { calls, measure } = counting();
    expect(await photoStats(db, [stored], { measure })).toEqual([{ meanLuminance: 30, laplacianVariance: 12 }]);
    expect(calls).toHaveLength(0);
    // The real decoder is not reached either (createImageBitmap does not even exist in node).
    expect(await photoStats(db, [stored])).toEqual([{ meanLuminance: 30, laplacianVariance: 12 }]);
  });

  it('measures records without statistics once, writes them back, and uses them from then on', async () => {
    db = await openKilnDB({ name: `kiln-photo-stats-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    const old = sample('p', 'rock', { thumb: new Blob([new Uint8Array([1, 2])]) });
    const fresh = sample('p', 'rock', { stats: { meanLuminance: 200, laplacianVariance: 5 } });
    const broken = sample('p', 'paper', {
      thumb: new Blob([new Uint8Array([1, 2, 3])]),
      stats: { meanLuminance: Number.NaN, laplacianVariance: 1 },
    });
    await addSamples(db, [old, fresh, broken]);
    const { calls, measure } = counting();
    const first = await photoStats(db, [old, fresh, broken], { measure });
    expect(first).toEqual([
      { meanLuminance: 20, laplacianVariance: 102 },
      { meanLuminance: 200, laplacianVariance: 5 },
      { meanLuminance: 30, laplacianVariance: 103 },
    ]);
    expect(calls).toEqual([old.thumb, broken.thumb]);

    const reread = await getSamples(db, [old.id, fresh.id, broken.id]);
    expect(reread.map((s) => s?.stats)).toEqual(first);
    expect(reread.map((s) => s?.name)).toEqual([old.name, fresh.name, broken.name]);

    const again = counting();
    expect(
      await photoStats(
        db,
        reread.map((s) => s!),
        { measure: again.measure },
      ),
    ).toEqual(first);
    expect(again.calls).toHaveLength(0);
  });

  it('writes back what it measured before being stopped, and skips records deleted meanwhile', async () => {
    db = await openKilnDB({ name: `kiln-photo-stats-${++n}` });
    await putClassesWithIds(db, 'p', ['rock', 'paper']);
    const a = sample('p', 'rock');
    const b = sample('p', 'rock');
    const gone = sample('p', 'rock');
    await addSamples(db, [a, b]);
    const { measure } = counting();
    let checks = 0;
    const stop = () => {
      if (++checks > 1) throw new Error('Stopped.');
    };
    await expect(photoStats(db, [a, b], { measure, checkCancelled: stop })).rejects.toThrow('Stopped.');
    const [readA, readB] = await getSamples(db, [a.id, b.id]);
    expect(readA?.stats).toEqual({ meanLuminance: 10, laplacianVariance: 101 });
    expect(readB?.stats).toBeUndefined();

    await photoStats(db, [gone], { measure });
    expect(await getSamples(db, [gone.id])).toEqual([undefined]);
  });

  it('ignores stored statistics that are not finite numbers', () => {
    expect(storedStats({})).toBeNull();
    expect(storedStats({ stats: { meanLuminance: 1, laplacianVariance: Number.POSITIVE_INFINITY } })).toBeNull();
    expect(storedStats({ stats: { meanLuminance: 0, laplacianVariance: 0 } })).toEqual({
      meanLuminance: 0,
      laplacianVariance: 0,
    });
  });
});
