// Runs www/bench.html in headless Chromium and prints its results as JSON on the last line of
// stdout: the renderer (both backends) and the worklet's cost (`?run`), sample-to-frame latency
// on a fake microphone playing clicks (`?latency`), the app's startup (permission granted to
// first drawn frame, on the real <vector-scope> of index.html) and the app page's frame rate
// drawing the music-like chord the chain bench measures. Started by `cargo xtask bench`;
// BENCH_QUERY narrows the `?run` part.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, BASE } from '../e2e/browser.mjs';
import { writeWav } from '../fixtures/wav.mjs';

/** Waits for the page's `data-state="done"`, then returns `expression`'s value. */
async function runPage(browser, path, expression) {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(`${BASE}/${path}`);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 20 * 60_000, polling: 1000 });
  const value = await page.evaluate(expression);
  await page.close();
  return value;
}

/** Starts the app's scope `times` times (stop in between) and returns each start's stats. */
async function startups(browser, times) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  const out = [];
  for (let i = 0; i < times; i++) {
    await page.evaluate(() => document.getElementById('scope').start());
    await page.waitForFunction(() => document.getElementById('scope').stats.startupMs !== null, null, { timeout: 60_000 });
    out.push(await page.evaluate(() => document.getElementById('scope').stats.startupMs));
    await page.evaluate(() => document.getElementById('scope').stop());
  }
  await page.close();
  return out;
}

/**
 * The app page itself (index.html: the <vector-scope> beside its panels, in a 1200x900 window)
 * drawing the music-like chord the chain bench measures (src/signal/chord.rs, made by the wasm
 * module and looped through connect()), per backend with glow off and on and upsampling off
 * (x1) and x8:
 * animation frames per second, frames drawn per second and segments per frame, over 5 s after
 * 60 frames of warm-up. What a user sees; the renderer rows above are the canvas alone.
 */
async function appFrameRates(browser) {
  const rows = [];
  for (const backend of ['webgpu', 'webgl2']) {
    for (const [glow, upsample] of [[0, '1'], [0, '8'], [1, '1'], [1, '8']]) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
      await page.goto(`${BASE}/?backend=${backend}`);
      await page.waitForFunction(() => document.body.dataset.state === 'ready');
      await page.evaluate(
        async ({ glow, upsample }) => {
          const scope = document.getElementById('scope');
          scope.glow = glow;
          scope.upsample = upsample;
          const { chordSamples } = await import('./pkg/vectorscope.js');
          const ctx = scope.audioContext;
          const frames = 4 * ctx.sampleRate;
          const interleaved = chordSamples(frames, ctx.sampleRate);
          const buffer = new AudioBuffer({ numberOfChannels: 2, length: frames, sampleRate: ctx.sampleRate });
          for (const ch of [0, 1]) buffer.copyToChannel(interleaved.filter((_, i) => i % 2 === ch), ch);
          const chord = new AudioBufferSourceNode(ctx, { buffer, loop: true });
          chord.start();
          return scope.connect(chord);
        },
        { glow, upsample },
      );
      rows.push(
        await page.evaluate(
          ({ glow, upsample }) =>
            new Promise((resolve) => {
              const scope = document.getElementById('scope');
              let ticks = 0;
              let t0 = null;
              let s0 = null;
              const frame = (now) => {
                ticks++;
                if (ticks === 60) {
                  t0 = now;
                  s0 = scope.stats;
                } else if (t0 !== null && now - t0 >= 5000) {
                  const s1 = scope.stats;
                  const seconds = (now - t0) / 1000;
                  const drawn = s1.frames - s0.frames;
                  resolve({
                    backend: s1.backend,
                    glow,
                    upsample: Number(upsample),
                    animationFps: (ticks - 60) / seconds,
                    drawnFps: drawn / seconds,
                    segmentsPerFrame: drawn > 0 ? (s1.samplesDrawn - s0.samplesDrawn) / drawn : 0,
                    sampleRate: s1.sampleRate,
                  });
                  return;
                }
                requestAnimationFrame(frame);
              };
              requestAnimationFrame(frame);
            }),
          { glow, upsample },
        ),
      );
      await page.close();
    }
  }
  return rows;
}

const browser = await launch();
let report;
try {
  const { results, chain, worklet } = await runPage(browser, `bench.html?run&${process.env.BENCH_QUERY ?? ''}`, () => ({
    results: window.benchResults,
    chain: window.benchChain ?? [],
    worklet: window.benchWorklet ?? null,
  }));
  report = { chromium: browser.version(), results, chain, worklet };
} finally {
  await browser.close();
}

// Single-sample clicks (0.9 on both channels) every 0.3137 s, so they fall at every phase of
// the frames; the fake microphone loops the file.
const rate = 48000;
const period = Math.round(0.3137 * rate);
const wav = writeWav(join(tmpdir(), 'vectorscope-clicks.wav'), {
  sampleRate: rate,
  frames: period * 10,
  channels: [0, 1].map(() => (i) => (i % period === 100 ? 0.9 : 0)),
});
const mic = await launch({ wav });
try {
  report.latency = await runPage(mic, 'bench.html?latency', () => window.benchLatency);
  report.startupMs = await startups(mic, 3);
} finally {
  await mic.close();
}
const app = await launch();
try {
  report.app = await appFrameRates(app);
} finally {
  await app.close();
}
console.log(JSON.stringify(report));
