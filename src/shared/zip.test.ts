import { zipSync, type Zippable } from 'fflate';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../ui/i18n/i18n';
import { errorText } from '../ui/i18n/messages';
import { DEFAULT_ZIP_LIMITS, isSafeEntryName, readZip, writeZip, ZIP_FILE_NAMES, ZipRefusedError, type ZipFileKind } from './zip';

/** Every byte fflate inflates for zip.ts: "refused before decompressing" is then a count, not a stopwatch. */
const inflated = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('fflate', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fflate')>();
  class CountingInflate extends actual.Inflate {
    constructor(ondata?: (chunk: Uint8Array, final: boolean) => void) {
      super((chunk, final) => {
        inflated.bytes += chunk.length;
        ondata?.(chunk, final);
      });
    }
  }
  return { ...actual, Inflate: CountingInflate };
});
beforeEach(() => {
  inflated.bytes = 0;
});

const MiB = 1024 ** 2;
const WHAT = 'projectFile';

function seededBytes(length: number, seed: number): Uint8Array {
  // mulberry32
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

interface Located {
  name: string;
  central: number;
  local: number;
}

/** Where each entry's central and local headers are, so tests can patch them. */
function locate(zip: Uint8Array): Located[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const found: Located[] = [];
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const nameLength = view.getUint16(p + 28, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLength));
    found.push({ name, central: p, local: view.getUint32(p + 42, true) });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return found;
}

function entry(zip: Uint8Array, name: string): Located {
  const found = locate(zip).find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

function view(zip: Uint8Array): DataView {
  return new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** Patches the uncompressed size in both headers, as a lying writer would. */
function patchOriginalSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  const e = entry(copy, name);
  view(copy).setUint32(e.local + 22, size, true);
  view(copy).setUint32(e.central + 24, size, true);
  return copy;
}

function refusal(run: () => unknown): ZipRefusedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ZipRefusedError);
    expect((error as Error).name).toBe('ZipRefusedError');
    return error as ZipRefusedError;
  }
  throw new Error('expected a ZipRefusedError, but nothing was thrown');
}

const sample = (): [string, Uint8Array][] => [
  ['project.json', text(JSON.stringify({ classes: ['cat', 'dog'], epochs: 20, notes: 'x'.repeat(2000) }))],
  ['images/cat/001.png', seededBytes(10_000, 1)],
  ['images/dog/001.JPG', seededBytes(5_000, 2)],
  ['données/été 🐱.txt', text('unicode name ✓')],
  ['weights.bin', seededBytes(4096, 3)],
  ['empty.txt', new Uint8Array(0)],
  ['a/b/c/deep.json', text('{"deep":true}')],
];

describe('writeZip and readZip', () => {
  it('round-trips several entries, binary data and unicode names', () => {
    const entries = sample();
    const files = readZip(writeZip(entries), WHAT);
    expect([...files.keys()].sort()).toEqual(entries.map(([name]) => name).sort());
    for (const [name, data] of entries) expect(files.get(name)).toEqual(data);
  });

  it('verifies checksums of every length (stored and deflated)', () => {
    const entries: [string, Uint8Array][] = [];
    for (let length = 0; length <= 20; length++) {
      entries.push([`${length}.bin`, seededBytes(length, length)], [`${length}.txt`, seededBytes(length, length + 100)]);
    }
    const files = readZip(writeZip(entries), WHAT);
    for (const [name, data] of entries) expect(files.get(name)).toEqual(data);
  });

  it('accepts a record as well as an iterable, with the same bytes', () => {
    const entries = sample();
    expect(writeZip(Object.fromEntries(entries))).toEqual(writeZip(new Map(entries)));
  });

  it('stores media and binaries, and deflates the rest', () => {
    const zip = writeZip(sample());
    const method = (name: string) => view(zip).getUint16(entry(zip, name).central + 10, true);
    expect(method('images/cat/001.png')).toBe(0);
    expect(method('images/dog/001.JPG')).toBe(0);
    expect(method('weights.bin')).toBe(0);
    expect(method('project.json')).toBe(8);
    expect(method('a/b/c/deep.json')).toBe(8);
  });

  describe('determinism', () => {
    const tz = process.env.TZ;
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });

    it('gives equal bytes for equal input, in any time zone, dated 2026-01-01', () => {
      process.env.TZ = 'America/Los_Angeles';
      const west = writeZip(sample());
      process.env.TZ = 'Asia/Tokyo';
      const east = writeZip(sample());
      expect(east).toEqual(west);
      expect(writeZip(sample())).toEqual(east);
      const local = entry(east, 'project.json').local;
      expect(view(east).getUint16(local + 10, true)).toBe(0); // 00:00:00
      expect(view(east).getUint16(local + 12, true)).toBe(((2026 - 1980) << 9) | (1 << 5) | 1);
    });
  });

  it('refuses to write unsafe or duplicate names', () => {
    expect(() => writeZip([['../evil.txt', text('x')]])).toThrow(/unsafe/);
    expect(() =>
      writeZip([
        ['a.txt', text('1')],
        ['a.txt', text('2')],
      ]),
    ).toThrow(/duplicate/);
    expect(() => writeZip([['__proto__', text('x')]])).toThrow(/__proto__/);
    expect([...readZip(writeZip({ constructor: text('1'), 'a/__proto__': text('2') }), WHAT).keys()].sort()).toEqual([
      'a/__proto__',
      'constructor',
    ]);
  });
});

