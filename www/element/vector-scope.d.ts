// TypeScript declarations for the <vector-scope> custom element (www/vector-scope.js).

/** Stable error codes carried by `scope-error` events and by rejected `start()` / `connect()`. */
export type VectorScopeErrorCode =
  | 'permission-denied'
  | 'no-device'
  | 'device-busy'
  | 'overconstrained'
  | 'insecure-context'
  | 'context-suspended'
  | 'device-lost'
  | 'worklet-crashed'
  | 'no-audioworklet'
  | 'media-failed'
  | 'record-not-running'
  | 'record-unsupported'
  | 'record-failed'
  | 'no-file'
  | 'file-unsupported'
  | 'file-not-found'
  | 'file-cors'
  | 'file-failed'
  | 'mono-input'
  | 'tab-refused'
  | 'tab-no-audio'
  | 'tab-needs-click'
  | 'tab-unsupported'
  | 'tab-failed'
  | 'tab-ended'
  | 'no-area'
  | 'unsupported'
  | 'no-gpu'
  | 'gpu-lost'
  | 'no-source'
  | 'not-a-node'
  | 'context-closed'
  | 'offline-context'
  | 'cancelled'
  | 'removed'
  | 'snapshot-failed'
  | 'start-failed'
  | 'fullscreen-failed'
  | 'wasm-failed'
  | 'assets-missing'
  | 'unknown';

/** How audio reaches the ring: shared wasm memory, or the worklet's MessagePort when the page
 * is not cross-origin isolated. */
export type VectorScopeTransport = 'shared-ring' | 'message-port';

/** The element's lifecycle (`element.state`, `data-state`). */
export type VectorScopeState = 'idle' | 'starting' | 'running' | 'stopping' | 'removed';

/** `scope-error` event detail. */
export interface VectorScopeErrorDetail {
  code: VectorScopeErrorCode | string;
  message: string;
}

/** What the scope is doing (`element.stats`). */
export interface VectorScopeStats {
  backend: 'webgpu' | 'webgl2' | 'none';
  sampleRate: number;
  /** Render quanta (128-frame blocks) the audio thread processed. */
  quanta: number;
  samplesWritten: number;
  /** Samples the page drained from the ring. */
  drained: number;
  dropped: number;
  skipped: number;
  /** NaN or infinite samples replaced (by 0) before the ring. */
  nonFinite: number;
  /** Segments drawn since the renderer started: one per drained sample; with upsampling, the
   * `upsample` points of each sample, those that lie along a line drawn as one segment (in
   * `polar-level`, the rays' segments instead). */
  samplesDrawn: number;
  segmentsPerFrame: number;
  fps: number;
  frames: number;
  /** Whether the canvas is smaller than its box times devicePixelRatio (the GPU's limit). */
  clamped: boolean;
  /** Whether samples past full scale (over 0 dBFS, as they arrived) came in the last second. */
  overRange: boolean;
  /** The gain auto-gain applies now, in dB (0 while it is off). */
  autoGainDb: number;
  transport: VectorScopeTransport;
  running: boolean;
  /** Milliseconds from the microphone being granted to the first frame that drew its samples;
   * null until both happened for the current start. */
  startupMs: number | null;
}

/** `element.takeLevels()`. */
export interface VectorScopeLevels {
  rmsLeft: number;
  rmsRight: number;
  /** The largest |sample| of either channel. */
  peak: number;
}

/** `element.meters` and the `scope-meters` event's detail. Pairs are `[left, right]`; levels
 * are `-Infinity` for silence. */
