//! Glow pass (optional bloom): the accumulated light is shrunk to a quarter of the canvas size
//! and blurred (a separable gaussian, 8 canvas pixels wide); the composite adds it, scaled by the
//! glow setting, before tone mapping, so bright parts of the trace get a soft halo. Three small
//! passes at 1/16 of the pixels, run only while glow is on.

use crate::render::gpu::{color_pass, fullscreen_module, pipeline, target_texture, texture_entry, FULLSCREEN_VERTICES};

/// How much smaller than the canvas the glow textures are, per side.
pub const GLOW_DOWNSCALE: u32 = 4;

/// The glow textures, their pipelines and bind groups.
pub struct GlowPass {
    downsample: wgpu::RenderPipeline,
    blur_x: wgpu::RenderPipeline,
    blur_y: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    /// The result (after both blur steps), read by the composite through a filtering sampler.
    result: wgpu::TextureView,
    scratch: wgpu::TextureView,
    from_accumulation: wgpu::BindGroup,
    from_result: wgpu::BindGroup,
    from_scratch: wgpu::BindGroup,
}

impl GlowPass {
    /// Builds the pipelines (glow textures of `format`, which must be filterable) and textures
    /// for an accumulation texture of `width` x `height`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat, accumulation: &wgpu::TextureView, width: u32, height: u32) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("glow"),
            entries: &[texture_entry(0, false)],
        });
        let target = wgpu::ColorTargetState {
            format,
            blend: None,
            write_mask: wgpu::ColorWrites::ALL,
        };
        let make = |label: &str, source: &str| {
            let module = fullscreen_module(device, label, source);
            pipeline(device, label, &module, &[Some(&layout)], &[], target.clone())
        };
        let blur = include_str!("blur.wgsl");
        let downsample = make("glow downsample", include_str!("downsample.wgsl"));
        let blur_x = make("glow blur x", &["const DIR: vec2<i32> = vec2<i32>(1, 0);\n", blur].concat());
        let blur_y = make("glow blur y", &["const DIR: vec2<i32> = vec2<i32>(0, 1);\n", blur].concat());
        let (result, scratch, groups) = Self::textures(device, &layout, format, accumulation, width, height);
        let [from_accumulation, from_result, from_scratch] = groups;
        GlowPass {
            downsample,
            blur_x,
            blur_y,
            layout,
            format,
            result,
            scratch,
            from_accumulation,
            from_result,
            from_scratch,
        }
    }

    fn textures(
        device: &wgpu::Device,
        layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
        accumulation: &wgpu::TextureView,
        width: u32,
        height: u32,
    ) -> (wgpu::TextureView, wgpu::TextureView, [wgpu::BindGroup; 3]) {
        let (w, h) = (width.div_ceil(GLOW_DOWNSCALE).max(1), height.div_ceil(GLOW_DOWNSCALE).max(1));
        let result = target_texture(device, "glow", format, w, h);
        let scratch = target_texture(device, "glow scratch", format, w, h);
        let group = |view: &wgpu::TextureView| {
            device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("glow"),
                layout,
                entries: &[wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(view),
                }],
            })
        };
        let groups = [group(accumulation), group(&result), group(&scratch)];
        (result, scratch, groups)
    }

    /// New textures for a (new) accumulation texture of `width` x `height`.
    pub fn resize(&mut self, device: &wgpu::Device, accumulation: &wgpu::TextureView, width: u32, height: u32) {
        let (result, scratch, groups) = Self::textures(device, &self.layout, self.format, accumulation, width, height);
        let [from_accumulation, from_result, from_scratch] = groups;
        (self.result, self.scratch) = (result, scratch);
        (self.from_accumulation, self.from_result, self.from_scratch) = (from_accumulation, from_result, from_scratch);
    }

    /// The blurred light, a quarter of the canvas size per side.
    pub fn view(&self) -> &wgpu::TextureView {
        &self.result
    }

    /// Records the three steps into `encoder`: accumulation -> result (shrunk), result -> scratch
    /// (blurred across), scratch -> result (blurred down).
    pub fn encode(&self, encoder: &mut wgpu::CommandEncoder) {
        let steps = [
            (&self.downsample, &self.from_accumulation, &self.result),
            (&self.blur_x, &self.from_result, &self.scratch),
            (&self.blur_y, &self.from_scratch, &self.result),
        ];
        for (pipeline, group, target) in steps {
            let mut pass = color_pass(encoder, "glow", target, wgpu::LoadOp::Clear(wgpu::Color::BLACK));
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, group, &[]);
            pass.draw(FULLSCREEN_VERTICES, 0..1);
        }
    }
}
