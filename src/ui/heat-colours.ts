/**
 * The heatmap's colours: a ramp from deep purple through red to yellow (like matplotlib's "inferno", readable with
 * the common colour-vision deficiencies), more opaque where the evidence is stronger, so the photo shows through
 * where there is none.
 */
const STOPS: [number, [number, number, number]][] = [
  [0, [40, 11, 84]],
  [0.35, [159, 42, 99]],
  [0.65, [237, 105, 37]],
  [1, [252, 255, 164]],
];

export function heatColour(value: number): [number, number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  let i = 1;
  while (i < STOPS.length - 1 && v > STOPS[i]![0]) i++;
  const [a, from] = STOPS[i - 1]!;
  const [b, to] = STOPS[i]!;
  const f = (v - a) / (b - a);
  const rgb = from.map((c, k) => Math.round(c + (to[k]! - c) * f)) as [number, number, number];
  return [...rgb, Math.round(255 * (0.15 + 0.6 * v))];
}

/** CSS for the legend's bar, the same ramp. */
export const HEAT_GRADIENT = `linear-gradient(to right, ${STOPS.map(([at, [r, g, b]]) => `rgb(${r} ${g} ${b}) ${at * 100}%`).join(', ')})`;

/** The grid as RGBA pixels, one per cell (the canvas smooths it when it is drawn larger). */
export function heatPixels(heat: readonly number[], rows: number, cols: number): ImageData {
  const image = new ImageData(cols, rows);
  heat.forEach((value, i) => image.data.set(heatColour(value), i * 4));
  return image;
}
