//! vectorscope: a real-time audio vectorscope (goniometer, XY scope) for the browser.
//!
//! The data flow, one room per concern: an AudioWorklet (audio thread) pushes every block into a
//! lock-free SPSC ring in the module's shared memory; the main thread drains it each animation
//! frame and draws every sample. This file holds only the wasm entry points.

#![warn(missing_docs)]

pub mod audio;
pub mod dsp;
pub mod render;
pub mod ring;
pub mod sample;
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
