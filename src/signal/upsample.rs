//! [`Upsampler`]: band-limited interpolation for display, so that high notes are drawn as the
//! curves they are rather than as polygons through their samples (quadrature sines at a quarter
//! of the sample rate have four samples per turn: joined by straight lines they draw a square;
//! upsampled they draw the circle).
//!
//! A polyphase FIR: a Kaiser-windowed sinc low-pass designed at the output rate, cut off at half
//! the input rate, split into one short filter per output phase. Each input sample gives
//! `factor` outputs, each a dot product of the last [`TAPS_PER_PHASE`] inputs with one phase's
//! coefficients. The history carries across calls (runs joined equal one long run) and is
//! refilled with the first sample after a [`reset`](Upsampler::reset) (a gap), so a restart
//! never draws a line from the origin.

use crate::sample::XYSample;

/// The factors offered: 1 (off), 2, 4 and 8.
pub const FACTORS: [u32; 4] = [1, 2, 4, 8];
/// The default factor.
pub const DEFAULT_FACTOR: u32 = 4;
/// Input samples each output depends on: with [`KAISER_BETA`] this keeps the passband flat
/// within 0.1 dB to 0.45 of the input rate and rejects the images by at least 60 dB (tested
/// below; 36 taps leave an image at -50 dB). A multiple of 4: [`dot`] sums in fours.
pub const TAPS_PER_PHASE: usize = 40;
const _: () = assert!(TAPS_PER_PHASE.is_multiple_of(4));
/// The Kaiser window's beta for 60 dB of stopband attenuation (Kaiser's formula,
/// `0.1102 (A - 8.7)` for A = 60, with a little margin).
pub const KAISER_BETA: f64 = 6.0;

/// The factor [`Upsampler::new`] takes `factor` as: the nearest of [`FACTORS`] at or below it,
/// and at least 1.
pub fn offered_factor(factor: u32) -> u32 {
    FACTORS.iter().copied().filter(|&f| f <= factor.max(1)).max().unwrap_or(1)
}

/// A fixed-ratio polyphase upsampler for stereo samples.
pub struct Upsampler {
    factor: usize,
    /// Per phase, its coefficients in the order they meet the history (oldest input first).
    coefficients: Vec<f32>,
    /// The last [`TAPS_PER_PHASE`] inputs, written twice (at `pos` and `pos + TAPS_PER_PHASE`)
    /// so that the window ending at the newest is always one contiguous slice.
    history: Vec<XYSample>,
    pos: usize,
    primed: bool,
}

impl Upsampler {
    /// An upsampler by `factor` (one of [`FACTORS`]; anything else is taken as the nearest
    /// offered at or below it, and at least 1).
    pub fn new(factor: u32) -> Self {
        let factor = offered_factor(factor) as usize;
        Upsampler {
            factor,
            coefficients: design(factor),
            history: vec![XYSample::default(); 2 * TAPS_PER_PHASE],
            pos: 0,
            primed: false,
        }
    }

    /// The factor: outputs per input sample.
    pub fn factor(&self) -> u32 {
        self.factor as u32
    }

    /// The delay the filter adds, in input samples (half its length).
    pub fn delay(&self) -> f32 {
        if self.factor == 1 { 0.0 } else { (self.factor * TAPS_PER_PHASE - 1) as f32 / (2.0 * self.factor as f32) }
    }

    /// Appends `factor` outputs per sample of `input` to `out` (which grows only past its
    /// capacity).
    pub fn process(&mut self, input: &[XYSample], out: &mut Vec<XYSample>) {
        if self.factor == 1 {
            out.extend_from_slice(input);
            return;
        }
        for &s in input {
            self.push(s);
            let window = &self.history[self.pos..self.pos + TAPS_PER_PHASE];
            for phase in self.coefficients.chunks_exact(TAPS_PER_PHASE) {
                out.push(dot(phase, window));
            }
        }
    }

