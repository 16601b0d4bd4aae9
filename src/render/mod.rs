//! The phosphor-beam renderer: every drained sample is a segment end, every segment a quad whose
//! fragment shader integrates a gaussian spot along it (brightness follows dwell time), summed
//! additively into a float accumulation texture whose light decays by `exp(-dt / tau)` each frame,
//! optionally blurred into a glow, then tone-mapped to the canvas over the graticule.
//!
//! [`math`] holds the formulas (native-tested); the GPU side (wasm only) has one folder per pass,
//! each with its `.wgsl` beside its `.rs`: `decay/`, `beam/`, `glow/`, `graticule/` (marks as
//! quads, rebuilt only when the view changes), `composite/`.

pub mod graticule;
pub mod light;
pub mod math;
pub mod projection;
pub mod tiles;

#[cfg(target_arch = "wasm32")]
mod gpu;
#[cfg(target_arch = "wasm32")]
mod beam;
#[cfg(target_arch = "wasm32")]
mod composite;
#[cfg(target_arch = "wasm32")]
mod decay;
#[cfg(target_arch = "wasm32")]
mod glow;
#[cfg(target_arch = "wasm32")]
mod renderer;
#[cfg(target_arch = "wasm32")]
pub use renderer::ScopeRenderer;
