// Main-thread audio: an AudioContext (its own, or one shared by the page's scopes), the Rust
// AudioTap (worklet node + ring) and the source connected to it (microphone, media element or
// any AudioNode). Every failure becomes a ScopeError (errors.js) with a stable code.
//
// Two transports from the audio thread to the ring: the shared ring (the worklet runs Rust on
// the page's shared wasm memory; needs cross-origin isolation), and, where the page is not
// isolated, the message port (the worklet posts blocks; the page pushes them into the ring).

import { assetUrl, assetsOverridden } from './assets.js';
import { ScopeError } from './errors.js';
import init, { AudioTap, wasmMemory, processorInput, processQuantum, quantum } from './pkg/vectorscope.js';

/** Waits for `promise` at most `ms` milliseconds (its rejection is ignored). */
function settleWithin(promise, ms) {
  return Promise.race([promise.catch(() => {}), new Promise((r) => setTimeout(r, ms))]);
}

/** Whether the audio thread can share the wasm memory (else the message-port fallback). */
export function sharedRingAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

let pageContext = null;
const pageContextUsers = new Set();
/** The AudioContext the page's scopes share (one per page where the browser allows). */
export function sharedContext() {
  if (!pageContext || pageContext.state === 'closed') {
    pageContext = new AudioContext({ latencyHint: 'interactive' });
  }
  return pageContext;
}

/** Maps a getUserMedia rejection to a ScopeError. */
export function microphoneError(e) {
  if (e instanceof ScopeError) return e;
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new ScopeError('permission-denied');
    case 'NotFoundError':
      return new ScopeError('no-device');
    case 'NotReadableError':
    case 'AbortError':
      return new ScopeError('device-busy', e.message);
    case 'OverconstrainedError':
      return new ScopeError('overconstrained', e.constraint);
    default:
      return new ScopeError('device-busy', String(e?.message ?? e));
  }
}

let wasmReady = null;
let memory = null;
/** Loads the wasm module once per page. */
export function loadWasm() {
  const binary = assetsOverridden() ? { module_or_path: assetUrl('pkg/vectorscope_bg.wasm') } : undefined;
  wasmReady ??= init(binary).then(() => {
    memory = wasmMemory();
  });
  return wasmReady;
}

/** The constraints that keep the signal untouched: processing off (it forces mono and alters
 * the signal), two channels asked for. */
export function microphoneConstraints(deviceId) {
  const audio = {
    channelCount: { ideal: 2 },
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
  };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return { audio, video: false };
}

/** Lists audio inputs: [{ deviceId, label }]. Labels are empty until permission is granted. */
export async function listInputs() {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'audioinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Input ${i + 1}` }));
}

/**
 * One audio path: context -> source -> AudioTap (worklet, ring). Events (an EventTarget):
 * `error` (detail: ScopeError) for failures after start, `statechange` when running/stopped,
 * `resumed` when a suspended context runs again.
 */
export class ScopeAudio extends EventTarget {
  /**
   * @param {object} [o]
   * @param {AudioContext} [o.context] a context to use (else one is created on first use)
   * @param {boolean} [o.shared] use the page's shared context ({@link sharedContext}); it is
   *   suspended only when none of its users runs, and never closed
   */
  constructor({ context, shared = false } = {}) {
    super();
    this.shared = shared;
    this.context = context ?? null;
    this.ownsContext = !context && !shared;
    this.transport = sharedRingAvailable() ? 'shared-ring' : 'message-port';
    this.portDropped = 0;
    this.tap = null;
    this.source = null;
    this.stream = null;
    this.media = null;
    this.running = false;
  }

