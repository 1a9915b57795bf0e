/**
 * Reading and writing zip archives safely.
 *
 * Reading does not use fflate's unzipSync: it reads names and sizes from the central directory but not the
 * general-purpose flags (so it can't see encryption), and it inflates each entry into a buffer of the declared size,
 * silently truncating an entry whose header lies and still spending the CPU to decode all of it. So we read the
 * central directory ourselves (a few dozen lines, ZIP64 included), check every name, flag and declared size before
 * decompressing anything, then inflate each entry with fflate's streaming Inflate in small chunks, stopping as soon
 * as it produces more than it declared. Memory is bounded by the declared sizes (which are checked against the
 * limits) plus one chunk's output; each entry's CRC-32 is verified too.
 */
import { Inflate, zipSync, type ZipOptions } from 'fflate';
import { UserError } from '../api/user-message';

/** Why a zip cannot be opened, as a reason a person can act on; its key is `worker.zip.*` in the locale files. */
export class ZipRefusedError extends UserError {
  override name = 'ZipRefusedError';
}

/**
 * The file being read, which starts each refusal's sentence. The page says it in its own language:
 * `worker.zip.file.<kind>` in the locale files, nested into the sentence as `$t(worker.zip.file.{{file}})`.
 */
export const ZIP_FILE_NAMES = Object.freeze({
  projectFile: 'The project file',
  tmExport: 'The Teachable Machine export',
  classFolders: 'The zip',
  tmProject: 'The Teachable Machine project file',
});
export type ZipFileKind = keyof typeof ZIP_FILE_NAMES;

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({ maxEntries: 50_000, maxTotalBytes: 2 * 1024 ** 3, maxRatio: 200 });

const MiB = 1024 ** 2;
/** Below this total the ratio check is off: small json files can legitimately compress more than 200×. */
const RATIO_FLOOR_BYTES = 16 * MiB;
const MAX_NAME_LENGTH = 1024;

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Reads every file entry (directories skipped, also skip macOS junk: __MACOSX/ and names whose last segment starts
 * with '._' or equals '.DS_Store'). Names are normalised ('\\' → '/', leading './' removed).
 */
