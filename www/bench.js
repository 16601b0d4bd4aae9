// Renderer bench: frame time against segments per frame, for each backend, on an 800x800
// canvas. `?run` starts it; `?run&sizes=1000,4096&frames=30&backends=webgl2&canvas=400` narrows
// it (`glowSizes=4096` adds rows with glow on). Frame time is the interval between animation
// frames (whole vsync periods, so the mean is the fps figure); `cpu` is the main thread's time
// inside renderSamples. Results land in the table and in window.benchResults (read by
// `cargo xtask bench`), followed by the signal chain's cost as wasm (window.benchChain, `nochain`
// skips it). `?latency` instead measures sample-to-frame latency on the microphone
// (window.benchLatency), see latency() below.
import { ScopeRenderer, AudioTap, ChainBench, wasmMemory } from './pkg/vectorscope.js';
import { loadWasm } from './element/audio.js';
import { microphoneConstraints } from './element/sources.js';

const params = new URLSearchParams(location.search);
const SIZES = (params.get('sizes') ?? '0,1000,4096,10000,100000').split(',').map(Number);
/** Segment counts measured again with glow on (`glowSizes=` for none). */
const GLOW_SIZES = (params.get('glowSizes') ?? '4096').split(',').filter(Boolean).map(Number);
const BACKENDS = (params.get('backends') ?? 'webgpu,webgl2').split(',');
const FRAMES = Number(params.get('frames') ?? 150);
/** Frames per batch of the no-vsync GPU time (`gpuFrames=`, default 60; more for steadier A/B runs). */
const GPU_FRAMES = Math.max(1, Number(params.get('gpuFrames') ?? 60) || 60);
const SIZE = Math.max(16, Math.min(4096, Number(params.get('canvas') ?? 800) || 800));

