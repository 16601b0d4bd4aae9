// The scope's settings, each stated once: its kind, valid range, default, unit and label. The
// element's attributes and properties, its control bar's sliders and the app page's Display
// panel are all made from this table; `parseSetting` reads an attribute against it.

/**
 * One setting.
 * @typedef {object} Setting
 * @property {'enum'|'number'|'color'|'string'|'boolean'} kind
 * @property {string} label what a person calls it
 * @property {string} doc one line for the reference
 * @property {*} default the value when the attribute is absent (and when it is invalid, unless
 *   `fallback` says otherwise)
 * @property {*} [fallback] the value when the attribute is invalid, where that must differ
 *   from the default (a mistyped source captures nothing)
 * @property {string[]} [values] an enum's values
 * @property {Record<string, string>} [labels] an enum's values as a person reads them
 * @property {Record<string, string>} [short] an enum's values where room is short (the control bar)
 * @property {number} [min] a number's least valid value
 * @property {number} [max] a number's greatest valid value
 * @property {{ min: number, max: number, step: number }} [slider] a number's slider: the part
 *   of the range a hand wants (typing the attribute reaches the rest)
 * @property {string} [unit] a number's unit
 * @property {boolean} [display] drawn by the renderer (the view gets it; the panels show it)
 * @property {string} [property] the element's property for it, where that is not the
 *   attribute's name
 */

