// Composite pass: tone-maps the accumulated light to the canvas, 1 - exp(-exposure * light),
// in the beam's colour, blended over the graticule's marks (drawn first, by their own pass) as
// a screen: beam + marks * (1 - beam). With glow (GLOW, which the pass prepends), the blurred
// light of the glow pass is added first, scaled by the glow setting.

struct Composite {
    // rgb: beam colour; a: exposure.
    color: vec4<f32>,
    // x: glow strength.
    glow: vec4<f32>,
};

@group(0) @binding(0) var<uniform> c: Composite;
@group(0) @binding(1) var accum: texture_2d<f32>;
@group(0) @binding(2) var glow: texture_2d<f32>;
@group(0) @binding(3) var glow_sampler: sampler;

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    var light = textureLoad(accum, vec2<i32>(floor(pos.xy)), 0).r;
    if (GLOW) {
        let uv = pos.xy / vec2<f32>(textureDimensions(accum));
        light += c.glow.x * textureSampleLevel(glow, glow_sampler, uv, 0.0).r;
    }
    return vec4<f32>(c.color.rgb * (1.0 - exp(-c.color.a * max(light, 0.0))), 1.0);
}
