//! The audio thread's side: [`Processor`] owns the ring's [`SampleProducer`] and two input
//! blocks that `worklet/processor.js` fills from each render quantum through cached
//! `Float32Array` views of the shared memory.
//!
//! Everything is allocated in [`Processor::new`], on the main thread. After that, nothing here
//! allocates, locks, logs or touches a string: `process` interleaves the block (replacing
//! non-finite values), pushes it with one `push_slice` and bumps two `Relaxed` counters.
//!
//! Ownership across threads: the main thread creates the processor (`Box`), lends its raw
//! pointer to the worklet through `processorOptions`, and frees it only after the worklet has
//! confirmed it will never touch it again (see `AudioTap::release` in `audio/`).

use crate::dsp::interleave_finite;
use crate::ring::{bump, SampleProducer};
use crate::sample::{XYSample, QUANTUM};
use std::ptr::{self, NonNull};
use wasm_bindgen::prelude::*;

/// The two input blocks `worklet/processor.js` writes into from JavaScript. They are their own
/// allocation, reached only through a raw pointer, so the addresses handed to JavaScript never
/// alias a `&mut Processor`.
struct InputBlocks {
    left: [f32; QUANTUM],
    right: [f32; QUANTUM],
}

/// Moves one render quantum from the audio thread into the ring.
pub struct Processor {
    producer: SampleProducer,
    inputs: NonNull<InputBlocks>,
    block: [XYSample; QUANTUM],
}

// SAFETY: a Processor exclusively owns its InputBlocks allocation (freed in Drop); moving it to
// another thread moves that ownership along, like a Box would.
unsafe impl Send for Processor {}

impl Drop for Processor {
    fn drop(&mut self) {
        // SAFETY: `inputs` came from Box::into_raw in `new` and is freed only here.
        drop(unsafe { Box::from_raw(self.inputs.as_ptr()) });
    }
}

impl Processor {
    /// A processor pushing into `producer`.
    pub fn new(producer: SampleProducer) -> Self {
        let inputs = Box::new(InputBlocks {
            left: [0.0; QUANTUM],
            right: [0.0; QUANTUM],
        });
        Processor {
            producer,
            inputs: NonNull::from(Box::leak(inputs)),
            block: [XYSample::default(); QUANTUM],
        }
    }

    /// Address of the input block of `channel` (0 = left, anything else = right), where the
    /// worklet writes each quantum; stable for the processor's life.
    pub fn input_ptr(&self, channel: usize) -> *mut f32 {
        let blocks = self.inputs.as_ptr();
        // SAFETY: `blocks` is live while `self` is; addr_of_mut! makes no reference.
        unsafe {
            if channel == 0 {
                ptr::addr_of_mut!((*blocks).left).cast()
            } else {
                ptr::addr_of_mut!((*blocks).right).cast()
            }
        }
    }

    /// The input block of `channel` (0 = left, anything else = right) for the caller to fill.
    pub fn input_mut(&mut self, channel: usize) -> &mut [f32; QUANTUM] {
        // SAFETY: `&mut self` is exclusive, and nothing else writes the blocks while a Rust
        // reference to them exists (the worklet writes only between calls).
        let blocks = unsafe { &mut *self.inputs.as_ptr() };
        if channel == 0 {
            &mut blocks.left
        } else {
            &mut blocks.right
        }
    }

    /// Pushes the first `frames` frames of the input blocks into the ring. `channels` is how many
    /// channels the caller filled: with 1 the left block is used for both (a mono input is shown
    /// on both axes). Returns how many samples were stored (the rest were dropped and counted).
    ///
    /// # Panics
    /// If `frames` is over [`QUANTUM`]: the caller broke the contract.
    #[inline]
    pub fn process(&mut self, frames: usize, channels: usize) -> usize {
        assert!(frames <= QUANTUM, "a render quantum is at most {QUANTUM} frames");
        // SAFETY: the blocks are live while `self` is; the worklet wrote them before this call
        // and does not write during it (same thread).
        let blocks = unsafe { &*self.inputs.as_ptr() };
        let right = if channels >= 2 { &blocks.right } else { &blocks.left };
        let replaced = interleave_finite(&blocks.left[..frames], &right[..frames], &mut self.block);
        let stats = self.producer.stats();
        bump(&stats.quanta, 1);
        if replaced > 0 {
            bump(&stats.non_finite, u64::from(replaced));
        }
        self.producer.push_slice(&self.block[..frames])
    }
}

