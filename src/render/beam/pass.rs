//! Beam pass: the frame's quads, additively blended into the accumulation texture: lone pieces
//! (`piece.wgsl`) and runs (`run.wgsl`, up to four pieces joined by mitred joints as one quad),
//! each with its own pipeline and vertex buffer, both after `beam.wgsl`. The buffers are
//! allocated once and grown (doubling) only when a frame needs more; each frame's vertices are
//! written with one `queue.write_buffer` per kind.

use super::vertex::{BeamVertex, Quads, RunVertex, RUN_PIECES};
use crate::render::gpu::{joined_module, pipeline, uniform_bind_group};

/// The pipeline and buffers that draw beam quads.
pub struct BeamPass {
    uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    pieces: QuadKind,
    runs: QuadKind,
    /// Index buffer: two triangles per quad, shared by both kinds.
    indices: wgpu::Buffer,
    index_capacity: u32,
}

/// One kind of quad: its pipeline, its vertex buffer (room for `capacity` quads), and how many
/// quads this frame uploaded.
struct QuadKind {
    pipeline: wgpu::RenderPipeline,
    vertices: wgpu::Buffer,
    vertex_bytes: u64,
    capacity: u32,
    count: u32,
}

impl QuadKind {
    /// Uploads `corners` (4 per quad), growing the buffer first if it is too small.
    fn upload<T: bytemuck::Pod>(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, corners: &[T]) {
        let quads = (corners.len() / 4) as u32;
        if quads > self.capacity {
            self.capacity = quads.next_power_of_two();
            self.vertices = vertex_buffer(device, self.capacity, self.vertex_bytes);
        }
        if !corners.is_empty() {
            queue.write_buffer(&self.vertices, 0, bytemuck::cast_slice(corners));
        }
        self.count = quads;
    }

    fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.count == 0 {
            return;
        }
        pass.set_pipeline(&self.pipeline);
        pass.set_vertex_buffer(0, self.vertices.slice(..));
        pass.draw_indexed(0..self.count * 6, 0, 0..1);
    }
}

impl BeamPass {
    /// Builds the pipelines for an accumulation texture of `format`, with room for `quads` of
    /// each kind.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat, quads: u32) -> Self {
        let (bind_layout, uniforms, bind_group) = uniform_bind_group(device, "beam", 16);
        let add = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::One,
            dst_factor: wgpu::BlendFactor::One,
            operation: wgpu::BlendOperation::Add,
        };
        let target = wgpu::ColorTargetState {
            format,
            blend: Some(wgpu::BlendState { color: add, alpha: add }),
            write_mask: wgpu::ColorWrites::RED,
        };
        let kind = |label: &str, tail: &str, vertex_bytes: u64, attributes: &[wgpu::VertexAttribute]| {
            let module = joined_module(device, label, include_str!("beam.wgsl"), tail);
            let pipeline = pipeline(
                device,
                label,
                &module,
                &[Some(&bind_layout)],
                &[Some(wgpu::VertexBufferLayout {
                    array_stride: vertex_bytes,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes,
                })],
                target.clone(),
            );
            QuadKind {
                pipeline,
                vertices: vertex_buffer(device, quads, vertex_bytes),
                vertex_bytes,
                capacity: quads,
                count: 0,
            }
        };
        let pieces = kind(
            "beam pieces",
            include_str!("piece.wgsl"),
            std::mem::size_of::<BeamVertex>() as u64,
            &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Float32x4],
        );
        // run.wgsl's attributes are written for four pieces.
        const _: () = assert!(RUN_PIECES == 4);
        let runs = kind(
            "beam runs",
            include_str!("run.wgsl"),
            std::mem::size_of::<RunVertex>() as u64,
            &wgpu::vertex_attr_array![
                0 => Float32x2, 1 => Float32x4, 2 => Float32x4, 3 => Float32x3,
                4 => Float32x4, 5 => Float32x4, 6 => Float32x4, 7 => Float32x4
            ],
        );
        BeamPass {
            uniforms,
            bind_group,
            pieces,
            runs,
            indices: index_buffer(device, quads),
            index_capacity: quads,
        }
    }

    /// Uploads this frame's quads and the light per segment; grows the buffers first if they
    /// are too small (the only allocation, and a rare one).
    pub fn upload(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, quads: &Quads, intensity: f32) {
        self.pieces.upload(device, queue, &quads.lone);
        self.runs.upload(device, queue, &quads.runs);
        let most = self.pieces.count.max(self.runs.count);
        if most > self.index_capacity {
            self.index_capacity = most.next_power_of_two();
            self.indices = index_buffer(device, self.index_capacity);
        }
        queue.write_buffer(&self.uniforms, 0, bytemuck::cast_slice(&[intensity, 0.0, 0.0, 0.0]));
    }

    /// Records this frame's quads into `pass`.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.pieces.count == 0 && self.runs.count == 0 {
            return;
        }
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.set_index_buffer(self.indices.slice(..), wgpu::IndexFormat::Uint32);
        self.pieces.draw(pass);
        self.runs.draw(pass);
    }
}

/// A vertex buffer for `quads` quads of 4 corners of `vertex_bytes`.
fn vertex_buffer(device: &wgpu::Device, quads: u32, vertex_bytes: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("beam vertices"),
        size: u64::from(quads.max(1)) * 4 * vertex_bytes,
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// The index buffer that makes each of `quads` quads two triangles.
fn index_buffer(device: &wgpu::Device, quads: u32) -> wgpu::Buffer {
    use wgpu::util::DeviceExt as _;
    let index_data: Vec<u32> = (0..quads.max(1))
        .flat_map(|s| {
            let b = s * 4;
            [b, b + 1, b + 2, b + 2, b + 1, b + 3]
        })
        .collect();
    device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("beam indices"),
        contents: bytemuck::cast_slice(&index_data),
        usage: wgpu::BufferUsages::INDEX,
    })
}
