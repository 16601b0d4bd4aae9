// The scope's picture: a canvas sized from its CSS box times devicePixelRatio (ResizeObserver,
// never stretched), the Rust ScopeRenderer (wgpu: WebGPU when an adapter is really obtained,
// else WebGL2), and the animation-frame loop that drains the audio ring and draws every sample.
// Stops drawing while the page is hidden (the browser pauses animation frames), while the host
// has no area (`hidden`, `display: none`) or is off-screen (it then only drains the ring), and
// resumes cleanly; a lost GPU device rebuilds the renderer. The canvas never exceeds the
// device's largest texture (stats.clamped says when it is smaller than its box). While audio
// runs it sends a `meters` event every METERS_INTERVAL_MS.

import { ScopeRenderer } from '../pkg/vectorscope.js';
import { loadWasm } from './audio.js';
import { ScopeError } from './errors.js';
import { SETTINGS, DISPLAY_SETTINGS, colorToRgb } from './settings.js';

/** How often, at most, the view says the meters have news (its `meters` event): a readable
 * rate for numbers, and the `scope-meters` event's. */
export const METERS_INTERVAL_MS = 250;

export class ScopeView extends EventTarget {
  /**
   * @param {HTMLElement} host element the canvas fills
   * @param {object} [o]
   * @param {'auto'|'webgpu'|'webgl2'} [o.backend]
   * @param {() => import('./audio.js').ScopeAudio | null} [o.audio] the audio to draw
   */
  constructor(host, { backend = 'auto', audio = () => null } = {}) {
    super();
    this.host = host;
    this.wanted = backend;
    this.audio = audio;
    this.renderer = null;
    this.canvas = null;
    /** What the renderer draws with: the display settings' defaults (the colour as sRGB
     * [r, g, b] from 0 to 1), and the graticule's opacity. */
    this.settings = { graticule: 0.35 };
    for (const name of DISPLAY_SETTINGS) this.settings[name] = SETTINGS[name].default;
    this.settings.color = colorToRgb(SETTINGS.color.default);
    this.snapshots = [];
    this.frameTimes = new Float64Array(120);
    this.frameCount = 0;
    /** Frame intervals recorded in frameTimes. */
    this.intervals = 0;
    this.firstDrawnAt = null;
    this.lastNow = 0;
    /** When the last `meters` event was sent (animation-frame time). */
    this.metersAt = -Infinity;
    /** Called with the frame's time on every animation frame (the element's meter strip). */
    this.afterFrame = null;
    /** Called after each drawn frame, in the same task, while the canvas still holds the
     * frame's image (a recording copies it then). */
    this.afterDraw = null;
    this.running = false;
    /** Whether the host has an area, and whether any of it is within the viewport. */
    this.hasArea = true;
    this.onScreen = true;
    /** Whether the canvas is smaller than its box times devicePixelRatio (the device's limit). */
    this.clamped = false;
    this.overRange = false;
    this.onFrame = (now) => this.#frame(now);
    this.resizeObserver = new ResizeObserver(() => this.#resize());
    this.intersectionObserver = new IntersectionObserver((entries) => {
      this.onScreen = entries[entries.length - 1].isIntersecting;
    });
  }

  /** Creates the canvas and renderer; resolves to the backend in use. */
  async start() {
    await loadWasm();
    const order = this.wanted === 'auto' ? ['auto', 'webgl2'] : [this.wanted];
    let lastError = null;
    for (const backend of order) {
      this.#newCanvas();
      try {
        this.renderer = await ScopeRenderer.create(this.canvas, backend);
        break;
      } catch (e) {
        lastError = e;
        this.renderer = null;
      }
    }
    if (!this.renderer) {
      throw new ScopeError('no-gpu', lastError?.message);
    }
    this.#apply();
    this.#labels();
    this.host.dataset.backend = this.renderer.backend;
    this.resizeObserver.observe(this.host);
    this.intersectionObserver.observe(this.host);
    this.#resize();
    this.running = true;
    this.lastNow = 0; // a rebuilt renderer starts a new run of intervals
    requestAnimationFrame(this.onFrame);
    return this.renderer.backend;
  }

  /** A fresh canvas: one that had a WebGPU context can never get a WebGL2 one. */
  #newCanvas() {
    this.canvas?.remove();
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scope-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Vectorscope trace');
    this.host.prepend(this.canvas);
  }

