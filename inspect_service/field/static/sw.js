// Service worker of the field app: the app shell is cached at install and served with no network.
// The API is never cached here: the app keeps its own replica and outbox in IndexedDB.
const VERSION = "__VERSION__";
const CACHE = "field-shell-" + VERSION;
const SHELL = ["__SHELL__"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("field-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/app")) return;
  if (request.mode === "navigate") {
    // The page itself: the cached shell first (instant and offline), refreshed in the background.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const cached = await cache.match("/app/");
        const fresh = fetch(request).then((response) => {
          if (response.ok) cache.put("/app/", response.clone());
          return response;
        }).catch(() => cached);
        return cached || fresh;
      }),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(request, { ignoreSearch: true })) || fetch(request)),
  );
});
