//! The GPU device behind a renderer and what it offers: which backend to use (WebGPU when the
//! browser really has it, else WebGL2), the adapter and device requested on it (on WebGPU one
//! device shared by every renderer on the page; on WebGL2 one per canvas, which owns its GL
//! context), the canvas's surface, and the texture formats the device can render to, blend and
//! read.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A JavaScript `Error` whose `code` property names the failure (`"no-gpu"`, `"webgpu-failed"`,
/// `"bad-backend"`, `"gpu-lost"`), for the page to tell them apart.
pub(crate) fn js_error(code: &str, message: impl std::fmt::Display) -> JsValue {
    let e = js_sys::Error::new(&format!("{message}"));
    let _ = js_sys::Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// A GPU device and what it came from.
#[derive(Clone)]
pub(crate) struct Gpu {
    instance: wgpu::Instance,
    pub(crate) adapter: wgpu::Adapter,
    pub(crate) device: wgpu::Device,
    pub(crate) queue: wgpu::Queue,
    /// Set by the device-lost callback.
    pub(crate) lost: Arc<AtomicBool>,
}

thread_local! {
    /// The page's WebGPU device, shared by its renderers until it is lost.
    static SHARED_WEBGPU: std::cell::RefCell<Option<Gpu>> = const { std::cell::RefCell::new(None) };
}

impl Gpu {
    /// An adapter and device on `backends`; with `surface`, from that instance and compatible
    /// with it (WebGL2), else from a new instance (WebGPU: any canvas can use the device).
    async fn request(
        backends: wgpu::Backends,
        surface: Option<(wgpu::Instance, &wgpu::Surface<'static>)>,
        failure: &str,
    ) -> Result<Gpu, JsValue> {
        let (instance, compatible_surface) = match surface {
            Some((instance, surface)) => (instance, Some(surface)),
            None => {
                let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
                desc.backends = backends;
                (wgpu::Instance::new(desc), None)
            }
        };
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface,
                ..Default::default()
            })
            .await
            .map_err(|e| js_error(failure, format!("no graphics adapter: {e}")))?;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("vectorscope"),
                // r32float accumulation where it can be blended: in software rendering it fades
                // and reads faster than r16float (no half-float conversion; docs/benchmarks.md).
                // WebGPU says so with float32-blendable; wgpu's WebGL2 backend does not turn
                // EXT_float_blend into that feature, but its adapter-specific format features
                // include it.
                required_features: adapter.features()
                    & (wgpu::Features::FLOAT32_BLENDABLE | wgpu::Features::TEXTURE_ADAPTER_SPECIFIC_FORMAT_FEATURES),
                required_limits: wgpu::Limits::downlevel_webgl2_defaults().using_resolution(adapter.limits()),
                ..Default::default()
            })
            .await
            .map_err(|e| js_error(failure, format!("no graphics device: {e}")))?;
        let lost = Arc::new(AtomicBool::new(false));
        {
            let lost = Arc::clone(&lost);
            device.set_device_lost_callback(move |_reason, _message| lost.store(true, Ordering::Relaxed));
        }
        Ok(Gpu {
            instance,
            adapter,
            device,
            queue,
            lost,
        })
    }
}

/// The backend a new renderer draws with.
pub(crate) enum Backend {
    /// WebGPU, on the page's shared device if it has a live one (else on a new one, then shared).
    WebGpu(Option<Gpu>),
    /// WebGL2, on a device of the canvas's own.
    WebGl2,
}

impl Backend {
    /// The backend for `want`: `"webgpu"`, `"webgl2"`, or `"auto"` / none (WebGPU when the page
    /// has a live shared device or the browser supports WebGPU, else WebGL2).
    pub(crate) async fn choose(want: Option<String>) -> Result<Backend, JsValue> {
        let want = want.unwrap_or_else(|| "auto".into());
        let cached = SHARED_WEBGPU.with(|g| g.borrow().clone()).filter(|g| !g.lost.load(Ordering::Relaxed));
        let use_webgpu = match want.as_str() {
            "webgpu" => true,
            "webgl2" => false,
            "auto" => cached.is_some() || wgpu::util::is_browser_webgpu_supported().await,
            other => return Err(js_error("bad-backend", format!("unknown backend {other:?}"))),
        };
        Ok(if use_webgpu { Backend::WebGpu(cached) } else { Backend::WebGl2 })
    }

    /// Whether this is WebGPU.
    pub(crate) fn is_webgpu(&self) -> bool {
        matches!(self, Backend::WebGpu(_))
    }

