import { describe, expect, it } from 'vitest';
import { UserError } from '../api/user-message';
import { errorText } from './i18n/messages';
import { onUnexpected } from './unexpected-errors';

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
});
