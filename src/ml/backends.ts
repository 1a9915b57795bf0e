import type { BackendChoice, BackendName } from '../api/types';
import { userMessage, type UserMessage } from '../api/user-message';

/** What Kiln learns about a backend before running anything on it. */
export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** A software rasteriser (SwiftShader, llvmpipe…) or a fallback adapter: never faster than WASM. */
  software: boolean;
  /** The adapter or renderer, or why it is unavailable, in words. */
  description: string;
  /** Why it is unavailable, for a translated sentence (the description stays English). */
  problem?: ProbeProblem;
}

export type ProbeProblem = 'unsupported' | 'noAdapter' | 'adapterFailed' | 'noOffscreenCanvas' | 'noWebgl2' | 'noWasm';

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU (plain JavaScript)',
};

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|microsoft basic/i;

export function isSoftwareRenderer(text: string): boolean {
  return SOFTWARE_RENDERER.test(text);
}

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

export async function probeWebGPU(gpu: GpuLike | undefined): Promise<BackendProbe> {
  const probe = (available: boolean, software: boolean, description: string, problem?: ProbeProblem): BackendProbe => ({
    name: 'webgpu',
    available,
    software,
    description,
    ...(problem && { problem }),
  });
  if (!gpu) return probe(false, false, 'not supported by this browser', 'unsupported');
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return probe(false, false, `no adapter (${String(error)})`, 'adapterFailed');
  }
  if (!adapter) return probe(false, false, 'no GPU adapter available', 'noAdapter');
  const info: GpuAdapterInfoLike = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const text = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || isSoftwareRenderer(text);
  return probe(true, software, text || 'unnamed adapter');
}

/** Reads the WebGL2 renderer's name from a throw-away OffscreenCanvas context. */
export function probeWebGL(): BackendProbe {
  const probe = (available: boolean, software: boolean, description: string, problem?: ProbeProblem): BackendProbe => ({
    name: 'webgl',
    available,
    software,
    description,
    ...(problem && { problem }),
  });
  if (typeof OffscreenCanvas === 'undefined') return probe(false, false, 'OffscreenCanvas is not supported', 'noOffscreenCanvas');
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return probe(false, false, 'WebGL2 is not available', 'noWebgl2');
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return probe(true, isSoftwareRenderer(renderer), renderer || 'unnamed renderer');
}

export function probeWasm(detail: string): BackendProbe {
  const available = typeof WebAssembly === 'object';
  return available
    ? { name: 'wasm', available, software: false, description: detail }
    : { name: 'wasm', available, software: false, description: 'WebAssembly is not available', problem: 'noWasm' };
}

/** Which backends are worth timing: available, not software, in order of preference. CPU is never timed. */
export function plausibleBackends(probes: readonly BackendProbe[]): BackendName[] {
  const order: BackendName[] = ['webgpu', 'webgl', 'wasm'];
  return order.filter((name) => probes.some((p) => p.name === name && p.available && !p.software));
}

/** Why a GPU backend is left out, as a sentence; the renderer's or adapter's name stays as the browser gives it. */
function whyNot(probe: BackendProbe | undefined): UserMessage | null {
  if (!probe || probe.name === 'wasm' || probe.name === 'cpu') return null;
  const backend = BACKEND_LABELS[probe.name];
  const description = probe.description;
  if (!probe.available) {
    const text = `${backend} is unavailable (${description}).`;
    switch (probe.problem) {
      case 'unsupported':
        return userMessage('backend.unavailable.unsupported', text, { backend });
      case 'noAdapter':
        return userMessage('backend.unavailable.noAdapter', text, { backend });
      case 'noOffscreenCanvas':
        return userMessage('backend.unavailable.noOffscreenCanvas', text, { backend });
      case 'noWebgl2':
        return userMessage('backend.unavailable.noWebgl2', text, { backend });
      default:
        return userMessage('backend.unavailable.other', text, { backend, description });
    }
  }
  if (probe.software)
    return userMessage('backend.software', `${backend} runs in software here (${description}).`, { backend, description });
  return null;
}

function reasonOf(message: UserMessage): Pick<BackendChoice, 'reason' | 'reasonMessages'> {
  return { reason: message.text, reasonMessages: [message] };
}

/**
 * Decides from probes and, when more than one backend is plausible, from measured images per second.
 * Pure: the caller does the probing, timing and activation.
 */
export function decideBackend(
  probes: readonly BackendProbe[],
  measured: Partial<Record<BackendName, number>>,
  details: Partial<Record<BackendName, string>> = {},
): BackendChoice {
  const plausible = plausibleBackends(probes);
  const detailOf = (name: BackendName) => details[name] ?? probes.find((p) => p.name === name)?.description ?? '';
  if (plausible.length === 0) {
    return {
      name: 'cpu',
      ...reasonOf(
        userMessage('backend.noFastBackend', 'No faster backend works in this browser, so Kiln runs on plain JavaScript.'),
      ),
      detail: '',
      measured,
      forced: false,
    };
  }
  const timed = plausible.filter((name) => (measured[name] ?? 0) > 0);
  if (plausible.length > 1 && timed.length > 0) {
    const best = timed.reduce((a, b) => (measured[b]! > measured[a]! ? b : a));
    const others = timed
      .filter((name) => name !== best)
      .map((name) => `${BACKEND_LABELS[name]} ${measured[name]!.toFixed(1)}`)
      .join(', ');
    const failed = plausible
      .filter((name) => !timed.includes(name))
      .map((name) => BACKEND_LABELS[name])
      .join(', ');
    const rest = [others && `${others} images/s`, failed && `${failed} failed to run`].filter(Boolean).join('; ');
    const reason = `Fastest measured on this device: ${BACKEND_LABELS[best]} ${measured[best]!.toFixed(1)} images/s${rest ? ` (${rest})` : ''}.`;
    const values = { backend: BACKEND_LABELS[best], rate: Number(measured[best]!.toFixed(1)) };
    const message =
      others && failed
        ? userMessage('backend.fastestComparedFailed', reason, { ...values, others, failed })
        : others
          ? userMessage('backend.fastestCompared', reason, { ...values, others })
          : failed
            ? userMessage('backend.fastestFailed', reason, { ...values, failed })
            : userMessage('backend.fastest', reason, values);
    return {
      name: best,
      reason,
      reasonMessages: [message],
      detail: detailOf(best),
      measured,
      forced: false,
    };
  }
  const name = plausible[0]!;
  const excluded = probes
    .filter((p) => p.name !== name && p.name !== 'cpu' && plausibleBackends([p]).length === 0)
    .map(whyNot)
    .filter((m): m is UserMessage => m !== null);
  const backend = BACKEND_LABELS[name];
  // One sentence each: the choice, then why each GPU backend was left out.
  const messages =
    plausible.length > 1
      ? [userMessage('backend.preferred', `${backend} is preferred; the others could not be measured yet.`, { backend })]
      : [userMessage('backend.onlyFast', `${backend} is the only fast backend here.`, { backend }), ...excluded];
  return {
    name,
    reason: messages.map((m) => m.text).join(' '),
    reasonMessages: messages,
    detail: detailOf(name),
    measured,
    forced: false,
  };
}

/** Identifies the device and browser for remembering a measured choice: a new GPU or browser measures again. */
export function deviceFingerprint(probes: readonly BackendProbe[], userAgent: string, cores: number, isolated: boolean): string {
  return JSON.stringify({
    userAgent,
    cores,
    isolated,
    probes: probes.map((p) => [p.name, p.available, p.software, p.description]),
  });
}