    /// The `code` of errors on this backend: `"webgpu-failed"` (the canvas is unusable for
    /// WebGL2 then: retry on a fresh one) or `"no-gpu"`.
    pub(crate) fn failure(&self) -> &'static str {
        if self.is_webgpu() { "webgpu-failed" } else { "no-gpu" }
    }

    /// A device and a surface on `canvas`, and whether the canvas's WebGL2 context blends
    /// float32 (EXT_float_blend; false on WebGPU).
    pub(crate) async fn acquire(self, canvas: HtmlCanvasElement) -> Result<(Gpu, wgpu::Surface<'static>, bool), JsValue> {
        let failure = self.failure();
        match self {
            Backend::WebGpu(cached) => {
                // One WebGPU device for every scope on the page: creating and dropping a device per
                // element is slow, and in Chromium's software WebGPU it could stall the page.
                let gpu = match cached {
                    Some(gpu) => gpu,
                    None => {
                        let gpu = Gpu::request(wgpu::Backends::BROWSER_WEBGPU, None, failure).await?;
                        SHARED_WEBGPU.with(|g| *g.borrow_mut() = Some(gpu.clone()));
                        gpu
                    }
                };
                let surface = gpu
                    .instance
                    .create_surface(wgpu::SurfaceTarget::Canvas(canvas))
                    .map_err(|e| js_error(failure, format!("cannot draw on the canvas: {e}")))?;
                Ok((gpu, surface, false))
            }
            Backend::WebGl2 => {
                // WebGL2: the device belongs to the canvas's GL context, so each canvas has its own.
                let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
                desc.backends = wgpu::Backends::GL;
                let instance = wgpu::Instance::new(desc);
                // EXT_float_blend: getExtension both tells and enables it.
                let float_blend = create_opaque_webgl2_context(&canvas)
                    .is_some_and(|gl| matches!(gl.get_extension("EXT_float_blend"), Ok(Some(_))));
                let surface = instance
                    .create_surface(wgpu::SurfaceTarget::Canvas(canvas))
                    .map_err(|e| js_error(failure, format!("cannot draw on the canvas: {e}")))?;
                let gpu = Gpu::request(wgpu::Backends::GL, Some((instance, &surface)), failure).await?;
                Ok((gpu, surface, float_blend))
            }
        }
    }
}

/// Whether `format` can be rendered to and read on this adapter, with the format `flags`.
fn format_supports(adapter: &wgpu::Adapter, format: wgpu::TextureFormat, flags: wgpu::TextureFormatFeatureFlags) -> bool {
    let ff = adapter.get_texture_format_features(format);
    ff.allowed_usages
        .contains(wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING)
        && ff.flags.contains(flags)
}

/// The accumulation texture's format: the first of r32float, r16float, rgba8unorm that can be
/// rendered to, blended and read on this device. r32float needs float32-blendable (WebGPU) or,
/// on WebGL2, `float_blend`: the context has EXT_float_blend (wgpu's adapter-specific format
/// features say r32float blends wherever it renders).
pub(crate) fn accumulation_format(adapter: &wgpu::Adapter, features: wgpu::Features, float_blend: bool) -> wgpu::TextureFormat {
    let blends_f32 = features.contains(wgpu::Features::FLOAT32_BLENDABLE)
        || (float_blend && features.contains(wgpu::Features::TEXTURE_ADAPTER_SPECIFIC_FORMAT_FEATURES));
    [wgpu::TextureFormat::R32Float, wgpu::TextureFormat::R16Float]
        .into_iter()
        .filter(|&f| f != wgpu::TextureFormat::R32Float || blends_f32)
        .find(|&f| format_supports(adapter, f, wgpu::TextureFormatFeatureFlags::BLENDABLE))
        .unwrap_or(wgpu::TextureFormat::Rgba8Unorm)
}

/// The glow textures' format: r16float where it can be rendered to and filtered, else
/// rgba8unorm (light above 1 clips there, which a halo hardly shows).
pub(crate) fn glow_format(adapter: &wgpu::Adapter) -> wgpu::TextureFormat {
    if format_supports(adapter, wgpu::TextureFormat::R16Float, wgpu::TextureFormatFeatureFlags::FILTERABLE) {
        wgpu::TextureFormat::R16Float
    } else {
        wgpu::TextureFormat::Rgba8Unorm
    }
}

/// Creates `canvas`'s WebGL2 context before wgpu asks for one, so that wgpu gets this one
/// (`getContext` returns the existing context and ignores later options): opaque, with no depth,
/// stencil or multisampling. wgpu draws into its own texture and copies it to the canvas, so
/// the canvas's buffer needs none of them; and an opaque canvas is not blended by the
/// compositor, which in software rendering gives more frames per second, nearly all of it from
/// the opaque canvas (docs/benchmarks.md). If this fails (None), wgpu creates its usual context
/// (alpha, depth).
fn create_opaque_webgl2_context(canvas: &HtmlCanvasElement) -> Option<web_sys::WebGl2RenderingContext> {
    let options = js_sys::Object::new();
    for key in ["alpha", "depth", "stencil", "antialias"] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &JsValue::FALSE);
    }
    let context = canvas.get_context_with_context_options("webgl2", &options).ok().flatten()?;
    context.dyn_into().ok()
}

/// `navigator.gpu.getPreferredCanvasFormat()`, when it names a format wgpu knows.
pub(crate) fn preferred_canvas_format() -> Option<wgpu::TextureFormat> {
    let gpu = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"gpu".into()))
        .ok()?;
    let f: js_sys::Function = js_sys::Reflect::get(&gpu, &"getPreferredCanvasFormat".into()).ok()?.dyn_into().ok()?;
    match f.call0(&gpu).ok()?.as_string()?.as_str() {
        "rgba8unorm" => Some(wgpu::TextureFormat::Rgba8Unorm),
        "bgra8unorm" => Some(wgpu::TextureFormat::Bgra8Unorm),
        "rgba16float" => Some(wgpu::TextureFormat::Rgba16Float),
        _ => None,
    }
}
