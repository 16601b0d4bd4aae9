//! [`Renderer`]: wgpu on the main thread, drawing every sample it is given each animation frame.
//!
//! Per frame: the samples become quads on the CPU (into [`Quads`] reused from frame to frame), one
//! `write_buffer` per kind uploads them, then one render pass on the accumulation texture fades it
//! ([`DecayPass`]; on `r32float` without glow only every ~20 tau, see [`LightGain`]) and adds
//! the beam ([`BeamPass`]), and one pass on the canvas draws the
//! graticule's marks ([`GraticulePass`], whose quads are rebuilt only when the view changes) and
//! tone-maps the light over them ([`CompositePass`]). The fade and the tone mapping cover only
//! the tiles the beam lit within its fade-out time ([`LitTiles`]; the whole canvas with glow on,
//! whose halo reaches past them).
//!
//! This file holds the frame; the device comes from `device.rs`, the settings' defaults and
//! validation from `settings.rs`. It knows no audio type: a frame is runs of samples and a
//! [`Frame`]'s parameters. JavaScript reaches it through `web::renderer::ScopeRenderer`.

use super::beam::geometry::build_quads_merging;
use super::beam::vertex::Quads;
use super::beam::BeamPass;
use super::composite::{CompositeParams, CompositePass};
use super::decay::DecayPass;
use super::device::{accumulation_format, glow_format, js_error, preferred_canvas_format, Backend, Gpu};
use super::glow::GlowPass;
use super::gpu::{color_pass, target_texture, LitRects};
use super::graticule::{GraticuleParams, GraticulePass};
use super::light::{decay_factor, LightGain};
use super::projection::{Mode, Viewport};
use super::settings::{Settings, BASE_INTENSITY, GLOW_GAIN};
use super::tiles::{canvas_fraction, ClipRect, LitTiles};
use crate::sample::XYSample;
use crate::signal::polar::polar_point;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

/// Segments the beam buffers hold before they first grow.
const INITIAL_SEGMENTS: u32 = 8192;
/// The graticule's colour at full opacity (a cool grey).
const GRATICULE_COLOR: [f32; 3] = [0.55, 0.62, 0.66];

/// What a frame is drawn with, besides its samples.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// The samples' rate (their period sets how much light each deposits).
    pub sample_rate: f32,
    /// The animation frame's timestamp in ms (the light decays by the time since the last).
    pub now_ms: f64,
    /// Samples are missing before this frame's (skipped after a stall): the trace does not
    /// join the last frame's last point to this frame's first.
    pub gap: bool,
    /// Up to how many consecutive points may be drawn as one segment where they lie along it
    /// ([`build_quads_merging`]): the upsampling factor for the upsampler's points, 1 (each
    /// point a segment end) otherwise.
    pub merge: usize,
}

/// [`Renderer::stats`].
#[derive(Clone, Copy, Debug)]
pub struct RendererStats {
    /// `"webgpu"` or `"webgl2"`.
    pub backend: &'static str,
    /// The canvas's texture format.
    pub canvas_format: wgpu::TextureFormat,
    /// The light's texture format.
    pub accumulation_format: wgpu::TextureFormat,
    /// The canvas's width in device pixels.
    pub width: u32,
    /// The canvas's height in device pixels.
    pub height: u32,
    /// Frames drawn.
    pub frames: u64,
    /// Segments in the last frame.
    pub segments: u32,
    /// Segments since the renderer was made.
    pub segments_total: u64,
    /// The glow setting.
    pub glow: f32,
    /// The part of the canvas the last frame's fade and tone mapping covered (the tiles lit
    /// within the fade-out time; 1 with glow).
    pub lit_fraction: f32,
}

