// Where the element's assets are: the wasm binary (pkg/vectorscope_bg.wasm) and the worklet
// modules (worklet/), found beside this module's folder (element/) by default, so any layout
// that keeps element/, pkg/ and worklet/ side by side works under any path. A host or bundler that puts them
// elsewhere says where before the element loads, as Ruffle's publicPath does:
//
//   <script>window.vectorscopeConfig = { assetsUrl: 'https://cdn.example/vectorscope/' };</script>
//
// (a URL relative to the page is read against the page's address).

/** The folder holding pkg/ and worklet/ (with a trailing slash). */
export function assetsBase() {
  const override = globalThis.vectorscopeConfig?.assetsUrl;
  if (typeof override === 'string' && override !== '') {
    const base = new URL(override, document.baseURI);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return base;
  }
  return new URL('../', import.meta.url);
}

/** Whether the host moved the assets (else the wasm glue finds its binary beside itself). */
export function assetsOverridden() {
  const override = globalThis.vectorscopeConfig?.assetsUrl;
  return typeof override === 'string' && override !== '';
}

/** The address of asset `path` (e.g. `worklet/processor.js`). */
export function assetUrl(path) {
  return new URL(path, assetsBase());
}
