// The app page: checks what the browser offers, loads the wasm module and says plainly what is
// missing; then puts a <vector-scope> (with its control bar: Start/Stop, input, snapshot, full
// screen) on the stage, drives it from the Display panel (made from the settings table) and
// shows the element's statistics. It uses only the element's public API. On a page that is not
// cross-origin isolated it runs, as the element does, through the message-port fallback, and
// says so.

import './vector-scope.js';
import { ERROR_TEXT } from './errors.js';
import { fallbackNotice } from './audio.js';
import { SETTINGS, DISPLAY_SETTINGS, settingProperty, sliderFor } from './settings.js';

const $ = (id) => document.getElementById(id);

/** Shows an environment fact: `state` is 'ok', 'warn' (works, in a lesser way) or 'bad'. */
function setEnv(id, text, state) {
  const dd = $(id);
  dd.textContent = text;
  dd.className = state;
}
const okIf = (ok) => (ok ? 'ok' : 'bad');

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
    li.textContent = ERROR_TEXT[code] + (detail ? ` (${detail})` : '');
    ul.append(li);
  }
  box.append(h, ul);
  box.hidden = false;
  document.body.dataset.problems = problems.map((p) => p.code).join(' ');
}

async function main() {
  const problems = [];
  if (!window.isSecureContext) problems.push({ code: 'insecure-context' });
  const isolated = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const headers = globalThis.crossOriginIsolated === true;
  setEnv('env-isolated', isolated ? 'yes' : headers ? 'yes, but no SharedArrayBuffer' : 'no: message-port fallback', isolated ? 'ok' : 'warn');
  document.body.dataset.isolated = String(isolated);
  const fallback = fallbackNotice();
  if (fallback) {
    $('notice').textContent = ERROR_TEXT[fallback];
    $('notice').dataset.code = fallback;
    $('notice').hidden = false;
  }

  const worklet = typeof AudioWorkletNode === 'function';
  setEnv('env-worklet', worklet ? 'yes' : 'no', okIf(worklet));
  if (!worklet) problems.push({ code: 'no-audioworklet' });

  const graphics = await detectGraphics();
  setEnv('env-gpu', graphics ?? 'none', okIf(graphics !== null));
  document.body.dataset.graphics = graphics ?? 'none';
  if (!graphics) problems.push({ code: 'no-gpu' });

  try {
    const wasm = await import('./pkg/vectorscope.js');
    await wasm.default();
    const shared = isolated && wasm.wasmMemory().buffer instanceof SharedArrayBuffer;
    setEnv('env-memory', shared ? 'shared' : 'not shared', shared ? 'ok' : 'warn');
    document.body.dataset.memory = shared ? 'shared' : 'private';
    $('build').textContent = `v${wasm.version()}`;
  } catch (e) {
    setEnv('env-memory', 'failed', 'bad');
    problems.push({ code: 'wasm-failed', detail: String(e?.message ?? e) });
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
  scope.setAttribute('meters', '');
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
  setEnv('env-gpu', backend, 'ok');
  setEnv('env-transport', scope.stats.transport, scope.stats.transport === 'shared-ring' ? 'ok' : 'warn');
  // For the tests and the console.
  window.vectorscopeApp = { scope };
  setRunning(false);
  scope.addEventListener('scope-start', () => setRunning(true));
  scope.addEventListener('scope-stop', () => setRunning(false));
  buildPanel(scope, $('source-settings'), SOURCE_SETTINGS);
  acceptDrops(scope);
  buildPanel(scope, $('display'), DISPLAY_SETTINGS);
  document.body.dataset.state = 'ready';
  requestAnimationFrame(frame);
}

/** An audio file dropped anywhere on the page plays in the scope (the scope takes drops on
 * itself too). */
function acceptDrops(scope) {
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (e) => {
    const dropped = e.dataTransfer?.files?.[0];
    if (!dropped || e.defaultPrevented) return;
    e.preventDefault();
    scope.openFile(dropped).catch(() => {});
  });
}

/** The settings of the Source panel. */
const SOURCE_SETTINGS = ['source', 'demo', 'loop', 'volume', 'muted'];

/** A panel of settings (`names`, in `panel`): one control per setting of the table, kept in
 * step with the element (its control bar changes some of the same settings). */
function buildPanel(scope, panel, names) {
  const controls = new Map();
  for (const name of names) {
    const spec = SETTINGS[name];
    const id = `set-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = spec.label;
    let input;
    if (spec.kind === 'enum') {
      input = document.createElement('select');
      for (const v of spec.values) input.append(new Option(spec.labels?.[v] ?? v, v));
    } else if (spec.kind === 'number') {
      input = sliderFor(name);
    } else if (spec.kind === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement('input');
      input.type = 'color';
    }
    input.id = id;
    input.dataset.setting = name;
    const out = document.createElement('output');
    out.htmlFor = id;
    panel.append(label, input, out);
    const property = settingProperty(name);
    input.addEventListener('input', () => {
      if (spec.kind === 'boolean') scope[property] = input.checked;
      else scope[property] = spec.kind === 'number' ? Number(input.value) : input.value;
    });
    controls.set(name, { input, out, spec });
  }
  const show = (name) => {
    const { input, out, spec } = controls.get(name);
    const value = scope[settingProperty(name)];
    if (spec.kind === 'boolean') {
      input.checked = value;
      out.textContent = '';
    } else if (spec.kind === 'color') {
      // A colour input holds only #rrggbb: other CSS colours leave it as it is.
      if (/^#[0-9a-f]{6}$/i.test(value)) input.value = value.toLowerCase();
      out.textContent = '';
    } else {
      if (document.activeElement !== input) input.value = String(value);
      out.textContent = spec.kind !== 'number' ? '' : spec.unit ? `${value} ${spec.unit}` : String(value);
    }
  };
  for (const name of controls.keys()) show(name);
  new MutationObserver((records) => {
    for (const r of records) if (controls.has(r.attributeName)) show(r.attributeName);
  }).observe(scope, { attributes: true, attributeFilter: [...controls.keys()] });
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
  const { scope } = window.vectorscopeApp;
  const s = scope.stats;
  $('st-rate').textContent = s.sampleRate ? `${fmt.format(s.sampleRate)} Hz` : '–';
  $('st-quanta').textContent = fmt.format(s.quanta);
  $('st-written').textContent = fmt.format(s.samplesWritten);
  $('st-drained').textContent = fmt.format(s.drained);
  $('st-dropped').textContent = fmt.format(s.dropped);
  $('st-skipped').textContent = fmt.format(s.skipped);
  $('st-nonfinite').textContent = fmt.format(s.nonFinite);
  const { rmsLeft, rmsRight } = scope.takeLevels();
  const db = (rms) => (rms > 0 ? `${(20 * Math.log10(rms)).toFixed(1)} dBFS` : '–');
  $('st-left').textContent = db(rmsLeft);
  $('st-right').textContent = db(rmsRight);
  $('st-fps').textContent = s.fps ? s.fps.toFixed(0) : '–';
  $('st-segments').textContent = fmt.format(s.segmentsPerFrame);
}

main().catch((e) => {
  showProblems([{ code: 'wasm-failed', detail: String(e?.message ?? e) }]);
  document.body.dataset.state = 'unsupported';
});
