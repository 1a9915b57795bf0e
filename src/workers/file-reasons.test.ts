import { describe, expect, it } from 'vitest';
import { unsupportedPhotoMessage } from './file-reasons';

/** The first bytes of an ISO media file: a "ftyp" box with a major brand and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const text = `ftyp${major}\0\0\0\0${compatible.join('')}`;
  const bytes = new Uint8Array(4 + text.length + 8);
  new DataView(bytes.buffer).setUint32(0, 4 + text.length);
  bytes.set(new TextEncoder().encode(text), 4);
  return bytes;
}

describe('photos browsers cannot open, told by their first bytes', () => {
  it('knows a HEIC that failed to decode by its brands, and leaves AVIF (which shares "mif1") to the browser', () => {
    expect(unsupportedPhotoMessage(ftyp('heic', 'mif1', 'heic'))?.key).toBe('import.heicUnreadable');
    expect(unsupportedPhotoMessage(ftyp('mif1', 'mif1', 'heic'))?.key).toBe('import.heicUnreadable');
    expect(unsupportedPhotoMessage(ftyp('avif', 'avif', 'mif1'))).toBeNull();
    expect(unsupportedPhotoMessage(ftyp('mif1', 'avif', 'mif1'))).toBeNull();
  });

  it('knows TIFF in both byte orders, and says nothing of anything else', () => {
    expect(unsupportedPhotoMessage(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]))?.key).toBe('import.tiff');
    expect(unsupportedPhotoMessage(new Uint8Array([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]))?.key).toBe('import.tiff');
    expect(unsupportedPhotoMessage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
  });
});
