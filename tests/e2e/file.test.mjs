// The file source: an audio file through the control bar's picker, a drop on the scope, or the
// src URL is played, heard at the volume setting and scoped; the transport plays, pauses, seeks
// and loops it. A URL on another origin is played when its server allows CORS and refused with
// `file-cors` when it does not (the browser would give silence); a missing file, an undecodable
// one and a call without a file each have their own code.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';
import { writeWav } from '../fixtures/wav.mjs';

// Left only: 440 Hz at 0.5 for 2 s (a whole number of periods), the right channel silent.
const SECONDS = 2;
const wavPath = writeWav(join(mkdtempSync(join(tmpdir(), 'vectorscope-file-')), 'left.wav'), {
  sampleRate: 44100,
  frames: 44100 * SECONDS,
  channels: [(_i, t) => 0.5 * Math.sin(2 * Math.PI * 440 * t), () => 0],
});
const wavBytes = readFileSync(wavPath);

/** Another origin (another port): /cors/left.wav with CORS headers, /plain/left.wav without,
 * /cors/missing.wav a 404 with CORS headers. */
let other;
let OTHER;
let browser;
const openPages = [];
before(async () => {
  other = createServer((req, res) => {
    const cors = req.url.startsWith('/cors/');
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    if (req.url.endsWith('/left.wav')) {
      res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': wavBytes.length });
      res.end(wavBytes);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  OTHER = `http://127.0.0.1:${other.address().port}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => other?.close(resolve));
});
afterEach(async () => {
  while (openPages.length) await openPages.pop().close();
});

const elementPage = (options) => openElementPage(browser, openPages, options);

/** In the page: waits until element `a` runs and its meters have seen `samples` more samples,
 * then reads what a test checks. */
const READ_RUNNING = `window.readRunning = async (samples = 20000) => {
  const el = document.getElementById('a');
  const deadline = performance.now() + 10000;
  while (el.state !== 'running' && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const from = el.stats.drained;
  while (el.stats.drained < from + samples && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const m = el.meters;
  return { state: el.state, rms: m.rms, balance: m.balance, duration: el.media?.duration, gum: window.gumCalls };
};`;

/** The meters of the left-only file: 0.5 amplitude reads -9.03 dBFS RMS; the right is silent. */
function assertLeftOnly(r, what) {
  assert.equal(r.state, 'running', what);
  assert.ok(Math.abs(r.rms[0] - -9.03) < 0.3, `${what}: left RMS ${r.rms[0]}`);
  assert.ok(r.rms[1] < -80, `${what}: right silent (${r.rms[1]})`);
  assert.ok(r.balance < -0.99, `${what}: balance ${r.balance}`);
  assert.ok(Math.abs(r.duration - SECONDS) < 0.05, `${what}: duration ${r.duration}`);
  assert.equal(r.gum, 0, `${what}: no microphone asked for`);
}

test('a file through the picker plays and is scoped; the transport plays, pauses, seeks and loops', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'file', controls: '', meters: '' });
  await page.evaluate(READ_RUNNING);
  const shown = await page.evaluate(() => {
    const root = document.getElementById('a').shadowRoot;
    return { transport: !root.querySelector('[part~="file-transport"]').hidden, device: !root.querySelector('[part~="device"]').hidden };
  });
  assert.deepEqual(shown, { transport: true, device: false }, 'the file transport replaces the input list');
  await page.locator('#a .file-input').setInputFiles({ name: 'left.wav', mimeType: 'audio/wav', buffer: wavBytes });
  assertLeftOnly(await page.evaluate(() => window.readRunning()), 'picker');
  const t = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const root = el.shadowRoot;
    const q = (part) => root.querySelector(`[part~="${part}"]`);
    const media = el.media;
    const out = { time: q('time').textContent, seekMax: Number(q('seek').max), label: q('play-button').textContent };
    q('play-button').click();
    await new Promise((r) => media.addEventListener('pause', r, { once: true }));
    out.paused = { paused: media.paused, label: q('play-button').textContent, state: el.state };
    const seek = q('seek');
    seek.value = '1.5';
    seek.dispatchEvent(new Event('input'));
    await new Promise((r) => media.addEventListener('seeked', r, { once: true }));
    out.seeked = { at: media.currentTime, time: q('time').textContent };
    q('play-button').click();
    await new Promise((r) => media.addEventListener('playing', r, { once: true }));
    out.playing = !media.paused;
    out.loopBefore = media.loop;
    el.loop = true;
    out.loopAfter = media.loop;
    // Without loop the file ends and pauses; with loop it plays on past its end.
    await new Promise((r) => setTimeout(r, 900));
    out.loopedOn = { paused: media.paused, ended: media.ended };
    await el.stop();
    out.stopped = { media: el.media, disabled: q('play-button').disabled, time: q('time').textContent };
    return out;
  });
  assert.match(t.time, /^0:0\d \/ 0:02$/, `elapsed / total: ${t.time}`);
  assert.ok(Math.abs(t.seekMax - SECONDS) < 0.05, `the seek bar spans the file: ${t.seekMax}`);
  assert.equal(t.label, 'Pause');
  assert.deepEqual(t.paused, { paused: true, label: 'Play', state: 'running' }, 'paused, the scope still runs');
  assert.ok(Math.abs(t.seeked.at - 1.5) < 0.05, `seeked to ${t.seeked.at}`);
  assert.equal(t.seeked.time, '0:01 / 0:02');
  assert.equal(t.playing, true);
  assert.equal(t.loopBefore, false);
  assert.equal(t.loopAfter, true);
  assert.deepEqual(t.loopedOn, { paused: false, ended: false }, 'looped past its end');
  assert.deepEqual(t.stopped, { media: null, disabled: true, time: '0:00 / 0:00' });
  assert.deepEqual(errors, []);
});

test('a file dropped on the scope plays; anything else dropped is ignored', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'microphone', meters: '' });
  await page.evaluate(READ_RUNNING);
  const base64 = wavBytes.toString('base64');
  const r = await page.evaluate(async (base64) => {
    const el = document.getElementById('a');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const drag = (type, dt) => el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    // Text dragged over the scope is not taken.
    const text = new DataTransfer();
    text.setData('text/plain', 'hello');
    const textTaken = !drag('dragover', text);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'left.wav', { type: 'audio/wav' }));
    const fileTaken = !drag('dragover', dt);
    const highlighted = el.hasAttribute('data-drop');
    drag('drop', dt);
    return { textTaken, fileTaken, highlighted, highlightAfter: el.hasAttribute('data-drop'), source: el.source };
  }, base64);
  assert.deepEqual(r, { textTaken: false, fileTaken: true, highlighted: true, highlightAfter: false, source: 'file' });
  assertLeftOnly(await page.evaluate(() => window.readRunning()), 'drop');
  assert.equal(await page.evaluate(() => window.liveTracks()), 0, 'no microphone');
  assert.deepEqual(errors, []);
});

test('a URL: played from an origin that allows CORS; refused with file-cors, file-not-found, file-unsupported or no-file otherwise', async () => {
  const { page, errors } = await elementPage();
  await addScope(page, 'a', { source: 'file', meters: '' });
  await page.evaluate(READ_RUNNING);
  await page.evaluate((url) => {
    const el = document.getElementById('a');
    el.src = url;
    return el.start();
  }, `${OTHER}/cors/left.wav`);
  assertLeftOnly(await page.evaluate(() => window.readRunning()), 'a CORS URL');
  const r = await page.evaluate(async (OTHER) => {
    const el = document.getElementById('a');
    const codes = [];
    el.addEventListener('scope-error', (e) => codes.push(e.detail.code));
    const attempt = async (f) => {
      await el.stop();
      try {
        await f();
        return { code: 'resolved', state: el.state };
      } catch (e) {
        return { code: e.code, state: el.state, message: e.message };
      }
    };
    const out = {};
    out.plain = await attempt(() => ((el.src = `${OTHER}/plain/left.wav`), el.start()));
    out.missing = await attempt(() => ((el.src = `${OTHER}/cors/missing.wav`), el.start()));
    out.noSrc = await attempt(() => (el.removeAttribute('src'), el.start()));
    out.text = await attempt(() => el.openFile(new File(['not audio at all'], 'notes.txt', { type: 'text/plain' })));
    out.notAFile = await attempt(() => el.openFile('left.wav'));
    out.codes = codes;
    return out;
  }, OTHER);
  assert.equal(r.plain.code, 'file-cors');
  assert.match(r.plain.message, /CORS/);
  assert.equal(r.missing.code, 'file-not-found');
  assert.match(r.missing.message, /404/);
  assert.equal(r.noSrc.code, 'no-file');
  assert.equal(r.text.code, 'file-unsupported');
  assert.match(r.text.message, /notes\.txt/);
  assert.equal(r.notAFile.code, 'no-file');
  for (const k of ['plain', 'missing', 'noSrc', 'text']) assert.equal(r[k].state, 'idle', `${k}: idle`);
  assert.deepEqual(r.codes, ['file-cors', 'file-not-found', 'no-file', 'file-unsupported', 'no-file']);
  // The browser logs the refused cross-origin load and the 404 itself.
  assert.deepEqual(errors.filter((e) => !/CORS|Access-Control|404|Failed to load resource/i.test(e)), []);
});
