// The element's lifecycle under races: removal during a pending start, overlapping starts,
// start/stop without awaiting, random call sequences; after each, the live capture tracks match
// the element's final state (one when running, none otherwise). The races run for both sources
// that capture: the microphone (getUserMedia) and a tab (getDisplayMedia). Also: a caller's own
// AudioContext is never suspended or kept, connect() rejects bad nodes with their own codes and
// leaves no state behind, and stats.fps is right from the first frames.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { openElementPage, addScope } from './element-page.mjs';

let browser;
const openPages = [];
afterEach(async () => {
  for (const page of openPages.splice(0)) await page.close().catch(() => {});
});
before(async () => {
  browser = await launch({ tabCapture: true });
});
after(async () => {
  await browser?.close();
});

const elementPage = (options) => openElementPage(browser, openPages, options);

/** The sources that capture a device or a tab: each race runs for both. */
const CAPTURING = ['microphone', 'tab'];

/** In the page: a new element (not yet added) with `attrs`, and a promise of its scope-ready. */
const MAKE = `window.makeScope = (attrs = {}) => {
  const el = document.createElement('vector-scope');
  el.style.width = '160px';
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.ready = new Promise((resolve) => el.addEventListener('scope-ready', resolve, { once: true }));
  el.errors = [];
  el.addEventListener('scope-error', (e) => el.errors.push(e.detail.code));
  return el;
};
window.settle = (p) => p.then(() => 'resolved', (e) => e?.code ?? String(e));`;

for (const source of CAPTURING) test(`${source}: removed while start() is pending: the promise rejects, no track stays live, and the next start works`, async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const cycles = await page.evaluate(async (source) => {
    const out = [];
    // When to remove: at once (the start has not reached getUserMedia), while getUserMedia is
    // pending (the permission prompt), or just after it granted the stream.
    const whens = ['at once', 'getUserMedia pending', 'granted', 'at once', 'getUserMedia pending', 'granted'];
    const until = async (ok) => {
      while (!ok()) await new Promise((r) => setTimeout(r, 0));
    };
    for (const when of whens) {
      const els = [0, 1, 2, 3].map(() => window.makeScope({ source }));
      els.forEach((el) => document.body.append(el));
      await Promise.all(els.map((el) => el.ready));
      const calls = window.gumCalls;
      const streams = window.streams.length;
      // Held until the removal: otherwise the first start may finish before the last has called.
      let release = () => {};
      if (when === 'getUserMedia pending') window.gumGate = new Promise((r) => (release = r));
      const pending = els.map((el) => el.start());
      const live = [];
      // Live tracks when each promise settles: a cancelled start has released its stream.
      const outcomes = pending.map((p) => window.settle(p).then((o) => (live.push(window.liveTracks()), o)));
      if (when === 'getUserMedia pending') await until(() => window.gumCalls >= calls + 4);
      if (when === 'granted') await until(() => window.streams.length >= streams + 1);
      els.forEach((el) => el.remove());
      window.gumGate = null;
      release();
      const settled = await Promise.all(outcomes);
      // Each element's queue, through the removal's stop.
      await Promise.all(els.map((el) => el.stop()));
      out.push({ when, outcomes: settled, liveAtSettle: live, live: window.liveTracks(), states: els.map((el) => el.state), errors: els.flatMap((el) => el.errors) });
    }
    // The page can still capture: a start after all that runs.
    const el = window.makeScope({ source });
    document.body.append(el);
    await el.ready;
    const last = await window.settle(el.start());
    const liveRunning = window.liveTracks();
    el.remove();
    await el.stop();
    return { out, last, liveRunning, liveAfter: window.liveTracks(), streams: window.streams.length };
  }, source);
  for (const c of cycles.out) {
    console.log(`# removed ${c.when}: ${c.outcomes.join(', ')}`);
    if (c.when !== 'granted') assert.deepEqual(c.outcomes, ['removed', 'removed', 'removed', 'removed'], c.when);
    for (const o of c.outcomes) assert.ok(o === 'removed' || o === 'resolved', `${c.when}: ${o}`);
    c.outcomes.forEach((o, i) => {
      if (o === 'removed') assert.equal(c.liveAtSettle[i], 0, `${c.when}: live tracks as a removed start settles`);
    });
    assert.equal(c.live, 0, `${c.when}: live tracks after the removal`);
    assert.deepEqual(c.states, ['removed', 'removed', 'removed', 'removed']);
    assert.deepEqual(c.errors, [], 'a cancelled start fires no scope-error');
  }
  assert.ok(cycles.streams >= 8, `getUserMedia granted streams in the later cycles (${cycles.streams})`);
  assert.equal(cycles.last, 'resolved');
  assert.equal(cycles.liveRunning, 1);
  assert.equal(cycles.liveAfter, 0);
  assert.deepEqual(errors, []);
});

