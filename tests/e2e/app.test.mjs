// The app page a musician keeps open: a link (the page's URL) that reproduces the view, a
// malformed parameter falling back with one warning, the settings remembered between visits,
// presets, "Copy link", the layout from a phone to a 4K screen, the keyboard shortcuts, and the
// first screen for a newcomer.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { BASE, launch, collectErrors, waitForStartup } from './browser.mjs';
import { writeStereoTones } from '../fixtures/wav.mjs';
import { measureScope, assertScopeLayout, assertInside } from './scope-layout.mjs';

let browser;
const openContexts = [];
// A failed test must not leave its pages running (and loading the next ones).
afterEach(async () => {
  for (const context of openContexts.splice(0)) await context.close().catch(() => {});
});
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A fresh browser context (its own localStorage) with options (viewport, permissions). */
async function newContext(options = {}) {
  const context = await browser.newContext(options);
  openContexts.push(context);
  return context;
}

/** Opens the app at `path` in `context` (a new one by default) and waits until it is ready. */
async function openApp(path = '/', { context, init } = {}) {
  context ??= await newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  if (init) await page.addInitScript(init);
  await page.goto(`${BASE}${path}`);
  assert.equal(await waitForStartup(page), 'ready');
  // share.js, the module the page reads its settings with, for the tests' own reading.
  await page.evaluate(async () => {
    window.share = await import('/share.js');
  });
  return { page, errors, warnings, context };
}

/** The element's shared settings (every display setting, meters, source, demo, src). */
const scopeSettings = (page) => page.evaluate(() => window.share.readScope(window.vectorscopeApp.scope));

/** Sets a range input as a hand does (its value, then an input event). */
const setRange = (page, selector, value) =>
  page.evaluate(
    ({ selector, value }) => {
      const input = document.querySelector(selector);
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { selector, value },
  );

/** Waits until the page's URL carries the element's settings as they are now. */
const linkCaughtUp = (page) =>
  page.waitForFunction(() => {
    const { readQuery, readScope } = window.share;
    const fromLink = readQuery(location.search, () => {}).values;
    const now = readScope(window.vectorscopeApp.scope);
    return Object.keys(now).every((k) => (now.source === 'microphone' && ['source', 'demo', 'src'].includes(k)) || fromLink[k] === now[k]);
  });

test('a link reproduces the view: settings changed in the panels are in the URL, and a new page opened from it shows them', async () => {
  const { page, errors } = await openApp('/', {
    init: () => {
      window.replaceStates = 0;
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args) => {
        window.replaceStates++;
        return replace(...args);
      };
    },
  });
  await page.selectOption('#set-mode', 'ms');
  await page.selectOption('#set-upsample', '8');
  await page.check('#set-swap');
  await page.selectOption('#set-invert', 'left');
  await setRange(page, '#set-persistence', 400);
  await setRange(page, '#set-glow', 0.35);
  await page.fill('#set-color', '#ff8800');
  await page.uncheck('#set-meters');
  await page.selectOption('#set-source', 'demo');
  await page.selectOption('#set-demo', 'chord');
  // A slider dragged: a change every 16 ms (a timer, not animation frames, which a loaded
  // machine slows to many times that) makes a URL update only every so often (throttled), and
  // the last value gets there.
  const drag = await page.evaluate(async () => {
    const input = document.getElementById('set-gain');
    const before = window.replaceStates;
    const t0 = performance.now();
    let changes = 0;
    for (let g = -12; g <= 12; g += 0.5, changes++) {
      input.value = String(g);
      input.dispatchEvent(new Event('input'));
      await new Promise((r) => setTimeout(r, 16));
    }
    return { before, changes, ms: performance.now() - t0 };
  });
  await page.waitForFunction(() => new URLSearchParams(location.search).get('gain') === '12');
  const updates = (await page.evaluate(() => window.replaceStates)) - drag.before;
  // 250 ms apart at most, one more for the last change.
  assert.ok(updates >= 1 && updates <= Math.ceil(drag.ms / 250) + 1, `${drag.changes} gain changes in ${drag.ms.toFixed(0)} ms made ${updates} URL updates`);
  assert.ok(updates < drag.changes / 3, `throttled: ${updates} updates for ${drag.changes} changes`);
  await linkCaughtUp(page);
  const want = await scopeSettings(page);
  assert.deepEqual(
    { mode: want.mode, upsample: want.upsample, swap: want.swap, invert: want.invert, persistence: want.persistence, glow: want.glow, gain: want.gain },
    { mode: 'ms', upsample: '8', swap: true, invert: 'left', persistence: 400, glow: 0.35, gain: 12 },
    'the panels set the element',
  );
  assert.equal(want.color, '#ff8800');
  assert.equal(want.meters, false);
  assert.deepEqual([want.source, want.demo], ['demo', 'chord']);
  const link = await page.evaluate(() => location.href);
  const query = new URL(link).searchParams;
  for (const [k, v] of Object.entries({ mode: 'ms', upsample: '8', swap: '1', invert: 'left', persistence: '400', glow: '0.35', gain: '12', color: '#ff8800', meters: '0', source: 'demo', demo: 'chord' })) {
    assert.equal(query.get(k), v, `${k} in ${link}`);
  }

  // Another visitor (a fresh context: nothing remembered) opening the link sees the same view.
  const other = await openApp(new URL(link).pathname + new URL(link).search);
  assert.deepEqual(await scopeSettings(other.page), want);
  // The panels show it too.
  assert.equal(await other.page.inputValue('#set-mode'), 'ms');
  assert.equal(await other.page.inputValue('#set-source'), 'demo');
  assert.equal(await other.page.isChecked('#set-swap'), true);
  assert.deepEqual(other.warnings, []);
  assert.deepEqual([...errors, ...other.errors], []);
});

