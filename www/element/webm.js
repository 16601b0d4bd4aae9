// Writes the duration into a WebM that MediaRecorder made. A recorder writes the file as it goes,
// so its Segment > Info has no Duration element: players then show no length and cannot seek.
// This adds one (EBML, the Matroska layout: an element is an ID, a size and its data, both ID and
// size written as variable-length integers), rewriting only the Info element near the start of
// the file; the media data after it is kept as it is.

const ID = {
  EBML: 0x1a45dfa3,
  SEGMENT: 0x18538067,
  INFO: 0x1549a966,
  TIMECODE_SCALE: 0x2ad7b1,
  DURATION: 0x4489,
};

/** How many bytes of the file's start are read to find Info (it comes right after the header). */
const HEAD_BYTES = 64 * 1024;

/** The variable-length integer at `at`: its length, its value, and whether all its value bits
 * are set (a size that means "unknown"). `keepMarker` keeps the length marker (for IDs). */
function readVint(bytes, at, keepMarker = false) {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i];
    if (bytes[at + i] !== 0xff) allOnes = false;
  }
  return { length, value, unknown: !keepMarker && allOnes };
}

/** The element at `at`: { id, size (null when unknown), dataStart, end }. */
function readElement(bytes, at) {
  const id = readVint(bytes, at, true);
  if (!id) return null;
  const size = readVint(bytes, at + id.length);
  if (!size) return null;
  const dataStart = at + id.length + size.length;
  const end = size.unknown ? null : dataStart + size.value;
  return { id: id.value, size: size.unknown ? null : size.value, sizeLength: size.length, dataStart, end };
}

/** `value` as an EBML size of `length` bytes. */
function sizeBytes(value, length) {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0] |= 0x80 >> (length - 1);
  return out;
}

/** The unsigned integer of `length` bytes at `at`. */
function readUint(bytes, at, length) {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[at + i];
  return v;
}

/**
 * The start of a WebM (`bytes`, at least up to the end of its Info element) with a Duration of
 * `ms` milliseconds written into Info: `{ head, end }`, where `head` replaces `bytes[0..end)`.
 * Null when the bytes are not a WebM this understands, or Info already has a duration.
 */
export function patchWebmDuration(bytes, ms) {
  const header = readElement(bytes, 0);
  if (!header || header.id !== ID.EBML || header.end === null) return null;
  const segment = readElement(bytes, header.end);
  if (!segment || segment.id !== ID.SEGMENT) return null;
  // Find Info among the Segment's first children.
  let at = segment.dataStart;
  let info = null;
  while (at < bytes.length) {
    const e = readElement(bytes, at);
    if (!e || e.end === null || e.end > bytes.length) return null;
    if (e.id === ID.INFO) {
      info = e;
      break;
    }
    at = e.end;
  }
  if (!info) return null;
  let scale = 1_000_000;
  for (let c = info.dataStart; c < info.end; ) {
    const e = readElement(bytes, c);
    if (!e || e.end === null || e.end > info.end) return null;
    if (e.id === ID.DURATION) return null;
    if (e.id === ID.TIMECODE_SCALE) scale = readUint(bytes, e.dataStart, e.size);
    c = e.end;
  }
  // Duration: a float64 in units of the timecode scale (ns per unit).
  const duration = new Uint8Array(11);
  duration.set([0x44, 0x89, 0x88]);
  new DataView(duration.buffer).setFloat64(3, (ms * 1e6) / scale);
  const infoData = bytes.subarray(info.dataStart, info.end);
  const infoSize = infoData.length + duration.length;
  const infoId = bytes.subarray(at, at + (info.dataStart - info.sizeLength - at));
  const newInfo = concat([infoId, sizeBytes(infoSize, 8), infoData, duration]);
  const growth = newInfo.length - (info.end - at);
  // A Segment of known size grows by as much; one of unknown size (a live recording) stays so.
  let segmentHead = bytes.subarray(header.end, segment.dataStart);
  if (segment.size !== null) {
    const idLength = segment.dataStart - segment.sizeLength - header.end;
    segmentHead = concat([bytes.subarray(header.end, header.end + idLength), sizeBytes(segment.size + growth, segment.sizeLength)]);
  }
  const head = concat([bytes.subarray(0, header.end), segmentHead, bytes.subarray(segment.dataStart, at), newInfo]);
  return { head, end: info.end };
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `blob` (a WebM from MediaRecorder) with its duration, `ms`, written in; the blob itself when
 * it cannot be patched. */
export async function withWebmDuration(blob, ms) {
  const bytes = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const patched = patchWebmDuration(bytes, ms);
  if (!patched) return blob;
  return new Blob([patched.head, blob.slice(patched.end)], { type: blob.type });
}
