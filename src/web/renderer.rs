//! [`ScopeRenderer`]: the renderer's JavaScript surface, and the frame's path from the ring to
//! the GPU. Each animation frame [`render`](ScopeRenderer::render) reads the newest samples of
//! a [`Scope`]'s ring in place (its analysis measures them as they pass), hands them to
//! the [`DisplayChain`] (conditioning, upsampling or the polar rays) and what comes out, with
//! the frame's parameters, to [`Renderer::draw`]. A skip-to-newest after a stall reaches both as
//! a gap ([`Continuity`] of the stream positions): the filters start afresh and the trace does
//! not join across the missing audio.

use super::scope::Scope;
use super::tap::DEFAULT_DRAIN_WINDOW_SECONDS;
use crate::render::projection::Mode;
use crate::render::{Frame, Renderer};
use crate::signal::conditioning::{db_to_gain, Invert};
use crate::signal::continuity::Continuity;
use crate::signal::display::DisplayChain;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The renderer behind one canvas, as JavaScript sees it.
#[wasm_bindgen]
pub struct ScopeRenderer {
    inner: Renderer,
    /// Conditioning and upsampling (or the polar rays) between the ring and the renderer.
    chain: DisplayChain,
    /// Whether each frame's samples follow the last frame's.
    continuity: Continuity,
}

#[wasm_bindgen]
impl ScopeRenderer {
    /// Creates a renderer on `canvas`. `backend`: `"webgpu"`, `"webgl2"`, or `"auto"` / none
    /// (WebGPU when an adapter is really obtained, else WebGL2). A failed WebGPU attempt leaves
    /// the canvas unusable for WebGL2: retry with `"webgl2"` on a fresh canvas (errors carry
    /// `code` `"webgpu-failed"` then, or `"no-gpu"` when nothing works).
    pub async fn create(canvas: HtmlCanvasElement, backend: Option<String>) -> Result<ScopeRenderer, JsValue> {
        Ok(ScopeRenderer {
            inner: Renderer::create(canvas, backend).await?,
            chain: DisplayChain::new(48_000.0),
            continuity: Continuity::default(),
        })
    }

