// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, with the
// flags that give WebGPU (SwiftShader Vulkan), WebGL2, autoplaying audio and a fake microphone
// fed from a WAV file. See ../shared/TOOLCHAIN.md for why each flag is there.
import { chromium } from 'playwright-core';

/** The dev server under test, started by `cargo xtask test`. */
export const BASE = process.env.VECTORSCOPE_URL;
if (!BASE) {
  throw new Error('VECTORSCOPE_URL is not set: run the browser tests with `cargo xtask test`');
}

/**
 * Chromium's command line.
 * @param {object} o
 * @param {string} [o.wav] absolute path of the WAV the fake microphone plays
 * @param {boolean} [o.fakeUi] grant media permissions without a prompt (false: NotAllowedError)
 * @param {boolean} [o.fakeDevice] provide a fake capture device (false: NotFoundError)
 * @param {boolean} [o.webgpu] enable WebGPU on SwiftShader Vulkan
 * @param {boolean} [o.tabCapture] answer getDisplayMedia's prompt with the tab whose title
 *   contains "vectorscope" (every test page's); headless, its audio is silence
 * @param {string[]} [o.extra] more flags
 */
export function chromiumArgs({ wav, fakeUi = true, fakeDevice = true, webgpu = true, tabCapture = false, extra = [] } = {}) {
  const args = [
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--autoplay-policy=no-user-gesture-required',
    ...extra,
  ];
  if (fakeUi) args.push('--use-fake-ui-for-media-stream');
  if (fakeDevice) args.push('--use-fake-device-for-media-stream');
  if (wav) args.push(`--use-file-for-fake-audio-capture=${wav}`);
  if (tabCapture) args.push('--auto-select-tab-capture-source-by-title=vectorscope');
  if (webgpu) {
    args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader');
  }
  return args;
}

/** Launches headless Chromium with {@link chromiumArgs}. */
export function launch(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs(options),
  });
}

/**
 * Collects console errors and uncaught page errors, so a test can assert there were none.
 * @returns {string[]} filled as the page runs
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Waits until the app page has finished starting (ready or unsupported). */
export async function waitForStartup(page) {
  await page.waitForFunction(() => document.body && document.body.dataset.state !== 'loading', null, {
    timeout: 30_000,
  });
  return page.evaluate(() => document.body.dataset.state);
}

/** Serves `page` from the same server minus the isolation headers (COOP/COEP): the page is not
 * cross-origin isolated and has no SharedArrayBuffer. Call before navigating. */
export async function withoutIsolation(page) {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}
