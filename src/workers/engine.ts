import * as tf from '@tensorflow/tfjs-core';
import { BackboneMismatchError, loadBackbone, type Backbone } from '../ml/backbone';
import type { BackboneSpec } from '../ml/backbone-catalogue';
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
import type { BackboneSourceKind, BackboneStatus, BackendChoice, BackendName, SerializedModel } from '../shared/types';
import { putCachedBackbone } from '../storage/backbones';
import type { KilnDB } from '../storage/db';
import { getPref, setPref } from '../storage/prefs';
import { activateBackend, wasmDetail } from './backend-setup';
import { findBackbone } from './backbone-source';

const CHOICE_PREF = 'backend-choice';

interface RememberedChoice {
  fingerprint: string;
  choice: BackendChoice;
}

export interface EngineOptions {
  forceBackend: BackendName | null;
  /** URL of the backbone a build brought along, or null. */
  bundledBackboneUrl: string | null;
}

/**
 * Owns the tfjs backend and the loaded backbone. Chooses the backend by measurement, once per device,
 * and keeps the backbone's files in IndexedDB after the first load.
 */
export class Engine {
  backend: BackendChoice | null = null;
  backbone: Backbone | null = null;
  backboneStatus: BackboneStatus;
  #probes: BackendProbe[] = [];
  /** Set when several backends were plausible but nothing could be timed (no model yet). */
  #unmeasured = false;

  constructor(
    private readonly db: KilnDB,
    readonly spec: BackboneSpec,
  ) {
    this.backboneStatus = { state: 'missing', id: spec.id, name: spec.name, source: null, message: 'Not loaded yet.' };
  }

  async start(options: EngineOptions): Promise<void> {
    this.#probes = await this.#probe();
    const search = await findBackbone(this.db, this.spec, options.bundledBackboneUrl);
    const files = search.found?.files ?? null;
    this.backend = await this.#chooseBackend(options.forceBackend, files);
    if (!search.found) {
      this.backboneStatus = {
        ...this.backboneStatus,
        state: 'missing',
        message: `Kiln could not download its image model (${this.spec.name}). Connect to the internet once and reload, or import a Teachable Machine image export (model.json, weights.bin) or the model files. Tried: ${search.attempts.join('; ')}`,
      };
      return;
    }
    await this.#useBackbone(files!, search.found.source, !search.found.cached);
  }

  /** Loads backbone files the user picked (a Teachable Machine export or the base itself). */
  async importBackbone(files: SerializedModel): Promise<void> {
    await this.#useBackbone(files, 'imported', true);
    if (this.#unmeasured) {
      // The first choice was made without a model to time; now there is one.
      this.backend = await this.#chooseBackend(null, files);
      if (tf.getBackend() !== this.backend.name || !this.backbone) await this.#reloadOn(this.backend.name, files);
    }
  }

  async #useBackbone(files: SerializedModel, source: BackboneSourceKind, store: boolean): Promise<void> {
    this.backbone?.dispose();
    this.backbone = null;
    try {
      this.backbone = await loadBackbone(this.spec, files);
    } catch (error) {
      const message =
        error instanceof BackboneMismatchError
          ? error.message
          : `The image model could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      this.backboneStatus = { ...this.backboneStatus, state: 'missing', source: null, message };
      if (source === 'imported') throw new Error(message, { cause: error });
      return;
    }
    if (store) {
      // Keep the cut, verified extractor, so later visits load it without network or re-cutting.
      await putCachedBackbone(this.db, {
        id: this.spec.id,
        sha256: this.spec.sha256,
        source,
        savedAt: Date.now(),
        model: await this.backbone.serialize(),
      });
    }
    this.backboneStatus = { state: 'ready', id: this.spec.id, name: this.spec.name, source, message: null };
  }

  async #reloadOn(name: BackendName, files: SerializedModel): Promise<void> {
    this.backbone?.dispose();
    await activateBackend(name);
    this.backbone = await loadBackbone(this.spec, files);
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
          reason: `Chosen by ?backend=${forced} in the address.`,
          detail: await this.#detail(forced),
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
      return { ...remembered.choice, detail: await this.#detail(remembered.choice.name) };
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
        reason: `${BACKEND_LABELS[choice.name]} failed to start, so Kiln uses ${BACKEND_LABELS[fallback]}.`,
      };
    }
    choice = { ...choice, detail: await this.#detail(choice.name) };
    if (forced)
      choice = {
        ...choice,
        reason: `${BACKEND_LABELS[forced]} (asked for with ?backend=${forced}) failed to start. ${choice.reason}`,
      };
    // Remember only a real decision: one made without the model could not measure anything.
    if (files && !forced) await setPref<RememberedChoice>(this.db, CHOICE_PREF, { fingerprint, choice });
    return choice;
  }

  async #detail(name: BackendName): Promise<string> {
    if (name === 'wasm') return wasmDetail();
    return this.#probes.find((p) => p.name === name)?.description ?? '';
  }

  /** Images per second for the backbone on one backend: one warm-up, then two timed batches of 4. */
  async #measure(name: BackendName, files: SerializedModel): Promise<number | null> {
    if (!(await activateBackend(name))) return null;
    let backbone: Backbone | null = null;
    try {
      backbone = await loadBackbone(this.spec, files);
      const size = this.spec.inputSize;
      const pixels = new Uint8ClampedArray(size * size * 4).map((_, i) => (i * 37) % 256);
      const input = batchInput([pixels, pixels, pixels, pixels], size, this.spec.scaling);
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