    /// `"webgpu"` or `"webgl2"`.
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.inner.backend()
    }

    /// Whether the GPU device was lost; the owner then builds a new renderer.
    #[wasm_bindgen(getter)]
    pub fn lost(&self) -> bool {
        self.inner.lost()
    }

    /// Destroys the GPU device, as a driver reset would (for tests of the lost-device path).
    #[wasm_bindgen(js_name = destroyDevice)]
    pub fn destroy_device(&self) {
        self.inner.destroy_device();
    }

    /// Asks the GPU to report when the work submitted so far has finished (see `gpuIdle`).
    #[wasm_bindgen(js_name = watchGpu)]
    pub fn watch_gpu(&mut self) {
        self.inner.watch_gpu();
    }

    /// Whether the work submitted before the last `watchGpu` has finished.
    #[wasm_bindgen(js_name = gpuIdle)]
    pub fn gpu_idle(&self) -> bool {
        self.inner.gpu_idle()
    }

    /// Follows the canvas's size in device pixels; clears the trace.
    pub fn resize(&mut self, width: u32, height: u32, pixel_ratio: f32) {
        self.inner.resize(width, height, pixel_ratio);
    }

    /// Whether a sample past full scale (over 0 dBFS, as it arrived: before conditioning and
    /// gain) was drained in the second before `now_ms` (the over-range lamp).
    #[wasm_bindgen(js_name = overRange)]
    pub fn over_range(&self, now_ms: f64) -> bool {
        self.chain.over_range(now_ms)
    }

    /// The largest canvas width or height the device can draw to, in pixels: the owner clamps
    /// the canvas to it.
    #[wasm_bindgen(getter, js_name = maxSize)]
    pub fn max_size(&self) -> u32 {
        self.inner.max_size()
    }

    /// Makes the next frame draw even if the trace has faded and no audio runs.
    pub fn redraw(&mut self) {
        self.inner.redraw();
    }

    /// `"xy"`, `"ms"`, `"polar"` (polar sample) or `"polar-level"`; anything else is XY.
    #[wasm_bindgen(js_name = setMode)]
    pub fn set_mode(&mut self, mode: &str) {
        let mode = Mode::parse(mode);
        self.chain.set_rays(mode == Mode::PolarLevel);
        self.inner.set_mode(mode);
    }

    /// Upsampling for display: 1 (off), 2, 4 or 8 (another number is taken as the nearest of
    /// those at or below it).
    #[wasm_bindgen(js_name = setUpsample)]
    pub fn set_upsample(&mut self, factor: u32) {
        self.chain.set_upsample(factor);
    }

    /// The DC block (a 5 Hz high-pass on what is drawn) on or off.
    #[wasm_bindgen(js_name = setDcBlock)]
    pub fn set_dc_block(&mut self, on: bool) {
        self.chain.set_dc_block(on);
    }

    /// Swaps left and right on the screen, or not.
    #[wasm_bindgen(js_name = setSwap)]
    pub fn set_swap(&mut self, on: bool) {
        self.chain.set_swap(on);
    }

    /// Inverts `"left"`, `"right"`, `"both"` or `"none"` (anything else) of the channels drawn.
    #[wasm_bindgen(js_name = setInvert)]
    pub fn set_invert(&mut self, which: &str) {
        self.chain.set_invert(Invert::parse(which));
    }

    /// Auto-gain (fits the trace to the graticule) on or off.
    #[wasm_bindgen(js_name = setAutoGain)]
    pub fn set_auto_gain(&mut self, on: bool) {
        self.chain.set_auto_gain(on);
    }

    /// The gain auto-gain applies now, in dB (0 while it is off).
    #[wasm_bindgen(getter, js_name = autoGainDb)]
    pub fn auto_gain_db(&self) -> f32 {
        20.0 * self.chain.applied_gain().log10()
    }

    /// Gain applied to the samples as drawn, in dB (0: full scale fills the circle); the
    /// meters never see it.
    #[wasm_bindgen(js_name = setGainDb)]
    pub fn set_gain_db(&mut self, db: f32) {
        self.inner.set_gain(db_to_gain(db));
    }

    /// Persistence time constant tau in milliseconds (0: none).
    #[wasm_bindgen(js_name = setPersistence)]
    pub fn set_persistence(&mut self, ms: f32) {
        self.inner.set_persistence(ms);
    }

    /// Beam intensity (1 = default).
    #[wasm_bindgen(js_name = setIntensity)]
    pub fn set_intensity(&mut self, intensity: f32) {
        self.inner.set_intensity(intensity);
    }

    /// Beam colour as sRGB red/green/blue from 0 to 1 (`www/element/settings.js`'s `colorToRgb`).
    #[wasm_bindgen(js_name = setColor)]
    pub fn set_color(&mut self, r: f32, g: f32, b: f32) {
        self.inner.set_color(r, g, b);
    }

    /// Spot size: the gaussian's sigma in CSS pixels.
    #[wasm_bindgen(js_name = setSpotSize)]
    pub fn set_spot_size(&mut self, px: f32) {
        self.inner.set_spot_size(px);
    }

    /// Tone-mapping exposure.
    #[wasm_bindgen(js_name = setExposure)]
    pub fn set_exposure(&mut self, exposure: f32) {
        self.inner.set_exposure(exposure);
    }

    /// Graticule opacity, 0 to 1 (0 hides it).
    #[wasm_bindgen(js_name = setGraticule)]
    pub fn set_graticule(&mut self, opacity: f32) {
        self.inner.set_graticule(opacity);
    }

    /// Glow, 0 (off) to 1.
    #[wasm_bindgen(js_name = setGlow)]
    pub fn set_glow(&mut self, glow: f32) {
        self.inner.set_glow(glow);
    }

    /// Drains `tap` (a [`Scope`], `AudioTap` in JavaScript; the newest window after a stall)
    /// and draws every sample; `now_ms` is the animation frame's timestamp. Returns the number
    /// of segments drawn. Allocates nothing.
    pub fn render(&mut self, tap: &mut Scope, now_ms: f64) -> Result<u32, JsValue> {
        let (inner, chain, continuity) = (&mut self.inner, &mut self.chain, &mut self.continuity);
        chain.set_rate(tap.sample_rate());
        // In place: the ring's runs go straight into the chain, no snapshot copy.
        tap.read_for(DEFAULT_DRAIN_WINDOW_SECONDS, |first, older, newer| {
            let gap = continuity.advance(first, (older.len() + newer.len()) as u64);
            let run = chain.process([older, newer], gap, now_ms);
            let merge = run.points_per_sample;
            inner.draw([run.samples, &[]], &Frame { sample_rate: run.rate, now_ms, gap: !run.joins, merge })
        })
    }

    /// Draws a frame with no new samples (the trace fades).
    #[wasm_bindgen(js_name = renderIdle)]
    pub fn render_idle(&mut self, now_ms: f64) -> Result<u32, JsValue> {
        self.continuity.reset();
        self.chain.reset();
        self.inner.draw_idle(now_ms)
    }

    /// Draws interleaved `[x, y, x, y, ...]` samples given from JavaScript as if drained at
    /// `sample_rate`, one segment each: the renderer alone, without the display chain (the
    /// bench page's segments per frame).
    #[wasm_bindgen(js_name = renderSamples)]
    pub fn render_samples(&mut self, interleaved: &[f32], sample_rate: f32, now_ms: f64) -> Result<u32, JsValue> {
        self.inner.draw_interleaved(interleaved, sample_rate, now_ms)
    }

    /// `{ backend, canvasFormat, accumulationFormat, width, height, frames, segments,
    /// segmentsTotal, glow, litFraction }`; `litFraction` is the part of the canvas the last
    /// frame's fade and tone mapping covered (the tiles lit within the fade-out time; 1 with glow).
    pub fn stats(&self) -> Result<Object, JsValue> {
        let s = self.inner.stats();
        let o = Object::new();
        let set = |k: &str, v: JsValue| Reflect::set(&o, &k.into(), &v);
        set("backend", s.backend.into())?;
        set("canvasFormat", format!("{:?}", s.canvas_format).to_lowercase().into())?;
        set("accumulationFormat", format!("{:?}", s.accumulation_format).to_lowercase().into())?;
        set("width", s.width.into())?;
        set("height", s.height.into())?;
        set("frames", (s.frames as f64).into())?;
        set("segments", s.segments.into())?;
        set("segmentsTotal", (s.segments_total as f64).into())?;
        set("glow", s.glow.into())?;
        set("litFraction", s.lit_fraction.into())?;
        Ok(o)
    }
}
