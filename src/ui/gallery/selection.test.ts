import { describe, expect, it } from 'vitest';
import { clearSelection, click, emptySelection, keepOnly, moveFocus, selectAll, toggle, type Selection } from './selection';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const plain = { toggle: false, range: false };
const chosen = (s: Selection) => [...s.selected].sort();

describe('gallery selection', () => {
  it('a click selects only that photo and makes it the anchor', () => {
    let s = click(emptySelection, ids, 1, plain);
    s = click(s, ids, 3, plain);
    expect(chosen(s)).toEqual(['d']);
    expect(s.anchor).toBe('d');
    expect(s.focus).toBe('d');
  });

  it('ctrl-click toggles one photo and keeps the others', () => {
    let s = click(emptySelection, ids, 0, plain);
    s = click(s, ids, 2, { toggle: true, range: false });
    expect(chosen(s)).toEqual(['a', 'c']);
    s = click(s, ids, 0, { toggle: true, range: false });
    expect(chosen(s)).toEqual(['c']);
  });

  it('shift-click selects the range from the anchor, either way, replacing the selection', () => {
    let s = click(emptySelection, ids, 3, plain);
    s = click(s, ids, 1, { toggle: false, range: true });
    expect(chosen(s)).toEqual(['b', 'c', 'd']);
    s = click(s, ids, 5, { toggle: false, range: true });
    expect(chosen(s)).toEqual(['d', 'e', 'f']);
    expect(s.anchor).toBe('d');
  });

  it('ctrl+shift-click adds a range to the selection', () => {
    let s = click(emptySelection, ids, 0, plain);
    s = click(s, ids, 4, { toggle: true, range: false });
    s = click(s, ids, 5, { toggle: true, range: true });
    expect(chosen(s)).toEqual(['a', 'e', 'f']);
  });

  it('arrows move the focus only; shift+arrows extend from the anchor; it stops at the ends', () => {
    let s = moveFocus(emptySelection, ids, 1, false);
    expect(s.focus).toBe('a');
    s = moveFocus(s, ids, 3, false);
    expect(s.focus).toBe('d');
    expect(chosen(s)).toEqual([]);
    s = moveFocus(s, ids, 1, true);
    expect(chosen(s)).toEqual(['d', 'e']);
    s = moveFocus(s, ids, 10, true);
    expect(s.focus).toBe('f');
    expect(chosen(s)).toEqual(['d', 'e', 'f']);
    s = moveFocus(s, ids, -100, false);
    expect(s.focus).toBe('a');
  });

  it('Space toggles, select all takes every photo, clear empties', () => {
    let s = toggle(emptySelection, 'c');
    expect(chosen(s)).toEqual(['c']);
    s = toggle(s, 'c');
    expect(chosen(s)).toEqual([]);
    s = selectAll(s, ids);
    expect(s.selected.size).toBe(6);
    s = clearSelection(s);
    expect(s.selected.size).toBe(0);
    expect(s.focus).toBe('c');
  });

  it('forgets photos that went away and moves the focus to the next one left', () => {
    let s = click(emptySelection, ids, 1, plain);
    s = click(s, ids, 3, { toggle: false, range: true });
    const left = ['a', 'e', 'f'];
    s = keepOnly(s, left, ids);
    expect(chosen(s)).toEqual([]);
    expect(s.focus).toBe('e');
    expect(keepOnly(s, left, left)).toBe(s);
  });
});
