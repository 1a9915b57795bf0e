/** Camera access for the page. Frames leave as ImageBitmaps, transferred to the worker. */
import { isMissingCamera, videoConstraints, type CameraChoice } from './camera-devices';
import { t } from './i18n/i18n';
import { errorText } from './i18n/messages';

/** Thrown when the page cannot reach a camera at all (no mediaDevices: not https or localhost). */
class NoCameraApiError extends Error {
  override name = 'NoCameraApiError';
}

/** What to tell the person when a camera would not open, in the current language. */

export function cameraErrorMessage(error: unknown): string {
  // By name, not `instanceof DOMException`: OverconstrainedError is its own class in some browsers.
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
      return t('camera.blocked');
    case 'NotFoundError':
    case 'OverconstrainedError':
      return t('camera.notFound');
    case 'NotReadableError':
      return t('camera.busy');
    case 'NoCameraApiError':
      return t('camera.couldNotStart', { error: t('camera.needsSecure') });
    default:
      return t('camera.couldNotStart', { error: errorText(error) });
  }
}

export interface OpenedCamera {
  stream: MediaStream;
  /** True when the chosen camera could not open and another one did: say so to the person (fallbackNotice). */
  fellBack: boolean;
}

/**
 * Opens the chosen camera. If it is gone (unplugged, or a remembered device this browser no longer has),
 * opens any camera instead and says so, rather than failing.
 */
export async function openCamera(choice: CameraChoice | null = null): Promise<OpenedCamera> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new NoCameraApiError(t('camera.needsSecure'));
  }
  const open = (c: CameraChoice | null) => navigator.mediaDevices.getUserMedia({ video: videoConstraints(c), audio: false });
  try {
    return { stream: await open(choice), fellBack: false };
  } catch (error) {
    if (choice === null || !isMissingCamera(error)) throw error;
    return { stream: await open(null), fellBack: true };
  }
}

/** Said when openCamera fell back to another camera. */
export function fallbackNotice(): string {
  return t('camera.fallback');
}

/** Cameras the browser lists (with labels once the person has allowed the camera). */
export async function listCameras(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput');
}

export function stopCamera(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/** Resolves once the video element has a frame to grab. */
export function videoReady(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve) => video.addEventListener('loadeddata', () => resolve(), { once: true }));
}

/** Grabs the current frame without blocking: the browser copies it off the main thread. */
export function grabFrame(video: HTMLVideoElement): Promise<ImageBitmap> {
  return createImageBitmap(video);
}
