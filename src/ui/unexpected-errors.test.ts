import { describe, expect, it } from 'vitest';
import { UserError } from '../api/user-message';
import { errorText } from './i18n/messages';
import { isBenignWindowError, onUnexpected } from './unexpected-errors';

describe('errors shown to a person', () => {
  it('shows Kiln’s own message, and never a raw browser or TensorFlow.js error: that goes to "Copy details"', () => {
    const seen: unknown[] = [];
    const stop = onUnexpected((error) => seen.push(error));
    const raw = new Error("Failed to execute 'mapAsync' on 'GPUBuffer': The Device was lost.");
    expect(errorText(new UserError('class.gone', 'This class no longer exists.'))).toBe('This class no longer exists.');
    const shown = errorText(raw);
    expect(shown).not.toContain('mapAsync');
    expect(shown).toMatch(/^Something unexpected went wrong, and nothing saved was lost\./);
    expect(seen).toEqual([raw]);
    stop();
  });

  it('does not call Chrome’s ResizeObserver notice an error, and still reports every other uncaught one', () => {
    expect(isBenignWindowError('ResizeObserver loop completed with undelivered notifications.')).toBe(true);
    expect(isBenignWindowError('ResizeObserver loop limit exceeded')).toBe(true);
    expect(isBenignWindowError('Uncaught TypeError: x is undefined')).toBe(false);
    expect(isBenignWindowError('Script error. ResizeObserver loop completed')).toBe(false);
    expect(isBenignWindowError(undefined)).toBe(false);
  });
});