/// Address of a processor's input block for `channel` (0 = left, 1 = right), for the worklet's
/// cached `Float32Array` views.
///
/// # Safety
/// `processor` must come from `AudioTap` (a live `Box<Processor>`) and not yet be released.
#[wasm_bindgen(js_name = processorInput)]
pub unsafe fn processor_input(processor: usize, channel: u32) -> usize {
    // SAFETY: the caller guarantees `processor` is a live, exclusively lent Box<Processor>.
    let p = unsafe { &*(processor as *const Processor) };
    p.input_ptr(channel as usize) as usize
}

/// Runs [`Processor::process`] on the audio thread; called once per render quantum by
/// `worklet/processor.js`. No allocation, no lock, no string.
///
/// # Safety
/// `processor` must come from `AudioTap`, not yet be released, and be used by this thread only.
#[wasm_bindgen(js_name = processQuantum)]
pub unsafe fn process_quantum(processor: usize, frames: u32, channels: u32) -> u32 {
    // SAFETY: the caller guarantees `processor` is a live Box<Processor> lent to this thread
    // alone until it is released; no other reference to it exists meanwhile.
    let p = unsafe { &mut *(processor as *mut Processor) };
    p.process(frames as usize, channels as usize) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ring::sample_ring;

    #[test]
    fn stereo_and_mono_blocks_reach_the_ring() {
        let (producer, mut consumer) = sample_ring(1024);
        let mut p = Processor::new(producer);
        for i in 0..QUANTUM {
            p.input_mut(0)[i] = i as f32;
            p.input_mut(1)[i] = -(i as f32);
        }
        assert_eq!(p.process(QUANTUM, 2), QUANTUM);
        assert_eq!(p.process(64, 1), 64);
        let got = consumer.drain();
        assert_eq!(got.len(), QUANTUM + 64);
        assert_eq!(got[5], XYSample::new(5.0, -5.0));
        assert_eq!(got[QUANTUM + 5], XYSample::new(5.0, 5.0), "mono shows on both axes");
        assert_eq!(consumer.stats().snapshot().quanta, 2);
    }

    #[test]
    fn non_finite_input_is_replaced_and_counted() {
        let (producer, mut consumer) = sample_ring(1024);
        let mut p = Processor::new(producer);
        p.input_mut(0)[..4].copy_from_slice(&[f32::NAN, 1.0, f32::INFINITY, 0.5]);
        p.input_mut(1)[..4].copy_from_slice(&[0.0, f32::NEG_INFINITY, 0.25, 0.5]);
        p.process(4, 2);
        assert_eq!(consumer.drain()[..3], [XYSample::new(0.0, 0.0), XYSample::new(1.0, 0.0), XYSample::new(0.0, 0.25)]);
        assert_eq!(consumer.stats().snapshot().non_finite, 3);
    }

    #[test]
    fn exported_raw_pointer_path_round_trips() {
        let (producer, mut consumer) = sample_ring(512);
        let processor = Box::into_raw(Box::new(Processor::new(producer))) as usize;
        // SAFETY: `processor` is a live Box<Processor> used by this thread only, as the worklet
        // uses it; the input pointers are written between calls, as JavaScript does.
        unsafe {
            let left = processor_input(processor, 0) as *mut f32;
            let right = processor_input(processor, 1) as *mut f32;
            for round in 0..3 {
                for i in 0..QUANTUM {
                    *left.add(i) = (round * QUANTUM + i) as f32;
                    *right.add(i) = -1.0;
                }
                assert_eq!(process_quantum(processor, QUANTUM as u32, 2), QUANTUM as u32);
            }
            drop(Box::from_raw(processor as *mut Processor));
        }
        let got = consumer.drain();
        assert_eq!(got.len(), 3 * QUANTUM);
        assert!(got.iter().enumerate().all(|(i, s)| s.x == i as f32 && s.y == -1.0));
    }

    #[test]
    #[should_panic(expected = "at most 128 frames")]
    fn oversized_quantum_panics() {
        let (producer, _consumer) = sample_ring(1024);
        Processor::new(producer).process(QUANTUM + 1, 2);
    }
}
