// Main-thread audio: an AudioContext (its own, one shared by the page's scopes, or the caller's
// for one run), the Rust AudioTap (worklet node + ring) and the source connected to it (a
// sources.js source: microphone, media element, any AudioNode). Every failure becomes a
// ScopeError (errors.js) with a stable code.
//
// Two transports from the audio thread to the ring: the shared ring (the worklet runs Rust on
// the page's shared wasm memory; needs cross-origin isolation), and, where the page is not
// isolated, the message port (the worklet posts blocks; the page pushes them into the ring).

import { wasmBinary, workletUrl } from './assets.js';
import { ScopeError } from './errors.js';
import { audioNode, media, microphone } from './sources.js';
import init, { AudioTap, wasmMemory, processorInput, processQuantum, quantum, version } from '../pkg/vectorscope.js';

/** Waits for `promise` at most `ms` milliseconds (its rejection is ignored). */
function settleWithin(promise, ms) {
  return Promise.race([promise.catch(() => {}), new Promise((r) => setTimeout(r, ms))]);
}

/** Whether the audio thread can share the wasm memory (else the message-port fallback). */
export function sharedRingAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

/** Why the message-port fallback runs, as a notice code: `not-isolated` (the page lacks the
 * COOP/COEP headers), `no-shared-memory` (isolated, but the browser has no SharedArrayBuffer:
 * WebKitGTK), or null when the shared ring is available. */
export function fallbackNotice() {
  if (sharedRingAvailable()) return null;
  return globalThis.crossOriginIsolated === true ? 'no-shared-memory' : 'not-isolated';
}

let pageContext = null;
/** The scopes that use the shared context, from the moment a start claims it until a stop. */
const pageContextUsers = new Set();
/** How many stops are suspending the shared context right now: its 'suspended' state is then
 * the page's own doing, and a scope starting meanwhile resumes it once the suspend is done. */
let pageSuspending = 0;
/** The AudioContext the page's scopes share (one per page where the browser allows). */
export function sharedContext() {
  if (!pageContext || pageContext.state === 'closed') {
    pageContext = new AudioContext({ latencyHint: 'interactive' });
  }
  return pageContext;
}

/** What the meters read with no audio: the same fields as a tap's `meters()`. */
export function silentMeters() {
  const none = -Infinity;
  return {
    correlation: 0, balance: 0, width: 0,
    peak: [none, none], peakHold: [none, none], clips: [0, 0], rms: [none, none], truePeak: [none, none],
    momentary: none, shortTerm: none, integrated: none, range: 0, skipped: 0,
  };
}

let wasmReady = null;
let memory = null;
/** Loads the wasm module once per page; resolves with `{ version, memory }` (the crate's version
 * and the module's memory). The page and the element load it only through here. */
