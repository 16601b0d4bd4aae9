// Installs the site's service worker (sw.js: cross-origin isolation on hosts that send no
// headers, and offline use). A classic script in the page's head, so it runs before the app's
// modules: when the page is not isolated and the worker has just taken over, it reloads once,
// and the reloaded page is isolated. When that cannot work (no service worker: an insecure
// origin, a private window in some browsers; or a browser that does not isolate through one)
// it does nothing more, and the app runs through the message-port transport and says so.
(() => {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const RELOADED = 'vectorscope-isolation-reload';
  const reloadedBefore = sessionStorage.getItem(RELOADED) === '1';
  if (window.crossOriginIsolated) sessionStorage.removeItem(RELOADED);
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).then((registration) => {
    // (A browser told to block service workers may resolve with nothing.)
    if (!registration || window.crossOriginIsolated || reloadedBefore) return;
    // Controlled already and still not isolated: the browser will not isolate this way.
    if (navigator.serviceWorker.controller) return;
    const worker = registration.installing ?? registration.waiting ?? registration.active;
    const reload = () => {
      sessionStorage.setItem(RELOADED, '1');
      location.reload();
    };
    if (worker?.state === 'activated') reload();
    else worker?.addEventListener('statechange', () => worker.state === 'activated' && reload());
  }, (error) => console.warn(`vectorscope: no service worker (${error.message}); audio runs over the message port`));
})();
