import { describe, expect, it } from 'vitest';
import { focusFirst, type FocusTarget } from './focus-return';

interface FakeTarget extends FocusTarget {
  readonly name: string;
}

/** Stand-in elements: `takes` false is one the browser will not focus (disabled, hidden). */
function fakePage() {
  let active: FakeTarget | null = null;
  function FakeTarget(name: string, isConnected = true, takes = true): FakeTarget {
    const target: FakeTarget = {
      name,
      isConnected,
      focus() {
        if (isConnected && takes) active = target;
      },
    };
    return target;
  }
  return { FakeTarget, focused: () => active };
}

describe('focusFirst', () => {
  it('gives focus back to the opener while it is still in the page', () => {
    const { FakeTarget, focused } = fakePage();
    const opener = FakeTarget('opener');
    const heading = FakeTarget('heading');
    expect(focusFirst([opener, heading], focused)).toBe(opener);
    expect(focused()).toBe(opener);
  });

  it('falls back when the opener was removed (the thing it opened was deleted)', () => {
    const { FakeTarget, focused } = fakePage();
    const heading = FakeTarget('heading');
    expect(focusFirst([FakeTarget('deleted', false), heading], focused)).toBe(heading);
    expect(focused()).toBe(heading);
  });

  it('skips candidates that are missing or refuse focus', () => {
    const { FakeTarget, focused } = fakePage();
    const link = FakeTarget('link');
    expect(focusFirst([null, undefined, FakeTarget('disabled', true, false), link], focused)).toBe(link);
    expect(focused()).toBe(link);
  });

  it('returns null and leaves focus alone when nothing can take it', () => {
    const { FakeTarget, focused } = fakePage();
    expect(focusFirst([FakeTarget('gone', false), null], focused)).toBeNull();
    expect(focused()).toBeNull();
  });
});
