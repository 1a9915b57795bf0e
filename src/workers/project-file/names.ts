/**
 * Names in and of the project file: the file's own name, the entries inside the zip, and the folder names that
 * classes get there. See docs/PROJECT-FILE.md.
 */
import { fileStem } from '../file-names';

/** The entry that describes everything else in the zip. */
export const MANIFEST = 'manifest.json';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const FOLDER_LIMIT = 64;

/**
 * A folder name for a class (or any label) that every common file system accepts: no path separators, control
 * characters or Windows-reserved characters and names, no leading or trailing dots and spaces, at most 64
 * characters, never empty. With `taken` (names already used), the result also differs from each of them ignoring
 * case (so it survives case-insensitive file systems), by a "-2", "-3"… suffix, and is added to `taken`.
 */
export function safeFolderName(name: string, taken?: Set<string>): string {
  let base = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  base = Array.from(base)
    .slice(0, FOLDER_LIMIT)
    .join('')
    .replace(/[\s.]+$/, '');
  if (!base) base = 'class';
  if (WINDOWS_RESERVED.test(base)) base = `${base}_`;
  if (!taken) return base;
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** The file name of a classroom pack: like a project file's, with "-classroom" before ".kiln.zip". */
export function classroomPackFileName(projectName: string): string {
  return `${fileStem(projectName)}-classroom.kiln.zip`;
}

/** The file name of a project's export: letters, digits and dashes, then ".kiln.zip". */
export function projectFileName(projectName: string): string {
  return `${fileStem(projectName)}.kiln.zip`;
}

/** An id as a path segment: ids Kiln makes are UUIDs; anything else gets a stand-in, unique within `used`. */
export function pathSegment(id: string, fallback: string, used: Set<string>): string {
  let segment = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : fallback;
  for (let n = 2; used.has(segment.toLowerCase()); n++) segment = `${fallback}-${n}`;
  used.add(segment.toLowerCase());
  return segment;
}

/** Where a photo and its thumbnail lie in the zip. */
export function photoEntries(folder: string, segment: string): { image: string; thumb: string } {
  return { image: `photos/${folder}/${segment}.jpg`, thumb: `thumbs/${segment}.jpg` };
}

/** Where a finished training's model lies in the zip. */
export function modelEntries(segment: string): { topology: string; weights: string; backbone: string } {
  const dir = `models/${segment}`;
  return { topology: `${dir}/head.json`, weights: `${dir}/head.bin`, backbone: `${dir}/backbone.bin` };
}
