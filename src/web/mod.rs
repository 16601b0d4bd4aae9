//! The wasm-bindgen surface: everything JavaScript calls, in one room, so the rest of the crate
//! is plain Rust. [`scope`] is one scope's audio as the page holds it (`AudioTap` in
//! JavaScript): the [`tap`], the page's end of the audio path (the worklet node, the ring's
//! consumer, the counters), and the analysis of what it drains (levels, meters). [`worklet`] is
//! the raw-pointer calls the worklet makes into its processor, and `renderer` (wasm only, as
//! wgpu is) the renderer's surface and the frame's path from the ring to the GPU.
//! [`chain_bench`] lets the bench page time the signal chain as wasm.

pub mod chain_bench;
#[cfg(target_arch = "wasm32")]
pub mod renderer;
pub mod scope;
pub mod tap;
pub mod worklet;

use wasm_bindgen::prelude::*;

/// The crate version, so a page can say which build it loaded.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The module's linear memory: one `WebAssembly.Memory` whose buffer is a `SharedArrayBuffer`,
/// shared by the main thread and the AudioWorklet.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Frames per render quantum, for the page's copies into the processor's input blocks.
#[wasm_bindgen]
pub fn quantum() -> u32 {
    crate::sample::QUANTUM as u32
}