/** N+1 samples of a slowly turning Lissajous figure, interleaved. */
function samples(n) {
  const a = new Float32Array((n + 1) * 2);
  for (let i = 0; i <= n; i++) {
    const t = (i / n) * 2 * Math.PI * 7;
    a[2 * i] = 0.8 * Math.sin(3 * t);
    a[2 * i + 1] = 0.8 * Math.sin(2 * t + 0.3);
  }
  return a;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * The GPU's time per frame with no vsync: `count` frames of `n` segments submitted back to back
 * in one task, then the time until the GPU reports them done, divided by `count` (polled every
 * few ms, so +-0.1 ms at 60 frames). Excludes the browser's presentation and compositing.
 */
async function gpuTime(renderer, n, count) {
  const data = samples(n);
  const idle = async () => {
    renderer.watchGpu();
    const deadline = performance.now() + 20000;
    while (!renderer.gpuIdle()) {
      if (performance.now() > deadline) throw new Error('the GPU never reported the work done');
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const batch = async () => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) renderer.renderSamples(data, 48000, t0 + i * 16.7);
    await idle();
    return (performance.now() - t0) / count;
  };
  await batch(); // warm-up
  return Math.min(await batch(), await batch());
}

/** Draws `n` segments in each animation frame callback (as the app does) and returns the
 * median, p95 and mean interval between frames and the median main-thread time per frame. */
function measure(renderer, n, frames) {
  const data = samples(n);
  const warmup = 3;
  return new Promise((resolve) => {
    const times = [];
    const cpu = [];
    let last = null;
    let count = 0;
    function frame(now) {
      const t0 = performance.now();
      renderer.renderSamples(data, 48000, now);
      const t1 = performance.now();
      if (count >= warmup && last !== null) {
        times.push(now - last);
        cpu.push(t1 - t0);
      }
      last = now;
      count++;
      if (times.length < frames) requestAnimationFrame(frame);
      else {
        times.sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        resolve({ median: quantile(times, 0.5), p95: quantile(times, 0.95), mean: times.reduce((a, b) => a + b, 0) / times.length, cpu: quantile(cpu, 0.5) });
      }
    }
    requestAnimationFrame(frame);
  });
}

/** Interleaved pairs of renders (real, empty processor) of the worklet measurement. */
const WORKLET_PAIRS = 9;

/** A worklet processor that does nothing: the baseline the real one is compared with. */
const NULL_PROCESSOR = URL.createObjectURL(
  new Blob(["registerProcessor('bench-null-tap', class extends AudioWorkletProcessor { process() { return true; } });"], {
    type: 'text/javascript',
  }),
);

/**
 * The audio thread's cost: an OfflineAudioContext renders SECONDS of two oscillators through
 * the real processor (worklet/processor.js: wasm, shared ring) and through an empty one, in
 * interleaved pairs; the median difference per quantum is what process() costs. The page
 * empties the ring every 0.25 s of audio (the context is suspended there in both runs), as the
 * app would, without measuring the samples: the meters' cost is the main thread's, not this.
 */
async function workletCost(seconds = 60, rate = 48000) {
  const once = async (real) => {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * rate, sampleRate: rate });
    let node;
    let tap = null;
    if (real) {
      await ctx.audioWorklet.addModule(new URL('./worklet/processor.js', import.meta.url));
      tap = new AudioTap(ctx);
      node = tap.node;
    } else {
      await ctx.audioWorklet.addModule(NULL_PROCESSOR);
      node = new AudioWorkletNode(ctx, 'bench-null-tap', { channelCount: 2, channelCountMode: 'explicit' });
      node.connect(ctx.destination);
    }
    const merger = new ChannelMergerNode(ctx, { numberOfInputs: 2 });
    for (const [f, ch] of [[440, 0], [660, 1]]) {
      const o = new OscillatorNode(ctx, { frequency: f });
      o.connect(merger, 0, ch);
      o.start();
    }
    merger.connect(node);
    for (let t = 0.25; t < seconds; t += 0.25) {
      ctx.suspend(t).then(() => {
        tap?.discard();
        ctx.resume();
      });
    }
    const t0 = performance.now();
    await ctx.startRendering();
    const ms = performance.now() - t0;
    const stats = tap ? tap.stats() : null;
    if (tap) {
      await tap.release();
      tap.free();
    }
    return { ms, stats };
  };
  // Warm up both paths (module compilation), then render WORKLET_PAIRS interleaved pairs (the
  // order alternating). The two renders of a pair run within a second, at the same machine
  // speed, so the median of the pairs' differences holds even in a minute when the machine runs
  // 20 % slower (the best of three of each once came out negative).
  await once(true);
  await once(false);
  const pairs = [];
  for (let i = 0; i < WORKLET_PAIRS; i++) {
    const first = await once(i % 2 === 0);
    const second = await once(i % 2 !== 0);
    pairs.push(i % 2 === 0 ? [first, second] : [second, first]);
  }
  const sorted = (xs) => xs.sort((a, b) => a - b);
  const diffs = sorted(pairs.map(([r, e]) => r.ms - e.ms));
  const quanta = (seconds * rate) / 128;
  const perQuantum = (ms) => (ms / quanta) * 1000;
  const perQuantumUs = perQuantum(quantile(diffs, 0.5));
  const real = quantile(sorted(pairs.map(([r]) => r.ms)), 0.5);
  const empty = quantile(sorted(pairs.map(([, e]) => e.ms)), 0.5);
  const stats = pairs.at(-1)[0].stats;
  return {
    seconds,
    rate,
    quanta,
    pairs: WORKLET_PAIRS,
    realMs: real,
    emptyMs: empty,
    perQuantumUs,
    perQuantumUsLow: perQuantum(quantile(diffs, 0.25)),
    perQuantumUsHigh: perQuantum(quantile(diffs, 0.75)),
    percentOfQuantum: (perQuantumUs / ((128 / rate) * 1e6)) * 100,
    samplesWritten: stats?.samplesWritten ?? 0,
    dropped: stats?.dropped ?? 0,
  };
}

/**
 * The signal chain's main-thread cost per 60 Hz frame as the browser runs it (wasm): the meters
 * and the display chain over 800 samples of a chord at 48 kHz (`ChainBench`, the same work as
 * the native `cargo bench --bench chain`), for each upsampling factor and the polar level's
 * rays. Each configuration runs 1 s of audio to warm up, then ten 1 s batches; the figure is
 * the median batch's time per frame, with the fastest and slowest batch.
 */
