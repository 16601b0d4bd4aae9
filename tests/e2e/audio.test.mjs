// The audio path end to end: Chromium's fake microphone plays a generated stereo WAV
// (L = 440 Hz at 0.5, R = 660 Hz at 0.25) into the real AudioWorklet, whose Rust processor
// pushes every quantum into the ring in shared memory; the page drains it each animation frame.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { BASE, launch, collectErrors, waitForStartup, withoutIsolation } from './browser.mjs';
import { writeStereoTones } from '../fixtures/wav.mjs';
import { figureReach, notTheTones } from './figure.mjs';

const wav = writeStereoTones(join(mkdtempSync(join(tmpdir(), 'vectorscope-')), 'tones.wav'));

let browser;
const openPages = [];
// A failed test must not leave its page running (and loading the next ones).
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.close().catch(() => {});
});
before(async () => {
  browser = await launch({ wav });
});
after(async () => {
  await browser?.close();
});

async function appPage(b = browser, { isolated = true } = {}) {
  const page = await b.newPage();
  openPages.push(page);
  const errors = collectErrors(page);
  if (!isolated) await withoutIsolation(page);
  await page.goto(`${BASE}/`);
  assert.equal(await waitForStartup(page), 'ready');
  // Let the scope draw its first frames (the GPU compiles its pipelines then, a main-thread stall
  // of a few hundred ms in software rendering) before a test times anything.
  await page.waitForFunction(() => {
    const v = window.vectorscopeApp.scope.scopeView;
    return v.stats.frames >= 1 && v.frameCount > 5;
  });
  return { page, errors };
}

/** Zero crossings (rising) per second, and RMS, of one channel. */
function analyse(samples, sampleRate) {
  let rising = 0;
  let first = -1;
  let last = -1;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    sum += samples[i] * samples[i];
    if (i > 0 && samples[i - 1] < 0 && samples[i] >= 0) {
      if (first < 0) first = i;
      else rising++;
      last = i;
    }
  }
  return { freq: (rising * sampleRate) / (last - first), rms: Math.sqrt(sum / samples.length), peak: Math.max(...samples.map(Math.abs)) };
}

/** In the page: drains `audio` every animation frame until `seconds` of audio were collected
 * (after skipping the first `settle` seconds); returns the channels as plain arrays. */
function collectInPage(page, { seconds = 1, settle = 0.3 } = {}) {
  return page.evaluate(
    ({ seconds, settle }) =>
      new Promise((resolve, reject) => {
        const audio = window.testAudio;
        const rate = audio.stats.sampleRate;
        const L = [];
        const R = [];
        let skip = Math.round(settle * rate);
        const deadline = performance.now() + 15000;
        function frame() {
          const { count, samples } = audio.drain();
          for (let i = 0; i < count; i++) {
            if (skip > 0) {
              skip--;
              continue;
            }
            L.push(samples[2 * i]);
            R.push(samples[2 * i + 1]);
          }
          if (L.length >= seconds * rate) resolve({ L, R, rate, stats: audio.stats });
          else if (performance.now() > deadline) reject(new Error(`only ${L.length} samples arrived`));
          else requestAnimationFrame(frame);
        }
        requestAnimationFrame(frame);
      }),
    { seconds, settle },
  );
}

