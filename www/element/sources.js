// Sources: what feeds a scope. Each is a small object
//
//   { kind, context?, open(context, { signal, onLost }) -> Promise<{ node, stop, stream?, grantedAt? }> }
//
// `open` makes the source's AudioNode in `context` (or in its own `context`, when it has one:
// a caller's node) and returns it with `stop`, which releases everything it opened (tracks
// ended, media paused, nodes disconnected). When `signal` is aborted while `open` waits (a
// permission prompt, a file loading), `open` releases what it had and rejects with the
// signal's reason, so a cancelled start never leaves a microphone on. `onLost` is called if
// the source ends by itself (an unplugged input). A source that is heard (a demo, a file)
// also returns `monitor`, the GainNode between it and the speakers, whose gain is the
// element's volume. ScopeAudio (audio.js) plays whichever it is given; file and tab sources
// come the same way.

import { ScopeError } from './errors.js';

/** Rejects with the signal's reason if it was aborted. */
function checkSignal(signal) {
  if (signal?.aborted) throw signal.reason ?? new ScopeError('cancelled');
}

/** A captured `stream`'s audio `tracks` as a source node in `context`: `{ node, stream, stop }`,
 * where `stop` ends every track of the stream. If `signal` was aborted meanwhile, the stream is
 * ended and this throws the signal's reason; a track ending by itself calls `onLost` with the
 * code `lost` (an unplugged input, a share stopped from the browser's bar). */
function scopeStream(context, stream, tracks, { signal, onLost, lost }) {
  const end = () => {
    for (const t of stream.getTracks()) t.stop();
  };
  try {
    checkSignal(signal);
    const node = context.createMediaStreamSource(new MediaStream(tracks));
    let stopped = false;
    for (const track of tracks) {
      track.addEventListener('ended', () => {
        if (!stopped) onLost?.(new ScopeError(lost));
      });
    }
    return {
      node,
      stream,
      stop() {
        stopped = true;
        node.disconnect();
        end();
      },
    };
  } catch (e) {
    end();
    throw e;
  }
}

/** Maps a getUserMedia rejection to a ScopeError. */
export function microphoneError(e) {
  if (e instanceof ScopeError) return e;
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new ScopeError('permission-denied');
    case 'NotFoundError':
      return new ScopeError('no-device');
    case 'NotReadableError':
    case 'AbortError':
      return new ScopeError('device-busy', e.message);
    case 'OverconstrainedError':
      return new ScopeError('overconstrained', e.constraint);
    default:
      return new ScopeError('device-busy', String(e?.message ?? e));
  }
}

/** The constraints that keep the signal untouched: processing off (it forces mono and alters
 * the signal), two channels asked for. */
export function microphoneConstraints(deviceId) {
  const audio = {
    channelCount: { ideal: 2 },
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
  };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return { audio, video: false };
}

/** The microphone (or input `deviceId`) in stereo with all processing off. Never routed to
 * the speakers. */
export function microphone(deviceId) {
  return {
    kind: 'microphone',
    async open(context, { signal, onLost } = {}) {
      if (!window.isSecureContext) throw new ScopeError('insecure-context');
      if (!navigator.mediaDevices?.getUserMedia) throw new ScopeError('unsupported');
      checkSignal(signal);
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia(microphoneConstraints(deviceId));
      } catch (e) {
        throw microphoneError(e);
      }
      const grantedAt = performance.now();
      return { ...scopeStream(context, stream, stream.getAudioTracks(), { signal, onLost, lost: 'device-lost' }), grantedAt };
    },
  };
}

/** Maps a getDisplayMedia rejection to a ScopeError. */
export function tabError(e) {
  if (e instanceof ScopeError) return e;
  switch (e?.name) {
    case 'NotAllowedError':
    case 'AbortError':
      return new ScopeError('tab-refused');
    case 'InvalidStateError':
      return new ScopeError('tab-needs-click');
    case 'NotFoundError':
    case 'NotReadableError':
      return new ScopeError('tab-failed', e.message);
    case 'TypeError':
    case 'NotSupportedError':
      return new ScopeError('tab-unsupported', e.message);
    default:
      return new ScopeError('tab-failed', String(e?.message ?? e));
  }
}

/** What getDisplayMedia is asked for: a tab (or the system's audio, where the browser offers
 * it) with its audio in stereo and all processing off. Video must be asked for; it is stopped
 * as soon as the stream arrives. */
export const TAB_CONSTRAINTS = {
  video: true,
  audio: {
    channelCount: { ideal: 2 },
    echoCancellation: false,
    noiseSuppression: false,
    autoGainControl: false,
    suppressLocalAudioPlayback: false,
  },
  systemAudio: 'include',
  selfBrowserSurface: 'include',
  surfaceSwitching: 'include',
};

/** A browser tab's audio, or the system's where the browser offers it (getDisplayMedia). The
 * picture is never kept: its track is stopped at once. Not routed to the speakers (the tab
 * still plays itself). The user ending the share ("Stop sharing") stops the scope with
 * `tab-ended`. */
