import type { UserMessage } from '../user-message';

/** The engine: backends, backbones and what the header shows about them. Plain data: it crosses the worker boundary by structured clone. */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A backbone Kiln knows how to find, cut and verify (see ml/backbone-catalogue.ts). */
export interface BackboneSpec {
  id: string;
  name: string;
  family: 'mobilenet-v2' | 'mobilenet-v3' | 'mobilenet-v1' | 'custom';
  inputSize: number;
  /** Where real users get it (fetched when first chosen, then kept in IndexedDB), or null for imported models. */
  publicUrl: string | null;
  /** Where a build that brought the weights along keeps them, relative to the app's base URL. */
  bundledPath: string | null;
  /** The layer whose output becomes the embedding (average-pooled when it is a feature map). */
  cutLayer: string;
  /** Pixels are mapped from [0, 255] to this range. */
  scaling: readonly [number, number];
  featureSize: number;
  /**
   * SHA-256 of the extractor's weight values in layer order (float32 bytes), when known. A source whose
   * weights differ is refused. Null: only the architecture can be checked (see docs/BACKBONE.md).
   */
  sha256: string | null;
  /** Inverted-residual blocks that fine-tuning may unfreeze (MobileNetV2 only). */
  fineTunableBlocks: number;
}

export type BackboneSourceKind = 'bundled' | 'public' | 'imported' | 'pack';

/** What the Backbone chooser lists. */
export interface BackboneChoice {
  spec: BackboneSpec;
  /** Already on this device (no download needed). */
  available: boolean;
}

export interface BackendChoice {
  name: BackendName;
  /** One plain sentence for the user. */
  reason: string;
  /** The reason's sentences with their message keys (joined by a space, they read as `reason`); absent in older records. */
  reasonMessages?: UserMessage[];
  /** Details such as "SIMD, 2 threads" or the GPU's name. */
  detail: string;
  /** The details as translatable phrases ("SIMD", "2 threads"); empty or absent where `detail` is a name. */
  detailMessages?: UserMessage[];
  /** Images per second measured per backend, when a measurement was needed. */
  measured: Partial<Record<BackendName, number>>;
  forced: boolean;
}

export interface BackboneStatus {
  state: 'ready' | 'missing';
  id: string;
  name: string;
  source: BackboneSourceKind | null;
  /** What went wrong and what to do, when missing. */
  message: string | null;
  /** The message with its key, for the page to translate. */
  userMessage?: UserMessage | null;
}

export interface EngineStatus {
  backend: BackendChoice;
  backbone: BackboneStatus;
}
