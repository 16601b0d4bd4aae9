//! The beam: every drained sample ends a segment, and every segment is drawn as a quad whose
//! fragment shader integrates a gaussian spot along it, added into the accumulation texture.
//! [`profile`] holds the light's formulas and how far the light reaches, [`geometry`] turns a
//! frame's samples into quads (both native-tested); the pass (wasm only) uploads the quads and
//! draws them with `piece.wgsl` and `run.wgsl`, each after `beam.wgsl`.

pub mod geometry;
pub mod vertex;
pub mod profile;

#[cfg(target_arch = "wasm32")]
mod pass;
#[cfg(target_arch = "wasm32")]
pub(crate) use pass::BeamPass;
