//! [`Loudness`]: ITU-R BS.1770-4 / EBU R128 loudness (momentary, short-term, integrated, range)
//! and true peak of a stereo stream, by the `ebur128` crate (a Rust implementation of the
//! standard, checked against libebur128). Its histogram mode keeps the gating history in fixed
//! bins, so nothing grows or allocates however long the stream runs.
//!
//! The momentary and short-term windows read only the audio since the start, the last reset or
//! the last [gap](Loudness::gap) until they have filled: a window never mixes audio from both
//! sides of a hole, and it reads the level of what it has (not that level diluted by silence).
//! The integrated loudness, the range and the true peaks carry on over a gap. `ebur128` has no
//! way to end its blocks at the gap short of a full reset, so the gating blocks that straddle
//! it (three 400 ms blocks, one to three 3 s blocks of the range) measure the audio of both
//! sides joined; their energies lie between those of the two sides. The joint itself is no
//! step: the filters (K-weighting, the true peak's interpolator) are first run over the new
//! audio played backwards, so they reach it from a mirror image of it and the interpolator
//! reads no peak that was never there.

use ebur128::{EbuR128, Mode};

/// How often, in seconds of audio, the loudness values are recomputed when read: the 3 s
/// short-term window costs a pass over its samples, so it is not redone every frame.
pub const REFRESH_SECONDS: f64 = 0.1;

/// Frames of the new audio, mirrored, run through the filters after a gap: the true peak's
/// interpolator holds 12 input frames at 4x oversampling (below 96 kHz), 24 at 2x.
pub const SEED_FRAMES: usize = 24;

/// The momentary window, in milliseconds.
const MOMENTARY_MS: u64 = 400;
/// The short-term window, in milliseconds.
const SHORT_TERM_MS: u64 = 3000;

/// The loudness values, in LUFS and LU; `-Infinity` for silence (no gated block yet).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoudnessReading {
    /// Over the last 400 ms (of the audio since the start, a reset or a gap, until 400 ms have
    /// come).
    pub momentary: f64,
    /// Over the last 3 s (likewise).
    pub short_term: f64,
    /// Gated, since the start or the last reset.
    pub integrated: f64,
    /// Loudness range (EBU Tech 3342), LU; 0 until there is a spread to measure.
    pub range: f64,
}

impl Default for LoudnessReading {
    fn default() -> Self {
        LoudnessReading {
            momentary: f64::NEG_INFINITY,
            short_term: f64::NEG_INFINITY,
            integrated: f64::NEG_INFINITY,
            range: 0.0,
        }
    }
}

/// The loudness and true-peak meter of a stereo stream, fed interleaved frames.
pub struct Loudness {
    meter: EbuR128,
    /// Frames added since the values were last computed, and how many make a refresh due.
    since_refresh: u64,
    refresh_frames: u64,
    values: LoudnessReading,
    /// The meter's sample rate, Hz.
    rate: u32,
    /// Frames added since the start, the last reset or the last gap: how much of the windows
    /// is filled with audio that belongs together.
    since_gap: u64,
    /// Whether the next frames follow a gap, so the filters are to be run over them mirrored.
    after_gap: bool,
    /// The mirrored frames, interleaved.
    mirror: [f32; 2 * SEED_FRAMES],
}

impl Loudness {
    /// A meter for a stereo stream at `sample_rate` Hz (clamped to what the standard's filters
    /// support, 16 Hz to 2.8 MHz).
    pub fn new(sample_rate: f32) -> Self {
        let rate = (sample_rate.round() as u32).clamp(16, 2_822_400);
        let mode = Mode::M | Mode::S | Mode::I | Mode::LRA | Mode::TRUE_PEAK | Mode::HISTOGRAM;
        let meter = EbuR128::new(2, rate, mode).expect("2 channels at a supported rate with a valid mode");
        let refresh_frames = ((f64::from(rate) * REFRESH_SECONDS) as u64).max(1);
        // Due at once: the first reading computes.
        Loudness {
            meter,
            since_refresh: refresh_frames,
            refresh_frames,
            values: LoudnessReading::default(),
            rate,
            since_gap: 0,
            after_gap: false,
            mirror: [0.0; 2 * SEED_FRAMES],
        }
    }

