// The tab source: source="tab" asks getDisplayMedia for a tab's audio with processing off, stops
// the picture's track at once and scopes the audio; every way it can fail has its own code and
// leaves nothing live. Chromium picks the embedding page's own tab by its title (launch's
// tabCapture); headless, the captured audio is silence (../shared/TOOLCHAIN.md section 4), so
// these tests check the flow, not the samples' values. The races of start, stop and removal
// run for the tab as for the microphone in lifecycle.test.mjs.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';

let browser;
const openPages = [];
before(async () => {
  browser = await launch({ tabCapture: true });
});
after(async () => {
  await browser?.close();
});
afterEach(async () => {
  while (openPages.length) await openPages.pop().close();
});

const elementPage = (options) => openElementPage(browser, openPages, options);

test('a tab: its picture track is stopped at once, its audio scoped with processing off, stop releases it', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'tab' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    await el.start();
    const stream = window.streams.at(-1);
    const audio = stream.getAudioTracks()[0];
    const out = {
      state: el.state,
      video: stream.getVideoTracks().map((t) => t.readyState),
      audio: audio?.readyState,
      settings: audio?.getSettings(),
      live: window.liveTracks(),
    };
    const from = el.stats.samplesWritten;
    const deadline = performance.now() + 5000;
    while (el.stats.samplesWritten < from + 8192 && performance.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    out.written = el.stats.samplesWritten - from;
    await el.stop();
    out.after = { state: el.state, live: window.liveTracks() };
    return out;
  });
  assert.equal(r.state, 'running');
  assert.deepEqual(r.video, ['ended'], 'the picture is never kept');
  assert.equal(r.audio, 'live');
  assert.equal(r.live, 1, 'only the audio track is live');
  assert.equal(r.settings.echoCancellation, false, 'no echo cancellation');
  assert.equal(r.settings.autoGainControl, false, 'no automatic gain');
  assert.equal(r.settings.noiseSuppression, false, 'no noise suppression');
  assert.equal(r.settings.channelCount, 2, 'stereo');
  assert.ok(r.written >= 8192, `the tab's audio reaches the ring: ${r.written} samples`);
  assert.deepEqual(r.after, { state: 'idle', live: 0 });
  assert.deepEqual(errors, []);
});

test('a tab: refused, shared without audio, no getDisplayMedia, no click, the share ended: each has its code and leaves nothing live', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'tab' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const devices = navigator.mediaDevices;
    const real = devices.getDisplayMedia;
    const codes = [];
    el.addEventListener('scope-error', (e) => codes.push(e.detail.code));
    const attempt = async (getDisplayMedia) => {
      devices.getDisplayMedia = getDisplayMedia;
      let code = 'resolved';
      try {
        await el.start();
      } catch (e) {
        code = e.code;
      }
      devices.getDisplayMedia = real;
      return { code, state: el.state, live: window.liveTracks(), shown: el.shadowRoot.querySelector('[part~="error"]')?.textContent ?? '' };
    };
    const out = {};
    const named = (name) => () => Promise.reject(new DOMException('test', name));
    out.refused = await attempt(named('NotAllowedError'));
    out.noClick = await attempt(named('InvalidStateError'));
    // The user shared a window (no audio): the real capture, its audio track left out.
    out.noAudio = await attempt(async (c) => {
      const s = await real.call(devices, c);
      for (const t of s.getAudioTracks()) {
        s.removeTrack(t);
        t.stop();
      }
      window.noAudioStream = s;
      return s;
    });
    out.noAudioVideo = window.noAudioStream.getVideoTracks().map((t) => t.readyState);
    out.unsupported = await attempt(undefined);
    // Sharing stopped from the browser's own bar: the audio track ends by itself.
    await el.start();
    const track = window.streams.at(-1).getAudioTracks()[0];
    track.stop();
    track.dispatchEvent(new Event('ended'));
    const deadline = performance.now() + 3000;
    while (el.state !== 'idle' && performance.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    out.ended = { state: el.state, live: window.liveTracks() };
    out.codes = codes;
    return out;
  });
  const want = { refused: 'tab-refused', noClick: 'tab-needs-click', noAudio: 'tab-no-audio', unsupported: 'tab-unsupported' };
  for (const [k, code] of Object.entries(want)) {
    assert.equal(r[k].code, code, k);
    assert.equal(r[k].state, 'idle', `${k}: idle`);
    assert.equal(r[k].live, 0, `${k}: nothing live`);
  }
  assert.match(r.noAudio.shown, /Share tab audio/, 'the message says what to tick');
  assert.deepEqual(r.noAudioVideo, ['ended'], 'a share without audio is released');
  assert.deepEqual(r.ended, { state: 'idle', live: 0 });
  assert.deepEqual(r.codes, ['tab-refused', 'tab-needs-click', 'tab-no-audio', 'tab-unsupported', 'tab-ended']);
  assert.deepEqual(errors, []);
});
