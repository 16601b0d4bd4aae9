//! The types every stage shares: a stereo frame and the size of the audio thread's blocks.

/// Frames per Web Audio render quantum.
pub const QUANTUM: usize = 128;

/// One stereo frame: `x` is the left channel, `y` the right. `#[repr(C)]` so JavaScript can read
/// a drained snapshot as interleaved `Float32Array` pairs (and meters read a run as interleaved
/// `f32`s through `bytemuck`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct XYSample {
    /// Left channel.
    pub x: f32,
    /// Right channel.
    pub y: f32,
}

impl XYSample {
    /// A sample from its two channels.
    pub const fn new(x: f32, y: f32) -> Self {
        XYSample { x, y }
    }

    /// Whether either channel is past full scale (|s| > 1, over 0 dBFS); NaN is not.
    #[inline]
    pub fn past_full_scale(&self) -> bool {
        self.x.abs() > 1.0 || self.y.abs() > 1.0
    }
}
