//! Conditioning for display: what is done to the samples before they are drawn and never before
//! they are measured (the meters see the signal as it arrived). [`DcBlock`] removes an offset,
//! [`Conditioning`] swaps and inverts channels, and [`AutoGain`] fits the trace to the
//! graticule. Each is fed sample by sample and allocates nothing.

use crate::sample::XYSample;

/// The DC block's corner frequency in Hz: low enough to pass 20 Hz within 0.3 dB, high enough
/// to remove an offset within a fraction of a second (its time constant is 32 ms).
pub const DC_BLOCK_HZ: f32 = 5.0;

/// A first-order high-pass per channel, `y[n] = x[n] - x[n-1] + a y[n-1]`, with its pole
/// placed for [`DC_BLOCK_HZ`].
#[derive(Clone, Copy, Debug)]
pub struct DcBlock {
    a: f32,
    last_in: XYSample,
    last_out: XYSample,
    primed: bool,
}

impl DcBlock {
    /// A DC block for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        let rate = if sample_rate.is_finite() && sample_rate > 0.0 { sample_rate } else { 48_000.0 };
        DcBlock {
            a: (-std::f32::consts::TAU * DC_BLOCK_HZ / rate).exp(),
            last_in: XYSample::default(),
            last_out: XYSample::default(),
            primed: false,
        }
    }

    /// The next sample, filtered. After a [`reset`](Self::reset) the first sample counts as the
    /// offset so far: the output starts at 0 rather than with a step.
    #[inline]
    pub fn process(&mut self, s: XYSample) -> XYSample {
        if !self.primed {
            self.primed = true;
            self.last_in = s;
        }
        let out = XYSample {
            x: s.x - self.last_in.x + self.a * self.last_out.x,
            y: s.y - self.last_in.y + self.a * self.last_out.y,
        };
        self.last_in = s;
        self.last_out = out;
        out
    }

    /// Forgets the past (after a gap in the stream).
    pub fn reset(&mut self) {
        self.primed = false;
        self.last_out = XYSample::default();
    }
}

/// Which channels are inverted (multiplied by -1) for display.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Invert {
    /// Neither.
    #[default]
    None,
    /// The left channel.
    Left,
    /// The right channel.
    Right,
    /// Both (the figure turns by 180 degrees).
    Both,
}

impl Invert {
    /// `"left"`, `"right"`, `"both"`; anything else is [`Invert::None`].
    pub fn parse(text: &str) -> Self {
        match text {
            "left" => Invert::Left,
            "right" => Invert::Right,
            "both" => Invert::Both,
            _ => Invert::None,
        }
    }

    /// The factors for left and right.
    fn signs(self) -> [f32; 2] {
        match self {
            Invert::None => [1.0, 1.0],
            Invert::Left => [-1.0, 1.0],
            Invert::Right => [1.0, -1.0],
            Invert::Both => [-1.0, -1.0],
        }
    }
}

/// Where auto-gain puts the trace's peak: 0.9 of full scale, inside the graticule's circle.
pub const AUTO_GAIN_TARGET: f32 = 0.9;
/// The least gain auto-gain applies, in dB (a loud signal is brought down this far at most).
pub const AUTO_GAIN_MIN_DB: f32 = -12.0;
/// The most gain auto-gain applies, in dB (silence and noise are not blown up past this).
pub const AUTO_GAIN_MAX_DB: f32 = 30.0;
/// Auto-gain's release time constant in seconds: a quieter passage grows over about a second.
pub const AUTO_GAIN_RELEASE_S: f32 = 0.3;

/// Fits the trace to the graticule: follows the displayed peak, `max(|x|, |y|)`, with an
/// instant attack (no sample is drawn past the target, within the gain's range) and a slow
/// release, and gives the gain that puts the peak at [`AUTO_GAIN_TARGET`], within
/// [`AUTO_GAIN_MIN_DB`] to [`AUTO_GAIN_MAX_DB`]. The envelope falls by 1/e in
/// [`AUTO_GAIN_RELEASE_S`], so the gain settles on a new, quieter level within about a second.
#[derive(Clone, Copy, Debug)]
pub struct AutoGain {
    release: f32,
    envelope: f32,
}

