// The meter strip beside the scope, or below it in a box taller than wide (the element's `meters`
// attribute): a correlation bar (-1..+1, the negative side marked), balance and width, left and
// right level bars (RMS filled, the 100 ms peak as a line, the 2 s hold as a tick, a clip lamp),
// and true peak and loudness (M, S, I, LRA) as numbers. The bars move every frame through CSS
// custom properties only (no layout); the numbers and the `role="meter"` values change at a
// readable rate.

/** The level bars' scale: -60 dBFS (empty) to 0 dBFS (full). */
export const LEVEL_FLOOR_DB = -60;
/** How often the numbers and the accessible values change. */
export const TEXT_INTERVAL_MS = 250;

/** The element's layout for a box taller than wide: the strip below the picture, the control
 * bar above it. A container query on the element's own box, not the viewport's orientation, so
 * that any tall narrow element gets it (an embedder's column, a phone's full screen) and a wide
 * one keeps the strip beside, whatever the screen. The element's shadow root styles use it. */
export const TALL_BOX = '@container vector-scope (aspect-ratio < 1)';
/** The other boxes (square or wider): the strip beside the picture, the bar over it. */
export const WIDE_BOX = '@container vector-scope not (aspect-ratio < 1)';

/** The strip's markup, inside the element's shadow root. */
export const METER_STRIP_HTML = `
<div class="meters" part="meters" hidden>
  <div class="m-row" role="meter" aria-label="Phase correlation" aria-valuemin="-1" aria-valuemax="1" aria-valuenow="0" data-m="correlation">
    <span class="m-name">Corr</span><span class="m-bar m-centred"><i></i></span><output>0.00</output>
  </div>
  <div class="m-row" role="meter" aria-label="Balance" aria-valuemin="-1" aria-valuemax="1" aria-valuenow="0" data-m="balance">
    <span class="m-name">Bal</span><span class="m-bar m-centred"><i></i></span><output>0.00</output>
  </div>
  <div class="m-row" role="meter" aria-label="Stereo width" aria-valuemin="0" aria-valuemax="1" aria-valuenow="0" data-m="width">
    <span class="m-name">Width</span><span class="m-bar"><i></i></span><output>0.00</output>
  </div>
  <div class="m-levels">
    ${['L', 'R'].map((ch, i) => `
    <div class="m-level" role="meter" aria-label="${ch === 'L' ? 'Left' : 'Right'} peak level, dBFS" aria-valuemin="${LEVEL_FLOOR_DB}" aria-valuemax="0" aria-valuenow="${LEVEL_FLOOR_DB}" data-ch="${i}">
      <span class="m-clip" title="Clipped samples">0</span>
      <span class="m-vbar"><i class="m-rms"></i><i class="m-peak"></i><i class="m-hold"></i></span>
      <span class="m-name">${ch}</span>
    </div>`).join('')}
  </div>
  <dl class="m-numbers">
    <div><dt>TP</dt><dd data-m="truePeak">–</dd></div>
    <div><dt>M</dt><dd data-m="momentary">–</dd></div>
    <div><dt>S</dt><dd data-m="shortTerm">–</dd></div>
    <div><dt>I</dt><dd data-m="integrated">–</dd></div>
    <div><dt>LRA</dt><dd data-m="range">–</dd></div>
  </dl>
  <button class="m-reset" part="button meters-reset-button" type="button" title="Reset the integrated loudness, holds and clip counts">Reset</button>
</div>`;

