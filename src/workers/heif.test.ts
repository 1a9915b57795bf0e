import { describe, expect, it } from 'vitest';
import { QUARTER_COLOURS, quarteredHeic } from '../test-support/heic';
import { decodeHeif, HeifDecodeError, isHeif } from './heif';

describe('HEIC photos (decoded with libheif)', () => {
  it('decodes an iPhone-style HEIC photo to its pixels, each quarter its own colour', async () => {
    const heic = await quarteredHeic(64, 48);
    expect(isHeif(heic)).toBe(true);
    const { width, height, data } = await decodeHeif(heic, 1e8);
    expect([width, height]).toEqual([64, 48]);
    const at = (x: number, y: number) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)];
    const points = [at(8, 8), at(56, 8), at(8, 40), at(56, 40)];
    points.forEach((rgb, i) => rgb.forEach((v, c) => expect(Math.abs(v - QUARTER_COLOURS[i]![c]!)).toBeLessThan(24)));
  });

  it('refuses a photo with more pixels than allowed, saying how big it is, before decoding it', async () => {
    const error = await decodeHeif(await quarteredHeic(64, 48), 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeifDecodeError);
    expect(error).toMatchObject({ problem: 'tooLarge', size: { width: 64, height: 48 } });
  });

  it('says a damaged HEIC (only its first half) cannot be read', async () => {
    const heic = await quarteredHeic(64, 48);
    const error = await decodeHeif(heic.subarray(0, heic.length / 2), 1e8).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'unreadable' });
  });

  it('tells HEIC from AVIF, which shares its box format, and from JPEG', () => {
    const ftyp = (major: string, ...compatible: string[]) => {
      const text = `ftyp${major}\0\0\0\0${compatible.join('')}`;
      const bytes = new Uint8Array(4 + text.length);
      new DataView(bytes.buffer).setUint32(0, bytes.length);
      bytes.set(new TextEncoder().encode(text), 4);
      return bytes;
    };
    expect(isHeif(ftyp('mif1', 'mif1', 'heic'))).toBe(true);
    expect(isHeif(ftyp('avif', 'avif', 'mif1'))).toBe(false);
    expect(isHeif(ftyp('mif1', 'avif', 'mif1'))).toBe(false);
    expect(isHeif(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false);
  });
});
