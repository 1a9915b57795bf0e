/**
 * Which camera to open: the front or back camera by facing mode, or one listed device. Pure helpers (no
 * DOM state of their own) shared by the collect and live-preview webcams; the chosen camera is remembered
 * per browser in localStorage.
 */

import { formatNumber } from './i18n/format';
import { t } from './i18n/i18n';

/** `user` = front camera, `environment` = back camera, `device:<id>` = one device from the list. */
export type CameraChoice = 'user' | 'environment' | `device:${string}`;

export interface CameraOption {
  value: CameraChoice;
  label: string;
}

const STORAGE_KEY = 'kiln-camera';

export function isCameraChoice(value: unknown): value is CameraChoice {
  return value === 'user' || value === 'environment' || (typeof value === 'string' && /^device:.+/.test(value));
}

/** Phones and tablets (touch first) photograph objects with the back camera; laptops use their only, front camera. */
export function defaultChoice(touchPrimary: boolean): CameraChoice {
  return touchPrimary ? 'environment' : 'user';
}

export function isTouchPrimary(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}

/** The remembered choice, or the default for this kind of device. A broken or blocked storage never throws. */
export function storedChoice(storage: Pick<Storage, 'getItem'> | null = safeStorage()): CameraChoice {
  let saved: string | null;
  try {
    saved = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    saved = null;
  }
  return isCameraChoice(saved) ? saved : defaultChoice(isTouchPrimary());
}

export function rememberChoice(choice: CameraChoice, storage: Pick<Storage, 'setItem'> | null = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, choice);
  } catch {
    // Private mode or a full quota: the choice still applies until the page closes.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * getUserMedia constraints for a choice. A facing mode is only "ideal", so a laptop with one camera still
 * opens it; a listed device is "exact", so a camera that has gone fails (OverconstrainedError) instead of
 * silently showing another one.
 */
export function videoConstraints(choice: CameraChoice | null): MediaTrackConstraints {
  const size = { width: { ideal: 640 }, height: { ideal: 480 } };
  if (choice === null) return size;
  if (choice === 'user' || choice === 'environment') return { ...size, facingMode: { ideal: choice } };
  return { ...size, deviceId: { exact: choice.slice('device:'.length) } };
}

/**
 * The chooser's options: front, back, then every listed camera by its label (or a number before permission).
 * Labels are in the current language: call it inside a $derived so they follow a language switch.
 */
export function cameraOptions(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>[]): CameraOption[] {
  const cameras = devices.filter((d) => d.kind === 'videoinput' && d.deviceId !== '');
  return [
    { value: 'user', label: t('camera.front') },
    { value: 'environment', label: t('camera.back') },
    ...cameras.map((d, i): CameraOption => ({
      value: `device:${d.deviceId}`,
      label: d.label || t('camera.numbered', { number: formatNumber(i + 1) }),
    })),
  ];
}

/** Whether the view should be mirrored by default: yes for a front camera (like a mirror), no for a back one. */
export function mirroredByDefault(choice: CameraChoice, trackFacing: string | undefined): boolean {
  if (trackFacing === 'environment') return false;
  if (trackFacing === 'user') return true;
  return choice !== 'environment';
}

/** The quick switch between front and back: from the back camera to the front one, from anything else to the back. */
export function flippedChoice(choice: CameraChoice): CameraChoice {
  return choice === 'environment' ? 'user' : 'environment';
}

/** Errors that mean "this camera is not there": worth falling back to any camera. */
export function isMissingCamera(error: unknown): boolean {
  // Not `instanceof DOMException`: OverconstrainedError is its own class in some browsers.
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}
