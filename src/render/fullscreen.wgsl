// The vertex stage of the full-screen passes (decay, graticule, composite), prepended to each
// one's fragment source by `gpu::fullscreen_module`: two triangles covering the viewport exactly,
// vertices 0..6 = (-1,-1) (1,-1) (-1,1) (-1,1) (1,-1) (1,1).

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let j = i % 3u + i / 3u;
    return vec4<f32>(f32(j & 1u) * 2.0 - 1.0, f32(j >> 1u) * 2.0 - 1.0, 0.0, 1.0);
}
