//! [`Analysis`]: what the page measures of one scope's stream, fed every drained run of samples
//! with its stream position, whether or not a frame draws it: the [`Levels`] between two of the
//! page's readings and every meter of [`Meters`]. Its [`Continuity`] turns the positions into
//! gaps (a stalled page keeps only the newest samples and skips the rest), and a gap reaches
//! each measure as what it means for it:
//!
//! - the windowed meters (correlation, balance, width and RMS over 300 ms, the 100 ms sample
//!   peak, the momentary and short-term loudness) start their windows again after it, so a
//!   reading never mixes audio from both sides of the hole;
//! - the integrating ones (integrated loudness, loudness range, the largest true peak, the clip
//!   counts, the 2 s peak hold) carry on without the skipped audio: a gap is not a reset;
//! - the levels carry on too: a reading is of every sample drained since the last one, however
//!   long that took, and its peak is located by stream position, across a gap as anywhere;
//! - the meters count the skipped samples ([`MeterReading::skipped`]), so the page can say that
//!   they missed audio. Positions count from the stream's start, so samples skipped before the
//!   first run count too.

use crate::sample::XYSample;
use crate::signal::continuity::Continuity;
use crate::signal::levels::{LevelReading, Levels};
use crate::signal::meters::{MeterReading, Meters};

/// The measures of one stream: levels and meters, told of gaps.
pub struct Analysis {
    levels: Levels,
    meters: Meters,
    /// Whether each run follows the last one.
    continuity: Continuity,
}

impl Analysis {
    /// The measures of a stream at `sample_rate` Hz, starting at stream position 0.
    pub fn new(sample_rate: f32) -> Self {
        Analysis { levels: Levels::default(), meters: Meters::new(sample_rate), continuity: Continuity::default() }
    }

    /// Measures a run of samples whose first is at stream position `first` (the count of samples
    /// the stream had before it). A run that does not start where the last one ended follows a
    /// gap. Allocates nothing.
    pub fn add(&mut self, first: u64, samples: &[XYSample]) {
        if samples.is_empty() {
            return;
        }
        let expected = self.continuity.next().unwrap_or(0);
        let gap = self.continuity.advance(first, samples.len() as u64);
        if gap || first > expected {
            self.meters.gap(first.saturating_sub(expected));
        }
        self.levels.add(samples, first);
        self.meters.add(samples);
    }

    /// The levels of the samples added since the last call; starts afresh.
    pub fn take_levels(&mut self) -> LevelReading {
        self.levels.take()
    }

    /// Reads every meter.
    pub fn meters(&mut self) -> MeterReading {
        self.meters.reading()
    }

