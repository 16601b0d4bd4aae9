// Composite pass: tone-maps the accumulated light to the canvas, 1 - exp(-exposure * light),
// in the beam's colour, over the graticule (axes, unit circle, and in M/S the L and R diagonals).

struct Composite {
    // rgb: beam colour; a: exposure.
    color: vec4<f32>,
    // xy: scope centre in pixels; z: pixels per scope unit; w: mode (0 = XY, 1 = M/S).
    scope: vec4<f32>,
    // rgb: graticule colour; a: graticule opacity (0 hides it).
    grid: vec4<f32>,
    // x: device pixel ratio (line width).
    misc: vec4<f32>,
};

@group(0) @binding(0) var<uniform> c: Composite;
@group(0) @binding(1) var accum: texture_2d<f32>;

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let x = f32((i << 1u) & 2u) * 2.0 - 1.0;
    let y = f32(i & 2u) * 2.0 - 1.0;
    return vec4<f32>(x, y, 0.0, 1.0);
}

// Coverage of a line at `d` pixels, `w` pixels wide, anti-aliased.
fn line(d: f32, w: f32) -> f32 {
    return 1.0 - smoothstep(0.5 * w - 0.5, 0.5 * w + 0.5, d);
}

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let light = textureLoad(accum, vec2<i32>(floor(pos.xy)), 0).r;
    let beam = c.color.rgb * (1.0 - exp(-c.color.a * max(light, 0.0)));

    let k = c.scope.z;
    let q = (pos.xy - c.scope.xy) / k * vec2<f32>(1.0, -1.0);
    let w = max(c.misc.x, 1.0);
    let inside = step(length(q), 1.0001);
    var g = 0.0;
    // The unit circle, and the square's edge ticks.
    g = max(g, line(abs(length(q) - 1.0) * k, w));
    if (c.scope.w < 0.5) {
        // XY: the axes (L horizontal, R vertical).
        g = max(g, inside * line(abs(q.x) * k, w));
        g = max(g, inside * line(abs(q.y) * k, w));
        g = max(g, 0.5 * inside * line(abs(q.x - q.y) * 0.70710678 * k, w));
    } else {
        // M/S: M vertical, S horizontal, L and R on the diagonals.
        g = max(g, inside * line(abs(q.x) * k, w));
        g = max(g, inside * line(abs(q.y) * k, w));
        g = max(g, 0.6 * inside * line(abs(q.x + q.y) * 0.70710678 * k, w));
        g = max(g, 0.6 * inside * line(abs(q.x - q.y) * 0.70710678 * k, w));
    }
    let grid = c.grid.rgb * g * c.grid.a;
    return vec4<f32>(beam + grid * (1.0 - beam), 1.0);
}