describe('readZip', () => {
  it('skips directories and macOS junk, and normalises names', () => {
    const zip = zipSync({
      folder: { 'a.txt': text('a'), '._a.txt': text('junk'), '.DS_Store': text('junk') },
      __MACOSX: { folder: { '._a.txt': text('junk') } },
      '.DS_Store': text('junk'),
      './top.txt': text('top'),
      'dir\\win.txt': text('win'),
      '._.txt': text('junk'),
    });
    expect(locate(zip).some((e) => e.name === 'folder/')).toBe(true);
    const files = readZip(zip, WHAT);
    expect([...files.keys()].sort()).toEqual(['dir/win.txt', 'folder/a.txt', 'top.txt']);
    expect(new TextDecoder().decode(files.get('top.txt'))).toBe('top');
  });

  it('decodes names without the UTF-8 flag as UTF-8, else as CP437', () => {
    const zip = zipSync({ 'caf?.txt': text('a'), 'ol?.txt': text('b') });
    const patched = zip.slice();
    patched[entry(patched, 'caf?.txt').central + 46 + 3] = 0x82; // CP437 é
    const ole = entry(patched, 'ol?.txt');
    patched[ole.central + 46 + 2] = 0xe9; // not valid UTF-8 alone, CP437 Θ
    expect([...readZip(patched, WHAT).keys()].sort()).toEqual(['café.txt', 'olΘ.txt']);
  });

  it('accepts highly compressible data below the 16 MiB ratio floor', () => {
    const zip = zipSync({ 'zeros.json': new Uint8Array(8 * MiB) });
    expect(8 * MiB).toBeGreaterThan(DEFAULT_ZIP_LIMITS.maxRatio * zip.length);
    expect(readZip(zip, WHAT).get('zeros.json')?.length).toBe(8 * MiB);
  });

  it('reads ZIP64 sizes from the extra field', () => {
    const data = text('hello zip64');
    const name = text('big.txt');
    const local = new Uint8Array(30 + name.length + 20);
    const lv = view(local);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 45, true);
    lv.setUint32(14, crc32(data), true);
    lv.setUint32(18, 0xffffffff, true);
    lv.setUint32(22, 0xffffffff, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 20, true);
    local.set(name, 30);
    lv.setUint16(30 + name.length, 1, true);
    lv.setUint16(32 + name.length, 16, true);
    lv.setBigUint64(34 + name.length, BigInt(data.length), true);
    lv.setBigUint64(42 + name.length, BigInt(data.length), true);
    const central = new Uint8Array(46 + name.length + 28);
    const cv = view(central);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, 45, true);
    cv.setUint32(16, crc32(data), true);
    cv.setUint32(20, 0xffffffff, true);
    cv.setUint32(24, 0xffffffff, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, 28, true);
    cv.setUint32(42, 0xffffffff, true);
    central.set(name, 46);
    cv.setUint16(46 + name.length, 1, true);
    cv.setUint16(48 + name.length, 24, true);
    cv.setBigUint64(50 + name.length, BigInt(data.length), true);
    cv.setBigUint64(58 + name.length, BigInt(data.length), true);
    cv.setBigUint64(66 + name.length, 0n, true);
    const cdOffset = local.length + data.length;
    const eocd = new Uint8Array(22);
    const ev = view(eocd);
    ev.setUint32(0, 0x06054b50, true);
    ev.setUint16(8, 1, true);
    ev.setUint16(10, 1, true);
    ev.setUint32(12, central.length, true);
    ev.setUint32(16, cdOffset, true);
    const zip = new Uint8Array(cdOffset + central.length + 22);
    zip.set(local, 0);
    zip.set(data, local.length);
    zip.set(central, cdOffset);
    zip.set(eocd, cdOffset + central.length);
    expect(readZip(zip, WHAT).get('big.txt')).toEqual(data);
  });

  describe('refuses what is not a zip archive', () => {
    it('empty input', () => {
      expect(refusal(() => readZip(new Uint8Array(0), WHAT)).message).toMatch(/^The project file is empty.*not a zip/);
    });

    it('other kinds of file', () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...seededBytes(100, 4)]);
      for (const bytes of [png, text('{"not":"a zip"}'), new Uint8Array([0x50, 0x4b])]) {
        expect(refusal(() => readZip(bytes, 'tmExport')).message).toMatch(
          /^The Teachable Machine export is not a zip archive\. .*\.zip/,
        );
      }
    });

    it('an empty zip', () => {
      const empty = zipSync({});
      expect(empty.length).toBe(22);
      expect(refusal(() => readZip(empty, WHAT)).message).toMatch(/^The project file is an empty zip.*no files/);
    });

    it('a truncated zip', () => {
      const zip = writeZip(sample());
      for (const cut of [zip.length - 1, Math.floor(zip.length / 2), 40]) {
        expect(refusal(() => readZip(zip.subarray(0, cut), WHAT)).message).toMatch(
          /^The project file is damaged or incomplete.*download or export it again/i,
        );
      }
    });

    it('corrupt compressed data', () => {
      const zip = zipSync({ 'a.json': text(JSON.stringify({ values: Array.from({ length: 500 }, (_, i) => i) })) });
      const corrupt = zip.slice();
      const e = entry(corrupt, 'a.json');
      const start = e.local + 30 + view(corrupt).getUint16(e.local + 26, true);
      corrupt.fill(0xff, start, start + 20);
      expect(refusal(() => readZip(corrupt, WHAT)).message).toMatch(/damaged or incomplete.*a\.json/);
    });

    it('a wrong checksum', () => {
      const zip = writeZip([['photo.png', seededBytes(1000, 5)]]);
      const e = entry(zip, 'photo.png');
      const at = e.local + 30 + 'photo.png'.length + 500;
      zip[at] = (zip[at] as number) ^ 1;
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/damaged.*checksum.*photo\.png/);
    });
  });

  describe('refuses too many entries', () => {
    const many = (count: number): Zippable => {
      const files: Zippable = {};
      for (let i = 0; i < count; i++) files[`img/${i}.txt`] = [text(`${i}`), { level: 0 }];
      return files;
    };

    it('over the given limit, before decompressing anything', () => {
      expect(readZip(zipSync(many(100)), WHAT, { maxEntries: 100 }).size).toBe(100);
      const zip = zipSync({ ...many(100), 'broken.json': text('{"a":1,"a":1,"a":1,"a":1}') });
      const e = entry(zip, 'broken.json');
      zip.fill(0xff, e.local + 30 + 'broken.json'.length, e.local + 40 + 'broken.json'.length);
      expect(refusal(() => readZip(zip, WHAT, { maxEntries: 100 })).message).toMatch(
        /^The project file contains 101 entries, more than the 100 .*smaller zips/,
      );
    });

    it('over the default limit of 50 000', () => {
      const zip = zipSync(many(50_001));
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/50001 entries, more than the 50000/);
      expect(inflated.bytes).toBe(0);
    });
  });

  describe('refuses zip bombs', () => {
    it('a high compression ratio over 16 MiB, before decompressing', () => {
      const zip = zipSync({ 'bomb.json': new Uint8Array(40 * MiB) });
      expect(zip.length).toBeLessThan(200_000);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/^The project file would unpack to 40 MiB.*zip bomb/);
      expect(inflated.bytes).toBe(0);
    });

    it('a declared total over maxTotalBytes', () => {
      const files: [string, Uint8Array][] = [1, 2, 3].map((i) => [`${i}.bin`, seededBytes(MiB, i)]);
      const zip = writeZip(files);
      expect(readZip(zip, WHAT, { maxTotalBytes: 3 * MiB }).size).toBe(3);
      expect(refusal(() => readZip(zip, WHAT, { maxTotalBytes: 2 * MiB })).message).toMatch(
        /would unpack to 3 MiB, more than the 2 MiB Kiln accepts/,
      );
    });

    it('declared sizes over the default 2 GiB, without allocating them', () => {
      let zip = writeZip([
        ['a.json', text('{}')],
        ['b.json', text('[]')],
      ]);
      zip = patchOriginalSize(zip, 'a.json', 0xfff00000);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/would unpack to 4(\.0)? GiB, more than the 2 GiB/);
    });
  });

  describe('refuses entries that are larger than they claim', () => {
    it('a deflated bomb that declares 1000 bytes, stopping early instead of unpacking its 40 MiB', () => {
      const zip = patchOriginalSize(zipSync({ 'small.json': new Uint8Array(40 * MiB) }), 'small.json', 1000);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/^The project file .*entries are larger than they claim/);
      expect(inflated.bytes).toBeGreaterThan(1000);
      expect(inflated.bytes).toBeLessThanOrEqual(5 * MiB);
    });

    it('a modest lie in a deflated entry', () => {
      const data = text(JSON.stringify(Array.from({ length: 2000 }, (_, i) => i)));
      const zip = patchOriginalSize(writeZip([['list.json', data]]), 'list.json', data.length - 1);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/larger than they claim/);
    });

    it('a lie in a stored entry', () => {
      const zip = patchOriginalSize(writeZip([['photo.jpg', seededBytes(3000, 6)]]), 'photo.jpg', 100);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/larger than they claim/);
    });

    it('and calls an entry that is smaller than it claims damaged', () => {
      const data = text('x'.repeat(5000));
      const zip = patchOriginalSize(writeZip([['x.txt', data]]), 'x.txt', data.length + 10);
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/damaged or incomplete.*shorter than it claims/);
    });
  });

  describe('refuses unsafe names', () => {
    const unsafe = ['../evil.txt', '/abs.txt', 'C:/x.txt', 'c:x.txt', 'a/../../b.txt', '..\\evil.txt', '\\abs.txt', 'nul\0.txt'];

    for (const name of unsafe) {
      it(JSON.stringify(name), () => {
        const zip = zipSync({ 'fine.txt': text('ok'), [name]: text('bad') });
        const message = refusal(() => readZip(zip, WHAT)).message;
        expect(message).toMatch(/^The project file contains an entry with an unsafe name/);
        expect(message).toContain(JSON.stringify(name));
      });
    }

    it('a name longer than 1024 characters, truncated in the message', () => {
      const name = `${'x'.repeat(1100)}.txt`;
      const message = refusal(() => readZip(zipSync({ [name]: text('bad') }), WHAT)).message;
      expect(message).toMatch(/unsafe name, "x+…x+\.txt"/);
      expect(message.length).toBeLessThan(300);
    });

    it('even on a directory', () => {
      const zip = zipSync({ 'fine.txt': text('ok'), '../': new Uint8Array(0) });
      expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/unsafe name/);
    });

    it('isSafeEntryName', () => {
      for (const name of unsafe) expect(isSafeEntryName(name)).toBe(false);
      expect(isSafeEntryName('')).toBe(false);
      expect(isSafeEntryName('a'.repeat(1025))).toBe(false);
      for (const name of ['a.txt', 'a/b/c.png', 'ünï/çödé 🐱.txt', '..a/b..', 'a..b', './a.txt', 'ab:c.txt', 'a'.repeat(1024)]) {
        expect(isSafeEntryName(name)).toBe(true);
      }
    });
  });

  it('refuses encrypted entries', () => {
    const zip = writeZip([['secret.json', text('{"a":1}')]]);
    const e = entry(zip, 'secret.json');
    view(zip).setUint16(e.local + 6, view(zip).getUint16(e.local + 6, true) | 1, true);
    view(zip).setUint16(e.central + 8, view(zip).getUint16(e.central + 8, true) | 1, true);
    expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/^The project file is password-protected.*without a password/);
  });

  it('refuses compression methods other than store and deflate', () => {
    const zip = writeZip([['data.json', text('{"a":1}')]]);
    const e = entry(zip, 'data.json');
    view(zip).setUint16(e.local + 8, 12, true);
    view(zip).setUint16(e.central + 10, 12, true);
    expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/compression method.*12.*data\.json/);
  });

  it('refuses two entries with the same normalised name', () => {
    const zip = zipSync({ 'a/b.txt': text('1'), 'a\\b.txt': text('2') });
    expect(refusal(() => readZip(zip, WHAT)).message).toMatch(/contains "a\/b\.txt" twice/);
  });
});

