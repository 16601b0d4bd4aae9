// Composite pass: tone-maps the accumulated light to the canvas, 1 - exp(-exposure * light),
// in the beam's colour, over the graticule (drawn into its own texture by the graticule pass).

struct Composite {
    // rgb: beam colour; a: exposure.
    color: vec4<f32>,
    // rgb: graticule colour; a: graticule opacity (0 hides it).
    grid: vec4<f32>,
};

@group(0) @binding(0) var<uniform> c: Composite;
@group(0) @binding(1) var accum: texture_2d<f32>;
@group(0) @binding(2) var graticule: texture_2d<f32>;

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let texel = vec2<i32>(floor(pos.xy));
    let light = textureLoad(accum, texel, 0).r;
    let beam = c.color.rgb * (1.0 - exp(-c.color.a * max(light, 0.0)));
    let g = textureLoad(graticule, texel, 0).r;
    let grid = c.grid.rgb * g * c.grid.a;
    return vec4<f32>(beam + grid * (1.0 - beam), 1.0);
}