impl AutoGain {
    /// Auto-gain for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        let rate = if sample_rate.is_finite() && sample_rate > 0.0 { sample_rate } else { 48_000.0 };
        AutoGain {
            release: 1.0 - (-1.0 / (AUTO_GAIN_RELEASE_S * rate)).exp(),
            envelope: 0.0,
        }
    }

    /// Follows one sample (after the other conditioning) and returns the gain for it.
    #[inline]
    pub fn process(&mut self, s: XYSample) -> f32 {
        let level = s.x.abs().max(s.y.abs());
        if level > self.envelope {
            self.envelope = level;
        } else {
            self.envelope += self.release * (level - self.envelope);
        }
        self.gain()
    }

    /// The gain for the current envelope, linear.
    pub fn gain(&self) -> f32 {
        let (min, max) = (db_to_gain(AUTO_GAIN_MIN_DB), db_to_gain(AUTO_GAIN_MAX_DB));
        if self.envelope <= AUTO_GAIN_TARGET / max {
            max
        } else {
            (AUTO_GAIN_TARGET / self.envelope).clamp(min, max)
        }
    }

    /// Forgets the envelope: the gain starts from its greatest again (the attack brings it in).
    pub fn reset(&mut self) {
        self.envelope = 0.0;
    }
}

/// A level in dB as a linear gain.
pub fn db_to_gain(db: f32) -> f32 {
    10f32.powf(db / 20.0)
}

/// The display conditioning: DC block, swap, invert and auto-gain, in that order.
#[derive(Clone, Copy, Debug)]
pub struct Conditioning {
    /// Whether the DC block runs.
    pub dc_block: bool,
    /// Whether left and right are swapped.
    pub swap: bool,
    /// Which channels are inverted.
    pub invert: Invert,
    /// Whether auto-gain runs.
    pub auto_gain: bool,
    dc: DcBlock,
    auto: AutoGain,
    /// The gain auto-gain applied to the last sample (1 while it is off).
    applied: f32,
}

impl Conditioning {
    /// Conditioning for a stream at `sample_rate` Hz, everything off.
    pub fn new(sample_rate: f32) -> Self {
        Conditioning {
            dc_block: false,
            swap: false,
            invert: Invert::None,
            auto_gain: false,
            dc: DcBlock::new(sample_rate),
            auto: AutoGain::new(sample_rate),
            applied: 1.0,
        }
    }

    /// Whether any of it changes the samples.
    pub fn is_identity(&self) -> bool {
        !self.dc_block && !self.swap && self.invert == Invert::None && !self.auto_gain
    }

    /// Conditions one sample.
    #[inline]
    pub fn process(&mut self, s: XYSample) -> XYSample {
        let mut s = if self.dc_block { self.dc.process(s) } else { s };
        if self.swap {
            s = XYSample { x: s.y, y: s.x };
        }
        let [l, r] = self.invert.signs();
        s = XYSample { x: s.x * l, y: s.y * r };
        if self.auto_gain {
            self.applied = self.auto.process(s);
            s = XYSample { x: s.x * self.applied, y: s.y * self.applied };
        }
        s
    }

    /// The gain auto-gain applied last, linear (1 while it is off).
    pub fn applied_gain(&self) -> f32 {
        if self.auto_gain { self.applied } else { 1.0 }
    }

    /// Forgets the filter's past (after a gap in the stream). Auto-gain's envelope carries on:
    /// the level has not changed because a few frames were skipped.
    pub fn reset(&mut self) {
        self.dc.reset();
    }

    /// Turns auto-gain on or off; turned on, it starts from its greatest gain.
    pub fn set_auto_gain(&mut self, on: bool) {
        if on && !self.auto_gain {
            self.auto.reset();
        }
        self.auto_gain = on;
        self.applied = 1.0;
    }

