//! [`DisplayChain`]: what happens to the drained samples between the meters (which have seen
//! them as they arrived) and the renderer, each animation frame: the over-range check on the
//! raw samples, the [conditioning](super::conditioning), then either the
//! [upsampler](super::upsample) (the trace) or the [polar level](super::polar::PolarLevel)
//! rays. The output lives in a buffer kept from frame to frame, which grows only when a frame
//! brings more samples than any before.

use super::conditioning::{Conditioning, Invert};
use super::polar::PolarLevel;
use super::upsample::{offered_factor, Upsampler, DEFAULT_FACTOR};
use crate::sample::XYSample;

/// How long the over-range lamp stays lit after the last sample past full scale, in ms.
pub const OVER_RANGE_HOLD_MS: f64 = 1000.0;

/// What a frame's samples became, for the renderer.
#[derive(Clone, Copy, Debug)]
pub struct DisplayRun<'a> {
    /// The points to draw, in order.
    pub samples: &'a [XYSample],
    /// Their rate (the input's times the upsampling factor): sets the light each deposits.
    pub rate: f32,
    /// Whether the first continues the last frame's trace (false after a gap, and for rays,
    /// which are drawn afresh each frame).
    pub joins: bool,
    /// Points per input sample: the upsampling factor for the trace, 1 for rays.
    pub points_per_sample: usize,
}

/// The display's part of the signal chain for one scope.
pub struct DisplayChain {
    rate: f32,
    conditioning: Conditioning,
    upsampler: Upsampler,
    polar: PolarLevel,
    /// Whether the output is the polar level's rays rather than the trace.
    rays: bool,
    conditioned: Vec<XYSample>,
    out: Vec<XYSample>,
    over_range_ms: f64,
}

impl DisplayChain {
    /// The chain for a stream at `sample_rate` Hz: no conditioning, upsampling by
    /// [`DEFAULT_FACTOR`], the trace.
    pub fn new(sample_rate: f32) -> Self {
        DisplayChain {
            rate: sample_rate,
            conditioning: Conditioning::new(sample_rate),
            upsampler: Upsampler::new(DEFAULT_FACTOR),
            polar: PolarLevel::new(sample_rate),
            rays: false,
            conditioned: Vec::with_capacity(8192),
            out: Vec::with_capacity(8192 * DEFAULT_FACTOR as usize),
            over_range_ms: f64::NEG_INFINITY,
        }
    }

    /// Follows the stream's sample rate (a new source may run at another); a change starts the
    /// filters afresh, keeping the settings.
    pub fn set_rate(&mut self, sample_rate: f32) {
        if sample_rate == self.rate || !(sample_rate.is_finite() && sample_rate > 0.0) {
            return;
        }
        let before = self.conditioning;
        self.rate = sample_rate;
        self.conditioning = Conditioning::new(sample_rate);
        self.conditioning.set_dc_block(before.dc_block);
        self.conditioning.swap = before.swap;
        self.conditioning.invert = before.invert;
        self.conditioning.set_auto_gain(before.auto_gain);
        self.polar = PolarLevel::new(sample_rate);
        self.upsampler.reset();
    }

    /// Starts the filters afresh (the stream stopped; what comes next does not follow it).
    pub fn reset(&mut self) {
        self.conditioning.reset();
        self.upsampler.reset();
    }

    /// Turns the DC block on or off.
    pub fn set_dc_block(&mut self, on: bool) {
        self.conditioning.set_dc_block(on);
    }

    /// Swaps left and right, or not.
    pub fn set_swap(&mut self, on: bool) {
        self.conditioning.swap = on;
    }

    /// Which channels to invert.
    pub fn set_invert(&mut self, invert: Invert) {
        self.conditioning.invert = invert;
    }

    /// Turns auto-gain on or off.
    pub fn set_auto_gain(&mut self, on: bool) {
        self.conditioning.set_auto_gain(on);
    }

    /// The upsampling factor (1, 2, 4 or 8; see [`Upsampler::new`]); a change starts it afresh.
    pub fn set_upsample(&mut self, factor: u32) {
        if offered_factor(factor) != self.upsampler.factor() {
            self.upsampler = Upsampler::new(factor);
        }
    }

    /// The upsampling factor in use.
    pub fn upsample(&self) -> u32 {
        self.upsampler.factor()
    }

    /// Draws the polar level's rays (true) or the trace (false).
    pub fn set_rays(&mut self, on: bool) {
        if on != self.rays {
            self.polar.reset();
        }
        self.rays = on;
    }

    /// The gain auto-gain applies now, linear (1 while it is off).
    pub fn applied_gain(&self) -> f32 {
        self.conditioning.applied_gain()
    }

    /// Whether a sample past full scale (over 0 dBFS, as it arrived) came within
    /// [`OVER_RANGE_HOLD_MS`] of `now_ms`.
    pub fn over_range(&self, now_ms: f64) -> bool {
        now_ms - self.over_range_ms < OVER_RANGE_HOLD_MS
    }

