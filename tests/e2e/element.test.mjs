// <vector-scope>: attributes mirrored as validated properties, events with their codes, two
// instances rendering independently, 50 add/remove cycles (no live tracks, no growing memory),
// and the message-port fallback on a page served without COOP/COEP.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BASE, launch, collectErrors } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';

let browser;
const openPages = [];
const proxies = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.close().catch(() => {});
  for (const proxy of proxies.splice(0)) {
    proxy.closeAllConnections();
    proxy.close();
  }
});
before(async () => {
  browser = await launch({ extra: ['--js-flags=--expose-gc'] });
});
after(async () => {
  await browser?.close();
});

/** A page with the element module loaded and no elements yet (see element-page.mjs). */
const elementPage = (options) => openElementPage(browser, openPages, options);

/** Feeds element `id` from oscillators: 'mono' (L = R) or 'quadrature' (a ring). */
async function feed(page, id, signal) {
  await page.evaluate(
    async ({ id, signal }) => {
      const el = document.getElementById(id);
      const ctx = el.audioContext;
      const merger = new ChannelMergerNode(ctx, { numberOfInputs: 2 });
      const osc = (cosine) => {
        const o = new OscillatorNode(ctx, { frequency: 150 });
        if (cosine) o.setPeriodicWave(ctx.createPeriodicWave([0, 1], [0, 0]));
        o.start();
        const g = new GainNode(ctx, { gain: 0.5 });
        return o.connect(g);
      };
      if (signal === 'mono') {
        const s = osc(false);
        s.connect(merger, 0, 0);
        s.connect(merger, 0, 1);
      } else {
        osc(false).connect(merger, 0, 0);
        osc(true).connect(merger, 0, 1);
      }
      await el.connect(merger);
      await el.start();
    },
    { id, signal },
  );
  await page.waitForFunction((id) => document.getElementById(id).stats.frames > 8, id);
}

/** Lit pixels of element `id`'s screenshot: { lit, centreLit, angle, radius (their RMS
 * distance from the centre) } (scope units). */
async function pixels(page, id) {
  const png = (await page.locator(`#${id}`).screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const bmp = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const g = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d');
    g.drawImage(bmp, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, bmp.width, bmp.height);
    const k = 0.5 * Math.min(width, height) * 0.94;
    let lit = 0, centreLit = 0, cxx = 0, cyy = 0, cxy = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        if (data[i + 1] > 70 && data[i + 1] > data[i] + 45) {
          const px = (x + 0.5 - width / 2) / k;
          const py = (height / 2 - y - 0.5) / k;
          lit++;
          if (Math.hypot(px, py) < 0.2) centreLit++;
          cxx += px * px;
          cyy += py * py;
          cxy += px * py;
        }
      }
    }
    const angle = ((0.5 * Math.atan2(2 * cxy, cxx - cyy)) * 180) / Math.PI;
    return { lit, centreLit, angle, radius: Math.sqrt((cxx + cyy) / lit) };
  }, png);
}

/** Waits until element `id` has drawn `n` more frames (the persistence's light has settled). */
async function frames(page, id, n) {
  const from = await page.evaluate((id) => document.getElementById(id).stats.frames, id);
  await page.waitForFunction(({ id, to }) => document.getElementById(id).stats.frames >= to, { id, to: from + n });
}

