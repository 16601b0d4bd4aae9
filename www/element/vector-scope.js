// <vector-scope>: the web component. A thin custom element (shadow DOM, attributes mirrored as
// properties) that delegates to the inner objects: ScopeAudio (audio.js: context, worklet,
// ring) and ScopeView (view.js: canvas, wgpu renderer, animation-frame loop).
//
//   <script type="module" src="/element/vector-scope.js"></script>
//   <vector-scope controls source="microphone"></vector-scope>
//
// The wasm module loads once per page; instances share one AudioContext and each has its own
// ring and renderer. On a page without cross-origin isolation the audio reaches the ring over the
// worklet's MessagePort instead of shared memory (stats.transport says which).

import { ScopeAudio, fallbackNotice, listInputs, loadWasm, sharedContext, sharedRingAvailable, silentMeters } from './audio.js';
import { audioNode, demo, file, microphone, nodeProblem, tab } from './sources.js';
import { FileTransport, acceptDrops } from './file-transport.js';
import { Recording, downloadBlob } from './recorder.js';
import { ScopeView } from './view.js';
import { MeterStrip } from './meter-strip.js';
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
import { TEMPLATE } from './element-template.js';

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
  /** The start in flight: { promise, abort (AbortController), kind (as #kind) }. */
  #run = null;
  /** What the last start scoped: 'microphone', 'file', 'tab', 'demo' or 'node'. */
  #kind = null;
  /** The file openFile() (a picker, a drop) gave; null plays the src URL. */
  #file = null;
  /** The control bar's file transport. */
  #transport;
  /** Video recording: the recorder, the Rec button, the indicator. */
  #recording;
  /** The notices shown (codes of NOTICE_CODES). */
  #notices = new Set();
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
      source: q('.source'),
      device: q('.device'),
      demo: q('.demo'),
      mute: q('.mute'),
      mode: q('.mode'),
      gain: q('.gain'),
      persistence: q('.persistence'),
      fullscreen: q('.fullscreen'),
      snapshot: q('.snapshot'),
      record: q('.record'),
      notice: q('.notice'),
      message: q('.message'),
    };
    this.#strip = new MeterStrip(this.#root);
    this.#strip.reset.addEventListener('click', () => this.resetMeters());
    this.#transport = new FileTransport(this.#root, { onFile: (f) => this.openFile(f).catch(() => {}) });
    this.#recording = new Recording({ button: q('.record'), badge: q('.recording'), emit: (d) => this.#emit('scope-recording', d) });
    for (const [name, spec] of Object.entries(SETTINGS)) this.#settings[name] = spec.default;
    this.#wireControls();
    acceptDrops(this, (f) => this.openFile(f).catch(() => {}));
  }

  /** Plays `file` (a File or Blob: a picker's, a drop's) with source="file" and scopes it;
   * resolves when it plays. Rejects with `no-file` for anything else, `file-unsupported` for a
   * format the browser cannot decode. */
  openFile(file) {
    if (!(file instanceof Blob)) return Promise.reject(this.#fail(new ScopeError('no-file', 'openFile() takes a File or a Blob')));
    if (!this.#ready || this.#state === 'removed') return Promise.reject(this.#error('removed'));
    this.#file = file;
    this.#node = null;
    if (this.#state !== 'idle') this.stop();
    // Stopped (or stopping) now, so the source's change starts nothing by itself.
    this.source = 'file';
    return this.start();
  }

  /** Starts recording a video of the scope with the scoped audio (WebM or MP4, whichever the
   * browser records); with `download`, the file is saved when the recording stops. Rejects with
   * `record-not-running` unless the scope runs, `record-unsupported` without MediaRecorder. */
  async startRecording({ download = false } = {}) {
    if (this.#state !== 'running' || !this.#audio?.opened || !this.#view?.canvas) throw this.#fail(new ScopeError('record-not-running'));
    try {
      const meters = this.#strip.shown ? this.#audio.meters() : null;
      this.#recording.start(this.#view.canvas, this.#audio.opened.node, { download, meters });
    } catch (e) {
      throw this.#fail(toScopeError(e, 'record-failed'));
    }
  }

  /** Ends the recording: resolves with the video file (a Blob), or null when none ran. A
   * recording also ends when the scope stops. */
  stopRecording() {
    return this.#recording.stop().catch((e) => Promise.reject(this.#fail(toScopeError(e, 'record-failed'))));
  }

  /** Whether a video recording runs. */
  get recording() {
    return this.#recording.active;
  }

  /** The audio element playing the file (source="file": play, pause, currentTime, duration),
   * or null. */
  get media() {
    return this.#audio?.opened?.media ?? null;
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
        p.source.value = s.source;
        p.device.hidden = s.source !== 'microphone';
        p.demo.hidden = s.source !== 'demo';
        p.mute.hidden = s.source !== 'demo' && s.source !== 'file';
        this.#transport.shown = s.source === 'file';
        // A running source follows the setting: none stops it, another starts instead.
        if (this.#playingSource()) {
          if (s.source === 'none') this.stop();
          else this.#restart();
        }
        break;
      case 'demo':
        p.demo.value = s.demo;
        if (this.#playingSource() === 'demo') this.#restart();
        break;
      case 'src':
        // A new URL takes the place of an opened file.
        this.#file = null;
        if (this.#playingSource() === 'file') this.#restart();
        break;
      case 'loop':
        if (this.media) this.media.loop = s.loop;
        break;
      case 'volume':
      case 'muted':
        p.mute.setAttribute('aria-pressed', String(s.muted));
        p.mute.textContent = s.muted ? 'Unmute' : 'Mute';
        this.#setMonitor();
        break;
      case 'device':
        if (p.device.value !== s.device && [...p.device.options].some((o) => o.value === s.device)) p.device.value = s.device;
        if (this.#playingSource() === 'microphone') this.#restart();
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
      view.afterDraw = () => {
        if (this.#recording.painting) this.#recording.frame(audio.tap ? audio.meters() : silent);
      };
      for (const name of DISPLAY_SETTINGS) this.#applySetting(name);
      await view.start();
      if (generation !== this.#generation) {
        view.destroy();
        return;
      }
      this.dataset.backend = view.renderer?.backend ?? 'none';
      p.status.hidden = true;
      const fallback = audio.transport === 'shared-ring' ? null : fallbackNotice();
      this.#setNotice('not-isolated', fallback === 'not-isolated');
      this.#setNotice('no-shared-memory', fallback === 'no-shared-memory');
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
    if (!on) this.#setNotice('mono-input', false);
  }

  /** The kind of the source this element's own setting chose ('microphone', 'tab', 'demo')
   * while it runs or starts; null when stopped or scoping a node given to connect(). */
  #playingSource() {
    if (this.#state !== 'starting' && this.#state !== 'running') return null;
    return this.#kind === 'node' ? null : this.#kind;
  }

  /** Sets the speakers' gain of a source that is heard (a demo) from volume and muted. */
  #setMonitor() {
    const monitor = this.#audio?.opened?.monitor;
    if (!monitor) return;
    const gain = this.#settings.muted ? 0 : this.#settings.volume;
    monitor.gain.setTargetAtTime(gain, monitor.context.currentTime, 0.015);
  }

  /** Shows (`on`) or hides the notice `code` (a key of ERROR_TEXT in NOTICE_CODES): each
   * notice's first sentence on the trace, the whole texts on hover; data-code lists them. */
  #setNotice(code, on) {
    if (on === this.#notices.has(code)) return;
    if (on) this.#notices.add(code);
    else this.#notices.delete(code);
    const n = this.#parts.notice;
    const codes = [...this.#notices];
    n.hidden = codes.length === 0;
    n.dataset.code = codes.join(' ');
    n.textContent = codes.map((c) => ERROR_TEXT[c].split('. ')[0] + '.').join(' ');
    n.title = codes.map((c) => ERROR_TEXT[c]).join('\n');
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
    const kind = node ? 'node' : this.#settings.source;
    const run = { abort, kind, promise: null };
    this.#kind = kind;
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
        const s = this.#settings;
        if (node) source = audioNode(node);
        else if (kind === 'microphone') source = microphone(s.device || undefined);
        else if (kind === 'tab') source = tab();
        else if (kind === 'file') source = file(this.#file ?? s.src, { volume: s.volume, muted: s.muted, loop: s.loop });
        else if (kind === 'demo') source = demo(s.demo, { volume: s.volume, muted: s.muted });
        else throw this.#error('no-source');
        this.#showMessage(null);
        this.#view?.markStart();
        await audio.start(source, { signal });
        if (kind === 'microphone') this.#refreshDevices();
        // A mono input draws a line: say so, and why.
        const track = audio.stream?.getAudioTracks()[0];
        this.#setNotice('mono-input', kind === 'microphone' && track?.getSettings().channelCount === 1);
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

  /** The inner audio object (`www/element/audio.js` ScopeAudio), for the app page and tests; null until
   * the element is ready or after it was removed. */
  get scopeAudio() {
    return this.#audio;
  }

  /** The inner picture (`www/element/view.js` ScopeView), for the app page and tests. */
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
    this.#transport.bind(running ? this.media : null);
    if (!running) this.stopRecording().catch(() => {});
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
      // A file source with nothing to play: Start asks for a file.
      else if (this.#settings.source === 'file' && !this.#file && !this.#settings.src && !this.#node) this.#transport.input.click();
      else this.start().catch(() => {});
    });
    // Each list and slider sets its setting (through the attribute, as a caller would).
    for (const name of ['device', 'mode', 'source', 'demo']) p[name].addEventListener('change', () => (this[name] = p[name].value));
    for (const name of ['gain', 'persistence']) p[name].addEventListener('input', () => (this[name] = p[name].value));
    p.mute.addEventListener('click', () => {
      this.muted = !this.muted;
    });
    p.fullscreen.addEventListener('click', () => {
      if (document.fullscreenElement === this) document.exitFullscreen();
      else this.requestFullscreen?.().catch((e) => this.#fail(new ScopeError('fullscreen-failed', e.message)));
    });
    p.snapshot.addEventListener('click', async () => {
      try {
        downloadBlob(await this.snapshot(), 'png');
      } catch (e) {
        this.#fail(new ScopeError('snapshot-failed', e.message));
      }
    });
    p.record.addEventListener('click', () => {
      if (this.recording) this.stopRecording().catch(() => {});
      else this.startRecording({ download: true }).catch(() => {});
    });
    sliderFor('gain', p.gain);
    sliderFor('persistence', p.persistence);
    for (const v of SETTINGS.mode.values) p.mode.append(new Option(SETTINGS.mode.short[v], v));
    p.mode.value = this.#settings.mode;
    for (const v of SETTINGS.source.values) p.source.append(new Option(SETTINGS.source.labels[v], v));
    p.source.value = this.#settings.source;
    for (const v of SETTINGS.demo.values) p.demo.append(new Option(SETTINGS.demo.labels[v], v));
    p.demo.value = this.#settings.demo;
  }
}

if (!customElements.get('vector-scope')) customElements.define('vector-scope', VectorScopeElement);
