//! [`Meters`]: the stereo and level meters, fed every drained sample (gapless, so they are
//! exact), read at any time. Each measure is its own small struct: [`stereo`] (correlation,
//! balance, width, RMS over 300 ms), [`peak`] (sample peak, 2 s hold, clip count) and
//! [`loudness`] (BS.1770-4 loudness and true peak).
//!
//! A [gap](Meters::gap) in the stream (a stalled page skipped to the newest samples) is not a
//! reset, but no window mixes audio from both sides of it:
//!
//! - correlation, balance, width and RMS (300 ms), the sample peak (100 ms), the momentary
//!   (400 ms) and short-term (3 s) loudness: their windows start again with the audio after the
//!   gap, and read what they have until they have filled;
//! - the peak hold (2 s of audio measured), the clip counts, the largest true peak, the
//!   integrated loudness and the loudness range carry on over it, without the skipped audio;
//! - [`MeterReading::skipped`] counts the samples the meters missed, so a page can say so.

pub mod loudness;
pub mod peak;
pub mod stereo;

use crate::sample::XYSample;
use loudness::Loudness;
use peak::{to_db, PeakMeter};
use stereo::StereoWindow;

/// Every meter of a stereo stream.
pub struct Meters {
    stereo: StereoWindow,
    peaks: [PeakMeter; 2],
    loudness: Loudness,
    /// Samples skipped in gaps since the start or the last reset.
    skipped: u64,
}

/// One reading of [`Meters`]; levels in dB (`-Infinity` for silence).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeterReading {
    /// -1 (anti-phase) to +1 (mono), over 300 ms; 0 when a channel is silent.
    pub correlation: f64,
    /// -1 left only to +1 right only, over 300 ms.
    pub balance: f64,
    /// 0 mono, 0.5 uncorrelated, 1 anti-phase, over 300 ms.
    pub width: f64,
    /// Sample peak of the last 100 ms, dBFS, left and right.
    pub peak: [f64; 2],
    /// Sample peak of the last 2 s, dBFS.
    pub peak_hold: [f64; 2],
    /// Samples at or past full scale since the start or the last reset.
    pub clips: [u64; 2],
    /// RMS over 300 ms, dBFS.
    pub rms: [f64; 2],
    /// Largest true peak since the start or the last reset, dBTP.
    pub true_peak: [f64; 2],
    /// Momentary loudness (400 ms), LUFS.
    pub momentary: f64,
    /// Short-term loudness (3 s), LUFS.
    pub short_term: f64,
    /// Integrated loudness (gated), LUFS.
    pub integrated: f64,
    /// Loudness range, LU.
    pub range: f64,
    /// Samples the meters missed (skipped in gaps after stalls) since the start or the last
    /// reset: the integrated values are of the rest.
    pub skipped: u64,
}

