import { zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../api/user-message';
import { openKilnDB, type KilnDB } from '../storage/db';
import { listClasses, putClass } from '../storage/classes';
import { putProject } from '../storage/projects';
import { klass, project } from '../test-support/records';
import { byClassFolder } from '../workers/dataset-import';
import { parseTmProject } from '../workers/tm-project-import';
import { cleanName, MAX_NAME_LENGTH, nameKey, requireName, uniqueName, uniqueNames } from './names';

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';
const ZWSP = '\u200B';
const ZWJ = '\u200D';
const COOK = `\u{1F9D1}${ZWJ}\u{1F373}`; // 🧑‍🍳, one emoji made with a zero-width joiner
const EMOJI = '\u{1F41D}'; // 🐝, a surrogate pair

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('cleanName', () => {
  it('trims and collapses whitespace, tabs and new lines included', () => {
    expect(cleanName('  my \t cat \n ')).toBe('my cat');
    expect(cleanName('\u00a0ants\u3000 bees ')).toBe('ants bees');
    expect(cleanName('   ')).toBe('');
  });

  it('writes names in Unicode NFC', () => {
    expect(cleanName(NFD)).toBe(NFC);
    expect(cleanName(NFD).length).toBe(4);
  });

  it('removes bidi controls, zero-width spaces and byte-order marks', () => {
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F'];
    for (const c of bidi) expect(cleanName(`a${c}nts${c}`)).toBe('ants');
    expect(cleanName(`\uFEFFan${ZWSP}ts${ZWSP}`)).toBe('ants');
    // A right-to-left override that would show "stna" is gone.
    expect(cleanName('\u202Eants\u202C')).toBe('ants');
    // Removing them can join whitespace, which is then collapsed.
    expect(cleanName(`a ${ZWSP} b`)).toBe('a b');
  });

  it('keeps a joiner between two visible characters (emoji, Persian), drops it at an edge or beside a space', () => {
    expect(cleanName(`${COOK} chef`)).toBe(`${COOK} chef`);
    expect(cleanName('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(cleanName(`ants${ZWJ}`)).toBe('ants');
    expect(cleanName(`\u200Cants`)).toBe('ants');
    expect(cleanName(`a ${ZWJ}b`)).toBe('a b');
    expect(cleanName(`a${ZWJ}${ZWJ}${ZWJ}b`)).toBe(`a${ZWJ}b`);
  });

  it(`cuts to ${MAX_NAME_LENGTH} characters without splitting a surrogate pair or leaving a space at the end`, () => {
    expect(cleanName('x'.repeat(100))).toBe('x'.repeat(MAX_NAME_LENGTH));
    const pairs = `a${EMOJI.repeat(50)}`; // the 80th code unit is the first half of a pair
    const cut = cleanName(pairs);
    expect(cut).toBe(`a${EMOJI.repeat(39)}`);
    expect(cut.length).toBe(79);
    expect(cut).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(cleanName(`${'x'.repeat(79)} tail`)).toBe('x'.repeat(79));
  });
});

describe('nameKey', () => {
  it('is the same for names a person cannot tell apart', () => {
    expect(nameKey('Ants')).toBe(nameKey('ants'));
    expect(nameKey(NFD)).toBe(nameKey(NFC));
    expect(nameKey(`ants${ZWSP}`)).toBe(nameKey('ants'));
    expect(nameKey(`an${ZWJ}ts`)).toBe(nameKey('ants'));
    expect(nameKey(' my  cat ')).toBe(nameKey('My Cat'));
    expect(nameKey('CAFÉ')).toBe(nameKey(NFD));
  });

  it('differs for names that differ', () => {
    expect(nameKey('ants')).not.toBe(nameKey('ant'));
    expect(nameKey(NFC)).not.toBe(nameKey('cafe'));
    expect(nameKey('ants (2)')).not.toBe(nameKey('ants'));
  });

  it('is empty for a blank name', () => {
    expect(nameKey(` ${ZWSP}\u202E `)).toBe('');
  });
});

describe('uniqueName', () => {
  it('keeps a free name, cleaned', () => {
    expect(uniqueName('  bees ', ['ants'])).toBe('bees');
  });

  it('adds (2), (3)… compared by nameKey', () => {
    expect(uniqueName('Ants', ['ants'])).toBe('Ants (2)');
    expect(uniqueName('ants', ['ants', 'ANTS (2)'])).toBe('ants (3)');
    expect(uniqueName(NFD, [NFC])).toBe(`${NFC} (2)`);
    expect(uniqueName(`ants${ZWSP}`, ['ants'])).toBe('ants (2)');
  });

  it('cuts the name to leave room for the suffix', () => {
    const long = 'x'.repeat(100);
    const taken = ['x'.repeat(MAX_NAME_LENGTH)];
    const name = uniqueName(long, taken);
    expect(name).toBe(`${'x'.repeat(MAX_NAME_LENGTH - 4)} (2)`);
    expect(name.length).toBe(MAX_NAME_LENGTH);
    // Not through a surrogate pair either.
    const emoji = uniqueName(`a${EMOJI.repeat(50)}`, [`a${EMOJI.repeat(39)}`]);
    expect(emoji).toBe(`a${EMOJI.repeat(37)} (2)`);
  });

  it('uses the fallback for a name that cleans to nothing', () => {
    expect(uniqueName(ZWSP, [])).toBe('Class');
    expect(uniqueName('  ', ['class'], 'Class')).toBe('Class (2)');
    expect(uniqueName('', [], 'Teachable Machine project')).toBe('Teachable Machine project');
  });

  it('uniqueNames makes a list unique in order, also against names already taken', () => {
    expect(uniqueNames(['a', 'A', 'b', 'a', ''])).toEqual(['a', 'A (2)', 'b', 'a (3)', 'Class']);
    expect(uniqueNames(['a', 'b'], 'Class', ['A'])).toEqual(['a (2)', 'b']);
  });
});

describe('requireName (typed names)', () => {
  it('returns the clean name', () => {
    expect(requireName(`  My ${NFD}\u202E `, 'project')).toBe(`My ${NFC}`);
    expect(requireName(`${COOK} chef`, 'class')).toBe(`${COOK} chef`);
  });

  it('refuses an empty name, invisible characters only included, with what to do', () => {
    const project = thrown(() => requireName('  ', 'project'));
    expect([project.key, project.message]).toEqual(['name.projectEmpty', 'Give the project a name.']);
    const klass = thrown(() => requireName(`${ZWSP}\u200F`, 'class'));
    expect([klass.key, klass.message]).toEqual(['name.classEmpty', 'Give the class a name.']);
  });

  it(`refuses a name over ${MAX_NAME_LENGTH} characters instead of cutting it; invisible characters do not count`, () => {
    expect(requireName('x'.repeat(MAX_NAME_LENGTH), 'class')).toBe('x'.repeat(MAX_NAME_LENGTH));
    expect(requireName(`\u2067${'x'.repeat(MAX_NAME_LENGTH)}\u2069`, 'class')).toBe('x'.repeat(MAX_NAME_LENGTH));
    const project = thrown(() => requireName('x'.repeat(MAX_NAME_LENGTH + 1), 'project'));
    expect([project.key, project.message, project.values]).toEqual([
      'name.projectTooLong',
      'Keep the project name under 80 characters.',
      { max: 80 },
    ]);
    const klass = thrown(() => requireName('x'.repeat(MAX_NAME_LENGTH + 1), 'class'));
    expect([klass.key, klass.message, klass.values]).toEqual([
      'name.classTooLong',
      'Keep the class name under 80 characters.',
      { max: 80 },
    ]);
  });
});

// --- each path that names things -------------------------------------------------------------------------------

let dbCount = 0;
const open: KilnDB[] = [];
async function freshDb(): Promise<KilnDB> {
  const db = await openKilnDB({ name: `names-test-${++dbCount}` });
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  vi.resetModules();
  vi.doUnmock('../workers/importer');
});

const file = (path: string) => ({ path, file: new File([new Uint8Array([1])], path.split('/').pop()!) });

describe('typed names (services/projects)', () => {
  it('a look-alike of an existing class is refused as taken, and names are stored clean', async () => {
    const db = await freshDb();
    const { projectsService } = await import('../workers/services/projects');
    const { NO_JOB } = await import('../workers/jobs');
    const service = projectsService({
      db: () => Promise.resolve(db),
      engine: () => Promise.reject(new Error('no engine in this test')),
      predictor: () => Promise.reject(new Error('no predictor in this test')),
    });
    const addClass = (projectId: string, name: string) => service.addClass({ projectId, name }, NO_JOB);
    const renameClass = (id: string, name: string) => service.renameClass({ id, name }, NO_JOB);
    const p = await service.createProject({ name: ` ${NFD}\u202E  project ` }, NO_JOB);
    expect(p.name).toBe(`${NFC} project`);
    const ants = await addClass(p.id, 'ants');
    const cafe = await addClass(p.id, NFD);
    expect(cafe.name).toBe(NFC);
    for (const lookAlike of [`ants${ZWSP}`, `\u2066Ants\u2069`, ' ants ', `an${ZWJ}ts`]) {
      await expect(addClass(p.id, lookAlike)).rejects.toMatchObject({ key: 'name.classTaken' });
    }
    await expect(addClass(p.id, NFC)).rejects.toMatchObject({ key: 'name.classTaken', values: { name: NFC } });
    await expect(renameClass(cafe.id, `ants${ZWSP}`)).rejects.toMatchObject({ key: 'name.classTaken' });
    await expect(addClass(p.id, 'x'.repeat(81))).rejects.toMatchObject({ key: 'name.classTooLong' });
    await expect(renameClass(ants.id, ZWSP)).rejects.toMatchObject({ key: 'name.classEmpty' });
    // Renaming a class to a look-alike of its own name is not a clash.
    expect((await renameClass(ants.id, `Ants${ZWSP}`)).name).toBe('Ants');
    expect((await listClasses(db, p.id)).map((c) => c.name)).toEqual(['Ants', NFC]);
  });
});

describe('class folders (dataset-import): look-alike folders are one class', () => {
  it('groups folders whose names look the same into one class, named cleanly', () => {
    const { classes, loose } = byClassFolder(
      [`${NFC}/1.jpg`, `${NFD}/2.jpg`, 'ants/1.jpg', `ants${ZWSP}/2.jpg`, 'Ants/3.jpg', `\u202E${ZWSP}/4.jpg`].map(file),
    );
    expect([...classes.keys()]).toEqual([NFC, 'ants']);
    expect(classes.get(NFC)!.map((f) => f.name)).toEqual(['1.jpg', '2.jpg']);
    expect(classes.get('ants')!.map((f) => f.name)).toEqual(['1.jpg', '2.jpg', '3.jpg']);
    // A folder whose name is only invisible characters names no class.
    expect(loose).toEqual([`\u202E${ZWSP}/4.jpg`]);
  });

  it('cuts long folder names, and numbers folders that differ only after the cut', () => {
    const a = `${'x'.repeat(MAX_NAME_LENGTH)}-a`;
    const b = `${'x'.repeat(MAX_NAME_LENGTH)}-b`;
    const { classes } = byClassFolder([`${a}/1.jpg`, `${b}/1.jpg`, `${a}/2.jpg`].map(file));
    expect([...classes.keys()]).toEqual(['x'.repeat(MAX_NAME_LENGTH), `${'x'.repeat(MAX_NAME_LENGTH - 4)} (2)`]);
    expect([...classes.values()].map((list) => list.length)).toEqual([2, 1]);
  });

  it('a folder named like an existing class (a look-alike too) fills that class instead of making another', async () => {
    const db = await freshDb();
    const p = project();
    await putProject(db, p);
    // An older Kiln stored names as they came: a decomposed "café".
    await putClass(db, klass(p.id, 0, { name: NFD }));
    await putClass(db, klass(p.id, 1, { name: 'ants' }));
    vi.resetModules();
    vi.doMock('../workers/importer', async (original) => ({
      ...(await original<typeof import('../workers/importer')>()),
      importImages: (_db: unknown, _target: unknown, items: unknown[]) =>
        Promise.resolve({ added: items.length, refused: [], cancelled: false, stoppedBy: null, stoppedByMessage: null }),
    }));
    const { importClassFolders } = await import('../workers/dataset-import');
    const zip = zipSync({
      [`set/${NFC}/1.jpg`]: new Uint8Array([1]),
      [`set/ants${ZWSP}/1.jpg`]: new Uint8Array([2]),
      [`set/${NFD}/2.jpg`]: new Uint8Array([3]),
      ['set/bees\u200F/1.jpg']: new Uint8Array([4]),
    });
    const { zipClassFiles } = await import('../workers/dataset-import');
    const report = await importClassFolders(db, p.id, zipClassFiles(zip));
    expect(report.classes.map((c) => [c.name, c.created, c.report.added])).toEqual([
      [NFD, false, 2],
      ['ants', false, 1],
      ['bees', true, 1],
    ]);
    expect((await listClasses(db, p.id)).map((c) => c.name)).toEqual([NFD, 'ants', 'bees']);
  });
});

describe('Teachable Machine project files (tm-project-import): look-alike classes stay apart', () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
  const manifest = new TextEncoder().encode(JSON.stringify({ type: 'image' }));

  it('gives look-alike Teachable Machine classes distinct visible names, photos kept apart', () => {
    const parsed = parseTmProject(
      zipSync(
        {
          'manifest.json': manifest,
          [`${NFC}-!-0.jpg`]: jpeg,
          [`${NFD}-!-0.jpg`]: jpeg,
          [`${NFD}-!-1.jpg`]: jpeg,
          'ants-!-0.jpg': jpeg,
          [`ants${ZWSP}-!-0.jpg`]: jpeg,
          [`\u202E-!-0.jpg`]: jpeg,
        },
        { level: 0 },
      ),
    );
    expect(parsed.classes.map((c) => [c.name, c.files.length])).toEqual([
      [NFC, 1],
      [`${NFC} (2)`, 2],
      ['ants', 1],
      ['ants (2)', 1],
      ['Class', 1],
    ]);
  });
});

describe('Teachable Machine models (tm-import-service): one class per label, look-alikes numbered', () => {
  it('names one class per output, in order, with distinct visible names', async () => {
    const { classNames } = await import('../workers/tm-import-service');
    expect(classNames([NFC, NFD, 'ants', `ants${ZWSP}`, ' Ants ', '', `${'y'.repeat(90)}`])).toEqual([
      NFC,
      `${NFC} (2)`,
      'ants',
      'ants (2)',
      'Ants (3)',
      'Class',
      'y'.repeat(MAX_NAME_LENGTH),
    ]);
  });
});
