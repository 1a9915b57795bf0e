import { afterEach, describe, expect, it } from 'vitest';
import type { RefusedEntry } from '../api/types';
import { userMessage } from '../api/user-message';
import { project } from '../test-support/records';
import { openKilnDB, type KilnDB } from './db';
import { appendRefused, clearRefused, getProject, putProject, REFUSED_KEPT } from './projects';

let db: KilnDB | null = null;
let n = 0;

afterEach(() => db?.close());

const entry = (i: number): RefusedEntry => {
  const message = userMessage('import.empty', 'the file is empty (0 bytes)');
  return { className: 'rock', name: `file-${i}.jpg`, reason: message.text, message };
};

describe('the files a project’s imports refused', () => {
  it('are kept on the project with their messages, the latest ones only, and cleared on request', async () => {
    db = await openKilnDB({ name: `kiln-refused-${++n}` });
    const p = project({ updatedAt: 5 });
    await putProject(db, p);
    await appendRefused(db, p.id, [entry(0)]);
    let stored = await getProject(db, p.id);
    expect(stored?.refused).toEqual([entry(0)]);
    expect(stored?.updatedAt).toBe(5);

    await appendRefused(
      db,
      p.id,
      Array.from({ length: REFUSED_KEPT + 9 }, (_, i) => entry(i + 1)),
    );
    stored = await getProject(db, p.id);
    expect(stored?.refused).toHaveLength(REFUSED_KEPT);
    expect(stored?.refused?.[0]?.name).toBe('file-10.jpg');
    expect(stored?.refused?.at(-1)?.name).toBe(`file-${REFUSED_KEPT + 9}.jpg`);

    await clearRefused(db, p.id);
    stored = await getProject(db, p.id);
    expect(stored?.refused).toBeUndefined();
    expect(stored?.name).toBe(p.name);
  });

  it('skips a project that no longer exists', async () => {
    db = await openKilnDB({ name: `kiln-refused-${++n}` });
    await appendRefused(db, 'gone', [entry(1)]);
    await clearRefused(db, 'gone');
    expect(await getProject(db, 'gone')).toBeUndefined();
  });
});
