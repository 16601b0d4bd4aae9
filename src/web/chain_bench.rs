//! The signal chain's frame, callable from the bench page, so the chain's cost is measured as
//! the browser runs it (wasm) and not only natively: one 800-sample frame of [`chord`] per
//! call, timed by the page (and natively by `benches/chain.rs`).

use crate::sample::XYSample;
use crate::signal::chord::chord;
use crate::signal::display::DisplayChain;
use crate::signal::meters::Meters;
use wasm_bindgen::prelude::*;

/// Samples per frame: 48 kHz at 60 frames per second.
pub const FRAME: usize = 800;

/// The chain's state and a second of the chord, read a frame at a time round and round.
#[wasm_bindgen]
pub struct ChainBench {
    signal: Vec<XYSample>,
    next: usize,
    now_ms: f64,
    meters: Meters,
    display: DisplayChain,
}

#[wasm_bindgen]
impl ChainBench {
    /// The meters and the display chain at 48 kHz with DC block and auto-gain on, upsampling
    /// by `upsample` (1, 2, 4 or 8), or the polar level's rays when `rays` is set.
    #[wasm_bindgen(constructor)]
    pub fn new(upsample: u32, rays: bool) -> ChainBench {
        let mut display = DisplayChain::new(48_000.0);
        display.set_upsample(upsample);
        display.set_rays(rays);
        display.set_dc_block(true);
        display.set_auto_gain(true);
        ChainBench {
            signal: (0..48_000).map(|i| chord(i, 48_000.0)).collect(),
            next: 0,
            now_ms: 0.0,
            meters: Meters::new(48_000.0),
            display,
        }
    }

    /// Samples per frame (one call of [`ChainBench::frame`]).
    #[wasm_bindgen(getter, js_name = samplesPerFrame)]
    pub fn samples_per_frame(&self) -> u32 {
        FRAME as u32
    }

    /// One frame: the meters measure the next 800 samples, read out as the page reads them,
    /// and the display chain conditions and upsamples them. Returns the points it would draw.
    pub fn frame(&mut self) -> u32 {
        let run = &self.signal[self.next..self.next + FRAME];
        self.next = (self.next + FRAME) % self.signal.len();
        self.now_ms += 1000.0 / 60.0;
        self.meters.add(run);
        let reading = self.meters.reading();
        let points = self.display.process([run, &[]], false, self.now_ms).samples.len();
        // The reading is used, so the meters' work is not optimised away.
        points as u32 + u32::from(reading.momentary.is_nan())
    }
}

/// `frames` frames of [`chord`] at `sample_rate`, interleaved left and right: the same signal
/// the chain bench measures, for the bench page to play into the app page.
#[wasm_bindgen(js_name = chordSamples)]
pub fn chord_samples(frames: u32, sample_rate: f32) -> Vec<f32> {
    (0..frames as usize)
        .flat_map(|i| {
            let s = chord(i, sample_rate);
            [s.x, s.y]
        })
        .collect()
}
