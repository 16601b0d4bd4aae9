// The site's service worker (installed by register.js on a static host; the dev server never
// installs it). Two jobs:
//
// 1. Cross-origin isolation where the host sends no headers: every same-origin response it
//    hands the page carries COOP same-origin + COEP require-corp (+ CORP same-origin), so the
//    reloaded page gets SharedArrayBuffer and the audio thread writes the shared ring directly.
//    This is the idea of the coi-serviceworker package (MIT), written out here because one
//    scope holds one service worker, and this one also does the second job.
// 2. Offline use: the release's files (a versioned folder, never changed once published) are
//    cached on install and served from the cache; the page itself is fetched from the network
//    first and from the cache when offline. Other requests (an audio file on the same host)
//    go to the network untouched but for the headers.
//
// `cargo xtask dist` fills in RELEASE (the versioned folder's name) and FILES (its files and
// the page's, relative to this worker).
const RELEASE = '__RELEASE__';
const FILES = __FILES__;
const CACHE = `vectorscope-${RELEASE}`;

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('vectorscope-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  // A request only the HTTP cache may answer, made by devtools: not ours to answer.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(respond(request, url));
});

/** The response for a same-origin GET, with the isolation headers. */
async function respond(request, url) {
  const cache = await caches.open(CACHE);
  if (url.pathname.includes(`/${RELEASE}/`)) {
    const hit = await cache.match(request);
    if (hit) return isolated(hit);
    return isolated(await fetch(request));
  }
  if (request.mode === 'navigate') {
    try {
      return isolated(await fetch(request));
    } catch (offline) {
      // The page with any query (a shared link's settings) is the one cached page.
      const page = (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match('./'));
      if (page) return isolated(page);
      throw offline;
    }
  }
  return isolated(await fetch(request));
}

/** `response` with the cross-origin isolation headers added (an opaque one as it is). */
function isolated(response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
