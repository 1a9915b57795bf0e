/**
 * Keeps the guided tour's panel and the control its step names on screen together, at any window size and in any
 * language. The panel (src/ui/components/GuidedTour.svelte) sticks to the bottom of the window; the page keeps that
 * much room below whatever it scrolls into view (`scroll-padding-bottom`, from --tour-panel-space), so neither the
 * step's control nor a control reached with the Tab key ends up behind the panel. When the panel opens or its step,
 * screen or language changes, the named control is scrolled into view above it.
 *
 * A control the tour can name carries `data-tour-target` (see TourControl); the panel's own buttons and links need
 * none.
 */

/** The controls a step can name, marked in the screens with `data-tour-target`. */
export type TourControl = 'webcam' | 'train' | 'preview';

/** A step's named control: one on the screen (in a class card when `classId` is given), or the panel's own. */
export type TourTarget = { control: TourControl; classId?: string } | null;

/** The CSS selector of a target on the screen. */
export function targetSelector(target: NonNullable<TourTarget>): string {
  const control = `[data-tour-target="${target.control}"]`;
  return target.classId ? `[data-class-id="${CSS.escape(target.classId)}"] ${control}` : control;
}

/** Room the page keeps below what it scrolls into view, while the panel is shown: its height and a margin. */
export function keepRoomFor(panelHeight: number): () => void {
  const root = document.documentElement;
  root.style.setProperty('--tour-panel-space', `${Math.ceil(panelHeight) + 16}px`);
  return () => root.style.removeProperty('--tour-panel-space');
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Whether the element is wholly in the window and not behind the panel. */
function inView(element: Element, panel: Element): boolean {
  const box = element.getBoundingClientRect();
  const panelTop = panel.contains(element) ? innerHeight : panel.getBoundingClientRect().top;
  return box.top >= 0 && box.bottom <= Math.min(innerHeight, panelTop) && box.left >= 0 && box.right <= innerWidth;
}

let latest = 0;
/** The control the current step names, outlined (`data-tour-named`, styled in app.css) so the eye finds it. */
let named: HTMLElement | null = null;

function mark(control: HTMLElement | null): void {
  if (named === control) return;
  named?.removeAttribute('data-tour-named');
  named = control;
  named?.setAttribute('data-tour-named', '');
}

/** The panel closed: nothing is named any more. */
export function forgetNamed(): void {
  latest++;
  mark(null);
}

/**
 * Scrolls the step's control into view above the panel (the panel itself is always in view), once the screen has
 * drawn it: a screen opened a moment ago may still be loading its project. A newer call supersedes an older one.
 */
export async function revealStep(panel: HTMLElement | null, target: TourTarget): Promise<void> {
  const call = ++latest;
  mark(null);
  for (let tries = 0; tries < 120; tries++) {
    await frame();
    if (call !== latest || !panel?.isConnected) return;
    const control = target ? document.querySelector<HTMLElement>(targetSelector(target)) : null;
    if (target && !control?.getClientRects().length) continue;
    mark(control);
    const element = control ?? panel;
    if (inView(element, panel)) return;
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    // The panel's own control: it scrolls inside the panel, if anywhere. A control on the screen: to the middle of
    // the room above the panel, with what is around it.
    element.scrollIntoView({ block: control ? 'center' : 'nearest', inline: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    return;
  }
}
