// Glow, step 1: the accumulated light at a quarter of the size. Each texel averages four taps,
// one in each 2x2 quarter of the 4x4 block it covers (the beam is several pixels wide, and the
// blur that follows hides the rest).

@group(0) @binding(0) var src: texture_2d<f32>;

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let base = vec2<i32>(floor(pos.xy)) * 4;
    let last = vec2<i32>(textureDimensions(src)) - 1;
    let a = textureLoad(src, min(base + vec2<i32>(1, 1), last), 0).r;
    let b = textureLoad(src, min(base + vec2<i32>(3, 1), last), 0).r;
    let c = textureLoad(src, min(base + vec2<i32>(1, 3), last), 0).r;
    let d = textureLoad(src, min(base + vec2<i32>(3, 3), last), 0).r;
    return vec4<f32>(0.25 * (a + b + c + d), 0.0, 0.0, 1.0);
}