function chainCost() {
  const rows = [];
  for (const [upsample, rays] of [[1, false], [4, false], [8, false], [1, true]]) {
    const bench = new ChainBench(upsample, rays);
    const frames = 60;
    let points = 0;
    for (let i = 0; i < frames; i++) points += bench.frame();
    const batches = [];
    for (let b = 0; b < 10; b++) {
      const t0 = performance.now();
      for (let i = 0; i < frames; i++) points += bench.frame();
      batches.push(((performance.now() - t0) * 1000) / frames);
    }
    batches.sort((a, b) => a - b);
    const us = quantile(batches, 0.5);
    const samples = bench.samplesPerFrame;
    bench.free();
    rows.push({ upsample, rays: rays ? 1 : 0, usPerFrame: us, usLow: batches[0], usHigh: batches[batches.length - 1], nsPerSample: (us * 1000) / samples, points });
  }
  return rows;
}

async function run() {
  await loadWasm();
  document.body.dataset.state = 'running';
  const results = [];
  const stage = document.getElementById('stage');
  for (const backend of BACKENDS) {
    stage.replaceChildren();
    const canvas = document.createElement('canvas');
    canvas.width = SIZE;
    canvas.height = SIZE;
    canvas.style.width = canvas.style.height = `${SIZE}px`;
    stage.append(canvas);
    let renderer;
    try {
      renderer = await ScopeRenderer.create(canvas, backend);
    } catch (e) {
      results.push({ backend, error: e.message });
      continue;
    }
    renderer.resize(SIZE, SIZE, 1);
    renderer.setPersistence(60);
    // The spot's sigma in pixels: small spots leave the per-triangle cost, large ones the per-pixel.
    if (params.has('spot')) renderer.setSpotSize(Number(params.get('spot')));
    const runs = [...SIZES.map((n) => [n, 0]), ...GLOW_SIZES.map((n) => [n, 1])];
    for (const [n, glow] of runs) {
      renderer.setGlow(glow);
      const frames = n >= 50000 ? Math.max(5, Math.round(FRAMES / 5)) : FRAMES;
      const { median, p95, mean, cpu } = await measure(renderer, n, frames);
      const gpu = n < 50000 ? await gpuTime(renderer, n, GPU_FRAMES).catch(() => null) : null;
      const { canvasFormat, accumulationFormat } = renderer.stats();
      const row = { backend, segments: n, glow, frames, median, p95, mean, fps: 1000 / mean, cpu, gpu, canvasFormat, accumulationFormat };
      results.push(row);
      const tr = document.createElement('tr');
      for (const v of [backend, n, glow ? 'on' : 'off', frames, median.toFixed(1), p95.toFixed(1), mean.toFixed(1), row.fps.toFixed(1), gpu?.toFixed(1) ?? '']) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.append(td);
      }
      document.querySelector('#results tbody').append(tr);
    }
    renderer.free();
  }
  window.benchResults = results;
  if (!params.has('nochain')) {
    window.benchChain = chainCost();
    const p = document.createElement('p');
    p.id = 'chain';
    p.textContent = `signal chain per frame: ${JSON.stringify(window.benchChain)}`;
    document.body.append(p);
  }
  if (!params.has('noworklet')) {
    try {
      window.benchWorklet = await workletCost(Number(params.get('seconds') ?? 60));
    } catch (e) {
      window.benchWorklet = { error: String(e?.message ?? e) };
    }
    const p = document.createElement('p');
    p.id = 'worklet';
    p.textContent = `worklet process(): ${JSON.stringify(window.benchWorklet)}`;
    document.body.append(p);
  }
  document.body.dataset.state = 'done';
}

/**
 * A worker that watches the ring's samplesWritten counter (in the shared wasm memory) every
 * ~0.2 ms and logs [time, count] whenever it changes: when each quantum reached the ring, on
 * the page's clock (performance.timeOrigin + now, so comparable across threads).
 */
