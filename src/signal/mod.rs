//! The signal chain on the main thread, in the order the samples go through it: the [`meters`]
//! measure every drained sample as it arrived ([`levels`] measures the RMS and peak between two
//! of the page's `takeLevels` calls); then, for display only, the [`display`] chain conditions
//! them ([`conditioning`]: DC block, swap, invert, auto-gain) and upsamples them ([`upsample`])
//! or gathers them into the [`polar`] level's rays. [`continuity`] tells each stage when samples
//! were skipped. Each stage is a small stateful struct fed run by run; none allocates after it
//! has grown to the largest frame. [`chord`] is the benches' music-like test signal.
//! [`analysis`] holds one stream's levels and meters and tells them of its gaps.

pub mod analysis;
pub mod chord;
pub mod conditioning;
pub mod continuity;
pub mod display;
pub mod levels;
pub mod meters;
pub mod polar;
pub mod upsample;
