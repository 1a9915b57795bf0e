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
