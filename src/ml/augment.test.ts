import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../api/settings';
import { augmentationFor, jitterColours, NO_AUGMENTATION, viewKey } from './augment';
import { seededRandom } from './random';

const all = { ...DEFAULT_SETTINGS.augmentation, views: 4 };

describe('augmentation', () => {
  it('draws the same transform for the same photo, view and seed, and another for another view', () => {
    expect(augmentationFor('abc', 1, 7, all)).toEqual(augmentationFor('abc', 1, 7, all));
    expect(augmentationFor('abc', 2, 7, all)).not.toEqual(augmentationFor('abc', 1, 7, all));
  });

  it('keeps every transform in its range, and switches each off on request', () => {
    for (let view = 1; view <= 50; view++) {
      const p = augmentationFor(`photo${view}`, view, 1, all);
      expect(Math.abs(p.angle)).toBeLessThanOrEqual(15);
      expect(p.crop.size).toBeGreaterThanOrEqual(0.7);
      expect(p.crop.x + p.crop.size).toBeLessThanOrEqual(1 + 1e-9);
      expect(p.crop.y + p.crop.size).toBeLessThanOrEqual(1 + 1e-9);
      for (const k of ['brightness', 'contrast', 'saturation'] as const) expect(Math.abs(p[k] - 1)).toBeLessThanOrEqual(0.25);
    }
    const none = augmentationFor('x', 3, 1, { ...NO_AUGMENTATION, views: all.views });
    expect(none).toEqual({ flip: false, angle: 0, crop: { x: 0, y: 0, size: 1 }, brightness: 1, contrast: 1, saturation: 1 });
  });

  it('colour jitter keeps the shape, the alpha and the 0–255 range', () => {
    const random = seededRandom(3);
    const rgba = Uint8ClampedArray.from({ length: 64 * 4 }, (_, i) => (i % 4 === 3 ? 255 : Math.floor(random() * 256)));
    const out = jitterColours(rgba.slice(), { brightness: 1.25, contrast: 1.25, saturation: 0.75 });
    expect(out.length).toBe(rgba.length);
    for (let i = 3; i < out.length; i += 4) expect(out[i]).toBe(255);
    expect(out.every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(out).not.toEqual(rgba);
    expect(jitterColours(rgba.slice(), { brightness: 1, contrast: 1, saturation: 1 })).toEqual(rgba);
  });

  it('gives each view and each set of transforms its own cache key', () => {
    expect(viewKey('center', 0, 1, all)).toBe('center');
    expect(viewKey('center', 1, 1, all)).not.toBe(viewKey('center', 2, 1, all));
    expect(viewKey('center', 1, 1, all)).not.toBe(viewKey('center', 1, 1, { ...all, flip: false }));
    expect(viewKey('center', 1, 1, all)).not.toBe(viewKey('center', 1, 2, all));
  });

  it('gives each crop mode its own cache key, for the photo and for its augmented views', () => {
    expect(viewKey('pad', 0, 1, all)).not.toBe(viewKey('center', 0, 1, all));
    expect(viewKey('pad', 1, 1, all)).not.toBe(viewKey('center', 1, 1, all));
  });
});
