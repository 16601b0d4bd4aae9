//! Small wgpu helpers the passes share: a one-target pipeline, uniform buffers, and the lit
//! rectangles the decay and composite passes are drawn over.

use crate::render::tiles::ClipRect;

/// A render pipeline drawing triangles with `vs_main` and `fs_main` of `module` into one colour
/// target of `format`.
pub(crate) fn pipeline(
    device: &wgpu::Device,
    label: &str,
    module: &wgpu::ShaderModule,
    bind_group_layouts: &[Option<&wgpu::BindGroupLayout>],
    buffers: &[Option<wgpu::VertexBufferLayout<'_>>],
    target: wgpu::ColorTargetState,
) -> wgpu::RenderPipeline {
    let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts,
        immediate_size: 0,
    });
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(label),
        layout: Some(&layout),
        vertex: wgpu::VertexState {
            module,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers,
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(target)],
        }),
        multiview_mask: None,
        cache: None,
    })
}

/// Vertices of a full-screen pass (two triangles; see `fullscreen.wgsl`).
pub(crate) const FULLSCREEN_VERTICES: std::ops::Range<u32> = 0..6;

/// A shader module for a full-screen pass: `fullscreen.wgsl`'s `vs_main` followed by
/// `fragment` (which defines `fs_main`).
pub(crate) fn fullscreen_module(device: &wgpu::Device, label: &str, fragment: &str) -> wgpu::ShaderModule {
    joined_module(device, label, include_str!("fullscreen.wgsl"), fragment)
}

/// A shader module for a pass drawn over the lit rectangles ([`LitRects`]): `lit_rects.wgsl`'s
/// `vs_main` followed by `fragment` (which defines `fs_main`).
pub(crate) fn lit_rects_module(device: &wgpu::Device, label: &str, fragment: &str) -> wgpu::ShaderModule {
    joined_module(device, label, include_str!("lit_rects.wgsl"), fragment)
}

/// A shader module whose source is `head` followed by `tail`.
pub(crate) fn joined_module(device: &wgpu::Device, label: &str, head: &str, tail: &str) -> wgpu::ShaderModule {
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl([head, tail].concat().into()),
    })
}

/// The rectangles of the canvas that hold light this frame (see `tiles.rs`), shared by the decay
/// and composite passes: every rectangle's two triangles in one vertex buffer, drawn with one
/// non-instanced draw, because SwiftShader runs each instance of an instanced draw as a draw of
/// its own, which costs more GPU time than one draw of them all (and smaller tiles, which cover
/// less of the canvas, cost more still; docs/benchmarks.md).
pub(crate) struct LitRects {
    buffer: wgpu::Buffer,
    /// This frame's corners, 6 per rectangle; its capacity is reserved in `new`.
    corners: Vec<[f32; 2]>,
    capacity: usize,
    count: u32,
}

impl LitRects {
    /// Bytes of one corner.
    const STRIDE: u64 = std::mem::size_of::<[f32; 2]>() as u64;

    /// The vertex buffer layout of a pass drawn with [`draw`](Self::draw).
    pub const LAYOUT: wgpu::VertexBufferLayout<'static> = wgpu::VertexBufferLayout {
        array_stride: Self::STRIDE,
        step_mode: wgpu::VertexStepMode::Vertex,
        attributes: &wgpu::vertex_attr_array![0 => Float32x2],
    };

    /// Room for `capacity` rectangles, none set.
    pub fn new(device: &wgpu::Device, capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let vertices = capacity * ClipRect::FULL.triangles().len();
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("lit rects"),
            size: vertices as u64 * Self::STRIDE,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        LitRects {
            buffer,
            corners: Vec::with_capacity(vertices),
            capacity,
            count: 0,
        }
    }

    /// This frame's rectangles (at most the capacity; more are not drawn). Allocates nothing.
    pub fn upload(&mut self, queue: &wgpu::Queue, rects: &[ClipRect]) {
        let rects = &rects[..rects.len().min(self.capacity)];
        self.corners.clear();
        for r in rects {
            self.corners.extend_from_slice(&r.triangles());
        }
        if !self.corners.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytemuck::cast_slice(&self.corners));
        }
        self.count = self.corners.len() as u32;
    }

    /// Draws the rectangles with the pipeline and bindings already set on `pass`.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.count > 0 {
            pass.set_vertex_buffer(0, self.buffer.slice(..));
            pass.draw(0..self.count, 0..1);
        }
    }
}

/// A uniform buffer of `size` bytes at binding 0 of a new bind group (and its layout), for a
/// pass whose only binding it is.
pub(crate) fn uniform_bind_group(
    device: &wgpu::Device,
    label: &str,
    size: u64,
) -> (wgpu::BindGroupLayout, wgpu::Buffer, wgpu::BindGroup) {
    let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some(label),
        entries: &[uniform_entry(0)],
    });
    let buffer = uniform_buffer(device, label, size);
    let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout: &layout,
        entries: &[wgpu::BindGroupEntry {
            binding: 0,
            resource: buffer.as_entire_binding(),
        }],
    });
    (layout, buffer, group)
}

/// Binding `binding`: a uniform buffer read by the fragment shader.
pub(crate) fn uniform_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// Binding `binding`: a 2D float texture read by the fragment shader (`filterable`: through a
/// filtering sampler).
pub(crate) fn texture_entry(binding: u32, filterable: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A uniform buffer of `size` bytes, written each frame with `queue.write_buffer`.
pub(crate) fn uniform_buffer(device: &wgpu::Device, label: &str, size: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// A render pass with one colour attachment, stored.
pub(crate) fn color_pass<'e>(
    encoder: &'e mut wgpu::CommandEncoder,
    label: &str,
    view: &wgpu::TextureView,
    load: wgpu::LoadOp<wgpu::Color>,
) -> wgpu::RenderPass<'e> {
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some(label),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view,
            depth_slice: None,
            resolve_target: None,
            ops: wgpu::Operations {
                load,
                store: wgpu::StoreOp::Store,
            },
        })],
        ..Default::default()
    })
}

/// A `width` x `height` texture that passes draw into and later passes read.
pub(crate) fn target_texture(
    device: &wgpu::Device,
    label: &str,
    format: wgpu::TextureFormat,
    width: u32,
    height: u32,
) -> wgpu::TextureView {
    device
        .create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        })
        .create_view(&wgpu::TextureViewDescriptor::default())
}