test('autostart, removed just after scope-ready: nothing stays live', async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const r = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 6; i++) {
      const el = window.makeScope({ autostart: '' });
      document.body.append(el);
      await el.ready;
      // The autostart is in flight (the element starts on scope-ready).
      const stateAtRemoval = el.state;
      el.remove();
      // Whatever it opened is released before a start behind it could run: wait for the
      // element's own queue through a start that must reject.
      const after = await window.settle(el.start());
      // The removal's stop runs on the same queue, after the cancelled autostart.
      await el.stop();
      out.push({ stateAtRemoval, after, live: window.liveTracks(), state: el.state });
    }
    return { out, streams: window.streams.length };
  });
  for (const c of r.out) {
    assert.equal(c.stateAtRemoval, 'starting');
    assert.equal(c.after, 'removed');
    assert.equal(c.live, 0);
    assert.equal(c.state, 'removed');
  }
  assert.deepEqual(errors, []);
});

for (const source of CAPTURING) test(`${source}: overlapping starts open one stream; start, stop, start ends running with one`, async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const r = await page.evaluate(async (source) => {
    const el = window.makeScope({ source });
    document.body.append(el);
    await el.ready;
    const out = {};
    // Two starts at once: the same promise, one getUserMedia.
    const a = el.start();
    const b = el.start();
    out.samePromise = a === b;
    out.both = await Promise.all([a, b].map(window.settle));
    out.streamsAfterTwo = window.streams.length;
    out.liveAfterTwo = window.liveTracks();
    out.stateAfterTwo = el.state;
    // A start while running resolves without a new stream.
    out.again = await window.settle(el.start());
    out.streamsAfterAgain = window.streams.length;
    await el.stop();
    out.liveAfterStop = window.liveTracks();
    out.stateAfterStop = el.state;

    // start(); stop(); start(), none awaited: ends running, one live track.
    const p1 = el.start();
    const s1 = el.stop();
    const p2 = el.start();
    out.race = await Promise.all([p1, s1, p2].map(window.settle));
    out.raceState = el.state;
    out.raceLive = window.liveTracks();
    await el.stop();
    out.raceLiveAfterStop = window.liveTracks();

    // start(); stop(), not awaited: ends idle, nothing live.
    const p3 = el.start();
    const s3 = el.stop();
    out.short = await Promise.all([p3, s3].map(window.settle));
    out.shortState = el.state;
    out.shortLive = window.liveTracks();
    el.remove();
    await el.stop();
    out.removedLive = window.liveTracks();
    out.errors = el.errors;
    return out;
  }, source);
  assert.equal(r.samePromise, true, 'a start while starting returns the same promise');
  assert.deepEqual(r.both, ['resolved', 'resolved']);
  assert.equal(r.streamsAfterTwo, 1, 'two overlapping starts opened one stream');
  assert.equal(r.liveAfterTwo, 1);
  assert.equal(r.stateAfterTwo, 'running');
  assert.equal(r.again, 'resolved');
  assert.equal(r.streamsAfterAgain, 1);
  assert.equal(r.liveAfterStop, 0);
  assert.equal(r.stateAfterStop, 'idle');
  assert.deepEqual(r.race, ['cancelled', 'resolved', 'resolved']);
  assert.equal(r.raceState, 'running');
  assert.equal(r.raceLive, 1);
  assert.equal(r.raceLiveAfterStop, 0);
  assert.deepEqual(r.short, ['cancelled', 'resolved']);
  assert.equal(r.shortState, 'idle');
  assert.equal(r.shortLive, 0);
  assert.equal(r.removedLive, 0);
  assert.deepEqual(r.errors, [], 'no scope-error for cancelled starts');
  assert.deepEqual(errors, []);
});

test('random call sequences: the final state follows the last call, with live tracks to match', async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const runs = await page.evaluate(async () => {
    // A small seeded generator, so a failure can be replayed.
    let seed = 20261203;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const out = [];
    const el = window.makeScope();
    document.body.append(el);
    await el.ready;
    for (let run = 0; run < 25; run++) {
      const calls = [];
      const pending = [];
      let last = 'stop';
      const n = 2 + Math.floor(random() * 5);
      for (let i = 0; i < n; i++) {
        const call = random() < 0.55 ? 'start' : random() < 0.5 ? 'stop' : 'disconnect';
        calls.push(call);
        last = call;
        const p = el[call]();
        pending.push(window.settle(p));
        // Sometimes wait a little (a task, or a frame) before the next call.
        const wait = random();
        if (wait < 0.3) await new Promise((r) => setTimeout(r, 0));
        else if (wait < 0.45) await new Promise((r) => requestAnimationFrame(r));
        else if (wait < 0.55) await p.catch(() => {});
      }
      await Promise.all(pending);
      out.push({ calls: calls.join(','), last, state: el.state, live: window.liveTracks() });
    }
    await el.stop();
    el.remove();
    await el.stop();
    return { out, finalLive: window.liveTracks(), errors: el.errors };
  });
  for (const r of runs.out) {
    const want = r.last === 'start' ? 'running' : 'idle';
    assert.equal(r.state, want, `after ${r.calls}`);
    assert.equal(r.live, want === 'running' ? 1 : 0, `live tracks after ${r.calls}`);
  }
  assert.equal(runs.finalLive, 0);
  assert.deepEqual(runs.errors, []);
  assert.deepEqual(errors, []);
});