  /** The context, created on first use (suspended contexts raise `context-suspended`). */
  async ensureContext() {
    if (typeof AudioWorkletNode !== 'function') throw new ScopeError('no-audioworklet');
    await loadWasm();
    if (this.shared) {
      this.context = sharedContext();
    } else if (!this.context || this.context.state === 'closed') {
      this.context = new AudioContext({ latencyHint: 'interactive' });
      this.ownsContext = true;
    }
    if (this.watched !== this.context) {
      // The browser may suspend (autoplay policy) or interrupt (a phone call) a running scope.
      const ctx = this.context;
      this.watched = ctx;
      ctx.addEventListener('statechange', () => {
        if (!this.running || ctx !== this.context) return;
        if (ctx.state === 'running') this.dispatchEvent(new Event('resumed'));
        else if (ctx.state !== 'closed') {
          this.dispatchEvent(new CustomEvent('error', { detail: new ScopeError('context-suspended') }));
        }
      });
    }
    const worklet = assetUrl(this.transport === 'shared-ring' ? 'worklet/processor.js' : 'worklet/port-processor.js');
    try {
      await this.context.audioWorklet.addModule(worklet);
    } catch (e) {
      throw new ScopeError('assets-missing', `${worklet.href}: ${e?.message ?? e}`);
    }
    if (this.context.state === 'suspended') {
      // Allowed to resume after a user gesture; without one it stays suspended.
      await settleWithin(this.context.resume(), 300);
    }
    return this.context;
  }

  /** Resumes a suspended context (call from a click); gives up waiting after 1 s (the context
   * then reports `context-suspended` through its statechange). */
  async resume() {
    if (this.context && this.context.state === 'suspended') await settleWithin(this.context.resume(), 1000);
  }