export interface VectorScopeMeters {
  /** sum(L*R) / sqrt(sum(L^2) * sum(R^2)) over 300 ms: -1 (anti-phase) to +1 (mono); 0 when a
   * channel is silent. */
  correlation: number;
  /** (R^2 - L^2) / (R^2 + L^2) over 300 ms: -1 left only to +1 right only. */
  balance: number;
  /** S^2 / (M^2 + S^2) over 300 ms: 0 mono, 0.5 uncorrelated, 1 anti-phase. */
  width: number;
  /** Sample peak of the last 100 ms, dBFS. */
  peak: [number, number];
  /** Sample peak of the last 2 s, dBFS. */
  peakHold: [number, number];
  /** Samples at or past full scale since the start or resetMeters(). */
  clips: [number, number];
  /** RMS over 300 ms, dBFS (a full-scale sine reads -3.01). */
  rms: [number, number];
  /** Largest true peak (ITU-R BS.1770-4, 4x oversampled) since the start or resetMeters(), dBTP. */
  truePeak: [number, number];
  /** Momentary loudness (400 ms), LUFS. */
  momentary: number;
  /** Short-term loudness (3 s), LUFS. */
  shortTerm: number;
  /** Integrated loudness (gated, EBU R128) since the start or resetMeters(), LUFS. */
  integrated: number;
  /** Loudness range (EBU Tech 3342), LU. */
  range: number;
  /** Samples the meters missed (skipped after the page stalled) since the start or resetMeters(). */
  skipped: number;
}

