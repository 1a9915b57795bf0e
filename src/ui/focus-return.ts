import { tick } from 'svelte';

/**
 * Focus return (WCAG 2.4.3 Focus order). When something that holds keyboard focus closes (a dialog, a live
 * preview, the tour panel), focus goes back to the control that opened it; when that control is gone (the thing
 * was deleted, the screen changed), to something visible on the screen. Never to <body>, where keyboard and
 * screen-reader users would have to start again from the top of the page.
 */

/** What focus return needs of an element (an HTMLElement has it), so the choice can be tested without a DOM. */
export interface FocusTarget {
  readonly isConnected: boolean;
  focus(options?: FocusOptions): void;
}

/**
 * Focuses the first candidate that is still in the page and really takes focus (a disabled or hidden one does not).
 * Returns the one that did, or null.
 */
export function focusFirst<T extends FocusTarget>(candidates: Iterable<T | null | undefined>, focused: () => unknown): T | null {
  for (const candidate of candidates) {
    if (!candidate?.isConnected) continue;
    candidate.focus();
    if (focused() === candidate) return candidate;
  }
  return null;
}

/** The element with focus now, or null when focus is lost (on <body>, or nowhere). */
export function currentFocus(): HTMLElement | null {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/** Shown on screen: a visually hidden element (1px, clipped) or one in a closed part of the page is not. */
function visible(element: HTMLElement): boolean {
  const box = element.getBoundingClientRect();
  return box.width > 1 && box.height > 1;
}

/** Makes a heading or landmark focusable by script only (not a Tab stop). */
function scriptFocusable(element: HTMLElement | null): HTMLElement | null {
  if (element && !element.hasAttribute('tabindex')) element.tabIndex = -1;
  return element;
}

/** Where focus goes on the current screen when its opener is gone, best first: all visible. */
function screenFallbacks(): (HTMLElement | null)[] {
  const heading = document.querySelector<HTMLElement>('main h1');
  return [
    heading && visible(heading) ? scriptFocusable(heading) : null,
    // The project's step the person is on ("1. Classes and photos"), where the screen's title is visually hidden.
    document.querySelector<HTMLElement>('main nav [aria-current="page"]'),
    scriptFocusable(document.querySelector<HTMLElement>('main')),
  ];
}

export type Fallback = () => HTMLElement | null | undefined;

/**
 * Watches the element that was given focus: if it then leaves the page while it still has focus (the class it
 * belongs to is deleted a moment after its confirm dialog closed), `lost` runs. It stops once focus moves on.
 */
function watchRemoval(element: HTMLElement, lost: () => void): void {
  const observer = new MutationObserver(() => {
    if (element.isConnected) return;
    stop();
    if (!currentFocus()) lost();
  });
  const onblur = () =>
    queueMicrotask(() => {
      if (element.isConnected) stop();
    });
  function stop() {
    observer.disconnect();
    element.removeEventListener('blur', onblur);
  }
  observer.observe(document.body, { childList: true, subtree: true });
  element.addEventListener('blur', onblur);
}

/** Once the page has settled (closing can change the screen), focuses the fallback or the screen's, if still lost. */
function settleFocus(fallback?: Fallback): void {
  void tick().then(() => {
    if (currentFocus()) return;
    const placed = focusFirst([fallback?.(), ...screenFallbacks()], () => document.activeElement);
    if (placed) watchRemoval(placed, () => settleFocus(fallback));
  });
}

/**
 * Puts focus back on `opener`; when it is gone (now or a moment later), on `fallback`'s element, else on the
 * screen's visible title or current step. Focus that has moved on meanwhile is left alone.
 */
export function returnFocus(opener: HTMLElement | null, fallback?: Fallback): void {
  const placed = focusFirst([opener], () => document.activeElement);
  if (placed) watchRemoval(placed, () => settleFocus(fallback));
  else settleFocus(fallback);
}

/**
 * Remembers the focused element now (call it when a dialog or panel opens); the function it returns gives focus
 * back to it, or to a fallback when it is gone (see returnFocus). Every dialog gets this from src/ui/kit/Dialog.svelte:
 * when a dialog closes because Svelte removes it, the <dialog> is already out of the page when close() runs, so
 * the browser cannot give focus back itself and it would fall to <body>.
 */
export function rememberFocus(fallback?: Fallback): () => void {
  const opener = currentFocus();
  return () => returnFocus(opener, fallback);
}