test('attributes are mirrored by validated properties; bad values fall back with one warning', async () => {
  const { page, errors, warnings } = await elementPage();
  await addScope(page, 'a', { mode: 'ms', gain: '2.5', persistence: '150', source: 'none' });
  const r = await page.evaluate(() => {
    const el = document.getElementById('a');
    const out = {};
    out.initial = { mode: el.mode, gain: el.gain, persistence: el.persistence, source: el.source, color: el.color, controls: el.controls };
    el.gain = 4;
    el.mode = 'xy';
    el.controls = true;
    el.color = 'rebeccapurple';
    el.intensity = 0.5;
    el.glow = 0.7;
    el.device = 'abc';
    out.reflected = {
      gain: el.getAttribute('gain'),
      mode: el.getAttribute('mode'),
      controls: el.hasAttribute('controls'),
      barShown: !el.shadowRoot.querySelector('[part~="controls"]').hidden,
      color: el.color,
      intensity: el.intensity,
      glow: el.getAttribute('glow'),
      device: el.getAttribute('device'),
    };
    // Bad values: each falls back to its documented value, never throws.
    el.gain = 'loud';
    el.setAttribute('mode', 'sideways');
    el.persistence = -5;
    el.color = 'not-a-colour';
    el.source = 'speaker';
    el.intensity = NaN;
    el.glow = 2;
    el.setAttribute('gain', 'loud'); // the same bad value again: no second warning
    out.fallback = { gain: el.gain, mode: el.mode, persistence: el.persistence, color: el.color, source: el.source, intensity: el.intensity, glow: el.glow };
    el.controls = false;
    out.barHidden = el.shadowRoot.querySelector('[part~="controls"]').hidden;
    return out;
  });
  assert.deepEqual(r.initial, { mode: 'ms', gain: 2.5, persistence: 150, source: 'none', color: '#26ff6e', controls: false });
  assert.deepEqual(r.reflected, { gain: '4', mode: 'xy', controls: true, barShown: true, color: 'rebeccapurple', intensity: 0.5, glow: '0.7', device: 'abc' });
  // A bad source means none (nothing is captured because of a typo); the rest fall back to
  // their defaults.
  assert.deepEqual(r.fallback, { gain: 0, mode: 'xy', persistence: 60, color: '#26ff6e', source: 'none', intensity: 1, glow: 0 });
  assert.equal(r.barHidden, true);
  const bad = warnings.filter((w) => w.includes('<vector-scope>'));
  assert.equal(bad.length, 7, bad.join('\n'));
  for (const name of ['gain', 'mode', 'persistence', 'color', 'source', 'intensity', 'glow']) {
    assert.ok(bad.some((w) => w.includes(`${name}="`)), `a warning names ${name}`);
  }
  assert.deepEqual(errors, []);
});

test('odd values: decimal numbers only, null restores the default, invisible colours and a mistyped source are refused', async () => {
  const { page, errors, warnings } = await elementPage();
  await addScope(page, 'a', { source: 'none', gain: '2' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const out = {};
    const codes = [];
    el.addEventListener('scope-error', (e) => codes.push(e.detail.code));
    el.setAttribute('gain', '0x10');
    out.hex = el.gain;
    el.gain = 3;
    el.gain = null;
    out.gainNull = { value: el.gain, attr: el.hasAttribute('gain') };
    el.mode = 'ms';
    el.mode = undefined;
    out.modeUndefined = { value: el.mode, attr: el.hasAttribute('mode') };
    el.setAttribute('persistence', '9'.repeat(5000));
    out.persistence = el.persistence;
    out.colors = {};
    for (const c of ['currentcolor', 'inherit', 'transparent', 'var(--x)', 'light-dark(#fff, #000)', 'rgb(0 0 0 / 0)', '#000', 'hsl(120 100% 50%)']) {
      el.color = c;
      out.colors[c] = el.color;
    }
    // A typo on a source="none" element: Start captures nothing.
    const calls = window.gumCalls;
    el.source = 'microphon';
    out.source = el.source;
    out.start = await el.start().then(() => 'resolved', (e) => e.code);
    // The Start button too: it reports the same error.
    el.controls = true;
    el.shadowRoot.getElementById('start').click();
    while (codes.length < 2) await new Promise((r) => setTimeout(r, 10));
    out.gumCalls = window.gumCalls - calls;
    out.live = window.liveTracks();
    out.state = el.state;
    out.codes = codes;
    return out;
  });
  assert.equal(r.hex, 0, '"0x10" is not a decimal number: the default');
  assert.deepEqual(r.gainNull, { value: 0, attr: false }, 'gain = null restores the default');
  assert.deepEqual(r.modeUndefined, { value: 'xy', attr: false }, 'mode = undefined restores the default');
  assert.equal(r.persistence, 60);
  const refused = ['currentcolor', 'inherit', 'transparent', 'var(--x)', 'light-dark(#fff, #000)', 'rgb(0 0 0 / 0)', '#000'];
  for (const c of refused) assert.equal(r.colors[c], '#26ff6e', `${c} draws nothing one can see: the default`);
  assert.equal(r.colors['hsl(120 100% 50%)'], 'hsl(120 100% 50%)');
  assert.equal(r.source, 'none', 'a mistyped source means none');
  assert.equal(r.start, 'no-source');
  assert.equal(r.gumCalls, 0, 'nothing asked for the microphone');
  assert.equal(r.live, 0);
  assert.equal(r.state, 'idle');
  assert.deepEqual(r.codes, ['no-source', 'no-source']);
  const bad = warnings.filter((w) => w.includes('<vector-scope>'));
  // One each: gain, persistence, seven colours, source.
  assert.equal(bad.length, 10, bad.join('\n'));
  for (const c of refused) assert.ok(bad.some((w) => w.includes(`color="${c}"`)), `a warning for ${c}`);
  const long = bad.find((w) => w.includes('persistence='));
  assert.ok(long.length < 300, `the warning quotes a little of a 5000-character value (${long.length} characters)`);
  assert.ok(long.includes('9'.repeat(40)) && !long.includes('9'.repeat(100)));
  assert.deepEqual(errors, []);
});