/** @type {Record<string, Setting>} */
export const SETTINGS = {
  mode: {
    kind: 'enum', values: ['xy', 'ms', 'polar', 'polar-level'], default: 'xy', display: true, label: 'Mode',
    labels: { xy: 'XY (L→x, R→y)', ms: 'M/S goniometer', polar: 'Polar sample', 'polar-level': 'Polar level' },
    short: { xy: 'XY', ms: 'M/S', polar: 'Polar', 'polar-level': 'Polar level' },
    doc: 'xy: left on x, right on y; ms: the mid/side goniometer (mono is vertical); polar: each sample on a half-disc (angle: stereo position, radius: level); polar-level: rays whose length is the recent level in each direction.',
  },
  upsample: {
    kind: 'enum', values: ['1', '2', '4', '8'], default: '4', display: true, label: 'Upsampling',
    labels: { 1: 'off (x1)', 2: 'x2', 4: 'x4', 8: 'x8' },
    doc: 'Band-limited interpolation for display, so high notes draw as curves rather than polygons: 1 (off), 2, 4 or 8 points per sample.',
  },
  'dc-block': {
    kind: 'boolean', default: false, display: true, label: 'DC block', property: 'dcBlock',
    doc: 'Remove an offset from the trace (a 5 Hz high-pass on what is drawn; the meters measure the signal as it is).',
  },
  swap: {
    kind: 'boolean', default: false, display: true, label: 'Swap L/R',
    doc: 'Draw left as right and right as left.',
  },
  invert: {
    kind: 'enum', values: ['none', 'left', 'right', 'both'], default: 'none', display: true, label: 'Invert',
    labels: { none: 'none', left: 'left', right: 'right', both: 'both' },
    doc: 'Invert the polarity of the left, right or both channels as drawn.',
  },
  'auto-gain': {
    kind: 'boolean', default: false, display: true, label: 'Auto-gain', property: 'autoGain',
    doc: 'Fit the trace to the graticule (-12 to +30 dB, at once when louder, over about a second when quieter); the gain setting trims on top. Never changes the meters.',
  },
  gain: {
    kind: 'number', min: -40, max: 40, default: 0, unit: 'dB', display: true, label: 'Gain',
    slider: { min: -24, max: 24, step: 0.5 },
    doc: 'Gain applied to the trace before drawing, in dB (0: full scale fills the circle; +6 doubles it). Never changes the meters.',
  },
  persistence: {
    kind: 'number', min: 0, max: 10000, default: 60, unit: 'ms', display: true, label: 'Persistence',
    slider: { min: 0, max: 1000, step: 5 },
    doc: 'Phosphor persistence: the time constant of the light\'s decay (0: none).',
  },
  intensity: {
    kind: 'number', min: 0, max: 50, default: 1, display: true, label: 'Intensity',
    slider: { min: 0.1, max: 5, step: 0.05 },
    doc: 'Beam intensity.',
  },
  glow: {
    kind: 'number', min: 0, max: 1, default: 0, display: true, label: 'Glow',
    slider: { min: 0, max: 1, step: 0.05 },
    doc: 'A soft halo around bright parts of the trace: 0 (off) to 1.',
  },
  spot: {
    kind: 'number', min: 0.5, max: 6, default: 1.6, unit: 'px', display: true, label: 'Spot size',
    slider: { min: 0.5, max: 6, step: 0.1 },
    doc: 'The beam spot\'s size (its gaussian\'s sigma) in CSS pixels.',
  },
  color: {
    kind: 'color', default: '#26ff6e', display: true, label: 'Colour',
    doc: 'Beam colour: a CSS colour that stands on its own and gives light (phosphor green by default).',
  },
  source: {
    kind: 'enum', values: ['microphone', 'file', 'tab', 'demo', 'none'], default: 'microphone', fallback: 'none', label: 'Source',
    labels: { microphone: 'Microphone', file: 'Audio file', tab: 'Tab or system audio', demo: 'Demo signal', none: 'None (connect a node)' },
    doc: 'microphone: start() captures it; file: an audio file (Open, a drop on the scope, openFile(file) or the src URL), heard at the volume setting; tab: start() asks which tab (or screen) to share, and scopes its audio; demo: a built-in signal (the demo setting), no permission needed, heard at the volume setting; none: feed the scope with connect(node).',
  },
  demo: {
    kind: 'enum', values: ['lissajous', 'chord', 'phase-sweep'], default: 'lissajous', label: 'Demo',
    labels: { lissajous: 'Turning Lissajous (2:3)', chord: 'Stereo chord', 'phase-sweep': 'Phase sweep (+1 to -1 correlation)' },
    doc: 'The demo signal (with source="demo"): lissajous, a slowly turning 2:3 figure; chord, a chord spread across the stereo field; phase-sweep, two tones whose phase turns once in 8 s (in phase, quadrature, anti-phase: the correlation meter from +1 to -1).',
  },
  src: {
    kind: 'string', default: '', label: 'File URL',
    doc: 'With source="file": the URL of an audio file to play (another site must allow CORS). A file opened or dropped takes its place until src changes.',
  },
  loop: {
    kind: 'boolean', default: false, label: 'Loop',
    doc: 'With source="file": play the file over and over.',
  },
  volume: {
    kind: 'number', min: 0, max: 1, default: 0.5, label: 'Volume',
    slider: { min: 0, max: 1, step: 0.01 },
    doc: 'How loud a file or a demo plays through the speakers, 0 to 1 (the microphone and a tab are never played).',
  },
  muted: {
    kind: 'boolean', default: false, label: 'Mute',
    doc: 'Silence the speakers (the scope and the meters go on).',
  },
  device: {
    kind: 'string', default: '', label: 'Input',
    doc: 'Audio input deviceId (empty: the default input).',
  },
  autostart: {
    kind: 'boolean', default: false, label: 'Autostart',
    doc: 'Start as soon as the element is on the page.',
  },
  controls: {
    kind: 'boolean', default: false, label: 'Controls',
    doc: 'Show the control bar.',
  },
  meters: {
    // `element.meters` is the meters' reading.
    kind: 'boolean', default: false, label: 'Meters', property: 'showMeters',
    doc: 'Show the meter strip beside the scope (below it in a box taller than wide): correlation, balance, width, L/R levels with hold and clips, true peak and loudness.',
  },
  backend: {
    kind: 'enum', values: ['auto', 'webgpu', 'webgl2'], default: 'auto', label: 'Graphics',
    doc: 'auto: WebGPU when an adapter is really obtained, else WebGL2; read when the element is added.',
  },
};

/** The settings the renderer draws with, in the order a panel lists them. */
/** The element's property for setting `name`. */
export function settingProperty(name) {
  return SETTINGS[name].property ?? name;
}

export const DISPLAY_SETTINGS = Object.keys(SETTINGS).filter((name) => SETTINGS[name].display);

/** Longest string setting accepted. */
const MAX_STRING = 1024;

