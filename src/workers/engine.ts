import * as tf from '@tensorflow/tfjs-core';
import { BackboneMismatchError, loadBackbone, type Backbone } from '../ml/backbone';
import { catalogueBackbone, DEFAULT_BACKBONE } from '../ml/backbone-catalogue';
import {
  BACKEND_LABELS,
  decideBackend,
  deviceFingerprint,
  probeWasm,
  probeWebGL,
  probeWebGPU,
  type BackendProbe,
} from '../ml/backends';
import { batchInput } from '../ml/preprocess';
import type { BackboneSourceKind, BackboneSpec, BackboneStatus, BackendChoice, BackendName, SerializedModel } from '../api/types';
import { messageOfError, UserError, userMessage, type MessageValues, type UserMessage } from '../api/user-message';
import { getCachedBackbone, putCachedBackbone } from '../storage/backbones';
import type { KilnDB } from '../storage/db';
import { getPref, setPref } from '../storage/prefs';
import { activateBackend, wasmDetail, wasmDetailMessages } from './backend-setup';
import { findBackbone } from './backbone-source';

const CHOICE_PREF = 'backend-choice';

interface RememberedChoice {
  fingerprint: string;
  choice: BackendChoice;
}

export interface EngineOptions {
  forceBackend: BackendName | null;
  /** URL of the default backbone a build brought along, or null. */
  bundledBackboneUrl: string | null;
  /** URLs of the larger backbones a build brought along (KILN_BACKBONE_SOURCE_1_00 …), by backbone id. */
  bundledBackbones?: Record<string, string>;
}

export class BackboneUnavailableError extends UserError {
  override name = 'BackboneUnavailableError';

  constructor(key: string, text: string, values?: MessageValues, options?: { cause?: unknown }) {
    super(key, text, values);
    if (options) this.cause = options.cause;
  }
}

/** A backbone status's message, in English and with its key. */
function statusMessage(message: UserMessage | null): Pick<BackboneStatus, 'message' | 'userMessage'> {
  return { message: message?.text ?? null, userMessage: message };
}

/** A backend reason made of translatable sentences; `reason` is their English text. */
function reasonOf(messages: UserMessage[]): Pick<BackendChoice, 'reason' | 'reasonMessages'> {
  return { reason: messages.map((m) => m.text).join(' '), reasonMessages: messages };
}

interface Loaded {
  backbone: Backbone;
  files: SerializedModel;
}

/**
 * Owns the tfjs backend and the loaded backbones. Chooses the backend by measurement, once per device;
 * loads each backbone when first needed and keeps its verified files in IndexedDB.
 */
export class Engine {
  backend: BackendChoice | null = null;
  /** The default backbone's state, for the start-up banner. */
  backboneStatus: BackboneStatus;
  #loaded = new Map<string, Loaded>();
  #bundledUrl: string | null = null;
  #bundledOthers: Record<string, string> = {};
  #probes: BackendProbe[] = [];
  /** Set when several backends were plausible but nothing could be timed (no model yet). */
  #unmeasured = false;

  constructor(private readonly db: KilnDB) {
    this.backboneStatus = {
      state: 'missing',
      id: DEFAULT_BACKBONE.id,
      name: DEFAULT_BACKBONE.name,
      source: null,
      ...statusMessage(userMessage('backbone.notLoadedYet', 'Not loaded yet.')),
    };
  }

