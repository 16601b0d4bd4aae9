// The meter strip painted into a 2D canvas beside the scope's picture, for a video recording
// (the strip itself is HTML, which a canvas stream cannot carry): the same bars and numbers as
// meter-strip.js, from the same reading, laid out for the strip's width.

import { fraction, formatDb } from './meter-strip.js';

const COLOUR = {
  background: '#000',
  line: '#33434a',
  label: '#8a9aa3',
  text: '#cfd8dc',
  track: '#1b2327',
  negative: '#4a2020',
  accent: '#26ff6e',
  peak: '#cfd8dc',
  hold: '#ffd54f',
  clip: '#d32f2f',
};

/** The strip's width for a picture `height` pixels high. */
export function stripWidth(height) {
  return Math.max(90, Math.round(height * 0.3));
}

/** Paints the strip for meter reading `m` (element.meters) into `g` at x, 0, `w` x `h`. */
export function paintMeters(g, x, w, h, m) {
  const pad = Math.round(w * 0.07);
  const font = Math.max(10, Math.round(h * 0.028));
  g.fillStyle = COLOUR.background;
  g.fillRect(x, 0, w, h);
  g.fillStyle = COLOUR.line;
  g.fillRect(x, 0, Math.max(1, Math.round(font / 10)), h);
  g.font = `${font}px system-ui, sans-serif`;
  g.textBaseline = 'middle';
  const left = x + pad;
  const inner = w - 2 * pad;
  let y = pad;
  // Correlation, balance (-1..+1 from the centre) and width (0..1).
  for (const [name, key, centred] of [['Corr', 'correlation', true], ['Bal', 'balance', true], ['Width', 'width', false]]) {
    const v = m[key];
    g.fillStyle = COLOUR.label;
    g.textAlign = 'left';
    g.fillText(name, left, y + font / 2);
    g.fillStyle = COLOUR.text;
    g.textAlign = 'right';
    g.fillText(v.toFixed(2), left + inner, y + font / 2);
    y += font * 1.3;
    const barH = Math.max(4, Math.round(font * 0.5));
    g.fillStyle = COLOUR.track;
    g.fillRect(left, y, inner, barH);
    if (centred) {
      g.fillStyle = COLOUR.negative;
      g.fillRect(left, y, inner / 2, barH);
    }
    g.fillStyle = key === 'correlation' && v < 0 ? COLOUR.clip : COLOUR.accent;
    if (centred) {
      const from = left + inner / 2;
      const to = from + (v * inner) / 2;
      g.fillRect(Math.min(from, to), y, Math.abs(to - from), barH);
    } else {
      g.fillRect(left, y, inner * Math.min(1, Math.max(0, v)), barH);
    }
    y += barH + font * 0.8;
  }
  // Left and right levels: RMS filled, the peak as a line, the hold as a tick; clips above.
  const numbersH = font * 1.35 * 5;
  const top = y + font * 1.4;
  const bottom = h - pad - numbersH - font * 1.6;
  const barW = Math.round(inner * 0.28);
  for (const ch of [0, 1]) {
    const bx = left + (ch === 0 ? inner * 0.14 : inner * 0.58);
    const height = Math.max(0, bottom - top);
    g.fillStyle = m.clips[ch] > 0 ? COLOUR.clip : COLOUR.label;
    g.textAlign = 'center';
    g.fillText(String(m.clips[ch]), bx + barW / 2, y + font * 0.6);
    g.fillStyle = COLOUR.track;
    g.fillRect(bx, top, barW, height);
    const at = (db) => bottom - fraction(db) * height;
    g.fillStyle = COLOUR.accent;
    g.fillRect(bx, at(m.rms[ch]), barW, bottom - at(m.rms[ch]));
    g.fillStyle = COLOUR.peak;
    g.fillRect(bx, at(m.peak[ch]) - 1, barW, 2);
    g.fillStyle = COLOUR.hold;
    g.fillRect(bx, at(m.peakHold[ch]) - 1, barW, 2);
    g.fillStyle = COLOUR.label;
    g.fillText(ch === 0 ? 'L' : 'R', bx + barW / 2, bottom + font * 0.9);
  }
  // True peak and loudness.
  y = h - pad - numbersH;
  const numbers = [
    ['TP', Math.max(m.truePeak[0], m.truePeak[1])],
    ['M', m.momentary],
    ['S', m.shortTerm],
    ['I', m.integrated],
    ['LRA', m.range],
  ];
  for (const [name, v] of numbers) {
    g.fillStyle = COLOUR.label;
    g.textAlign = 'left';
    g.fillText(name, left, y + font / 2);
    g.fillStyle = COLOUR.text;
    g.textAlign = 'right';
    g.fillText(formatDb(v), left + inner, y + font / 2);
    y += font * 1.35;
  }
}
