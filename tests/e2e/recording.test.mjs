// Video recording: 3 s of the demo signal through startRecording()/stopRecording() give a file
// that decodes in a <video> at the canvas's size and a duration within 0.5 s, with a stereo
// audio track carrying the signal and frames that are not black; the Rec button and the REC
// badge show the elapsed time; stopping the scope ends the recording; a recording needs a
// running scope.

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

test('3 s recorded: a video of the canvas size and length, with the stereo sound and a lit picture', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', demo: 'lissajous', controls: '' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const root = el.shadowRoot;
    const q = (part) => root.querySelector(`[part~="${part}"]`);
    const events = [];
    el.addEventListener('scope-recording', (e) => events.push({ ...e.detail, blob: Boolean(e.detail.blob) }));
    const out = {};
    out.idle = await el.startRecording().then(() => 'resolved', (e) => e.code);
    await el.start();
    const canvas = root.querySelector('canvas');
    out.canvas = [canvas.width, canvas.height];
    await el.startRecording();
    out.during = { recording: el.recording, pressed: q('record-button').getAttribute('aria-pressed'), badge: !q('recording').hidden };
    // Three seconds of recording (the length under test).
    await new Promise((res) => setTimeout(res, 3000));
    out.badgeText = q('recording').textContent;
    const blob = await el.stopRecording();
    out.after = { recording: el.recording, badge: !q('recording').hidden, type: blob.type, size: blob.size };
    await el.stop();

    // The file in a <video>: its size and length, a frame with light in it.
    const url = URL.createObjectURL(blob);
    const video = document.createElement('video');
    video.muted = true;
    video.src = url;
    await new Promise((res, rej) => {
      video.onloadedmetadata = res;
      video.onerror = () => rej(new Error(`video error ${video.error?.code}`));
    });
    out.video = { duration: video.duration, width: video.videoWidth, height: video.videoHeight };
    video.currentTime = 1.5;
    await new Promise((res) => (video.onseeked = res));
    const g = new OffscreenCanvas(video.videoWidth, video.videoHeight).getContext('2d');
    g.drawImage(video, 0, 0);
    const { data } = g.getImageData(0, 0, video.videoWidth, video.videoHeight);
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 1] > 80) lit++;
    out.litPixels = lit;
    // The sound: decoded from the same file, two channels carrying the 220/330 Hz figure.
    const ctx = new OfflineAudioContext(2, 48000, 48000);
    const audio = await ctx.decodeAudioData(await blob.arrayBuffer());
    const rms = (ch) => {
      const d = audio.getChannelData(ch);
      let s = 0;
      for (const v of d) s += v * v;
      return Math.sqrt(s / d.length);
    };
    out.audio = { channels: audio.numberOfChannels, seconds: audio.duration, rms: [rms(0), rms(1)] };
    out.events = events;
    return out;
  });
  assert.equal(r.idle, 'record-not-running', 'a recording needs a running scope');
  assert.deepEqual(r.during, { recording: true, pressed: 'true', badge: true });
  assert.match(r.badgeText, /REC 0:0[23]/, `the badge shows the elapsed time: ${r.badgeText}`);
  assert.equal(r.after.recording, false);
  assert.equal(r.after.badge, false);
  assert.ok(['video/webm', 'video/mp4'].includes(r.after.type), r.after.type);
  assert.ok(r.after.size > 10_000, `a real file: ${r.after.size} B`);
  assert.ok(Math.abs(r.video.duration - 3) < 0.5, `duration ${r.video.duration} s (written into the file)`);
  assert.deepEqual([r.video.width, r.video.height], r.canvas, 'the canvas size');
  assert.ok(r.litPixels > 200, `a frame that is not black: ${r.litPixels} lit pixels`);
  assert.equal(r.audio.channels, 2);
  assert.ok(Math.abs(r.audio.seconds - 3) < 0.5, `audio length ${r.audio.seconds}`);
  // The demo plays each channel at 0.7 peak: RMS about 0.49 (the first frames may be silent).
  for (const v of r.audio.rms) assert.ok(v > 0.3 && v < 0.6, `channel RMS ${r.audio.rms}`);
  assert.deepEqual(
    r.events.map((e) => [e.recording, e.blob]),
    [
      [true, false],
      [false, true],
    ],
  );
  assert.deepEqual(errors, []);
});

test('the Rec button records and downloads; stopping the scope ends the recording', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', controls: '' });
  await page.evaluate(() => document.getElementById('a').start());
  const download = page.waitForEvent('download');
  await page.locator('#a [part~="record-button"]').click();
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const ended = new Promise((res) => el.addEventListener('scope-recording', (e) => !e.detail.recording && res(e.detail), { once: false }));
    await new Promise((res) => setTimeout(res, 1200));
    const label = el.shadowRoot.querySelector('[part~="record-button"]').getAttribute('aria-label');
    await el.stop();
    const detail = await ended;
    return { label, recording: el.recording, seconds: detail.seconds, size: detail.size };
  });
  assert.match(r.label, /^Stop recording \(0:01\)$/);
  assert.equal(r.recording, false, 'the stop ended it');
  assert.ok(r.seconds > 1 && r.size > 1000, JSON.stringify(r));
  const file = await download;
  assert.match(file.suggestedFilename(), /^vectorscope-.*\.(webm|mp4)$/);
  assert.deepEqual(errors, []);
});

test('with the meters shown, the video has the meter strip painted beside the picture', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'demo', demo: 'phase-sweep', meters: '' });
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    await el.start();
    const canvas = el.shadowRoot.querySelector('canvas');
    const size = [canvas.width, canvas.height];
    await el.startRecording();
    await new Promise((res) => setTimeout(res, 1500));
    const blob = await el.stopRecording();
    await el.stop();
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(blob);
    await new Promise((res) => (video.onloadedmetadata = res));
    video.currentTime = 1;
    await new Promise((res) => (video.onseeked = res));
    const w = video.videoWidth;
    const h = video.videoHeight;
    const g = new OffscreenCanvas(w, h).getContext('2d');
    g.drawImage(video, 0, 0);
    const { data } = g.getImageData(0, 0, w, h);
    // Lit (accent green) pixels in the picture and in the strip beside it.
    let scopeLit = 0;
    let stripLit = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = 4 * (y * w + x);
        if (data[i + 1] > 150 && data[i] < 120) {
          if (x < size[0]) scopeLit++;
          else stripLit++;
        }
      }
    }
    return { size, video: [w, h], scopeLit, stripLit };
  });
  // The strip is 30 % of the height wide (at least 90 px), beside the picture.
  const strip = Math.max(90, Math.round(r.size[1] * 0.3));
  assert.deepEqual(r.video, [r.size[0] + strip, r.size[1]]);
  assert.ok(r.scopeLit > 100, `the trace is in the picture: ${r.scopeLit}`);
  assert.ok(r.stripLit > 200, `the meters' bars are in the strip: ${r.stripLit}`);
  assert.deepEqual(errors, []);
});