test('events: scope-start, scope-stop and scope-error with stable codes', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'microphone' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const events = [];
    for (const type of ['scope-start', 'scope-stop', 'scope-error']) {
      el.addEventListener(type, (e) => events.push({ type, code: e.detail?.code ?? null }));
    }
    await el.start();
    const running = el.stats.running;
    const liveDuring = window.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
    // Startup time: known once a frame has drawn the microphone's samples.
    for (const until = performance.now() + 10_000; el.stats.startupMs === null; ) {
      if (performance.now() > until) throw new Error('no frame drew the microphone within 10 s of start()');
      await new Promise((r) => requestAnimationFrame(r));
    }
    const startupMs = el.stats.startupMs;
    await el.stop();
    const liveAfter = window.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;
    // A device that does not exist: the start is refused with a code.
    el.device = 'no-such-device';
    let rejected = null;
    try {
      await el.start();
    } catch (e) {
      rejected = e.code;
    }
    // Nothing to scope: source none and no node.
    el.device = '';
    el.source = 'none';
    let noSource = null;
    try {
      await el.start();
    } catch (e) {
      noSource = e.code;
    }
    const message = el.shadowRoot.querySelector('[part~="error"]');
    return { events, running, liveDuring, liveAfter, startupMs, startupAfterStop: el.stats.startupMs, rejected, noSource, shown: message.dataset.code, visible: !message.hidden };
  });
  assert.equal(r.running, true);
  assert.ok(r.startupMs > 0 && r.startupMs < 30_000, `startup ${r.startupMs} ms`);
  assert.equal(r.startupAfterStop, null, 'a stopped scope reports no startup time');
  assert.equal(r.liveDuring, 1);
  assert.equal(r.liveAfter, 0, 'stop() ends the microphone track');
  assert.equal(r.rejected, 'overconstrained');
  assert.equal(r.noSource, 'no-source');
  assert.deepEqual(r.events, [
    { type: 'scope-start', code: null },
    { type: 'scope-stop', code: null },
    { type: 'scope-error', code: 'overconstrained' },
    { type: 'scope-error', code: 'no-source' },
  ]);
  assert.equal(r.shown, 'no-source');
  assert.equal(r.visible, true);
  assert.deepEqual(errors, []);
});