/** A decimal number as an attribute gives it (no hex, no `Infinity`, no empty text). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Attribute `name`'s text (null: absent) read against the table: `{ value, valid }`, where an
 * invalid text gives the setting's fallback (its default unless it has one). */
export function parseSetting(name, raw) {
  const spec = SETTINGS[name];
  if (spec.kind === 'boolean') return { value: raw !== null, valid: true };
  if (raw === null) return { value: spec.default, valid: true };
  const text = String(raw).trim();
  const bad = { value: fallbackOf(name), valid: false };
  switch (spec.kind) {
    case 'enum': {
      const v = text.toLowerCase();
      return spec.values.includes(v) ? { value: v, valid: true } : bad;
    }
    case 'number': {
      const v = DECIMAL.test(text) ? Number(text) : NaN;
      return Number.isFinite(v) && v >= spec.min && v <= spec.max ? { value: v, valid: true } : bad;
    }
    case 'color':
      return colorToRgb(text) ? { value: text, valid: true } : bad;
    default:
      return text.length <= MAX_STRING ? { value: text, valid: true } : bad;
  }
}

function fallbackOf(name) {
  const spec = SETTINGS[name];
  return Object.hasOwn(spec, 'fallback') ? spec.fallback : spec.default;
}

/** What a valid value of `name` is, for a warning. */
export function describeSetting(name) {
  const spec = SETTINGS[name];
  if (spec.kind === 'enum') return `one of ${spec.values.join(', ')}`;
  if (spec.kind === 'number') return `a decimal number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
  if (spec.kind === 'color') {
    return 'a visible CSS colour (not transparent or black, and not one that depends on the page, such as currentcolor or var())';
  }
  return `a string of at most ${MAX_STRING} characters`;
}

/** What an invalid `name` falls back to, for a warning. */
export function describeFallback(name) {
  const value = fallbackOf(name);
  return value === SETTINGS[name].default ? `the default ${JSON.stringify(value)}` : JSON.stringify(value);
}

/** Longest part of a bad value a warning quotes. */
const QUOTE_CHARS = 80;

/** A bad value as a warning quotes it: at most QUOTE_CHARS characters. */
export function quoteValue(raw) {
  const text = String(raw);
  return text.length <= QUOTE_CHARS ? text : `${text.slice(0, QUOTE_CHARS - 1)}…`;
}

/** A range input for number setting `name`, its bounds from the table's slider. */
export function sliderFor(name, input = document.createElement('input')) {
  const { slider, default: value } = SETTINGS[name];
  input.type = 'range';
  input.min = String(slider.min);
  input.max = String(slider.max);
  input.step = String(slider.step);
  input.value = String(value);
  return input;
}

/** The least light a beam colour must give: its brightest channel, drawn on black, in 0..255
 * (transparent, black and colours within a few steps of black draw nothing one can see). */
const MIN_LIGHT = 16;

/** Colour syntax that takes its value from the page or the element, which a beam colour
 * cannot follow: rejected rather than drawn as something unexpected. */
const CONTEXTUAL = /currentcolor|\b(inherit|initial|unset|revert|revert-layer)\b|(var|env|attr|light-dark)\(/i;

let colorProbe = null;
/** A CSS colour as sRGB [r, g, b] from 0 to 1, the renderer's colour model (the canvas
 * resolves it, so every CSS colour syntax the browser knows works); null when it is not a
 * colour that stands on its own or gives no visible light (see MIN_LIGHT). */
export function colorToRgb(color) {
  const text = String(color).trim();
  if (text === '' || text.length > MAX_STRING || CONTEXTUAL.test(text)) return null;
  if (!globalThis.CSS?.supports?.('color', text)) return null;
  colorProbe ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  colorProbe.clearRect(0, 0, 1, 1);
  colorProbe.fillStyle = '#000';
  colorProbe.fillRect(0, 0, 1, 1);
  colorProbe.fillStyle = text;
  colorProbe.fillRect(0, 0, 1, 1);
  const [r, g, b] = colorProbe.getImageData(0, 0, 1, 1).data;
  if (Math.max(r, g, b) < MIN_LIGHT) return null;
  return [r / 255, g / 255, b / 255];
}
