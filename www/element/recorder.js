// Video recording of the scope: the canvas's frames (with the meter strip painted beside them
// when it is shown) and the scoped audio, through MediaRecorder, in whichever container the
// browser records (WebM first, then MP4). The audio is taken from the source's node, so what is
// heard in the file is what the scope drew. A WebM
// from MediaRecorder has no duration in its header (players show no length and cannot seek):
// the duration is written in when the recording stops (webm.js).

import { ScopeError } from './errors.js';
import { withWebmDuration } from './webm.js';
import { paintMeters, stripWidth } from './meter-paint.js';

/** The recording formats asked for, best first. */
const TYPES = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/mp4;codecs=avc1,mp4a.40.2',
  'video/mp4',
];

/** The first format this browser records, or null. */
export function recordingType() {
  if (typeof MediaRecorder !== 'function') return null;
  return TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? null;
}

/** One recording of `canvas` (its frames) with the audio of `node` (a running source's node). */
export class ScopeRecorder {
  #recorder;
  #chunks = [];
  #done;
  #release;
  /** When it started (performance.now()). */
  startedAt = performance.now();

  constructor(canvas, node) {
    const mimeType = recordingType();
    if (!mimeType || typeof canvas?.captureStream !== 'function') throw new ScopeError('record-unsupported');
    /** The container's type, without codecs (`video/webm` or `video/mp4`). */
    this.type = mimeType.split(';')[0];
    const video = canvas.captureStream(60).getVideoTracks()[0];
    const destination = new MediaStreamAudioDestinationNode(node.context, { channelCount: 2 });
    node.connect(destination);
    const stream = new MediaStream([video, ...destination.stream.getAudioTracks()]);
    this.#release = () => {
      for (const t of stream.getTracks()) t.stop();
      try {
        node.disconnect(destination);
      } catch {
        // already disconnected (the source stopped first)
      }
    };
    try {
      this.#recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 4_000_000, audioBitsPerSecond: 192_000 });
    } catch (e) {
      this.#release();
      throw new ScopeError('record-unsupported', e?.message);
    }
    const recorder = this.#recorder;
    this.#done = new Promise((resolve, reject) => {
      recorder.addEventListener('dataavailable', (e) => {
        if (e.data.size > 0) this.#chunks.push(e.data);
      });
      recorder.addEventListener('stop', () => {
        this.#release();
        const blob = new Blob(this.#chunks, { type: this.type });
        this.#chunks = [];
        const ms = performance.now() - this.startedAt;
        if (this.type !== 'video/webm') return resolve(blob);
        withWebmDuration(blob, ms).then(resolve, () => resolve(blob));
      });
      recorder.addEventListener('error', (e) => {
        this.#release();
        reject(new ScopeError('record-failed', e.error?.message));
      });
    });
    // Chunks every second, so a long recording is not held as one growing buffer.
    recorder.start(1000);
  }

  /** Seconds since the recording started. */
  get seconds() {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Ends the recording; resolves with the file (a Blob of `type`). */
  stop() {
    if (this.#recorder.state !== 'inactive') this.#recorder.stop();
    return this.#done;
  }
}

/** Saves `blob` as a download named `vectorscope-<time>.<extension>`. */
export function downloadBlob(blob, extension) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `vectorscope-${new Date().toISOString().replace(/[:.]/g, '-')}.${extension}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** m:ss */
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** The element's recording: the recorder, its Rec button and on-scope indicator (with the
 * elapsed time), and the download when it was asked for. */
export class Recording {
  #recorder = null;
  #download = false;
  #timer = 0;
  /** With the meters: the canvas recorded, its 2D context and the scope's canvas. */
  #composite = null;

  /** `button` toggles; `badge` shows REC and the time; `emit(detail)` announces changes. */
  constructor({ button, badge, emit }) {
    this.button = button;
    this.badge = badge;
    this.emit = emit;
  }

  /** Whether a recording runs. */
  get active() {
    return this.#recorder !== null;
  }

  /** Whether each drawn frame must be painted in (a recording with the meters runs). */
  get painting() {
    return this.#recorder !== null && this.#composite !== null;
  }

  /** Seconds recorded so far (0 when none runs). */
  get seconds() {
    return this.#recorder?.seconds ?? 0;
  }

  /** Starts recording `canvas` with the audio of `node`; with `meters` (the reading, when the
   * strip is shown) the strip is painted beside the picture, each frame through {@link frame};
   * with `download`, the file is saved when the recording stops. Throws `record-unsupported`. */
  start(canvas, node, { download = false, meters = null } = {}) {
    if (this.#recorder) return;
    this.#composite = null;
    if (meters) {
      const composite = document.createElement('canvas');
      this.#composite = { canvas: composite, g: composite.getContext('2d', { alpha: false }), scope: canvas };
      this.frame(meters);
    }
    this.#recorder = new ScopeRecorder(this.#composite?.canvas ?? canvas, node);
    this.#download = download;
    this.#timer = setInterval(() => this.#render(), 250);
    this.#render();
    this.emit({ recording: true, type: this.#recorder.type });
  }

  /** After each drawn frame, in the same task (the canvas still holds its image): paints the
   * scope's picture and the meter reading `m` into the recorded canvas. */
  frame(m) {
    const c = this.#composite;
    if (!c || !m) return;
    const { width, height } = c.scope;
    const strip = stripWidth(height);
    if (c.canvas.width !== width + strip || c.canvas.height !== height) {
      c.canvas.width = width + strip;
      c.canvas.height = height;
    }
    c.g.drawImage(c.scope, 0, 0);
    paintMeters(c.g, width, strip, height, m);
  }

  /** Ends the recording: resolves with its file (null when none ran). */
  async stop() {
    const recorder = this.#recorder;
    if (!recorder) return null;
    this.#recorder = null;
    clearInterval(this.#timer);
    this.#render();
    const seconds = recorder.seconds;
    const blob = await recorder.stop();
    if (this.#download) downloadBlob(blob, recorder.type === 'video/mp4' ? 'mp4' : 'webm');
    this.emit({ recording: false, type: recorder.type, seconds, size: blob.size, blob });
    return blob;
  }

  #render() {
    const on = this.#recorder !== null;
    const time = on ? clock(this.#recorder.seconds) : '';
    this.button.setAttribute('aria-pressed', String(on));
    this.button.setAttribute('aria-label', on ? `Stop recording (${time})` : 'Record video');
    this.button.textContent = on ? `● ${time}` : 'Rec';
    this.badge.hidden = !on;
    this.badge.textContent = on ? `● REC ${time}` : '';
  }
}
