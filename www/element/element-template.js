// The <vector-scope> element's shadow DOM: its style and markup, cloned once per element. The
// meter strip and the file transport bring their own parts.

import { METER_STRIP_CSS, METER_STRIP_HTML, TALL_BOX, WIDE_BOX } from './meter-strip.js';
import { FILE_TRANSPORT_CSS, FILE_TRANSPORT_HTML } from './file-transport.js';

/** A CSS mask image of a 16x16 icon drawn by SVG `shapes` (strokes 2 wide, or filled). */
function icon(shapes) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="none" stroke="#000" stroke-width="2">${shapes}</svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/** The icons the control bar's buttons show instead of their words where it is narrow. */
const ICONS = {
  open: icon('<path d="M1 3h5l2 2h7v8H1z"/>'),
  play: icon('<path d="M4 2l10 6-10 6z" fill="#000" stroke="none"/>'),
  pause: icon('<path d="M3 2h4v12H3zM9 2h4v12H9z" fill="#000" stroke="none"/>'),
  record: icon('<circle cx="8" cy="8" r="6" fill="#000" stroke="none"/>'),
  stop: icon('<path d="M3 3h10v10H3z" fill="#000" stroke="none"/>'),
  snapshot: icon('<path d="M1 5h3l2-2h4l2 2h3v8H1z"/><circle cx="8" cy="9" r="2.5"/>'),
};

