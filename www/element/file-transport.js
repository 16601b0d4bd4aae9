// The control bar's file transport (source="file"): Open (a file picker), play/pause, a seek bar
// and the elapsed and total time, bound to the audio element that plays the file. It reads the
// element's events (a few a second), never polls.

/** The transport's markup, placed in the element's control bar. */
export const FILE_TRANSPORT_HTML = `
<span class="file" part="file-transport" hidden>
  <button class="open" part="button open-button" type="button">Open…</button>
  <input class="file-input" type="file" accept="audio/*,video/*,.wav,.mp3,.ogg,.oga,.opus,.flac,.m4a,.aac,.webm" aria-label="Audio file" tabindex="-1" hidden>
  <button class="play" part="button play-button" type="button" aria-label="Play" aria-pressed="false" disabled>Play</button>
  <input class="seek" part="range seek" type="range" min="0" max="0" step="0.01" value="0" aria-label="Position in seconds" disabled>
  <span class="time" part="time">0:00 / 0:00</span>
</span>`;

/** Its style, in the element's shadow root. */
export const FILE_TRANSPORT_CSS = `
  .file { display: inline-flex; align-items: center; gap: 4px; }
  .file[hidden] { display: none; }
  .file .seek { width: 7em; }
  .file .time { font-variant-numeric: tabular-nums; white-space: nowrap; }
`;

/** `seconds` as m:ss (h:mm:ss from an hour); an unknown length (NaN, a live stream) as –:––. */
export function formatTime(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–:––';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const EVENTS = ['timeupdate', 'durationchange', 'play', 'pause', 'ended', 'seeked', 'emptied'];

/** Binds the transport's controls in `root` to the media element that plays a file. */
export class FileTransport {
  #media = null;
  #dragging = false;
  #update = () => this.#render();

  /** `onFile(file)` is called with the file the picker chose. */
  constructor(root, { onFile }) {
    const q = (s) => root.querySelector(s);
    this.box = q('.file');
    this.open = q('.open');
    this.input = q('.file-input');
    this.play = q('.play');
    this.seek = q('.seek');
    this.time = q('.time');
    this.open.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => {
      const chosen = this.input.files?.[0];
      // Cleared, so choosing the same file again is a change too.
      this.input.value = '';
      if (chosen) onFile(chosen);
    });
    this.play.addEventListener('click', () => {
      const m = this.#media;
      if (!m) return;
      if (m.paused) m.play().catch(() => {});
      else m.pause();
    });
    this.seek.addEventListener('input', () => {
      this.#dragging = true;
      if (this.#media) this.#media.currentTime = Number(this.seek.value);
      this.#renderTime();
    });
    this.seek.addEventListener('change', () => {
      this.#dragging = false;
    });
  }

  /** Shown with source="file". */
  set shown(on) {
    this.box.hidden = !on;
  }

  /** The media element playing the file, or null when none plays. */
  bind(media) {
    if (media === this.#media) return;
    for (const e of EVENTS) this.#media?.removeEventListener(e, this.#update);
    this.#media = media;
    for (const e of EVENTS) media?.addEventListener(e, this.#update);
    this.#render();
  }

  #render() {
    const m = this.#media;
    const duration = m && Number.isFinite(m.duration) ? m.duration : 0;
    this.play.disabled = !m;
    this.seek.disabled = !m || duration === 0;
    const playing = Boolean(m && !m.paused);
    this.play.textContent = playing ? 'Pause' : 'Play';
    this.play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    this.play.setAttribute('aria-pressed', String(playing));
    this.seek.max = String(duration);
    if (!this.#dragging) this.seek.value = String(m ? m.currentTime : 0);
    this.#renderTime();
  }

  #renderTime() {
    const m = this.#media;
    this.time.textContent = m ? `${formatTime(m.currentTime)} / ${formatTime(m.duration)}` : '0:00 / 0:00';
  }
}

/** Files dropped on `target` go to `onFile` (the first one); while files are dragged over it,
 * `target` has the `data-drop` attribute (for a highlight). Other drags are left alone. */
export function acceptDrops(target, onFile) {
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  target.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    target.toggleAttribute('data-drop', true);
  });
  target.addEventListener('dragleave', () => target.removeAttribute('data-drop'));
  target.addEventListener('drop', (e) => {
    target.removeAttribute('data-drop');
    const dropped = e.dataTransfer?.files?.[0];
    if (!dropped || e.defaultPrevented) return;
    e.preventDefault();
    onFile(dropped);
  });
}
