/* SunuCoop service worker (docs/offline.md). Served by sync.views.service_worker.
   - static files: cache first (their names change with their content in production);
   - pages: network first, the last copy kept for offline use (the agent's pages);
   - the API: network only (the field app keeps its records in IndexedDB, never here).
   An update changes CACHE and deletes the old caches: records waiting on the device live in
   IndexedDB, which an update never touches. */
"use strict";
const CACHE = "sunucoop-{{ version }}";
const PAGES = "sunucoop-pages";
const ASSETS = {{ assets_json|safe }};
const FIELD_URL = "{{ field_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    try {  // the field page, if the user is signed in (a redirect to the login is not kept)
      const response = await fetch(FIELD_URL, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await (await caches.open(PAGES)).put(FIELD_URL, response);
      }
    } catch (e) { /* offline while installing: kept at the next visit */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE && name !== PAGES) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function fromNetworkThenCache(request) {
  const pages = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && request.method === "GET") {
      await pages.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await pages.match(request, { ignoreSearch: false });
    if (cached) return cached;
    const shell = await pages.match(FIELD_URL);
    if (shell) return shell;
    throw error;
  }
}

async function fromCacheThenNetwork(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/admin/")) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromCacheThenNetwork(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkThenCache(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "logout") {  // a signed-out device keeps no page of the user
    event.waitUntil(caches.delete(PAGES));
  }
});