export function tab() {
  return {
    kind: 'tab',
    async open(context, { signal, onLost } = {}) {
      if (!window.isSecureContext) throw new ScopeError('insecure-context');
      if (!navigator.mediaDevices?.getDisplayMedia) throw new ScopeError('tab-unsupported');
      checkSignal(signal);
      let stream;
      try {
        stream = await navigator.mediaDevices.getDisplayMedia(TAB_CONSTRAINTS);
      } catch (e) {
        throw tabError(e);
      }
      for (const t of stream.getVideoTracks()) t.stop();
      const tracks = stream.getAudioTracks();
      if (tracks.length === 0) {
        for (const t of stream.getTracks()) t.stop();
        throw new ScopeError('tab-no-audio');
      }
      return scopeStream(context, stream, tracks, { signal, onLost, lost: 'tab-ended' });
    },
  };
}

/** A URL (played in a new looping audio element) or an existing media element; it is also
 * heard. */
export function media(urlOrElement) {
  return {
    kind: 'media',
    async open(context, { signal } = {}) {
      checkSignal(signal);
      const owned = typeof urlOrElement === 'string';
      const element = owned ? new Audio() : urlOrElement;
      if (owned) {
        element.crossOrigin = 'anonymous';
        element.loop = true;
        element.src = urlOrElement;
      }
      const node = context.createMediaElementSource(element);
      node.connect(context.destination);
      const stop = () => {
        element.pause();
        node.disconnect();
        if (owned) element.removeAttribute('src');
      };
      try {
        await element.play();
        checkSignal(signal);
      } catch (e) {
        stop();
        throw e instanceof ScopeError ? e : new ScopeError('media-failed', e?.message);
      }
      return { node, stop };
    },
  };
}

/** Why `node` cannot be scoped (a ScopeError: `not-a-node`, `context-closed`,
 * `offline-context`), or null when it can. */
export function nodeProblem(node) {
  if (typeof AudioNode !== 'function' || !(node instanceof AudioNode)) {
    const what = node === null ? 'null' : Array.isArray(node) ? 'an array' : typeof node;
    return new ScopeError('not-a-node', `got ${what}`);
  }
  if (typeof OfflineAudioContext === 'function' && node.context instanceof OfflineAudioContext) {
    return new ScopeError('offline-context');
  }
  if (node.context.state === 'closed') return new ScopeError('context-closed');
  return null;
}

/** Any AudioNode, in its own context (the caller's, or the scope's `audioContext`). Stopping
 * only disconnects it from the scope: the caller's graph keeps playing, and a context that is
 * the caller's is never suspended. */
export function audioNode(node) {
  const problem = nodeProblem(node);
  if (problem) throw problem;
  return {
    kind: 'node',
    context: node.context,
    async open(context, { signal } = {}) {
      const again = nodeProblem(node);
      if (again) throw again;
      checkSignal(signal);
      // ScopeAudio connects it to the scope's input and undoes only that connection.
      return { node, stop() {} };
    },
  };
}

/** The built-in demo signals: each makes its oscillators in `context` and returns them (to
 * start and stop) with the stereo node they feed. No permission is needed. */
const DEMO_GRAPHS = {
  // 220 Hz against 330.2 Hz: a 2:3 figure whose phase drifts, so it slowly turns.
  lissajous(context) {
    const merger = new ChannelMergerNode(context, { numberOfInputs: 2 });
    const oscillators = [220, 330.2].map((frequency, channel) => {
      const o = new OscillatorNode(context, { frequency });
      o.connect(new GainNode(context, { gain: 0.7 })).connect(merger, 0, channel);
      return o;
    });
    return { node: merger, oscillators };
  },
  // A major chord spread across the stereo field: each note panned, so the trace is a wide,
  // moving cloud (partly correlated).
  chord(context) {
    const sum = new GainNode(context, { gain: 1, channelCount: 2, channelCountMode: 'explicit' });
    const notes = [[220, -0.7], [277.18, 0], [329.63, 0.7], [440, -0.3]];
    const oscillators = notes.map(([frequency, pan]) => {
      const o = new OscillatorNode(context, { frequency, type: 'triangle' });
      o.connect(new GainNode(context, { gain: 0.22 })).connect(new StereoPannerNode(context, { pan })).connect(sum);
      return o;
    });
    return { node: sum, oscillators };
  },
  // 220 Hz on the left against 220.125 Hz on the right: the phase between them turns once in
  // 8 s, so the trace goes from a line (in phase, correlation +1) through a circle (quadrature,
  // 0) to the other diagonal (anti-phase, -1) and back.
  'phase-sweep'(context) {
    const merger = new ChannelMergerNode(context, { numberOfInputs: 2 });
    const oscillators = [220, 220.125].map((frequency, channel) => {
      const o = new OscillatorNode(context, { frequency });
      o.connect(new GainNode(context, { gain: 0.6 })).connect(merger, 0, channel);
      return o;
    });
    return { node: merger, oscillators };
  },
};