test('two instances share one AudioContext and render independently', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'one', { source: 'none' });
  await addScope(page, 'two', { source: 'none' });
  // Side by side, both on screen (a scope off screen does not draw).
  await page.evaluate(() =>
    ['one', 'two'].forEach((id, i) => {
      const el = document.getElementById(id);
      Object.assign(el.style, { position: 'fixed', top: '0px', left: `${i * 340}px` });
    }),
  );
  await feed(page, 'one', 'mono');
  await feed(page, 'two', 'quadrature');
  const one = await pixels(page, 'one');
  const two = await pixels(page, 'two');
  assert.ok(one.lit > 200 && Math.abs(one.angle - 45) < 4, `one: a diagonal ${JSON.stringify(one)}`);
  assert.ok(one.centreLit > 0, 'the diagonal crosses the centre');
  assert.ok(two.lit > 200 && two.centreLit === 0, `two: a ring with a dark centre ${JSON.stringify(two)}`);
  const s = await page.evaluate(() => {
    const [a, b] = ['one', 'two'].map((id) => document.getElementById(id));
    return { same: a.audioContext === b.audioContext, a: a.stats, b: b.stats };
  });
  assert.equal(s.same, true);
  for (const st of [s.a, s.b]) {
    assert.equal(st.transport, 'shared-ring');
    assert.ok(st.samplesWritten > 1000 && st.samplesDrawn > 1000, JSON.stringify(st));
    assert.ok(['webgpu', 'webgl2'].includes(st.backend));
  }
  // Stopping one leaves the other running.
  await page.evaluate(() => document.getElementById('one').stop());
  const after = await page.evaluate(async () => {
    const b = document.getElementById('two');
    const before = b.stats.samplesWritten;
    await new Promise((r) => setTimeout(r, 300));
    return { one: document.getElementById('one').stats.running, grew: b.stats.samplesWritten > before };
  });
  assert.deepEqual(after, { one: false, grew: true });
  const png = await page.evaluate(async () => {
    const blob = await document.getElementById('two').snapshot();
    const bmp = await createImageBitmap(blob);
    return { type: blob.type, width: bmp.width, height: bmp.height };
  });
  assert.equal(png.type, 'image/png');
  assert.ok(png.width >= 300 && png.height >= 300, JSON.stringify(png));
  assert.deepEqual(errors, []);
});

