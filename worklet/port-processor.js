// The fallback transport's audio-thread side, for pages that are not cross-origin isolated
// (no shared memory can reach the audio thread, so no wasm runs here). Each render quantum is
// copied into a batch of BATCH quanta; a full batch is posted to the page over the port,
// its buffers transferred, and the page sends them back to be reused.
//
// process() allocates nothing, takes no lock and logs nothing: the buffers come from a pool
// made in the constructor. If the page stops sending buffers back (a stalled or hidden page),
// the pool runs dry and batches are dropped and counted until it refills.

/** Frames per render quantum: Web Audio's, and the crate's `sample::QUANTUM` (no wasm runs here to ask). */
const QUANTUM = 128;
/** Quanta per message: 8 (1024 frames, about 21 ms at 48 kHz). */
const BATCH = 8;
/** Buffer pairs in flight: about 0.35 s of audio at 48 kHz. */
const POOL = 16;

class VectorscopePortTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.pool = [];
    for (let i = 0; i < POOL; i++) {
      this.pool.push([new Float32Array(QUANTUM * BATCH), new Float32Array(QUANTUM * BATCH)]);
    }
    this.batch = this.pool.pop();
    this.filled = 0;
    this.dropped = 0;
    this.released = false;
    this.message = { left: null, right: null, frames: 0, dropped: 0 };
    this.transfer = [null, null];
    this.port.onmessage = (e) => {
      if (e.data === 'release') this.released = true;
      else if (e.data?.recycle) this.pool.push(e.data.recycle);
    };
  }

  process(inputs) {
    if (this.released) return false;
    const input = inputs[0];
    if (input.length === 0) return true; // nothing connected
    const [left, right] = this.batch;
    const offset = this.filled * QUANTUM;
    left.set(input[0], offset);
    // A mono source is up-mixed to both channels.
    right.set(input.length > 1 ? input[1] : input[0], offset);
    this.filled++;
    if (this.filled === BATCH) {
      this.filled = 0;
      const next = this.pool.pop();
      if (next === undefined) {
        // The page has not given buffers back: drop this batch, reuse its buffers.
        this.dropped += QUANTUM * BATCH;
        return true;
      }
      const m = this.message;
      m.left = left;
      m.right = right;
      m.frames = QUANTUM * BATCH;
      m.dropped = this.dropped;
      this.transfer[0] = left.buffer;
      this.transfer[1] = right.buffer;
      this.port.postMessage(m, this.transfer);
      this.batch = next;
    }
    return true;
  }
}

registerProcessor('vectorscope-port-tap', VectorscopePortTap);
