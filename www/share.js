// The app page's shareable settings: every display setting, the meters, and the source when a
// link can reproduce it (a demo, or a file at a URL), written to the page's query string and
// remembered in localStorage, and the named presets. All of it is derived from the one settings
// table (settings.js), so the URL, the element's attributes and the panels cannot drift.

import { SETTINGS, DISPLAY_SETTINGS, parseSetting, describeSetting, describeFallback, quoteValue, settingProperty } from './element/settings.js';

/** The settings a link carries, in the order the query string lists them. */
export const SHARED = ['source', 'demo', 'src', ...DISPLAY_SETTINGS, 'meters'];

/** Where the app's defaults differ from the element's: the app shows the meters. */
const APP_DEFAULTS = { meters: true };

/** Setting `name`'s value on the app page when nothing says otherwise. */
export function appDefault(name) {
  return Object.hasOwn(APP_DEFAULTS, name) ? APP_DEFAULTS[name] : SETTINGS[name].default;
}

/** Every shared setting at its app default. */
export function defaults() {
  return Object.fromEntries(SHARED.map((name) => [name, appDefault(name)]));
}

/** How a boolean is written in a link ("1", "0"), and what reading one accepts. */
const TRUE = ['', '1', 'true', 'on', 'yes'];
const FALSE = ['0', 'false', 'off', 'no'];

/** A query parameter's text read against the table: `{ value, valid }`. Booleans are written
 * 1 or 0 (the attribute form, present or absent, cannot say "off" where the app's default is
 * on); everything else is the attribute's text, read by parseSetting. */
export function parseParam(name, text) {
  if (SETTINGS[name].kind === 'boolean') {
    const t = String(text).trim().toLowerCase();
    if (TRUE.includes(t)) return { value: true, valid: true };
    if (FALSE.includes(t)) return { value: false, valid: true };
    return { value: appDefault(name), valid: false };
  }
  const parsed = parseSetting(name, text);
  return parsed.valid ? parsed : { value: parsed.value, valid: false };
}

/** A value as a link writes it. */
function formatParam(name, value) {
  if (SETTINGS[name].kind === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Whether two values of `name` are the same setting (colours case-insensitively). */
function same(name, a, b) {
  if (SETTINGS[name].kind === 'color') return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
  return a === b;
}

/** The shared settings in `search` (a query string): `{ values, found }`, `found` false when it
 * names none of them (then the remembered settings apply). A malformed parameter gives the
 * default, with one console warning that quotes it. */
export function readQuery(search, warn = console.warn) {
  const params = new URLSearchParams(search);
  const values = defaults();
  let found = false;
  for (const name of SHARED) {
    if (!params.has(name)) continue;
    found = true;
    const raw = params.get(name);
    const { value, valid } = parseParam(name, raw);
    if (valid) {
      values[name] = value;
    } else {
      const expected = SETTINGS[name].kind === 'boolean' ? '1 or 0' : describeSetting(name);
      const fallback = SETTINGS[name].kind === 'boolean' ? `the default ${formatParam(name, value)}` : describeFallback(name);
      warn(`vectorscope: the link's ${name}="${quoteValue(raw)}" is not ${expected}; using ${fallback}.`);
      values[name] = value;
    }
  }
  return { values, found };
}

/** Whether a link can reproduce `values`' source: a demo, or a file at a URL (the microphone, a
 * tab and a file opened from disk are the visitor's own, so a link leaves them out). */
function sourceShared(values) {
  return values.source === 'demo' || (values.source === 'file' && values.src !== '');
}

/** The query string for `values`, keeping the parameters of `search` that are not settings
 * (`backend`). Settings at their defaults are left out, but `mode` is always written, so a link
 * always says it carries the view (the remembered settings then do not apply). */
export function writeQuery(values, search = '') {
  const params = new URLSearchParams(search);
  for (const name of SHARED) params.delete(name);
  const shareSource = sourceShared(values);
  for (const name of SHARED) {
    if (name === 'source' && !shareSource) continue;
    if (name === 'demo' && values.source !== 'demo') continue;
    if (name === 'src' && !(shareSource && values.source === 'file')) continue;
    if (name !== 'mode' && name !== 'source' && same(name, values[name], appDefault(name))) continue;
    params.set(name, formatParam(name, values[name]));
  }
  return params.toString();
}

/** The shared settings as `scope` (a <vector-scope>) has them. */
export function readScope(scope) {
  return Object.fromEntries(SHARED.map((name) => [name, scope[settingProperty(name)]]));
}

/** Sets `values` (all or some shared settings) on `scope`. Only changed values are written, so
 * nothing restarts that need not. */
export function applyToScope(scope, values) {
  for (const [name, value] of Object.entries(values)) {
    const property = settingProperty(name);
    if (!same(name, scope[property], value)) scope[property] = value;
  }
}

// ---- remembered between visits ----

const STORAGE_KEY = 'vectorscope.settings';

/** The remembered shared settings (valid ones only), or null. */
export function loadStored(storage = globalThis.localStorage) {
  let stored;
  try {
    stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return null;
  }
  if (!stored || typeof stored !== 'object') return null;
  const values = defaults();
  for (const name of SHARED) {
    if (!Object.hasOwn(stored, name)) continue;
    const { value, valid } = parseParam(name, formatParam(name, stored[name]));
    if (valid) values[name] = value;
  }
  return values;
}

/** Remembers `values` (quietly does nothing where storage is refused). */
export function store(values, storage = globalThis.localStorage) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(values));
  } catch {
    // private mode, full, or disabled: the settings are simply not remembered
  }
}