test('50 add/remove cycles leave no live tracks and no growing memory', async () => {
  const { page, errors } = await elementPage();
  const cdp = await page.context().newCDPSession(page);
  // The page logs each step before it takes it. Every call into the page has a deadline kept
  // here in Node, which fires even if the page's main thread is stuck (its own timers would
  // not), and the failure names the call and the page's last step.
  const trail = [];
  page.on('console', (m) => {
    if (m.type() === 'debug' && m.text().startsWith('cycle ')) trail.push(m.text());
  });
  const within = async (promise, what, ms = 30_000) => {
    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}: no answer within ${ms / 1000} s; the page's last step: ${trail.at(-1) ?? 'none'}`)),
        ms,
      );
    });
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
  const cycle = async (first, n) => {
    for (let i = first; i < first + n; i++) {
      await within(
        page.evaluate(async (i) => {
          const step = (what) => console.debug(`cycle ${i}: ${what}`);
          // Each step also has a deadline in the page, so a step that never ends (while the page
          // still runs) fails the test and says which it was.
          const stepWithin = (promise, what) =>
            Promise.race([
              promise,
              new Promise((_, reject) => setTimeout(() => reject(new Error(`cycle ${i}: no ${what} within 10 s`)), 10_000)),
            ]);
          const el = document.createElement('vector-scope');
          el.style.width = '200px';
          el.setAttribute('autostart', '');
          const started = new Promise((resolve, reject) => {
            el.addEventListener('scope-start', resolve, { once: true });
            el.addEventListener('scope-error', (e) => reject(new Error(e.detail.code)), { once: true });
          });
          step('add');
          document.body.append(el);
          await stepWithin(started, 'scope-start');
          step('started; two animation frames');
          await stepWithin(new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))), 'animation frames');
          const stopped = new Promise((r) => el.addEventListener('scope-stop', r, { once: true }));
          step('remove');
          el.remove();
          await stepWithin(stopped, 'scope-stop');
          step('stopped');
        }, i),
        `cycle ${i}`,
      );
    }
  };
  const measure = async () => {
    // A full collection first (the browser runs with --expose-gc), so the heap is what is live.
    await within(
      page.evaluate(() => {
        window.gc();
        window.gc();
      }),
      'garbage collection',
    );
    const heap = await within(cdp.send('Runtime.getHeapUsage'), 'Runtime.getHeapUsage');
    return within(
      page.evaluate(async (used) => {
        const { wasmMemory } = await import('./pkg/vectorscope.js');
        const tracks = window.streams.flatMap((s) => s.getTracks());
        return {
          jsHeap: used,
          wasmBytes: wasmMemory().buffer.byteLength,
          streams: window.streams.length,
          live: tracks.filter((t) => t.readyState === 'live').length,
          elements: document.querySelectorAll('vector-scope').length,
        };
      }, heap.usedSize),
      'the measurement',
    );
  };
  await cycle(0, 10); // warm-up: the wasm heap and the JS heap reach their working size
  const warm = await measure();
  await cycle(10, 40);
  const end = await measure();
  assert.equal(end.streams, 50, 'every cycle captured the microphone');
  assert.equal(end.live, 0, 'no live tracks after removal');
  assert.equal(end.elements, 0);
  // A leaked scope would keep its ring (at least 0.5 s of stereo f32, 256 KiB at 48 kHz), its
  // snapshot and its meters: 40 leaks would grow the wasm memory by over 15 MB. A removed
  // scope's processor and ring are freed only when the audio thread confirms it let go, so on a
  // loaded machine a few of them can be alive at once and raise the allocator's high-water mark
  // (2.1 MB was seen once in a fresh-clone run, 0 in the others): allow 4 MB, a quarter of 40
  // leaks.
  const wasmGrowth = end.wasmBytes - warm.wasmBytes;
  assert.ok(wasmGrowth <= 4 * 1024 * 1024, `wasm memory grew by ${wasmGrowth} bytes over 40 cycles`);
  const growth = end.jsHeap - warm.jsHeap;
  assert.ok(growth < 4 * 1024 * 1024, `JS heap grew by ${growth} bytes over 40 cycles (${warm.jsHeap} -> ${end.jsHeap})`);
  console.log(`# 50 cycles: wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} bytes; JS heap ${warm.jsHeap} -> ${end.jsHeap} bytes`);
  assert.deepEqual(errors, []);
});

test('without COOP/COEP the element works through the message-port fallback and says so', async () => {
  const { page, errors } = await elementPage({ isolated: false });
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
  await addScope(page, 'a', { source: 'none' });
  const notice = await page.evaluate(() => {
    const n = document.getElementById('a').shadowRoot.querySelector('[part~="notice"]');
    return { hidden: n.hidden, text: n.textContent };
  });
  assert.equal(notice.hidden, false);
  assert.match(notice.text, /message port/);
  await feed(page, 'a', 'quadrature');
  await page.waitForFunction(() => document.getElementById('a').stats.samplesDrawn > 5000);
  const st = await page.evaluate(() => document.getElementById('a').stats);
  assert.equal(st.transport, 'message-port');
  assert.ok(st.samplesWritten > 5000, JSON.stringify(st));
  const m = await pixels(page, 'a');
  assert.ok(m.lit > 200 && m.centreLit === 0, `a ring: ${JSON.stringify(m)}`);
  assert.deepEqual(errors, []);
});

/** A page of the site laid out under `/site/sub/` (every file one level deeper than the dev
 * server puts it), served by a small proxy in front of the dev server (a real server: the
 * browser's worklet requests bypass page.route); `assets` (a path) maps there too, for the
 * assetsUrl override, and paths under `blocked` are 404. Returns the page and every path the
 * proxy was asked for. */
