import { describe, expect, it } from 'vitest';
import { focusStep } from './keys';
import { emptySelection, moveFocus } from './selection';

describe('gallery arrow keys', () => {
  it('move along the reading direction: → is the next photo left to right, the previous one right to left', () => {
    expect(focusStep('ArrowRight', 4, 20, 'ltr')).toBe(1);
    expect(focusStep('ArrowLeft', 4, 20, 'ltr')).toBe(-1);
    expect(focusStep('ArrowRight', 4, 20, 'rtl')).toBe(-1);
    expect(focusStep('ArrowLeft', 4, 20, 'rtl')).toBe(1);
    expect(focusStep('ArrowRight', 4, 20)).toBe(1);
  });

  it('move a row, a page or to either end the same way in both directions', () => {
    for (const dir of ['ltr', 'rtl'] as const) {
      expect(focusStep('ArrowDown', 4, 20, dir)).toBe(4);
      expect(focusStep('ArrowUp', 4, 20, dir)).toBe(-4);
      expect(focusStep('PageDown', 4, 20, dir)).toBe(12);
      expect(focusStep('PageUp', 4, 20, dir)).toBe(-12);
      expect(focusStep('Home', 4, 20, dir)).toBe(-20);
      expect(focusStep('End', 4, 20, dir)).toBe(20);
    }
  });

  it('ignores other keys', () => {
    expect(focusStep(' ', 4, 20)).toBeUndefined();
    expect(focusStep('Enter', 4, 20, 'rtl')).toBeUndefined();
  });

  it('in Arabic, → from the second photo focuses the first', () => {
    const ids = ['a', 'b', 'c'];
    const at = { ...emptySelection, focus: 'b' };
    expect(moveFocus(at, ids, focusStep('ArrowRight', 3, ids.length, 'rtl')!, false).focus).toBe('a');
    expect(moveFocus(at, ids, focusStep('ArrowLeft', 3, ids.length, 'rtl')!, false).focus).toBe('c');
  });
});
