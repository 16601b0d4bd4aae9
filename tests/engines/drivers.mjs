// One small page interface over three browser engines, so the core suite (core.test.mjs) is
// written once:
//   chromium  Debian's Chromium, headless, through playwright-core (as tests/e2e/ does);
//   firefox   Debian's Firefox ESR, headful under the Xvfb display `cargo xtask test` started,
//             through puppeteer-core over WebDriver BiDi;
//   webkit    WebKitGTK's MiniBrowser under Xvfb, through WebKitWebDriver (classic WebDriver,
//             spoken by the ~60-line client below: WebKitGTK has no BiDi yet).
// Each engine's fake microphone is a mono tone: Chromium plays a generated mono WAV, Firefox
// its fake stream (media.navigator.streams.fake), WebKit its mock capture device. Firefox can
// also be launched on real devices (`launchEngine('firefox', { realDevices: true })`): it then
// captures PulseAudio's default source, which pulse-microphone.mjs makes a looped stereo WAV.
// See ../../docs/browsers.md for what runs where.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from '../fixtures/wav.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/**
 * In every page, after each navigation: console warnings and errors, uncaught errors and
 * unhandled rejections are kept in `window.__engineLog` (for WebKit, whose classic WebDriver
 * has no events, the only record; for the others, besides the driver's own events).
 */
function installLog() {
  if (window.__engineLog) return;
  const log = { warnings: [], errors: [] };
  window.__engineLog = log;
  for (const [name, into] of [['warn', log.warnings], ['error', log.errors]]) {
    const original = console[name].bind(console);
    console[name] = (...args) => {
      into.push(args.map(String).join(' '));
      original(...args);
    };
  }
  addEventListener('error', (e) => log.errors.push(`pageerror: ${e.message}`));
  addEventListener('unhandledrejection', (e) => log.errors.push(`unhandled rejection: ${e.reason?.message ?? e.reason}`));
}

/** A page of any engine. */
class Page {
  /** Page errors the driver saw (console errors, uncaught errors), plus the in-page log's. */
  async errors() {
    const inPage = await this.run(() => window.__engineLog?.errors ?? []);
    return [...new Set([...this.driverErrors, ...inPage])];
  }

  /** Console warnings logged since the log was installed (after the last navigation). */
  warnings() {
    return this.run(() => window.__engineLog?.warnings ?? []);
  }

  /** Polls `fn(arg)` in the page until it returns a truthy value, which is returned. */
  async waitFor(fn, arg, { timeout = 30_000, what = String(fn) } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const v = await this.run(fn, arg);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// ---- Chromium: playwright-core ------------------------------------------------------------

class PlaywrightPage extends Page {
  constructor(page) {
    super();
    this.page = page;
    this.driverErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') this.driverErrors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.driverErrors.push(`pageerror: ${e.message}`));
  }
  async goto(url) {
    await this.page.goto(url);
    await this.page.evaluate(installLog);
  }
  run(fn, arg) {
    return this.page.evaluate(fn, arg);
  }
  /** A real (trusted) click on `inner` in the shadow root of `host`. */
  clickIn(host, inner) {
    return this.page.locator(host).locator(inner).click();
  }
  close() {
    return this.page.close();
  }
}

async function chromium() {
  const { chromium } = await import('playwright-core');
  const { chromiumArgs } = await import('../e2e/browser.mjs');
  // A mono 440 Hz tone at 0.5 (1 s, a whole number of periods: it loops without a click).
  const wav = writeWav(join(mkdtempSync(join(tmpdir(), 'vectorscope-engines-')), 'mono.wav'), {
    sampleRate: 44100,
    frames: 44100,
    channels: [(_i, t) => 0.5 * Math.sin(2 * Math.PI * 440 * t)],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs({ wav }),
  });
  return {
    version: `Chromium ${browser.version()}`,
    async newPage() {
      return new PlaywrightPage(await browser.newPage({ viewport: { width: 1100, height: 800 } }));
    },
    close: () => browser.close(),
  };
}

// ---- Firefox: puppeteer-core over WebDriver BiDi -------------------------------------------

class PuppeteerPage extends PlaywrightPage {
  async goto(url) {
    await this.page.goto(url, { waitUntil: 'load' });
    await this.page.evaluate(installLog);
  }
  clickIn(host, inner) {
    return this.page.click(`${host} >>> ${inner}`);
  }
}

/** Firefox; with `realDevices`, getUserMedia captures the sound server's default source (no
 * prompt) instead of the fake stream. */
async function firefox({ realDevices = false } = {}) {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    // Headless Firefox has no WebGL here; headful under Xvfb has WebGL2 on Mesa llvmpipe.
    headless: false,
    defaultViewport: { width: 1100, height: 800 },
    extraPrefsFirefox: {
      'media.navigator.streams.fake': !realDevices,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
    },
  });
  return {
    version: `Firefox ${(await browser.version()).replace(/^firefox\//i, '')}`,
    async newPage() {
      return new PuppeteerPage(await browser.newPage());
    },
    close: () => browser.close(),
  };
}

// ---- WebKitGTK: classic WebDriver (WebKitWebDriver) ----------------------------------------

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The few W3C WebDriver commands the suite needs, over plain HTTP. */
class WebDriverPage extends Page {
  constructor(base, session) {
    super();
    this.base = base;
    this.session = session;
    this.driverErrors = [];
  }
  async command(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.session}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await res.json();
    if (value?.error) throw new Error(`WebDriver ${path}: ${value.error}: ${value.message}`);
    return value;
  }
  async goto(url) {
    await this.command('POST', '/url', { url });
    await this.run(installLog);
  }
  /** Runs `fn(arg)` (which may return a promise) in the page; resolves to its JSON value. */
  async run(fn, arg) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn})(arguments[0])).then(
        (value) => done({ value: value === undefined ? null : value }),
        (e) => done({ error: String(e && e.stack || e) }));`;
    const r = await this.command('POST', '/execute/async', { script, args: [arg ?? null] });
    if (r?.error) throw new Error(`in the page: ${r.error}`);
    return r.value;
  }
  async clickIn(host, inner) {
    const el = await this.command('POST', '/execute/sync', {
      script: 'return document.querySelector(arguments[0]).shadowRoot.querySelector(arguments[1]);',
      args: [host, inner],
    });
    const id = el?.['element-6066-11e4-a52e-4f735466cecf'];
    if (!id) throw new Error(`no ${inner} in ${host}'s shadow root`);
    await this.command('POST', `/element/${id}/click`, {});
  }
  close() {}
}

