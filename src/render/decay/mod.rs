//! Decay pass: multiplies the accumulation texture by `exp(-dt / tau)` with a blend constant,
//! over the lit rectangles only (elsewhere there is no light left to fade).

use crate::render::gpu::{lit_rects_module, pipeline, LitRects};

/// The pipeline that fades the accumulation texture.
pub struct DecayPass {
    pipeline: wgpu::RenderPipeline,
}

impl DecayPass {
    /// Builds the pipeline for an accumulation texture of `format`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let module = lit_rects_module(device, "decay", include_str!("decay.wgsl"));
        let fade = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::Zero,
            dst_factor: wgpu::BlendFactor::Constant,
            operation: wgpu::BlendOperation::Add,
        };
        let pipeline = pipeline(
            device,
            "decay",
            &module,
            &[],
            &[Some(LitRects::LAYOUT)],
            wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState { color: fade, alpha: fade }),
                write_mask: wgpu::ColorWrites::ALL,
            },
        );
        DecayPass { pipeline }
    }

    /// Records the fade by `factor` over `rects` into `pass` (whose target is the accumulation
    /// texture).
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, factor: f32, rects: &LitRects) {
        let f = f64::from(factor);
        pass.set_pipeline(&self.pipeline);
        pass.set_blend_constant(wgpu::Color { r: f, g: f, b: f, a: f });
        rects.draw(pass);
    }
}
