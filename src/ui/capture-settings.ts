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