test('the fake microphone reaches the ring in stereo with the right frequencies and levels', async () => {
  const { page, errors } = await appPage();
  await page.evaluate(async () => {
    const { ScopeAudio } = await import('/element/audio.js');
    window.testAudio = new ScopeAudio();
    await window.testAudio.startMicrophone();
  });
  const { L, R, rate, stats } = await collectInPage(page, { seconds: 1 });
  const left = analyse(L, rate);
  const right = analyse(R, rate);
  assert.ok(Math.abs(left.freq - 440) / 440 < 0.01, `left ${left.freq} Hz`);
  assert.ok(Math.abs(right.freq - 660) / 660 < 0.01, `right ${right.freq} Hz`);
  assert.ok(Math.abs(left.rms - 0.5 / Math.SQRT2) < 0.02, `left rms ${left.rms}`);
  assert.ok(Math.abs(right.rms - 0.25 / Math.SQRT2) < 0.02, `right rms ${right.rms}`);
  assert.equal(stats.running, true);
  assert.equal(stats.contextState, 'running');
  assert.equal(stats.nonFinite, 0);
  assert.ok(stats.capacity >= rate * 0.5, `capacity ${stats.capacity} holds half a second`);
  // The meters' levels over everything drained: RMS per channel, the peak and where it was.
  const [rmsL, rmsR, peak, peakAt] = await page.evaluate(() => Array.from(window.testAudio.tap.takeLevels()));
  assert.ok(Math.abs(rmsL - 0.5 / Math.SQRT2) < 0.03 && Math.abs(rmsR - 0.25 / Math.SQRT2) < 0.03, `levels ${rmsL} ${rmsR}`);
  assert.ok(Math.abs(peak - 0.5) < 0.01, `peak ${peak}`);
  assert.ok(Number.isInteger(peakAt) && peakAt >= 0 && peakAt < stats.samplesWritten, `peak at ${peakAt} of ${stats.samplesWritten}`);
  assert.deepEqual(errors, []);
});

test('samples are written at the sample rate and none is dropped while the page is visible', async () => {
  const { page } = await appPage();
  const r = await page.evaluate(async () => {
    const { ScopeAudio } = await import('/element/audio.js');
    const audio = new ScopeAudio();
    window.testAudio = audio;
    await audio.startMicrophone();
    // Drain every frame, as the app does, and measure written samples over 2 s of wall time.
    let draining = true;
    (function frame() {
      audio.drain();
      if (draining) requestAnimationFrame(frame);
    })();
    await new Promise((r) => setTimeout(r, 300));
    const s0 = audio.stats;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const s1 = audio.stats;
    const t1 = performance.now();
    draining = false;
    return {
      rate: s1.sampleRate,
      written: s1.samplesWritten - s0.samplesWritten,
      quanta: s1.quanta - s0.quanta,
      seconds: (t1 - t0) / 1000,
      dropped: s1.dropped,
      skipped: s1.skipped,
      visible: document.visibilityState,
    };
  });
  const measured = r.written / r.seconds;
  assert.equal(r.visible, 'visible');
  assert.ok(Math.abs(measured - r.rate) / r.rate < 0.02, `wrote ${measured.toFixed(0)}/s at ${r.rate} Hz`);
  // Each stats snapshot reads the ring's samplesWritten, then the processor's quanta: the audio
  // thread may finish a quantum between the two reads (and between its own two updates), so
  // each snapshot may count one quantum in one counter and not the other, and the difference
  // of two snapshots may be off by two quanta.
  assert.ok(Math.abs(r.quanta * 128 - r.written) <= 2 * 128, `every quantum pushed 128 frames: ${r.quanta} quanta, ${r.written} frames`);
  assert.equal(r.dropped, 0);
  assert.equal(r.skipped, 0);
});