test('a microphone, a tab or a file from disk stays out of the link; a file at a URL is in it', async () => {
  const { page } = await openApp('/');
  await page.selectOption('#set-source', 'tab');
  await page.selectOption('#set-mode', 'polar');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'polar');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).has('source')), false);
  await page.selectOption('#set-source', 'file');
  await page.fill('#set-src', 'https://example.com/song.mp3');
  await page.press('#set-src', 'Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('src') === 'https://example.com/song.mp3');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('source')), 'file');
});

test('a malformed parameter falls back to the default with one warning that quotes it; the others apply', async () => {
  const { page, warnings, errors } = await openApp('/?mode=sideways&gain=loud&persistence=500&swap=maybe&upsample=8');
  const s = await scopeSettings(page);
  assert.deepEqual(
    { mode: s.mode, gain: s.gain, swap: s.swap, persistence: s.persistence, upsample: s.upsample },
    { mode: 'xy', gain: 0, swap: false, persistence: 500, upsample: '8' },
  );
  for (const bad of ['mode="sideways"', 'gain="loud"', 'swap="maybe"']) {
    const mentions = warnings.filter((w) => w.includes(bad));
    assert.equal(mentions.length, 1, `one warning for ${bad}: ${JSON.stringify(warnings)}`);
    assert.match(mentions[0], /using the default/);
  }
  assert.equal(warnings.length, 3, `no other warnings: ${JSON.stringify(warnings)}`);
  // The URL now says what is shown.
  await linkCaughtUp(page);
  const query = await page.evaluate(() => location.search);
  assert.doesNotMatch(query, /sideways|loud|maybe/);
  assert.match(query, /persistence=500/);
  assert.deepEqual(errors, []);
});

test('settings are remembered between visits; a link wins over what is remembered', async () => {
  const context = await newContext();
  const { page, errors } = await openApp('/', { context });
  await page.selectOption('#set-mode', 'polar');
  await setRange(page, '#set-persistence', 300);
  await page.waitForFunction(() => {
    const stored = JSON.parse(localStorage.getItem('vectorscope.settings') ?? 'null');
    return stored?.mode === 'polar' && stored?.persistence === 300;
  });
  // A later visit to the bare address.
  await page.goto(`${BASE}/`);
  assert.equal(await waitForStartup(page), 'ready');
  let s = await page.evaluate(() => ({ mode: window.vectorscopeApp.scope.mode, persistence: window.vectorscopeApp.scope.persistence }));
  assert.deepEqual(s, { mode: 'polar', persistence: 300 });
  assert.match(await page.evaluate(() => location.search), /mode=polar/);
  // A link: its view, whatever was remembered (its persistence is the default, not 300).
  await page.goto(`${BASE}/?mode=ms`);
  assert.equal(await waitForStartup(page), 'ready');
  s = await page.evaluate(() => ({ mode: window.vectorscopeApp.scope.mode, persistence: window.vectorscopeApp.scope.persistence }));
  assert.deepEqual(s, { mode: 'ms', persistence: 60 });
  assert.deepEqual(errors, []);
});

