/**
 * How far a key moves the gallery's focus, in photo order (undefined: not a moving key). The grid is laid
 * out in the reading direction, so in a right-to-left language the first photo is on the right and → goes
 * back one, ← forward one; up and down move a row either way.
 */
export function focusStep(key: string, cols: number, count: number, dir: 'ltr' | 'rtl' = 'ltr'): number | undefined {
  const forward = dir === 'rtl' ? -1 : 1;
  switch (key) {
    case 'ArrowRight':
      return forward;
    case 'ArrowLeft':
      return -forward;
    case 'ArrowDown':
      return cols;
    case 'ArrowUp':
      return -cols;
    case 'PageDown':
      return cols * 3;
    case 'PageUp':
      return -cols * 3;
    case 'Home':
      return -count;
    case 'End':
      return count;
    default:
      return undefined;
  }
}
