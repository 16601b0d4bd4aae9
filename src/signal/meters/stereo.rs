//! [`StereoWindow`]: correlation, balance, width and the RMS of each channel over a sliding
//! window of about 300 ms, kept as sums over 10 ms blocks (so the window slides without drift
//! and without a per-sample division).

/// Length of one block, in seconds: the window slides by one block.
pub const BLOCK_SECONDS: f64 = 0.010;
/// Blocks in the window: 30 blocks of 10 ms, 300 ms.
pub const WINDOW_BLOCKS: usize = 30;
/// Below this mean square (-100 dBFS) a channel counts as silent: correlation and balance then
/// read 0 and its RMS `-Infinity`.
const SILENT_MEAN_SQUARE: f64 = 1e-10;

/// The sums of one block: L^2, R^2 and L*R.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    ll: f64,
    rr: f64,
    lr: f64,
    n: u32,
}

/// A sliding window of stereo sums, fed sample by sample.
#[derive(Clone, Debug)]
pub struct StereoWindow {
    block_len: u32,
    current: Sums,
    blocks: [Sums; WINDOW_BLOCKS],
    /// The next slot of `blocks` to fill.
    next: usize,
}

/// What [`StereoWindow`] reads over its window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StereoReading {
    /// sum(L*R) / sqrt(sum(L^2) * sum(R^2)), -1 (anti-phase) to +1 (mono); 0 when a channel is silent.
    pub correlation: f64,
    /// (R^2 - L^2) / (R^2 + L^2): -1 left only, +1 right only, 0 centred or silent.
    pub balance: f64,
    /// S^2 / (M^2 + S^2) with M = (L+R)/2, S = (L-R)/2: 0 mono, 0.5 uncorrelated, 1 anti-phase.
    pub width: f64,
    /// The RMS of each channel in dBFS (a full-scale sine reads -3.01); `-Infinity` when silent.
    pub rms_db: [f64; 2],
}

