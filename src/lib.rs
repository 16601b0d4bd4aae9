//! vectorscope: a real-time audio vectorscope (goniometer, XY scope) for the browser.
//!
//! The data flow, one room per stage: [`worklet`] runs on the audio thread and pushes every
//! block of [`sample`]s into the lock-free SPSC [`ring`] in the module's shared memory ([`dsp`]
//! cleans them first); on the main thread each animation frame drains the ring, the
//! [`signal`] chain measures the samples and [`render`] draws every one. [`web`] is the
//! wasm-bindgen surface JavaScript calls.

#![deny(missing_docs, unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

pub mod dsp;
pub mod render;
pub mod ring;
pub mod sample;
pub mod signal;
pub mod web;
pub mod worklet;
