//! The graticule: the scope's marks (the unit circle, the axes and the mode's diagonals) as a few
//! hundred thin quads drawn straight onto the canvas before the composite, which screens the beam
//! over them. The quads cover a few percent of the canvas, where a full-screen pass, or a texture
//! the composite reads, would touch every pixel. [`geometry`] builds them (native-tested); the
//! pass (wasm only) draws them with `graticule.wgsl` and rebuilds them only when the view changes.

pub mod geometry;

#[cfg(target_arch = "wasm32")]
mod pass;
#[cfg(target_arch = "wasm32")]
pub(crate) use pass::{GraticuleParams, GraticulePass};
