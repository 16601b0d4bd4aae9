// The scope's settings, each stated once: its kind, valid range, default, unit and label. The
// element's attributes and properties, its control bar's sliders and the app page's Display
// panel are all made from this table; `parseSetting` reads an attribute against it.

/**
 * One setting.
 * @typedef {object} Setting
 * @property {'enum'|'number'|'color'|'string'|'boolean'} kind
 * @property {string} label what a person calls it
 * @property {string} doc one line for the reference
 * @property {*} default the value when the attribute is absent or invalid
 * @property {string[]} [values] an enum's values
 * @property {Record<string, string>} [labels] an enum's values as a person reads them
 * @property {number} [min] a number's least valid value
 * @property {number} [max] a number's greatest valid value
 * @property {{ min: number, max: number, step: number }} [slider] a number's slider: the part
 *   of the range a hand wants (typing the attribute reaches the rest)
 * @property {string} [unit] a number's unit
 * @property {boolean} [display] drawn by the renderer (the view gets it; the panels show it)
 */

/** @type {Record<string, Setting>} */
export const SETTINGS = {
  mode: {
    kind: 'enum', values: ['xy', 'ms'], default: 'xy', display: true, label: 'Mode',
    labels: { xy: 'XY (L→x, R→y)', ms: 'M/S goniometer' },
    doc: 'xy: left on x, right on y; ms: the mid/side goniometer (mono is vertical).',
  },
  gain: {
    kind: 'number', min: 0.01, max: 100, default: 1, display: true, label: 'Gain',
    slider: { min: 0.25, max: 8, step: 0.05 },
    doc: 'Linear gain applied before drawing.',
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
    doc: 'Beam colour, any CSS colour that is visible (phosphor green by default).',
  },
  source: {
    kind: 'enum', values: ['microphone', 'none'], default: 'microphone', label: 'Source',
    doc: 'microphone: start() captures it; none: feed the scope with connect(node).',
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
  backend: {
    kind: 'enum', values: ['auto', 'webgpu', 'webgl2'], default: 'auto', label: 'Graphics',
    doc: 'auto: WebGPU when an adapter is really obtained, else WebGL2; read when the element is added.',
  },
};

/** The settings the renderer draws with, in the order a panel lists them. */
export const DISPLAY_SETTINGS = Object.keys(SETTINGS).filter((name) => SETTINGS[name].display);

/** Longest string setting accepted. */
const MAX_STRING = 1024;

/** Attribute `name`'s text (null: absent) read against the table: `{ value, valid }`, where an
 * invalid text gives the default. */
export function parseSetting(name, raw) {
  const spec = SETTINGS[name];
  if (spec.kind === 'boolean') return { value: raw !== null, valid: true };
  if (raw === null) return { value: spec.default, valid: true };
  const text = String(raw).trim();
  const bad = { value: spec.default, valid: false };
  switch (spec.kind) {
    case 'enum': {
      const v = text.toLowerCase();
      return spec.values.includes(v) ? { value: v, valid: true } : bad;
    }
    case 'number': {
      const v = text === '' ? NaN : Number(text);
      return Number.isFinite(v) && v >= spec.min && v <= spec.max ? { value: v, valid: true } : bad;
    }
    case 'color':
      return text !== '' && globalThis.CSS?.supports?.('color', text) ? { value: text, valid: true } : bad;
    default:
      return text.length <= MAX_STRING ? { value: text, valid: true } : bad;
  }
}

/** What a valid value of `name` is, for a warning. */
export function describeSetting(name) {
  const spec = SETTINGS[name];
  if (spec.kind === 'enum') return `one of ${spec.values.join(', ')}`;
  if (spec.kind === 'number') return `a number from ${spec.min} to ${spec.max}${spec.unit ? ` (${spec.unit})` : ''}`;
  if (spec.kind === 'color') return 'a CSS colour';
  return `a string of at most ${MAX_STRING} characters`;
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

let colorProbe = null;
/** A CSS colour as sRGB [r, g, b] from 0 to 1, the renderer's colour model (the canvas
 * resolves it, so every CSS colour syntax the browser knows works). */
export function colorToRgb(color) {
  colorProbe ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  colorProbe.clearRect(0, 0, 1, 1);
  colorProbe.fillStyle = '#000';
  colorProbe.fillStyle = color;
  colorProbe.fillRect(0, 0, 1, 1);
  const [r, g, b] = colorProbe.getImageData(0, 0, 1, 1).data;
  return [r / 255, g / 255, b / 255];
}
