import { formatNumber } from './i18n/format';
import { t } from './i18n/i18n';

/** How the collect webcam captures: the rate for hold-to-record and bursts, the countdown, and the burst size. */
export interface CaptureSettingsValue {
  framesPerSecond: number;
  /** 0 = off. Applies to "Take photo" and "Start burst"; hold-to-record starts at once (you are holding it). */
  countdownSeconds: number;
  burstSize: number;
}

export const FRAME_RATES = [2, 5, 8, 10, 15] as const;
export const COUNTDOWNS = [0, 3, 5] as const;
export const BURST_SIZES = [5, 10, 20, 50] as const;

export const DEFAULT_CAPTURE_SETTINGS: CaptureSettingsValue = { framesPerSecond: 8, countdownSeconds: 0, burstSize: 10 };

/** The rate list's option: "8" (in the language's digits). */
export function frameRateLabel(rate: number): string {
  return formatNumber(rate);
}

/** The countdown list's option: "Off" or "3 s". */
export function countdownLabel(seconds: number): string {
  return seconds === 0 ? t('capture.countdownOff') : t('units.seconds', { value: formatNumber(seconds) });
}

/** The burst list's option: "10". */
export function burstSizeLabel(size: number): string {
  return formatNumber(size);
}
