// <vector-scope>: the web component. A thin custom element (shadow DOM, attributes mirrored as
// properties) that delegates to the inner objects: ScopeAudio (audio.js: context, worklet,
// ring) and ScopeView (view.js: canvas, wgpu renderer, animation-frame loop).
//
//   <script type="module" src="/vector-scope.js"></script>
//   <vector-scope controls source="microphone"></vector-scope>
//
// The wasm module loads once per page; instances share one AudioContext and each has its own
// ring and renderer. On a page without cross-origin isolation the audio reaches the ring over the
// worklet's MessagePort instead of shared memory (stats.transport says which).

import { ScopeAudio, listInputs, loadWasm, sharedContext, sharedRingAvailable, silentMeters } from './audio.js';
import { audioNode, microphone, nodeProblem } from './sources.js';
import { ScopeView } from './view.js';
import { MeterStrip, METER_STRIP_CSS, METER_STRIP_HTML } from './meter-strip.js';
import { ERROR_TEXT, ScopeError, toScopeError } from './errors.js';
import {
  SETTINGS,
  DISPLAY_SETTINGS,
  parseSetting,
  describeSetting,
  describeFallback,
  quoteValue,
  sliderFor,
  colorToRgb,
  settingProperty,
} from './settings.js';

const TEMPLATE = document.createElement('template');
TEMPLATE.innerHTML = `
<style>
  :host {
    display: block;
    position: relative;
    aspect-ratio: 1 / 1;
    min-width: 80px;
    min-height: 80px;
    overflow: hidden;
    contain: layout paint;
    background: var(--vector-scope-background, #000);
    color: var(--vector-scope-foreground, #cfd8dc);
    font: var(--vector-scope-font, 13px system-ui, sans-serif);
    border-radius: var(--vector-scope-radius, 0);
  }
  :host([hidden]) { display: none; }
  :host(:fullscreen) { aspect-ratio: auto; width: 100vw; height: 100vh; }
  .stage { position: absolute; inset: 0; }
  .scope-canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
  .scope-labels { position: absolute; inset: 0; pointer-events: none; font-weight: 600; font-size: 12px; line-height: 1;
    color: var(--vector-scope-label, #8a9aa3); }
  .scope-labels span { position: absolute; transform: translate(-50%, -50%); }
  /* The polar views share the M/S labels: mid up, side along the base, L and R on the diagonals. */
  .stage[data-mode="xy"] .scope-labels span[data-mode="ms"],
  .stage:not([data-mode="xy"]) .scope-labels span[data-mode="xy"] { display: none; }
  .scope-labels .xy-l { left: 98.5%; top: 47.5%; }
  .scope-labels .xy-r { left: 52.5%; top: 1.5%; }
  .scope-labels .ms-m { left: 50%; top: 1.5%; }
  .scope-labels .ms-s-left { left: 1.5%; top: 47.5%; }
  .scope-labels .ms-s-right { left: 98.5%; top: 47.5%; }
  .scope-labels .ms-l { left: 15.5%; top: 15.5%; }
  .scope-labels .ms-r { left: 84.5%; top: 15.5%; }
  .scope-over { position: absolute; right: 6px; top: 6px; padding: 1px 5px; border-radius: 3px; font-size: 10px; font-weight: 700;
    letter-spacing: 0.05em; pointer-events: none; background: var(--vector-scope-over, #d32f2f); color: #fff; }
  .scope-over[hidden], .scope-auto-gain[hidden] { display: none; }
  .scope-auto-gain { position: absolute; right: 6px; top: 24px; padding: 1px 5px; border-radius: 3px; font-size: 10px; font-weight: 600;
    pointer-events: none; font-variant-numeric: tabular-nums; background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72));
    color: var(--vector-scope-label, #8a9aa3); }
  .bar { position: absolute; left: 6px; right: 6px; bottom: 6px; display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center;
    padding: 4px 6px; border-radius: 6px; font-size: 12px; background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72)); }
  /* While running, the bar and the notice keep off the trace: they fade out while the pointer is
     away (as video players do) and stay while a control has keyboard focus. */
  .bar, .notice { transition: opacity 0.25s; }
  @media (hover: hover) {
    :host([data-state="running"]:not(:hover):not(:focus-within)) :is(.bar, .notice) { opacity: 0; }
  }
  .bar .spacer { flex: 1; }
  .bar svg { width: 14px; height: 14px; vertical-align: -2px; fill: none; stroke: currentColor; stroke-width: 2; }
  .bar [hidden], .bar[hidden], .notice[hidden], .message[hidden], .status[hidden] { display: none; }
  .bar label { display: inline-flex; gap: 4px; align-items: center; }
  .bar input[type="range"] { width: 64px; accent-color: var(--vector-scope-accent, #26ff6e); }
  button, select { font: inherit; color: inherit; background: var(--vector-scope-control, #1b2327);
    border: 1px solid var(--vector-scope-line, #33434a); border-radius: 4px; padding: 2px 8px; }
  button.start { background: var(--vector-scope-accent, #26ff6e); color: #00140a; font-weight: 600; }
  button.start[aria-pressed="true"] { background: var(--vector-scope-control, #1b2327); color: inherit; }
  button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid var(--vector-scope-accent, #26ff6e); outline-offset: 1px; }
  select.device { max-width: 12em; }
  .notice { position: absolute; left: 6px; top: 6px; box-sizing: border-box; max-width: calc(50% - 24px); font-size: 11px; padding: 2px 6px; border-radius: 4px;
    background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72)); color: var(--vector-scope-notice, #e0c36a); }
  .message { position: absolute; left: 10%; right: 10%; top: 40%; padding: 10px 12px; border-radius: 6px;
    background: var(--vector-scope-error-background, rgba(60, 12, 12, 0.9)); color: var(--vector-scope-error, #ffd7d7); }
  .message button { margin-left: 8px; }
  .status { position: absolute; inset: 0; display: grid; place-items: center; color: var(--vector-scope-label, #8a9aa3); }
${METER_STRIP_CSS}
</style>
<div class="stage" part="stage"></div>
${METER_STRIP_HTML}
<div class="status" part="status" role="status">Loading…</div>
<div class="bar" id="controls" part="controls" role="toolbar" aria-label="Scope controls" hidden>
  <button class="start" id="start" part="button start-button" type="button" aria-pressed="false">Start</button>
  <select class="device" id="device" part="select device" aria-label="Audio input"><option value="">Default input</option></select>
  <select class="mode" part="select mode" aria-label="Display mode"></select>
  <label part="label gain-label">Gain <input class="gain" part="range gain" aria-label="Gain in dB"></label>
  <label part="label persistence-label">Persistence <input class="persistence" part="range persistence" aria-label="Persistence in milliseconds"></label>
  <span class="spacer"></span>
  <button class="snapshot" part="button snapshot-button" type="button" aria-label="Save a PNG snapshot" title="Save a PNG snapshot">PNG</button>
  <button class="fullscreen" part="button fullscreen-button" type="button" aria-label="Full screen" title="Full screen"><svg viewBox="0 0 16 16" aria-hidden="true"><path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4"/></svg></button>
</div>
<div class="notice" part="notice" role="note" hidden></div>
<div class="message" id="audio-error" part="error" role="alert" hidden></div>
`;

