// The core suite, the same on every engine (VECTORSCOPE_ENGINE: chromium, firefox or webkit;
// `cargo xtask test --browser NAME` sets it): the app page loads and says its transport, audio
// reaches the ring at the sample rate with nothing dropped, the fake microphone's mono tone is
// drawn as the +45 degree diagonal in XY and upright in M/S, stop releases the track, the
// element's attributes, events and stats behave, and snapshot() gives a PNG. On Firefox only, a
// second Firefox on real devices captures a stereo WAV looped through PulseAudio: quadrature is
// a ring and left only a horizontal line (the other engines have no stereo microphone here).
// Everything runs through page scripts (no screenshots, no init scripts), so one small driver
// interface (drivers.mjs) serves all three engines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchEngine } from './drivers.mjs';
import { PulseMicrophone } from './pulse-microphone.mjs';
import { writeWav } from '../fixtures/wav.mjs';

const ENGINE = process.env.VECTORSCOPE_ENGINE || 'chromium';
const BASE = process.env.VECTORSCOPE_URL;
if (!BASE) throw new Error('VECTORSCOPE_URL is not set: run the browser tests with `cargo xtask test`');

let browser;
let app;
const started = Date.now();
before(async () => {
  browser = await launchEngine(ENGINE);
  console.log(`# engine: ${browser.version}`);
});
after(async () => {
  await browser?.close();
  console.log(`# ${ENGINE}: core suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** In the page: the lit (beam-green) pixels of a PNG blob (from snapshot()), as the element
 * tests measure them: { lit, angle (degrees, of their principal axis), thinness (spread across
 * that axis over the spread along it: 0 a line, 1 round), ring (the spread of their distances
 * from their centroid over the mean distance: near 0 for a circle's outline), centre, width,
 * height }. */
function measurePng(blob) {
  return createImageBitmap(blob).then((bmp) => {
    const c = document.createElement('canvas');
    c.width = bmp.width;
    c.height = bmp.height;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(bmp, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, bmp.width, bmp.height);
    let lit = 0, cxx = 0, cyy = 0, cxy = 0, sx = 0, sy = 0;
    const pts = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        if (data[i + 1] > 70 && data[i + 1] > data[i] + 45) {
          const px = x + 0.5 - width / 2;
          const py = height / 2 - y - 0.5;
          pts.push(px, py);
          lit++;
          sx += px;
          sy += py;
        }
      }
    }
    const mx = sx / lit, my = sy / lit;
    let sr = 0, srr = 0;
    for (let i = 0; i < pts.length; i += 2) {
      const dx = pts[i] - mx, dy = pts[i + 1] - my;
      cxx += dx * dx;
      cyy += dy * dy;
      cxy += dx * dy;
      const r = Math.hypot(dx, dy);
      sr += r;
      srr += r * r;
    }
    const meanR = sr / lit;
    const ring = Math.sqrt(Math.max(0, srr / lit - meanR * meanR)) / Math.max(1e-9, meanR);
    const angle = ((0.5 * Math.atan2(2 * cxy, cxx - cyy)) * 180) / Math.PI;
    // How line-like: the spread across the principal axis over the spread along it.
    const t = cxx + cyy, d = Math.sqrt((cxx - cyy) ** 2 + 4 * cxy * cxy);
    const thinness = Math.sqrt(Math.max(0, t - d) / Math.max(1e-9, t + d));
    return { lit, angle, thinness, ring, centre: [mx / width, my / height], width, height };
  });
}

test('the app page loads with no page error and says which transport it uses', async (t) => {
  app = await browser.newPage();
  await app.goto(`${BASE}/`);
  await app.waitFor(() => document.body.dataset.state !== 'loading', null, { what: 'the app page to start' });
  const env = await app.run(() => ({
    state: document.body.dataset.state,
    problems: document.getElementById('problems').textContent,
    isolated: globalThis.crossOriginIsolated === true,
    sab: typeof SharedArrayBuffer === 'function',
    webgpu: Boolean(navigator.gpu),
    transport: document.getElementById('env-transport').textContent,
    backend: document.body.dataset.backend,
    notice: document.getElementById('notice').hidden ? null : document.getElementById('notice').dataset.code,
    noticeText: document.getElementById('notice').textContent,
    userAgent: navigator.userAgent,
  }));
  t.diagnostic(`${ENGINE}: ${JSON.stringify(env)}`);
  assert.equal(env.state, 'ready', `the page refused: ${env.problems}`);
  const expected = env.isolated && env.sab ? 'shared-ring' : 'message-port';
  assert.equal(env.transport, expected);
  assert.ok(['webgpu', 'webgl2'].includes(env.backend), `backend ${env.backend}`);
  if (expected === 'shared-ring') {
    assert.equal(env.notice, null);
  } else if (env.isolated) {
    // Isolated but no SharedArrayBuffer (WebKitGTK): the notice must not blame the headers.
    assert.equal(env.notice, 'no-shared-memory');
    assert.match(env.noticeText, /SharedArrayBuffer/);
    assert.doesNotMatch(env.noticeText, /Not cross-origin isolated/);
  } else {
    assert.equal(env.notice, 'not-isolated');
  }
  // Let the first frames draw (pipelines compile) before checking for errors.
  await app.waitFor(() => window.vectorscopeApp.scope.scopeView.frameCount > 5, null, { what: 'frames' });
  assert.deepEqual(await app.errors(), []);
});

// WebKitGTK: a known gap (docs/browsers.md), run and reported as TODO, never skipped. At its 7-9
// software-rendered frames per second the main thread is sometimes late by more than the message
// port's 0.35 s of buffers: a frame over 0.25 s makes the drain skip, and under load the
// worklet's pool runs dry and drops (seen: 6,144 dropped, 478 skipped, 42,350/s in one run;
// none dropped, 1,263 skipped in another).
const webkitGap = ENGINE === 'webkit' && 'WebKitGTK: the message port drops or the drain skips a little at ~8 fps (docs/browsers.md)';
test('audio reaches the ring at the sample rate, none dropped while visible after warm-up', { todo: webkitGap }, async (t) => {
  assert.ok(app, 'the app page loaded');
  await app.run(() => window.vectorscopeApp.scope.start());
  await app.waitFor(() => window.vectorscopeApp.scope.stats.running && window.vectorscopeApp.scope.stats.samplesWritten > 0, null, {
    what: 'audio to run',
  });
  const r = await app.run(async () => {
    const scope = window.vectorscopeApp.scope;
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    await wait(1000); // warm-up
    // samplesWritten against the clock every 100 ms for 8 s, and the slope of the line through
    // them: over the message port the page writes in bursts as the main thread gets to the
    // messages, and at WebKit's ~9 frames per second up to ~0.2 s of audio is in flight, so a
    // short window reads a few per cent low (4 s: 3 %; 12 s: 0.5 %; nothing lost: the counts of
    // quanta and samples agree and nothing is dropped).
    const s0 = scope.stats;
    const ctx = scope.audioContext;
    const points = [];
    const t0 = performance.now();
    const c0 = ctx.currentTime;
    while (performance.now() - t0 < 8000) {
      points.push([(performance.now() - t0) / 1000, scope.stats.samplesWritten]);
      await wait(100);
    }
    const s1 = scope.stats;
    const contextClock = (ctx.currentTime - c0) / ((performance.now() - t0) / 1000);
    const n = points.length;
    const mt = points.reduce((a, p) => a + p[0], 0) / n;
    const mw = points.reduce((a, p) => a + p[1], 0) / n;
    const slope = points.reduce((a, p) => a + (p[0] - mt) * (p[1] - mw), 0) / points.reduce((a, p) => a + (p[0] - mt) ** 2, 0);
    return {
      rate: s1.sampleRate,
      perSecond: slope,
      points: n,
      contextClock,
      quantaPerSecond: ((s1.quanta - s0.quanta) * 1000) / (performance.now() - t0),
      writtenDelta: s1.samplesWritten - s0.samplesWritten,
      quantaFrames: (s1.quanta - s0.quanta) * 128,
      dropped: s1.dropped - s0.dropped,
      skipped: s1.skipped - s0.skipped,
      nonFinite: s1.nonFinite,
      fps: s1.fps,
      transport: s1.transport,
      visible: document.visibilityState,
      contextState: scope.audioContext.state,
    };
  });
  t.diagnostic(`${ENGINE}: ${JSON.stringify(r)}`);
  assert.equal(r.visible, 'visible');
  assert.equal(r.contextState, 'running');
  assert.ok(Math.abs(r.perSecond - r.rate) / r.rate < 0.02, `wrote ${r.perSecond.toFixed(0)}/s at ${r.rate} Hz`);
  assert.equal(r.dropped, 0, 'dropped after warm-up');
  assert.equal(r.skipped, 0, 'skipped after warm-up');
  assert.equal(r.nonFinite, 0);
});

test('the fake microphone (a mono tone) is the +45 degree diagonal in XY and upright in M/S', async (t) => {
  assert.ok(app, 'the app page loaded');
  // auto-gain fits the tone to the graticule whatever its level (Firefox's is at -23 dBFS).
  await app.run(() => {
    const scope = window.vectorscopeApp.scope;
    scope.autoGain = true;
    scope.mode = 'xy';
  });
  const figure = (mode) =>
    app.run(
      async ({ mode, measure }) => {
        const scope = window.vectorscopeApp.scope;
        scope.mode = mode;
        const wait = (ms) => new Promise((r) => setTimeout(r, ms));
        await wait(1500); // the auto-gain settles, the old figure fades
        // eslint-disable-next-line no-new-func
        const m = await new Function(`return (${measure})`)()(await scope.snapshot());
        return { ...m, correlation: scope.meters.correlation, autoGainDb: scope.stats.autoGainDb };
      },
      { mode, measure: measurePng.toString() },
    );
  const xy = await figure('xy');
  t.diagnostic(`${ENGINE} xy: ${JSON.stringify(xy)}`);
  assert.ok(xy.correlation > 0.95, `a mono input: correlation ${xy.correlation}`);
  assert.ok(xy.lit > 200, `lit pixels ${xy.lit}`);
  assert.ok(Math.abs(xy.angle - 45) < 4, `XY angle ${xy.angle}`);
  assert.ok(xy.thinness < 0.15, `a line, not a figure: ${xy.thinness}`);
  const ms = await figure('ms');
  t.diagnostic(`${ENGINE} ms: ${JSON.stringify(ms)}`);
  assert.ok(ms.lit > 200, `lit pixels ${ms.lit}`);
  assert.ok(Math.abs(Math.abs(ms.angle) - 90) < 4, `M/S angle ${ms.angle}`);
  assert.ok(ms.thinness < 0.15, `a line, not a figure: ${ms.thinness}`);
  await app.run(() => {
    const scope = window.vectorscopeApp.scope;
    scope.autoGain = false;
    scope.mode = 'xy';
  });
});

test('stop releases the microphone track', async () => {
  assert.ok(app, 'the app page loaded');
  const r = await app.run(async () => {
    const scope = window.vectorscopeApp.scope;
    const tracks = scope.scopeAudio.stream.getTracks();
    const live = tracks.map((t) => t.readyState);
    await scope.stop();
    return {
      live,
      after: tracks.map((t) => t.readyState),
      state: scope.state,
      running: scope.stats.running,
      appState: document.body.dataset.audio,
    };
  });
  assert.ok(r.live.length >= 1 && r.live.every((s) => s === 'live'), `tracks while running: ${r.live}`);
  assert.ok(r.after.every((s) => s === 'ended'), `tracks after stop: ${r.after}`);
  assert.equal(r.state, 'idle');
  assert.equal(r.running, false);
  assert.equal(r.appState, 'stopped');
  assert.deepEqual(await app.errors(), []);
});

test("the element's attributes, events and stats behave; snapshot() gives a PNG", async (t) => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/embed.html`);
  await page.waitFor(() => Boolean(customElements.get('vector-scope')), null, { what: 'the element' });
  await page.run(async () => {
    document.querySelectorAll('vector-scope').forEach((e) => e.remove());
    const log = window.__engineLog;
    const warningsBefore = log.warnings.length;
    const el = document.createElement('vector-scope');
    el.id = 'core';
    el.style.width = '320px';
    for (const [k, v] of Object.entries({ source: 'none', mode: 'MS', gain: 'loud', persistence: '200', 'dc-block': '' })) el.setAttribute(k, v);
    const events = [];
    for (const type of ['scope-ready', 'scope-start', 'scope-stop', 'scope-error']) {
      el.addEventListener(type, (e) => events.push({ type, code: e.detail?.code ?? null, transport: e.detail?.transport ?? null }));
    }
    const ready = new Promise((resolve) => el.addEventListener('scope-ready', resolve, { once: true }));
    document.body.append(el);
    await ready;
    const attrs = { mode: el.mode, gain: el.gain, persistence: el.persistence, dcBlock: el.dcBlock, source: el.source };
    el.intensity = 2;
    el.swap = true;
    el.gain = null;
    const reflected = { intensity: el.getAttribute('intensity'), swap: el.getAttribute('swap'), gain: el.getAttribute('gain'), gainValue: el.gain };
    el.swap = false;
    el.mode = 'xy';
    const idle = el.stats;
    // A mono oscillator through connect(): the element's own path, no microphone.
    const ctx = el.audioContext;
    const osc = new OscillatorNode(ctx, { frequency: 150 });
    const g = new GainNode(ctx, { gain: 0.5 });
    const merger = new ChannelMergerNode(ctx, { numberOfInputs: 2 });
    osc.connect(g);
    g.connect(merger, 0, 0);
    g.connect(merger, 0, 1);
    osc.start();
    await el.connect(merger);
    window.__core = { warningsBefore, events, attrs, reflected, idle, osc, stateRunning: el.state, dataState: el.dataset.state };
    await new Promise((r) => setTimeout(r, 500));
  });
  // The autoplay rule (WebKit): a context made without a user gesture stays suspended; the
  // element says so (context-suspended) with a Resume button, and a real click on it resumes.
  const suspended = await page.run(() => window.__core.events.some((e) => e.code === 'context-suspended'));
  if (suspended) {
    t.diagnostic(`${ENGINE}: the AudioContext was suspended (autoplay rule): clicking Resume`);
    await page.clickIn('#core', '[part~="resume-button"]');
    await page.waitFor(() => document.getElementById('core').audioContext.state === 'running', null, { what: 'the click to resume the context' });
  }
  const r = await page.run(async (measure) => {
    const log = window.__engineLog;
    const el = document.getElementById('core');
    const { warningsBefore, events, attrs, reflected, idle, osc, stateRunning, dataState } = window.__core;
    await new Promise((r) => setTimeout(r, 1500));
    const running = el.stats;
    const blob = await el.snapshot();
    const bytes = [...new Uint8Array(await blob.slice(0, 8).arrayBuffer())];
    // eslint-disable-next-line no-new-func
    const shot = await new Function(`return (${measure})`)()(blob);
    const canvas = el.shadowRoot.querySelector('canvas');
    let badConnect = null;
    try {
      await el.connect('not a node');
    } catch (e) {
      badConnect = e.code;
    }
    await el.stop();
    osc.stop();
    const stopped = el.stats;
    return {
      attrs,
      reflected,
      warnings: log.warnings.slice(warningsBefore),
      stateRunning,
      dataState,
      stateAfter: el.state,
      idleKeys: Object.keys(idle).sort(),
      events: events.filter((e) => e.code !== 'context-suspended'),
      suspendedEvents: events.filter((e) => e.code === 'context-suspended').length,
      runningKeys: Object.keys(running).sort(),
      running,
      stoppedRunning: stopped.running,
      png: { type: blob.type, size: blob.size, bytes, width: shot.width, height: shot.height, lit: shot.lit, angle: shot.angle },
      canvas: [canvas.width, canvas.height],
      badConnect,
      backendAttr: el.dataset.backend,
    };
  }, measurePng.toString());
  t.diagnostic(`${ENGINE}: ${JSON.stringify({ ...r, idleKeys: undefined, runningKeys: undefined })}`);
  assert.deepEqual(r.attrs, { mode: 'ms', gain: 0, persistence: 200, dcBlock: true, source: 'none' });
  assert.deepEqual(r.reflected, { intensity: '2', swap: '', gain: null, gainValue: 0 });
  // One warning, for the one bad value, and nothing else (no WebGPU/WebGL warning storm).
  assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
  assert.match(r.warnings[0], /gain="loud"/);
  const keys = ['autoGainDb', 'backend', 'drained', 'dropped', 'fps', 'frames', 'nonFinite', 'quanta', 'running', 'sampleRate', 'samplesDrawn', 'samplesWritten', 'segmentsPerFrame', 'skipped', 'startupMs', 'transport'];
  for (const k of keys) assert.ok(r.runningKeys.includes(k), `stats has ${k}`);
  assert.deepEqual(r.idleKeys, r.runningKeys, 'the same stats fields before and while running');
  assert.equal(r.stateRunning, 'running');
  assert.equal(r.dataState, 'running');
  assert.equal(r.stateAfter, 'idle');
  assert.equal(r.running.running, true);
  assert.equal(r.stoppedRunning, false);
  assert.ok(r.running.samplesWritten > 0.5 * r.running.sampleRate, `written ${r.running.samplesWritten}`);
  assert.ok(r.running.frames > 5 && r.running.samplesDrawn > 0, `frames ${r.running.frames}, drawn ${r.running.samplesDrawn}`);
  assert.equal(r.running.backend, r.backendAttr);
  assert.equal(r.badConnect, 'not-a-node');
  assert.deepEqual(
    r.events.map((e) => e.type + (e.code ? `:${e.code}` : '')),
    ['scope-ready', 'scope-start', 'scope-error:not-a-node', 'scope-stop'],
  );
  assert.equal(r.events[1].transport, r.running.transport);
  assert.equal(r.suspendedEvents, suspended ? 1 : 0, 'context-suspended once, only where the context was suspended');
  // snapshot(): a PNG of the canvas as drawn, the mono oscillator's diagonal on it.
  assert.equal(r.png.type, 'image/png');
  assert.deepEqual(r.png.bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual([r.png.width, r.png.height], r.canvas);
  assert.ok(r.png.lit > 100 && Math.abs(r.png.angle - 45) < 5, `the diagonal in the PNG: ${r.png.lit} px at ${r.png.angle}`);
  assert.deepEqual(await page.errors(), []);
  await page.close();
});

// Firefox only: the one engine here whose microphone can be a real stereo input. A second
// Firefox, on real devices, captures PulseAudio's default source, which pulse-microphone.mjs
// makes a null sink's monitor with a generated WAV looped into the sink (the other engines'
// fake microphones are mono, and they keep the tests above).
if (ENGINE === 'firefox') {
  test('a stereo WAV through PulseAudio (Firefox, real devices): quadrature is a ring, left only a horizontal line', async (t) => {
    // 440 Hz at 0.5, 1 s at 44.1 kHz: a whole number of periods, so the loop has no click.
    const rate = 44100;
    const dir = mkdtempSync(join(tmpdir(), 'vectorscope-stereo-'));
    const sin = (_i, t) => 0.5 * Math.sin(2 * Math.PI * 440 * t);
    const cos = (_i, t) => 0.5 * Math.cos(2 * Math.PI * 440 * t);
    const quadrature = writeWav(join(dir, 'quadrature.wav'), { sampleRate: rate, frames: rate, channels: [sin, cos] });
    const leftOnly = writeWav(join(dir, 'left-only.wav'), { sampleRate: rate, frames: rate, channels: [sin, () => 0] });
    const mic = PulseMicrophone.open({ sampleRate: rate });
    let ff;
    try {
      await mic.play(quadrature);
      ff = await launchEngine('firefox', { realDevices: true });
      const page = await ff.newPage();
      await page.goto(`${BASE}/`);
      await page.waitFor(() => document.body.dataset.state !== 'loading', null, { what: 'the app page to start' });
      const input = await page.run(async () => {
        const scope = window.vectorscopeApp.scope;
        scope.autoGain = true;
        scope.mode = 'xy';
        await scope.start();
        const track = scope.scopeAudio.stream.getAudioTracks()[0];
        return { label: track.label, settings: track.getSettings(), state: scope.state };
      });
      t.diagnostic(`firefox stereo input: ${JSON.stringify(input)}`);
      assert.equal(input.label, mic.label, 'the track is the PulseAudio sink the WAV plays into');
      assert.equal(input.settings.channelCount, 2, 'two channels captured');
      // Polls the drawn figure (a snapshot() PNG and the meters, every 250 ms) until `ok` holds
      // of it: the auto-gain settles and the previous figure fades in its own time.
      const figure = async (what, ok) => {
        const deadline = Date.now() + 20_000;
        const started = Date.now();
        for (;;) {
          const m = await page.run(async (measure) => {
            const scope = window.vectorscopeApp.scope;
            // eslint-disable-next-line no-new-func
            const shot = await new Function(`return (${measure})`)()(await scope.snapshot());
            const { correlation, balance } = scope.meters;
            return { ...shot, correlation, balance, autoGainDb: scope.stats.autoGainDb };
          }, measurePng.toString());
          if (ok(m)) {
            t.diagnostic(`firefox ${what} after ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(m)}`);
            return m;
          }
          if (Date.now() > deadline) assert.fail(`no ${what} within 20 s; last: ${JSON.stringify(m)}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      // L = sin, R = cos: uncorrelated and centred, a circle's outline about the centre.
      await figure('quadrature ring', (m) =>
        m.lit > 500 && Math.abs(m.correlation) < 0.1 && Math.abs(m.balance) < 0.1 && m.thinness > 0.85 && m.ring < 0.15 &&
        Math.hypot(...m.centre) < 0.02);
      // Left only: L on x, so a horizontal line through the centre.
      await mic.play(leftOnly);
      await figure('left-only horizontal line', (m) =>
        m.lit > 200 && m.balance < -0.95 && Math.abs(m.angle) < 4 && m.thinness < 0.15 && Math.hypot(...m.centre) < 0.02);
      await page.run(() => window.vectorscopeApp.scope.stop());
      assert.deepEqual(await page.errors(), []);
    } finally {
      await ff?.close();
      await mic.close();
    }
  });
}
