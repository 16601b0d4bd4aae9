//! The audio thread's side: [`Processor`] owns the ring's [`SampleProducer`] and two input
//! blocks that `worklet/processor.js` fills from each render quantum through cached
//! `Float32Array` views of the shared memory.
//!
//! Everything is allocated in [`Processor::new`], on the main thread. After that, nothing here
//! allocates, locks, logs or touches a string: `process` interleaves the block (replacing
//! non-finite values), pushes it with one `push_slice` and bumps its two `Relaxed` counters ([`ProcessorStats`]).
//!
//! Ownership across threads: the main thread creates the processor (`Box`), lends its raw
//! pointer to the worklet through `processorOptions`, and frees it only after the worklet has
//! confirmed it will never touch it again (see `AudioTap::release` in `web/tap.rs`). The raw-pointer
//! entry points the worklet calls are in `web/worklet.rs`.

use crate::dsp::interleave_finite;
use crate::ring::{bump, SampleProducer};
use crate::sample::{XYSample, QUANTUM};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The processor's own counters, written by the audio thread alone and read by the page
/// (`Relaxed`: statistics, not synchronisation). They outlive the processor, so the page still
/// reads them after the worklet has given it back.
#[derive(Debug, Default)]
pub struct ProcessorStats {
    /// Render quanta processed.
    pub quanta: AtomicU64,
    /// NaN or infinite input values replaced by 0 before they reached the ring.
    pub non_finite: AtomicU64,
}

impl ProcessorStats {
    /// `(quanta, non_finite)` now.
    pub fn read(&self) -> (u64, u64) {
        (self.quanta.load(Ordering::Relaxed), self.non_finite.load(Ordering::Relaxed))
    }
}

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
    stats: Arc<ProcessorStats>,
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
            stats: Arc::default(),
            inputs: NonNull::from(Box::leak(inputs)),
            block: [XYSample::default(); QUANTUM],
        }
    }

    /// The processor's counters, shared with whoever reads them.
    pub fn stats(&self) -> Arc<ProcessorStats> {
        Arc::clone(&self.stats)
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
        bump(&self.stats.quanta, 1);
        if replaced > 0 {
            bump(&self.stats.non_finite, u64::from(replaced));
        }
        self.producer.push_slice(&self.block[..frames])
    }
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
        assert_eq!(p.stats().read().0, 2);
    }

    #[test]
    fn non_finite_input_is_replaced_and_counted() {
        let (producer, mut consumer) = sample_ring(1024);
        let mut p = Processor::new(producer);
        p.input_mut(0)[..4].copy_from_slice(&[f32::NAN, 1.0, f32::INFINITY, 0.5]);
        p.input_mut(1)[..4].copy_from_slice(&[0.0, f32::NEG_INFINITY, 0.25, 0.5]);
        p.process(4, 2);
        assert_eq!(consumer.drain()[..3], [XYSample::new(0.0, 0.0), XYSample::new(1.0, 0.0), XYSample::new(0.0, 0.25)]);
        assert_eq!(p.stats().read().1, 3);
    }

    #[test]
    #[should_panic(expected = "at most 128 frames")]
    fn oversized_quantum_panics() {
        let (producer, _consumer) = sample_ring(1024);
        Processor::new(producer).process(QUANTUM + 1, 2);
    }
}
