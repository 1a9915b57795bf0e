/**
 * Plain-data readings of a heatmap (a grid of evidence in [0, 1], row after row): which part of the photo weighed
 * most, and how much of the evidence lies at the photo's edges rather than its centre. tf-free, so the page uses
 * them too (api/domain.ts).
 */

/** The nine parts of a photo, by thirds. Left and right are the photo's own, whatever the reading direction. */
export const EVIDENCE_REGIONS = [
  'topLeft',
  'top',
  'topRight',
  'left',
  'centre',
  'right',
  'bottomLeft',
  'bottom',
  'bottomRight',
] as const;
export type EvidenceRegion = (typeof EVIDENCE_REGIONS)[number];

export interface EvidenceGrid {
  rows: number;
  cols: number;
  heat: ArrayLike<number>;
}

function total(grid: EvidenceGrid): number {
  let sum = 0;
  for (let i = 0; i < grid.heat.length; i++) sum += grid.heat[i]!;
  return sum;
}

/** The third of the photo (of nine) holding the most evidence; null when there is none. */
export function strongestRegion(grid: EvidenceGrid): EvidenceRegion | null {
  if (total(grid) <= 0) return null;
  const mass = new Array<number>(9).fill(0);
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      // A cell on a boundary between thirds is shared between them, by how much of it lies in each.
      for (const [band, rowShare] of thirds(r, grid.rows)) {
        for (const [column, colShare] of thirds(c, grid.cols)) {
          mass[band * 3 + column]! += grid.heat[r * grid.cols + c]! * rowShare * colShare;
        }
      }
    }
  }
  return EVIDENCE_REGIONS[mass.indexOf(Math.max(...mass))]!;
}

/** Which thirds cell `i` of `n` overlaps, and by how much of the cell. */
function thirds(i: number, n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let third = 0; third < 3; third++) {
    const overlap = Math.min(i + 1, ((third + 1) * n) / 3) - Math.max(i, (third * n) / 3);
    if (overlap > 1e-9) out.push([third, overlap]);
  }
  return out;
}

/**
 * The share of the evidence in the outer ring of cells (the photo's edges: at 7 × 7, the outer 32 of 224 pixels on
 * each side, 24 of 49 cells). Evidence spread evenly gives `edgeArea`; an object in the middle, much less.
 */
export function edgeShare(grid: EvidenceGrid): number {
  const sum = total(grid);
  if (sum <= 0) return 0;
  let edge = 0;
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      if (r === 0 || c === 0 || r === grid.rows - 1 || c === grid.cols - 1) edge += grid.heat[r * grid.cols + c]!;
    }
  }
  return edge / sum;
}

/** The share of the photo's area that the edge ring covers. */
export function edgeArea(rows: number, cols: number): number {
  if (rows <= 2 || cols <= 2) return 1;
  return 1 - ((rows - 2) * (cols - 2)) / (rows * cols);
}
