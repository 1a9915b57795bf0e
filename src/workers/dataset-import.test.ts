import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { byClassFolder, zipClassFiles } from './dataset-import';

const file = (path: string) => ({ path, file: new File([new Uint8Array([1])], path.split('/').pop()!) });

describe('class folders', () => {
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