async function relocatedPage({ assets = null, blocked = [] } = {}) {
  const requested = [];
  const prefixes = ['/site/sub/', ...(assets ? [assets] : [])];
  const proxy = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://proxy');
    requested.push(url.pathname);
    const prefix = prefixes.find((p) => url.pathname.startsWith(p));
    if (!prefix || blocked.some((b) => url.pathname.startsWith(b))) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cross-origin-resource-policy': 'same-origin' }).end('not here');
      return;
    }
    const upstream = await fetch(`${BASE}/${url.pathname.slice(prefix.length)}${url.search}`);
    const headers = Object.fromEntries([...upstream.headers].filter(([k]) => !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)));
    res.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  proxies.push(proxy);
  const origin = `http://127.0.0.1:${proxy.address().port}`;
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  openPages.push(page);
  const errors = collectErrors(page);
  if (assets) await page.addInitScript((a) => (window.vectorscopeConfig = { assetsUrl: a }), assets);
  await page.goto(`${origin}/site/sub/embed.html`);
  await page.waitForFunction(() => customElements.get('vector-scope'));
  await page.evaluate(() => document.querySelectorAll('vector-scope').forEach((e) => e.remove()));
  return { page, errors, requested };
}

test('the element finds its wasm and worklets beside its module, under any path, or where assetsUrl says', async () => {
  // The whole site under a sub-path: everything is found relative to the module.
  {
    const { page, errors, requested } = await relocatedPage();
    await addScope(page, 'a', { source: 'none' });
    await feed(page, 'a', 'quadrature');
    await page.waitForFunction(() => document.getElementById('a').stats.samplesDrawn > 5000);
    const m = await pixels(page, 'a');
    assert.ok(m.lit > 200 && m.centreLit === 0, `a ring: ${JSON.stringify(m)}`);
    const outside = requested.filter((p) => !p.startsWith('/site/sub/') && p !== '/favicon.ico');
    assert.deepEqual(outside, [], 'every request stays under the sub-path');
    assert.ok(requested.includes('/site/sub/pkg/vectorscope_bg.wasm') && requested.includes('/site/sub/worklet/processor.js'), requested.join(' '));
    assert.deepEqual(errors, []);
  }
  // The binary and the worklets somewhere else (assetsUrl), and not beside the module.
  {
    const { page, errors, requested } = await relocatedPage({ assets: '/cdn/vs/', blocked: ['/site/sub/pkg/vectorscope_bg.wasm', '/site/sub/worklet/'] });
    await addScope(page, 'a', { source: 'none' });
    await feed(page, 'a', 'quadrature');
    await page.waitForFunction(() => document.getElementById('a').stats.samplesDrawn > 5000);
    const m = await pixels(page, 'a');
    assert.ok(m.lit > 200 && m.centreLit === 0, `a ring: ${JSON.stringify(m)}`);
    assert.ok(requested.includes('/cdn/vs/pkg/vectorscope_bg.wasm') && requested.includes('/cdn/vs/worklet/processor.js'), requested.join(' '));
    assert.deepEqual(errors, []);
  }
  // assetsUrl pointing nowhere: a clear error naming the setting, nothing thrown at the page.
  {
    const { page, requested } = await relocatedPage({ assets: '/nowhere/', blocked: ['/nowhere/'] });
    const detail = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const el = document.createElement('vector-scope');
          el.addEventListener('scope-error', (e) => resolve(e.detail), { once: true });
          el.addEventListener('scope-ready', () => el.connect(new GainNode(el.audioContext)).catch(() => {}), { once: true });
          document.body.append(el);
        }),
    );
    assert.ok(['wasm-failed', 'assets-missing'].includes(detail.code), JSON.stringify(detail));
    assert.match(detail.message, /vectorscopeConfig\.assetsUrl/);
    assert.ok(requested.some((p) => p.startsWith('/nowhere/')), requested.join(' '));
  }
});

