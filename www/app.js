// The app page: checks what the browser offers, loads the wasm module and says plainly what is
// missing; then the audio controls (Start/Stop, input chooser) and live ring statistics.
// Every problem has a stable code (also used by tests and, later, <vector-scope>).

import { ScopeAudio, ERROR_TEXT, listInputs } from './audio.js';
import { ScopeView } from './view.js';

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
    setUpAudio();
    await setUpView();
    document.body.dataset.state = 'ready';
  }
}

let view = null;

/** The picture: ?backend=webgpu|webgl2 forces one (tests, comparisons). */
async function setUpView() {
  const wanted = new URLSearchParams(location.search).get('backend');
  view = new ScopeView($('scope'), {
    backend: ['webgpu', 'webgl2'].includes(wanted) ? wanted : 'auto',
    audio: () => audio,
  });
  window.vectorscopeApp.view = view;
  try {
    const backend = await view.start();
    document.body.dataset.backend = backend;
    setEnv('env-gpu', backend, true);
  } catch (e) {
    showProblems([{ code: 'no-gpu', detail: e.message }]);
  }
  view.addEventListener('error', (e) => showAudioError(e.detail));
  for (const input of document.querySelectorAll('#display [data-setting]')) {
    const apply = () => {
      const value = input.tagName === 'SELECT' ? input.value : Number(input.value);
      view.set({ [input.dataset.setting]: value });
      const out = document.querySelector(`output[for="${input.id}"]`);
      if (out) out.textContent = input.dataset.unit ? `${input.value} ${input.dataset.unit}` : input.value;
    };
    input.addEventListener('input', apply);
    apply();
  }
}

/** Shows an audio failure (a ScopeError's code) in the page; null clears it. */
function showAudioError(error) {
  const box = $('audio-error');
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    delete box.dataset.code;
    return;
  }
  box.dataset.code = error.code ?? 'unknown';
  box.append(ERROR_TEXT[error.code] ? error.message : String(error.message ?? error));
  if (error.code === 'context-suspended') {
    const resume = document.createElement('button');
    resume.type = 'button';
    resume.textContent = 'Resume audio';
    resume.addEventListener('click', () => audio.resume());
    box.append(resume);
  }
  box.hidden = false;
}

let audio = null;

async function refreshDevices() {
  const select = $('device');
  const chosen = select.value;
  const inputs = await listInputs();
  select.replaceChildren(new Option('Default input', ''));
  for (const { deviceId, label } of inputs) {
    if (deviceId && deviceId !== 'default') select.append(new Option(label, deviceId));
  }
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  select.dataset.count = String(inputs.length);
}

function setRunning(running) {
  const start = $('start');
  start.textContent = running ? 'Stop' : 'Start';
  start.setAttribute('aria-pressed', String(running));
  document.body.dataset.audio = running ? 'running' : 'stopped';
  $('st-state').textContent = running ? 'running' : 'stopped';
}

/** Starts (or restarts, on another input) the microphone; failures are shown in the page. */
async function startAudio() {
  const start = $('start');
  start.disabled = true;
  try {
    showAudioError(null);
    await audio.startMicrophone($('device').value || undefined);
    await refreshDevices(); // labels appear once permission is granted
  } catch (e) {
    showAudioError(e);
  } finally {
    start.disabled = false;
    setRunning(audio.running);
  }
}

async function stopAudio() {
  $('start').disabled = true;
  await audio.stop();
  $('start').disabled = false;
  setRunning(false);
}

function setUpAudio() {
  audio = new ScopeAudio();
  window.vectorscopeApp = { audio };
  $('controls').hidden = false;
  setRunning(false);
  audio.addEventListener('error', (e) => showAudioError(e.detail));
  audio.addEventListener('statechange', () => setRunning(audio.running));
  audio.addEventListener('resumed', () => {
    if ($('audio-error').dataset.code === 'context-suspended') showAudioError(null);
  });
  $('start').addEventListener('click', () => (audio.running ? stopAudio() : startAudio()));
  $('device').addEventListener('change', () => audio.running && startAudio());
  navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
  refreshDevices();
  requestAnimationFrame(frame);
}

const fmt = new Intl.NumberFormat('en');
let lastStats = 0;

function frame(now) {
  requestAnimationFrame(frame);
  if (now - lastStats < 250) return;
  lastStats = now;
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
  if (view) {
    const v = view.stats;
    $('st-fps').textContent = v.fps ? v.fps.toFixed(0) : '–';
    $('st-segments').textContent = fmt.format(v.segments ?? 0);
  }
}

main().catch((e) => {
  showProblems([{ code: 'wasm-failed', detail: String(e?.message ?? e) }]);
  document.body.dataset.state = 'unsupported';
});
