/**
 * HEIC/HEIF photos (what iPhones and iPads take by default), which browsers cannot decode themselves. They are
 * decoded here with libheif compiled to WebAssembly (libheif-js, LGPL-3.0, used unmodified as its own lazily loaded
 * module: about 2 MB, fetched only when a HEIC photo arrives, and kept offline by the service worker). libheif
 * applies the photo's rotation and mirroring, and joins the tiles iPhones store a photo in.
 */
import { ftypBrands } from './file-sniff';

/** HEIF brands of HEVC-coded photos; "mif1"/"msf1" are the general ones, which AVIF files carry too. */
const HEIC_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'];

/** Whether the bytes are a HEIC/HEIF photo (and not an AVIF, which shares HEIF's box format and which browsers read). */
export function isHeif(bytes: Uint8Array): boolean {
  const brands = ftypBrands(bytes);
  if (!brands) return false;
  if (HEIC_BRANDS.includes(brands.major)) return true;
  return (brands.major === 'mif1' || brands.major === 'msf1') && !brands.compatible.some((b) => b === 'avif' || b === 'avis');
}

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row after row. */
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** Why a HEIC photo was not decoded: a size beyond what a browser draws, or a file libheif cannot read. */
export class HeifDecodeError extends Error {
  override name = 'HeifDecodeError';
  constructor(
    readonly problem: 'unreadable' | 'tooLarge',
    readonly size?: { width: number; height: number },
  ) {
    super(problem === 'tooLarge' ? 'HEIC photo too large' : 'HEIC photo not readable');
  }
}

type LibHeif = {
  HeifDecoder: new () => { decoder: number; decode(bytes: Uint8Array): HeifImage[] };
  heif_context_free(context: number): void;
};
interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: unknown) => void): void;
  free(): void;
}

let library: Promise<LibHeif> | null = null;

/** libheif, loaded on first use (a separate chunk, so nobody without a HEIC photo downloads it). */
function loadLibHeif(): Promise<LibHeif> {
  library ??= import('libheif-js/libheif-wasm/libheif-bundle.mjs')
    .then((module) => module.default() as LibHeif | Promise<LibHeif>)
    .catch((error: unknown) => {
      library = null; // A failed load (offline before the chunk was cached) may work next time.
      throw error;
    });
  return library;
}

/** Decodes the primary picture of a HEIC/HEIF file to RGBA; refuses pictures of more than maxPixels. */
export async function decodeHeif(bytes: Uint8Array, maxPixels: number): Promise<DecodedPixels> {
  const libheif = await loadLibHeif();
  const decoder = new libheif.HeifDecoder();
  let images: HeifImage[] = [];
  try {
    images = decoder.decode(bytes);
    const image = images.find((i) => i.is_primary()) ?? images[0];
    if (!image) throw new HeifDecodeError('unreadable');
    const width = image.get_width();
    const height = image.get_height();
    if (!(width > 0 && height > 0)) throw new HeifDecodeError('unreadable');
    if (width * height > maxPixels) throw new HeifDecodeError('tooLarge', { width, height });
    const data = new Uint8ClampedArray(width * height * 4);
    const result = await new Promise<unknown>((resolve) => image.display({ data, width, height }, resolve));
    if (!result) throw new HeifDecodeError('unreadable');
    return { width, height, data };
  } finally {
    for (const image of images) image.free();
    if (decoder.decoder) libheif.heif_context_free(decoder.decoder);
  }
}
