//! A music-like stereo test signal: a three-note chord with a little spread between the
//! channels, as music-like as a formula gets. The benches (native and on the bench page) feed
//! it to the chain, so both measure the same work.

use crate::sample::XYSample;
use std::f32::consts::TAU;

/// Sample `i` of the chord at `sample_rate` Hz (peaks about 0.6 of full scale).
pub fn chord(i: usize, sample_rate: f32) -> XYSample {
    let t = i as f32 / sample_rate;
    let tone = |f: f32, phase: f32| (t * f * TAU + phase).sin();
    let l = 0.3 * tone(110.0, 0.0) + 0.2 * tone(277.2, 0.4) + 0.1 * tone(1318.5, 1.0);
    let r = 0.3 * tone(110.0, 0.2) + 0.2 * tone(277.2, 0.0) + 0.1 * tone(1661.2, 0.3);
    XYSample::new(l, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chord_is_stereo_and_within_full_scale() {
        let s: Vec<XYSample> = (0..48_000).map(|i| chord(i, 48_000.0)).collect();
        let peak = s.iter().map(|p| p.x.abs().max(p.y.abs())).fold(0.0, f32::max);
        assert!(peak > 0.4 && peak <= 0.6, "peak {peak}");
        assert!(s.iter().any(|p| (p.x - p.y).abs() > 0.1), "the channels differ");
    }
}
