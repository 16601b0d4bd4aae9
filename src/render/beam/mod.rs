//! Beam pass: the segments' quads, additively blended into the accumulation texture. Vertex and
//! index buffers are allocated once and grown (doubling) only when a frame needs more; each
//! frame's vertices are written with one `queue.write_buffer`.

use crate::render::gpu::{pipeline, uniform_bind_group};
use crate::render::math::BeamVertex;

/// Bytes of one [`BeamVertex`].
const VERTEX_BYTES: u64 = std::mem::size_of::<BeamVertex>() as u64;

/// The pipeline and buffers that draw beam segments.
pub struct BeamPass {
    pipeline: wgpu::RenderPipeline,
    uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    vertices: wgpu::Buffer,
    indices: wgpu::Buffer,
    capacity: u32,
}

impl BeamPass {
    /// Builds the pipeline for an accumulation texture of `format`, with room for `segments`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat, segments: u32) -> Self {
        let module = device.create_shader_module(wgpu::include_wgsl!("beam.wgsl"));
        let (bind_layout, uniforms, bind_group) = uniform_bind_group(device, "beam", 16);
        let add = wgpu::BlendComponent {
            src_factor: wgpu::BlendFactor::One,
            dst_factor: wgpu::BlendFactor::One,
            operation: wgpu::BlendOperation::Add,
        };
        let pipeline = pipeline(
            device,
            "beam",
            &module,
            &[Some(&bind_layout)],
            &[Some(wgpu::VertexBufferLayout {
                array_stride: VERTEX_BYTES,
                step_mode: wgpu::VertexStepMode::Vertex,
                attributes: &wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Float32x4, 3 => Float32x2, 4 => Float32x4, 5 => Float32],
            })],
            wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState { color: add, alpha: add }),
                write_mask: wgpu::ColorWrites::RED,
            },
        );
        let (vertices, indices) = buffers(device, segments);
        BeamPass {
            pipeline,
            uniforms,
            bind_group,
            vertices,
            indices,
            capacity: segments,
        }
    }

    /// Uploads this frame's quads (4 vertices per segment) and the light per segment; grows the
    /// buffers first if they are too small (the only allocation, and a rare one).
    pub fn upload(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, quads: &[BeamVertex], intensity: f32) {
        let segments = (quads.len() / 4) as u32;
        if segments > self.capacity {
            let capacity = segments.next_power_of_two();
            (self.vertices, self.indices) = buffers(device, capacity);
            self.capacity = capacity;
        }
        if !quads.is_empty() {
            queue.write_buffer(&self.vertices, 0, as_bytes(quads));
        }
        queue.write_buffer(&self.uniforms, 0, as_bytes(&[intensity, 0.0, 0.0, 0.0]));
    }

    /// Records `quads` quads into `pass`.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, quads: u32) {
        if quads == 0 {
            return;
        }
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.set_vertex_buffer(0, self.vertices.slice(..));
        pass.set_index_buffer(self.indices.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(0..quads * 6, 0, 0..1);
    }
}

/// A vertex buffer for `segments` quads and the index buffer that makes each two triangles.
fn buffers(device: &wgpu::Device, segments: u32) -> (wgpu::Buffer, wgpu::Buffer) {
    use wgpu::util::DeviceExt as _;
    let vertices = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("beam vertices"),
        size: u64::from(segments) * 4 * VERTEX_BYTES,
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let index_data: Vec<u32> = (0..segments)
        .flat_map(|s| {
            let b = s * 4;
            [b, b + 1, b + 2, b + 2, b + 1, b + 3]
        })
        .collect();
    let indices = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("beam indices"),
        contents: as_bytes(&index_data),
        usage: wgpu::BufferUsages::INDEX,
    });
    (vertices, indices)
}

/// Types whose bytes may be uploaded as they are.
///
/// # Safety
/// Implement only for `Copy` types with no padding and no pointers, every bit pattern valid.
pub(crate) unsafe trait Plain: Copy {}
// SAFETY: primitive numbers: no padding, any bits valid.
unsafe impl Plain for f32 {}
// SAFETY: as above.
unsafe impl Plain for u32 {}
// SAFETY: `#[repr(C)]` of [f32; 2] and f32 fields only (4-byte aligned), so no padding.
unsafe impl Plain for BeamVertex {}
// SAFETY: `#[repr(C)]` of four f32, so no padding.
unsafe impl Plain for crate::render::math::GridVertex {}
// SAFETY: an array of two f32: no padding, any bits valid.
unsafe impl Plain for [f32; 2] {}

/// The bytes of a slice of [`Plain`] values, for `write_buffer`.
pub(crate) fn as_bytes<T: Plain>(data: &[T]) -> &[u8] {
    // SAFETY: `T: Plain` has no padding, so every byte is initialised; the length covers exactly
    // the slice, which outlives the returned borrow.
    unsafe { std::slice::from_raw_parts(data.as_ptr().cast::<u8>(), std::mem::size_of_val(data)) }
}