test('a preset applies its values; changing a setting makes the preset "Custom"', async () => {
  const { page, errors } = await openApp('/');
  assert.equal(await page.inputValue('#preset'), 'default');
  await page.selectOption('#preset', 'oscilloscope-music');
  let s = await scopeSettings(page);
  assert.equal(s.mode, 'xy');
  assert.equal(s.upsample, '8');
  assert.ok(s.glow > 0, `glow ${s.glow}`);
  assert.ok(s.persistence >= 1000, `long persistence: ${s.persistence}`);
  const expected = await page.evaluate(() => window.share.presetValues('oscilloscope-music'));
  for (const [k, v] of Object.entries(expected)) assert.equal(s[k], v, `oscilloscope music: ${k}`);
  // Without the meter strip the scope is still square and takes the room the strip had.
  await page.waitForFunction(() => {
    const c = window.vectorscopeApp.scope.shadowRoot.querySelector('canvas').getBoundingClientRect();
    const area = document.getElementById('stage').getBoundingClientRect();
    return Math.abs(c.width - c.height) <= 2 && Math.abs(c.width - Math.min(area.width, area.height)) <= 2;
  }, null, { timeout: 5000 });

  await page.selectOption('#preset', 'mix-check');
  s = await scopeSettings(page);
  assert.equal(s.mode, 'ms');
  assert.equal(s.meters, true);
  assert.ok(s.persistence > 60 && s.persistence <= 300, `modest persistence: ${s.persistence}`);
  assert.equal(s.upsample, '4', 'what mix check does not set is back at its default');
  assert.equal(s.glow, 0);
  assert.equal(await page.evaluate(() => window.vectorscopeApp.scope.shadowRoot.querySelector('[part~="meters"]').hidden), false, 'the meter strip is shown');

  await page.selectOption('#set-mode', 'polar');
  await page.waitForFunction(() => document.getElementById('preset').value === 'custom');
  await page.selectOption('#preset', 'default');
  s = await scopeSettings(page);
  assert.deepEqual([s.mode, s.persistence, s['dc-block']], ['xy', 60, false]);
  assert.deepEqual(errors, []);
});

test('"Copy link" puts the link on the clipboard, or shows it selected in a field where the clipboard is refused', async () => {
  const context = await newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = await openApp('/', { context });
  await page.selectOption('#set-mode', 'ms');
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('copied'));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.evaluate(() => location.href));
  assert.match(copied, /mode=ms/, 'the link is up to date when copied');

  const refused = await openApp('/', {
    init: () => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }),
  });
  await refused.page.selectOption('#set-mode', 'polar');
  await refused.page.click('#copy-link');
  await refused.page.waitForSelector('#link-text', { state: 'visible' });
  const field = await refused.page.evaluate(() => {
    const f = document.getElementById('link-text');
    return { value: f.value, href: location.href, focused: document.activeElement === f, selected: f.selectionEnd - f.selectionStart };
  });
  assert.equal(field.value, field.href);
  assert.match(field.value, /mode=polar/);
  assert.ok(field.focused, 'the field has the focus');
  assert.equal(field.selected, field.value.length, 'the whole link is selected');
});

