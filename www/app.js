// The app page: checks what the browser offers, loads the wasm module and says plainly what is
// missing; then puts a <vector-scope> (with its control bar: Start/Stop, input, snapshot, full
// screen) on the stage, drives it from the Display panel and shows live ring statistics.
// Every problem has a stable code (the element uses the same codes for its errors).

import './vector-scope.js';

const $ = (id) => document.getElementById(id);

/** Plain-language text for each problem code. */
const PROBLEM_TEXT = {
  'insecure-context':
    'This page is not served securely (https://, or http:// on localhost), so the browser ' +
    'offers neither the microphone nor SharedArrayBuffer.',
  'not-isolated':
    'SharedArrayBuffer is not available. vectorscope shares one WebAssembly memory between the ' +
    'audio thread and the page, which browsers allow only on a cross-origin isolated page: the ' +
    'server must send Cross-Origin-Opener-Policy: same-origin and ' +
    'Cross-Origin-Embedder-Policy: require-corp (cargo xtask serve does).',
  'no-audioworklet':
    'This browser has no AudioWorklet, which vectorscope needs to read audio on the audio ' +
    'thread. Use a current Chrome, Edge, Firefox or Safari.',
  'no-gpu':
    'Neither WebGPU nor WebGL2 is available, so nothing can be drawn. Enable hardware ' +
    'acceleration in the browser settings, or try another browser.',
  'wasm-failed': 'The WebAssembly module failed to load.',
};

function setEnv(id, text, ok) {
  const dd = $(id);
  dd.textContent = text;
  dd.className = ok ? 'ok' : 'bad';
}

/** Resolves to 'webgpu', 'webgl2' or null. An adapter must really be obtained: `navigator.gpu`
 * alone proves nothing (Chrome on Linux exposes it without one). */
async function detectGraphics() {
  if (navigator.gpu) {
    try {
      const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 3000));
      const adapter = await Promise.race([navigator.gpu.requestAdapter(), timeout]);
      if (adapter) return 'webgpu';
    } catch {
      // fall through to WebGL2
    }
  }
  try {
    if (document.createElement('canvas').getContext('webgl2')) return 'webgl2';
  } catch {
    // no WebGL2 either
  }
  return null;
}

function showProblems(problems) {
  const box = $('problems');
  box.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = problems.length === 1 ? 'vectorscope cannot run here' : `vectorscope cannot run here (${problems.length} problems)`;
  const ul = document.createElement('ul');
  for (const { code, detail } of problems) {
    const li = document.createElement('li');
    li.dataset.code = code;
    li.textContent = PROBLEM_TEXT[code] + (detail ? ` (${detail})` : '');
    ul.append(li);
  }
  box.append(h, ul);
  box.hidden = false;
  document.body.dataset.problems = problems.map((p) => p.code).join(' ');
}

async function main() {
  const problems = [];
  if (!window.isSecureContext) problems.push({ code: 'insecure-context' });
  const isolated = globalThis.crossOriginIsolated === true;
  const sab = typeof SharedArrayBuffer === 'function';
  setEnv('env-isolated', isolated ? 'yes' : 'no', isolated);
  setEnv('env-sab', sab ? 'yes' : 'no', sab);
  if (!isolated || !sab) problems.push({ code: 'not-isolated' });

  const worklet = typeof AudioWorkletNode === 'function';
  setEnv('env-worklet', worklet ? 'yes' : 'no', worklet);
  if (!worklet) problems.push({ code: 'no-audioworklet' });

  const graphics = await detectGraphics();
  setEnv('env-gpu', graphics ?? 'none', graphics !== null);
  document.body.dataset.graphics = graphics ?? 'none';
  if (!graphics) problems.push({ code: 'no-gpu' });

  if (sab) {
    try {
      const wasm = await import('./pkg/vectorscope.js');
      await wasm.default();
      const shared = wasm.wasmMemory().buffer instanceof SharedArrayBuffer;
      setEnv('env-memory', shared ? 'shared' : 'not shared', shared);
      document.body.dataset.memory = shared ? 'shared' : 'private';
      $('build').textContent = `v${wasm.version()}`;
    } catch (e) {
      setEnv('env-memory', 'failed', false);
      problems.push({ code: 'wasm-failed', detail: String(e?.message ?? e) });
    }
  } else {
    setEnv('env-memory', 'not loaded', false);
  }

  if (problems.length) {
    showProblems(problems);
    document.body.dataset.state = 'unsupported';
  } else {
    await setUpScope();
  }
}