/// The renderer behind one canvas.
pub struct Renderer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    backend: &'static str,
    accumulation_format: wgpu::TextureFormat,
    accumulation: wgpu::TextureView,
    decay: DecayPass,
    beam: BeamPass,
    glow: GlowPass,
    graticule: GraticulePass,
    composite: CompositePass,
    lit_tiles: LitTiles,
    lit_rects: LitRects,
    /// One rectangle, the whole canvas: for decay and composite with glow on, and for the decay
    /// pass when all the stored light changes.
    whole_canvas: LitRects,
    /// Persistence without a decay pass, while the accumulation is `r32float` and glow is off.
    light_gain: LightGain,
    quads: Quads,
    settings: Settings,
    pixel_ratio: f32,
    last_point: Option<[f32; 2]>,
    /// Polar sample: whether the last sample drawn was turned into the upper half.
    last_turned: Option<bool>,
    last_time: Option<f64>,
    last_lit_ms: f64,
    dirty: bool,
    lost: Arc<AtomicBool>,
    gpu_idle: Arc<AtomicBool>,
    frames: u64,
    last_lit_fraction: f32,
    last_segments: u32,
    segments_total: u64,
}

impl Renderer {
    /// Creates a renderer on `canvas`. `backend`: `"webgpu"`, `"webgl2"`, or `"auto"` / none
    /// (WebGPU when an adapter is really obtained, else WebGL2). A failed WebGPU attempt leaves
    /// the canvas unusable for WebGL2: retry with `"webgl2"` on a fresh canvas (errors carry
    /// `code` `"webgpu-failed"` then, or `"no-gpu"` when nothing works).
    pub async fn create(canvas: HtmlCanvasElement, backend: Option<String>) -> Result<Renderer, JsValue> {
        let backend = Backend::choose(backend).await?;
        let use_webgpu = backend.is_webgpu();
        let failure = backend.failure();
        let (width, height) = (canvas.width().max(1), canvas.height().max(1));
        let (gpu, surface, float_blend) = backend.acquire(canvas).await?;
        let Gpu { adapter, device, queue, lost, .. } = gpu;
        let mut config = surface
            .get_default_config(&adapter, width, height)
            .ok_or_else(|| js_error(failure, "the canvas cannot be configured for this adapter"))?;
        let caps = surface.get_capabilities(&adapter);
        // The browser's preferred canvas format: any other costs a full-canvas copy per frame
        // (in software rendering a large part of the frame; see docs/benchmarks.md).
        let preferred = if use_webgpu { preferred_canvas_format() } else { None };
        if let Some(f) = preferred
            .filter(|f| caps.formats.contains(f))
            .or_else(|| caps.formats.iter().copied().find(|f| !f.is_srgb()))
        {
            config.format = f;
        }
        config.present_mode = wgpu::PresentMode::Fifo;
        surface.configure(&device, &config);

        let accumulation_format = accumulation_format(&adapter, device.features(), float_blend);
        let decay = DecayPass::new(&device, accumulation_format);
        let beam = BeamPass::new(&device, accumulation_format, INITIAL_SEGMENTS);
        let settings = Settings::default();
        let mut composite = CompositePass::new(&device, config.format);
        let graticule = GraticulePass::new(&device, config.format);
        let accumulation = target_texture(&device, "accumulation", accumulation_format, width, height);
        let glow = GlowPass::new(&device, glow_format(&adapter), &accumulation, width, height);
        composite.resize(&device, &accumulation, glow.view());
        let lit_tiles = LitTiles::new(width, height);
        let lit_rects = LitRects::new(&device, lit_tiles.max_rects());
        let mut whole_canvas = LitRects::new(&device, 1);
        whole_canvas.upload(&queue, &[ClipRect::FULL]);
        Ok(Renderer {
            backend: if use_webgpu { "webgpu" } else { "webgl2" },
            device,
            queue,
            surface,
            config,
            accumulation_format,
            accumulation,
            decay,
            beam,
            glow,
            graticule,
            composite,
            lit_rects,
            lit_tiles,
            whole_canvas,
            light_gain: LightGain::default(),
            quads: Quads {
                lone: Vec::with_capacity(INITIAL_SEGMENTS as usize * 4),
                runs: Vec::with_capacity(INITIAL_SEGMENTS as usize * 2),
            },
            settings,
            pixel_ratio: 1.0,
            last_point: None,
            last_turned: None,
            last_time: None,
            last_lit_ms: f64::NEG_INFINITY,
            dirty: true,
            lost,
            gpu_idle: Arc::new(AtomicBool::new(true)),
            frames: 0,
            last_lit_fraction: 0.0,
            last_segments: 0,
            segments_total: 0,
        })
    }

