//! The graticule pass: draws the marks' quads ([`geometry`](super::geometry)) onto the canvas
//! with `graticule.wgsl`, and rebuilds and uploads them only when the size, mode, pixel ratio or
//! opacity change.

use super::geometry::{graticule_quads, GridVertex};
use crate::render::gpu::{pipeline, uniform_bind_group};
use crate::render::projection::{Mode, Viewport};

/// Where and how the marks are drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GraticuleParams {
    /// The canvas.
    pub viewport: Viewport,
    /// XY or M/S (which diagonals).
    pub mode: Mode,
    /// Line width in pixels (the device pixel ratio).
    pub line_width: f32,
    /// The marks' colour times their opacity (zero hides them).
    pub color: [f32; 3],
}

/// The pipeline, the marks' vertices and their uniforms.
pub struct GraticulePass {
    pipeline: wgpu::RenderPipeline,
    uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    vertices: Option<wgpu::Buffer>,
    count: u32,
    scratch: Vec<GridVertex>,
    drawn: Option<GraticuleParams>,
}

impl GraticulePass {
    /// Builds the pipeline for a canvas of `format`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let module = device.create_shader_module(wgpu::include_wgsl!("graticule.wgsl"));
        let (bind_layout, uniforms, bind_group) = uniform_bind_group(device, "graticule", 16);
        // Crossing marks keep the brighter (WebGPU wants factors One with Max).
        let max = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::One,
            dst_factor: wgpu::BlendFactor::One,
            operation: wgpu::BlendOperation::Max,
        };
        let pipeline = pipeline(
            device,
            "graticule",
            &module,
            &[Some(&bind_layout)],
            &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<GridVertex>() as u64,
                step_mode: wgpu::VertexStepMode::Vertex,
                attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32, 2 => Float32],
            })],
            wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState { color: max, alpha: max }),
                write_mask: wgpu::ColorWrites::ALL,
            },
        );
        GraticulePass {
            pipeline,
            uniforms,
            bind_group,
            vertices: None,
            count: 0,
            scratch: Vec::new(),
            drawn: None,
        }
    }

    /// Rebuilds the marks if `p` changed since they were last built; returns whether it did.
    pub fn update(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, p: &GraticuleParams) -> bool {
        if self.drawn == Some(*p) {
            return false;
        }
        graticule_quads(&p.viewport, p.mode, p.line_width, &mut self.scratch);
        let bytes: &[u8] = bytemuck::cast_slice(&self.scratch);
        if self.vertices.as_ref().is_none_or(|b| b.size() < bytes.len() as u64) {
            self.vertices = Some(device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("graticule vertices"),
                size: bytes.len() as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }));
        }
        if let Some(buffer) = &self.vertices {
            queue.write_buffer(buffer, 0, bytes);
        }
        self.count = self.scratch.len() as u32;
        let c = p.color;
        queue.write_buffer(&self.uniforms, 0, bytemuck::cast_slice(&[c[0], c[1], c[2], p.line_width]));
        self.drawn = Some(*p);
        true
    }

    /// Records the marks into `pass` (whose target is the canvas, cleared to black; the
    /// composite is drawn over them).
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        let (Some(buffer), Some(p)) = (&self.vertices, &self.drawn) else { return };
        if self.count == 0 || p.color == [0.0; 3] {
            return;
        }
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.set_vertex_buffer(0, buffer.slice(..));
        pass.draw(0..self.count, 0..1);
    }
}