    /// Adds interleaved `[l, r, l, r, ...]` frames.
    pub fn add(&mut self, interleaved: &[f32]) {
        let frames = interleaved.len() / 2;
        if frames == 0 {
            return;
        }
        if std::mem::take(&mut self.after_gap) {
            // Frames k..1 backwards, so the filters then meet frame 0 as the mirror's centre.
            let k = (frames - 1).min(SEED_FRAMES);
            for (to, from) in self.mirror.chunks_exact_mut(2).zip(interleaved[2..2 * (k + 1)].chunks_exact(2).rev()) {
                to.copy_from_slice(from);
            }
            // Errors only for a slice that is not whole frames.
            let _ = self.meter.seed_frames_f32(&self.mirror[..2 * k]);
        }
        // Errors only for a slice that is not whole frames; the caller passes whole frames.
        let _ = self.meter.add_frames_f32(interleaved);
        self.since_refresh += frames as u64;
        self.since_gap += frames as u64;
    }

    /// Samples were skipped before the next ones: the momentary and short-term windows start
    /// again with the audio after the gap; the integrated loudness, the range and the true peaks
    /// carry on (see the module's notes).
    pub fn gap(&mut self) {
        self.since_gap = 0;
        self.after_gap = true;
        // Due: the next reading shows no window from before the gap.
        self.since_refresh = self.refresh_frames;
    }

    /// Clears everything: integrated loudness, range and true peaks start again.
    pub fn reset(&mut self) {
        self.meter.reset();
        self.values = LoudnessReading::default();
        self.since_refresh = self.refresh_frames;
        self.since_gap = 0;
        self.after_gap = false;
    }

    /// The loudness values, recomputed when [`REFRESH_SECONDS`] of audio came in since the
    /// last time.
    pub fn reading(&mut self) -> LoudnessReading {
        if self.since_refresh >= self.refresh_frames {
            self.since_refresh = 0;
            let m = &self.meter;
            let or_silent = |v: Result<f64, ebur128::Error>| v.ok().filter(|v| !v.is_nan()).unwrap_or(f64::NEG_INFINITY);
            // The newest `full_ms`, or all the audio since the start, a reset or a gap when it
            // is shorter (whole milliseconds of it, so nothing from before).
            let have_ms = self.since_gap.saturating_mul(1000) / u64::from(self.rate);
            let window = |full_ms: u64| match have_ms.min(full_ms) {
                0 => f64::NEG_INFINITY,
                ms => or_silent(m.loudness_window(ms as u32)),
            };
            self.values = LoudnessReading {
                momentary: window(MOMENTARY_MS),
                short_term: window(SHORT_TERM_MS),
                integrated: or_silent(m.loudness_global()),
                range: m.loudness_range().ok().filter(|v| v.is_finite()).unwrap_or(0.0),
            };
        }
        self.values
    }