    /// Takes the frame's samples (`runs`, in order; `gap`: samples are missing before them) at
    /// `now_ms` and returns what to draw. Allocates nothing once the buffers have grown to the
    /// largest frame.
    pub fn process(&mut self, runs: [&[XYSample]; 2], gap: bool, now_ms: f64) -> DisplayRun<'_> {
        if runs.iter().any(|r| r.iter().any(XYSample::past_full_scale)) {
            self.over_range_ms = now_ms;
        }
        if gap {
            self.reset();
        }
        self.out.clear();
        let identity = self.conditioning.is_identity();
        if !identity {
            self.conditioned.clear();
            for run in runs {
                self.conditioned.extend(run.iter().map(|&s| self.conditioning.process(s)));
            }
        }
        let input: [&[XYSample]; 2] = if identity { runs } else { [&self.conditioned, &[]] };
        if self.rays {
            for run in input {
                run.iter().for_each(|&s| self.polar.add(s));
            }
            self.polar.finish();
            self.polar.rays(&mut self.out);
            return DisplayRun { samples: &self.out, rate: self.rate, joins: false, points_per_sample: 1 };
        }
        for run in input {
            self.upsampler.process(run, &mut self.out);
        }
        DisplayRun {
            samples: &self.out,
            rate: self.rate * self.upsampler.factor() as f32,
            joins: !gap,
            points_per_sample: self.upsampler.factor() as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(n: usize, from: usize) -> Vec<XYSample> {
        (from..from + n).map(|i| XYSample::new((i as f32 * 0.3).sin(), (i as f32 * 0.3).cos())).collect()
    }

    #[test]
    fn frames_joined_equal_one_long_run() {
        let all = tone(3000, 0);
        let mut once = DisplayChain::new(48_000.0);
        once.set_dc_block(true);
        once.set_invert(Invert::Right);
        let whole = once.process([&all[..1700], &all[1700..]], false, 0.0).samples.to_vec();
        assert_eq!(whole.len(), 3000 * DEFAULT_FACTOR as usize);
        let mut split = DisplayChain::new(48_000.0);
        split.set_dc_block(true);
        split.set_invert(Invert::Right);
        let mut joined = Vec::new();
        for (i, (a, b)) in [(0, 800), (800, 801), (801, 1600), (1600, 3000)].into_iter().enumerate() {
            let run = split.process([&all[a..b.min(a + 500)], &all[b.min(a + 500)..b]], false, i as f64 * 16.7);
            assert!(run.joins);
            joined.extend_from_slice(run.samples);
        }
        assert_eq!(whole, joined);
    }

    #[test]
    fn a_gap_starts_the_filters_afresh_and_rays_never_join() {
        let mut chain = DisplayChain::new(48_000.0);
        chain.process([&tone(800, 0), &[]], false, 0.0);
        let after_gap = chain.process([&[XYSample::new(0.5, 0.5); 64], &[]], true, 16.7);
        assert!(!after_gap.joins);
        // The upsampler's history is the first sample after the gap: no ramp from the past.
        assert!(after_gap.samples.iter().all(|s| (s.x - 0.5).abs() < 1e-5), "{:?}", &after_gap.samples[..8]);
        chain.set_rays(true);
        let rays = chain.process([&tone(800, 0), &[]], false, 33.3);
        assert!(!rays.joins && !rays.samples.is_empty());
    }

    #[test]
    fn the_lamp_sees_the_samples_as_they_arrived() {
        let mut chain = DisplayChain::new(48_000.0);
        chain.set_auto_gain(true);
        // Auto-gain draws a hot signal within full scale, yet a sample that arrived past full
        // scale lights the lamp; a quiet one, lifted by auto-gain, does not.
        chain.process([&[XYSample::new(0.01, 0.0); 4800], &[]], false, 0.0);
        assert!(!chain.over_range(10.0));
        let hot = chain.process([&[XYSample::new(1.5, 0.0); 480], &[]], false, 20.0);
        assert!(hot.samples.iter().all(|s| s.x.abs() <= 1.0), "drawn within full scale");
        assert!(chain.over_range(500.0) && !chain.over_range(1020.0 + 1.0));
        assert!(chain.applied_gain() < 1.0);
    }

    #[test]
    fn upsampling_multiplies_the_rate_and_the_samples() {
        let mut chain = DisplayChain::new(44_100.0);
        for factor in [1, 2, 4, 8] {
            chain.set_upsample(factor);
            let run = chain.process([&tone(100, 0), &tone(28, 100)], false, 0.0);
            assert_eq!(run.samples.len(), 128 * factor as usize);
            assert_eq!(run.rate, 44_100.0 * factor as f32);
        }
    }
}
