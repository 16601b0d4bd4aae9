//! The worklet's entry points: the raw-pointer calls `worklet/processor.js` makes on the audio
//! thread (and `www/element/audio.js` makes on the page for the message-port transport) into a
//! [`Processor`] that [`AudioTap`](super::tap::AudioTap) lent it.

use crate::worklet::Processor;
use wasm_bindgen::prelude::*;

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
    use crate::sample::QUANTUM;

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
}
