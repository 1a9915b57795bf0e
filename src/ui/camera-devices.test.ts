import { afterEach, describe, expect, it } from 'vitest';
import {
  cameraOptions,
  defaultChoice,
  flippedChoice,
  isMissingCamera,
  mirroredByDefault,
  rememberChoice,
  storedChoice,
  videoConstraints,
} from './camera-devices';
import { setLanguage } from './i18n/i18n';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

afterEach(() => setLanguage('en'));

describe('camera choice', () => {
  it('defaults to the back camera on touch-first devices and the front camera elsewhere', () => {
    expect(defaultChoice(true)).toBe('environment');
    expect(defaultChoice(false)).toBe('user');
  });

  it('remembers a choice and ignores anything stored that is not one', () => {
    const storage = memoryStorage();
    rememberChoice('device:abc', storage);
    expect(storedChoice(storage)).toBe('device:abc');
    // No matchMedia in Node: not touch-first, so the front camera.
    expect(storedChoice(memoryStorage({ 'kiln-camera': 'sideways' }))).toBe('user');
    expect(storedChoice(memoryStorage({ 'kiln-camera': 'device:' }))).toBe('user');
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(storedChoice(broken)).toBe('user');
    expect(() => rememberChoice('environment', broken)).not.toThrow();
  });

  it('asks for a facing mode as ideal and a listed device as exact', () => {
    expect(videoConstraints('environment').facingMode).toEqual({ ideal: 'environment' });
    expect(videoConstraints('device:cam-2').deviceId).toEqual({ exact: 'cam-2' });
    const any = videoConstraints(null);
    expect(any.deviceId).toBeUndefined();
    expect(any.facingMode).toBeUndefined();
  });

  it('lists front, back, then each camera by label, numbering unlabelled ones', () => {
    const options = cameraOptions([
      { kind: 'audioinput', deviceId: 'mic', label: 'Microphone' },
      { kind: 'videoinput', deviceId: 'a', label: 'Desk camera' },
      { kind: 'videoinput', deviceId: 'b', label: '' },
      { kind: 'videoinput', deviceId: '', label: '' },
    ]);
    expect(options.map((o) => o.label)).toEqual(['Front camera', 'Back camera', 'Desk camera', 'Camera 2']);
    expect(options[2]!.value).toBe('device:a');
  });

  it('names the cameras in the current language', () => {
    setLanguage('ar');
    const labels = cameraOptions([{ kind: 'videoinput', deviceId: 'b', label: '' }]).map((o) => o.label);
    expect(labels).toEqual(['الكاميرا الأمامية', 'الكاميرا الخلفية', `الكاميرا ${new Intl.NumberFormat('ar').format(1)}`]);
  });

  it('mirrors a front camera, not a back one, trusting the track when it says which it is', () => {
    expect(mirroredByDefault('user', undefined)).toBe(true);
    expect(mirroredByDefault('environment', undefined)).toBe(false);
    expect(mirroredByDefault('device:x', 'environment')).toBe(false);
    expect(mirroredByDefault('environment', 'user')).toBe(true);
  });

  it('switches between back and front', () => {
    expect(flippedChoice('environment')).toBe('user');
    expect(flippedChoice('user')).toBe('environment');
    expect(flippedChoice('device:x')).toBe('environment');
  });

  it('treats a missing or over-constrained camera as worth a fallback, and nothing else', () => {
    expect(isMissingCamera(new DOMException('gone', 'OverconstrainedError'))).toBe(true);
    expect(isMissingCamera(new DOMException('none', 'NotFoundError'))).toBe(true);
    expect(isMissingCamera(new DOMException('no', 'NotAllowedError'))).toBe(false);
    expect(isMissingCamera(null)).toBe(false);
  });
});
