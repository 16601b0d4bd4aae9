// The element's own sources: source="demo" plays a built-in signal with no permission asked,
// heard at the volume setting; the phase sweep takes the correlation meter from +1 to -1;
// switching the source while running releases the microphone; a mono microphone gets a notice.
// (The tab source has its own file: it needs its own browser flags.)

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';

let browser;
const openPages = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});
afterEach(async () => {
  while (openPages.length) await openPages.pop().close();
});

const elementPage = (options) => openElementPage(browser, openPages, options);

test('each demo draws with no permission asked; volume and mute set what the speakers get', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', meters: '' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const out = {};
    for (const demo of ['lissajous', 'chord', 'phase-sweep']) {
      el.demo = demo;
      if (el.state !== 'running') await el.start();
      // Restarted on the new demo: wait for the ring to deliver its samples.
      const from = el.stats.samplesWritten;
      while (el.state !== 'running' || el.stats.samplesWritten < from + 24000) await new Promise((res) => setTimeout(res, 20));
      const m = el.meters;
      out[demo] = { rms: m.rms, correlation: m.correlation, drawn: el.stats.samplesDrawn };
    }
    const monitor = () => el.scopeAudio.opened.monitor.gain;
    out.volume = monitor().value;
    el.volume = 0.2;
    await new Promise((res) => setTimeout(res, 200));
    out.volumeSet = monitor().value;
    el.muted = true;
    await new Promise((res) => setTimeout(res, 200));
    out.mutedGain = monitor().value;
    out.gumCalls = window.gumCalls;
    await el.stop();
    out.after = el.state;
    return out;
  });
  assert.equal(r.gumCalls, 0, 'no permission asked');
  for (const demo of ['lissajous', 'chord', 'phase-sweep']) {
    const { rms, drawn } = r[demo];
    assert.ok(rms[0] > -20 && rms[1] > -20 && drawn > 0, `${demo} plays in both channels: ${JSON.stringify(r[demo])}`);
  }
  // 220 against 330.2 Hz: uncorrelated over the meter's window.
  assert.ok(Math.abs(r.lissajous.correlation) < 0.2, `lissajous correlation ${r.lissajous.correlation}`);
  assert.ok(Math.abs(r.volume - 0.5) < 1e-6, `the default volume: ${r.volume}`);
  assert.ok(Math.abs(r.volumeSet - 0.2) < 0.01, `volume 0.2: ${r.volumeSet}`);
  assert.ok(r.mutedGain < 0.001, `muted: ${r.mutedGain}`);
  assert.equal(r.after, 'idle');
  assert.deepEqual(errors, []);
});

test('the phase sweep takes the correlation from +1 to -1', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', demo: 'phase-sweep' });
  const seen = await page.evaluate(async () => {
    const el = document.getElementById('a');
    await el.start();
    let min = 1, max = -1;
    const deadline = performance.now() + 15000;
    while (performance.now() < deadline && !(min < -0.9 && max > 0.9)) {
      await new Promise((res) => setTimeout(res, 50));
      if (el.stats.drained < 24000) continue;
      const c = el.meters.correlation;
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    await el.stop();
    return { min, max };
  });
  assert.ok(seen.max > 0.9 && seen.min < -0.9, `the correlation ran from ${seen.max} to ${seen.min}`);
  assert.deepEqual(errors, []);
});

test('switching the source while running: the microphone is released, none stops', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'microphone' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const until = async (f) => {
      const deadline = performance.now() + 10000;
      while (!f() && performance.now() < deadline) await new Promise((res) => setTimeout(res, 20));
      return f();
    };
    await el.start();
    const out = { micLive: window.liveTracks() };
    el.source = 'demo';
    out.demoRunning = await until(() => el.state === 'running' && window.liveTracks() === 0);
    out.liveAfterDemo = window.liveTracks();
    el.source = 'none';
    out.stopped = await until(() => el.state === 'idle');
    out.liveAtEnd = window.liveTracks();
    return out;
  });
  assert.equal(r.micLive, 1, 'the microphone ran');
  assert.ok(r.demoRunning, 'the demo runs');
  assert.equal(r.liveAfterDemo, 0, 'the microphone was released');
  assert.ok(r.stopped, 'source none stops it');
  assert.equal(r.liveAtEnd, 0);
  assert.deepEqual(errors, []);
});

test('a microphone that delivers one channel gets a notice saying why the trace is a line; a stereo one none', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'microphone' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const notice = el.shadowRoot.querySelector('[part~="notice"]');
    const read = () => ({ hidden: notice.hidden, codes: notice.dataset.code ?? '', text: notice.textContent });
    await el.start();
    const stereo = read();
    await el.stop();
    // The same fake device asked for plainly (audio: true) delivers one channel.
    const devices = navigator.mediaDevices;
    const gum = devices.getUserMedia;
    devices.getUserMedia = (c) => gum.call(devices, { audio: true });
    await el.start();
    const channels = window.streams.at(-1).getAudioTracks()[0].getSettings().channelCount;
    const mono = read();
    await el.stop();
    devices.getUserMedia = gum;
    return { stereo, mono, channels, stopped: read() };
  });
  assert.equal(r.channels, 1, 'the plain request gives one channel');
  assert.ok(!r.stereo.codes.includes('mono-input'), `no mono notice for stereo: ${JSON.stringify(r.stereo)}`);
  assert.equal(r.mono.hidden, false);
  assert.ok(r.mono.codes.split(' ').includes('mono-input'), JSON.stringify(r.mono));
  assert.match(r.mono.text, /one channel/);
  assert.ok(!r.stopped.codes.includes('mono-input'), 'the notice goes with the stop');
  assert.deepEqual(errors, []);
});