/** The strip's styles. */
export const METER_STRIP_CSS = `
  :host([meters]) { aspect-ratio: 5 / 4; --m-strip: clamp(90px, 20%, 160px); }
  /* The default shape follows the viewport's orientation (what the element's own box cannot
     follow without a cycle): in portrait it is taller than wide, so the strip goes below. */
  @media (orientation: portrait) {
    :host([meters]) { aspect-ratio: 3 / 4; }
    :host([meters][controls]) { aspect-ratio: 2 / 3; }
  }
  ${WIDE_BOX} {
    :host([meters]) .stage { right: var(--m-strip); }
    /* The bar keeps to the picture, off the strip's numbers and its Reset button. */
    :host([meters]) .bar { right: calc(var(--m-strip) + 6px); }
  }
  .meters { position: absolute; top: 0; right: 0; bottom: 0; width: var(--m-strip); box-sizing: border-box; padding: 6px 5px;
    display: flex; flex-direction: column; gap: 5px; font-size: 10px; font-variant-numeric: tabular-nums;
    border-left: 1px solid var(--vector-scope-line, #33434a); color: var(--vector-scope-label, #8a9aa3); overflow: hidden; }
  .meters[hidden] { display: none; }
  .m-row { display: grid; grid-template-columns: 3.2em 1fr; grid-template-rows: auto auto; column-gap: 4px; align-items: center; }
  .m-row output { grid-column: 2; text-align: right; color: var(--vector-scope-foreground, #cfd8dc); }
  .m-bar { position: relative; height: 6px; border-radius: 2px; background: var(--vector-scope-control, #1b2327); overflow: hidden; }
  .m-bar i { position: absolute; top: 0; bottom: 0; left: 0; width: 100%; transform-origin: left;
    transform: scaleX(var(--v, 0)); background: var(--vector-scope-accent, #26ff6e); }
  /* -1..+1 from the centre; the negative half is marked. */
  .m-centred { background: linear-gradient(90deg, var(--vector-scope-negative, #4a2020) 50%, var(--vector-scope-control, #1b2327) 50%); }
  .m-centred i { left: 50%; width: 50%; transform: scaleX(var(--v, 0)); }
  .m-row[data-m="correlation"] i { background: var(--m-colour, var(--vector-scope-accent, #26ff6e)); }
  .m-levels { flex: 1; min-height: 40px; display: flex; gap: 6px; justify-content: center; }
  .m-level { display: flex; flex-direction: column; align-items: center; gap: 2px; width: 40%; }
  .m-vbar { position: relative; flex: 1; width: 100%; border-radius: 2px; background: var(--vector-scope-control, #1b2327); overflow: hidden; }
  .m-vbar i { position: absolute; left: 0; right: 0; bottom: 0; }
  .m-rms { top: 0; transform-origin: bottom; transform: scaleY(var(--rms, 0)); background: var(--vector-scope-accent, #26ff6e); opacity: 0.8; }
  .m-peak, .m-hold { height: 2px; transform: translateY(calc(-1 * var(--h) * var(--peak, 0))); background: #fff; }
  .m-hold { transform: translateY(calc(-1 * var(--h) * var(--hold, 0))); background: var(--vector-scope-notice, #e0c36a); }
  .m-clip { min-width: 1.6em; text-align: center; border-radius: 2px; padding: 0 2px; background: var(--vector-scope-control, #1b2327); }
  .m-clip[data-on] { background: var(--vector-scope-over, #d32f2f); color: #fff; }
  .m-numbers { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 1px 4px; }
  .m-numbers div { display: contents; }
  .m-numbers dt { font-weight: 600; }
  .m-numbers dd { margin: 0; text-align: right; color: var(--vector-scope-foreground, #cfd8dc); }
  .m-reset { font-size: 10px; padding: 1px 4px; }
  /* Below the picture: the level bars across the strip (Reset at their end), then correlation,
     balance and width side by side, then the numbers in a row. The text is 11 px at 340 px wide
     and grows with the element to 15 px; the strip is 5.5 times that plus 22 px high (the app
     page reserves as much). */
  ${TALL_BOX} {
    .meters { position: relative; inset: auto; width: auto; grid-row: 4; padding: 5px 6px; display: grid;
      grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 4px 10px; align-items: center;
      font-size: clamp(11px, 0.6cqw + 9px, 15px); line-height: 1.3; border-left: 0; border-top: 1px solid var(--vector-scope-line, #33434a); }
    .m-levels { grid-area: 1 / 1 / 2 / 6; min-height: 0; flex-direction: column; gap: 3px; }
    .m-level { height: 1.45em; flex-direction: row; align-items: stretch; gap: 5px; width: auto; }
    .m-level .m-name { order: -1; width: 1em; align-self: center; }
    .m-clip { align-self: center; }
    .m-vbar { flex: 1; width: auto; }
    .m-rms { top: 0; right: 0; bottom: 0; transform-origin: left; transform: scaleX(var(--rms, 0)); }
    .m-peak, .m-hold { top: 0; bottom: 0; left: -2px; right: auto; width: 2px; height: auto; }
    .m-peak { transform: translateX(calc(var(--w) * var(--peak, 0))); }
    .m-hold { transform: translateX(calc(var(--w) * var(--hold, 0))); }
    .m-reset { grid-area: 1 / 6; justify-self: end; font-size: inherit; line-height: inherit; }
    .m-row { grid-row: 2; grid-column: span 2; grid-template-columns: auto minmax(0, 1fr) auto; grid-template-rows: auto; gap: 4px; }
    .m-row output { grid-column: 3; }
    .m-numbers { grid-row: 3; grid-column: 1 / -1; display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0 8px; }
    .m-numbers div { display: flex; gap: 3px; }
  }
`;

