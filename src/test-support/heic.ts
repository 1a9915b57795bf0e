/**
 * Real HEIC photos made inside a test (no committed binaries): elheif, a dev-only build of libheif with the kvazaar
 * HEVC encoder, turns RGBA pixels into an iPhone-style .heic file. Node only (unit tests and e2e specs).
 */
import { createRequire } from 'node:module';

interface Elheif {
  onRuntimeInitialized?: () => void;
  jsEncodeImage(rgba: Uint8Array, width: number, height: number): { err: string; data: Uint8Array };
}

let encoder: Promise<Elheif> | null = null;

function loadEncoder(): Promise<Elheif> {
  encoder ??= (async () => {
    // elheif's own entry imports its Emscripten file without an extension, which Node refuses; load that file
    // directly (it installs a global initialiser) and initialise it as the entry would.
    const entry = createRequire(import.meta.url).resolve('elheif/pkg/elheif-wasm.js');
    await import(/* @vite-ignore */ `file://${entry}`);
    const init = (globalThis as { __init__ELHEIF_MODULE?: (module: Elheif) => void }).__init__ELHEIF_MODULE!;
    const module = {} as Elheif;
    await new Promise<void>((resolve) => {
      module.onRuntimeInitialized = resolve;
      init(module);
    });
    return module;
  })();
  return encoder;
}

/** A HEIC file of the given RGBA pixels. */
export async function encodeHeic(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const { err, data } = (await loadEncoder()).jsEncodeImage(rgba, width, height);
  if (err) throw new Error(`elheif could not encode: ${err}`);
  return data.slice();
}

/** A HEIC photo in four coloured quarters (top left red, top right green, bottom left blue, bottom right white). */
export async function quarteredHeic(width = 64, height = 48): Promise<Uint8Array> {
  return encodeHeic(quarteredPixels(width, height), width, height);
}

export const QUARTER_COLOURS = [
  [220, 30, 30],
  [30, 200, 40],
  [30, 40, 220],
  [240, 240, 240],
] as const;

export function quarteredPixels(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = QUARTER_COLOURS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]!;
      rgba.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}
