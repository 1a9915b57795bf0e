/**
 * The gallery's selection, as a file manager has it: click selects one, ctrl/cmd-click toggles, shift-click
 * and shift+arrows select a range from the anchor. Pure: every change returns a new value. Photos are named by
 * id, so a new sort order keeps what is selected.
 */
export interface Selection {
  readonly selected: ReadonlySet<string>;
  /** Where a range starts (the last photo clicked or toggled). */
  readonly anchor: string | null;
  /** The photo that has the keyboard focus (roving tabindex). */
  readonly focus: string | null;
}

export const emptySelection: Selection = { selected: new Set(), anchor: null, focus: null };

function range(ids: readonly string[], from: number, to: number): string[] {
  const [start, end] = from <= to ? [from, to] : [to, from];
  return ids.slice(start, end + 1);
}

function indexOr(ids: readonly string[], id: string | null, fallback: number): number {
  const index = id === null ? -1 : ids.indexOf(id);
  return index === -1 ? fallback : index;
}

/** A click (or tap) on the photo at `index`. */
export function click(
  selection: Selection,
  ids: readonly string[],
  index: number,
  mods: { toggle: boolean; range: boolean },
): Selection {
  const id = ids[index];
  if (id === undefined) return selection;
  if (mods.range && selection.anchor !== null) {
    const span = range(ids, indexOr(ids, selection.anchor, index), index);
    const selected = new Set(mods.toggle ? [...selection.selected, ...span] : span);
    return { selected, anchor: selection.anchor, focus: id };
  }
  if (mods.toggle) return toggle(selection, id);
  return { selected: new Set([id]), anchor: id, focus: id };
}

/** Selects the photo or unselects it, leaving the others as they are (ctrl-click, Space, a tap in selection mode). */
export function toggle(selection: Selection, id: string): Selection {
  const selected = new Set(selection.selected);
  if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  return { selected, anchor: id, focus: id };
}

/** Moves the focus by `delta` places (±1 across, ±columns down or up); `extend` selects from the anchor to it. */
export function moveFocus(selection: Selection, ids: readonly string[], delta: number, extend: boolean): Selection {
  if (ids.length === 0) return selection;
  const from = indexOr(ids, selection.focus, 0);
  const to = selection.focus === null ? 0 : Math.min(ids.length - 1, Math.max(0, from + delta));
  const focus = ids[to]!;
  if (!extend) return { ...selection, focus };
  const anchor = selection.anchor ?? ids[from]!;
  return { selected: new Set(range(ids, indexOr(ids, anchor, from), to)), anchor, focus };
}

/** Puts the focus on a photo without changing what is selected (e.g. Home, End, a focus event). */
export function focusOn(selection: Selection, id: string): Selection {
  return selection.focus === id ? selection : { ...selection, focus: id };
}

export function selectAll(selection: Selection, ids: readonly string[]): Selection {
  return { selected: new Set(ids), anchor: selection.anchor ?? ids[0] ?? null, focus: selection.focus ?? ids[0] ?? null };
}

export function clearSelection(selection: Selection): Selection {
  return { selected: new Set(), anchor: null, focus: selection.focus };
}

/** Forgets photos that are gone (deleted, moved away); the focus falls on the nearest one left. */
export function keepOnly(selection: Selection, ids: readonly string[], previousIds: readonly string[] = ids): Selection {
  const present = new Set(ids);
  const selected = new Set([...selection.selected].filter((id) => present.has(id)));
  let focus = selection.focus;
  if (focus !== null && !present.has(focus)) {
    const was = previousIds.indexOf(focus);
    const after = previousIds.slice(was + 1).find((id) => present.has(id));
    focus = after ?? [...previousIds.slice(0, Math.max(0, was))].reverse().find((id) => present.has(id)) ?? ids[0] ?? null;
  }
  const anchor = selection.anchor !== null && present.has(selection.anchor) ? selection.anchor : null;
  if (selected.size === selection.selected.size && focus === selection.focus && anchor === selection.anchor) return selection;
  return { selected, anchor, focus };
}
