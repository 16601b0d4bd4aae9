// The vertex stage of the passes that cover only the lit parts of the canvas (decay, composite),
// prepended to their fragment source by `gpu::lit_rects_module`: each instance is one rectangle
// in clip space (min.xy, max.xy; see `tiles.rs`), drawn as two triangles, vertices 0..6 in the
// same order as fullscreen.wgsl's.

@vertex
fn vs_main(@builtin(vertex_index) i: u32, @location(0) rect: vec4<f32>) -> @builtin(position) vec4<f32> {
    let j = i % 3u + i / 3u;
    return vec4<f32>(select(rect.x, rect.z, (j & 1u) == 1u), select(rect.y, rect.w, (j >> 1u) == 1u), 0.0, 1.0);
}
