// A real stereo microphone for Firefox, made in the PulseAudio server `cargo xtask test` starts
// for the engines under Xvfb (PULSE_SERVER): a null sink of its own whose monitor becomes the
// server's default source, and a WAV (tests/fixtures/wav.mjs) looped into that sink by pacat.
// Firefox with real devices (media.navigator.streams.fake off) captures the default source, two
// channels as played: unlike the engines' fake microphones, which are mono.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** `pactl ARGS` against PULSE_SERVER; its trimmed output. */
function pactl(...args) {
  return execFileSync('pactl', args, { encoding: 'utf8' }).trim();
}

/** The format and 16-bit PCM data of a WAV as tests/fixtures/wav.mjs writes it (a 44-byte
 * header, PCM, the data chunk last). */
function readWav(path) {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 36, 40) !== 'data' || b.readUInt16LE(34) !== 16) {
    throw new Error(`${path}: not a 16-bit PCM WAV with a 44-byte header`);
  }
  return { channels: b.readUInt16LE(22), sampleRate: b.readUInt32LE(24), pcm: b.subarray(44, 44 + b.readUInt32LE(40)) };
}

/** A stereo input in PulseAudio playing one WAV at a time, looped. */
export class PulseMicrophone {
  /**
   * Loads a null sink named `name` (two channels at `sampleRate`, described as `name`, so the
   * captured track's label is "Monitor of NAME") and makes its monitor the default source.
   * Needs PULSE_SERVER (set by `cargo xtask test` for Firefox and WebKit).
   */
  static open({ name = 'vectorscope-stereo', sampleRate = 44100 } = {}) {
    if (!process.env.PULSE_SERVER) throw new Error('PULSE_SERVER is not set: run the engine tests with `cargo xtask test`');
    const sink = name.replace(/[^A-Za-z0-9_]/g, '_');
    const module = pactl(
      'load-module',
      'module-null-sink',
      `sink_name=${sink}`,
      'channels=2',
      'channel_map=front-left,front-right',
      `rate=${sampleRate}`,
      `sink_properties=device.description=${name}`,
    );
    pactl('set-default-source', `${sink}.monitor`);
    return new PulseMicrophone(sink, module, name);
  }

  constructor(sink, module, name) {
    /** The sink the WAV is played into. */
    this.sink = sink;
    /** The label Firefox gives the captured track. */
    this.label = `Monitor of ${name}`;
    this.module = module;
    this.player = null;
  }

  /** Plays the WAV at `path` into the sink in a loop until the next play() or close(). The
   * file is written to pacat's stdin over and over; the pipe's back-pressure paces it at the
   * sound server's clock (pacat asks for 50 ms of latency, so a new WAV is heard at once). */
  async play(path) {
    await this.silence();
    const { channels, sampleRate, pcm } = readWav(path);
    const child = spawn(
      'pacat',
      ['--playback', '--raw', '--format=s16le', `--rate=${sampleRate}`, `--channels=${channels}`, `--device=${this.sink}`, '--latency-msec=50'],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    const player = { child, stopped: false, exited: new Promise((resolve) => child.on('exit', resolve)) };
    // EPIPE when pacat is stopped mid-write: expected then, and reported otherwise.
    child.stdin.on('error', (e) => {
      if (!player.stopped) console.error(`pacat ${path}: ${e.message}`);
    });
    child.on('exit', (code, signal) => {
      if (!player.stopped) console.error(`pacat ${path} exited by itself (${code ?? signal})`);
    });
    const feed = () => {
      while (!player.stopped && child.stdin.writable && child.stdin.write(pcm));
      if (!player.stopped && child.stdin.writable) child.stdin.once('drain', feed);
    };
    feed();
    this.player = player;
  }

  /** Stops the WAV playing, if one is (the source is then silent). */
  async silence() {
    const player = this.player;
    if (!player) return;
    this.player = null;
    player.stopped = true;
    player.child.stdin.destroy();
    player.child.kill();
    await player.exited;
  }

  /** Stops playing and unloads the sink (the default source falls back to the server's). */
  async close() {
    await this.silence();
    pactl('unload-module', this.module);
  }
}
