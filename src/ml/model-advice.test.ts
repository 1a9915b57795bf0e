import { describe, expect, it } from 'vitest';
import { fineTuningWillNotHelp, largerModelAdvice, LARGER_BACKBONE_ID, type RunForAdvice } from './model-advice';

const hard: RunForAdvice = {
  backboneId: 'mobilenet-v2-0.35-224',
  accuracy: 0.78,
  smallestClass: 40,
  pictures: 900,
  imagesPerSecond: 30,
};

const V3 = 'mobilenet-v3-small-1.0-224';
/** What the studio offers where the build did not bring MobileNetV3-Small along, and where it did. */
const PUBLIC_ONLY = ['mobilenet-v2-0.35-224', 'mobilenet-v2-0.50-224', LARGER_BACKBONE_ID];
const WITH_V3 = [...PUBLIC_ONLY, V3];

describe('advice beyond the defaults', () => {
  it('suggests the larger model for hard photos on a device that prepares them in minutes', () => {
    expect(largerModelAdvice(hard, false, PUBLIC_ONLY)).toEqual({ backboneId: LARGER_BACKBONE_ID, seconds: 90 });
  });

  it('suggests MobileNetV3-Small first where it is offered (same time), then MobileNetV2 1.00 after it', () => {
    expect(largerModelAdvice(hard, false, WITH_V3)).toEqual({ backboneId: V3, seconds: 30 });
    expect(largerModelAdvice({ ...hard, backboneId: V3 }, false, WITH_V3)).toEqual({
      backboneId: LARGER_BACKBONE_ID,
      seconds: 90,
    });
    // Fast enough for MobileNetV3-Small but not for three times as long: only the first is suggested.
    expect(largerModelAdvice({ ...hard, imagesPerSecond: 5 }, false, WITH_V3)).toEqual({ backboneId: V3, seconds: 180 });
    expect(largerModelAdvice({ ...hard, imagesPerSecond: 5 }, false, PUBLIC_ONLY)).toBeNull();
    expect(largerModelAdvice({ ...hard, backboneId: V3, accuracy: 0.95 }, false, WITH_V3)).toBeNull();
  });

  it('does not suggest it when the photos are easy, too few, too slow to prepare, or on a phone', () => {
    expect(largerModelAdvice({ ...hard, accuracy: 0.95 }, false, WITH_V3)).toBeNull();
    expect(largerModelAdvice({ ...hard, accuracy: null }, false, WITH_V3)).toBeNull();
    expect(largerModelAdvice({ ...hard, smallestClass: 6 }, false, WITH_V3)).toBeNull();
    expect(largerModelAdvice({ ...hard, imagesPerSecond: 2 }, false, WITH_V3)).toBeNull();
    expect(largerModelAdvice({ ...hard, imagesPerSecond: null }, false, WITH_V3)).toBeNull();
    expect(largerModelAdvice(hard, true, WITH_V3)).toBeNull();
    expect(largerModelAdvice({ ...hard, backboneId: LARGER_BACKBONE_ID }, false, WITH_V3)).toBeNull();
  });

  it('says fine-tuning will not help only when it is asked for with few photos', () => {
    expect(fineTuningWillNotHelp(0, 5)).toBe(false);
    expect(fineTuningWillNotHelp(1, 12)).toBe(true);
    expect(fineTuningWillNotHelp(2, 80)).toBe(false);
  });
});
