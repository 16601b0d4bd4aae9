// The release (`cargo xtask dist`, which `cargo xtask test` runs before this suite): the site on
// hosts with and without headers, and the npm package in a real Vite project and through an
// import map. Every page plays Chromium's fake microphone (a WAV of two tones) and must draw
// its figure.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, collectErrors, waitForStartup } from './browser.mjs';
import { writeStereoTones } from '../fixtures/wav.mjs';
import { figureReach, notTheTones } from './figure.mjs';
import { ISOLATION_HEADERS, headersServer, pythonServer } from './static-server.mjs';

const ROOT = process.env.VECTORSCOPE_ROOT;
const DIST = join(ROOT, 'target/dist');
const VERSION = /^\[package\][^[]*?^version = "([^"]+)"/ms.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const TARBALL = join(DIST, `vectorscope-${VERSION}.tgz`);
const wav = writeStereoTones(join(mkdtempSync(join(tmpdir(), 'vectorscope-')), 'tones.wav'));

let browser;
const cleanups = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});
before(async () => {
  assert.ok(existsSync(join(DIST, 'site/index.html')), `${DIST} has no release: run \`cargo xtask dist\``);
  browser = await launch({ wav });
});
after(async () => {
  await browser?.close();
});

/** A server (from static-server.mjs) closed after the test. */
async function serve(server) {
  const s = await server;
  cleanups.push(() => s.close());
  return s.url;
}

/** A fresh browser context (its own service workers and caches), closed after the test. */
async function context(options = {}) {
  const c = await browser.newContext(options);
  cleanups.push(() => c.close());
  return c;
}

