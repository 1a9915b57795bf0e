import { describe, expect, it } from 'vitest';
import { fineTuningWillNotHelp, largerModelAdvice, LARGER_BACKBONE_ID, type RunForAdvice } from './model-advice';

const hard: RunForAdvice = {
  backboneId: 'mobilenet-v2-0.35-224',
  accuracy: 0.78,
  smallestClass: 40,
  pictures: 900,
  imagesPerSecond: 30,
};

describe('advice beyond the defaults', () => {
  it('suggests the larger model for hard photos on a device that prepares them in minutes', () => {
    expect(largerModelAdvice(hard, false)).toEqual({ backboneId: LARGER_BACKBONE_ID, seconds: 90 });
  });

  it('does not suggest it when the photos are easy, too few, too slow to prepare, or on a phone', () => {
    expect(largerModelAdvice({ ...hard, accuracy: 0.95 }, false)).toBeNull();
    expect(largerModelAdvice({ ...hard, accuracy: null }, false)).toBeNull();
    expect(largerModelAdvice({ ...hard, smallestClass: 6 }, false)).toBeNull();
    expect(largerModelAdvice({ ...hard, imagesPerSecond: 2 }, false)).toBeNull();
    expect(largerModelAdvice({ ...hard, imagesPerSecond: null }, false)).toBeNull();
    expect(largerModelAdvice(hard, true)).toBeNull();
    expect(largerModelAdvice({ ...hard, backboneId: LARGER_BACKBONE_ID }, false)).toBeNull();
  });

  it('says fine-tuning will not help only when it is asked for with few photos', () => {
    expect(fineTuningWillNotHelp(0, 5)).toBe(false);
    expect(fineTuningWillNotHelp(1, 12)).toBe(true);
    expect(fineTuningWillNotHelp(2, 80)).toBe(false);
  });
});
