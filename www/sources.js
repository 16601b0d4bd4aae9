// Sources: what feeds a scope. Each is a small object
//
//   { kind, context?, open(context, { signal, onLost }) -> Promise<{ node, stop, stream?, grantedAt? }> }
//
// `open` makes the source's AudioNode in `context` (or in its own `context`, when it has one:
// a caller's node) and returns it with `stop`, which releases everything it opened (tracks
// ended, media paused, nodes disconnected). When `signal` is aborted while `open` waits (a
// permission prompt, a file loading), `open` releases what it had and rejects with the
// signal's reason, so a cancelled start never leaves a microphone on. `onLost` is called if
// the source ends by itself (an unplugged input). ScopeAudio (audio.js) plays whichever it is
// given; file, tab and demo sources come the same way.

import { ScopeError } from './errors.js';

/** Rejects with the signal's reason if it was aborted. */
function checkSignal(signal) {
  if (signal?.aborted) throw signal.reason ?? new ScopeError('cancelled');
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
      const end = () => {
        for (const t of stream.getTracks()) t.stop();
      };
      try {
        checkSignal(signal);
        const node = context.createMediaStreamSource(stream);
        let stopped = false;
        for (const track of stream.getAudioTracks()) {
          track.addEventListener('ended', () => {
            if (!stopped) onLost?.(new ScopeError('device-lost'));
          });
        }
        return {
          node,
          stream,
          grantedAt,
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
