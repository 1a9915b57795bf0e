/**
 * Why a file is not taken as a photo, in words that say what to do: by its name when a folder or zip is sorted, by
 * its first bytes when a decode fails. HEIC (what iPhones and iPads take by default) and TIFF get their own advice:
 * browsers cannot open either, and "damaged" would be untrue.
 */
import { userMessage, type UserMessage } from '../api/user-message';

const refusal = (message: UserMessage) => ({ reason: message.text, message });

const heic = () =>
  userMessage(
    'import.heic',
    'it is a HEIC photo (what iPhones take), which the browser cannot open; export it as JPEG (on the iPhone: Settings › Camera › Formats › Most Compatible) and add that',
  );
const tiff = () =>
  userMessage('import.tiff', 'it is a TIFF image, which the browser cannot open; convert it to JPEG or PNG and add that');

/** A file of a folder or zip that is not a photo Kiln reads, by its name. */
export function notAPhotoReason(path: string): { reason: string; message: UserMessage } {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (extension === 'heic' || extension === 'heif') return refusal(heic());
  if (extension === 'tif' || extension === 'tiff') return refusal(tiff());
  return refusal(userMessage('import.notPhoto', 'it is not a photo Kiln reads (JPEG, PNG, WebP, GIF, BMP or AVIF)'));
}

/** Files an operating system adds to folders and zips (macOS's __MACOSX/ and ._ copies, .DS_Store, Thumbs.db). */
export function isSystemClutter(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /(^|\/)__MACOSX\//.test(path) || name.startsWith('._') || /^(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(name);
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** HEIC/HEIF or TIFF, told by the first bytes (an ISO box "ftyp" with a HEIF brand; "II*\0" or "MM\0*"). */
export function unsupportedPhotoMessage(bytes: Uint8Array): UserMessage | null {
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return tiff();
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const size = Math.min(bytes.length, (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
    const major = ascii(bytes, 8, 12);
    const compatible: string[] = [];
    for (let i = 16; i + 4 <= size; i += 4) compatible.push(ascii(bytes, i, i + 4));
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'].includes(major)) return heic();
    // "mif1" is HEIF's general brand; AVIF files carry it too, with "avif" beside it.
    if ((major === 'mif1' || major === 'msf1') && !compatible.some((b) => b === 'avif' || b === 'avis')) return heic();
  }
  return null;
}
