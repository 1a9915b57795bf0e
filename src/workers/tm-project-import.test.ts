import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { withoutIsolates } from '../ui/i18n/bidi';
import { summarize } from '../ui/import-summary';
import { parseTmProject, TmProjectError } from './tm-project-import';

const encode = (text: string) => new TextEncoder().encode(text);
const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, n, 0xff, 0xd9]);
/** The manifest Teachable Machine-compatible tools write: no class list, only settings. */
const manifest = encode(
  JSON.stringify({ type: 'image', version: '2.4.4', appdata: { trainEpochs: 50, trainBatchSize: 16, trainLearningRate: 0.001 } }),
);

/** A .tm file as Teachable Machine writes it: manifest.json, then each class's photos in turn. */
function tmFile(entries: [string, Uint8Array][]): Uint8Array {
  return zipSync(Object.fromEntries(entries), { level: 0 });
}

async function bytesOf(file: File): Promise<number[]> {
  return [...new Uint8Array(await file.arrayBuffer())];
}

describe('Teachable Machine project files', () => {
  it('makes one class per name, in the order the file holds them, photos sorted by their number', async () => {
    const parsed = parseTmProject(
      tmFile([
        ['manifest.json', manifest],
        ['Rock-!-0.jpg', jpeg(0)],
        ['Rock-!-10.jpg', jpeg(10)],
        ['Rock-!-2.jpg', jpeg(2)],
        ['Paper-!-0.jpg', jpeg(20)],
        ['Scissors-!-0.jpg', jpeg(30)],
        ['Scissors-!-1.jpg', jpeg(31)],
      ]),
    );
    expect(parsed.classes.map((c) => [c.name, c.files.length])).toEqual([
      ['Rock', 3],
      ['Paper', 1],
      ['Scissors', 2],
    ]);
    expect(parsed.classes[0]!.files.map((f) => f.name)).toEqual(['Rock-!-0.jpg', 'Rock-!-2.jpg', 'Rock-!-10.jpg']);
    expect(parsed.classes[0]!.files[1]!.type).toBe('image/jpeg');
    expect(await bytesOf(parsed.classes[1]!.files[0]!)).toEqual([...jpeg(20)]);
    expect(parsed.ignored).toEqual([]);
  });

  it('keeps class names with spaces, dashes and "-!-" in them, and tells apart names that differ only in case', () => {
    const parsed = parseTmProject(
      tmFile([
        ['manifest.json', manifest],
        ['my cat-!-0.jpg', jpeg(1)],
        ['a-!-b-!-0.png', jpeg(2)],
        ['My Cat-!-0.jpg', jpeg(3)],
      ]),
    );
    expect(parsed.classes.map((c) => c.name)).toEqual(['my cat', 'a-!-b', 'My Cat (2)']);
    expect(parsed.classes[1]!.files[0]!.type).toBe('image/png');
  });

  it('lists entries that are not photos instead of guessing a class for them', () => {
    const parsed = parseTmProject(
      tmFile([
        ['manifest.json', manifest],
        ['Rock-!-0.jpg', jpeg(0)],
        ['notes.txt', encode('hello')],
        ['Rock.jpg', jpeg(1)],
      ]),
    );
    expect(parsed.classes.map((c) => c.name)).toEqual(['Rock']);
    expect(parsed.ignored).toEqual(['notes.txt', 'Rock.jpg']);
  });

  it('refuses a zip without manifest.json, saying what a .tm file is', () => {
    expect(() => parseTmProject(tmFile([['Rock-!-0.jpg', jpeg(0)]]))).toThrow(TmProjectError);
    expect(() => parseTmProject(tmFile([['Rock-!-0.jpg', jpeg(0)]]))).toThrow(
      /no manifest\.json.*Teachable Machine project file/,
    );
  });

  it('names the button for a file that another one opens', () => {
    const manifest = (json: string): [string, Uint8Array] => ['manifest.json', encode(json)];
    expect(() => parseTmProject(tmFile([manifest('{"format":"kiln-project","version":2}')]))).toThrow(
      'This is a Kiln project file, not a Teachable Machine project: open it with “Open a project file”.',
    );
    expect(() =>
      parseTmProject(
        tmFile([
          ['m/model.json', encode('{}')],
          ['m/metadata.json', encode('{}')],
        ]),
      ),
    ).toThrow(/Teachable Machine model, not a project: open it with “Open a Teachable Machine model”/);
    expect(() => parseTmProject(tmFile([['set/ants/1.jpg', jpeg(0)]]))).toThrow(/photos in class folders/);
  });

  it('refuses a damaged manifest, a sound or pose project, and a project without photos', () => {
    expect(() => parseTmProject(tmFile([['manifest.json', encode('{"type": "ima')]]))).toThrow(/not valid JSON/);
    expect(() => parseTmProject(tmFile([['manifest.json', encode('[1, 2]')]]))).toThrow(/not a Teachable Machine manifest/);
    expect(() =>
      parseTmProject(
        tmFile([
          ['manifest.json', encode(JSON.stringify({ type: 'audio' }))],
          ['Noise-!-0.jpg', jpeg(0)],
        ]),
      ),
    ).toThrow('This is a Teachable Machine audio project; Kiln works with image projects only.');
    expect(() => parseTmProject(tmFile([['manifest.json', manifest]]))).toThrow(/no photos/);
  });

  it('refuses files that are not zips, or are cut short, through the safe zip reader', () => {
    expect(() => parseTmProject(encode('not a zip at all'))).toThrow(/The Teachable Machine project file is not a zip archive/);
    const whole = tmFile([
      ['manifest.json', manifest],
      ['Rock-!-0.jpg', jpeg(0)],
    ]);
    expect(() => parseTmProject(whole.subarray(0, whole.length - 30))).toThrow(/damaged or incomplete/);
  });

  it('summarises what did not go in, and opens the project at once when everything did', () => {
    const project = { id: 'p1', name: 'rps' } as Parameters<typeof summarize>[0]['project'];
    const ok = { added: 2, refused: [], cancelled: false, stoppedBy: null };
    expect(summarize({ project, classes: [{ name: 'Rock', report: ok }], ignored: [], stoppedBy: null }).clean).toBe(true);
    const summary = summarize({
      project,
      classes: [
        { name: 'Rock', report: ok },
        {
          name: 'Paper',
          report: { ...ok, added: 1, refused: [{ name: 'Paper-!-3.jpg', reason: 'the file is empty (0 bytes)' }] },
        },
      ],
      ignored: ['notes.txt'],
      stoppedBy: null,
    });
    expect(summary.clean).toBe(false);
    expect(withoutIsolates(summary.headline)).toBe('Project “rps” made with 2 classes and 3 photos; 2 files did not go in.');
    expect(summary.refused.map(withoutIsolates)).toEqual([
      'Paper: “Paper-!-3.jpg”: the file is empty (0 bytes)',
      '“notes.txt” is not a Teachable Machine photo, so it was skipped',
    ]);
  });
});