    /// Turns the DC block on or off; turned on, it starts afresh.
    pub fn set_dc_block(&mut self, on: bool) {
        if on && !self.dc_block {
            self.dc.reset();
        }
        self.dc_block = on;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: f32 = 48_000.0;

    fn sine(f: f32, n: usize, amplitude: f32) -> impl Iterator<Item = f32> {
        (0..n).map(move |i| amplitude * (std::f32::consts::TAU * f * i as f32 / RATE).sin())
    }

    #[test]
    fn dc_block_removes_an_offset_within_a_second() {
        let mut dc = DcBlock::new(RATE);
        // A 0.5 offset under a small tone: the step at the start is what the filter must remove.
        dc.process(XYSample::new(0.0, 0.0));
        let mut last = XYSample::default();
        for (i, t) in sine(440.0, RATE as usize, 0.01).enumerate() {
            last = dc.process(XYSample::new(0.5 + t, 0.5 - t));
            if i == 1 {
                assert!(last.x > 0.45, "the step passes at first: {last:?}");
            }
        }
        // After a second only the tone remains (within 0.001 of the offset).
        let mut worst_mean = 0.0f32;
        let mut sum = XYSample::default();
        for t in sine(440.0, 4800, 0.01) {
            let s = dc.process(XYSample::new(0.5 + t, 0.5 - t));
            sum.x += s.x;
            sum.y += s.y;
            worst_mean = worst_mean.max(s.x.abs().max(s.y.abs()));
        }
        assert!((sum.x / 4800.0).abs() < 1e-3 && (sum.y / 4800.0).abs() < 1e-3, "mean {sum:?}");
        assert!(worst_mean < 0.012, "only the tone is left: {worst_mean} ({last:?})");
    }

    /// The gain of `filter` for a sine at `f` Hz, in dB (after the transient has died away).
    fn gain_db(f: f32) -> f32 {
        let mut dc = DcBlock::new(RATE);
        let n = 4 * RATE as usize;
        let (mut inp, mut out) = (0.0f64, 0.0f64);
        for (i, v) in sine(f, n, 0.5).enumerate() {
            let y = dc.process(XYSample::new(v, v)).x;
            if i >= n / 2 {
                inp += f64::from(v * v);
                out += f64::from(y * y);
            }
        }
        (10.0 * (out / inp).log10()) as f32
    }

    #[test]
    fn dc_block_passes_20_hz_within_half_a_db() {
        let at_20 = gain_db(20.0);
        assert!(at_20 > -0.5 && at_20 < 0.01, "20 Hz: {at_20} dB");
        let at_1k = gain_db(1000.0);
        assert!(at_1k.abs() < 0.01, "1 kHz: {at_1k} dB");
        let at_1 = gain_db(1.0);
        assert!(at_1 < -10.0, "1 Hz is cut: {at_1} dB");
    }

    #[test]
    fn swap_and_invert_move_the_channels() {
        let mut c = Conditioning::new(RATE);
        let s = XYSample::new(0.25, -0.5);
        assert!(c.is_identity());
        assert_eq!(c.process(s), s);
        c.swap = true;
        assert_eq!(c.process(s), XYSample::new(-0.5, 0.25));
        c.swap = false;
        for (text, want) in [
            ("left", XYSample::new(-0.25, -0.5)),
            ("right", XYSample::new(0.25, 0.5)),
            ("both", XYSample::new(-0.25, 0.5)),
            ("none", s),
            ("nonsense", s),
        ] {
            c.invert = Invert::parse(text);
            assert_eq!(c.process(s), want, "invert {text}");
        }
        // Swap comes before invert: "invert left" inverts what is drawn as left.
        c.swap = true;
        c.invert = Invert::Left;
        assert_eq!(c.process(s), XYSample::new(0.5, 0.25));
    }

    #[test]
    fn auto_gain_fits_the_peak_to_the_target_and_stays_in_range() {
        let mut c = Conditioning::new(RATE);
        c.set_auto_gain(true);
        // A quiet tone (-26 dBFS peak) is brought up to the target within a second...
        let mut peak = 0.0f32;
        for (i, v) in sine(100.0, 2 * RATE as usize, 0.05).enumerate() {
            let s = c.process(XYSample::new(v, v));
            if i > RATE as usize {
                peak = peak.max(s.x.abs());
            }
        }
        assert!((peak - AUTO_GAIN_TARGET).abs() < 0.05, "quiet tone fitted: peak {peak}");
        // ...a loud one brought down at once (the attack: no sample past the target)...
        let mut loud_peak = 0.0f32;
        for v in sine(100.0, RATE as usize, 0.8) {
            let s = c.process(XYSample::new(v, -v));
            loud_peak = loud_peak.max(s.x.abs());
        }
        assert!(loud_peak <= AUTO_GAIN_TARGET + 1e-4 && loud_peak > 0.85, "loud tone fitted at once: {loud_peak}");
        // ...and silence gets no more than the greatest gain.
        for _ in 0..(2 * RATE as usize) {
            c.process(XYSample::new(1e-6, 0.0));
        }
        let max = db_to_gain(AUTO_GAIN_MAX_DB);
        assert!((c.applied_gain() - max).abs() < 1e-3 * max, "silence: {}", c.applied_gain());
        // A full-scale signal gets at least the least gain.
        let mut hot = Conditioning::new(RATE);
        hot.set_auto_gain(true);
        for _ in 0..4800 {
            hot.process(XYSample::new(1e3, 1e3));
        }
        assert!((hot.applied_gain() - db_to_gain(AUTO_GAIN_MIN_DB)).abs() < 1e-4);
        hot.set_auto_gain(false);
        assert_eq!(hot.applied_gain(), 1.0);
    }
}