    /// Forgets the history: the next sample fills it (after a gap in the stream).
    pub fn reset(&mut self) {
        self.primed = false;
    }

    #[inline]
    fn push(&mut self, s: XYSample) {
        if !self.primed {
            self.primed = true;
            self.history.fill(s);
        }
        // The newest ends the window: history[pos..pos + TAPS] is oldest to newest.
        self.history[self.pos] = s;
        self.history[self.pos + TAPS_PER_PHASE] = s;
        self.pos = (self.pos + 1) % TAPS_PER_PHASE;
    }
}

/// One output: the phase's coefficients against the window, both channels at once.
#[inline]
fn dot(c: &[f32], window: &[XYSample]) -> XYSample {
    // Four partial sums per channel, so the adds do not wait on each other.
    let (mut x, mut y) = ([0.0f32; 4], [0.0f32; 4]);
    for (c, w) in c.chunks_exact(4).zip(window.chunks_exact(4)) {
        for i in 0..4 {
            x[i] += c[i] * w[i].x;
            y[i] += c[i] * w[i].y;
        }
    }
    XYSample { x: (x[0] + x[1]) + (x[2] + x[3]), y: (y[0] + y[1]) + (y[2] + y[3]) }
}

/// The polyphase coefficients for `factor`: the prototype `h[j]` (length `factor *
/// TAPS_PER_PHASE`, cut off at half the input rate) gives output phase `p` the taps `h[p + k
/// factor]` against input `n - k`; stored per phase oldest input first, and scaled so each
/// phase sums to 1 (a constant input comes out unchanged).
fn design(factor: usize) -> Vec<f32> {
    if factor == 1 {
        return Vec::new();
    }
    let n = factor * TAPS_PER_PHASE;
    let centre = (n - 1) as f64 / 2.0;
    let cutoff = 0.5 / factor as f64; // cycles per output sample
    let i0_beta = bessel_i0(KAISER_BETA);
    let h: Vec<f64> = (0..n)
        .map(|j| {
            let t = j as f64 - centre;
            let sinc = if t == 0.0 {
                2.0 * cutoff
            } else {
                (std::f64::consts::TAU * cutoff * t).sin() / (std::f64::consts::PI * t)
            };
            let r = t / (centre + 0.5);
            let window = bessel_i0(KAISER_BETA * (1.0 - r * r).max(0.0).sqrt()) / i0_beta;
            sinc * window
        })
        .collect();
    let mut coefficients = Vec::with_capacity(n);
    for p in 0..factor {
        let phase: Vec<f64> = (0..TAPS_PER_PHASE).rev().map(|k| h[p + k * factor]).collect();
        let sum: f64 = phase.iter().sum();
        coefficients.extend(phase.iter().map(|c| (c / sum) as f32));
    }
    coefficients
}