/** The element's shadow tree. */
export const TEMPLATE = document.createElement('template');
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
    /* The layout follows the shape of the element's own box (TALL_BOX, WIDE_BOX). */
    container: vector-scope / size;
  }
  :host([hidden]) { display: none; }
  :host(:fullscreen) { aspect-ratio: auto; width: 100vw; height: 100vh; }
  /* In a portrait viewport an element with a control bar is a little taller than wide by default,
     so the bar goes above the picture (TALL_BOX) rather than over it. */
  @media (orientation: portrait) {
    :host([controls]) { aspect-ratio: 5 / 6; }
  }
  /* The bar, the picture and the meter strip: the strip beside the picture and the bar over it
     (WIDE_BOX), or the three stacked (TALL_BOX). */
  .frame { position: absolute; inset: 0; }
  .stage { position: absolute; inset: 0; container-type: size; }
  .scope-canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
  /* The scope is drawn in the stage's largest centred square: the labels keep to that square. */
  .scope-labels { position: absolute; inset: 0; margin: auto; width: min(100cqw, 100cqh); height: min(100cqw, 100cqh);
    pointer-events: none; font-weight: 600; font-size: 12px; line-height: 1; color: var(--vector-scope-label, #8a9aa3); }
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
  .scope-over[hidden], .scope-auto-gain[hidden], .recording[hidden] { display: none; }
  .recording { position: absolute; left: 50%; top: 6px; transform: translateX(-50%); padding: 1px 6px; border-radius: 3px; font-size: 10px;
    font-weight: 700; pointer-events: none; font-variant-numeric: tabular-nums; background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72));
    color: var(--vector-scope-over, #ff5252); }
  .scope-auto-gain { position: absolute; right: 6px; top: 24px; padding: 1px 5px; border-radius: 3px; font-size: 10px; font-weight: 600;
    pointer-events: none; font-variant-numeric: tabular-nums; background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72));
    color: var(--vector-scope-label, #8a9aa3); }
  .bar { position: absolute; z-index: 1; left: 6px; right: 6px; bottom: 6px; display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center;
    padding: 4px 6px; border-radius: 6px; font-size: 12px; background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72)); }
  /* While running, the notice and the bar over the picture keep off the trace: they fade out
     while the pointer is away (as video players do) and stay while a control has keyboard focus.
     A bar above the picture (TALL_BOX) stays. */
  .bar, .notice { transition: opacity 0.25s; }
  @media (hover: hover) {
    :host([data-state="running"]:not(:hover):not(:focus-within)) .notice { opacity: 0; }
    ${WIDE_BOX} {
      :host([data-state="running"]:not(:hover):not(:focus-within)) .bar { opacity: 0; }
    }
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
  /* A narrow bar (a phone's width): Open, Play, Rec and PNG show icons (their accessible names
     stay), the gaps close up, the seek bar takes what the rest leaves (36 px to 7em) and the
     input list gives way, so that the bar with a file's transport keeps to one row from about
     320 px. The bar is a container for its own width (beside the strip it is narrower than the
     element); its own gaps follow the element's width. */
  .bar { container: bar / inline-size; }
  @container vector-scope (width < 480px) {
    .bar { gap: 4px; padding: 4px; }
  }
  @container bar (width < 440px) {
    .bar button { padding: 2px 5px; }
    .bar :is(.open, .play, .record, .snapshot) { font-size: 0; }
    .bar :is(.open, .play, .record, .snapshot)::before { content: ""; display: inline-block; width: 14px; height: 14px; vertical-align: -2px;
      background: currentColor; -webkit-mask: var(--icon) center / contain no-repeat; mask: var(--icon) center / contain no-repeat; }
    .open { --icon: ${ICONS.open}; }
    .play { --icon: ${ICONS.play}; }
    .play[aria-pressed="true"] { --icon: ${ICONS.pause}; }
    .record { --icon: ${ICONS.record}; color: var(--vector-scope-over, #ff5252); }
    .record[aria-pressed="true"] { --icon: ${ICONS.stop}; }
    .snapshot { --icon: ${ICONS.snapshot}; }
    select.device { flex: 0 1 12em; min-width: 5em; }
    .bar .file .seek { width: clamp(36px, 100cqw - 276px, 7em); }
    .file .time { font-size: 11px; }
  }
  .notice { position: absolute; left: 6px; top: 6px; box-sizing: border-box; max-width: calc(50% - 24px); font-size: 11px; padding: 2px 6px; border-radius: 4px;
    background: var(--vector-scope-panel, rgba(8, 12, 14, 0.72)); color: var(--vector-scope-notice, #e0c36a); }
  .message { position: absolute; left: 10%; right: 10%; top: 40%; padding: 10px 12px; border-radius: 6px;
    background: var(--vector-scope-error-background, rgba(60, 12, 12, 0.9)); color: var(--vector-scope-error, #ffd7d7); }
  .message button { margin-left: 8px; }
  .status { position: absolute; inset: 0; display: grid; place-items: center; color: var(--vector-scope-label, #8a9aa3); }
  .stage > :is(.status, .notice, .recording, .message) { z-index: 1; }
  /* Taller than wide: the bar on top, then the picture with the meter strip below it (its own
     rules in meter-strip.js): the picture a square as wide as the element where the height
     allows, else what the bar and the strip leave; the two centred in the height to spare.
     Without meters the picture takes all that the bar leaves. */
  ${TALL_BOX} {
    .frame { display: grid; grid-template-columns: minmax(0, 1fr);
      grid-template-rows: auto minmax(0, 1fr) minmax(0, 100cqw) min-content minmax(0, 1fr); }
    :host(:not([meters])) .frame { grid-template-rows: auto 0 minmax(0, 1fr) 0 0; }
    .bar { position: static; grid-row: 1; border-radius: 0; border-bottom: 1px solid var(--vector-scope-line, #33434a); }
    .stage { position: relative; inset: auto; grid-row: 3; }
  }
${METER_STRIP_CSS}
${FILE_TRANSPORT_CSS}
  :host([data-drop]) { outline: 2px dashed var(--vector-scope-label, #8a9aa3); outline-offset: -6px; }
</style>
<div class="frame">
  <div class="bar" id="controls" part="controls" role="toolbar" aria-label="Scope controls" hidden>
    <button class="start" id="start" part="button start-button" type="button" aria-pressed="false">Start</button>
    <select class="source" part="select source" aria-label="Source"></select>
    <select class="device" id="device" part="select device" aria-label="Audio input"><option value="">Default input</option></select>
    <select class="demo" part="select demo" aria-label="Demo signal" hidden></select>${FILE_TRANSPORT_HTML}
    <button class="mute" part="button mute-button" type="button" aria-pressed="false" hidden>Mute</button>
    <select class="mode" part="select mode" aria-label="Display mode"></select>
    <label part="label gain-label">Gain <input class="gain" part="range gain" aria-label="Gain in dB"></label>
    <label part="label persistence-label">Persistence <input class="persistence" part="range persistence" aria-label="Persistence in milliseconds"></label>
    <span class="spacer"></span>
    <button class="record" part="button record-button" type="button" aria-label="Record video" aria-pressed="false" title="Record a video of the scope with its sound">Rec</button>
    <button class="snapshot" part="button snapshot-button" type="button" aria-label="Save a PNG snapshot" title="Save a PNG snapshot">PNG</button>
    <button class="fullscreen" part="button fullscreen-button" type="button" aria-label="Full screen" title="Full screen"><svg viewBox="0 0 16 16" aria-hidden="true"><path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4"/></svg></button>
  </div>
  <div class="stage" part="stage">
    <div class="status" part="status" role="status">Loading…</div>
    <div class="notice" part="notice" role="note" hidden></div>
    <div class="recording" part="recording" role="status" hidden></div>
    <div class="message" id="audio-error" part="error" role="alert" hidden></div>
  </div>
  ${METER_STRIP_HTML}
</div>
`;