impl Meters {
    /// Meters for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        Meters {
            stereo: StereoWindow::new(sample_rate),
            peaks: [PeakMeter::new(sample_rate), PeakMeter::new(sample_rate)],
            loudness: Loudness::new(sample_rate),
            skipped: 0,
        }
    }

    /// Adds a run of samples: the next in the stream, or the first after a [`gap`](Self::gap).
    pub fn add(&mut self, samples: &[XYSample]) {
        let [left, right] = &mut self.peaks;
        for s in samples {
            self.stereo.add(s.x, s.y);
            left.add(s.x);
            right.add(s.y);
        }
        self.loudness.add(bytemuck::cast_slice(samples));
    }

    /// Says that `skipped` samples of the stream were never given, before the next run: the
    /// windowed meters start again, the integrating ones carry on (see the module's notes).
    pub fn gap(&mut self, skipped: u64) {
        self.stereo.reset();
        self.peaks.iter_mut().for_each(PeakMeter::gap);
        self.loudness.gap();
        self.skipped += skipped;
    }

    /// Clears the integrated values, the holds, the clip counts and the count of skipped
    /// samples (and the windows).
    pub fn reset(&mut self) {
        self.stereo.reset();
        self.peaks.iter_mut().for_each(PeakMeter::reset);
        self.loudness.reset();
        self.skipped = 0;
    }

    /// Reads every meter. Cheap: the loudness values are recomputed at most every 100 ms of audio.
    pub fn reading(&mut self) -> MeterReading {
        let s = self.stereo.reading();
        let l = self.loudness.reading();
        let per_channel = |f: &dyn Fn(usize) -> f64| [f(0), f(1)];
        MeterReading {
            correlation: s.correlation,
            balance: s.balance,
            width: s.width,
            peak: per_channel(&|c| to_db(f64::from(self.peaks[c].peak()))),
            peak_hold: per_channel(&|c| to_db(f64::from(self.peaks[c].hold()))),
            clips: [self.peaks[0].clips(), self.peaks[1].clips()],
            rms: s.rms_db,
            true_peak: per_channel(&|c| to_db(self.loudness.true_peak(c as u32))),
            momentary: l.momentary,
            short_term: l.short_term,
            integrated: l.integrated,
            range: l.range,
            skipped: self.skipped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::TAU;

    const RATE: f32 = 48_000.0;

    fn stream(n: usize) -> Vec<XYSample> {
        (0..n)
            .map(|i| {
                let t = i as f32 / RATE;
                XYSample::new(0.7 * (TAU * 440.0 * t).sin(), 0.4 * (TAU * 1310.0 * t).sin() + 0.3 * (TAU * 440.0 * t).sin())
            })
            .collect()
    }

    #[test]
    fn runs_of_any_length_read_as_one_long_run() {
        let samples = stream(5 * RATE as usize);
        let mut whole = Meters::new(RATE);
        whole.add(&samples);
        let mut pieces = Meters::new(RATE);
        let mut rest = &samples[..];
        for len in [1, 127, 128, 800, 3, 5000, 801].iter().cycle() {
            let (run, tail) = rest.split_at((*len).min(rest.len()));
            pieces.add(run);
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
        let (a, b) = (whole.reading(), pieces.reading());
        // The windows and peaks are exact; the loudness filters sum in a different order.
        assert_eq!((a.correlation, a.balance, a.width, a.peak, a.peak_hold, a.rms), (b.correlation, b.balance, b.width, b.peak, b.peak_hold, b.rms));
        for (x, y) in [(a.momentary, b.momentary), (a.short_term, b.short_term), (a.integrated, b.integrated), (a.true_peak[0], b.true_peak[0])] {
            assert!((x - y).abs() < 1e-6, "{a:?}\n{b:?}");
        }
    }

    #[test]
    fn a_reading_gathers_every_meter_and_a_reset_clears_the_integrated_ones_and_the_skipped_count() {
        let mut m = Meters::new(RATE);
        let mut loud = stream(3 * RATE as usize);
        loud[1000] = XYSample::new(1.2, -1.0);
        m.add(&loud[..2000]);
        m.gap(4800);
        m.add(&loud[2000..]);
        let r = m.reading();
        assert_eq!((r.clips, r.skipped), ([1, 1], 4800));
        assert!(r.correlation > 0.2 && r.correlation < 1.0, "{r:?}");
        assert!((r.peak[0] - to_db(0.7)).abs() < 0.01, "{r:?}");
        assert!(r.true_peak[0] >= to_db(1.2) - 1e-6, "{r:?}");
        assert!(r.integrated.is_finite() && r.short_term.is_finite() && r.momentary.is_finite(), "{r:?}");
        m.reset();
        let r = m.reading();
        assert_eq!((r.clips, r.integrated, r.true_peak), ([0, 0], f64::NEG_INFINITY, [f64::NEG_INFINITY; 2]));
        assert_eq!(r.skipped, 0);
        assert_eq!(r.peak_hold, [f64::NEG_INFINITY; 2]);
    }
}
