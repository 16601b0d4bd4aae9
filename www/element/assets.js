// Where the element's assets are: the wasm binary (pkg/vectorscope_bg.wasm) and the worklet
// modules (worklet/), beside this module's folder (element/). Each is named by a literal
// `new URL('…', import.meta.url)`, the one form Vite, webpack 5 and Rollup's import-meta-assets
// plugin all follow: a bundler copies the file into its output and rewrites the address, and
// an unbundled layout (the dev server, a static host, an import map) finds it beside element/.
// The wasm binary is named the same way by the wasm-bindgen glue (pkg/vectorscope.js).
//
// A host or bundler that puts the assets elsewhere (a CDN, a bundler that does not follow
// `new URL`, such as esbuild) says where before the element loads, as Ruffle's publicPath does:
//
//   <script>window.vectorscopeConfig = { assetsUrl: 'https://cdn.example/vectorscope/' };</script>
//
// That folder holds pkg/ and worklet/ (a URL relative to the page is read against the page's
// address).

/** The worklet modules by transport, as found beside element/. */
const WORKLETS = {
  'shared-ring': () => new URL('../worklet/processor.js', import.meta.url),
  'message-port': () => new URL('../worklet/port-processor.js', import.meta.url),
};
/** The same modules' paths under an `assetsUrl` override. */
const WORKLET_PATHS = { 'shared-ring': 'worklet/processor.js', 'message-port': 'worklet/port-processor.js' };

/** The `assetsUrl` override as a folder URL (with a trailing slash), or null. */
function override() {
  const value = globalThis.vectorscopeConfig?.assetsUrl;
  if (typeof value !== 'string' || value === '') return null;
  const base = new URL(value, document.baseURI);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

/** The worklet module for `transport` (`shared-ring` or `message-port`). */
export function workletUrl(transport) {
  const base = override();
  return base ? new URL(WORKLET_PATHS[transport], base) : WORKLETS[transport]();
}

/** What to hand the wasm glue's init: the binary's address under an `assetsUrl` override, else
 * undefined (the glue finds vectorscope_bg.wasm beside itself). */
export function wasmBinary() {
  const base = override();
  return base ? { module_or_path: new URL('pkg/vectorscope_bg.wasm', base) } : undefined;
}
