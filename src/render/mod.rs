//! The phosphor-beam renderer: every drained sample is a segment end, every segment a quad whose
//! fragment shader integrates a gaussian spot along it (brightness follows dwell time), summed
//! additively into a float accumulation texture whose light decays by `exp(-dt / tau)` each frame,
//! optionally blurred into a glow, then tone-mapped to the canvas over the graticule.
//!
//! The arithmetic sits beside what uses it and is tested natively: the beam's light and quads in
//! [`beam`], the graticule's marks in [`graticule`], the light over time and on screen in
//! [`light`], how samples map onto the canvas in [`projection`], the lit tiles in [`tiles`], the
//! user's settings in `settings.rs`. The GPU side compiles for wasm only: one folder per pass,
//! each with its `.wgsl` beside its `.rs` (`decay/`, `beam/`, `glow/`, `graticule/`,
//! `composite/`; `beam/` and `graticule/` gate only their pass), the passes' shared wgpu helpers
//! in `gpu.rs`, the device and its formats in `device.rs`, and the frame in `renderer.rs` (its
//! JavaScript surface is `web::renderer`). Nothing here knows an audio type: a frame is runs of
//! samples and its parameters.

pub mod beam;
pub mod graticule;
pub mod light;
pub mod projection;
// Its one user, the renderer, is wasm-only; natively only its tests use it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod settings;
pub mod tiles;

// GPU only (wgpu is a wasm-only dependency); the decay, glow and composite passes have no
// arithmetic of their own to test natively.
#[cfg(target_arch = "wasm32")]
mod gpu;
#[cfg(target_arch = "wasm32")]
mod composite;
#[cfg(target_arch = "wasm32")]
mod decay;
#[cfg(target_arch = "wasm32")]
mod device;
#[cfg(target_arch = "wasm32")]
mod glow;
#[cfg(target_arch = "wasm32")]
mod renderer;
#[cfg(target_arch = "wasm32")]
pub use renderer::{Frame, Renderer, RendererStats};