describe('refusals in the page’s language', () => {
  afterEach(() => setLanguage('en'));

  it('a file that is not a zip is refused in Spanish, and in English exactly as its text for every kind of file', () => {
    const notZip = refusal(() => readZip(text('just some text, not a zip'), WHAT));
    setLanguage('es');
    expect(errorText(notZip)).toBe(
      'El archivo del proyecto no es un archivo zip. Comprueba que elegiste el archivo correcto: debe ser un archivo .zip.',
    );
    setLanguage('en');
    for (const kind of Object.keys(ZIP_FILE_NAMES) as ZipFileKind[]) {
      for (const bytes of [new Uint8Array(0), text('not a zip'), zipSync({}), writeZip(sample()).subarray(0, 40)]) {
        const error = refusal(() => readZip(bytes, kind));
        expect(error.message.startsWith(ZIP_FILE_NAMES[kind])).toBe(true);
        expect(errorText(error)).toBe(error.message);
      }
    }
  });

  it('sends sizes as byte counts, which the page writes with its own digits and separators', () => {
    const zip = writeZip([1, 2, 3].map((i): [string, Uint8Array] => [`${i}.bin`, seededBytes(MiB * 1.5, i)]));
    const error = refusal(() => readZip(zip, WHAT, { maxTotalBytes: 2 * MiB }));
    // The English text is unchanged; the values are numbers, not "4.5 MiB".
    expect(error.message).toMatch(/would unpack to 4\.5 MiB, more than the 2 MiB Kiln accepts/);
    expect(error.values).toMatchObject({ size: 4.5 * MiB, limit: 2 * MiB });
    setLanguage('es');
    expect(errorText(error)).toMatch(
      /^El archivo del proyecto ocuparía 4,5 MB al descomprimirlo, más de los 2,0 MB que acepta Kiln/,
    );
    setLanguage('ar');
    expect(errorText(error)).toContain(`${new Intl.NumberFormat('ar', { minimumFractionDigits: 1 }).format(4.5)} م.ب`);
    setLanguage('en');
    expect(errorText(error)).toMatch(/would unpack to 4\.5 MB, more than the 2\.0 MB Kiln accepts/);
  });

  it('writes the default 2 GiB limit in gigabytes', () => {
    const error = new ZipRefusedError('zip.tooLarge', '', {
      file: WHAT,
      size: 3 * 1024 ** 3,
      limit: DEFAULT_ZIP_LIMITS.maxTotalBytes,
    });
    setLanguage('es');
    expect(errorText(error)).toContain('3,0 GB al descomprimirlo, más de los 2,0 GB');
  });
});
