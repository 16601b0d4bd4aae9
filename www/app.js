// The app page: checks what the browser offers, loads the wasm module and says plainly what is
// missing; then puts a <vector-scope> (with its control bar: Start/Stop, input, file transport,
// snapshot, full screen, and its meter strip) on the stage, as large as the window allows, with
// a source bar above it, a Display panel that folds away (both made from the settings table), a
// first screen for a newcomer, presets, a link that reproduces the view (share.js), keyboard
// shortcuts and a Details disclosure with the environment and the element's statistics. It uses
// only the element's public API. On a page that is not cross-origin isolated it runs, as the
// element does, through the message-port fallback, and says so.

import './element/vector-scope.js';
import { ERROR_TEXT } from './element/errors.js';
import { fallbackNotice, loadWasm } from './element/audio.js';
import { SETTINGS, settingProperty, sliderFor } from './element/settings.js';
import {
  SHARED,
  PRESETS,
  PRESET_SETTINGS,
  readQuery,
  writeQuery,
  readScope,
  applyToScope,
  loadStored,
  store,
  loadPref,
  storePref,
  presetValues,
  matchPreset,
  defaults,
} from './share.js';

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

/** Keeps `--stage-top` (the stage's distance from the top of the page, in px) on the root up to
 * date: in the one-column layout the stage fills what the first screen leaves under the header,
 * the first screen and the source bar (style.css), which only a measure can say. */
function trackStageTop() {
  const stage = $('stage');
  let top = -1;
  const update = () => {
    const now = Math.round(stage.getBoundingClientRect().top + scrollY);
    if (now === top) return;
    top = now;
    document.documentElement.style.setProperty('--stage-top', `${now}px`);
  };
  const above = new ResizeObserver(update);
  for (const el of [document.querySelector('header'), $('welcome'), $('source-bar')]) above.observe(el);
  addEventListener('resize', update);
  update();
}

