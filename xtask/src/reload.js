// Injected by `cargo xtask serve` into HTML pages: reloads the page when a source file changes
// and shows a failed rebuild in the page. Not part of the app.
const events = new EventSource('/__dev/events');
let banner = null;
function show(text, failed) {
  if (!banner) {
    banner = document.createElement('pre');
    banner.id = 'dev-banner';
    banner.style.cssText =
      'position:fixed;left:0;right:0;bottom:0;margin:0;padding:8px 12px;z-index:2147483647;' +
      'font:12px/1.4 ui-monospace,monospace;white-space:pre-wrap;max-height:40vh;overflow:auto;';
    document.body.append(banner);
  }
  banner.style.background = failed ? '#5c1111' : '#1d2b3a';
  banner.style.color = '#fff';
  banner.textContent = text;
}
events.addEventListener('building', () => show('dev server: rebuilding the wasm package…', false));
events.addEventListener('build-failed', (e) => show('dev server: build failed\n' + e.data, true));
events.addEventListener('reload', () => location.reload());