impl StereoWindow {
    /// A window for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        let block_len = ((f64::from(sample_rate) * BLOCK_SECONDS).round() as u32).max(1);
        StereoWindow { block_len, current: Sums::default(), blocks: [Sums::default(); WINDOW_BLOCKS], next: 0 }
    }

    /// Adds one frame.
    #[inline]
    pub fn add(&mut self, l: f32, r: f32) {
        let (l, r) = (f64::from(l), f64::from(r));
        let c = &mut self.current;
        c.ll += l * l;
        c.rr += r * r;
        c.lr += l * r;
        c.n += 1;
        if c.n == self.block_len {
            self.blocks[self.next] = std::mem::take(c);
            self.next = (self.next + 1) % WINDOW_BLOCKS;
        }
    }

    /// Forgets everything: the window reads silence until it fills again.
    pub fn reset(&mut self) {
        *self = StereoWindow { block_len: self.block_len, ..StereoWindow::new(1.0) };
    }

    /// The measures over the last [`WINDOW_BLOCKS`] complete blocks.
    pub fn reading(&self) -> StereoReading {
        let mut s = Sums::default();
        for b in &self.blocks {
            s.ll += b.ll;
            s.rr += b.rr;
            s.lr += b.lr;
            s.n += b.n;
        }
        if s.n == 0 {
            return StereoReading { rms_db: [f64::NEG_INFINITY; 2], ..StereoReading::default() };
        }
        let n = f64::from(s.n);
        let silent = |e: f64| e / n < SILENT_MEAN_SQUARE;
        let (l_silent, r_silent) = (silent(s.ll), silent(s.rr));
        let correlation = if l_silent || r_silent { 0.0 } else { (s.lr / (s.ll * s.rr).sqrt()).clamp(-1.0, 1.0) };
        let total = s.ll + s.rr;
        let (balance, width) = if l_silent && r_silent {
            (0.0, 0.0)
        } else {
            // M^2 + S^2 = (L^2 + R^2) / 2 and S^2 = (L^2 - 2LR + R^2) / 4.
            ((s.rr - s.ll) / total, ((total - 2.0 * s.lr) / 4.0 / (total / 2.0)).clamp(0.0, 1.0))
        };
        let db = |e: f64, silent: bool| if silent { f64::NEG_INFINITY } else { 10.0 * (e / n).log10() };
        StereoReading { correlation, balance, width, rms_db: [db(s.ll, l_silent), db(s.rr, r_silent)] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::TAU;

    const RATE: f32 = 48_000.0;

    /// Feeds one second of `f(i)` frames and reads the window.
    fn read(f: impl Fn(usize) -> (f32, f32)) -> StereoReading {
        let mut w = StereoWindow::new(RATE);
        for i in 0..RATE as usize {
            let (l, r) = f(i);
            w.add(l, r);
        }
        w.reading()
    }

    fn sine(i: usize, hz: f32, phase: f32) -> f32 {
        0.5 * (TAU * hz * i as f32 / RATE + phase).sin()
    }

    /// A deterministic white noise in -0.5..0.5 (xorshift), one stream per seed.
    fn noise(seed: u32) -> impl FnMut() -> f32 {
        let mut s = seed;
        move || {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            s as f32 / u32::MAX as f32 - 0.5
        }
    }

    #[test]
    fn correlation_of_mono_anti_phase_and_quadrature() {
        let mono = read(|i| (sine(i, 1000.0, 0.0), sine(i, 1000.0, 0.0)));
        let anti = read(|i| (sine(i, 1000.0, 0.0), -sine(i, 1000.0, 0.0)));
        let quad = read(|i| (sine(i, 1000.0, 0.0), sine(i, 1000.0, TAU / 4.0)));
        assert!((mono.correlation - 1.0).abs() < 1e-6, "{mono:?}");
        assert!((anti.correlation + 1.0).abs() < 1e-6, "{anti:?}");
        assert!(quad.correlation.abs() < 1e-3, "{quad:?}");
        assert!(mono.width.abs() < 1e-6 && (anti.width - 1.0).abs() < 1e-6, "{mono:?} {anti:?}");
        assert!((quad.width - 0.5).abs() < 1e-3, "{quad:?}");
        // Both channels carry the same energy, in phase or not: balance is centred.
        assert!(mono.balance.abs() < 1e-6 && anti.balance.abs() < 1e-6, "{mono:?} {anti:?}");
    }

    #[test]
    fn uncorrelated_noise_reads_about_zero_correlation_and_half_width() {
        let (mut a, mut b) = (noise(1), noise(2));
        let mut w = StereoWindow::new(RATE);
        for _ in 0..RATE as usize {
            w.add(a(), b());
        }
        let r = w.reading();
        // 14 400 samples in the window: the estimate's spread is about 1/sqrt(14 400) = 0.008.
        assert!(r.correlation.abs() < 0.04, "{r:?}");
        assert!((r.width - 0.5).abs() < 0.02, "{r:?}");
        assert!(r.balance.abs() < 0.04, "{r:?}");
    }

    #[test]
    fn balance_and_width_of_one_side_only() {
        let left = read(|i| (sine(i, 440.0, 0.0), 0.0));
        let right = read(|i| (0.0, sine(i, 440.0, 0.0)));
        assert_eq!((left.balance, left.correlation), (-1.0, 0.0), "{left:?}");
        assert_eq!((right.balance, right.correlation), (1.0, 0.0), "{right:?}");
        // One channel only: M = S, so width is 0.5 either way.
        assert!((left.width - 0.5).abs() < 1e-9 && (right.width - 0.5).abs() < 1e-9);
        assert_eq!(left.rms_db[1], f64::NEG_INFINITY);
    }

    #[test]
    fn rms_of_a_sine_and_silence() {
        // Amplitude 0.5: RMS 0.5/sqrt(2) = -9.03 dBFS.
        let r = read(|i| (sine(i, 997.0, 0.0), sine(i, 997.0, 1.0)));
        for db in r.rms_db {
            assert!((db - -9.031).abs() < 0.01, "{r:?}");
        }
        let silent = read(|_| (0.0, 0.0));
        assert_eq!(silent, StereoReading { rms_db: [f64::NEG_INFINITY; 2], ..StereoReading::default() });
    }

    #[test]
    fn the_window_forgets_what_is_older_than_300_ms() {
        let mut w = StereoWindow::new(RATE);
        for i in 0..RATE as usize {
            w.add(sine(i, 500.0, 0.0), sine(i, 500.0, 0.0));
        }
        // 310 ms of anti-phase: the mono second is out of the window.
        for i in 0..(0.31 * RATE) as usize {
            w.add(sine(i, 500.0, 0.0), -sine(i, 500.0, 0.0));
        }
        assert!((w.reading().correlation + 1.0).abs() < 1e-6, "{:?}", w.reading());
        w.reset();
        assert_eq!(w.reading().correlation, 0.0);
        assert_eq!(w.reading().rms_db, [f64::NEG_INFINITY; 2]);
    }
}