for (const source of CAPTURING) test(`${source}: 4 elements, 50 un-awaited sequences of start, stop, remove and add: the states follow the last calls, then 0 live tracks and a suspended context`, async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const r = await page.evaluate(async (source) => {
    let seed = 4050;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const els = [0, 1, 2, 3].map(() => window.makeScope({ source }));
    for (const el of els) document.body.append(el);
    await Promise.all(els.map((el) => el.ready));
    // What each element's state must be once its calls have settled.
    const want = els.map(() => 'idle');
    const bad = [];
    const codes = new Set();
    for (let run = 0; run < 50; run++) {
      const pending = [];
      const calls = [];
      for (let i = 0, n = 3 + Math.floor(random() * 6); i < n; i++) {
        const k = Math.floor(random() * els.length);
        const el = els[k];
        const x = random();
        if (!el.isConnected && x < 0.5) {
          calls.push(`add ${k}`);
          el.ready = new Promise((resolve) => el.addEventListener('scope-ready', resolve, { once: true }));
          document.body.append(el);
          want[k] = 'idle';
        } else if (el.isConnected && x > 0.85) {
          calls.push(`remove ${k}`);
          el.remove();
          want[k] = 'removed';
          // A removal, not a move: let its microtask run before anything re-adds it.
          await Promise.resolve();
        } else if (x < 0.6) {
          calls.push(`start ${k}`);
          pending.push(el.start().then(() => 'ok', (e) => e.code));
          if (el.isConnected) want[k] = 'running';
        } else {
          calls.push(`stop ${k}`);
          pending.push(el.stop().then(() => 'ok', (e) => e.code));
          if (el.isConnected) want[k] = 'idle';
        }
        if (random() < 0.25) await new Promise((r) => setTimeout(r, 0));
      }
      for (const code of await Promise.all(pending)) codes.add(code);
      // Elements added in this run are ready before their state is read.
      await Promise.all(els.filter((el) => el.isConnected).map((el) => el.ready));
      // A removed element's teardown (its stop) has finished once its queue has.
      await Promise.all(els.filter((el) => !el.isConnected).map((el) => el.stop()));
      const states = els.map((el) => el.state);
      const running = states.filter((s) => s === 'running').length;
      const live = window.liveTracks();
      if (states.join() !== want.join() || live !== running) bad.push({ run, calls: calls.join(', '), states, want: [...want], live });
    }
    for (const el of els) el.remove();
    await Promise.resolve();
    await Promise.all(els.map((el) => el.stop()));
    const ctx = document.createElement('vector-scope').audioContext;
    return { bad, codes: [...codes], live: window.liveTracks(), context: ctx.state, gum: window.gumCalls, errors: els.flatMap((el) => el.errors) };
  }, source);
  assert.deepEqual(r.bad, [], 'every run ends in the state of its last calls, with one live track per running element');
  assert.equal(r.live, 0, 'no live track after the elements are gone');
  assert.equal(r.context, 'suspended', "the page's context is suspended");
  assert.ok(r.gum > 20, `the ${source} was opened ${r.gum} times`);
  for (const code of r.codes) assert.ok(['ok', 'cancelled', 'removed'].includes(code), `only cancellations: ${r.codes}`);
  assert.deepEqual(r.errors, [], 'no scope-error');
  assert.deepEqual(errors, []);
});

