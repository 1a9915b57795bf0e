/**
 * The one place an unexpected error (a bug, a browser failure: anything that is not one of Kiln's own messages with
 * what to do) goes. The page shows a plain sentence instead of the raw text; the raw text, its stack and where Kiln
 * ran are kept here for "Copy details", so whoever helps can see what happened.
 */
import { KILN_VERSION } from '../../shared/version';

class Unexpected {
  /** What "Copy details" copies; null when nothing unexpected happened since the last dismissal. */
  details = $state<string | null>(null);
  /** Whether it was caught by no one (then the bar itself says what happened). */
  uncaught = $state(false);

  note(error: unknown, uncaught = false): void {
    const text =
      error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}`.trim() : `Error: ${String(error)}`;
    this.details = [
      `Kiln ${KILN_VERSION} on ${typeof navigator === 'undefined' ? 'unknown' : navigator.userAgent}`,
      `Page: ${typeof location === 'undefined' ? 'unknown' : location.pathname + location.hash}`,
      `Time: ${new Date().toISOString()}`,
      '',
      text,
    ].join('\n');
    this.uncaught = uncaught;
  }

  dismiss(): void {
    this.details = null;
    this.uncaught = false;
  }
}

export const unexpected = new Unexpected();