    /// Clears the integrated values, the holds, the clip counts and the count of skipped
    /// samples; the stream's position is kept, so the next run is a gap only if one was skipped.
    pub fn reset_meters(&mut self) {
        self.meters.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::meters::peak::to_db;
    use std::f32::consts::TAU;

    const RATE: f32 = 48_000.0;

    /// `n` samples of a 500 Hz sine at `amplitude` on the left and `right` times it on the right
    /// (1 mono, -1 anti-phase), from sample `start` of the sine.
    fn sine(start: usize, n: usize, amplitude: f32, right: f32) -> Vec<XYSample> {
        (start..start + n)
            .map(|i| {
                let v = amplitude * (TAU * 500.0 * i as f32 / RATE).sin();
                XYSample::new(v, right * v)
            })
            .collect()
    }

    const SECOND: usize = RATE as usize;
    /// 20 ms: two of the stereo window's 10 ms blocks.
    const SHORT: usize = SECOND / 50;

    #[test]
    fn runs_that_follow_each_other_are_no_gap() {
        // A second of mono, then 20 ms of anti-phase straight after it (as the ring's two runs):
        // the 300 ms window holds both, so the correlation is still mostly mono.
        let mut a = Analysis::new(RATE);
        a.add(0, &sine(0, SECOND, 0.5, 1.0));
        let anti = sine(SECOND, SHORT, 0.5, -1.0);
        a.add(SECOND as u64, &anti[..300]);
        a.add((SECOND + 300) as u64, &anti[300..]);
        let r = a.meters();
        assert!(r.correlation > 0.8, "{r:?}");
        assert_eq!(r.skipped, 0);
    }

    #[test]
    fn after_a_gap_the_300_ms_window_holds_only_the_new_audio() {
        // The same, but the anti-phase follows a hole of 5,000 samples: its 20 ms are all the
        // window has, so correlation, width, balance and RMS are theirs alone at once.
        let mut a = Analysis::new(RATE);
        a.add(0, &sine(0, SECOND, 0.5, 1.0));
        a.add((SECOND + 5000) as u64, &sine(SECOND + 5000, SHORT, 0.1, -1.0));
        let r = a.meters();
        assert!((r.correlation + 1.0).abs() < 1e-6, "{r:?}");
        assert!((r.width - 1.0).abs() < 1e-6 && r.balance.abs() < 1e-6, "{r:?}");
        let rms = to_db(0.1 / 2f64.sqrt());
        assert!(r.rms.iter().all(|db| (db - rms).abs() < 0.01), "{r:?}");
        assert_eq!(r.skipped, 5000);
    }

    #[test]
    fn after_a_gap_the_sample_peak_and_momentary_loudness_read_the_new_audio_and_the_rest_carries_on() {
        let mut a = Analysis::new(RATE);
        // Two seconds at 0.9 with one clipped sample, then a hole, then 50 ms at 0.1.
        let mut loud = sine(0, 2 * SECOND, 0.9, 1.0);
        loud[2 * SECOND - 1000] = XYSample::new(1.0, 1.0);
        a.add(0, &loud);
        let before = a.meters();
        let quiet = sine(3 * SECOND, SECOND / 20, 0.1, 1.0);
        a.add((3 * SECOND) as u64, &quiet);
        let r = a.meters();
        // Windowed: only the quiet audio, as a stream that began with it reads it (the loud
        // audio's 400 ms would read 19 dB louder).
        let mut fresh = Analysis::new(RATE);
        fresh.add(0, &quiet);
        let alone = fresh.meters();
        assert!(r.peak.iter().all(|db| (db - to_db(0.1)).abs() < 0.01), "{r:?}");
        assert!((r.momentary - alone.momentary).abs() < 0.3, "{alone:?}\n{r:?}");
        assert!(before.momentary > alone.momentary + 18.0, "{before:?}");
        // Carried on: the hold, the clips, the true peak and the integrated loudness.
        assert_eq!((r.peak_hold, r.clips, r.true_peak), (before.peak_hold, before.clips, before.true_peak));
        assert!((r.integrated - before.integrated).abs() < 0.1, "{before:?}\n{r:?}");
        assert_eq!(r.skipped, SECOND as u64);
    }

    #[test]
    fn the_levels_carry_on_over_a_gap_and_find_the_peak_where_it_was() {
        let mut a = Analysis::new(RATE);
        a.add(100, &[XYSample::new(0.5, 0.0); 10]);
        a.add(10_000, &[XYSample::new(0.0, -0.5), XYSample::new(0.25, 0.75)]);
        let r = a.take_levels();
        assert_eq!((r.peak, r.peak_at), (0.75, 10_001));
        // Twelve samples: ten at 0.5 and one at 0.25 on the left.
        assert!((r.rms_left - ((10.0 * 0.25 + 0.0625) / 12.0f64).sqrt()).abs() < 1e-9, "{r:?}");
        assert_eq!(a.meters().skipped, 100 + 10_000 - 110, "the 100 before the first run count too");
    }

    #[test]
    fn a_reset_of_the_meters_clears_the_skipped_count_and_keeps_the_position() {
        let mut a = Analysis::new(RATE);
        a.add(0, &sine(0, SECOND, 0.5, 1.0));
        a.add(SECOND as u64 + 480, &sine(0, 480, 0.5, 1.0));
        assert_eq!(a.meters().skipped, 480);
        a.reset_meters();
        assert_eq!(a.meters().skipped, 0);
        // The next run follows the last: no gap, however far back the reset was.
        a.add(SECOND as u64 + 960, &sine(0, 480, 0.5, 1.0));
        assert_eq!(a.meters().skipped, 0);
    }
}