  /** The graticule's marks: L/R on the axes in XY; M, S, L and R in M/S. */
  #labels() {
    if (this.host.querySelector('.scope-labels')) return;
    const box = document.createElement('div');
    box.className = 'scope-labels';
    box.setAttribute('aria-hidden', 'true');
    for (const [mode, text, cls] of [
      ['xy', 'L', 'xy-l'], ['xy', 'R', 'xy-r'],
      ['ms', 'M', 'ms-m'], ['ms', 'S', 'ms-s-left'], ['ms', 'S', 'ms-s-right'], ['ms', 'L', 'ms-l'], ['ms', 'R', 'ms-r'],
    ]) {
      const span = document.createElement('span');
      span.dataset.mode = mode;
      span.className = cls;
      span.textContent = text;
      box.append(span);
    }
    // The over-range lamp: lit while samples past full scale were drawn in the last second.
    const lamp = document.createElement('span');
    lamp.className = 'scope-over';
    lamp.textContent = 'OVER';
    lamp.title = 'Samples past full scale (over 0 dBFS) in the last second';
    lamp.hidden = true;
    this.lamp = lamp;
    // Auto-gain's readout: the gain it applies now, while it is on.
    const autoGain = document.createElement('span');
    autoGain.className = 'scope-auto-gain';
    autoGain.title = 'The gain auto-gain applies to the trace (the meters are not changed)';
    autoGain.hidden = true;
    this.autoGainBadge = autoGain;
    this.autoGainText = '';
    this.host.append(box, lamp, autoGain);
  }

  #resize() {
    if (!this.canvas) return;
    const rect = this.canvas.getBoundingClientRect();
    // No area (hidden, display: none): keep the canvas as it is and draw nothing.
    this.hasArea = rect.width >= 1 && rect.height >= 1;
    if (!this.hasArea) return;
    let ratio = window.devicePixelRatio || 1;
    let w = Math.round(rect.width * ratio);
    let h = Math.round(rect.height * ratio);
    // Past the device's largest texture: scale both sides down alike (the picture keeps its
    // proportions and the spot its size in CSS pixels).
    const max = this.renderer?.maxSize ?? Infinity;
    const k = Math.min(1, max / w, max / h);
    this.clamped = k < 1;
    if (this.clamped) {
      w = Math.min(max, Math.max(1, Math.floor(w * k)));
      h = Math.min(max, Math.max(1, Math.floor(h * k)));
      ratio *= k;
    }
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.renderer?.resize(w, h, ratio);
  }

  /** Changes settings: the display settings of settings.js (the colour as sRGB [r, g, b] from 0
   * to 1) and `graticule` (the marks' opacity, 0 to 1). Only the settings whose value changed
   * reach the renderer: re-sending the mode would break the trace's join at every step of a
   * dragged slider. */
  set(settings) {
    const changed = [];
    for (const [name, value] of Object.entries(settings)) {
      if (!(name in this.settings)) continue;
      const before = this.settings[name];
      const same = Array.isArray(value) && Array.isArray(before)
        ? value.length === before.length && value.every((v, i) => v === before[i])
        : value === before;
      this.settings[name] = value;
      if (!same) changed.push(name);
    }
    for (const name of changed) this.#applyOne(name);
  }

  /** Sends one setting to the renderer. */
  #applyOne(name) {
    const r = this.renderer;
    if (!r) return;
    const s = this.settings;
    switch (name) {
      case 'mode':
        this.host.dataset.mode = s.mode;
        r.setMode(s.mode);
        break;
      case 'upsample': r.setUpsample(Number(s.upsample)); break;
      case 'dc-block': r.setDcBlock(Boolean(s['dc-block'])); break;
      case 'swap': r.setSwap(Boolean(s.swap)); break;
      case 'invert': r.setInvert(s.invert); break;
      case 'auto-gain': r.setAutoGain(Boolean(s['auto-gain'])); break;
      case 'gain': r.setGainDb(s.gain); break;
      case 'persistence': r.setPersistence(s.persistence); break;
      case 'intensity': r.setIntensity(s.intensity); break;
      case 'color': r.setColor(s.color[0], s.color[1], s.color[2]); break;
      case 'spot': r.setSpotSize(s.spot); break;
      case 'graticule': r.setGraticule(s.graticule); break;
      case 'glow': r.setGlow(s.glow); break;
      default: break;
    }
  }

  /** Sends every setting (a new renderer). */
  #apply() {
    for (const name of Object.keys(this.settings)) this.#applyOne(name);
  }

  #frame(now) {
    if (!this.running) return;
    requestAnimationFrame(this.onFrame);
    const r = this.renderer;
    if (!r) return;
    if (r.lost) {
      this.#rebuild();
      return;
    }
    const tap = this.audio()?.tap;
    if (tap && now - this.metersAt >= METERS_INTERVAL_MS) {
      this.metersAt = now;
      this.dispatchEvent(new Event('meters'));
    }
    this.afterFrame?.(now);
    // Nothing to see (no area, or off-screen with no snapshot waiting): only keep the ring
    // drained, so nothing is dropped; the next drawn frame starts after a gap.
    if (!this.hasArea || (!this.onScreen && !this.snapshots.length)) {
      tap?.drain();
      this.lastNow = 0;
      return;
    }
    try {
      if (tap) {
        if (r.render(tap, now) > 0 && this.firstDrawnAt === null) this.firstDrawnAt = performance.now();
      } else r.renderIdle(now);
    } catch (e) {
      if (e?.code === 'gpu-lost' || r.lost) this.#rebuild();
      else throw e;
    }
    const over = r.overRange(now);
    if (over !== this.overRange) {
      this.overRange = over;
      if (this.lamp) this.lamp.hidden = !over;
    }
    this.#showAutoGain();
    this.afterDraw?.();
    if (this.snapshots.length) {
      // Read in the same task as the draw, while the frame is still the canvas's image.
      const pending = this.snapshots.splice(0);
      this.canvas.toBlob((blob) => {
        for (const p of pending) {
          if (blob) p.resolve(blob);
          else p.reject(new Error('the canvas could not be encoded'));
        }
      }, 'image/png');
    }
    // Intervals between this view's own frames only (the first frame has none).
    if (this.lastNow > 0) this.frameTimes[this.intervals++ % this.frameTimes.length] = now - this.lastNow;
    this.lastNow = now;
    this.frameCount++;
  }

  /** Auto-gain's readout, rewritten only when its text (to 0.5 dB) changes. */
  #showAutoGain() {
    const on = Boolean(this.settings['auto-gain']);
    const text = on ? `AUTO ${formatGainDb(Math.round(this.renderer.autoGainDb * 2) / 2)}` : '';
    if (text === this.autoGainText) return;
    this.autoGainText = text;
    this.autoGainBadge.hidden = !on;
    this.autoGainBadge.textContent = text;
  }

  async #rebuild() {
    if (this.rebuilding) return;
    this.rebuilding = true;
    this.dispatchEvent(new CustomEvent('error', { detail: new ScopeError('gpu-lost') }));
    this.renderer?.free();
    this.renderer = null;
    this.running = false;
    try {
      await this.start();
    } finally {
      this.rebuilding = false;
    }
  }

  /** Forgets when samples were first drawn: the next frame that draws any sets `firstDrawnAt`
   * (performance.now() after its draw was submitted). */
  markStart() {
    this.firstDrawnAt = null;
  }

  /** A PNG Blob of the next drawn frame; rejects with `no-area` while the host has no area. */
  snapshot() {
    if (!this.renderer) return Promise.reject(new Error('nothing is drawn yet'));
    if (!this.hasArea) return Promise.reject(new ScopeError('no-area'));
    return new Promise((resolve, reject) => {
      this.snapshots.push({ resolve, reject });
      this.renderer.redraw();
    });
  }

  /** Frames per second over the last frames, and the renderer's counters. */
  get stats() {
    const n = Math.min(this.intervals, this.frameTimes.length);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.frameTimes[i];
    const fps = n > 0 && sum > 0 ? (1000 * n) / sum : 0;
    const r = this.renderer;
    return { fps, clamped: this.clamped, autoGainDb: r ? r.autoGainDb : 0, ...(r ? r.stats() : { backend: 'none' }) };
  }

  /** Stops drawing and frees the GPU resources. */
  destroy() {
    this.running = false;
    for (const p of this.snapshots.splice(0)) p.reject(new Error('the scope was removed'));
    this.resizeObserver.disconnect();
    this.intersectionObserver.disconnect();
    const r = this.renderer;
    this.renderer = null;
    if (r) {
      // Give the GPU memory back now rather than at garbage collection: destroy the WebGPU
      // device, or lose the WebGL context (browsers cap live WebGL contexts).
      const backend = r.backend;
      // (WebGPU: the page's device is shared by every scope and stays; this renderer's surface,
      // textures and buffers go with it.)
      r.free();
      if (backend === 'webgl2') this.canvas?.getContext('webgl2')?.getExtension('WEBGL_lose_context')?.loseContext();
    }
    this.canvas?.remove();
    this.host.querySelector('.scope-labels')?.remove();
    this.lamp?.remove();
    this.lamp = null;
  }
}

/** A gain in dB with its sign, as the readout shows it: `+12.5 dB`, `-3 dB`, `0 dB`. */
function formatGainDb(db) {
  return `${db > 0 ? '+' : db < 0 ? '\u2212' : ''}${Math.abs(db)} dB`;
}
