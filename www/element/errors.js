// Every failure the scope can report, by stable code, in plain words: the one table the element,
// its audio and picture, and the app page all read. A code is what a program tests
// (`error.code`, `scope-error`'s `detail.code`); the text is what a person reads.

/** Plain-language text for every code. */
export const ERROR_TEXT = {
  // Audio input.
  'permission-denied':
    'Microphone access was denied. Allow it for this site (the camera/microphone icon in the ' +
    'address bar) and press Start again.',
  'no-device': 'No microphone or audio input was found. Plug one in and press Start again.',
  'device-busy':
    'The audio input is busy or unavailable: another program may be using it exclusively, or ' +
    'the operating system blocked it.',
  overconstrained: 'The chosen input cannot provide what was asked for. Choose another input.',
  'device-lost': 'The audio input was disconnected. Plug it back in or choose another, then press Start.',
  'tab-refused': 'Sharing was cancelled or refused. Press Start and choose a tab (or a screen) to share.',
  'tab-no-audio':
    'The shared tab or screen brings no audio. Press Start again, choose a tab and tick "Share tab ' +
    'audio" (or "Share system audio").',
  'tab-needs-click': 'The browser shares a tab only after a click: press Start.',
  'tab-unsupported': 'This browser cannot share a tab\'s audio (no getDisplayMedia with audio). Use a current Chrome or Edge.',
  'tab-failed': 'The tab or screen could not be captured.',
  'tab-ended': 'Sharing stopped. Press Start to share a tab again.',
  'media-failed': 'The audio file could not be played.',
  'no-file': 'No file is chosen: press Open (or drop an audio file on the scope), or set src to a URL.',
  'file-unsupported': 'This browser cannot decode that file. Try WAV, MP3, OGG, FLAC or M4A.',
  'file-not-found': 'The file was not found at that address.',
  'file-cors':
    'The file is on another site that does not allow reading its sound (no CORS headers), so the ' +
    'browser would give silence. Download it and open it here, or serve it with ' +
    'Access-Control-Allow-Origin.',
  'file-failed': 'The file could not be played.',
  unsupported: 'This browser cannot capture audio (no navigator.mediaDevices).',
  'no-source': 'The source is "none": connect an AudioNode with connect(node) to scope it.',
  'not-a-node': 'connect() takes an AudioNode (an oscillator, a media element source, a gain node…).',
  'context-closed': 'The node\'s AudioContext is closed, so it delivers no sound. Connect a node of a running context.',
  'offline-context':
    'The node belongs to an OfflineAudioContext, which renders to a buffer and never plays in ' +
    'real time. Connect a node of an AudioContext.',
  // The audio thread.
  'context-suspended': 'The browser paused audio until you interact with the page. Click to resume.',
  'worklet-crashed': 'The audio processor stopped after an error. Press Start to restart it.',
  'no-audioworklet':
    'This browser has no AudioWorklet, which vectorscope needs to read audio on the audio ' +
    'thread. Use a current Chrome, Edge, Firefox or Safari.',
  // The page.
  'insecure-context':
    'This page is not served securely (https://, or http:// on localhost), so the browser ' +
    'offers no microphone.',
  'mono-input':
    'This input delivers one channel. Left and right are the same, so the trace is a line (the ' +
    'diagonal in XY, upright in M/S); choose a stereo input, or another source, to see a stereo field.',
  'not-isolated':
    'Not cross-origin isolated: audio arrives over a message port (fallback). Serve the page ' +
    'with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
    'require-corp for the shared-memory ring.',
  'no-shared-memory':
    'This browser offers no SharedArrayBuffer, although the page is cross-origin isolated: audio ' +
    'arrives over a message port (fallback). The headers are right; the browser lacks the ' +
    'feature (WebKitGTK, for one). The scope works the same, with one more copy per block.',
  'wasm-failed':
    'The WebAssembly module failed to load. Check that pkg/ is served beside vector-scope.js, ' +
    'or set vectorscopeConfig.assetsUrl to where it is.',
  'assets-missing':
    'The audio worklet could not be loaded. Check that worklet/ and pkg/ are served beside ' +
    'vector-scope.js, or set vectorscopeConfig.assetsUrl to where they are.',
  // Drawing.
  'no-gpu':
    'Neither WebGPU nor WebGL2 could be started, so nothing can be drawn. Enable hardware ' +
    'acceleration in the browser settings, or try another browser.',
  'gpu-lost': 'The graphics device was lost; the scope is being rebuilt.',
  // The element.
  removed: 'The element was removed from the page.',
  cancelled: 'The start was cancelled by a stop (or a disconnect) before it finished.',
  'record-not-running': 'Start the scope first: a recording takes what the scope draws and plays.',
  'record-unsupported': 'This browser cannot record video (no MediaRecorder, or no format it can record).',
  'record-failed': 'The recording failed.',
  'snapshot-failed': 'The snapshot could not be made.',
  'no-area': 'The scope has no area on the page (hidden, or display: none), so there is no picture to snapshot.',
  'start-failed': 'The scope could not start.',
  'fullscreen-failed': 'Full screen was refused.',
  unknown: 'Something went wrong.',
};

/** Codes that are notices (the scope works, in a lesser way), never errors. */
export const NOTICE_CODES = new Set(['not-isolated', 'no-shared-memory', 'mono-input']);

/** A failure with a stable `code` (a key of ERROR_TEXT) and an optional detail (appended to
 * the text in parentheses). */
export class ScopeError extends Error {
  constructor(code, detail) {
    const known = Object.hasOwn(ERROR_TEXT, code);
    super(ERROR_TEXT[known ? code : 'unknown'] + (detail ? ` (${detail})` : ''));
    this.name = 'ScopeError';
    this.code = known ? code : 'unknown';
    this.detail = detail ? String(detail) : '';
  }
}

/** Any thrown value as a ScopeError: one already is; another with a known `code` keeps it;
 * anything else becomes `fallback` with the original message as its detail. */
export function toScopeError(e, fallback = 'unknown') {
  if (e instanceof ScopeError) return e;
  if (e?.code && Object.hasOwn(ERROR_TEXT, e.code)) return new ScopeError(e.code, e.message);
  return new ScopeError(fallback, String(e?.message ?? e));
}