async function webkit() {
  const port = await freePort();
  const driver = spawn(process.env.WEBKIT_WEBDRIVER || 'WebKitWebDriver', [`--port=${port}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await (await fetch(`${base}/status`)).json()).value?.ready) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error('WebKitWebDriver did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const res = await fetch(`${base}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': {
            binary: process.env.MINIBROWSER || MINIBROWSER,
            args: ['--automation', '--enable-mock-capture-devices=true', '--enable-media-stream=true', '--enable-webaudio=true'],
          },
        },
      },
    }),
  });
  const { value } = await res.json();
  if (!value?.sessionId) {
    driver.kill();
    throw new Error(`WebKitWebDriver refused the session: ${JSON.stringify(value)}`);
  }
  const page = new WebDriverPage(base, value.sessionId);
  await page.command('POST', '/timeouts', { script: 60_000, pageLoad: 60_000 });
  await page.command('POST', '/window/rect', { width: 1100, height: 800 }).catch(() => {});
  let given = false;
  return {
    version: `WebKitGTK ${value.capabilities.browserVersion} (MiniBrowser)`,
    // One window per session: the suite's pages take turns in it.
    async newPage() {
      if (given) await page.goto('about:blank');
      given = true;
      return page;
    },
    async close() {
      await fetch(`${base}/session/${value.sessionId}`, { method: 'DELETE' }).catch(() => {});
      driver.kill();
    },
  };
}

/** Launches `engine` (one of ENGINES); `options` go to its launcher (Firefox: `realDevices`). */
export function launchEngine(engine, options) {
  const launch = { chromium, firefox, webkit }[engine];
  if (!launch) throw new Error(`unknown engine ${engine}: one of ${ENGINES.join(', ')}`);
  return launch(options);
}