export function loadWasm() {
  wasmReady ??= init(wasmBinary()).then(() => {
    memory = wasmMemory();
    return { version: version(), memory };
  });
  return wasmReady;
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
 *
 * The context: one it creates, the page's shared one (`shared`), or, for one run, the context
 * of a caller's node (`audioNode` source). A context it did not create is never suspended and
 * is forgotten when the run stops; a shared one is suspended only when none of its users runs.
 */
export class ScopeAudio extends EventTarget {
  /**
   * @param {object} [o]
   * @param {AudioContext} [o.context] a context to use, never suspended (else one is created
   *   on first use)
   * @param {boolean} [o.shared] use the page's shared context ({@link sharedContext}); it is
   *   suspended only when none of its users runs, and never closed
   */
  constructor({ context, shared = false } = {}) {
    super();
    this.shared = shared;
    this.context = context ?? null;
    this.ownsContext = !context && !shared;
    /** Whether `context` is a caller's node's, for the current run only. */
    this.foreign = false;
    this.transport = sharedRingAvailable() ? 'shared-ring' : 'message-port';
    this.portDropped = 0;
    this.tap = null;
    /** The opened source of the current run ({ node, stop, stream? }). */
    this.opened = null;
    this.stream = null;
    this.running = false;
    this.grantedAt = null;
  }

  /** The context, created on first use; `foreign` (a caller's context) is used as it is.
   * Loads the worklet module into it. */
  async ensureContext(foreign) {
    if (typeof AudioWorkletNode !== 'function') throw new ScopeError('no-audioworklet');
    await loadWasm();
    if (foreign && !(this.shared && foreign === pageContext)) {
      this.context = foreign;
      this.foreign = true;
    } else if (this.shared) {
      this.context = sharedContext();
      this.foreign = false;
      // Claimed now, so that a scope stopping meanwhile does not suspend it under this start.
      pageContextUsers.add(this);
    } else if (!this.context || this.context.state === 'closed' || (this.foreign && !foreign)) {
      this.context = new AudioContext({ latencyHint: 'interactive' });
      this.ownsContext = true;
      this.foreign = false;
    }
    if (this.watched !== this.context) {
      // The browser may suspend (autoplay policy) or interrupt (a phone call) a running scope.
      const ctx = this.context;
      this.watched = ctx;
      ctx.addEventListener('statechange', () => {
        if (!this.running || ctx !== this.context) return;
        if (ctx === pageContext && pageSuspending > 0) return;
        if (ctx.state === 'running') this.dispatchEvent(new Event('resumed'));
        else if (ctx.state !== 'closed') {
          this.dispatchEvent(new CustomEvent('error', { detail: new ScopeError('context-suspended') }));
        }
      });
    }
    const worklet = workletUrl(this.transport);
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

  /**
   * Stops what runs, then opens `source` (sources.js) and scopes it. When `signal` is aborted
   * before the source is attached, whatever was opened is released and this rejects with the
   * signal's reason; after that, the caller stops it.
   */
  async start(source, { signal } = {}) {
    await this.stop();
    try {
      await this.#start(source, signal);
    } catch (e) {
      if (!this.running) await this.#releaseContext();
      throw e;
    }
  }

  async #start(source, signal) {
    const cancelled = () => signal?.aborted;
    if (cancelled()) throw signal.reason;
    const ctx = await this.ensureContext(source.context);
    if (cancelled()) throw signal.reason;
    let opened = null;
    opened = await source.open(ctx, {
      signal,
      onLost: (error) => {
        if (this.opened === opened) this.#fail(error);
      },
    });
    if (cancelled()) {
      opened.stop();
      throw signal.reason;
    }
    try {
      this.#attach(opened);
    } catch (e) {
      opened.stop();
      throw e;
    }
  }

  #attach(opened) {
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
    opened.node.connect(this.tap.node);
    this.opened = opened;
    this.stream = opened.stream ?? null;
    /** When the source was granted (performance.now()), for the startup time. */
    this.grantedAt = opened.grantedAt ?? null;
    this.running = true;
    this.dispatchEvent(new Event('statechange'));
    // A shared context another scope is suspending is resumed when that suspend is done.
    const resuming = ctx === pageContext && pageSuspending > 0;
    if (ctx.state !== 'running' && !resuming) {
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
  startMicrophone(deviceId, options) {
    return this.start(microphone(deviceId), options);
  }

  /** Plays a URL (or an existing media element) and scopes it; it is also heard. */
  startMedia(urlOrElement, options) {
    return this.start(media(urlOrElement), options);
  }

  /** Scopes any AudioNode, in its own context (see `audioNode` in sources.js). */
  async connect(node, options) {
    return this.start(audioNode(node), options);
  }

  /** Drains the ring; returns { count, samples } where samples is a Float32Array view of
   * count interleaved [x, y] pairs in wasm memory, valid until the next drain. */
  drain(windowSeconds) {
    if (!this.tap) return { count: 0, samples: new Float32Array(0) };
    const count = this.tap.drain(windowSeconds);
    return { count, samples: new Float32Array(memory.buffer, this.tap.samplesPtr(), count * 2) };
  }

  /** Every meter of the current run (`VectorScopeMeters` in vector-scope.d.ts); silence when
   * nothing runs. */
  meters() {
    return this.tap ? this.tap.meters() : silentMeters();
  }

  /** Clears the integrated loudness and range, the true peaks, the holds and the clip counts. */
  resetMeters() {
    this.tap?.resetMeters();
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
   * recording indicator goes off), frees the ring, suspends a context of its own (or the
   * shared one when none of its users runs) and forgets a caller's context. */
  async stop() {
    const wasRunning = this.running;
    this.running = false;
    this.grantedAt = null;
    const opened = this.opened;
    this.opened = null;
    this.stream = null;
    const tap = this.tap;
    this.tap = null;
    if (opened) {
      try {
        if (tap) opened.node.disconnect(tap.node);
      } catch {
        // not connected (any more)
      }
      opened.stop();
    }
    if (tap) {
      // Wait (briefly) for the worklet to hand the processor back before freeing anything.
      await Promise.race([tap.release(), new Promise((r) => setTimeout(r, 1000))]);
      tap.free();
    }
    await this.#releaseContext();
    if (wasRunning) this.dispatchEvent(new Event('statechange'));
  }

  /** Lets go of the context after a run (or a failed start): forgets a caller's, suspends one
   * of its own, and suspends the shared one when no other scope has claimed it. */
  async #releaseContext() {
    pageContextUsers.delete(this);
    const ctx = this.context;
    if (this.foreign) {
      // The caller's context: never suspended, and not used for the next run.
      this.context = null;
      this.foreign = false;
      return;
    }
    if (!ctx || ctx.state !== 'running') return;
    // Bounded: Chromium can leave suspend() pending while a resume() is in flight, and a stop
    // must always finish (the element's removal waits for it).
    if (this.ownsContext) {
      await settleWithin(ctx.suspend(), 500);
    } else if (this.shared && ctx === pageContext && pageContextUsers.size === 0) {
      pageSuspending += 1;
      try {
        await settleWithin(ctx.suspend(), 500);
        // A scope that started while this suspend was in flight runs on: resume for it.
        if (pageContextUsers.size > 0 && ctx.state === 'suspended') await settleWithin(ctx.resume(), 300);
      } finally {
        pageSuspending -= 1;
      }
    }
  }

  /** Stops and closes a context this object created. */
  async close() {
    await this.stop();
    if (this.ownsContext && this.context && this.context.state !== 'closed') await this.context.close();
  }
}
