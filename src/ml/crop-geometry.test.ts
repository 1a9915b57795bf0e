import { describe, expect, it } from 'vitest';
import { clipToImage, frameSquare, modelDrawRects } from './crop-geometry';

const SQUARE = { x: 0, y: 0, width: 224, height: 224 };

describe('frameSquare', () => {
  it('takes the centred square inside the photo for a centre crop', () => {
    expect(frameSquare(640, 480, 'center')).toEqual({ x: 80, y: 0, width: 480, height: 480 });
    expect(frameSquare(300, 500, 'center')).toEqual({ x: 0, y: 100, width: 300, height: 300 });
  });

  it('takes the centred square around the photo when padding', () => {
    expect(frameSquare(640, 480, 'pad')).toEqual({ x: 0, y: -80, width: 640, height: 640 });
    expect(frameSquare(300, 500, 'pad')).toEqual({ x: -100, y: 0, width: 500, height: 500 });
  });

  it('is the whole photo either way for a square photo', () => {
    expect(frameSquare(400, 400, 'center')).toEqual(frameSquare(400, 400, 'pad'));
  });
});

describe('modelDrawRects', () => {
  it('centre crop: draws the middle square over the whole input, cutting off the sides', () => {
    expect(modelDrawRects(640, 480, 'center', SQUARE)).toEqual({
      source: { x: 80, y: 0, width: 480, height: 480 },
      dest: SQUARE,
    });
  });

  it('pad: draws the whole photo, centred, with equal bars above and below a wide photo', () => {
    expect(modelDrawRects(640, 480, 'pad', SQUARE)).toEqual({
      source: { x: 0, y: 0, width: 640, height: 480 },
      dest: { x: 0, y: 28, width: 224, height: 168 },
    });
  });

  it('pad: bars left and right of a tall photo', () => {
    expect(modelDrawRects(300, 600, 'pad', SQUARE)).toEqual({
      source: { x: 0, y: 0, width: 300, height: 600 },
      dest: { x: 56, y: 0, width: 112, height: 224 },
    });
  });

  it('an augmented crop is taken inside the padded square, so it can include the padding', () => {
    // The bottom-right 50% of the 640 × 640 padded square: x 320–640, y 240–560 of which the photo has y 240–480.
    const rects = modelDrawRects(640, 480, 'pad', SQUARE, { x: 0.5, y: 0.5, size: 0.5 });
    expect(rects).toEqual({
      source: { x: 320, y: 240, width: 320, height: 240 },
      dest: { x: 0, y: 0, width: 224, height: 168 },
    });
  });

  it('an augmented crop of a centre crop stays inside the photo, as before', () => {
    expect(modelDrawRects(640, 480, 'center', SQUARE, { x: 0.25, y: 0, size: 0.75 })).toEqual({
      source: { x: 200, y: 0, width: 360, height: 360 },
      dest: SQUARE,
    });
  });

  it('keeps the destination of a rotated drawing (centred on the origin) in proportion', () => {
    const dest = { x: -150, y: -150, width: 300, height: 300 };
    expect(modelDrawRects(200, 100, 'pad', dest)).toEqual({
      source: { x: 0, y: 0, width: 200, height: 100 },
      dest: { x: -150, y: -75, width: 300, height: 150 },
    });
  });
});

describe('clipToImage', () => {
  it('is null when the region misses the photo', () => {
    expect(clipToImage(100, 100, { x: 120, y: 0, width: 50, height: 50 }, SQUARE)).toBeNull();
  });
});
