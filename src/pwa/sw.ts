/// <reference lib="webworker" />
/**
 * Kiln's service worker: precaches everything the studio needs (app shell, worker, WASM binaries and
 * the bundled backbone) and serves it with the same security headers as the server, so an offline
 * start is still cross-origin isolated and under the same CSP. It never activates by itself: the page
 * asks the user first ("Update available — reload"), and not during training.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SECURITY_HEADERS } from '../shared/security-headers';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

function withSecurityHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  // The cache answers every origin the same way; a stored Vary would only cause misses.
  headers.delete('Vary');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

addPlugins([{ handlerWillRespond: async ({ response }) => withSecurityHeaders(response) }]);
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();
// Every navigation (any hash route, ?backend=…) is the single-page app.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