for (const { width, height, scale } of [
  { width: 390, height: 844, scale: 3 },
  { width: 1280, height: 800, scale: 1 },
  { width: 3840, height: 2160, scale: 1 },
]) {
  test(`layout at ${width}x${height} (device scale ${scale}): nothing overflows, the scope is square and fills its area, the canvas is sharp`, async () => {
    const context = await newContext({ viewport: { width, height }, deviceScaleFactor: scale });
    const { page, errors } = await openApp('/', { context });
    // Both disclosures open, so their contents are measured too.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    });
    // The canvas follows its box (a ResizeObserver): wait until it has.
    await page.waitForFunction(() => {
      const c = window.vectorscopeApp.scope.shadowRoot.querySelector('canvas');
      const r = c.getBoundingClientRect();
      return Math.abs(c.width - r.width * devicePixelRatio) <= 2 && Math.abs(c.height - r.height * devicePixelRatio) <= 2;
    }, null, { timeout: 10_000 }).catch(() => {});
    const m = await page.evaluate(() => {
      const scope = window.vectorscopeApp.scope;
      const rect = (el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
      };
      const canvas = scope.shadowRoot.querySelector('canvas');
      const controls = [...document.querySelectorAll('button, select, input, textarea, summary'), ...scope.shadowRoot.querySelectorAll('button, select, input')]
        .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0)
        .map((el) => ({ name: el.id || el.getAttribute('part') || el.getAttribute('aria-label') || el.textContent.trim(), ...rect(el) }));
      // Text set smaller than 12 px (the page's own; the element's meter strip is its own).
      const small = [...document.querySelectorAll('body *')]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && el.getClientRects().length > 0)
        .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 12)
        .map((el) => `${el.localName}#${el.id}: ${getComputedStyle(el).fontSize}`);
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth,
        innerHeight,
        dpr: devicePixelRatio,
        stage: rect(document.getElementById('stage')),
        scope: rect(scope),
        canvas: { ...rect(canvas), backing: [canvas.width, canvas.height] },
        controls,
        small,
      };
    });
    assert.equal(m.dpr, scale);
    assert.ok(m.scrollWidth <= m.innerWidth, `page ${m.scrollWidth} px wide in a ${m.innerWidth} px window`);
    const c = m.canvas;
    const portrait = height > width;
    assertScopeLayout(await measureScope(page, '#scope'), portrait ? 'below' : 'beside', { what: `${width}x${height}` });
    if (portrait) {
      // As large as its area holds: as wide as the area, or the area (the rest of the first
      // screen, under the first screen for a newcomer) as high as the scope, bar and strip.
      const around = m.scope.height - c.height;
      const fits = Math.min(m.stage.width, m.stage.height - around);
      assert.ok(Math.abs(c.width - fits) <= 2, `the scope (${c.width}) fills its area (${m.stage.width}x${m.stage.height}, ${around} px above and below it)`);
    } else {
      // As large as its area holds: its height fills the area, or the scope and strip its width.
      const strip = m.scope.width - c.width;
      const fits = Math.min(m.stage.height, m.stage.width - strip);
      assert.ok(Math.abs(c.width - fits) <= 2, `the scope (${c.width}) fills its area (${m.stage.width}x${m.stage.height}, strip ${strip})`);
    }
    assert.ok(m.scope.left >= m.stage.left - 1 && m.scope.right <= m.stage.right + 1 && m.scope.top >= m.stage.top - 1 && m.scope.bottom <= m.stage.bottom + 1, 'within its area');
    assert.ok(c.width >= Math.min(width, height) * 0.55, `a large scope: ${c.width} px in ${width}x${height}`);
    assert.ok(m.scope.bottom <= m.innerHeight + 1 && m.scope.top >= 0, `the whole scope is on the first screen: ${m.scope.top}..${m.scope.bottom} of ${m.innerHeight}`);
    assert.ok(Math.abs(c.backing[0] - c.width * scale) <= 2 && Math.abs(c.backing[1] - c.height * scale) <= 2, `a sharp canvas: ${c.backing} for ${c.width}x${c.height} CSS px at ${scale}x`);
    const cut = m.controls.filter((k) => k.left < -0.5 || k.right > m.innerWidth + 0.5);
    assert.deepEqual(cut, [], 'no control cut off by the window');
    assert.ok(m.controls.length >= 20, `the controls were measured: ${m.controls.length}`);
    assert.deepEqual(m.small, [], 'readable text');
    assert.deepEqual(errors, []);
  });
}

