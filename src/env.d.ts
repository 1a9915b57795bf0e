/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Path of the backbone a build brought along (relative to the app), or '' when it must be fetched. */
  readonly VITE_KILN_BUNDLED_BACKBONE: string;
  /** JSON: { backbone id: path } of the larger backbones a build brought along. */
  readonly VITE_KILN_BUNDLED_BACKBONES: string;
  /** package.json's version, plus "+KILN_BUILD_TAG" when set at build time. */
  readonly VITE_KILN_VERSION: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

// libheif-js ships types for its CommonJS entry only; its ES module bundle (the .wasm inlined) is typed here.
declare module 'libheif-js/libheif-wasm/libheif-bundle.mjs' {
  const createLibHeif: () => unknown;
  export default createLibHeif;
}
