import { describe, expect, it } from 'vitest';
import { exportedCropMode } from './tm-format';

describe('exportedCropMode', () => {
  it('reads Kiln’s own field, and takes Teachable Machine’s exports as centre-cropped', () => {
    expect(exportedCropMode({ userMetadata: { kiln: { cropMode: 'pad' } } })).toBe('pad');
    expect(exportedCropMode({ userMetadata: { kiln: { cropMode: 'center' } } })).toBe('center');
    expect(exportedCropMode({ userMetadata: {} })).toBe('center');
    expect(exportedCropMode({ userMetadata: { kiln: { cropMode: 'stretch' } } })).toBe('center');
    expect(exportedCropMode({ userMetadata: { kiln: 'pad' } })).toBe('center');
  });
});