/** Starts the demo from the first screen (which then goes) and waits until the canvas has
 * followed the layout that leaves. */
async function startDemo(page) {
  await page.getByRole('button', { name: 'Try a demo' }).click();
  await page.waitForFunction(() => document.body.dataset.audio === 'running' && window.vectorscopeApp.scope.stats.frames > 5);
  await settled(page);
}

/** Waits until the scope's canvas has followed its box for a few frames running. */
async function settled(page) {
  await page.waitForFunction(() => {
    const c = window.vectorscopeApp.scope.shadowRoot.querySelector('canvas');
    const r = c.getBoundingClientRect();
    const same = c.width === Math.round(r.width * devicePixelRatio) && c.height === Math.round(r.height * devicePixelRatio) && r.top === window.lastTop;
    window.lastTop = r.top;
    window.sameFor = same ? (window.sameFor ?? 0) + 1 : 0;
    return window.sameFor > 5;
  }, null, { polling: 'raf', timeout: 10_000 });
}

for (const { width, height } of [
  { width: 390, height: 844 },
  { width: 360, height: 640 },
]) {
  test(`a ${width}x${height} phone in portrait: the bar above the scope, the meters below it, all on the first screen, the scope as wide as the window allows`, async () => {
    const context = await newContext({ viewport: { width, height }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
    const { page, errors } = await openApp('/', { context });
    await startDemo(page);
    const gap = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main')).paddingLeft));
    const screen = { left: 0, top: 0, right: width, bottom: height, width, height };
    // Running the demo; then stopped with a file's transport in the bar, and with the input list.
    for (const source of ['demo', 'file', 'microphone']) {
      if (source !== 'demo') {
        await page.evaluate(() => window.vectorscopeApp.scope.stop());
        await page.selectOption('#set-source', source);
        await settled(page);
      }
      const what = `${width}x${height}, ${source}`;
      const m = await measureScope(page, '#scope');
      assertScopeLayout(m, 'below', { minFont: 11, what });
      assert.ok(Math.abs(m.canvas.width - (width - 2 * gap)) <= 1, `${what}: the scope (${m.canvas.width}) is as wide as the window (${width}) less its margins (${gap})`);
      assert.ok(m.bar && m.bar.height < 40, `${what}: the bar keeps to one row: ${JSON.stringify(m.bar)}`);
      assertInside(m.host, screen, `${what}: the scope, its bar and its meters on the first screen`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${what}: nothing overflows sideways`);
    }
    assert.deepEqual(errors, []);
  });
}

test('a landscape window keeps the meters beside the scope and the bar over it, off the meters', async () => {
  const context = await newContext({ viewport: { width: 1280, height: 800 } });
  const { page, errors } = await openApp('/', { context });
  await startDemo(page);
  const m = await measureScope(page, '#scope');
  assertScopeLayout(m, 'beside', { what: '1280x800' });
  assert.ok(m.bar.right <= m.strip.left, `the bar keeps off the meters: ${m.bar.right} <= ${m.strip.left}`);
  assert.deepEqual(errors, []);
});

test('every control of the page is labelled and reachable from the keyboard', async () => {
  const { page } = await openApp('/');
  const unlabelled = await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    return [...document.querySelectorAll('button, select, input, textarea, summary')]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent.trim() || (el.localName !== 'input' && el.localName !== 'select' && el.textContent.trim());
        return !name || el.tabIndex < 0 || el.disabled;
      })
      .map((el) => el.id || el.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unlabelled, []);
});

test('shortcuts: Space starts and stops, M changes the mode, S saves a PNG, ? shows the help; none acts while typing in a field or with a modifier', async () => {
  const { page, errors } = await openApp('/');
  const state = () => page.evaluate(() => ({ state: window.vectorscopeApp.scope.state, mode: window.vectorscopeApp.scope.mode }));
  await page.selectOption('#set-source', 'demo');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.vectorscopeApp.scope.state === 'running' && document.body.dataset.audio === 'running');
  assert.equal(await page.evaluate(() => window.vectorscopeApp.scope.source), 'demo');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.vectorscopeApp.scope.state === 'idle' && document.body.dataset.audio === 'stopped');

  assert.equal((await state()).mode, 'xy');
  await page.keyboard.press('m');
  await page.waitForFunction(() => window.vectorscopeApp.scope.mode === 'ms');
  await page.keyboard.press('Control+m');
  await page.keyboard.press('Alt+m');
  assert.equal((await state()).mode, 'ms', 'a modifier makes M do nothing');

  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('s')]);
  assert.match(download.suggestedFilename(), /^vectorscope-.+\.png$/);

  assert.equal(await page.isVisible('#help'), false);
  await page.keyboard.press('Shift+?');
  await page.waitForSelector('#help', { state: 'visible' });
  assert.match(await page.textContent('#help'), /Space[\s\S]*Start or stop/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#help', { state: 'hidden' });

  // Typing in a text field (the file URL) is typing.
  await page.selectOption('#set-source', 'file');
  await page.focus('#set-src');
  await page.keyboard.type(' m?');
  assert.equal(await page.inputValue('#set-src'), ' m?');
  await page.keyboard.press('Space');
  assert.deepEqual(await state(), { state: 'idle', mode: 'ms' }, 'nothing started, the mode unchanged');
  assert.equal(await page.isVisible('#help'), false);
  assert.deepEqual(errors, []);
});

test('the first screen: "Try a demo" starts the demo with no permission asked, and the first screen goes away', async () => {
  const { page, errors } = await openApp('/', {
    init: () => {
      window.permissionCalls = 0;
      const md = navigator.mediaDevices;
      for (const name of ['getUserMedia', 'getDisplayMedia']) {
        const real = md[name]?.bind(md);
        md[name] = (...args) => {
          window.permissionCalls++;
          return real(...args);
        };
      }
    },
  });
  assert.equal(await page.isVisible('#welcome'), true);
  for (const label of ['Use microphone', 'Open a file', "Share a tab's audio", 'Try a demo']) {
    assert.equal(await page.getByRole('button', { name: label, exact: true }).isVisible(), true, label);
  }
  await page.getByRole('button', { name: 'Try a demo' }).click();
  await page.waitForFunction(() => document.body.dataset.audio === 'running' && window.vectorscopeApp.scope.stats.samplesDrawn > 1000);
  assert.equal(await page.evaluate(() => window.vectorscopeApp.scope.source), 'demo');
  assert.equal(await page.evaluate(() => window.permissionCalls), 0, 'no permission asked');
  assert.equal(await page.isVisible('#welcome'), false);
  // A demo is in the link.
  await page.waitForFunction(() => new URLSearchParams(location.search).get('source') === 'demo');
  assert.deepEqual(errors, []);
});

test('the first screen: "Use microphone" asks for it; "Open a file" opens the picker and plays the file', async () => {
  const mic = await openApp('/', {
    init: () => {
      window.permissionCalls = 0;
      const md = navigator.mediaDevices;
      const real = md.getUserMedia.bind(md);
      md.getUserMedia = (...args) => {
        window.permissionCalls++;
        return real(...args);
      };
    },
  });
  await mic.page.getByRole('button', { name: 'Use microphone' }).click();
  await mic.page.waitForFunction(() => document.body.dataset.audio === 'running');
  assert.equal(await mic.page.evaluate(() => window.permissionCalls), 1);
  assert.equal(await mic.page.evaluate(() => window.vectorscopeApp.scope.source), 'microphone');
  assert.equal(await mic.page.isVisible('#welcome'), false);

  const wav = writeStereoTones(join(mkdtempSync(join(tmpdir(), 'vectorscope-')), 'tones.wav'));
  const { page, errors } = await openApp('/');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open a file' }).click()]);
  await chooser.setFiles(wav);
  await page.waitForFunction(() => document.body.dataset.audio === 'running' && window.vectorscopeApp.scope.stats.samplesDrawn > 1000);
  assert.equal(await page.evaluate(() => window.vectorscopeApp.scope.source), 'file');
  assert.equal(await page.isVisible('#welcome'), false);
  assert.deepEqual([...mic.errors, ...errors], []);
});