/** A small value the app keeps for itself (a panel folded or not), by key. */
export function loadPref(key, fallback) {
  try {
    const v = globalThis.localStorage?.getItem(`vectorscope.${key}`);
    return v === null || v === undefined ? fallback : JSON.parse(v);
  } catch {
    return fallback;
  }
}

export function storePref(key, value) {
  try {
    globalThis.localStorage?.setItem(`vectorscope.${key}`, JSON.stringify(value));
  } catch {
    // not remembered
  }
}

// ---- presets ----

/** Named looks: each sets every display setting and the meters (the rest at their defaults);
 * the source is left as it is. */
export const PRESETS = {
  default: { label: 'Default', values: {} },
  'mix-check': {
    label: 'Mix check',
    // M/S (mono vertical, width sideways), the meters, a modest persistence, the offset removed.
    values: { mode: 'ms', meters: true, persistence: 150, 'dc-block': true },
  },
  'oscilloscope-music': {
    label: 'Oscilloscope music',
    // XY, drawn smooth (x8), a glow and a long afterglow, the whole window for the picture.
    values: { mode: 'xy', upsample: '8', glow: 0.6, persistence: 1200, intensity: 1.5, spot: 1.2, meters: false },
  },
};

/** The display settings and meters a preset sets. */
export const PRESET_SETTINGS = [...DISPLAY_SETTINGS, 'meters'];

/** Preset `id`'s full set of values (every display setting and the meters). */
export function presetValues(id) {
  const preset = PRESETS[id];
  return Object.fromEntries(PRESET_SETTINGS.map((name) => [name, Object.hasOwn(preset.values, name) ? preset.values[name] : appDefault(name)]));
}

/** The preset `values` match, or null. */
export function matchPreset(values) {
  for (const id of Object.keys(PRESETS)) {
    const want = presetValues(id);
    if (PRESET_SETTINGS.every((name) => same(name, values[name], want[name]))) return id;
  }
  return null;
}

// Every preset value must be one the table accepts (a range changed there shows up here).
for (const [id, { values }] of Object.entries(PRESETS)) {
  for (const [name, value] of Object.entries(values)) {
    if (!parseParam(name, formatParam(name, value)).valid) console.error(`vectorscope: preset ${id}'s ${name}=${value} is out of range`);
  }
}