test('the control bar is labelled and works from the keyboard', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'k', { controls: '', source: 'microphone' });
  const labels = await page.evaluate(() => {
    const root = document.getElementById('k').shadowRoot;
    return [...root.querySelectorAll('[part~="controls"] button, [part~="controls"] select, [part~="controls"] input')].map(
      (c) => c.getAttribute('aria-label') ?? c.textContent.trim(),
    );
  });
  assert.ok(labels.every((l) => l && l.length > 1), `every control is named: ${JSON.stringify(labels)}`);
  // Tab into the element: its first control is Start; Enter starts, Enter again stops.
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'before';
    b.textContent = 'before';
    document.getElementById('k').before(b);
    b.focus();
  });
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.getElementById('k').shadowRoot.activeElement?.getAttribute('part'));
  assert.equal(focused, 'button start-button');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('k').stats.running);
  // Arrow keys move the gain slider, and the attribute follows.
  await page.evaluate(() => document.getElementById('k').shadowRoot.querySelector('[part~="gain"]').focus());
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.getElementById('k').getAttribute('gain')), '0.5');
  await page.evaluate(() => document.getElementById('k').shadowRoot.querySelector('[part~="start-button"]').focus());
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.getElementById('k').stats.running);
  assert.deepEqual(errors, []);
});

test('gain is in dB: -6.02 dB halves the ring, +3.52 dB makes it 1.5 times; the meters do not move', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'none' });
  await feed(page, 'a', 'quadrature');
  const read = async (gain) => {
    await page.evaluate((gain) => (document.getElementById('a').gain = gain), gain);
    await frames(page, 'a', 40);
    const rms = await page.evaluate(() => document.getElementById('a').meters.rms);
    return { ...(await pixels(page, 'a')), rms };
  };
  const unity = await read(0);
  const half = await read(-6.02);
  const more = await read(3.52);
  assert.ok(Math.abs(unity.radius - 0.5) < 0.04, `0 dB: the ring at 0.5 of full scale: ${JSON.stringify(unity)}`);
  assert.ok(Math.abs(half.radius / unity.radius - 0.5) < 0.03, `-6.02 dB: ${half.radius} against ${unity.radius}`);
  assert.ok(Math.abs(more.radius / unity.radius - 1.5) < 0.06, `+3.52 dB: ${more.radius} against ${unity.radius}`);
  for (const r of [half, more]) {
    for (const c of [0, 1]) assert.ok(Math.abs(r.rms[c] - unity.rms[c]) < 0.05, `the meters read the signal: ${r.rms} against ${unity.rms}`);
  }
  assert.deepEqual(errors, []);
});

test('dragging the gain slider sends only the gain: the trace keeps its join', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'none', controls: '' });
  await feed(page, 'a', 'quadrature');
  const calls = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const r = el.scopeView.renderer;
    const calls = {};
    // Count what reaches the real renderer; setMode clears the renderer's last point, so a
    // mode re-sent at each step would break the trace's join at each step.
    for (const name of ['setMode', 'setGainDb', 'setPersistence', 'setIntensity', 'setColor', 'setSpotSize', 'setGraticule', 'setGlow']) {
      const f = r[name].bind(r);
      calls[name] = 0;
      r[name] = (...a) => {
        calls[name]++;
        return f(...a);
      };
    }
    const slider = el.shadowRoot.querySelector('input.gain');
    for (let i = 0; i < 30; i++) {
      slider.value = String(-12 + 0.5 * (i + 1)); // -11.5 to +3 dB
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((res) => requestAnimationFrame(res));
    }
    return calls;
  });
  assert.equal(calls.setGainDb, 30, JSON.stringify(calls));
  for (const [name, n] of Object.entries(calls)) if (name !== 'setGainDb') assert.equal(n, 0, `${name} was sent ${n} times: ${JSON.stringify(calls)}`);
  const m = await pixels(page, 'a');
  assert.ok(m.lit > 200 && m.centreLit === 0, `a ring: ${JSON.stringify(m)}`);
  assert.deepEqual(errors, []);
});
