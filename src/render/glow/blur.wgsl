// Glow, steps 2 and 3: a gaussian blur (sigma 2 texels = 8 canvas pixels, 9 taps) along DIR,
// which the pass prepends: (1, 0) for the horizontal step, (0, 1) for the vertical.

@group(0) @binding(0) var src: texture_2d<f32>;

fn tap(p: vec2<i32>, last: vec2<i32>) -> f32 {
    return textureLoad(src, clamp(p, vec2<i32>(0, 0), last), 0).r;
}

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let p = vec2<i32>(floor(pos.xy));
    let last = vec2<i32>(textureDimensions(src)) - 1;
    // exp(-x^2 / 8) for x = 0..4, normalised over -4..4.
    var sum = 0.2042 * tap(p, last);
    sum += 0.1802 * (tap(p + DIR, last) + tap(p - DIR, last));
    sum += 0.1238 * (tap(p + 2 * DIR, last) + tap(p - 2 * DIR, last));
    sum += 0.0663 * (tap(p + 3 * DIR, last) + tap(p - 3 * DIR, last));
    sum += 0.0276 * (tap(p + 4 * DIR, last) + tap(p - 4 * DIR, last));
    return vec4<f32>(sum, 0.0, 0.0, 1.0);
}
