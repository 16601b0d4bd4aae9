//! [`Scope`]: one scope's audio as the page holds it, the transport ([`AudioTap`]: worklet node,
//! ring, processor, counters) and the [`Analysis`] of what comes out of it (levels and meters).
//! Every path that reads the ring goes through here, so the analysis sees every drained sample
//! exactly once, with its stream position, whether a frame draws it (`ScopeRenderer::render`
//! reads it in place) or only drains it ([`drain`](Scope::drain), as the element does while it
//! is off-screen); a skip to the newest samples after a stall reaches the meters as a gap.
//!
//! JavaScript knows it as `AudioTap`, the name the pages used when the tap also measured.

use super::tap::{AudioTap, DEFAULT_DRAIN_WINDOW_SECONDS};
use crate::sample::XYSample;
use crate::signal::analysis::Analysis;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{AudioWorkletNode, BaseAudioContext};

/// One scope's audio: the tap and the analysis it feeds.
#[wasm_bindgen(js_name = AudioTap)]
pub struct Scope {
    tap: AudioTap,
    /// The levels and the meters, fed every drained run.
    analysis: Analysis,
}

#[wasm_bindgen(js_class = AudioTap)]
impl Scope {
    /// The shared-ring transport (see [`AudioTap::new`]): the worklet runs the processor on the
    /// audio thread. The context must already have loaded `worklet/processor.js`.
    #[wasm_bindgen(constructor)]
    pub fn new(context: &BaseAudioContext) -> Result<Scope, JsValue> {
        AudioTap::new(context).map(Scope::with_tap)
    }

    /// The message-port transport, for pages without cross-origin isolation (see
    /// [`AudioTap::with_message_port`]). The context must already have loaded
    /// `worklet/port-processor.js`.
    #[wasm_bindgen(js_name = withMessagePort)]
    pub fn with_message_port(context: &BaseAudioContext) -> Result<Scope, JsValue> {
        AudioTap::with_message_port(context).map(Scope::with_tap)
    }

    /// `"shared-ring"` or `"message-port"`.
    #[wasm_bindgen(getter)]
    pub fn transport(&self) -> String {
        self.tap.transport().to_string()
    }

    /// With the `"message-port"` transport: the processor's address, for `processorInput` and
    /// `processQuantum` on the main thread; 0 once released, and always 0 for the shared ring.
    #[wasm_bindgen(getter)]
    pub fn processor(&self) -> usize {
        self.tap.processor()
    }

    /// The worklet node: connect sources to it, listen to its `processorerror`.
    #[wasm_bindgen(getter)]
    pub fn node(&self) -> AudioWorkletNode {
        self.tap.node().clone()
    }

    /// The context's sample rate.
    #[wasm_bindgen(getter, js_name = sampleRate)]
    pub fn sample_rate(&self) -> f32 {
        self.tap.sample_rate()
    }

    /// Drains the ring into the snapshot, measures the samples and returns how many the
    /// snapshot now holds. When more than `window_seconds` of audio waits (a stalled or hidden
    /// page) only the newest window is kept, the rest counted as skipped (a gap for the meters).
    /// Allocates nothing.
    pub fn drain(&mut self, window_seconds: Option<f32>) -> u32 {
        let seconds = window_seconds.filter(|s| s.is_finite() && *s > 0.0).unwrap_or(DEFAULT_DRAIN_WINDOW_SECONDS);
        let (first, samples) = self.tap.drain_newest(seconds);
        self.analysis.add(first, samples);
        samples.len() as u32
    }

    /// Empties the ring as [`Scope::drain`] does, without measuring the samples (the next
    /// measured run starts after a gap). For the bench page, which times the audio thread's
    /// work alone and must not count the meters'.
    pub fn discard(&mut self) -> u32 {
        self.tap.drain_newest(DEFAULT_DRAIN_WINDOW_SECONDS).1.len() as u32
    }

    /// Levels of the samples drained since the last call: `[rmsLeft, rmsRight, peak, peakAt]`
    /// (all 0 if none), where `peak` is the largest |sample| of either channel and `peakAt` its
    /// number in the stream (the count of samples the ring had taken in before it, comparable
    /// with `samplesWritten`).
    #[wasm_bindgen(js_name = takeLevels)]
    pub fn take_levels(&mut self) -> Vec<f64> {
        let r = self.analysis.take_levels();
        vec![r.rms_left, r.rms_right, f64::from(r.peak), r.peak_at as f64]
    }

