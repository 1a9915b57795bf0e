import { zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { byClassFolder, zipClassFiles } from './dataset-import';

const file = (path: string) => ({ path, file: new File([new Uint8Array([1])], path.split('/').pop()!) });

describe('class folders', () => {
  it('names every file that goes into no class with why, and passes over what the system adds', () => {
    const { classes, skipped } = byClassFolder(
      [
        'trip/ants/1.jpg',
        'trip/ants/IMG_2001.HEIC',
        'trip/bees/scan.tiff',
        'trip/bees/1.png',
        'trip/notes.txt',
        'trip/cover.jpg',
        '__MACOSX/trip/ants/._1.jpg',
        'trip/bees/.DS_Store',
      ].map(file),
    );
    expect([...classes.keys()]).toEqual(['ants', 'bees']);
    // An iPhone's HEIC photo goes in like any other (decoded by libheif in the worker).
    expect(classes.get('ants')!.map((f) => f.name)).toEqual(['1.jpg', 'IMG_2001.HEIC']);
    expect(skipped.map((s) => [s.name, s.message?.key])).toEqual([
      ['trip/bees/scan.tiff', 'import.tiff'],
      ['trip/notes.txt', 'import.notPhoto'],
      ['trip/cover.jpg', 'import.notInClassFolder'],
    ]);
    expect(skipped[0]!.reason).toContain('convert it to JPEG or PNG');
  });

  it('takes the folder above each photo as its class, below folders every photo shares', () => {
    const { classes, loose } = byClassFolder(
      ['rps/rock/1.jpg', 'rps/rock/2.png', 'rps/paper/1.jpg', 'rps/scissors/a b.JPG', 'rps/notes.txt', 'rps/cover.jpg'].map(file),
    );
    expect([...classes.keys()]).toEqual(['rock', 'paper', 'scissors']);
    expect(classes.get('rock')!.map((f) => f.name)).toEqual(['1.jpg', '2.png']);
    expect(loose).toEqual(['rps/cover.jpg']);
  });

  it('works without a shared top folder, and with deeper ones', () => {
    expect([...byClassFolder(['ants/1.jpg', 'bees/1.jpg'].map(file)).classes.keys()]).toEqual(['ants', 'bees']);
    expect([...byClassFolder(['data/train/ants/1.jpg', 'data/train/bees/2.jpg'].map(file)).classes.keys()]).toEqual([
      'ants',
      'bees',
    ]);
    // One class alone keeps its own folder as the class.
    expect([...byClassFolder(['rps/rock/1.jpg', 'rps/rock/2.jpg'].map(file)).classes.keys()]).toEqual(['rock']);
  });

  it('reads a zip of class folders, typing the photos by extension', () => {
    const zip = zipSync({ 'set/cats/1.jpg': new Uint8Array([1, 2]), 'set/dogs/2.png': new Uint8Array([3]) });
    const files = zipClassFiles(zip);
    expect(files.map((f) => [f.path, f.file.name, f.file.type])).toEqual([
      ['set/cats/1.jpg', '1.jpg', 'image/jpeg'],
      ['set/dogs/2.png', '2.png', 'image/png'],
    ]);
    expect([...byClassFolder(files).classes.keys()]).toEqual(['cats', 'dogs']);
  });
});

describe('a full disk while making a class', () => {
  it('returns what went in, with the disk-full message for the whole import, instead of throwing', async () => {
    vi.resetModules();
    vi.doMock('../storage/classes', () => ({
      listClasses: () => Promise.resolve([{ id: 'c1', projectId: 'p', name: 'rock', order: 0, createdAt: 0 }]),
      putClass: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
    }));
    vi.doMock('../storage/projects', () => ({
      updateProject: () => Promise.resolve(),
      getProject: () => Promise.resolve(undefined),
    }));
    vi.doMock('./importer', async (original) => ({
      ...(await original<typeof import('./importer')>()),
      importImages: (_db: unknown, _target: unknown, items: unknown[]) =>
        Promise.resolve({ added: items.length, refused: [], cancelled: false, stoppedBy: null, stoppedByMessage: null }),
    }));
    const { importClassFolders } = await import('./dataset-import');
    const report = await importClassFolders({} as never, 'p', ['rock/1.jpg', 'rock/2.jpg', 'paper/1.jpg'].map(file));
    expect(report.classes.map((c) => [c.name, c.report.added])).toEqual([['rock', 2]]);
    expect(report.cancelled).toBe(false);
    expect(report.stoppedByMessage).toMatchObject({ key: 'import.diskFull', values: { count: 2, missed: 1 } });
    expect(report.stoppedBy).toContain('2 photos went in and 1 did not');
    expect(report.stoppedAt).toBe('paper');
    vi.doUnmock('../storage/classes');
    vi.doUnmock('../storage/projects');
    vi.doUnmock('./importer');
  });
});