test('after a stall only the newest window is drained and the rest is counted as skipped', async () => {
  const { page } = await appPage();
  const r = await page.evaluate(async () => {
    const { ScopeAudio } = await import('/element/audio.js');
    const audio = new ScopeAudio();
    await audio.startMicrophone();
    audio.drain();
    // Stop draining (as a hidden tab does) until 0.3 s of audio waits in the ring.
    const rate = audio.stats.sampleRate;
    for (const until = performance.now() + 10_000; audio.stats.available < 0.3 * rate; ) {
      if (performance.now() > until) throw new Error(`only ${audio.stats.available} samples waited after 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const waiting = audio.stats.available;
    const { count } = audio.drain(0.1);
    const s = audio.stats;
    await audio.close();
    return { rate, waiting, count, skipped: s.skipped, dropped: s.dropped };
  });
  assert.ok(r.waiting >= 0.3 * r.rate);
  assert.equal(r.count, Math.floor(0.1 * r.rate), 'drained exactly the newest 0.1 s');
  assert.ok(r.skipped >= r.waiting - r.count, `skipped ${r.skipped} of ${r.waiting}`);
  assert.equal(r.dropped, 0);
});

test('Stop releases the microphone, frees the ring and suspends the context', async () => {
  const { page, errors } = await appPage();
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  const before = await page.evaluate(() => {
    const a = window.vectorscopeApp.scope.scopeAudio;
    window.heldTracks = a.stream.getTracks();
    return { live: window.heldTracks.map((t) => t.readyState), label: document.getElementById('scope').shadowRoot.getElementById('start').textContent };
  });
  assert.deepEqual(before.live, ['live']);
  assert.equal(before.label, 'Stop');
  // The app's own stats panel shows samples arriving.
  await page.waitForFunction(() => Number(document.getElementById('st-written').textContent.replace(/,/g, '')) > 10000);
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'stopped');
  const after = await page.evaluate(() => {
    const a = window.vectorscopeApp.scope.scopeAudio;
    return {
      tracks: window.heldTracks.map((t) => t.readyState),
      context: a.context.state,
      tap: a.tap,
      label: document.getElementById('scope').shadowRoot.getElementById('start').textContent,
    };
  });
  assert.deepEqual(after.tracks, ['ended']);
  assert.equal(after.context, 'suspended');
  assert.equal(after.tap, null);
  assert.equal(after.label, 'Start');
  // And it starts again.
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  assert.deepEqual(errors, []);
});

test('without COOP/COEP the app page runs through the message-port fallback, says so and draws the microphone', async () => {
  const { page, errors } = await appPage(browser, { isolated: false });
  const env = await page.evaluate(() => ({
    isolated: crossOriginIsolated,
    notice: document.getElementById('notice').hidden ? null : document.getElementById('notice').dataset.code,
    noticeText: document.getElementById('notice').textContent,
    transport: document.getElementById('env-transport').textContent,
    problems: document.body.dataset.problems ?? '',
  }));
  assert.deepEqual(
    { isolated: env.isolated, notice: env.notice, transport: env.transport, problems: env.problems },
    { isolated: false, notice: 'not-isolated', transport: 'message-port', problems: '' },
  );
  assert.match(env.noticeText, /message port/);
  await page.locator('#scope').locator('[part~="start-button"]').click();
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  // The control bar overlays the canvas: hide it for readback.
  await page.addStyleTag({ content: 'vector-scope::part(controls), vector-scope::part(notice) { visibility: hidden !important; }' });
  await page.waitForFunction(() => document.getElementById('scope').stats.samplesDrawn > 24000, null, { timeout: 20_000 });
  const stats = await page.evaluate(() => document.getElementById('scope').stats);
  assert.equal(stats.transport, 'message-port');
  const reach = await figureReach(page, page.locator('#scope canvas'));
  assert.equal(notTheTones(reach), null);
  assert.deepEqual(errors, []);
});

test('a media element and any AudioNode go through the same path', async () => {
  const { page } = await appPage();
  const r = await page.evaluate(async () => {
    const { ScopeAudio } = await import('/element/audio.js');
    const audio = new ScopeAudio();
    window.testAudio = audio;
    const ctx = await audio.ensureContext();
    // Any AudioNode: two oscillators merged into L = 300 Hz, R = 500 Hz.
    const merger = ctx.createChannelMerger(2);
    const a = new OscillatorNode(ctx, { frequency: 300 });
    const b = new OscillatorNode(ctx, { frequency: 500 });
    a.connect(merger, 0, 0);
    b.connect(merger, 0, 1);
    a.start();
    b.start();
    await audio.connect(merger);
    return ctx.sampleRate;
  });
  let got = await collectInPage(page, { seconds: 0.5, settle: 0.1 });
  assert.ok(Math.abs(analyse(got.L, got.rate).freq - 300) < 3, 'oscillator L');
  assert.ok(Math.abs(analyse(got.R, got.rate).freq - 500) < 5, 'oscillator R');

  // A media element playing a WAV (a same-origin blob: URL, as COEP requires).
  await page.evaluate(async () => {
    const rate = 44100;
    const frames = rate;
    const data = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      data[2 * i] = Math.round(16000 * Math.sin((2 * Math.PI * 200 * i) / rate));
      data[2 * i + 1] = Math.round(16000 * Math.sin((2 * Math.PI * 800 * i) / rate));
    }
    const header = new DataView(new ArrayBuffer(44));
    const w = (o, s) => [...s].forEach((c, k) => header.setUint8(o + k, c.charCodeAt(0)));
    w(0, 'RIFF'); header.setUint32(4, 36 + data.byteLength, true); w(8, 'WAVE'); w(12, 'fmt ');
    header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 2, true);
    header.setUint32(24, rate, true); header.setUint32(28, rate * 4, true); header.setUint16(32, 4, true);
    header.setUint16(34, 16, true); w(36, 'data'); header.setUint32(40, data.byteLength, true);
    const url = URL.createObjectURL(new Blob([header, data], { type: 'audio/wav' }));
    await window.testAudio.startMedia(url);
  });
  got = await collectInPage(page, { seconds: 0.5, settle: 0.2 });
  assert.ok(Math.abs(analyse(got.L, got.rate).freq - 200) < 3, `media L ${analyse(got.L, got.rate).freq}`);
  assert.ok(Math.abs(analyse(got.R, got.rate).freq - 800) < 8, `media R ${analyse(got.R, got.rate).freq}`);
});

test('NaN and infinite samples are replaced before the ring and counted', async () => {
  const { page } = await appPage();
  const r = await page.evaluate(async () => {
    const { ScopeAudio } = await import('/element/audio.js');
    const audio = new ScopeAudio();
    const ctx = await audio.ensureContext();
    const buffer = ctx.createBuffer(2, 128, ctx.sampleRate);
    const l = buffer.getChannelData(0);
    const r = buffer.getChannelData(1);
    for (let i = 0; i < 128; i++) {
      l[i] = i % 4 === 0 ? NaN : 0.5;
      r[i] = i % 8 === 0 ? Infinity : -0.5;
    }
    const src = new AudioBufferSourceNode(ctx, { buffer, loop: true });
    src.start();
    await audio.connect(src);
    let all = true;
    let seen = 0;
    while (seen < 20000) {
      await new Promise((res) => requestAnimationFrame(res));
      const { count, samples } = audio.drain();
      for (let i = 0; i < count * 2; i++) all &&= Number.isFinite(samples[i]);
      seen += count;
    }
    const s = audio.stats;
    await audio.close();
    return { all, nonFinite: s.nonFinite, written: s.samplesWritten };
  });
  assert.equal(r.all, true, 'every drained sample is finite');
  assert.ok(r.nonFinite > 0, 'non-finite values were counted');
  // 32 NaN + 16 Inf per 128 frames.
  assert.ok(Math.abs(r.nonFinite / r.written - 48 / 128) < 0.05, `ratio ${r.nonFinite / r.written}`);
});

test('a crash on the audio thread surfaces as worklet-crashed and the scope restarts', async () => {
  const { page } = await appPage();
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  await page.evaluate(() => window.vectorscopeApp.scope.scopeAudio.tap.node.port.postMessage('test-trap'));
  await page.waitForSelector('#audio-error[data-code="worklet-crashed"]');
  assert.match(await page.textContent('#audio-error'), /audio processor stopped after an error/);
  await page.waitForFunction(() => document.body.dataset.audio === 'stopped');
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  const before = await page.evaluate(() => window.vectorscopeApp.scope.scopeAudio.stats.samplesWritten);
  await page.waitForFunction((n) => window.vectorscopeApp.scope.scopeAudio.stats.samplesWritten > n + 4096, before);
  assert.equal(await page.isHidden('#audio-error'), true);
});

for (const [name, flags, code, text] of [
  ['denied permission', { fakeUi: false }, 'permission-denied', /Microphone access was denied/],
  ['missing device', { fakeDevice: false }, 'no-device', /No microphone or audio input was found/],
]) {
  test(`a ${name} shows its own message`, async () => {
    const b = await launch({ ...flags, wav: flags.fakeDevice === false ? undefined : wav });
    try {
      const { page } = await appPage(b);
      await page.click('#start');
      await page.waitForSelector(`#audio-error[data-code="${code}"]`);
      assert.match(await page.textContent('#audio-error'), text);
      assert.equal(await page.evaluate(() => document.body.dataset.audio), 'stopped');
    } finally {
      await b.close();
    }
  });
}

test('an input that cannot satisfy the constraints shows overconstrained', async () => {
  const { page } = await appPage();
  await page.waitForSelector('#device[data-count]'); // the input list has been read
  await page.evaluate(() => {
    // The element's input chooser (in its shadow root).
    const select = document.getElementById('scope').shadowRoot.getElementById('device');
    select.append(new Option('Unplugged interface', 'no-such-device-id'));
    select.value = 'no-such-device-id';
    select.dispatchEvent(new Event('change'));
  });
  await page.click('#start');
  await page.waitForSelector('#audio-error[data-code="overconstrained"]');
  assert.match(await page.textContent('#audio-error'), /cannot provide what was asked for/);
  assert.equal(await page.evaluate(() => document.body.dataset.audio), 'stopped');
});

test('an input unplugged while running shows device-lost and stops', async () => {
  const { page } = await appPage();
  await page.click('#start');
  await page.waitForFunction(() => document.body.dataset.audio === 'running');
  await page.evaluate(() => {
    // The browser fires `ended` on the track when its device goes away.
    window.vectorscopeApp.scope.scopeAudio.stream.getAudioTracks()[0].dispatchEvent(new Event('ended'));
  });
  await page.waitForSelector('#audio-error[data-code="device-lost"]');
  await page.waitForFunction(() => document.body.dataset.audio === 'stopped');
  assert.match(await page.textContent('#audio-error'), /was disconnected/);
});

test('a context the browser keeps suspended asks for a click, and the click resumes it', async () => {
  const page = await browser.newPage();
  openPages.push(page);
  // Headless Chromium lets audio start without a gesture whatever --autoplay-policy says (and
  // page.evaluate counts as one), so the autoplay policy is played here: a context is suspended
  // until resume() is called after a real (trusted) click.
  await page.addInitScript(() => {
    let clicked = false;
    addEventListener('click', (e) => (clicked ||= e.isTrusted), true);
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options) {
        super(options);
        this.allowed = false;
        this.addEventListener('statechange', () => {
          if (this.state === 'running' && !this.allowed) this.suspend();
        });
      }
      resume() {
        if (!clicked) return Promise.resolve();
        this.allowed = true;
        return super.resume();
      }
    };
  });
  await page.goto(`${BASE}/`);
  assert.equal(await waitForStartup(page), 'ready');
  // Started without a user gesture (as an embedder's autostart would be): audio stays paused.
  await page.evaluate(() => window.vectorscopeApp.scope.scopeAudio.startMicrophone());
  await page.waitForSelector('#audio-error[data-code="context-suspended"]');
  assert.equal(await page.evaluate(() => window.vectorscopeApp.scope.scopeAudio.context.state), 'suspended');
  assert.match(await page.textContent('#audio-error'), /Click to resume/);
  await page.click('#audio-error button');
  await page.waitForFunction(() => window.vectorscopeApp.scope.scopeAudio.context.state === 'running');
  await page.waitForFunction(() => window.vectorscopeApp.scope.scopeAudio.stats.samplesWritten > 4096);
  assert.equal(await page.isHidden('#audio-error'), true);
});
