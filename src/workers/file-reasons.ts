/**
 * Why a file is not taken as a photo, in words that say what to do: by its name when a folder or zip is sorted, by
 * its first bytes when a decode fails. TIFF gets its own advice (browsers cannot open it, and "damaged" would be
 * untrue); so does a HEIC photo that libheif could not read (src/workers/heif.ts decodes the others).
 */
import { userMessage, type UserMessage } from '../api/user-message';
import { isTiff } from './file-sniff';
import { isHeif } from './heif';

const refusal = (message: UserMessage) => ({ reason: message.text, message });

const heic = () =>
  userMessage(
    'import.heicUnreadable',
    'it is a HEIC photo that could not be read (it may be damaged); open it where it came from, export it as JPEG and add that',
  );
const tiff = () =>
  userMessage('import.tiff', 'it is a TIFF image, which the browser cannot open; convert it to JPEG or PNG and add that');

/** A file of a folder or zip that is not a photo Kiln reads, by its name. */
export function notAPhotoReason(path: string): { reason: string; message: UserMessage } {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (extension === 'tif' || extension === 'tiff') return refusal(tiff());
  return refusal(userMessage('import.notPhoto', 'it is not a photo Kiln reads (JPEG, PNG, WebP, GIF, BMP, AVIF or HEIC)'));
}

/** Files an operating system adds to folders and zips (macOS's __MACOSX/ and ._ copies, .DS_Store, Thumbs.db). */
export function isSystemClutter(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /(^|\/)__MACOSX\//.test(path) || name.startsWith('._') || /^(\.DS_Store|Thumbs\.db|desktop\.ini)$/i.test(name);
}

/** TIFF, or a HEIC/HEIF photo that failed to decode, told by the first bytes; null for anything else. */
export function unsupportedPhotoMessage(bytes: Uint8Array): UserMessage | null {
  if (isTiff(bytes)) return tiff();
  if (isHeif(bytes)) return heic();
  return null;
}