/// The modified Bessel function of the first kind, order 0 (its power series).
fn bessel_i0(x: f64) -> f64 {
    let (mut sum, mut term, q) = (1.0, 1.0, x * x / 4.0);
    for k in 1..50 {
        term *= q / (k * k) as f64;
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The upsampled output of a sine at `f` (cycles per input sample), long enough to settle.
    fn upsample_sine(factor: u32, f: f64, n: usize) -> Vec<XYSample> {
        let input: Vec<XYSample> = (0..n)
            .map(|i| {
                let t = std::f64::consts::TAU * f * i as f64;
                XYSample::new(t.sin() as f32, t.cos() as f32)
            })
            .collect();
        let mut up = Upsampler::new(factor);
        let mut out = Vec::new();
        up.process(&input, &mut out);
        out
    }

    /// The amplitude of the component at `f` (cycles per output sample) in `x`, by a DFT over
    /// a whole number of its cycles... approximately: a Hann-windowed single-bin DFT.
    fn amplitude(x: &[f64], f: f64) -> f64 {
        let n = x.len();
        let (mut re, mut im, mut wsum) = (0.0, 0.0, 0.0);
        for (i, v) in x.iter().enumerate() {
            let w = 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n as f64).cos();
            let t = std::f64::consts::TAU * f * i as f64;
            re += w * v * t.cos();
            im += w * v * t.sin();
            wsum += w;
        }
        2.0 * (re * re + im * im).sqrt() / wsum
    }

    #[test]
    fn the_passband_is_flat_to_0_45_fs_and_images_are_60_db_down() {
        for factor in [2u32, 4, 8] {
            let l = f64::from(factor);
            for f in [0.01, 0.1, 0.25, 0.3, 0.4, 0.45] {
                let out = upsample_sine(factor, f, 4000);
                // Skip the start (the filter fills); analyse the left channel.
                let x: Vec<f64> = out[200 * factor as usize..].iter().map(|s| f64::from(s.x)).collect();
                let gain = amplitude(&x, f / l);
                let db = 20.0 * gain.log10();
                assert!(db.abs() < 0.1, "x{factor} at {f} fs: {db:.3} dB");
                // The images of f, at k fs +- f (below the output's Nyquist).
                for k in 1..factor {
                    for image in [f64::from(k) - f, f64::from(k) + f] {
                        if image < l / 2.0 {
                            let a = amplitude(&x, image / l);
                            let rejection = 20.0 * (a / gain).log10();
                            assert!(rejection < -60.0, "x{factor}, {f} fs: image at {image} fs is {rejection:.1} dB");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_sine_at_0_4_fs_is_reconstructed_between_the_samples() {
        let (factor, f) = (8u32, 0.4);
        let out = upsample_sine(factor, f, 2000);
        let up = Upsampler::new(factor);
        let delay = f64::from(up.delay());
        let mut worst = 0.0f64;
        for (m, s) in out.iter().enumerate().skip(300 * factor as usize) {
            // Output m is the input's time m / factor, delayed by the filter.
            let t = std::f64::consts::TAU * f * (m as f64 / f64::from(factor) - delay);
            worst = worst.max((f64::from(s.x) - t.sin()).abs()).max((f64::from(s.y) - t.cos()).abs());
        }
        assert!(worst < 0.01, "worst error {worst} of full scale");
    }

    #[test]
    fn runs_joined_equal_one_long_run_and_a_reset_holds_the_first_sample() {
        let input: Vec<XYSample> = (0..1000).map(|i| XYSample::new((i as f32 * 0.37).sin(), (i as f32 * 0.11).cos())).collect();
        let mut once = Vec::new();
        Upsampler::new(4).process(&input, &mut once);
        let mut split = Vec::new();
        let mut up = Upsampler::new(4);
        for run in [&input[..1], &input[1..129], &input[129..130], &input[130..777], &input[777..]] {
            up.process(run, &mut split);
        }
        assert_eq!(once, split);
        assert_eq!(once.len(), 4000);
        // After a reset the history is the first sample: a constant input comes out constant
        // from the first output on (nothing is drawn from the origin).
        up.reset();
        let mut after = Vec::new();
        up.process(&[XYSample::new(0.5, -0.25); 3], &mut after);
        assert!(after.iter().all(|s| (s.x - 0.5).abs() < 1e-5 && (s.y + 0.25).abs() < 1e-5), "{after:?}");
    }

    #[test]
    fn factor_1_passes_samples_through_and_odd_factors_round_down() {
        let input = [XYSample::new(0.1, 0.2), XYSample::new(0.3, 0.4)];
        let mut out = Vec::new();
        Upsampler::new(1).process(&input, &mut out);
        assert_eq!(out, input);
        assert_eq!(Upsampler::new(0).factor(), 1);
        assert_eq!(Upsampler::new(3).factor(), 2);
        assert_eq!(Upsampler::new(7).factor(), 4);
        assert_eq!(Upsampler::new(100).factor(), 8);
    }
}