/** The scope element; `?backend=webgpu|webgl2` forces a backend (tests, comparisons). */
async function setUpScope() {
  const wanted = new URLSearchParams(location.search).get('backend');
  const scope = document.createElement('vector-scope');
  scope.id = 'scope';
  scope.setAttribute('controls', '');
  scope.setAttribute('source', 'microphone');
  if (['webgpu', 'webgl2'].includes(wanted)) scope.setAttribute('backend', wanted);
  const ready = new Promise((resolve, reject) => {
    scope.addEventListener('scope-ready', resolve, { once: true });
    scope.addEventListener('scope-error', (e) => reject(e.detail), { once: true });
  });
  $('stage').prepend(scope);
  try {
    await ready;
  } catch (e) {
    showProblems([{ code: e.code === 'no-gpu' ? 'no-gpu' : 'wasm-failed', detail: e.message }]);
    document.body.dataset.state = 'unsupported';
    return;
  }
  const backend = scope.dataset.backend;
  document.body.dataset.backend = backend;
  setEnv('env-gpu', backend, true);
  // The inner objects, for the stats panel and the tests.
  window.vectorscopeApp = { scope, audio: scope.scopeAudio, view: scope.scopeView };
  setRunning(false);
  scope.addEventListener('scope-start', () => setRunning(true));
  scope.addEventListener('scope-stop', () => setRunning(false));
  for (const input of document.querySelectorAll('#display [data-setting]')) {
    const apply = () => {
      const name = input.dataset.setting;
      const value = input.tagName === 'SELECT' ? input.value : Number(input.value);
      if (name === 'hue') scope.color = `hsl(${value} 100% 57%)`; // the renderer's phosphor hues
      else if (name === 'spot') scope.scopeView.set({ spot: value });
      else scope[name] = value;
      const out = document.querySelector(`output[for="${input.id}"]`);
      if (out) out.textContent = input.dataset.unit ? `${input.value} ${input.dataset.unit}` : input.value;
    };
    input.addEventListener('input', apply);
    apply();
  }
  document.body.dataset.state = 'ready';
  requestAnimationFrame(frame);
}

function setRunning(running) {
  document.body.dataset.audio = running ? 'running' : 'stopped';
  $('st-state').textContent = running ? 'running' : 'stopped';
}

const fmt = new Intl.NumberFormat('en');
let lastStats = 0;

function frame(now) {
  requestAnimationFrame(frame);
  if (now - lastStats < 250) return;
  lastStats = now;
  const { audio, view } = window.vectorscopeApp;
  const s = audio.stats;
  $('st-rate').textContent = s.sampleRate ? `${fmt.format(s.sampleRate)} Hz` : '–';
  $('st-quanta').textContent = fmt.format(s.quanta ?? 0);
  $('st-written').textContent = fmt.format(s.samplesWritten ?? 0);
  $('st-drained').textContent = fmt.format(s.drained ?? 0);
  $('st-dropped').textContent = fmt.format(s.dropped ?? 0);
  $('st-skipped').textContent = fmt.format(s.skipped ?? 0);
  $('st-nonfinite').textContent = fmt.format(s.nonFinite ?? 0);
  const [l, r] = audio.tap ? audio.tap.takeLevels() : [0, 0];
  const db = (rms) => (rms > 0 ? `${(20 * Math.log10(rms)).toFixed(1)} dBFS` : '–');
  $('st-left').textContent = db(l);
  $('st-right').textContent = db(r);
  const v = view.stats;
  $('st-fps').textContent = v.fps ? v.fps.toFixed(0) : '–';
  $('st-segments').textContent = fmt.format(v.segments ?? 0);
}

main().catch((e) => {
  showProblems([{ code: 'wasm-failed', detail: String(e?.message ?? e) }]);
  document.body.dataset.state = 'unsupported';
});
