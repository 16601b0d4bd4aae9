// The app page: cross-origin isolated, the wasm module instantiated with shared memory, a loading
// indicator while it compiles, and a plain message for each missing browser feature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, collectErrors, waitForStartup } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('page is cross-origin isolated and the module shares its memory', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${BASE}/`);
  assert.equal(await waitForStartup(page), 'ready');
  const facts = await page.evaluate(async () => {
    const wasm = await import('/pkg/vectorscope.js');
    const memory = wasm.wasmMemory();
    return {
      isolated: crossOriginIsolated,
      shared: memory.buffer instanceof SharedArrayBuffer,
      growable: memory.buffer.growable,
      version: wasm.version(),
      memoryAttr: document.body.dataset.memory,
      graphics: document.body.dataset.graphics,
      problemsHidden: document.getElementById('problems').hidden,
    };
  });
  assert.equal(facts.isolated, true);
  assert.equal(facts.shared, true, 'wasm memory must be a SharedArrayBuffer');
  assert.equal(facts.memoryAttr, 'shared');
  assert.match(facts.version, /^\d+\.\d+\.\d+/);
  assert.ok(['webgpu', 'webgl2'].includes(facts.graphics), `graphics: ${facts.graphics}`);
  assert.equal(facts.problemsHidden, true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a loading indicator shows until the module has compiled', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  let release;
  const gate = new Promise((r) => (release = r));
  let requested;
  const wasmRequested = new Promise((r) => (requested = r));
  await page.route('**/vectorscope_bg.wasm', async (route) => {
    requested();
    await gate;
    await route.continue();
  });
  await page.goto(`${BASE}/`);
  await wasmRequested;
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'loading');
  assert.equal(await page.isVisible('#loading'), true);
  release();
  assert.equal(await waitForStartup(page), 'ready');
  assert.equal(await page.isVisible('#loading'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('says plainly what is missing when the browser lacks the features', async () => {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    delete globalThis.SharedArrayBuffer;
    delete globalThis.AudioWorkletNode;
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : getContext.call(this, kind, ...rest);
    };
  });
  await page.goto(`${BASE}/`);
  assert.equal(await waitForStartup(page), 'unsupported');
  const codes = await page.evaluate(() => document.body.dataset.problems.split(' ').sort());
  assert.deepEqual(codes, ['no-audioworklet', 'no-gpu']);
  const text = await page.textContent('#problems');
  assert.match(text, /no AudioWorklet/);
  assert.match(text, /Neither WebGPU nor WebGL2/);
  assert.equal(await page.isVisible('#problems'), true);
  // No SharedArrayBuffer is not a problem (the message-port fallback), but the page says so,
  // and, the page being isolated, blames the browser, not the headers.
  assert.equal(await page.getAttribute('#notice', 'data-code'), 'no-shared-memory');
  assert.match(await page.textContent('#notice'), /no SharedArrayBuffer, although the page is cross-origin isolated/);
  await page.close();
});

test('an insecure origin is told why nothing works', async () => {
  const { port } = new URL(BASE);
  const b = await launch({ extra: ['--host-resolver-rules=MAP insecure.test 127.0.0.1'] });
  try {
    const page = await b.newPage();
    await page.goto(`http://insecure.test:${port}/`);
    assert.equal(await waitForStartup(page), 'unsupported');
    const codes = await page.evaluate(() => document.body.dataset.problems.split(' '));
    assert.ok(codes.includes('insecure-context'), codes.join());
    assert.match(await page.textContent('#problems'), /not served securely/);
  } finally {
    await b.close();
  }
});