/** Demo signal `name` (one of the `demo` setting's values), heard through a gain of `volume`
 * (0 to 1) unless `muted`. */
export function demo(name, { volume = 0.5, muted = false } = {}) {
  const build = Object.hasOwn(DEMO_GRAPHS, name) ? DEMO_GRAPHS[name] : null;
  if (!build) throw new ScopeError('no-source', `unknown demo ${JSON.stringify(String(name)).slice(0, 80)}`);
  return {
    kind: 'demo',
    async open(context, { signal } = {}) {
      checkSignal(signal);
      const { node, oscillators } = build(context);
      const monitor = new GainNode(context, { gain: muted ? 0 : volume });
      node.connect(monitor).connect(context.destination);
      const start = context.currentTime + 0.01;
      for (const o of oscillators) o.start(start);
      return {
        node,
        monitor,
        stop() {
          for (const o of oscillators) {
            o.stop();
            o.disconnect();
          }
          node.disconnect();
          monitor.disconnect();
        },
      };
    },
  };
}

/** Waits until `media` can play (its metadata is loaded); rejects with its error, or with the
 * signal's reason when `signal` is aborted first. */
function mediaReady(media, signal) {
  return new Promise((resolve, reject) => {
    const done = (f, v) => {
      media.removeEventListener('loadedmetadata', onReady);
      media.removeEventListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      f(v);
    };
    const onReady = () => done(resolve);
    const onError = () => done(reject, media.error);
    const onAbort = () => done(reject, signal.reason);
    if (media.readyState >= HTMLMediaElement.HAVE_METADATA) return resolve();
    media.addEventListener('loadedmetadata', onReady);
    media.addEventListener('error', onError);
    signal?.addEventListener('abort', onAbort);
  });
}

/** Why a file did not play, as a ScopeError: a URL whose server allows no cross-origin reading
 * (`file-cors`: the browser would give silence), one that is not there (`file-not-found`), a
 * format the browser cannot decode (`file-unsupported`), or anything else (`file-failed`). */
async function fileError(e, input, name) {
  if (e instanceof ScopeError) return e;
  const code = e?.code; // a MediaError's
  if (typeof input === 'string') {
    // Ask the server the way the media element did (CORS), to tell its answers apart.
    let response;
    try {
      response = await fetch(input, { mode: 'cors', credentials: 'omit' });
    } catch {
      const cross = new URL(input, location.href).origin !== location.origin;
      return new ScopeError(cross ? 'file-cors' : 'file-failed', name);
    } finally {
      response?.body?.cancel().catch(() => {});
    }
    if (!response.ok) return new ScopeError('file-not-found', `${name}: HTTP ${response.status}`);
  }
  if (code === 4 || code === 3) return new ScopeError('file-unsupported', name);
  return new ScopeError('file-failed', `${name}${e?.message ? `: ${e.message}` : ''}`);
}

/** An audio file: a File or Blob (a picker, a drop) or a URL, played through the speakers at
 * `volume` (0 unless heard) in an audio element that `media` returns for the transport (play,
 * pause, seek). Whatever the browser decodes (WAV, MP3, OGG, FLAC, M4A…). A URL on another
 * site must allow CORS, or the browser gives silence: that is refused as `file-cors`. */
export function file(input, { volume = 0.5, muted = false, loop = false } = {}) {
  const isUrl = typeof input === 'string';
  if (!isUrl && !(input instanceof Blob)) throw new ScopeError('no-file');
  if (isUrl && !input) throw new ScopeError('no-file');
  const name = isUrl ? quoteUrl(input) : input.name || 'the file';
  return {
    kind: 'file',
    async open(context, { signal } = {}) {
      checkSignal(signal);
      const url = isUrl ? new URL(input, location.href).href : URL.createObjectURL(input);
      const media = new Audio();
      media.preload = 'auto';
      media.loop = loop;
      if (isUrl) media.crossOrigin = 'anonymous';
      media.src = url;
      const node = new MediaElementAudioSourceNode(context, { mediaElement: media });
      const monitor = new GainNode(context, { gain: muted ? 0 : volume });
      node.connect(monitor).connect(context.destination);
      const release = () => {
        media.pause();
        node.disconnect();
        monitor.disconnect();
        media.removeAttribute('src');
        media.load();
        if (!isUrl) URL.revokeObjectURL(url);
      };
      try {
        await mediaReady(media, signal);
        await media.play();
        checkSignal(signal);
      } catch (e) {
        release();
        checkSignal(signal);
        throw await fileError(e, isUrl ? url : null, name);
      }
      return { node, monitor, media, stop: release };
    },
  };
}

/** A URL as a message may quote it: at most about 80 characters. */
function quoteUrl(url) {
  const s = String(url);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