export function readZip(bytes: Uint8Array, file: ZipFileKind, limits?: Partial<ZipLimits>): Map<string, Uint8Array> {
  const maxEntries = limits?.maxEntries ?? DEFAULT_ZIP_LIMITS.maxEntries;
  const maxTotalBytes = limits?.maxTotalBytes ?? DEFAULT_ZIP_LIMITS.maxTotalBytes;
  const maxRatio = limits?.maxRatio ?? DEFAULT_ZIP_LIMITS.maxRatio;
  const What = ZIP_FILE_NAMES[file];
  // The detail (which part is damaged) stays English inside the translated sentence.
  const damaged = (detail: string) =>
    new ZipRefusedError(
      'zip.damaged',
      `${What} is damaged or incomplete (${detail}). Download or export it again, and wait for the download to finish.`,
      { file, detail },
    );
  const emptyArchive = () =>
    new ZipRefusedError(
      'zip.emptyArchive',
      `${What} is an empty zip archive: it contains no files. Choose a zip that has files in it.`,
      { file },
    );

  if (bytes.length === 0) {
    throw new ZipRefusedError('zip.empty', `${What} is empty (0 bytes), so it is not a zip archive. Choose the file again.`, {
      file,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  const need = (at: number, length: number, part: string) => {
    if (at < 0 || length < 0 || at + length > bytes.length) throw damaged(`${part} runs past the end of the file`);
  };

  const head = bytes.length >= 4 ? u32(0) : 0;
  if (head === EOCD_SIG) throw emptyArchive();
  if (head !== LOCAL_SIG) {
    throw new ZipRefusedError(
      'zip.notZip',
      `${What} is not a zip archive. Check that you chose the right file: it should be a .zip file.`,
      { file },
    );
  }

  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw damaged('the end of the archive is missing');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if ((count === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX) && eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR_SIG) {
    const z = u64(eocd - 12);
    need(z, 56, 'the ZIP64 directory');
    if (u32(z) !== ZIP64_EOCD_SIG) throw damaged('the ZIP64 directory is missing');
    count = u64(z + 32);
    cdSize = u64(z + 40);
    cdOffset = u64(z + 48);
  } else if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) {
    throw new ZipRefusedError(
      'zip.split',
      `${What} is one part of a split (multi-part) zip. Join the parts, or zip the files again as a single .zip file.`,
      { file },
    );
  }
  need(cdOffset, cdSize, 'the file list');
  if (count === 0) throw emptyArchive();
  if (count * 46 > cdSize) throw damaged('the file list is shorter than the number of entries it claims');
  if (count > maxEntries) {
    throw new ZipRefusedError(
      'zip.tooManyEntries',
      `${What} contains ${count} entries, more than the ${maxEntries} Kiln accepts. Split it into several smaller zips.`,
      { file, entries: count, limit: maxEntries },
    );
  }

  // Pass 1: read and check the whole file list before decompressing anything.
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  for (let i = 0, p = cdOffset; i < count; i++) {
    need(p, 46, 'the file list');
    if (u32(p) !== CENTRAL_SIG) throw damaged('the file list is corrupt');
    const nameLength = u16(p + 28);
    const extraLength = u16(p + 30);
    need(p + 46, nameLength + extraLength + u16(p + 32), 'the file list');
    const rawName = decodeName(bytes.subarray(p + 46, p + 46 + nameLength));
    const entry: Entry = {
      name: normaliseName(rawName),
      flags: u16(p + 8),
      method: u16(p + 10),
      crc: u32(p + 16),
      compressedSize: u32(p + 20),
      size: u32(p + 24),
      localOffset: u32(p + 42),
    };
    readZip64Extra(view, p + 46 + nameLength, extraLength, entry);
    if (entry.size === U32_MAX || entry.compressedSize === U32_MAX || entry.localOffset === U32_MAX) {
      throw damaged('the ZIP64 sizes of an entry are missing');
    }
    p += 46 + nameLength + extraLength + u16(p + 32);

    if (!isSafeEntryName(rawName)) {
      throw new ZipRefusedError(
        'zip.unsafeName',
        `${What} contains an entry with an unsafe name, ${quote(rawName)}: names must be relative paths without '..' parts. ` +
          'Zip the files again from a normal folder.',
        { file, name: quote(rawName) },
      );
    }
    if (isSkipped(entry.name)) continue;
    if (entry.flags & 1 || entry.method === 99) {
      throw new ZipRefusedError(
        'zip.encrypted',
        `${What} is password-protected (${quote(entry.name)} is encrypted). Export or zip it again without a password.`,
        { file, name: quote(entry.name) },
      );
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipRefusedError(
        'zip.method',
        `${What} uses a compression method Kiln can't read (method ${entry.method} for ${quote(entry.name)}). ` +
          'Zip the files again with standard (deflate) compression.',
        { file, method: entry.method, name: quote(entry.name) },
      );
    }
    if (seen.has(entry.name)) {
      throw new ZipRefusedError(
        'zip.duplicate',
        `${What} contains ${quote(entry.name)} twice. Zip the files again so each file appears once.`,
        { file, name: quote(entry.name) },
      );
    }
    seen.add(entry.name);
    declaredTotal += entry.size;
    entries.push(entry);
  }

  if (declaredTotal > maxTotalBytes) {
    throw new ZipRefusedError(
      'zip.tooLarge',
      `${What} would unpack to ${formatBytes(declaredTotal)}, more than the ${formatBytes(maxTotalBytes)} Kiln accepts ` +
        '(it may be a zip bomb). Split it into several smaller zips.',
      // Raw byte counts: the page writes them in its language (`{{size, bytes}}`); the text above is for logs.
      { file, size: declaredTotal, limit: maxTotalBytes },
    );
  }
  if (declaredTotal > RATIO_FLOOR_BYTES && declaredTotal > maxRatio * bytes.length) {
    throw new ZipRefusedError(
      'zip.bomb',
      `${What} would unpack to ${formatBytes(declaredTotal)} from only ${formatBytes(bytes.length)}, which looks like a zip bomb. ` +
        'Kiln refused to open it; use a file from a source you trust.',
      { file, size: declaredTotal, packed: bytes.length },
    );
  }

  // Pass 2: decompress. Each entry is capped at its declared size, so the real total can't pass the checked total.
  const lie = () =>
    new ZipRefusedError(
      'zip.larger',
      `${What} is refused: its entries are larger than they claim, which is how zip bombs work. ` +
        'Use a file from a source you trust, or download it again.',
      { file },
    );
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const o = entry.localOffset;
    need(o, 30, `the entry ${quote(entry.name)}`);
    if (u32(o) !== LOCAL_SIG) throw damaged(`the entry ${quote(entry.name)} is missing`);
    const start = o + 30 + u16(o + 26) + u16(o + 28);
    need(start, entry.compressedSize, `the entry ${quote(entry.name)}`);
    const raw = bytes.subarray(start, start + entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) {
      if (raw.length > entry.size) throw lie();
      if (raw.length < entry.size) throw damaged(`the entry ${quote(entry.name)} is shorter than it claims`);
      data = raw.slice(); // a copy, so no entry keeps the whole archive alive (or gets it detached on transfer)
    } else {
      let result: Uint8Array | 'larger';
      try {
        result = inflateCapped(raw, entry.size);
      } catch (error) {
        throw damaged(`the entry ${quote(entry.name)} can't be decompressed: ${(error as Error).message}`);
      }
      if (result === 'larger') throw lie();
      if (result.length < entry.size) throw damaged(`the entry ${quote(entry.name)} is shorter than it claims`);
      data = result;
    }
    if (crc32(data) !== entry.crc) throw damaged(`the checksum of ${quote(entry.name)} does not match`);
    files.set(entry.name, data);
  }
  return files;
}

/**
 * Writes a zip; entries whose name ends in .jpg/.jpeg/.png/.webp/.gif/.avif/.bin/.zip are stored (level 0), the rest
 * deflated (level 6). Deterministic: fixed mtime 2026-01-01 so equal input gives equal bytes.
 */
export function writeZip(entries: Iterable<[string, Uint8Array]> | Record<string, Uint8Array>): Uint8Array {
  const list: [string, Uint8Array][] = isIterable(entries) ? [...entries] : Object.entries(entries);
  // Null prototype, so names like 'constructor' aren't taken for duplicates.
  const files = Object.create(null) as Record<string, [Uint8Array, ZipOptions]>;
  // Zip timestamps are local time and fflate writes the Date's local fields, so build it in the current local time
  // zone: the bytes are then 2026-01-01 00:00 whatever the zone.
  const fixedMtime = new Date(2026, 0, 1);
  for (const [name, data] of list) {
    if (!isSafeEntryName(name)) throw new Error(`writeZip: unsafe entry name ${quote(name)}`);
    if (name in files) throw new Error(`writeZip: duplicate entry name ${quote(name)}`);
    // fflate collects names in a plain object, where this key would set the prototype and crash it.
    if (name === '__proto__') throw new Error('writeZip: an entry can not be named "__proto__"');
    files[name] = [data, { level: STORED_EXTENSIONS.test(name) ? 0 : 6, mtime: fixedMtime }];
  }
  return zipSync(files);
}

export function isSafeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || name.includes('\0')) return false;
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return false;
  return !path.split('/').includes('..');
}