test("the caller's own AudioContext keeps playing through stop() and is not kept for the microphone", async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  await addScope(page, 'a');
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const ctx = new AudioContext();
    await ctx.resume();
    const osc = new OscillatorNode(ctx, { frequency: 300 });
    const gain = new GainNode(ctx, { gain: 0.5 });
    const analyser = new AnalyserNode(ctx, { fftSize: 2048 });
    osc.connect(gain).connect(analyser).connect(ctx.destination);
    osc.start();
    const level = async () => {
      // Two frames, so the analyser has new audio.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const buf = new Float32Array(analyser.fftSize);
      analyser.getFloatTimeDomainData(buf);
      return Math.max(...buf.map(Math.abs));
    };
    const out = {};
    await el.connect(gain);
    out.contextWhileScoping = el.audioContext === ctx;
    out.running = el.state;
    await new Promise((r) => setTimeout(r, 300));
    out.drained = el.stats.drained;
    await el.stop();
    out.ctxAfterStop = ctx.state;
    out.levelAfterStop = await level();
    out.contextAfterStop = el.audioContext === ctx;
    // A microphone start now runs in the page's shared context, not the caller's.
    await el.disconnect();
    await el.start();
    out.micContext = el.audioContext === ctx;
    out.micState = el.state;
    await el.stop();
    out.ctxAfterMicStop = ctx.state;
    out.levelAfterMicStop = await level();
    out.live = window.liveTracks();
    await ctx.close();
    return out;
  });
  assert.equal(r.contextWhileScoping, true);
  assert.equal(r.running, 'running');
  assert.ok(r.drained > 1000, `the caller's node reached the ring (${r.drained} samples)`);
  assert.equal(r.ctxAfterStop, 'running', "stop() leaves the caller's context running");
  assert.ok(r.levelAfterStop > 0.3, `the caller's graph still plays after stop() (peak ${r.levelAfterStop})`);
  assert.equal(r.contextAfterStop, false, "the element forgets the caller's context on stop()");
  assert.equal(r.micContext, false);
  assert.equal(r.micState, 'running');
  assert.equal(r.ctxAfterMicStop, 'running');
  assert.ok(r.levelAfterMicStop > 0.3);
  assert.equal(r.live, 0);
  assert.deepEqual(errors, []);
});

test('connect() with a node of a closed or offline context, or no node, rejects with its own code and leaves no state', async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  await addScope(page, 'a');
  const r = await page.evaluate(async () => {
    const el = document.getElementById('a');
    const events = [];
    el.addEventListener('scope-error', (e) => events.push(e.detail.code));
    const closed = new AudioContext();
    const closedNode = new GainNode(closed);
    await closed.close();
    const offline = new OfflineAudioContext(2, 4800, 48000);
    const offlineNode = new GainNode(offline);
    const out = { outcomes: {} };
    out.contextBefore = el.scopeAudio.context;
    for (const [name, arg] of [
      ['closed', closedNode],
      ['offline', offlineNode],
      ['object', {}],
      ['null', null],
      ['string', 'gain'],
    ]) {
      out.outcomes[name] = await window.settle(el.connect(arg));
    }
    out.events = events.slice();
    out.contextAfter = el.scopeAudio.context;
    out.state = el.state;
    out.messageCode = el.shadowRoot.querySelector('[part~="error"]').dataset.code;
    // Not poisoned: the microphone starts.
    out.start = await window.settle(el.start());
    out.startState = el.state;
    out.live = window.liveTracks();
    await el.stop();
    return out;
  });
  assert.deepEqual(r.outcomes, {
    closed: 'context-closed',
    offline: 'offline-context',
    object: 'not-a-node',
    null: 'not-a-node',
    string: 'not-a-node',
  });
  assert.deepEqual(r.events, ['context-closed', 'offline-context', 'not-a-node', 'not-a-node', 'not-a-node']);
  assert.equal(r.contextBefore, null);
  assert.equal(r.contextAfter, null, 'no AudioContext was made as a side effect');
  assert.equal(r.state, 'idle');
  assert.equal(r.messageCode, 'not-a-node', 'the element shows the failure');
  assert.equal(r.start, 'resolved', 'the next start() is not poisoned');
  assert.equal(r.startState, 'running');
  assert.equal(r.live, 1);
  assert.deepEqual(errors, []);
});

test('stats.fps is right from the first frames of an element made late in the page', async () => {
  const { page, errors } = await elementPage();
  await page.evaluate(MAKE);
  const r = await page.evaluate(async () => {
    // Late in the page's life: performance.now() well past the first frame.
    while (performance.now() < 3000) await new Promise((r) => setTimeout(r, 100));
    const el = window.makeScope({ source: 'none' });
    document.body.append(el);
    await el.ready;
    // The page's own frame rate over the same frames, measured here: 15 frames after ready.
    const times = [];
    while (times.length < 15) times.push(await new Promise((r) => requestAnimationFrame(r)));
    const raf = (1000 * (times.length - 1)) / (times.at(-1) - times[0]);
    return { fps: el.stats.fps, raf, frames: times.length };
  });
  assert.ok(r.fps > 0.6 * r.raf && r.fps < 1.6 * r.raf, `stats.fps ${r.fps.toFixed(1)} after ${r.frames} frames; the page's frame rate ${r.raf.toFixed(1)}`);
  assert.deepEqual(errors, []);
});
