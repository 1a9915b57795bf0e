/**
 * Photos from the clipboard: a paste event (Ctrl+V / ⌘V) or the async Clipboard API (the "Paste photos"
 * button). Both give Files named like the other imports, so the importer treats them the same way.
 */
import { UserError } from '../api/user-message';

/** Why the clipboard gave no pictures, with what to do instead; its key is `worker.clipboard.*` in the locale files. */
export class ClipboardImageError extends UserError {
  override name = 'ClipboardImageError';
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/avif': 'avif',
};

/** Pasted images have no useful name ("image.png"): give each one that says where it came from. */
function named(blob: Blob, index: number, stamp: string): File {
  const extension = EXTENSIONS[blob.type] ?? 'png';
  return new File([blob], `pasted-${stamp}-${index + 1}.${extension}`, { type: blob.type });
}

function timeStamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** The images a paste event carries (copied pictures, or image files copied in a file manager); none for text. */
export function imagesFromPaste(data: DataTransfer | null): File[] {
  if (!data) return [];
  const stamp = timeStamp();
  const blobs: Blob[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file' || !item.type.startsWith('image/')) continue;
    const file = item.getAsFile();
    if (file) blobs.push(file);
  }
  // Copied files keep their own names; pictures copied from a page or an editor get one.
  return blobs.map((blob, i) =>
    blob instanceof File && blob.name && !/^image\.\w+$/i.test(blob.name) ? blob : named(blob, i, stamp),
  );
}

/** Reads images with navigator.clipboard.read(); throws ClipboardImageError saying what to do instead. */
export async function readClipboardImages(): Promise<File[]> {
  if (!navigator.clipboard?.read) {
    throw new ClipboardImageError(
      'clipboard.unsupported',
      'This browser does not let pages read pictures from the clipboard. Click the class, then press Ctrl+V (⌘V on a Mac) instead.',
    );
  }
  let items: ClipboardItems;
  try {
    items = await navigator.clipboard.read();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') {
      throw new ClipboardImageError(
        'clipboard.notAllowed',
        'The browser did not allow Kiln to read the clipboard. Allow clipboard access for this site (in the address bar), or click the class and press Ctrl+V (⌘V on a Mac).',
      );
    }
    throw new ClipboardImageError(
      'clipboard.noPicture',
      'The clipboard holds no picture. Copy a photo (the image itself, not its file name), then try again.',
    );
  }
  const stamp = timeStamp();
  const blobs: Blob[] = [];
  for (const item of items) {
    const type = item.types.find((t) => t.startsWith('image/'));
    if (type) blobs.push(await item.getType(type));
  }
  if (blobs.length === 0) {
    throw new ClipboardImageError(
      'clipboard.noPicture',
      'The clipboard holds no picture. Copy a photo (the image itself, not its file name), then try again.',
    );
  }
  return blobs.map((blob, i) => named(blob, i, stamp));
}
