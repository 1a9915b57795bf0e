import { expect, it } from 'vitest';
import { droppedFolderFiles } from './folder-files';

/**
 * Dropped folders are read through the File and Directory Entries API, which browsers only give to real drops.
 * These stand-ins behave as Chromium's do: a directory reader answers at most 100 entries per call, then an
 * empty list.
 */
type Tree = { [name: string]: Tree | string };

function entry(tree: Tree | string, fullPath: string): FileSystemEntry {
  if (typeof tree === 'string') {
    const name = fullPath.split('/').pop()!;
    return {
      isFile: true,
      isDirectory: false,
      fullPath,
      file: (done: (file: File) => void) => done(new File([tree], name)),
    } as unknown as FileSystemEntry;
  }
  const children = Object.entries(tree).map(([name, child]) => entry(child, `${fullPath}/${name}`));
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (done: (entries: FileSystemEntry[]) => void) => {
          const chunk = children.slice(at, at + 100);
          at += chunk.length;
          setTimeout(() => done(chunk));
        },
      };
    },
  } as unknown as FileSystemEntry;
}

function drop(...entries: (FileSystemEntry | null)[]): DataTransfer {
  return { items: entries.map((e) => ({ webkitGetAsEntry: () => e })) } as unknown as DataTransfer;
}

const photos = (n: number, prefix: string): Tree =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}-${i}.png`, `bytes of ${prefix} ${i}`]));

it('a dropped folder of class folders gives every file with its path, past the reader’s 100-entry chunks', async () => {
  const rps = entry({ rock: photos(150, 'r'), paper: photos(2, 'p'), 'notes.txt': 'hello' }, '/rps');
  const files = await droppedFolderFiles(drop(rps));
  expect(files).toHaveLength(153);
  const paths = files!.map((f) => f.path);
  expect(paths.filter((p) => p.startsWith('rps/rock/'))).toHaveLength(150);
  expect(paths).toContain('rps/rock/r-149.png');
  expect(paths).toContain('rps/paper/p-1.png');
  expect(paths).toContain('rps/notes.txt');
  const last = files!.find((f) => f.path === 'rps/rock/r-149.png')!;
  expect(await last.file.text()).toBe('bytes of r 149');
});

it('two class folders dropped together are both read', async () => {
  const files = await droppedFolderFiles(drop(entry(photos(3, 'a'), '/ants'), entry(photos(2, 'b'), '/bees')));
  expect(files!.map((f) => f.path).sort()).toEqual([
    'ants/a-0.png',
    'ants/a-1.png',
    'ants/a-2.png',
    'bees/b-0.png',
    'bees/b-1.png',
  ]);
});

it('a drop of plain files (no folder) is left to the ordinary file drop', async () => {
  expect(await droppedFolderFiles(drop(entry('x', '/one.png'), null))).toBeNull();
});
