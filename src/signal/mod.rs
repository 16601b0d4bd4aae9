//! The signal chain on the main thread: what is measured from the drained samples before they
//! are drawn. Each measure is a small stateful struct fed run by run; none allocates after it
//! is made.

pub mod continuity;
pub mod levels;
pub mod meters;
