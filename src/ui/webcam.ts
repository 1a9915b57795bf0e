/** Camera access for the page. Frames leave as ImageBitmaps, transferred to the worker. */
import { isMissingCamera, videoConstraints, type CameraChoice } from './camera-devices';

export function cameraErrorMessage(error: unknown): string {
  // By name, not `instanceof DOMException`: OverconstrainedError is its own class in some browsers.
  const name = (error as { name?: unknown } | null)?.name;
  switch (name) {
    case 'NotAllowedError':
      return 'Camera access was blocked. Allow the camera for this site in the browser (the camera icon in the address bar), then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect one, or add photos from files instead.';
    case 'NotReadableError':
      return 'The camera is busy in another app or tab. Close that, then try again.';
    default:
      return `The camera could not start (${error instanceof Error ? error.message : String(error)}).`;
  }
}

export interface OpenedCamera {
  stream: MediaStream;
  /** Set when the chosen camera could not open and another one did: say so to the person. */
  fallbackNotice: string | null;
}

/**
 * Opens the chosen camera. If it is gone (unplugged, or a remembered device this browser no longer has),
 * opens any camera instead and says so, rather than failing.
 */
export async function openCamera(choice: CameraChoice | null = null): Promise<OpenedCamera> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot use a camera here (it needs https or localhost).');
  }
  const open = (c: CameraChoice | null) => navigator.mediaDevices.getUserMedia({ video: videoConstraints(c), audio: false });
  try {
    return { stream: await open(choice), fallbackNotice: null };
  } catch (error) {
    if (choice === null || !isMissingCamera(error)) throw error;
    return {
      stream: await open(null),
      fallbackNotice: 'The chosen camera is not available, so another camera is shown. Pick one from the Camera list.',
    };
  }
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
