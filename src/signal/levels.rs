//! [`Levels`]: the RMS of each channel and the peak of either, between two readings.

use crate::sample::XYSample;

/// Running sums for the RMS of each channel and the largest |sample| of either, since the last
/// [`take`](Levels::take).
#[derive(Clone, Copy, Debug, Default)]
pub struct Levels {
    left: f64,
    right: f64,
    count: u64,
    peak: f32,
    peak_at: u64,
}

/// One reading of [`Levels`]: all zero when no sample was added.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LevelReading {
    /// RMS of the left channel (1 = full scale).
    pub rms_left: f64,
    /// RMS of the right channel.
    pub rms_right: f64,
    /// The largest |sample| of either channel.
    pub peak: f32,
    /// Where the peak was: its position in the stream (the count of samples before it).
    pub peak_at: u64,
}

impl Levels {
    /// Adds a run of samples whose first is number `first` of the stream.
    pub fn add(&mut self, samples: &[XYSample], first: u64) {
        for (i, s) in samples.iter().enumerate() {
            self.left += f64::from(s.x * s.x);
            self.right += f64::from(s.y * s.y);
            let m = s.x.abs().max(s.y.abs());
            if m > self.peak {
                self.peak = m;
                self.peak_at = first + i as u64;
            }
        }
        self.count += samples.len() as u64;
    }

    /// The levels of everything added since the last call; starts afresh.
    pub fn take(&mut self) -> LevelReading {
        let l = std::mem::take(self);
        if l.count == 0 {
            return LevelReading::default();
        }
        let n = l.count as f64;
        LevelReading { rms_left: (l.left / n).sqrt(), rms_right: (l.right / n).sqrt(), peak: l.peak, peak_at: l.peak_at }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(amplitude: f32, cycles: f32, n: usize) -> impl Iterator<Item = f32> {
        (0..n).map(move |i| amplitude * (std::f32::consts::TAU * cycles * i as f32 / n as f32).sin())
    }

    #[test]
    fn a_sine_has_the_rms_of_its_amplitude_over_root_two() {
        let run: Vec<_> = sine(0.5, 10.0, 4800).zip(sine(0.25, 15.0, 4800)).map(|(x, y)| XYSample::new(x, y)).collect();
        let mut levels = Levels::default();
        // In two runs, as the ring hands them over.
        levels.add(&run[..1000], 0);
        levels.add(&run[1000..], 1000);
        let r = levels.take();
        assert!((r.rms_left - 0.5 / 2f64.sqrt()).abs() < 1e-4, "{r:?}");
        assert!((r.rms_right - 0.25 / 2f64.sqrt()).abs() < 1e-4, "{r:?}");
        assert!((r.peak - 0.5).abs() < 1e-3, "{r:?}");
    }

    #[test]
    fn the_peak_is_found_where_it_is_in_the_stream() {
        let mut levels = Levels::default();
        levels.add(&[XYSample::new(0.1, 0.0); 10], 500);
        levels.add(&[XYSample::new(0.0, 0.0), XYSample::new(0.2, -0.9)], 510);
        let r = levels.take();
        assert_eq!((r.peak, r.peak_at), (0.9, 511));
    }

    #[test]
    fn a_reading_starts_afresh_and_nothing_reads_zero() {
        let mut levels = Levels::default();
        levels.add(&[XYSample::new(1.0, 1.0)], 0);
        assert_eq!(levels.take().rms_left, 1.0);
        assert_eq!(levels.take(), LevelReading::default());
    }
}