const STORED_EXTENSIONS = /\.(jpe?g|png|webp|gif|avif|bin|zip)$/i;

function isIterable(value: object): value is Iterable<[string, Uint8Array]> {
  return typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

function normaliseName(name: string): string {
  let path = name.replace(/\\/g, '/');
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}

function isSkipped(name: string): boolean {
  if (name === '' || name.endsWith('/') || name.startsWith('__MACOSX/')) return true;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.startsWith('._') || last === '.DS_Store';
}

/** The end-of-central-directory record sits in the last 22 bytes plus up to 64 KiB of comment. */
function findEndOfCentralDirectory(view: DataView): number {
  const length = view.byteLength;
  for (let at = length - 22; at >= 0 && at >= length - 22 - U16_MAX; at--) {
    if (view.getUint32(at, true) === EOCD_SIG && at + 22 + view.getUint16(at + 20, true) <= length) return at;
  }
  return -1;
}

/** Sizes and offsets of 0xffffffff mean "see the ZIP64 extra field", which lists only those, in this order. */
function readZip64Extra(view: DataView, start: number, length: number, entry: Entry): void {
  if (entry.size !== U32_MAX && entry.compressedSize !== U32_MAX && entry.localOffset !== U32_MAX) return;
  for (let p = start; p + 4 <= start + length;) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 1) {
      let q = p + 4;
      const end = Math.min(q + size, start + length);
      const next = () => {
        if (q + 8 > end) return U32_MAX; // missing: the caller reports it as damaged
        const value = view.getUint32(q, true) + view.getUint32(q + 4, true) * 2 ** 32;
        q += 8;
        return value;
      };
      if (entry.size === U32_MAX) entry.size = next();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next();
      if (entry.localOffset === U32_MAX) entry.localOffset = next();
      return;
    }
    p += 4 + size;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * Names are UTF-8 when flag bit 11 is set, and in practice often UTF-8 without it (macOS); otherwise the zip spec
 * says CP437, which is what older Windows tools write. Valid UTF-8 is almost never meaningful CP437, so try UTF-8 first.
 */
function decodeName(raw: Uint8Array): string {
  try {
    return utf8.decode(raw);
  } catch {
    let name = '';
    for (const byte of raw) name += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH.charAt(byte - 0x80);
    return name;
  }
}

/**
 * Inflates `raw`, expecting `size` bytes. Pushes the input a chunk at a time and stops as soon as the output passes
 * `size`: deflate expands at most ~1032×, so a lying entry overshoots by at most ~1032 chunks' worth before we stop
 * (the chunk shrinks with the declared size, so small entries can't overshoot by more than ~4 MiB).
 */
function inflateCapped(raw: Uint8Array, size: number): Uint8Array | 'larger' {
  const out = new Uint8Array(size);
  let written = 0;
  let larger = false;
  const inflater = new Inflate((chunk) => {
    if (larger) return;
    if (written + chunk.length > size) {
      larger = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  const step = Math.min(64 * 1024, Math.max(4 * 1024, Math.ceil(size / 1024)));
  for (let p = 0; p < raw.length && !larger; p += step) inflater.push(raw.subarray(p, p + step), p + step >= raw.length);
  return larger ? 'larger' : out.subarray(0, written);
}

/** CRC-32 tables for slicing-by-8, about 3× faster than byte at a time (this runs over every byte of every entry). */
const CRC_TABLE = (() => {
  const table = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  for (let i = 256; i < table.length; i++) table[i] = (table[i - 256]! >>> 8) ^ table[table[i - 256]! & 0xff]!;
  return table;
})();

function crc32(data: Uint8Array): number {
  const t = CRC_TABLE;
  let c = -1;
  let i = 0;
  for (const end = data.length - 8; i <= end; i += 8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function quote(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 60)}…${name.slice(-15)}` : name);
}

/** The English text's sizes only; a message's values carry raw byte counts. */
function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
