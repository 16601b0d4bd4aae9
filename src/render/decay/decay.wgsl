// Decay pass: a full-screen draw (vertex stage in ../fullscreen.wgsl) whose blend state multiplies what is in the accumulation
// texture by the blend constant, exp(-dt / tau). No texture is read.

@fragment
fn fs_main() -> @location(0) vec4<f32> {
    return vec4<f32>(0.0, 0.0, 0.0, 0.0);
}