/** Polls `fn` in the page until it is true; survives the page reloading itself meanwhile. */
async function until(page, fn, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await page.evaluate(fn).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the app page says about itself. */
function appEnv(page) {
  return page.evaluate(() => ({
    isolated: crossOriginIsolated,
    controlled: navigator.serviceWorker?.controller != null,
    transport: document.getElementById('env-transport').textContent,
    notice: document.getElementById('notice').hidden ? null : document.getElementById('notice').dataset.code,
    version: document.getElementById('build').textContent,
    navigation: performance.getEntriesByType('navigation')[0]?.type,
  }));
}

/** Starts the app page's microphone and checks the drawn figure is the fake microphone's. */
async function appDrawsTheMicrophone(page) {
  await page.locator('#scope').locator('[part~="start-button"]').click();
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  await page.addStyleTag({ content: 'vector-scope::part(controls), vector-scope::part(notice) { visibility: hidden !important; }' });
  await page.waitForFunction(() => document.getElementById('scope').stats.samplesDrawn > 24000, null, { timeout: 20_000 });
  assert.equal(notTheTones(await figureReach(page, page.locator('#scope canvas'))), null);
}

test('the site on a host that sends no headers: the service worker isolates it, the microphone draws over the shared ring, and it opens offline', async () => {
  const url = await serve(pythonServer(join(DIST, 'site')));
  const ctx = await context();
  const page = await ctx.newPage();
  const errors = collectErrors(page);
  await page.goto(`${url}/`);
  await until(page, () => crossOriginIsolated, 'the page to be isolated after the service worker took over');
  assert.equal(await waitForStartup(page), 'ready');
  assert.deepEqual(await appEnv(page), {
    isolated: true, controlled: true, transport: 'shared-ring', notice: null, version: `v${VERSION}`, navigation: 'reload',
  });
  await appDrawsTheMicrophone(page);
  assert.deepEqual(errors, []);

  // A shared link's settings survive, and the release opens with the network gone.
  await ctx.setOffline(true);
  await page.goto(`${url}/?mode=ms`);
  assert.equal(await waitForStartup(page), 'ready');
  const offline = await appEnv(page);
  assert.deepEqual({ isolated: offline.isolated, transport: offline.transport, version: offline.version },
    { isolated: true, transport: 'shared-ring', version: `v${VERSION}` });
  assert.equal(await page.evaluate(() => document.getElementById('scope').mode), 'ms');
});

test('the site where service workers cannot run: the message-port transport, said on the page, and the microphone draws', async () => {
  const url = await serve(pythonServer(join(DIST, 'site')));
  const page = await (await context({ serviceWorkers: 'block' })).newPage();
  const errors = collectErrors(page);
  await page.goto(`${url}/`);
  assert.equal(await waitForStartup(page), 'ready');
  const env = await appEnv(page);
  assert.deepEqual({ isolated: env.isolated, controlled: env.controlled, transport: env.transport, notice: env.notice },
    { isolated: false, controlled: false, transport: 'message-port', notice: 'not-isolated' });
  await appDrawsTheMicrophone(page);
  assert.deepEqual(errors.filter((e) => !/service worker/i.test(e)), []);
});

test('the site with its _headers file applied: isolated on the first load, no reload; the release folder cached for good', async () => {
  const site = join(DIST, 'site');
  const url = await serve(headersServer(site, { headersFile: true }));
  const release = readdirSync(site).find((f) => f.startsWith(`v${VERSION}-`));
  assert.ok(release, `no v${VERSION}-… folder in ${site}`);
  const app = await fetch(`${url}/${release}/app.js`);
  assert.equal(app.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(app.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.equal((await fetch(`${url}/`)).headers.get('cache-control'), 'no-cache');
  const page = await (await context()).newPage();
  const errors = collectErrors(page);
  await page.goto(`${url}/`);
  assert.equal(await waitForStartup(page), 'ready');
  const env = await appEnv(page);
  assert.deepEqual({ isolated: env.isolated, transport: env.transport, navigation: env.navigation },
    { isolated: true, transport: 'shared-ring', navigation: 'navigate' });
  await appDrawsTheMicrophone(page);
  assert.deepEqual(errors, []);
});

/** Opens `url` (a page with one `<vector-scope id="scope">`), starts it, and checks the figure
 * and the transport. */
async function elementDraws(url, transport) {
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const errors = collectErrors(page);
    const log = [];
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    await page.goto(url);
    await page.waitForFunction(() => customElements.get('vector-scope') !== undefined, null, { timeout: 20_000 });
    const started = await page.evaluate(() => Promise.race([
      document.getElementById('scope').start().then(() => 'started', (e) => `start() rejected: ${e.code}: ${e.message}`),
      new Promise((r) => setTimeout(() => r('start() did not settle within 15 s'), 15_000)),
    ]));
    assert.equal(started, 'started', `${url}\n${log.join('\n')}`);
    await page.addStyleTag({ content: 'vector-scope::part(notice) { visibility: hidden !important; }' });
    await page.waitForFunction(() => document.getElementById('scope').stats.samplesDrawn > 24000, null, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.getElementById('scope').stats.transport), transport, url);
    assert.equal(notTheTones(await figureReach(page, page.locator('#scope canvas'))), null, url);
    assert.deepEqual(errors, [], url);
  } finally {
    await ctx.close();
  }
}

/** Every file under `dir`. */
function files(dir) {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

test('the npm package: installed from its tarball into a Vite project, built, served statically, and through an import map', async (t) => {
  const project = mkdtempSync(join(tmpdir(), 'vectorscope-vite-'));
  for (const f of ['package.json', 'package-lock.json', 'index.html', 'main.js', 'importmap.html']) {
    cpSync(join(ROOT, 'tests/bundler', f), join(project, f));
  }
  const npm = (...args) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe', timeout: 180_000 });
  npm('ci');
  npm('install', '--no-save', TARBALL);
  const installed = JSON.parse(readFileSync(join(project, 'node_modules/vectorscope/package.json'), 'utf8'));
  assert.equal(installed.version, VERSION);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: project, stdio: 'pipe', timeout: 120_000 });

  const built = files(join(project, 'dist'));
  assert.ok(built.some((f) => f.endsWith('.wasm')), `Vite copied no wasm: ${built}`);
  let raw = 0;
  let gz = 0;
  for (const f of built) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  t.diagnostic(`tarball ${statSync(TARBALL).size} B; Vite build: ${built.length} files, ${raw} B raw, ${gz} B gzipped`);

  // A plain host: the message port. With the isolation headers: the shared ring, whose worklet
  // the package ships bundled with its glue.
  await elementDraws(`${await serve(pythonServer(join(project, 'dist')))}/`, 'message-port');
  await elementDraws(`${await serve(headersServer(join(project, 'dist'), { headers: ISOLATION_HEADERS }))}/`, 'shared-ring');
  // No bundler: the package's own files through an import map.
  await elementDraws(`${await serve(headersServer(project, { headers: ISOLATION_HEADERS }))}/importmap.html`, 'shared-ring');
  await elementDraws(`${await serve(pythonServer(project))}/importmap.html`, 'message-port');
});
