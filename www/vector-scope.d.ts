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
  /** Segments drawn since the renderer started (every sample drained is a segment end). */
  samplesDrawn: number;
  segmentsPerFrame: number;
  fps: number;
  frames: number;
  /** Whether the canvas is smaller than its box times devicePixelRatio (the GPU's limit). */
  clamped: boolean;
  /** Whether samples past full scale (over 0 dBFS) were drawn in the last second. */
  overRange: boolean;
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

export declare class VectorScopeElement extends HTMLElement {
  /** `xy` (L on x, R on y) or `ms` (mid/side goniometer). Default `xy`. */
  mode: 'xy' | 'ms';
  /** Linear gain, 0.01 to 100. Default 1. */
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
  /** `microphone` (start() captures it) or `none` (feed it with connect()). Default `microphone`;
   * a bad value means `none`. */
  source: 'microphone' | 'none';
  /** Audio input device id; empty for the default input. */
  device: string;
  /** Start the microphone as soon as the element is on the page. */
  autostart: boolean;
  /** Show the control bar. */
  controls: boolean;
  /** `auto`, `webgpu` or `webgl2`, read when the element is added. Default `auto`. */
  backend: 'auto' | 'webgpu' | 'webgl2';
  /** The AudioContext the element's audio runs in (shared by the page's scopes). */
  readonly audioContext: AudioContext;
  readonly stats: VectorScopeStats;
  /** The levels of the audio drained since the previous call (linear, 1 = full scale). */
  takeLevels(): VectorScopeLevels;
  /** Starts the microphone (or the node given to connect()); rejects with an Error whose `code`
   * is a VectorScopeErrorCode, and fires `scope-error` (not for `cancelled` or `removed`). A
   * start while one is in flight returns the same promise. */
  start(): Promise<void>;
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
}

declare global {
  interface HTMLElementTagNameMap {
    'vector-scope': VectorScopeElement;
  }
}
