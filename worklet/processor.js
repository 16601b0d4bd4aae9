// The only JavaScript on the audio thread. It instantiates the SAME wasm module with the SAME
// shared memory as the page (both handed over in processorOptions, with a pointer to the
// Rust `Processor` the page created) and gives each render quantum to Rust.
//
// process() allocates nothing, takes no lock, logs nothing and builds no string: it copies the
// two input channels into the processor's input blocks through Float32Array views that are made
// once (and again only if the memory grew), then makes one wasm call.
import { initSync, processorInput, processQuantum, quantum } from '../pkg/vectorscope.js';

// The wasm module is instantiated once per AudioWorkletGlobalScope (one per AudioContext),
// whatever the number of processors; its thread stack is taken from the shared heap.
let instantiated = false;

class VectorscopeTap extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { module, memory, processor } = options.processorOptions;
    if (!instantiated) {
      initSync({ module, memory, thread_stack_size: 2 * 65536 });
      instantiated = true;
    }
    this.memory = memory;
    this.processor = processor;
    this.quantum = quantum();
    this.leftPtr = processorInput(processor, 0);
    this.rightPtr = processorInput(processor, 1);
    this.buffer = null;
    this.left = null;
    this.right = null;
    this.released = false;
    this.trapNext = false;
    this.port.onmessage = (e) => {
      if (e.data === 'release') {
        // From here on the processor is never touched again; the page may free it.
        this.released = true;
        this.port.postMessage('released');
      } else if (e.data === 'test-trap') {
        // Test hook: hand Rust an impossible quantum so it panics (a wasm trap), to prove a
        // crash on the audio thread reaches the page as `processorerror`.
        this.trapNext = true;
      }
    };
  }

  process(inputs) {
    if (this.released) return false;
    const input = inputs[0];
    const channels = input.length;
    if (channels === 0) return true; // nothing connected
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.left = new Float32Array(buffer, this.leftPtr, this.quantum);
      this.right = new Float32Array(buffer, this.rightPtr, this.quantum);
    }
    const frames = input[0].length;
    this.left.set(input[0]);
    if (channels > 1) this.right.set(input[1]);
    processQuantum(this.processor, this.trapNext ? this.quantum + 1 : frames, channels);
    return true;
  }
}

registerProcessor('vectorscope-tap', VectorscopeTap);
