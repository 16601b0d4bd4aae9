//! Graticule pass: draws the scope's marks into a texture the size of the canvas, only when the
//! size, mode or pixel ratio change; the composite pass reads it every frame.

use crate::render::beam::as_bytes;
use crate::render::gpu::{color_pass, fullscreen_module, pipeline, target_texture, uniform_bind_group, FULLSCREEN_VERTICES};

/// Format of the graticule texture: coverage only.
pub const GRATICULE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::R8Unorm;

/// Where the marks go (see `graticule.wgsl`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GraticuleParams {
    /// Scope centre in pixels.
    pub center: [f32; 2],
    /// Pixels per scope unit.
    pub scale: f32,
    /// 0 = XY, 1 = M/S.
    pub mode: f32,
    /// Line width in pixels (the device pixel ratio).
    pub line_width: f32,
}

/// The graticule texture and the pipeline that draws it.
pub struct GraticulePass {
    pipeline: wgpu::RenderPipeline,
    uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    view: wgpu::TextureView,
    drawn: Option<(GraticuleParams, u32, u32)>,
}

impl GraticulePass {
    /// Builds the pipeline and a `width` x `height` texture (not yet drawn).
    pub fn new(device: &wgpu::Device, width: u32, height: u32) -> Self {
        let module = fullscreen_module(device, "graticule", include_str!("graticule.wgsl"));
        let (bind_layout, uniforms, bind_group) = uniform_bind_group(device, "graticule", 32);
        let pipeline = pipeline(
            device,
            "graticule",
            &module,
            &[Some(&bind_layout)],
            &[],
            wgpu::ColorTargetState {
                format: GRATICULE_FORMAT,
                blend: None,
                write_mask: wgpu::ColorWrites::ALL,
            },
        );
        GraticulePass {
            pipeline,
            uniforms,
            bind_group,
            view: target_texture(device, "graticule", GRATICULE_FORMAT, width, height),
            drawn: None,
        }
    }

    /// The texture the composite pass reads.
    pub fn view(&self) -> &wgpu::TextureView {
        &self.view
    }

    /// Replaces the texture with one of `width` x `height` (to be drawn on the next
    /// [`update`](Self::update)).
    pub fn resize(&mut self, device: &wgpu::Device, width: u32, height: u32) {
        self.view = target_texture(device, "graticule", GRATICULE_FORMAT, width, height);
        self.drawn = None;
    }

    /// Redraws the texture into `encoder` if `p` or the size changed since it was last drawn;
    /// returns whether it did.
    pub fn update(&mut self, queue: &wgpu::Queue, encoder: &mut wgpu::CommandEncoder, p: &GraticuleParams) -> bool {
        let size = self.view.texture().size();
        let key = (*p, size.width, size.height);
        if self.drawn == Some(key) {
            return false;
        }
        let data: [f32; 8] = [p.center[0], p.center[1], p.scale, p.mode, p.line_width, 0.0, 0.0, 0.0];
        queue.write_buffer(&self.uniforms, 0, as_bytes(&data));
        let mut pass = color_pass(encoder, "graticule", &self.view, wgpu::LoadOp::Clear(wgpu::Color::BLACK));
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.draw(FULLSCREEN_VERTICES, 0..1);
        self.drawn = Some(key);
        true
    }
}