  async #attach(sourceNode) {
    const ctx = this.context;
    if (!this.tap) {
      if (this.transport === 'shared-ring') {
        this.tap = new AudioTap(ctx);
      } else {
        this.tap = AudioTap.withMessagePort(ctx);
        this.portDropped = 0;
        this.#listenToPort(this.tap);
      }
      this.tap.node.onprocessorerror = () => this.#fail(new ScopeError('worklet-crashed'));
    }
    if (this.shared) pageContextUsers.add(this);
    this.source?.disconnect();
    this.source = sourceNode;
    sourceNode.connect(this.tap.node);
    this.running = true;
    this.dispatchEvent(new Event('statechange'));
    if (ctx.state !== 'running') {
      this.dispatchEvent(new CustomEvent('error', { detail: new ScopeError('context-suspended') }));
    }
  }

  /** The message-port transport: each batch the worklet posts goes through the same Rust
   * processor as on the audio thread (NaN handling, counters, drops), then its buffers go back
   * to the worklet's pool. */
  #listenToPort(tap) {
    const ptr = tap.processor;
    let buffer = null;
    let left = null;
    let right = null;
    const port = tap.node.port;
    const QUANTUM = quantum();
    port.onmessage = (e) => {
      const m = e.data;
      if (!m || !m.left || this.tap !== tap || tap.processor === 0) return;
      if (memory.buffer !== buffer) {
        buffer = memory.buffer;
        left = new Float32Array(buffer, processorInput(ptr, 0), QUANTUM);
        right = new Float32Array(buffer, processorInput(ptr, 1), QUANTUM);
      }
      for (let off = 0; off + QUANTUM <= m.frames; off += QUANTUM) {
        left.set(m.left.subarray(off, off + QUANTUM));
        right.set(m.right.subarray(off, off + QUANTUM));
        processQuantum(ptr, QUANTUM, 2);
      }
      this.portDropped = m.dropped;
      port.postMessage({ recycle: [m.left, m.right] }, [m.left.buffer, m.right.buffer]);
    };
  }

  /** Captures the microphone (or `deviceId`) in stereo with all processing off. */
  async startMicrophone(deviceId) {
    await this.stop();
    if (!window.isSecureContext) throw new ScopeError('insecure-context');
    if (!navigator.mediaDevices?.getUserMedia) throw new ScopeError('unsupported');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(deviceId));
      /** When the microphone was granted (performance.now()), for the startup time. */
      this.grantedAt = performance.now();
    } catch (e) {
      throw microphoneError(e);
    }
    try {
      const ctx = await this.ensureContext();
      this.stream = stream;
      for (const track of stream.getAudioTracks()) {
        track.addEventListener('ended', () => {
          if (this.stream === stream) this.#fail(new ScopeError('device-lost'));
        });
      }
      await this.#attach(ctx.createMediaStreamSource(stream));
    } catch (e) {
      for (const t of stream.getTracks()) t.stop();
      this.stream = null;
      throw e;
    }
  }

  /** Plays a URL (or an existing media element) and scopes it; it is also heard. */
  async startMedia(urlOrElement) {
    await this.stop();
    const ctx = await this.ensureContext();
    const media = typeof urlOrElement === 'string' ? new Audio() : urlOrElement;
    if (typeof urlOrElement === 'string') {
      media.crossOrigin = 'anonymous';
      media.loop = true;
      media.src = urlOrElement;
    }
    const node = ctx.createMediaElementSource(media);
    node.connect(ctx.destination);
    this.media = media;
    await this.#attach(node);
    try {
      await media.play();
    } catch (e) {
      await this.stop();
      throw new ScopeError('media-failed', e?.message);
    }
  }

  /** Scopes any AudioNode of this context (embedders and tests). */
  async connect(node) {
    await this.stop();
    if (!(node instanceof AudioNode)) throw new TypeError('connect() takes an AudioNode');
    if (!(this.shared && node.context === pageContext) && node.context !== this.context) {
      // Adopt the node's context (ours, if we made one, is left as it is).
      this.context = node.context;
      this.shared = false;
      this.ownsContext = false;
    }
    await this.ensureContext();
    if (node.context !== this.context) throw new TypeError('the node belongs to another AudioContext');
    await this.#attach(node);
  }

  /** Drains the ring; returns { count, samples } where samples is a Float32Array view of
   * count interleaved [x, y] pairs in wasm memory, valid until the next drain. */
  drain(windowSeconds) {
    if (!this.tap) return { count: 0, samples: new Float32Array(0) };
    const count = this.tap.drain(windowSeconds);
    return { count, samples: new Float32Array(memory.buffer, this.tap.samplesPtr(), count * 2) };
  }

  /** The ring's counters plus { running, contextState }. */
  get stats() {
    const base = this.tap ? this.tap.stats() : { sampleRate: this.context?.sampleRate ?? 0, dropped: 0 };
    return {
      ...base,
      // Blocks the message-port worklet could not send (the page gave no buffers back).
      dropped: base.dropped + this.portDropped,
      transport: this.transport,
      running: this.running,
      contextState: this.context?.state ?? 'none',
    };
  }

  #fail(error) {
    this.dispatchEvent(new CustomEvent('error', { detail: error }));
    if (error.code === 'worklet-crashed') {
      // The processor may be mid-use on a dead thread: leave it (a few KiB), never free it.
      this.tap = null;
    }
    this.stop();
  }

  /** Stops the source (the microphone is released: its tracks stop and the browser's
   * recording indicator goes off), frees the ring and suspends the context. */
  async stop() {
    const wasRunning = this.running;
    this.running = false;
    this.grantedAt = null;
    this.source?.disconnect();
    this.source = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    if (this.media) {
      this.media.pause();
      this.media = null;
    }
    const tap = this.tap;
    this.tap = null;
    if (tap) {
      // Wait (briefly) for the worklet to hand the processor back before freeing anything.
      await Promise.race([tap.release(), new Promise((r) => setTimeout(r, 1000))]);
      tap.free();
    }
    pageContextUsers.delete(this);
    // A shared context is suspended only when none of its scopes runs.
    const idle = !this.shared || pageContextUsers.size === 0;
    // Bounded: Chromium can leave suspend() pending while a resume() is in flight, and a stop
    // must always finish (the element's removal waits for it).
    if (idle && this.context?.state === 'running') await settleWithin(this.context.suspend(), 500);
    if (wasRunning) this.dispatchEvent(new Event('statechange'));
  }

  /** Stops and closes a context this object created. */
  async close() {
    await this.stop();
    if (this.ownsContext && this.context && this.context.state !== 'closed') await this.context.close();
  }
}
