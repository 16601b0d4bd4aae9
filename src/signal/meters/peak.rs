//! [`PeakMeter`]: one channel's sample peak, its 2 s hold and its count of clipped samples,
//! kept as the maxima of 10 ms blocks. After a [gap](PeakMeter::gap) the peak reads only the
//! blocks that came after it; the hold and the clip count carry on.

use super::stereo::BLOCK_SECONDS;

/// Blocks the peak reads: 10 blocks of 10 ms, so a peak shows for 100 ms at least.
pub const PEAK_BLOCKS: usize = 10;
/// Blocks the hold reads: 200 blocks of 10 ms, a 2 s hold.
pub const HOLD_BLOCKS: usize = 200;
/// A sample at or past this magnitude is clipped (0 dBFS).
pub const CLIP_LEVEL: f32 = 1.0;

/// One channel's peak meter, fed sample by sample.
#[derive(Clone, Debug)]
pub struct PeakMeter {
    block_len: u32,
    in_block: u32,
    current: f32,
    /// The maxima of the last [`HOLD_BLOCKS`] complete blocks, oldest overwritten first.
    blocks: [f32; HOLD_BLOCKS],
    next: usize,
    /// Complete blocks since the meter was made, reset or last saw a gap (at most
    /// [`HOLD_BLOCKS`]): the peak reads none older.
    fresh: usize,
    clips: u64,
}

impl PeakMeter {
    /// A meter for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        let block_len = ((f64::from(sample_rate) * BLOCK_SECONDS).round() as u32).max(1);
        PeakMeter { block_len, in_block: 0, current: 0.0, blocks: [0.0; HOLD_BLOCKS], next: 0, fresh: 0, clips: 0 }
    }

    /// Adds one sample.
    #[inline]
    pub fn add(&mut self, v: f32) {
        let a = v.abs();
        self.current = self.current.max(a);
        self.clips += u64::from(a >= CLIP_LEVEL);
        self.in_block += 1;
        if self.in_block == self.block_len {
            self.blocks[self.next] = self.current;
            self.next = (self.next + 1) % HOLD_BLOCKS;
            self.fresh = (self.fresh + 1).min(HOLD_BLOCKS);
            self.current = 0.0;
            self.in_block = 0;
        }
    }

    /// Samples were skipped before the next one: the peak (a 100 ms window) starts again with
    /// the audio after the gap, so it never shows a level from before it. The hold keeps what it
    /// held (the unfinished block joins the last complete one) and runs on over the audio
    /// measured, and the clip count carries on: a gap is not a reset.
    pub fn gap(&mut self) {
        let last = (self.next + HOLD_BLOCKS - 1) % HOLD_BLOCKS;
        self.blocks[last] = self.blocks[last].max(self.current);
        self.current = 0.0;
        self.in_block = 0;
        self.fresh = 0;
    }

    /// Clears the peaks, the hold and the clip count.
    pub fn reset(&mut self) {
        *self = PeakMeter { block_len: self.block_len, ..PeakMeter::new(1.0) };
    }

    /// The largest |sample| of the last 100 ms (and of the block being filled), linear; after a
    /// gap, of the audio since it until 100 ms have come.
    pub fn peak(&self) -> f32 {
        self.max_of_last(PEAK_BLOCKS.min(self.fresh))
    }

    /// The largest |sample| of the last 2 s, linear.
    pub fn hold(&self) -> f32 {
        self.max_of_last(HOLD_BLOCKS)
    }

    /// Samples at or past full scale since the meter was made or reset.
    pub fn clips(&self) -> u64 {
        self.clips
    }

    fn max_of_last(&self, blocks: usize) -> f32 {
        (1..=blocks).map(|k| self.blocks[(self.next + HOLD_BLOCKS - k) % HOLD_BLOCKS]).fold(self.current, f32::max)
    }
}

/// A linear level in decibels (dBFS for samples): `-Infinity` for 0.
pub fn to_db(linear: f64) -> f64 {
    20.0 * linear.log10()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: f32 = 48_000.0;

    #[test]
    fn a_peak_shows_for_100_ms_and_is_held_for_2_s() {
        let mut m = PeakMeter::new(RATE);
        m.add(-0.8);
        assert_eq!((m.peak(), m.hold()), (0.8, 0.8));
        // 150 ms later: gone from the peak, still held.
        for _ in 0..(0.15 * RATE) as usize {
            m.add(0.1);
        }
        assert_eq!((m.peak(), m.hold()), (0.1, 0.8));
        // 2.1 s after it: the hold has let go too.
        for _ in 0..(1.95 * RATE) as usize {
            m.add(0.1);
        }
        assert_eq!((m.peak(), m.hold()), (0.1, 0.1));
    }

    #[test]
    fn samples_at_or_past_full_scale_count_as_clipped_until_a_reset() {
        let mut m = PeakMeter::new(RATE);
        for v in [0.999, 1.0, -1.0, 1.5, 0.2, -3.0] {
            m.add(v);
        }
        assert_eq!(m.clips(), 4);
        assert_eq!(m.hold(), 3.0);
        m.reset();
        assert_eq!((m.clips(), m.peak(), m.hold()), (0, 0.0, 0.0));
        m.add(0.5);
        assert_eq!(m.peak(), 0.5);
    }

    #[test]
    fn after_a_gap_the_peak_reads_only_new_audio_and_the_hold_and_clips_carry_on() {
        let mut m = PeakMeter::new(RATE);
        // A clipped sample, then 5 ms (half a block) of a loud level, then the gap.
        m.add(1.0);
        for _ in 0..(0.005 * RATE) as usize {
            m.add(0.9);
        }
        m.gap();
        assert_eq!(m.peak(), 0.0, "nothing measured since the gap");
        for _ in 0..(0.02 * RATE) as usize {
            m.add(0.1);
        }
        // Without the gap the peak would read 1.0 for 100 ms more.
        assert_eq!(m.peak(), 0.1);
        assert_eq!((m.hold(), m.clips()), (1.0, 1));
    }

    #[test]
    fn decibels_of_full_scale_half_and_silence() {
        assert_eq!(to_db(1.0), 0.0);
        assert!((to_db(0.5) - -6.0206).abs() < 1e-4);
        assert_eq!(to_db(0.0), f64::NEG_INFINITY);
    }
}