    /// `"webgpu"` or `"webgl2"`.
    pub fn backend(&self) -> String {
        self.backend.to_string()
    }

    /// Whether the GPU device was lost; the owner then builds a new renderer.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Relaxed)
    }

    /// Destroys the GPU device, as a driver reset or a lost GPU would; the renderer (and, on
    /// WebGPU, every renderer sharing the device) then reports [`lost`](Self::lost) and its owner
    /// rebuilds it on a new device. For tests of that path.
    pub fn destroy_device(&self) {
        self.device.destroy();
    }

    /// Asks the GPU to report when the work submitted so far has finished; [`gpu_idle`] turns true
    /// then. For the bench's GPU time per frame (frames drawn back to back, no vsync).
    ///
    /// [`gpu_idle`]: Self::gpu_idle
    pub fn watch_gpu(&mut self) {
        let idle = Arc::new(AtomicBool::new(false));
        let done = idle.clone();
        self.queue.on_submitted_work_done(move || done.store(true, Ordering::Release));
        self.gpu_idle = idle;
    }

    /// Whether the work submitted before the last [`watch_gpu`](Self::watch_gpu) has finished.
    pub fn gpu_idle(&self) -> bool {
        // WebGL2 (wgpu-core) runs the callback only from a poll; on WebGPU this does nothing.
        let _ = self.device.poll(wgpu::PollType::Poll);
        self.gpu_idle.load(Ordering::Acquire)
    }

    /// Follows the canvas's size in device pixels (clamped to the device's limit); clears the trace.
    pub fn resize(&mut self, width: u32, height: u32, pixel_ratio: f32) {
        let max = self.device.limits().max_texture_dimension_2d;
        let (w, h) = (width.clamp(1, max), height.clamp(1, max));
        self.pixel_ratio = if pixel_ratio.is_finite() { pixel_ratio.clamp(0.5, 8.0) } else { 1.0 };
        self.dirty = true;
        if (w, h) == (self.config.width, self.config.height) {
            return;
        }
        self.config.width = w;
        self.config.height = h;
        self.surface.configure(&self.device, &self.config);
        self.rebuild_accumulation();
    }

    /// Makes the next frame draw even if the trace has faded and no audio runs (before a
    /// snapshot of the canvas).
    pub fn redraw(&mut self) {
        self.dirty = true;
    }

    /// The display mode.
    pub fn set_mode(&mut self, mode: Mode) {
        self.dirty = true;
        self.settings.set_mode(mode);
        self.last_point = None;
    }

    /// Linear gain applied to the samples (1 = full scale fills the circle).
    pub fn set_gain(&mut self, gain: f32) {
        self.dirty = true;
        self.settings.set_gain(gain);
    }

    /// Persistence time constant tau in milliseconds (0: none).
    pub fn set_persistence(&mut self, ms: f32) {
        self.dirty = true;
        self.settings.set_persistence(ms);
    }

    /// Beam intensity (1 = default).
    pub fn set_intensity(&mut self, intensity: f32) {
        self.dirty = true;
        self.settings.set_intensity(intensity);
    }


    /// Beam colour, red/green/blue from 0 to 1 (the `color` attribute of `<vector-scope>`).
    /// A colour too dark to glow is lifted to a visible minimum.
    pub fn set_color(&mut self, r: f32, g: f32, b: f32) {
        self.dirty = true;
        self.settings.set_color(r, g, b);
    }

    /// Spot size: the gaussian's sigma in CSS pixels.
    pub fn set_spot_size(&mut self, px: f32) {
        self.dirty = true;
        self.settings.set_spot_size(px);
    }

    /// Tone-mapping exposure.
    pub fn set_exposure(&mut self, exposure: f32) {
        self.dirty = true;
        self.settings.set_exposure(exposure);
    }

    /// Graticule opacity, 0 to 1 (0 hides it).
    pub fn set_graticule(&mut self, opacity: f32) {
        self.dirty = true;
        self.settings.set_graticule(opacity);
    }

    /// Glow (a soft halo around bright parts of the trace), 0 (off, the default) to 1. Costs
    /// three small passes and one filtered read per pixel while on.
    pub fn set_glow(&mut self, glow: f32) {
        self.dirty = true;
        self.settings.set_glow(glow);
    }

    /// Draws every sample of `runs` (in order; the first continues from the last frame's last
    /// point unless `frame.gap`). Returns the number of segments drawn.
    pub fn draw(&mut self, runs: [&[XYSample]; 2], frame: &Frame) -> Result<u32, JsValue> {
        if frame.gap {
            self.last_point = None;
        }
        self.frame(runs, frame.sample_rate, frame.now_ms, frame.merge)
    }

    /// Draws a frame with no new samples (the trace fades).
    pub fn draw_idle(&mut self, now_ms: f64) -> Result<u32, JsValue> {
        self.last_point = None;
        self.frame([&[], &[]], 48_000.0, now_ms, 1)
    }

    /// Draws interleaved `[x, y, x, y, ...]` samples (bench page, synthetic sources), as if
    /// drained at `sample_rate`.
    pub fn draw_interleaved(&mut self, interleaved: &[f32], sample_rate: f32, now_ms: f64) -> Result<u32, JsValue> {
        let samples: &[XYSample] = xy_samples(interleaved);
        self.frame([samples, &[]], sample_rate, now_ms, 1)
    }

    /// The largest canvas side the device can draw to, in pixels.
    pub fn max_size(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }

    /// What the renderer has done and what it runs on.
    pub fn stats(&self) -> RendererStats {
        RendererStats {
            backend: self.backend,
            canvas_format: self.config.format,
            accumulation_format: self.accumulation_format,
            width: self.config.width,
            height: self.config.height,
            frames: self.frames,
            segments: self.last_segments,
            segments_total: self.segments_total,
            glow: self.settings.glow,
            lit_fraction: self.last_lit_fraction,
        }
    }
}

