/**
 * Turns RGBA pixels (as a canvas gives them) into the backbone's input: RGB float32, scaled from
 * [0, 255] to `scaling`. Done in plain JS, once per image, so every backend sees identical input.
 */
export function rgbaToInput(
  rgba: ArrayLike<number>,
  pixelCount: number,
  scaling: readonly [number, number],
  out: Float32Array = new Float32Array(pixelCount * 3),
  outOffset = 0,
): Float32Array {
  const [low, high] = scaling;
  // For Teachable Machine's [-1, 255/127 - 1] this is exactly 1/127 up to float rounding.
  const scale = (high - low) / 255;
  if (rgba.length < pixelCount * 4) throw new Error(`Expected ${pixelCount * 4} RGBA values, got ${rgba.length}`);
  for (let i = 0, j = outOffset; i < pixelCount; i++, j += 3) {
    const k = i * 4;
    out[j] = rgba[k]! * scale + low;
    out[j + 1] = rgba[k + 1]! * scale + low;
    out[j + 2] = rgba[k + 2]! * scale + low;
  }
  return out;
}

/** Packs several images' RGBA pixels into one batch input. */
export function batchInput(images: readonly ArrayLike<number>[], size: number, scaling: readonly [number, number]): Float32Array {
  const perImage = size * size * 3;
  const out = new Float32Array(images.length * perImage);
  images.forEach((rgba, i) => rgbaToInput(rgba, size * size, scaling, out, i * perImage));
  return out;
}
