import { describe, expect, it } from 'vitest';
import { DECODE_MAX_SIDE, decodeOptions, headerSize, isTruncatedJpeg, isTruncatedPng } from './pixels';

/** A JPEG header only: SOI, a JFIF APP0, optionally an EXIF APP1 with an orientation, and a baseline SOF0 with the size. */
function jpegHeader(width: number, height: number, orientation?: number): Uint8Array {
  // prettier-ignore
  const exif = orientation === undefined ? [] : [
    0xff, 0xe1, 0x00, 0x22, ...new TextEncoder().encode('Exif\0\0'),
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ];
  // prettier-ignore
  const sof = [
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff,
    0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
  ];
  const jfif = [0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  return new Uint8Array([0xff, 0xd8, ...jfif, ...exif, ...sof, 0xff, 0xd9]);
}

describe('decoding size', () => {
  it('reads the size from the header, swapping it for EXIF orientations that turn the photo a quarter', () => {
    expect(headerSize(jpegHeader(20_000, 1_000))).toEqual({ width: 20_000, height: 1_000 });
    expect(headerSize(jpegHeader(4_000, 3_000, 1))).toEqual({ width: 4_000, height: 3_000 });
    expect(headerSize(jpegHeader(4_000, 3_000, 6))).toEqual({ width: 3_000, height: 4_000 });
    expect(headerSize(new TextEncoder().encode('not an image'))).toBeNull();
  });

  it('decodes big images straight to at most 2,048 px on the longest side, keeping the shape', () => {
    expect(decodeOptions({ width: 20_000, height: 1_000 })).toEqual({
      imageOrientation: 'from-image',
      resizeWidth: DECODE_MAX_SIDE,
      resizeHeight: 102,
      resizeQuality: 'high',
    });
    expect(decodeOptions({ width: 3_000, height: 4_000 })).toMatchObject({ resizeWidth: 1_536, resizeHeight: 2_048 });
  });

  it('decodes small images, and ones whose size is unknown, as they are', () => {
    expect(decodeOptions({ width: 2_048, height: 1_000 })).toEqual({ imageOrientation: 'from-image' });
    expect(decodeOptions(null)).toEqual({ imageOrientation: 'from-image' });
  });
});

describe('cut-short JPEGs', () => {
  // prettier-ignore
  const sos = [0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00];
  // Entropy-coded data with a stuffed 0xFF and a restart marker, as real scans have.
  const scan = [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a, 0xff, 0x00, 0xbc];
  function jpeg(): Uint8Array {
    const header = jpegHeader(300, 200);
    return new Uint8Array([...header.subarray(0, header.length - 2), ...sos, ...scan, 0xff, 0xd9]);
  }

  it('accepts a complete JPEG, and one with other data after it (a phone’s Motion Photo video)', () => {
    expect(isTruncatedJpeg(jpeg())).toBe(false);
    const tail = new Uint8Array(4096).map((_, i) => (i * 37 + 11) & 0xff);
    expect(tail.some((b, i) => b === 0xff && tail[i + 1] === 0xd9)).toBe(false);
    expect(isTruncatedJpeg(new Uint8Array([...jpeg(), ...tail]))).toBe(false);
  });

  it('refuses a JPEG cut short, in its scan or in its header', () => {
    const whole = jpeg();
    expect(isTruncatedJpeg(whole.subarray(0, whole.length - 2))).toBe(true);
    expect(isTruncatedJpeg(whole.subarray(0, whole.length - 6))).toBe(true);
    expect(isTruncatedJpeg(whole.subarray(0, 30))).toBe(true);
  });

  it('leaves other formats to the decoder', () => {
    expect(isTruncatedJpeg(new TextEncoder().encode('\x89PNG\r\n'))).toBe(false);
  });
});

describe('cut-short PNG files', () => {
  const png = (...chunks: number[][]) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunks.flat()]);
  const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
  const ihdr = [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 1, 2, 3, 4];

  it('knows a whole PNG, also with bytes appended after its end', () => {
    expect(isTruncatedPng(png(ihdr, iend))).toBe(false);
    expect(isTruncatedPng(png(ihdr, iend, [1, 2, 3]))).toBe(false);
  });

  it('knows one cut short, and leaves other formats alone', () => {
    const whole = png(ihdr, iend);
    expect(isTruncatedPng(whole.subarray(0, whole.length - 8))).toBe(true);
    expect(isTruncatedPng(png(ihdr))).toBe(true);
    expect(isTruncatedPng(new Uint8Array([0xff, 0xd8, 0xff]))).toBe(false);
  });
});
