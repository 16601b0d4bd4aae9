//! Composite pass: tone-maps the accumulation texture onto the canvas, screened over the
//! graticule's marks, over the lit rectangles only (elsewhere the light tone-maps to black, and
//! the canvas keeps its marks).

use crate::render::gpu::{lit_rects_module, pipeline, texture_entry, uniform_buffer, uniform_entry, LitRects};

/// What the composite shader needs each frame (see `composite.wgsl`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompositeParams {
    /// Beam colour, linear RGB.
    pub color: [f32; 3],
    /// Tone-mapping exposure.
    pub exposure: f32,
    /// How much of the glow pass's blurred light is added (0: none, and the glow texture is
    /// not read).
    pub glow: f32,
}

/// The pipelines (without and with glow) that draw the accumulation texture to the canvas.
pub struct CompositePass {
    pipeline: wgpu::RenderPipeline,
    with_glow: wgpu::RenderPipeline,
    sampler: wgpu::Sampler,
    glow: bool,
    bind_layout: wgpu::BindGroupLayout,
    uniforms: wgpu::Buffer,
    bind_group: Option<wgpu::BindGroup>,
}

impl CompositePass {
    /// Builds the pipeline for a canvas of `format`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("composite"),
            entries: &[
                uniform_entry(0),
                texture_entry(1, false),
                texture_entry(2, true),
                wgpu::BindGroupLayoutEntry {
                    binding: 3,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let uniforms = uniform_buffer(device, "composite uniforms", 32);
        let make = |glow: bool| {
            let source = [&format!("const GLOW: bool = {glow};\n"), include_str!("composite.wgsl")].concat();
            let module = lit_rects_module(device, "composite", &source);
            pipeline(
                device,
                "composite",
                &module,
                &[Some(&bind_layout)],
                &[Some(LitRects::LAYOUT)],
                wgpu::ColorTargetState {
                    format,
                    // Screen over the graticule already on the canvas: beam + marks * (1 - beam).
                    blend: Some(wgpu::BlendState {
                        color: wgpu::BlendComponent {
                            src_factor: wgpu::BlendFactor::One,
                            dst_factor: wgpu::BlendFactor::OneMinusSrc,
                            operation: wgpu::BlendOperation::Add,
                        },
                        alpha: wgpu::BlendComponent::REPLACE,
                    }),
                    write_mask: wgpu::ColorWrites::ALL,
                },
            )
        };
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("glow"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        CompositePass {
            pipeline: make(false),
            with_glow: make(true),
            sampler,
            glow: false,
            bind_layout,
            uniforms,
            bind_group: None,
        }
    }

    /// Points the pass at (new) accumulation and glow textures, after a resize.
    pub fn resize(&mut self, device: &wgpu::Device, accumulation: &wgpu::TextureView, glow: &wgpu::TextureView) {
        self.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("composite"),
            layout: &self.bind_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: self.uniforms.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(accumulation),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::TextureView(glow),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: wgpu::BindingResource::Sampler(&self.sampler),
                },
            ],
        }));
    }

    /// Uploads this frame's parameters (and picks the pipeline with or without glow).
    pub fn upload(&mut self, queue: &wgpu::Queue, p: &CompositeParams) {
        self.glow = p.glow > 0.0;
        let data: [f32; 8] = [p.color[0], p.color[1], p.color[2], p.exposure, p.glow, 0.0, 0.0, 0.0];
        queue.write_buffer(&self.uniforms, 0, bytemuck::cast_slice(&data));
    }

    /// Records the draw over `rects` into `pass` (whose target is the canvas).
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, rects: &LitRects) {
        if let Some(bind_group) = &self.bind_group {
            pass.set_pipeline(if self.glow { &self.with_glow } else { &self.pipeline });
            pass.set_bind_group(0, bind_group, &[]);
            rects.draw(pass);
        }
    }
}