async function main() {
  trackStageTop();
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
    const wasm = await loadWasm();
    const shared = isolated && wasm.memory.buffer instanceof SharedArrayBuffer;
    setEnv('env-memory', shared ? 'shared' : 'not shared', shared ? 'ok' : 'warn');
    document.body.dataset.memory = shared ? 'shared' : 'private';
    $('build').textContent = `v${wasm.version}`;
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

/** The settings of the source bar above the scope (each shown only with the sources it
 * concerns), and the ones only this browser remembers (not put in a link). */
const SOURCE_BAR = ['source', 'demo', 'src', 'loop', 'volume', 'muted'];
const LOCAL_SETTINGS = ['volume', 'muted', 'loop'];
/** Which sources show each of the source bar's settings. */
const SHOWN_WITH = { demo: ['demo'], src: ['file'], loop: ['file'], volume: ['demo', 'file'], muted: ['demo', 'file'] };

/** The scope element; `?backend=webgpu|webgl2` forces a backend (tests, comparisons). The
 * settings come from the page's URL when it names any, else from the last visit. */
async function setUpScope() {
  const wanted = new URLSearchParams(location.search).get('backend');
  const scope = document.createElement('vector-scope');
  scope.id = 'scope';
  scope.setAttribute('controls', '');
  const fromLink = readQuery(location.search);
  applyToScope(scope, fromLink.found ? fromLink.values : (loadStored() ?? defaults()));
  const local = loadPref('source-settings', {});
  for (const name of LOCAL_SETTINGS) {
    if (Object.hasOwn(local, name) && typeof local[name] === typeof SETTINGS[name].default) scope[settingProperty(name)] = local[name];
  }
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
  const app = { scope, flushLink: () => {} };
  // For the tests and the console.
  window.vectorscopeApp = app;
  setRunning(false);
  scope.addEventListener('scope-start', () => {
    setRunning(true);
    // Once something ran, the first screen has done its job.
    document.body.dataset.started = '';
    if (scope.source === 'file') app.hadFile = true;
  });
  scope.addEventListener('scope-stop', () => setRunning(false));
  buildSourceBar(scope);
  acceptDrops(scope);
  buildPanel(scope, $('display'), PRESET_SETTINGS);
  foldable($('display-panel'), 'display-open', innerWidth >= 700);
  foldable($('details'), 'details-open', false);
  app.flushLink = keepLink(scope);
  buildPresets(scope);
  buildCopyLink(app);
  buildWelcome(app);
  buildShortcuts(app);
  document.body.dataset.state = 'ready';
  requestAnimationFrame(frame);
}

/** A <details> whose open state is remembered (`fallback` the first time). */
function foldable(details, key, fallback) {
  details.open = Boolean(loadPref(key, fallback));
  details.addEventListener('toggle', () => storePref(key, details.open));
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

/** One control for setting `name` of the table: `{ label, input, out }`. */
function makeControl(name) {
  const spec = SETTINGS[name];
  const id = `set-${name}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = name === 'meters' ? 'Show meters' : spec.label;
  let input;
  if (spec.kind === 'enum') {
    input = document.createElement('select');
    for (const v of spec.values) input.append(new Option(spec.labels?.[v] ?? v, v));
  } else if (spec.kind === 'number') {
    input = sliderFor(name);
  } else if (spec.kind === 'boolean') {
    input = document.createElement('input');
    input.type = 'checkbox';
  } else if (spec.kind === 'color') {
    input = document.createElement('input');
    input.type = 'color';
  } else {
    input = document.createElement('input');
    input.type = 'url';
    input.placeholder = 'https://…/song.mp3';
    input.spellcheck = false;
  }
  input.id = id;
  input.dataset.setting = name;
  const out = document.createElement('output');
  out.htmlFor = id;
  return { label, input, out, spec, name };
}

/** Keeps `controls` (from makeControl) and the element's settings in step both ways (the
 * element's own control bar, the presets and the shortcuts change some of the same). */
function bindControls(scope, controls) {
  const byName = new Map(controls.map((c) => [c.name, c]));
  for (const { input, spec, name } of controls) {
    const property = settingProperty(name);
    // A URL is taken when it is complete (Enter, or leaving the field), not at every key.
    input.addEventListener(spec.kind === 'string' ? 'change' : 'input', () => {
      if (spec.kind === 'boolean') scope[property] = input.checked;
      else scope[property] = spec.kind === 'number' ? Number(input.value) : input.value;
    });
  }
  const show = (name) => {
    const { input, out, spec } = byName.get(name);
    const value = scope[settingProperty(name)];
    if (spec.kind === 'boolean') {
      input.checked = value;
    } else if (spec.kind === 'color') {
      // A colour input holds only #rrggbb: other CSS colours leave it as it is.
      if (/^#[0-9a-f]{6}$/i.test(value)) input.value = value.toLowerCase();
    } else if (document.activeElement !== input) {
      input.value = String(value);
    }
    if (spec.kind === 'number') out.textContent = spec.unit ? `${value} ${spec.unit}` : String(value);
  };
  for (const name of byName.keys()) show(name);
  new MutationObserver((records) => {
    for (const r of records) if (byName.has(r.attributeName)) show(r.attributeName);
  }).observe(scope, { attributes: true, attributeFilter: [...byName.keys()] });
}

/** A panel of settings (`names`, in `panel`): label, control, value, a row each. */
function buildPanel(scope, panel, names) {
  const controls = names.map(makeControl);
  // A number's value is shown beside its slider; other controls take the value's column too.
  for (const c of controls) panel.append(c.label, c.input, ...(c.spec.kind === 'number' ? [c.out] : []));
  bindControls(scope, controls);
}

/** The source bar above the scope: the source, and what it needs (the demo signal; a file's
 * URL and loop; the volume and mute of what is heard). The element's own bar keeps Start, the
 * input, the file transport, the snapshot and full screen. */
function buildSourceBar(scope) {
  const bar = $('source-bar');
  const controls = SOURCE_BAR.map(makeControl);
  const fields = new Map();
  for (const c of controls) {
    const field = document.createElement('span');
    field.className = `field field-${c.spec.kind}`;
    field.dataset.for = c.name;
    if (c.spec.kind === 'boolean') field.append(c.input, c.label);
    else field.append(c.label, c.input);
    if (c.spec.kind === 'number') field.append(c.out);
    bar.append(field);
    fields.set(c.name, field);
  }
  bindControls(scope, controls);
  const showFields = () => {
    for (const [name, field] of fields) field.hidden = Boolean(SHOWN_WITH[name]) && !SHOWN_WITH[name].includes(scope.source);
  };
  showFields();
  new MutationObserver(showFields).observe(scope, { attributes: true, attributeFilter: ['source'] });
  // Volume, mute and loop are this browser's, not the view's: remembered, not shared.
  new MutationObserver(() => {
    storePref('source-settings', Object.fromEntries(LOCAL_SETTINGS.map((n) => [n, scope[settingProperty(n)]])));
  }).observe(scope, { attributes: true, attributeFilter: LOCAL_SETTINGS });
}

/** How often at most the page's URL follows the settings. */
const LINK_INTERVAL_MS = 250;

/** Keeps the page's URL (history.replaceState, at most every LINK_INTERVAL_MS) and the
 * remembered settings in step with the element; returns a function that brings them up to date
 * at once. */
function keepLink(scope) {
  let timer = 0;
  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    const values = readScope(scope);
    const query = writeQuery(values, location.search);
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
    store(values);
    showPreset(values);
  };
  new MutationObserver(() => {
    if (!timer) timer = setTimeout(flush, LINK_INTERVAL_MS);
  }).observe(scope, { attributes: true, attributeFilter: SHARED });
  addEventListener('pagehide', flush);
  flush();
  return flush;
}

/** The preset select shows the preset the settings match ("Custom" when none). */
function showPreset(values) {
  $('preset').value = matchPreset(values) ?? 'custom';
}

function buildPresets(scope) {
  const select = $('preset');
  for (const [id, { label }] of Object.entries(PRESETS)) select.append(new Option(label, id));
  select.querySelector('option[value="custom"]').disabled = true;
  showPreset(readScope(scope));
  select.addEventListener('change', () => {
    if (PRESETS[select.value]) applyToScope(scope, presetValues(select.value));
  });
}

/** Says `text` for a few seconds in the header's status line (a live region). */
let statusTimer = 0;
function say(text) {
  const s = $('status');
  s.textContent = text;
  clearTimeout(statusTimer);
  statusTimer = setTimeout(() => (s.textContent = ''), 4000);
}

/** "Copy link": the page's URL (brought up to date first) to the clipboard; where the browser
 * refuses, a selected text field to copy it from. */
function buildCopyLink(app) {
  const field = $('link-text');
  $('copy-link').addEventListener('click', async () => {
    app.flushLink();
    const link = location.href;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      $('copy-fallback').hidden = true;
      say('Link copied.');
    } catch {
      field.value = link;
      $('copy-fallback').hidden = false;
      field.focus();
      field.select();
      say('Copy the selected link.');
    }
  });
  field.addEventListener('focus', () => field.select());
}

/** The element's file picker (its Open button). */
function openPicker(scope) {
  scope.shadowRoot?.querySelector('[part~="open-button"]')?.click();
}

/** Starts `scope` with `source`; a file source with no URL asks for a file first. Call from a
 * click or a key press (sharing a tab and the file picker need one). */
function startWith(app, source) {
  const { scope } = app;
  if (source === 'file' && !scope.src) {
    openPicker(scope);
    return;
  }
  scope.source = source;
  scope.start().catch(() => {});
}

/** The first screen: four ways in, each with what it needs; hidden once something ran. */
function buildWelcome(app) {
  for (const button of $('welcome').querySelectorAll('button[data-start]')) {
    button.addEventListener('click', () => startWith(app, button.dataset.start));
  }
}

/** Saves `blob` as `vectorscope-<time>.<ext>`. */
function download(blob, ext) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `vectorscope-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** Whether key presses at `target` are typing (a field, a select, editable text). */
function typingIn(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  return Boolean(target.closest('input, select, textarea'));
}

/** The page's keyboard shortcuts (see the help dialog). */
function buildShortcuts(app) {
  const { scope } = app;
  const help = $('help');
  const canRecord = typeof scope.startRecording === 'function';
  if (!canRecord) $('help-record').textContent = 'Record a video (not available in this version)';
  $('help-button').addEventListener('click', () => help.showModal());
  const actions = {
    ' ': () => {
      if (scope.state === 'running' || scope.state === 'starting') scope.stop();
      else if (scope.source === 'file' && !scope.src && !app.hadFile) openPicker(scope);
      else scope.start().catch(() => {});
    },
    m: () => {
      const { values } = SETTINGS.mode;
      scope.mode = values[(values.indexOf(scope.mode) + 1) % values.length];
      say(`Mode: ${SETTINGS.mode.labels[scope.mode]}`);
    },
    f: () => {
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else scope.requestFullscreen().catch(() => say('Full screen was refused.'));
    },
    s: () => {
      scope.snapshot().then((png) => download(png, 'png'), () => say('No snapshot: the scope is not shown.'));
    },
    r: () => {
      if (!canRecord) return say('Recording is not available in this version.');
      if (scope.recording) scope.stopRecording().catch(() => {});
      else scope.startRecording({ download: true }).catch(() => {});
    },
    '?': () => (help.open ? help.close() : help.showModal()),
  };
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const key = e.key === '?' ? '?' : e.key.toLowerCase();
    // Shift is only for "?" (a shifted key on most layouts).
    if (e.shiftKey && key !== '?') return;
    const action = actions[key];
    if (!action) return;
    const target = e.composedPath()[0];
    if (typingIn(target)) return;
    // Space on a focused button or disclosure presses it, as it should.
    if (key === ' ' && target instanceof Element && target.closest('button, summary, a[href]')) return;
    // While the help is open only "?" (and Escape, the dialog's own) act.
    if (help.open && key !== '?') return;
    e.preventDefault();
    action();
  });
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
