/**
 * The headers every Kiln response carries: on the dev and preview servers (vite.config.ts) and on
 * responses the service worker serves from its cache, so offline pages keep cross-origin isolation
 * (needed for WASM threads) and the same Content-Security-Policy.
 */

/** The public bucket the default backbone downloads from, when a build did not bring it along. */
export const BACKBONE_ORIGIN = 'https://storage.googleapis.com';

/**
 * No 'unsafe-inline' or 'unsafe-eval' for scripts. 'wasm-unsafe-eval' lets WebAssembly compile (tfjs WASM);
 * blob: workers and scripts are tfjs-backend-wasm's pthread workers, made from Blob URLs at run time.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  `connect-src 'self' blob: data: ${BACKBONE_ORIGIN}`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "manifest-src 'self'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};