impl Renderer {
    /// A new (black) accumulation texture the size of the canvas.
    fn rebuild_accumulation(&mut self) {
        let (w, h) = (self.config.width, self.config.height);
        self.accumulation = target_texture(&self.device, "accumulation", self.accumulation_format, w, h);
        self.glow.resize(&self.device, &self.accumulation, w, h);
        self.composite.resize(&self.device, &self.accumulation, self.glow.view());
        self.lit_tiles = LitTiles::new(w, h);
        self.lit_rects = LitRects::new(&self.device, self.lit_tiles.max_rects());
        self.light_gain = LightGain::default();
        self.last_point = None;
        self.dirty = true;
    }

    fn frame(&mut self, runs: [&[XYSample]; 2], sample_rate: f32, now_ms: f64, merge: usize) -> Result<u32, JsValue> {
        if self.lost() {
            return Err(js_error("gpu-lost", "the graphics device was lost"));
        }
        let dt = self.last_time.map_or(0.0, |t| (now_ms - t).max(0.0)) as f32;
        self.last_time = Some(now_ms);
        let s = self.settings;
        // Idle: once the trace has faded (see fade_out_ms) and nothing changed,
        // skip the frame entirely: no GPU work while no audio runs.
        if runs.iter().all(|r| r.is_empty()) {
            if !self.dirty && now_ms - self.last_lit_ms > s.fade_out_ms() {
                return Ok(0);
            }
        } else {
            self.last_lit_ms = now_ms;
        }
        self.dirty = false;
        let vp = Viewport {
            width: self.config.width as f32,
            height: self.config.height as f32,
        };
        let sigma = s.spot_px * self.pixel_ratio;

        // Every sample is a segment end (the upsampler's points along a line may share one);
        // the first continues from the last frame's last point.
        self.quads.clear();
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            if s.mode == Mode::PolarSample {
                // Across frames too, the trace does not cross the disc.
                let (first, last) = (polar_point(run[0]).1, polar_point(run[run.len() - 1]).1);
                if self.last_turned.is_some_and(|t| t != first) {
                    self.last_point = None;
                }
                self.last_turned = Some(last);
            }
            self.last_point = build_quads_merging(run, self.last_point, s.mode, s.gain, sigma, &vp, &mut self.quads, merge);
        }
        let segments = self.quads.pieces() as u32;
        self.lit_tiles.mark(&self.quads.lone, now_ms);
        self.lit_tiles.mark(&self.quads.runs, now_ms);
        // The rectangles decay and composite cover: the lit tiles, or with glow on (whose halo
        // reaches past them) the whole canvas.
        let lit_rects = if s.glow > 0.0 {
            self.last_lit_fraction = 1.0;
            &self.whole_canvas
        } else {
            let rects = self.lit_tiles.rects(now_ms, s.fade_out_ms());
            self.last_lit_fraction = canvas_fraction(rects);
            self.lit_rects.upload(&self.queue, rects);
            &self.lit_rects
        };
        // How this frame fades the stored light: by what, and over which rectangles (None: not
        // at all, the gain does it). The gain needs r32float's range, and the glow's half-float
        // textures would overflow on the scaled light, so with either the decay pass runs.
        let decay = decay_factor(dt, s.persistence_ms);
        let scaled = self.accumulation_format == wgpu::TextureFormat::R32Float && s.glow <= 0.0;
        let fade = if scaled {
            self.light_gain.advance(decay).map(|f| (f, &self.whole_canvas))
        } else if self.light_gain.gain() != 1.0 {
            // Leaving the scaled mode: turn the stored light back into light, faded.
            Some((self.light_gain.reset() * decay, &self.whole_canvas))
        } else {
            Some((decay, lit_rects))
        };
        let gain = self.light_gain.gain();
        let rate = if sample_rate > 0.0 { sample_rate } else { 48_000.0 };
        let intensity = BASE_INTENSITY * s.intensity * (48_000.0 / rate) * gain;
        self.beam.upload(&self.device, &self.queue, &self.quads, intensity);
        self.composite.upload(
            &self.queue,
            &CompositeParams {
                color: s.color,
                exposure: s.exposure / gain,
                glow: GLOW_GAIN * s.glow,
            },
        );
        self.graticule.update(
            &self.device,
            &self.queue,
            &GraticuleParams {
                viewport: vp,
                mode: s.mode,
                line_width: self.pixel_ratio,
                color: GRATICULE_COLOR.map(|c| c * s.graticule),
            },
        );

        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(f) | wgpu::CurrentSurfaceTexture::Suboptimal(f) => f,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.device, &self.config);
                return Ok(0);
            }
            _ => return Ok(0),
        };
        let view = frame.texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("frame") });
        {
            // Faded to nothing: a clear costs less than a pass.
            let load = match fade {
                Some((f, _)) if f <= 0.0 => wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                _ => wgpu::LoadOp::Load,
            };
            let mut pass = color_pass(&mut encoder, "accumulate", &self.accumulation, load);
            if let Some((f, rects)) = fade.filter(|&(f, _)| f > 0.0) {
                self.decay.draw(&mut pass, f, rects);
            }
            self.beam.draw(&mut pass);
        }
        if s.glow > 0.0 {
            self.glow.encode(&mut encoder);
        }
        {
            let mut pass = color_pass(&mut encoder, "composite", &view, wgpu::LoadOp::Clear(wgpu::Color::BLACK));
            self.graticule.draw(&mut pass);
            self.composite.draw(&mut pass, lit_rects);
        }
        self.queue.submit([encoder.finish()]);
        self.queue.present(frame);
        self.frames += 1;
        self.last_segments = segments;
        self.segments_total += u64::from(segments);
        Ok(segments)
    }
}

/// Interleaved `[x, y, ...]` floats as samples (a trailing odd value is ignored).
fn xy_samples(interleaved: &[f32]) -> &[XYSample] {
    let n = interleaved.len() / 2;
    // SAFETY: XYSample is #[repr(C)] { f32, f32 }: same size and alignment as [f32; 2], and `n`
    // pairs fit in the slice, which the result borrows.
    unsafe { std::slice::from_raw_parts(interleaved.as_ptr().cast::<XYSample>(), n) }
}