export declare class VectorScopeElement extends HTMLElement {
  /** `xy` (L on x, R on y), `ms` (mid/side goniometer), `polar` (polar sample: each sample on a
   * half-disc, angle = stereo position, radius = level) or `polar-level` (rays whose length is
   * the recent level in each direction). Default `xy`. */
  mode: 'xy' | 'ms' | 'polar' | 'polar-level';
  /** Upsampling for display (band-limited, so high notes draw as curves): `'1'` (off), `'2'`,
   * `'4'` or `'8'`; the property reads the attribute's text. Default `'4'`. */
  upsample: '1' | '2' | '4' | '8';
  /** The `dc-block` attribute: remove an offset from the trace (5 Hz high-pass, display only). */
  dcBlock: boolean;
  /** Draw left as right and right as left. */
  swap: boolean;
  /** Invert the polarity of `left`, `right` or `both` channels as drawn. Default `none`. */
  invert: 'none' | 'left' | 'right' | 'both';
  /** The `auto-gain` attribute: fit the trace to the graticule (-12 to +30 dB; `gain` trims on
   * top; the meters are never changed). `stats.autoGainDb` says what it applies. */
  autoGain: boolean;
  /** Gain of the trace as drawn, -40 to 40 dB (0: full scale fills the circle; +6 doubles
   * it); never changes the meters. Default 0. */
  gain: number;
  /** Persistence time constant in milliseconds, 0 (none) to 10000. Default 60. */
  persistence: number;
  /** Beam colour, any CSS colour. Default `#26ff6e`. */
  color: string;
  /** Beam intensity, 0 to 50. Default 1. */
  intensity: number;
  /** Glow, a soft halo around bright parts of the trace: 0 (off) to 1. Default 0. */
  glow: number;
  /** The beam spot's size (its gaussian's sigma) in CSS pixels, 0.5 to 6. Default 1.6. */
  spot: number;
  /** `microphone` (start() captures it), `file` (an audio file: openFile(), a drop, the bar's
   * Open button or the `src` URL; heard at `volume`), `tab` (start() asks which tab or screen to share and
   * scopes its audio; call it from a click), `demo` (a built-in signal, no permission needed,
   * heard at `volume`) or `none` (feed it with connect()). Default `microphone`; a bad value means
   * `none`. Changed while running, the scope switches to the new source. */
  source: 'microphone' | 'file' | 'tab' | 'demo' | 'none';
  /** The demo signal with `source="demo"`: a slowly turning 2:3 Lissajous figure, a stereo
   * chord, or a phase sweep (correlation +1 to -1 and back every 8 s). Default `lissajous`. */
  demo: 'lissajous' | 'chord' | 'phase-sweep';
  /** With source="file": the URL of an audio file (another origin must send CORS headers). */
  src: string;
  /** With source="file": play the file over and over. */
  loop: boolean;
  /** How loud a file or a demo plays, 0 to 1 (the microphone and a tab are never played).
   * Default 0.5. */
  volume: number;
  /** Silence the speakers; the scope and the meters go on. */
  muted: boolean;
  /** Audio input device id; empty for the default input. */
  device: string;
  /** Start the microphone as soon as the element is on the page. */
  autostart: boolean;
  /** Show the control bar. */
  controls: boolean;
  /** The `meters` attribute: show the meter strip beside the scope, or below it in a box taller
   * than wide (by default the host becomes 5:4, or 3:4 in a portrait window). `meters` itself
   * is the reading. */
  showMeters: boolean;
  /** `auto`, `webgpu` or `webgl2`, read when the element is added. Default `auto`. */
  backend: 'auto' | 'webgpu' | 'webgl2';
  /** The AudioContext the element's audio runs in (shared by the page's scopes). */
  readonly audioContext: AudioContext;
  readonly stats: VectorScopeStats;
  /** The levels of the audio drained since the previous call (linear, 1 = full scale). */
  takeLevels(): VectorScopeLevels;
  /** Every meter of the audio scoped since the start; silence when nothing runs. */
  readonly meters: VectorScopeMeters;
  /** Clears the integrated loudness and range, the true peaks, the holds and the clip counts. */
  resetMeters(): void;
  /** Starts the microphone (or the node given to connect()); rejects with an Error whose `code`
   * is a VectorScopeErrorCode, and fires `scope-error` (not for `cancelled` or `removed`). A
   * start while one is in flight returns the same promise. */
  start(): Promise<void>;
  /** Plays a File or Blob (a picker's, a drop's) with source="file" and scopes it; rejects
   * with `no-file` or `file-unsupported`. */
  openFile(file: Blob): Promise<void>;
  /** With source="file" while it runs: the audio element playing the file, else null. */
  readonly media: HTMLAudioElement | null;
  /** Stops the audio (a start in flight is cancelled); the microphone's tracks end. Never
   * rejects. */
  stop(): Promise<void>;
  /** Scopes an AudioNode (of `audioContext`, or of your own context); rejects with
   * `not-a-node`, `context-closed` or `offline-context`. */
  connect(node: AudioNode): Promise<void>;
  /** Stops scoping the connected node. Never rejects. */
  disconnect(): Promise<void>;
  /** A PNG of the scope as drawn. */
  snapshot(): Promise<Blob>;
  /** Records a video of the scope (with the meter strip beside it when shown) and the scoped
   * audio (WebM or MP4); with `download`, the file is saved when it ends. Rejects with `record-not-running` or `record-unsupported`. */
  startRecording(options?: { download?: boolean }): Promise<void>;
  /** Ends the recording: the video file, or null when none ran. Stopping the scope ends it. */
  stopRecording(): Promise<Blob | null>;
  /** Whether a video recording runs. */
  readonly recording: boolean;
  addEventListener<K extends keyof VectorScopeEventMap>(
    type: K,
    listener: (this: VectorScopeElement, ev: VectorScopeEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

export interface VectorScopeEventMap extends HTMLElementEventMap {
  /** The element has loaded and is drawing (before any audio). */
  'scope-ready': Event;
  'scope-start': CustomEvent<{ transport: VectorScopeTransport }>;
  'scope-stop': CustomEvent<{ transport?: VectorScopeTransport }>;
  'scope-error': CustomEvent<VectorScopeErrorDetail>;
  /** While audio runs, four times a second: the meters (as `element.meters`). */
  'scope-meters': CustomEvent<VectorScopeMeters>;
  /** A video recording started (`recording: true`) or ended (with its file). */
  'scope-recording': CustomEvent<VectorScopeRecordingDetail>;
}

/** `scope-recording` event detail. */
export interface VectorScopeRecordingDetail {
  recording: boolean;
  /** `video/webm` or `video/mp4`. */
  type: string;
  /** When it ended: its length in seconds, its size in bytes and the file. */
  seconds?: number;
  size?: number;
  blob?: Blob;
}

declare global {
  interface HTMLElementTagNameMap {
    'vector-scope': VectorScopeElement;
  }
}