  /** Whether this build brought a copy of the backbone along (served beside the app). */
  hasBundled(id: string): boolean {
    return id === DEFAULT_BACKBONE.id ? Boolean(this.#bundledUrl) : Boolean(this.#bundledOthers[id]);
  }

  get defaultBackbone(): Backbone | null {
    return this.#loaded.get(DEFAULT_BACKBONE.id)?.backbone ?? null;
  }

  async start(options: EngineOptions): Promise<void> {
    this.#bundledUrl = options.bundledBackboneUrl;
    this.#bundledOthers = options.bundledBackbones ?? {};
    this.#probes = await this.#probe();
    const search = await findBackbone(this.db, DEFAULT_BACKBONE, this.#bundledUrl);
    const files = search.found?.files ?? null;
    this.backend = await this.#chooseBackend(options.forceBackend, files);
    if (!search.found) {
      this.backboneStatus = {
        ...this.backboneStatus,
        state: 'missing',
        ...statusMessage(
          userMessage(
            'backbone.notDownloadedAtStart',
            `Kiln could not download its image model (${DEFAULT_BACKBONE.name}). Connect to the internet once and reload, or import a Teachable Machine image export (model.json, weights.bin) or the model files. Tried: ${search.attempts.join('; ')}`,
            { name: DEFAULT_BACKBONE.name, attempts: search.attempts.join('; ') },
          ),
        ),
      };
      return;
    }
    try {
      await this.#use(DEFAULT_BACKBONE, files!, search.found.source, !search.found.cached);
      this.backboneStatus = { ...this.backboneStatus, state: 'ready', source: search.found.source, ...statusMessage(null) };
    } catch (error) {
      this.backboneStatus = {
        ...this.backboneStatus,
        state: 'missing',
        message: (error as Error).message,
        userMessage: messageOfError(error),
      };
    }
  }

  /** Loads default-backbone files the user picked (a Teachable Machine export or the base itself). */
  async importBackbone(files: SerializedModel): Promise<void> {
    await this.#use(DEFAULT_BACKBONE, files, 'imported', true);
    this.backboneStatus = { ...this.backboneStatus, state: 'ready', source: 'imported', ...statusMessage(null) };
    if (this.#unmeasured) {
      // The first choice was made without a model to time; now there is one.
      this.backend = await this.#chooseBackend(null, files);
      if (tf.getBackend() !== this.backend.name) await this.switchBackend(this.backend.name);
    }
  }

  /**
   * A classroom pack's image model: stored and used when this device does not have it yet (an offline laptop),
   * left alone when it does. Loading it checks it (feature size, pinned checksum) before anything is stored.
   */
  async installPackBackbone(spec: BackboneSpec, files: SerializedModel): Promise<void> {
    if (this.#loaded.has(spec.id) || (await getCachedBackbone(this.db, spec.id))) return;
    if (spec.id === DEFAULT_BACKBONE.id) {
      await this.#use(spec, files, 'pack', true);
      this.backboneStatus = { ...this.backboneStatus, state: 'ready', source: 'pack', ...statusMessage(null) };
      if (this.#unmeasured) {
        this.backend = await this.#chooseBackend(null, files);
        if (tf.getBackend() !== this.backend.name) await this.switchBackend(this.backend.name);
      }
      return;
    }
    const { backbone } = await this.#use(spec, files, 'pack', false);
    await putCachedBackbone(this.db, {
      id: spec.id,
      sha256: backbone.sha256,
      source: 'pack',
      savedAt: Date.now(),
      model: await backbone.serialize(),
      ...(catalogueBackbone(spec.id) ? {} : { spec }),
    });
  }

  /** A catalogue backbone, or a custom one stored earlier. */
  async specFor(id: string): Promise<BackboneSpec> {
    const known = catalogueBackbone(id) ?? (await getCachedBackbone(this.db, id))?.spec;
    if (!known) {
      throw new BackboneUnavailableError(
        'backbone.unknown',
        `The image model "${id}" is not known on this device. Choose another one.`,
        { id },
      );
    }
    return known;
  }

  /**
   * The backbone for `spec`, loaded on first use from IndexedDB, the build's copy or its public URL.
   * `onDownload` is told when a download starts, so the page can say so.
   */
  async backbone(spec: BackboneSpec, onDownload?: (spec: BackboneSpec) => void): Promise<Backbone> {
    const loaded = this.#loaded.get(spec.id);
    if (loaded) return loaded.backbone;
    const cached = await getCachedBackbone(this.db, spec.id);
    if (cached) return (await this.#use(spec, cached.model, cached.source, false)).backbone;
    if (spec.id === DEFAULT_BACKBONE.id && this.backboneStatus.state === 'missing') {
      const status = this.backboneStatus.userMessage;
      if (status) throw new BackboneUnavailableError(status.key, status.text, status.values);
      throw new BackboneUnavailableError(
        'backbone.unavailable',
        this.backboneStatus.message ?? 'The image model is not available.',
      );
    }
    onDownload?.(spec);
    const bundled = spec.id === DEFAULT_BACKBONE.id ? this.#bundledUrl : (this.#bundledOthers[spec.id] ?? null);
    const search = await findBackbone(this.db, spec, bundled);
    if (!search.found) {
      const attempts = search.attempts.join('; ');
      if (!attempts) {
        throw new BackboneUnavailableError(
          'backbone.notDownloadedNoAddress',
          `${spec.name} is not on this device yet and could not be downloaded (no address known). Connect to the internet once, or choose another image model.`,
          { name: spec.name },
        );
      }
      throw new BackboneUnavailableError(
        'backbone.notDownloaded',
        `${spec.name} is not on this device yet and could not be downloaded (${attempts}). Connect to the internet once, or choose another image model.`,
        { name: spec.name, attempts },
      );
    }
    return (await this.#use(spec, search.found.files, search.found.source, !search.found.cached)).backbone;
  }

  /** Stores a custom backbone (the person's own layers model, cut where they chose) and loads it. */
  async addCustomBackbone(spec: BackboneSpec, files: SerializedModel): Promise<Backbone> {
    const { backbone } = await this.#use(spec, files, 'imported', false);
    await putCachedBackbone(this.db, {
      id: spec.id,
      sha256: backbone.sha256,
      source: 'imported',
      savedAt: Date.now(),
      model: await backbone.serialize(),
      spec,
    });
    return backbone;
  }

  /** A private copy of a loaded backbone, for fine-tuning: training it must not change the shared one. */
  async freshCopy(spec: BackboneSpec): Promise<Backbone> {
    await this.backbone(spec);
    return loadBackbone(spec, this.#loaded.get(spec.id)!.files);
  }

  /**
   * Moves to another backend (after a lost GPU, say): every loaded backbone is rebuilt on it.
   * Returns false when that backend does not start either.
   */
  async switchBackend(name: BackendName, reason?: UserMessage): Promise<boolean> {
    const loaded = [...this.#loaded.values()];
    for (const entry of loaded) entry.backbone.dispose();
    if (!(await activateBackend(name))) return false;
    for (const entry of loaded) entry.backbone = await loadBackbone(entry.backbone.spec, entry.files);
    this.backend = {
      ...this.backend!,
      name,
      ...(await this.#detail(name)),
      ...(reason ? reasonOf([reason]) : { reason: this.backend!.reason, reasonMessages: this.backend!.reasonMessages }),
      forced: false,
    };
    return true;
  }

  async #use(spec: BackboneSpec, files: SerializedModel, source: BackboneSourceKind, store: boolean): Promise<Loaded> {
    let backbone: Backbone;
    try {
      backbone = await loadBackbone(spec, files);
    } catch (error) {
      if (error instanceof BackboneMismatchError) {
        throw new BackboneUnavailableError(error.key, error.message, error.values, { cause: error });
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new BackboneUnavailableError(
        'backbone.loadFailed',
        `The image model could not be loaded: ${detail}`,
        { error: detail },
        { cause: error },
      );
    }
    this.#loaded.get(spec.id)?.backbone.dispose();
    const entry = { backbone, files };
    this.#loaded.set(spec.id, entry);
    if (store) {
      // Keep the cut, verified extractor, so later visits load it without network or re-cutting.
      const model = await backbone.serialize();
      entry.files = model;
      await putCachedBackbone(this.db, { id: spec.id, sha256: backbone.sha256, source, savedAt: Date.now(), model });
    }
    return entry;
  }

  async #probe(): Promise<BackendProbe[]> {
    const gpu = (navigator as unknown as { gpu?: Parameters<typeof probeWebGPU>[0] }).gpu;
    return [
      await probeWebGPU(gpu),
      probeWebGL(),
      probeWasm(await wasmDetail()),
      { name: 'cpu', available: true, software: false, description: 'JavaScript' },
    ];
  }

  async #chooseBackend(forced: BackendName | null, files: SerializedModel | null): Promise<BackendChoice> {
    if (forced) {
      if (await activateBackend(forced)) {
        return {
          name: forced,
          ...reasonOf([userMessage('backend.forced', `Chosen by ?backend=${forced} in the address.`, { backend: forced })]),
          ...(await this.#detail(forced)),
          measured: {},
          forced: true,
        };
      }
    }
    const fingerprint = deviceFingerprint(
      this.#probes,
      navigator.userAgent,
      navigator.hardwareConcurrency || 1,
      globalThis.crossOriginIsolated,
    );
    const remembered = await getPref<RememberedChoice>(this.db, CHOICE_PREF);
    if (remembered?.fingerprint === fingerprint && (await activateBackend(remembered.choice.name))) {
      return { ...remembered.choice, ...(await this.#detail(remembered.choice.name)) };
    }
    const plausible = this.#probes.filter((p) => p.available && !p.software && p.name !== 'cpu').map((p) => p.name);
    const measured: Partial<Record<BackendName, number>> = {};
    if (plausible.length > 1 && files) {
      for (const name of plausible) {
        const rate = await this.#measure(name, files);
        if (rate !== null) measured[name] = rate;
      }
    }
    this.#unmeasured = plausible.length > 1 && !files;
    let choice = decideBackend(this.#probes, measured);
    if (!(await activateBackend(choice.name))) {
      const fallback: BackendName = (await activateBackend('wasm')) ? 'wasm' : 'cpu';
      if (fallback === 'cpu') await activateBackend('cpu');
      choice = {
        ...choice,
        name: fallback,
        ...reasonOf([
          userMessage(
            'backend.failedToStart',
            `${BACKEND_LABELS[choice.name]} failed to start, so Kiln uses ${BACKEND_LABELS[fallback]}.`,
            { failed: BACKEND_LABELS[choice.name], fallback: BACKEND_LABELS[fallback] },
          ),
        ]),
      };
    }
    choice = { ...choice, ...(await this.#detail(choice.name)) };
    if (forced)
      choice = {
        ...choice,
        reason: `${BACKEND_LABELS[forced]} (asked for with ?backend=${forced}) failed to start. ${choice.reason}`,
        ...(choice.reasonMessages && {
          reasonMessages: [
            userMessage(
              'backend.forcedFailed',
              `${BACKEND_LABELS[forced]} (asked for with ?backend=${forced}) failed to start.`,
              { label: BACKEND_LABELS[forced], backend: forced },
            ),
            ...choice.reasonMessages,
          ],
        }),
      };
    // Remember only a real decision: one made without the model could not measure anything.
    if (files && !forced) await setPref<RememberedChoice>(this.db, CHOICE_PREF, { fingerprint, choice });
    return choice;
  }

  /** WASM's threads and SIMD as translatable phrases; a GPU's name as the browser gives it. */
  async #detail(name: BackendName): Promise<Pick<BackendChoice, 'detail' | 'detailMessages'>> {
    if (name === 'wasm') {
      const messages = await wasmDetailMessages();
      return { detail: messages.map((m) => m.text).join(', '), detailMessages: messages };
    }
    return { detail: this.#probes.find((p) => p.name === name)?.description ?? '', detailMessages: [] };
  }

  /** Images per second for the backbone on one backend: one warm-up, then two timed batches of 4. */
  async #measure(name: BackendName, files: SerializedModel): Promise<number | null> {
    if (!(await activateBackend(name))) return null;
    let backbone: Backbone | null = null;
    try {
      backbone = await loadBackbone(DEFAULT_BACKBONE, files);
      const size = DEFAULT_BACKBONE.inputSize;
      const pixels = new Uint8ClampedArray(size * size * 4).map((_, i) => (i * 37) % 256);
      const input = batchInput([pixels, pixels, pixels, pixels], size, DEFAULT_BACKBONE.scaling);
      await backbone.embed(input, 4);
      const start = performance.now();
      await backbone.embed(input, 4);
      await backbone.embed(input, 4);
      return 8 / ((performance.now() - start) / 1000);
    } catch {
      return null;
    } finally {
      backbone?.dispose();
    }
  }
}
