// Decay pass: one full-screen triangle whose blend state multiplies what is in the accumulation
// texture by the blend constant, exp(-dt / tau). No texture is read.

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    // Two triangles covering the viewport exactly: (-1,-1) (1,-1) (-1,1) (-1,1) (1,-1) (1,1).
    let j = i % 3u + i / 3u;
    let x = f32(j & 1u) * 2.0 - 1.0;
    let y = f32(j >> 1u) * 2.0 - 1.0;
    return vec4<f32>(x, y, 0.0, 1.0);
}

@fragment
fn fs_main() -> @location(0) vec4<f32> {
    return vec4<f32>(0.0, 0.0, 0.0, 0.0);
}