const WRITE_WATCHER = URL.createObjectURL(
  new Blob(
    [
      `onmessage = (e) => {
        const { memory, ptr, ms } = e.data;
        const counter = new BigUint64Array(memory.buffer, ptr, 1);
        const sleeper = new Int32Array(new SharedArrayBuffer(4));
        const log = [];
        let last = -1n;
        const until = performance.now() + ms;
        while (performance.now() < until) {
          const w = Atomics.load(counter, 0);
          if (w !== last) {
            log.push(performance.timeOrigin + performance.now(), Number(w));
            last = w;
          }
          Atomics.wait(sleeper, 0, 0, 0.2);
        }
        postMessage(log);
      };`,
    ],
    { type: 'text/javascript' },
  ),
);

/**
 * Sample-to-frame latency: the fake microphone plays a WAV with single-sample clicks (made by
 * tests/bench/render-bench.mjs); for each click, the time from its quantum reaching the ring
 * (the write watcher's log) to the end of the animation frame callback that drew it (the
 * renderer's levels say which frame drained the peak, and its number in the stream).
 */
async function latency(seconds = Number(params.get('seconds') ?? 8)) {
  await loadWasm();
  document.body.dataset.state = 'running';
  const ctx = new AudioContext({ sampleRate: 48000 });
  await ctx.audioWorklet.addModule(new URL('./worklet/processor.js', import.meta.url));
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE;
  canvas.style.width = canvas.style.height = `${SIZE}px`;
  document.getElementById('stage').append(canvas);
  const renderer = await ScopeRenderer.create(canvas, BACKENDS[0]);
  renderer.resize(SIZE, SIZE, 1);
  const stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints());
  const tap = new AudioTap(ctx);
  ctx.createMediaStreamSource(stream).connect(tap.node);
  await ctx.resume();
  const watcher = new Worker(WRITE_WATCHER);
  const log = new Promise((resolve) => (watcher.onmessage = (e) => resolve(e.data)));
  watcher.postMessage({ memory: wasmMemory(), ptr: tap.samplesWrittenPtr(), ms: seconds * 1000 + 500 });
  const clicks = [];
  const frames = [];
  const start = performance.now();
  await new Promise((resolve) => {
    let previous = null;
    const frame = (now) => {
      const begin = performance.timeOrigin + performance.now();
      renderer.render(tap, now);
      const end = performance.now();
      const [, , peak, peakAt] = tap.takeLevels();
      // Skip the first second (pipeline compilation stalls the first frames).
      if (now - start > 1000) {
        frames.push(now);
        if (peak > 0.5 && previous) {
          // One frame, as the click saw it: from the previous drain to the end of this draw.
          const drawnAt = performance.timeOrigin + end;
          clicks.push({ drawnAt, index: peakAt, frame: drawnAt - previous.begin, previousBegin: previous.begin });
        }
      }
      previous = { now, begin };
      if (end - start < seconds * 1000) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  const writes = await log;
  watcher.terminate();
  const stats = tap.stats();
  for (const t of stream.getTracks()) t.stop();
  await ctx.close();
  // Each click's quantum reached the ring at the first logged count beyond its index.
  // A click "missed" a frame if it was in the ring before the previous frame began draining.
  const latencies = [];
  let missed = 0;
  let worstRatio = 0;
  for (const c of clicks) {
    for (let i = 0; i < writes.length; i += 2) {
      if (writes[i + 1] > c.index) {
        const ms = c.drawnAt - writes[i];
        latencies.push(ms);
        if (writes[i] < c.previousBegin) missed++;
        worstRatio = Math.max(worstRatio, ms / (c.frame + (128 / ctx.sampleRate) * 1000));
        break;
      }
    }
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return {
    clicks: latencies.length,
    meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    medianMs: quantile(sorted, 0.5),
    maxMs: sorted[sorted.length - 1],
    missedFrames: missed,
    worstOfFramePlusQuantum: worstRatio,
    frameMs: intervals.reduce((a, b) => a + b, 0) / Math.max(1, intervals.length),
    quantumMs: (128 / ctx.sampleRate) * 1000,
    writesLogged: writes.length / 2,
    dropped: stats.dropped,
    skipped: stats.skipped,
    backend: renderer.backend,
  };
}

if (params.has('run')) run();
else if (params.has('latency')) {
  latency()
    .then((r) => (window.benchLatency = r))
    .catch((e) => (window.benchLatency = { error: String(e?.message ?? e) }))
    .finally(() => (document.body.dataset.state = 'done'));
}
