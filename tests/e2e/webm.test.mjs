// www/element/webm.js on WebM byte layouts built here (no browser): the duration is written into
// Segment > Info with the timecode scale applied, the sizes stay consistent, and the media data
// after Info is untouched. The browser test of recording (recording.test.mjs) checks a real
// recorder's file in a <video>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchWebmDuration } from '../../www/element/webm.js';

/** An EBML element: id bytes, an 8-byte size (or `unknown`), data. */
function element(id, data, { unknown = false, sizeLength = 8 } = {}) {
  const size = new Uint8Array(sizeLength);
  if (unknown) {
    size.fill(0xff);
    size[0] = 0x01;
  } else {
    let v = data.length;
    for (let i = sizeLength - 1; i >= 0; i--) {
      size[i] = v % 256;
      v = Math.floor(v / 256);
    }
    size[0] |= 0x80 >> (sizeLength - 1);
  }
  return Uint8Array.from([...id, ...size, ...data]);
}

const uint = (v, n) => Array.from({ length: n }, (_, i) => (v / 256 ** (n - 1 - i)) & 0xff);

/** A file as MediaRecorder lays it out: header, Segment (live: unknown size, or known), Info
 * (timecode scale, muxing app), then Tracks and a Cluster of media bytes. */
function webm({ scale = 1_000_000, unknown = true, withDuration = false } = {}) {
  const header = element([0x1a, 0x45, 0xdf, 0xa3], [0x42, 0x82, 0x84, ...Buffer.from('webm')]);
  const infoChildren = [
    ...element([0x2a, 0xd7, 0xb1], uint(scale, 3), { sizeLength: 1 }),
    ...element([0x4d, 0x80], [...Buffer.from('Chrome')], { sizeLength: 1 }),
    ...(withDuration ? element([0x44, 0x89], [0x40, 0x8f, 0x40, 0, 0, 0, 0, 0], { sizeLength: 1 }) : []),
  ];
  const info = element([0x15, 0x49, 0xa9, 0x66], infoChildren, { sizeLength: 1 });
  const tracks = element([0x16, 0x54, 0xae, 0x6b], [1, 2, 3, 4]);
  const cluster = element([0x1f, 0x43, 0xb6, 0x75], Array.from({ length: 300 }, (_, i) => i & 0xff));
  const body = [...info, ...tracks, ...cluster];
  const segment = element([0x18, 0x53, 0x80, 0x67], body, { unknown });
  return { bytes: Uint8Array.from([...header, ...segment]), tail: Uint8Array.from([...tracks, ...cluster]) };
}

/** The Duration element's value in `bytes` (a float64 after 0x44 0x89 0x88), or null. */
function durationIn(bytes) {
  for (let i = 0; i + 11 <= bytes.length; i++) {
    if (bytes[i] === 0x44 && bytes[i + 1] === 0x89 && bytes[i + 2] === 0x88) {
      return new DataView(bytes.buffer, bytes.byteOffset + i + 3, 8).getFloat64(0);
    }
  }
  return null;
}

test('a live WebM gets its duration in milliseconds at the default timecode scale; the media after Info is kept', () => {
  const { bytes, tail } = webm();
  assert.equal(durationIn(bytes), null);
  const patched = patchWebmDuration(bytes, 3012.5);
  assert.ok(patched, 'patched');
  const out = Uint8Array.from([...patched.head, ...bytes.subarray(patched.end)]);
  assert.equal(durationIn(out), 3012.5);
  assert.deepEqual(out.subarray(out.length - tail.length), tail, 'Tracks and Cluster unchanged');
  // Info's new size covers its old children and the Duration: Tracks follows right after it.
  const infoAt = out.indexOf(0x15);
  const infoSize = Number(new DataView(out.buffer, infoAt + 4, 8).getBigUint64(0) & 0x00ffffffffffffffn);
  assert.equal(infoAt + 4 + 8 + infoSize, out.length - tail.length, 'Info ends where Tracks begins');
});

test('the timecode scale is applied, a known Segment size grows by what Info grew, and a file with a duration is left alone', () => {
  const { bytes } = webm({ scale: 500_000, unknown: false });
  const patched = patchWebmDuration(bytes, 1000);
  const out = Uint8Array.from([...patched.head, ...bytes.subarray(patched.end)]);
  assert.equal(durationIn(out), 2000, '1000 ms in units of 0.5 ms');
  const segAt = 4 + 8 + 7; // after the EBML header
  const size = (b) => Number(new DataView(b.buffer, b.byteOffset + segAt + 4, 8).getBigUint64(0) & 0x00ffffffffffffffn);
  assert.equal(size(out) - size(bytes), out.length - bytes.length);
  assert.equal(segAt + 4 + 8 + size(out), out.length, 'the Segment ends with the file');
  assert.equal(patchWebmDuration(webm({ withDuration: true }).bytes, 1000), null);
  assert.equal(patchWebmDuration(Uint8Array.from([1, 2, 3, 4]), 1000), null, 'not a WebM');
});
