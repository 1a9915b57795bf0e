/**
 * An attachment for feedback that appears after a tap, such as the Train screen's progress: when the element gets
 * content (its height goes from nothing to something), it is scrolled into view if it is not wholly in view, so
 * on a phone the person sees what their tap started without looking for it. It moves the page only then, never
 * while the person scrolls. Use: `<div {@attach revealWhenShown}>`.
 */
export function revealWhenShown(element: HTMLElement): () => void {
  let shown = element.offsetHeight > 0;
  const observer = new ResizeObserver(() => {
    const now = element.offsetHeight > 0;
    if (now && !shown) {
      const box = element.getBoundingClientRect();
      // Room kept at the bottom of the window (the guided tour's panel) does not count as in view.
      const room = parseFloat(getComputedStyle(document.documentElement).scrollPaddingBottom) || 0;
      if (box.top < 0 || box.bottom > innerHeight - room) {
        const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
        element.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
      }
    }
    shown = now;
  });
  observer.observe(element);
  return () => observer.disconnect();
}