    /// The largest true peak (BS.1770-4 annex 2, 4x oversampled below 96 kHz) of `channel`
    /// (0 left, 1 right) since the start or the last reset, linear.
    pub fn true_peak(&self, channel: u32) -> f64 {
        self.meter.true_peak(channel).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    //! The cases of EBU Tech 3341 (loudness) and Tech 3342 (loudness range) that are defined by
    //! formula, with the tolerances the documents give. Levels are of each channel's sine peak
    //! (a stereo 1 kHz sine at -23 dBFS reads -23 LUFS).
    use super::*;
    use crate::signal::meters::peak::to_db;
    use std::f64::consts::TAU;

    const RATE: f32 = 48_000.0;

    /// A stereo 1 kHz sine at `db` dBFS for `seconds`, continuing the phase from `phase`.
    fn tone(meter: &mut Loudness, db: f64, seconds: f64, phase: &mut u64) {
        let a = 10f64.powf(db / 20.0);
        let n = (seconds * f64::from(RATE)).round() as usize;
        let mut buf = Vec::with_capacity(2 * 4800);
        for _ in 0..n {
            let v = (a * (TAU * 1000.0 * *phase as f64 / f64::from(RATE)).sin()) as f32;
            *phase += 1;
            buf.extend([v, v]);
            if buf.len() == buf.capacity() {
                meter.add(&buf);
                buf.clear();
            }
        }
        meter.add(&buf);
    }

    /// Plays `(dBFS, seconds)` segments of the 1 kHz sine and returns the meter.
    fn play(segments: &[(f64, f64)]) -> Loudness {
        let mut meter = Loudness::new(RATE);
        let mut phase = 0;
        for &(db, s) in segments {
            tone(&mut meter, db, s, &mut phase);
        }
        meter
    }

    fn assert_near(what: &str, got: f64, want: f64, tolerance: f64) {
        assert!((got - want).abs() <= tolerance, "{what}: {got:.3}, want {want} +- {tolerance}");
    }

    #[test]
    fn tech_3341_cases_1_and_2_steady_sines_at_minus_23_and_minus_33() {
        for db in [-23.0, -33.0] {
            let r = play(&[(db, 20.0)]).reading();
            assert_near("momentary", r.momentary, db, 0.1);
            assert_near("short-term", r.short_term, db, 0.1);
            assert_near("integrated", r.integrated, db, 0.1);
        }
    }

    #[test]
    fn tech_3341_cases_3_to_5_gating() {
        let cases: [&[(f64, f64)]; 3] = [
            &[(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)],
            &[(-72.0, 10.0), (-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0), (-72.0, 10.0)],
            &[(-26.0, 20.0), (-20.0, 20.1), (-26.0, 20.0)],
        ];
        for (i, segments) in cases.iter().enumerate() {
            assert_near(&format!("case {}: integrated", i + 3), play(segments).reading().integrated, -23.0, 0.1);
        }
    }

    #[test]
    fn tech_3341_case_9_short_term_of_alternating_levels_is_steady() {
        // 1.34 s at -20 and 1.66 s at -30 dBFS, 5 times: -23 LUFS short-term after 3 s.
        let mut meter = Loudness::new(RATE);
        let mut phase = 0;
        tone(&mut meter, -20.0, 1.34, &mut phase);
        tone(&mut meter, -30.0, 1.66, &mut phase);
        for _ in 0..4 {
            for (db, s) in [(-20.0, 1.34f64), (-30.0, 1.66)] {
                // Read every 100 ms through the segment, as the meter strip does.
                for _ in 0..(s * 10.0) as usize {
                    tone(&mut meter, db, 0.1, &mut phase);
                    assert_near("short-term", meter.reading().short_term, -23.0, 0.1);
                }
                tone(&mut meter, db, s - (s * 10.0).floor() / 10.0, &mut phase);
            }
        }
    }

    #[test]
    fn tech_3341_case_12_momentary_of_alternating_levels_is_steady() {
        // 0.18 s at -20 and 0.22 s at -30 dBFS, 25 times: -23 LUFS momentary after 1 s.
        let mut meter = Loudness::new(RATE);
        let mut phase = 0;
        for i in 0..25 {
            tone(&mut meter, -20.0, 0.18, &mut phase);
            tone(&mut meter, -30.0, 0.22, &mut phase);
            if i >= 3 {
                meter.since_refresh = meter.refresh_frames;
                assert_near("momentary", meter.reading().momentary, -23.0, 0.1);
            }
        }
    }

    #[test]
    fn tech_3342_loudness_range_cases_1_to_4() {
        let cases: [(&[(f64, f64)], f64); 4] = [
            (&[(-20.0, 20.0), (-30.0, 20.0)], 10.0),
            (&[(-20.0, 20.0), (-15.0, 20.0)], 5.0),
            (&[(-40.0, 20.0), (-20.0, 20.0)], 20.0),
            (&[(-50.0, 20.0), (-35.0, 20.0), (-20.0, 20.0), (-35.0, 20.0), (-50.0, 20.0)], 15.0),
        ];
        for (i, (segments, lra)) in cases.iter().enumerate() {
            assert_near(&format!("3342 case {}: range", i + 1), play(segments).reading().range, *lra, 1.0);
        }
    }

    #[test]
    fn true_peak_of_a_quarter_rate_sine_between_its_samples() {
        // Tech 3341 cases 15 to 17: a sine at fs/4 and -6.02 dBFS (0.5) peaks at -6.02 dBTP
        // whatever its phase, while its samples (at 45 degrees) peak 3 dB lower.
        for (degrees, sample_peak_db) in [(0.0, -6.02), (45.0, -9.03), (60.0, -7.27)] {
            let mut meter = Loudness::new(RATE);
            let phase = f64::to_radians(degrees);
            let frames: Vec<f32> = (0..48_000)
                .flat_map(|i| {
                    let v = (0.5 * (TAU * i as f64 / 4.0 + phase).sin()) as f32;
                    [v, v]
                })
                .collect();
            meter.add(&frames);
            let sample_peak = frames.iter().fold(0f32, |m, v| m.max(v.abs()));
            assert_near(&format!("{degrees} deg: sample peak"), to_db(f64::from(sample_peak)), sample_peak_db, 0.01);
            for ch in 0..2 {
                assert_near(&format!("{degrees} deg: true peak"), to_db(meter.true_peak(ch)), -6.02, 0.2);
            }
        }
    }

    #[test]
    fn silence_reads_minus_infinity_and_a_reset_starts_again() {
        let mut meter = play(&[(-23.0, 5.0)]);
        assert!(meter.reading().integrated > -24.0);
        meter.reset();
        assert_eq!(meter.reading(), LoudnessReading::default());
        assert_eq!(meter.true_peak(0), 0.0);
        let mut silent = Loudness::new(RATE);
        silent.add(&vec![0.0; 2 * 48_000]);
        assert_eq!(silent.reading(), LoudnessReading::default());
    }

    #[test]
    fn a_gap_restarts_the_momentary_and_short_term_windows() {
        let mut meter = play(&[(-20.0, 5.0)]);
        meter.gap();
        let r = meter.reading();
        assert_eq!((r.momentary, r.short_term), (f64::NEG_INFINITY, f64::NEG_INFINITY), "nothing since the gap");
        // 200 ms at -30 after it: both windows read them alone (without the gap, the momentary
        // would read about -22.6, half of it from before the gap, the short-term about -20.3).
        let mut phase = 0;
        tone(&mut meter, -30.0, 0.2, &mut phase);
        let r = meter.reading();
        assert_near("momentary", r.momentary, -30.0, 0.1);
        assert_near("short-term", r.short_term, -30.0, 0.1);
    }

    #[test]
    fn the_integrated_loudness_and_range_over_a_gap_are_those_of_the_two_parts() {
        // Tech 3342 case 1 (10 LU) in two parts, the second starting a quarter period on, so
        // the joint is a step; measured apart, the parts give the reference.
        let (mut a, mut b) = (Loudness::new(RATE), Loudness::new(RATE));
        let mut both = Loudness::new(RATE);
        let (mut pa, mut pb) = (0, 12);
        tone(&mut a, -20.0, 20.0, &mut pa);
        tone(&mut b, -30.0, 20.0, &mut pb);
        let (mut pa, mut pb) = (0, 12);
        tone(&mut both, -20.0, 20.0, &mut pa);
        both.gap();
        tone(&mut both, -30.0, 20.0, &mut pb);
        let parts = EbuR128::loudness_global_multiple([&a.meter, &b.meter].into_iter()).unwrap();
        let r = both.reading();
        // A reset at the gap would read -30 and a range of 0.
        assert_near("integrated", r.integrated, parts, 0.01);
        assert_near("range", r.range, EbuR128::loudness_range_multiple([&a.meter, &b.meter]).unwrap(), 0.1);
        assert_near("range", r.range, 10.0, 1.0);
        assert_near("true peak", to_db(both.true_peak(0)), -20.0, 0.1);
    }

    #[test]
    fn the_joint_at_a_gap_reads_no_true_peak_that_was_not_there() {
        // A 100 Hz sine at 0.9 cut at a crest and resumed at a trough: a step of 1.8 across the
        // gap, which the interpolator would read as an inter-sample peak of about 1.06.
        let sine = |i: usize| (0.9 * (TAU * 100.0 * i as f64 / f64::from(RATE)).sin()) as f32;
        let frames = |range: std::ops::Range<usize>| range.flat_map(|i| [sine(i), sine(i)]).collect::<Vec<_>>();
        let mut meter = Loudness::new(RATE);
        // 480 samples a period: the crest at 120, the trough at 360.
        meter.add(&frames(0..48_000 + 121));
        meter.gap();
        meter.add(&frames(360..360 + 48_000));
        for ch in 0..2 {
            assert!(meter.true_peak(ch) < 0.905, "true peak {} across the joint", meter.true_peak(ch));
        }
    }
}