    /// Every meter of the audio drained so far (`VectorScopeMeters` in `www/vector-scope.d.ts`):
    /// `{ correlation, balance, width, peak, peakHold, clips, rms, truePeak, momentary,
    /// shortTerm, integrated, range, skipped }`, the per-channel ones as `[left, right]`; dBFS,
    /// dBTP, LUFS and LU, `-Infinity` for silence; `skipped` counts the samples the meters
    /// missed (skipped after stalls) since the start or `resetMeters()`.
    pub fn meters(&mut self) -> Result<Object, JsValue> {
        let r = self.analysis.meters();
        let o = Object::new();
        let set = |k: &str, v: JsValue| Reflect::set(&o, &k.into(), &v).map(drop);
        let pair = |[l, r]: [f64; 2]| JsValue::from(js_sys::Array::of2(&l.into(), &r.into()));
        set("correlation", r.correlation.into())?;
        set("balance", r.balance.into())?;
        set("width", r.width.into())?;
        set("peak", pair(r.peak))?;
        set("peakHold", pair(r.peak_hold))?;
        set("clips", pair(r.clips.map(|c| c as f64)))?;
        set("rms", pair(r.rms))?;
        set("truePeak", pair(r.true_peak))?;
        set("momentary", r.momentary.into())?;
        set("shortTerm", r.short_term.into())?;
        set("integrated", r.integrated.into())?;
        set("range", r.range.into())?;
        set("skipped", (r.skipped as f64).into())?;
        Ok(o)
    }

    /// Clears the integrated loudness and range, the true peaks, the holds, the clip counts and
    /// the count of skipped samples.
    #[wasm_bindgen(js_name = resetMeters)]
    pub fn reset_meters(&mut self) {
        self.analysis.reset_meters();
    }

    /// Address in wasm memory of the ring's `samplesWritten` counter (a `u64` the audio thread
    /// stores after each quantum), for a worker that timestamps the writes (the latency bench).
    #[wasm_bindgen(js_name = samplesWrittenPtr)]
    pub fn samples_written_ptr(&self) -> usize {
        self.tap.samples_written_ptr()
    }

    /// Address of the snapshot in wasm memory: `drain()`'s count of interleaved `[x, y]` `f32`
    /// pairs. Valid until the next `drain`; re-make views when `memory.buffer` changes.
    #[wasm_bindgen(js_name = samplesPtr)]
    pub fn samples_ptr(&self) -> usize {
        self.tap.samples_ptr()
    }

    /// The ring's and the processor's counters: `{ sampleRate, capacity, quanta, samplesWritten,
    /// dropped, nonFinite, drained, skipped, available, released, transport }`.
    pub fn stats(&self) -> Result<Object, JsValue> {
        self.tap.stats()
    }

    /// Whether the worklet has given the processor back and it was freed.
    #[wasm_bindgen(getter, js_name = isReleased)]
    pub fn is_released(&self) -> bool {
        self.tap.is_released()
    }

    /// Disconnects the node and asks the worklet to stop using the processor; resolves once it
    /// has, and the processor is freed (on this thread, never on the audio thread).
    pub fn release(&mut self) -> Promise {
        self.tap.release()
    }
}

impl Scope {
    fn with_tap(tap: AudioTap) -> Scope {
        let analysis = Analysis::new(tap.sample_rate());
        Scope { tap, analysis }
    }

    /// Reads the newest `seconds` of the ring in place (see [`AudioTap::read_newest`]): the
    /// analysis measures the ring's two runs, then `read` gets them with the stream position of
    /// the first. The renderer's path (wasm only).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn read_for<R>(&mut self, seconds: f32, read: impl FnOnce(u64, &[XYSample], &[XYSample]) -> R) -> R {
        let analysis = &mut self.analysis;
        self.tap.read_newest(seconds, |first, older, newer| {
            analysis.add(first, older);
            analysis.add(first + older.len() as u64, newer);
            read(first, older, newer)
        })
    }
}