/** The `<vector-scope>` element. */
export class VectorScopeElement extends HTMLElement {
  static observedAttributes = Object.keys(SETTINGS);

  #root;
  #audio = null;
  #view = null;
  #ready = null;
  #generation = 0;
  #settings = {};
  #node = null;
  #parts;
  /** The meter strip (shown with the `meters` attribute). */
  #strip;
  #warned = new Map();
  /** The lifecycle: idle -> starting -> running -> stopping -> idle; removed while off the
   * page. Every call goes through it, and the state always follows the last call. */
  #state = 'idle';
  /** The start in flight: { promise, abort (AbortController), kind ('microphone' | 'node') }. */
  #run = null;
  /** Audio work (a start, a stop, the teardown) runs one after another on this chain. */
  #queue = Promise.resolve();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.append(TEMPLATE.content.cloneNode(true));
    const q = (s) => this.#root.querySelector(s);
    this.#parts = {
      stage: q('.stage'),
      status: q('.status'),
      bar: q('.bar'),
      start: q('.start'),
      device: q('.device'),
      mode: q('.mode'),
      gain: q('.gain'),
      persistence: q('.persistence'),
      fullscreen: q('.fullscreen'),
      snapshot: q('.snapshot'),
      notice: q('.notice'),
      message: q('.message'),
    };
    this.#strip = new MeterStrip(this.#root);
    this.#strip.reset.addEventListener('click', () => this.resetMeters());
    for (const [name, spec] of Object.entries(SETTINGS)) this.#settings[name] = spec.default;
    this.#wireControls();
  }

  // ---- attributes mirrored as properties ----

  attributeChangedCallback(name, _old, raw) {
    const { value, valid } = parseSetting(name, raw);
    if (!valid) {
      // One warning per bad value (not per read).
      if (this.#warned.get(name) !== raw) {
        this.#warned.set(name, raw);
        console.warn(
          `<vector-scope>: ${name}="${quoteValue(raw)}" is not ${describeSetting(name)}; using ${describeFallback(name)}.`,
        );
      }
    } else {
      this.#warned.delete(name);
    }
    const before = this.#settings[name];
    this.#settings[name] = value;
    if (before !== value) this.#applySetting(name);
  }

  #applySetting(name) {
    const s = this.#settings;
    const p = this.#parts;
    switch (name) {
      case 'mode':
      case 'gain':
      case 'persistence':
      case 'intensity':
      case 'glow':
      case 'spot':
      case 'upsample':
      case 'dc-block':
      case 'swap':
      case 'invert':
      case 'auto-gain':
        this.#view?.set({ [name]: s[name] });
        if (name === 'mode') p.mode.value = s.mode;
        if (name === 'gain') p.gain.value = String(s.gain);
        if (name === 'persistence') p.persistence.value = String(s.persistence);
        break;
      case 'color':
        this.#view?.set({ color: colorToRgb(s.color) });
        break;
      case 'controls':
        p.bar.hidden = !s.controls;
        break;
      case 'meters':
        this.#strip.shown = s.meters;
        break;
      case 'source':
        p.device.hidden = s.source !== 'microphone';
        if (s.source === 'none' && this.#capturing()) this.stop();
        break;
      case 'device':
        if (p.device.value !== s.device && [...p.device.options].some((o) => o.value === s.device)) p.device.value = s.device;
        if (this.#capturing()) this.#restart();
        break;
      default:
        break;
    }
  }

  // Every attribute is a property too (settings.js, vector-scope.d.ts): reading gives the
  // validated value, writing sets the attribute.
  static {
    for (const [name, spec] of Object.entries(SETTINGS)) {
      Object.defineProperty(this.prototype, settingProperty(name), {
        get() {
          return this.#settings[name];
        },
        set(v) {
          // null and undefined restore the default.
          if (v === null || v === undefined) this.removeAttribute(name);
          else if (spec.kind === 'boolean') this.toggleAttribute(name, Boolean(v));
          else this.setAttribute(name, String(v));
        },
        enumerable: true,
        configurable: true,
      });
    }
  }

  // ---- lifecycle ----

  connectedCallback() {
    if (this.#view) return; // moved within the page: keep running
    if (this.#state === 'removed') this.#setState('idle');
    const generation = ++this.#generation;
    this.#ready = this.#init(generation);
    this.#ready.catch(() => {});
  }

  disconnectedCallback() {
    // A move (remove + insert in one task) must not tear down: decide after the task.
    queueMicrotask(() => {
      if (!this.isConnected) this.#teardown();
    });
  }

  async #init(generation) {
    const p = this.#parts;
    p.status.hidden = false;
    p.status.textContent = 'Loading…';
    try {
      await loadWasm();
      if (generation !== this.#generation) return;
      const audio = new ScopeAudio({ shared: true });
      const view = new ScopeView(p.stage, { audio: () => audio, backend: this.#settings.backend });
      this.#audio = audio;
      this.#view = view;
      audio.addEventListener('statechange', () => this.#onAudioState());
      audio.addEventListener('error', (e) => this.#fail(e.detail));
      audio.addEventListener('resumed', () => {
        if (p.message.dataset.code === 'context-suspended') this.#showMessage(null);
      });
      view.addEventListener('error', (e) => this.#fail(e.detail));
      view.addEventListener('meters', () => this.#emit('scope-meters', audio.meters()));
      const silent = silentMeters();
      view.afterFrame = (now) => {
        if (this.#strip.shown) this.#strip.update(audio.tap ? audio.meters() : silent, now);
      };
      for (const name of DISPLAY_SETTINGS) this.#applySetting(name);
      await view.start();
      if (generation !== this.#generation) {
        view.destroy();
        return;
      }
      this.dataset.backend = view.renderer?.backend ?? 'none';
      p.status.hidden = true;
      p.notice.hidden = audio.transport === 'shared-ring';
      // The notice's first sentence on the trace; the whole text on hover.
      p.notice.dataset.code = 'not-isolated';
      p.notice.textContent = ERROR_TEXT['not-isolated'].split('. ')[0] + '.';
      p.notice.title = ERROR_TEXT['not-isolated'];
      this.#refreshDevices();
      navigator.mediaDevices?.addEventListener?.('devicechange', this.#onDeviceChange);
      this.dispatchEvent(new Event('scope-ready'));
      if (this.#settings.autostart) this.start().catch(() => {});
    } catch (e) {
      if (generation !== this.#generation) return;
      p.status.hidden = true;
      throw this.#fail(toScopeError(e, 'wasm-failed'));
    }
  }

  #onDeviceChange = () => this.#refreshDevices();

  /** Cancels a start in flight, stops the tracks, releases the worklet node and ring, frees
   * the GPU resources. */
  #teardown() {
    this.#generation++;
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.#onDeviceChange);
    this.#cancelRun('removed');
    const audio = this.#audio;
    const view = this.#view;
    this.#audio = null;
    this.#view = null;
    this.#node = null;
    this.#setState('removed');
    view?.destroy();
    // After the start in flight has given up: stopping fires `scope-stop` (through the
    // audio's statechange) if it was running.
    this.#enqueue(async () => audio?.stop()).catch(() => {});
    this.#parts.status.hidden = false;
    this.#parts.status.textContent = '';
    delete this.dataset.backend;
  }

  // ---- methods ----

  /** Starts the scope: the node given to connect() if there is one, else the microphone
   * (`source="microphone"`, `device` if set). Resolves when running; rejects (and fires
   * `scope-error`) with an Error whose `code` says why. A start while one is in flight returns
   * the same promise; a start while running resolves at once. A stop, a disconnect or the
   * removal during a start cancels it (it rejects with `cancelled` or `removed`, no
   * `scope-error`) and releases whatever it had opened. */
  start() {
    if (!this.#ready || this.#state === 'removed') return Promise.reject(this.#error('removed'));
    if (this.#run) return this.#run.promise;
    if (this.#state === 'running') return Promise.resolve();
    return this.#begin();
  }

  /** Stops the audio (the microphone is released; a start in flight is cancelled). Resolves
   * when stopped. */
  stop() {
    if (this.#state === 'removed') return this.#queue;
    this.#cancelRun('cancelled');
    if (this.#state === 'idle') return this.#queue;
    this.#setState('stopping');
    return this.#enqueue(async () => {
      try {
        await this.#audio?.stop();
      } finally {
        if (this.#state === 'stopping') this.#setState('idle');
      }
    }).catch(() => {});
  }

  /** Scopes any AudioNode (of this element's `audioContext`, or of your own context): stops
   * what runs and starts with the node. Rejects (and fires `scope-error`) with `not-a-node`,
   * `context-closed` or `offline-context`, leaving everything as it was. */
  connect(node) {
    const problem = nodeProblem(node);
    if (problem) return Promise.reject(this.#fail(problem));
    if (!this.#ready || this.#state === 'removed') return Promise.reject(this.#error('removed'));
    this.#node = node;
    if (this.#state !== 'idle') this.stop();
    return this.start();
  }

  /** Forgets the node given to connect() and stops the audio (the microphone too). */
  disconnect() {
    this.#node = null;
    return this.stop();
  }

  /** What the element is doing: `idle`, `starting`, `running`, `stopping`, or `removed` (off
   * the page). */
  get state() {
    return this.#state;
  }

  #enqueue(work) {
    const done = this.#queue.then(work);
    this.#queue = done.catch(() => {});
    return done;
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    const p = this.#parts;
    const on = state === 'starting' || state === 'running';
    p.start.textContent = on ? 'Stop' : 'Start';
    p.start.setAttribute('aria-pressed', String(on));
    if (state === 'removed') delete this.dataset.state;
    else this.dataset.state = state;
  }

  /** Whether the microphone is captured, or being opened. */
  #capturing() {
    if (this.#run) return this.#run.kind === 'microphone';
    return this.#state === 'running' && Boolean(this.#audio?.stream);
  }

  /** Stops and starts again (a new input chosen while capturing). */
  #restart() {
    this.stop();
    this.start().catch(() => {});
  }

  /** Cancels the start in flight: it rejects with `code` and releases what it opened. */
  #cancelRun(code) {
    const run = this.#run;
    if (!run) return;
    this.#run = null;
    run.abort.abort(this.#error(code));
  }

  #begin() {
    const abort = new AbortController();
    const { signal } = abort;
    const node = this.#node;
    const run = { abort, kind: node ? 'node' : 'microphone', promise: null };
    this.#run = run;
    this.#setState('starting');
    run.promise = this.#enqueue(async () => {
      let audio = null;
      try {
        if (signal.aborted) throw signal.reason;
        await this.#ready;
        audio = this.#audio;
        if (signal.aborted) throw signal.reason;
        if (!audio) throw this.#error('removed');
        let source;
        if (node) source = audioNode(node);
        else if (this.#settings.source === 'microphone') source = microphone(this.#settings.device || undefined);
        else throw this.#error('no-source');
        this.#showMessage(null);
        this.#view?.markStart();
        await audio.start(source, { signal });
        if (!node) this.#refreshDevices();
        await audio.resume();
        if (signal.aborted) throw signal.reason;
        this.#run = null;
        this.#setState('running');
      } catch (e) {
        // Whatever this start opened is released before the next call's work runs.
        await audio?.stop();
        if (signal.aborted) throw signal.reason;
        if (this.#run === run) {
          this.#run = null;
          this.#setState('idle');
        }
        throw this.#fail(toScopeError(e, 'start-failed'));
      }
    });
    return run.promise;
  }

  /** A PNG Blob of the scope as drawn now. */
  async snapshot() {
    if (!this.#ready) throw this.#error('removed');
    await this.#ready;
    if (!this.#view) throw this.#error('removed');
    return this.#view.snapshot();
  }

  /** The inner audio object (`www/audio.js` ScopeAudio), for the app page and tests; null until
   * the element is ready or after it was removed. */
  get scopeAudio() {
    return this.#audio;
  }

  /** The inner picture (`www/view.js` ScopeView), for the app page and tests. */
  get scopeView() {
    return this.#view;
  }

  /** The AudioContext this element's audio runs in (shared by the page's scopes): create
   * nodes in it for connect(). */
  get audioContext() {
    return this.#audio?.context ?? sharedContext();
  }

  /** What the scope is doing (VectorScopeStats in vector-scope.d.ts). */
  get stats() {
    const a = this.#audio?.stats ?? {};
    const v = this.#view?.stats ?? {};
    return {
      backend: v.backend ?? 'none',
      sampleRate: a.sampleRate ?? 0,
      quanta: a.quanta ?? 0,
      samplesWritten: a.samplesWritten ?? 0,
      drained: a.drained ?? 0,
      dropped: a.dropped ?? 0,
      skipped: a.skipped ?? 0,
      nonFinite: a.nonFinite ?? 0,
      samplesDrawn: v.segmentsTotal ?? 0,
      segmentsPerFrame: v.segments ?? 0,
      fps: v.fps ?? 0,
      frames: v.frames ?? 0,
      clamped: Boolean(v.clamped),
      overRange: Boolean(this.#view?.overRange),
      autoGainDb: v.autoGainDb ?? 0,
      transport: this.#audio?.transport ?? (sharedRingAvailable() ? 'shared-ring' : 'message-port'),
      running: Boolean(this.#audio?.running),
      startupMs: this.#startupMs(),
    };
  }

  /** Every meter of the audio scoped since the start (`VectorScopeMeters` in
   * vector-scope.d.ts): correlation, balance and width over 300 ms, per channel `[left, right]`
   * sample peak (100 ms) and its 2 s hold in dBFS, clipped-sample counts, RMS (300 ms) in dBFS
   * and true peak in dBTP, and loudness (BS.1770-4): momentary, short-term and integrated in
   * LUFS, range in LU. `-Infinity` for silence; silence throughout when nothing runs. */
  get meters() {
    return this.#audio?.meters() ?? silentMeters();
  }

  /** Clears the integrated loudness and range, the true peaks, the peak holds and the clip
   * counts (a new measurement starts). */
  resetMeters() {
    this.#audio?.resetMeters();
  }

  /** The levels of the audio drained since the previous call: `{ rmsLeft, rmsRight, peak }`
   * (linear, 0 to 1 at full scale; zeros when nothing was drained). */
  takeLevels() {
    const tap = this.#audio?.tap;
    const [rmsLeft, rmsRight, peak] = tap ? tap.takeLevels() : [0, 0, 0];
    return { rmsLeft, rmsRight, peak };
  }

  /** Milliseconds from the microphone being granted to the first frame that drew its samples
   * (null until both happened for the current start). */
  #startupMs() {
    const granted = this.#audio?.grantedAt;
    const drawn = this.#view?.firstDrawnAt;
    return granted != null && drawn != null && drawn >= granted ? drawn - granted : null;
  }

  // ---- internals ----

  #error(code, detail) {
    return new ScopeError(code, detail);
  }

  /** Shows and announces a failure; returns it. */
  #fail(e) {
    const code = e?.code ?? 'unknown';
    const message = String(e?.message ?? e);
    this.#showMessage({ code, message });
    this.#emit('scope-error', { code, message });
    return e;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #onAudioState() {
    const running = Boolean(this.#audio?.running);
    // The audio stopped by itself (an input lost, the worklet crashed): the element is idle.
    if (!running && this.#state === 'running') this.#setState('idle');
    this.#emit(running ? 'scope-start' : 'scope-stop', { transport: this.#audio?.transport });
  }

  #showMessage(m) {
    const box = this.#parts.message;
    box.replaceChildren();
    if (!m) {
      box.hidden = true;
      delete box.dataset.code;
      return;
    }
    box.dataset.code = m.code;
    box.append(m.message);
    if (m.code === 'context-suspended') {
      const resume = document.createElement('button');
      resume.type = 'button';
      resume.textContent = 'Resume audio';
      resume.setAttribute('part', 'button resume-button');
      resume.addEventListener('click', () => this.#audio?.resume());
      box.append(resume);
    }
    box.hidden = false;
  }

  async #refreshDevices() {
    const select = this.#parts.device;
    let inputs = [];
    try {
      inputs = await listInputs();
    } catch {
      // no device list: keep the default entry
    }
    select.replaceChildren(new Option('Default input', ''));
    for (const { deviceId, label } of inputs) {
      if (deviceId && deviceId !== 'default') select.append(new Option(label, deviceId));
    }
    select.value = [...select.options].some((o) => o.value === this.#settings.device) ? this.#settings.device : '';
    select.dataset.count = String(inputs.length);
  }

  #wireControls() {
    const p = this.#parts;
    p.start.addEventListener('click', () => {
      if (this.#state === 'starting' || this.#state === 'running') this.stop();
      else this.start().catch(() => {});
    });
    p.device.addEventListener('change', () => {
      this.device = p.device.value;
    });
    p.mode.addEventListener('change', () => {
      this.mode = p.mode.value;
    });
    p.gain.addEventListener('input', () => {
      this.gain = p.gain.value;
    });
    p.persistence.addEventListener('input', () => {
      this.persistence = p.persistence.value;
    });
    p.fullscreen.addEventListener('click', () => {
      if (document.fullscreenElement === this) document.exitFullscreen();
      else this.requestFullscreen?.().catch((e) => this.#fail(new ScopeError('fullscreen-failed', e.message)));
    });
    p.snapshot.addEventListener('click', async () => {
      try {
        const blob = await this.snapshot();
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = `vectorscope-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      } catch (e) {
        this.#fail(new ScopeError('snapshot-failed', e.message));
      }
    });
    sliderFor('gain', p.gain);
    sliderFor('persistence', p.persistence);
    for (const v of SETTINGS.mode.values) p.mode.append(new Option(SETTINGS.mode.short[v], v));
    p.mode.value = this.#settings.mode;
  }
}

if (!customElements.get('vector-scope')) customElements.define('vector-scope', VectorScopeElement);