/** 0 (at or below the floor) to 1 (0 dBFS) for a level in dB. */
export function fraction(db) {
  return db > LEVEL_FLOOR_DB ? Math.min(1, 1 - db / LEVEL_FLOOR_DB) : 0;
}

/** A level for reading: one decimal, `–` for silence. */
export function formatDb(db) {
  return Number.isFinite(db) ? db.toFixed(1) : '–';
}

/** The strip in `root` (the element's shadow root): call {@link update} once per frame. */
export class MeterStrip {
  /** @param {ShadowRoot} root */
  constructor(root) {
    this.box = root.querySelector('.meters');
    const q = (s) => this.box.querySelector(s);
    this.rows = ['correlation', 'balance', 'width'].map((m) => {
      const row = q(`.m-row[data-m="${m}"]`);
      return { m, row, bar: row.querySelector('i'), out: row.querySelector('output') };
    });
    this.levels = [0, 1].map((ch) => {
      const el = q(`.m-level[data-ch="${ch}"]`);
      return { el, bar: el.querySelector('.m-vbar'), clip: el.querySelector('.m-clip'), clips: -1 };
    });
    this.numbers = ['truePeak', 'momentary', 'shortTerm', 'integrated', 'range'].map((m) => ({ m, dd: q(`dd[data-m="${m}"]`) }));
    this.reset = q('.m-reset');
    this.textAt = -Infinity;
    this.barHeight = 0;
    this.barWidth = 0;
  }

  /** Shows or hides the strip. */
  set shown(on) {
    this.box.hidden = !on;
  }

  get shown() {
    return !this.box.hidden;
  }

  /** Draws `m` (a meters reading) at animation-frame time `now`. */
  update(m, now) {
    for (const r of this.rows) {
      r.bar.style.setProperty('--v', m[r.m].toFixed(3));
    }
    const corr = m.correlation;
    this.rows[0].bar.style.setProperty('--m-colour', corr < 0 ? 'var(--vector-scope-over, #d32f2f)' : '');
    for (const [ch, l] of this.levels.entries()) {
      const s = l.bar.style;
      s.setProperty('--rms', fraction(m.rms[ch]).toFixed(3));
      s.setProperty('--peak', fraction(m.peak[ch]).toFixed(3));
      s.setProperty('--hold', fraction(m.peakHold[ch]).toFixed(3));
    }
    if (now - this.textAt < TEXT_INTERVAL_MS) return;
    this.textAt = now;
    // The bar's length (its height beside the picture, its width below it), for the peak and
    // hold lines' offset (read at the text rate: no per-frame layout).
    const { clientWidth: w, clientHeight: h } = this.levels[0].bar;
    if (h !== this.barHeight || w !== this.barWidth) {
      this.barHeight = h;
      this.barWidth = w;
      for (const l of this.levels) {
        l.bar.style.setProperty('--h', `${h}px`);
        l.bar.style.setProperty('--w', `${w}px`);
      }
    }
    for (const r of this.rows) {
      const v = m[r.m].toFixed(2);
      r.out.value = v;
      r.row.setAttribute('aria-valuenow', v);
      r.row.setAttribute('aria-valuetext', v);
    }
    for (const [ch, l] of this.levels.entries()) {
      const peak = Math.max(LEVEL_FLOOR_DB, m.peak[ch]);
      l.el.setAttribute('aria-valuenow', peak.toFixed(1));
      l.el.setAttribute('aria-valuetext', `${formatDb(m.peak[ch])} dBFS, hold ${formatDb(m.peakHold[ch])}, ${m.clips[ch]} clipped`);
      if (m.clips[ch] !== l.clips) {
        l.clips = m.clips[ch];
        l.clip.textContent = l.clips > 999 ? '999+' : String(l.clips);
        l.clip.toggleAttribute('data-on', l.clips > 0);
      }
    }
    for (const n of this.numbers) {
      const v = m[n.m];
      n.dd.textContent = n.m === 'truePeak' ? formatDb(Math.max(v[0], v[1])) : n.m === 'range' ? v.toFixed(1) : formatDb(v);
    }
  }
}
