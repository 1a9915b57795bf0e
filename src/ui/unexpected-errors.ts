/**
 * Where errorText sends an unexpected error (anything that is not one of Kiln's own messages): to the bar with
 * "Copy details" (UnexpectedError.svelte registers itself). A plain module, so code without a page can use errorText.
 */
let listener: ((error: unknown) => void) | null = null;

export function reportUnexpected(error: unknown): void {
  listener?.(error);
}

/** Registers the one listener; returns what unregisters it. */
export function onUnexpected(handler: (error: unknown) => void): () => void {
  listener = handler;
  return () => {
    if (listener === handler) listener = null;
  };
}

/**
 * Window "error" events that are not errors: Chrome reports a ResizeObserver callback that changed the layout again
 * as "ResizeObserver loop completed with undelivered notifications" (the spec's way of saying it delivered the rest
 * on the next frame). Nothing failed, so the person is not told something did.
 */
export function isBenignWindowError(message: unknown): boolean {
  return (
    typeof message === 'string' && /^ResizeObserver loop (completed with undelivered notifications|limit exceeded)/.test(message)
  );
}
