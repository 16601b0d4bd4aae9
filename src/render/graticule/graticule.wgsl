// Graticule pass: the scope's marks (unit circle, axes, and in M/S the L and R diagonals) as
// anti-aliased coverage in an r8unorm texture the size of the canvas. Drawn only when the size,
// mode or pixel ratio change, so the composite pass pays one texel fetch per pixel for it
// instead of this arithmetic (which cost about 30 ms per 800x800 frame in software rendering).

struct Graticule {
    // xy: scope centre in pixels; z: pixels per scope unit; w: mode (0 = XY, 1 = M/S).
    scope: vec4<f32>,
    // x: line width in pixels.
    misc: vec4<f32>,
};

@group(0) @binding(0) var<uniform> g: Graticule;

// Coverage of a line at `d` pixels, `w` pixels wide, anti-aliased.
fn line(d: f32, w: f32) -> f32 {
    return 1.0 - smoothstep(0.5 * w - 0.5, 0.5 * w + 0.5, d);
}

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let k = g.scope.z;
    let q = (pos.xy - g.scope.xy) / k * vec2<f32>(1.0, -1.0);
    let w = max(g.misc.x, 1.0);
    let inside = step(length(q), 1.0001);
    // The unit circle and the axes (XY: L horizontal, R vertical; M/S: S horizontal, M vertical).
    var c = line(abs(length(q) - 1.0) * k, w);
    c = max(c, inside * line(abs(q.x) * k, w));
    c = max(c, inside * line(abs(q.y) * k, w));
    if (g.scope.w < 0.5) {
        // XY: the mono diagonal (L = R), fainter.
        c = max(c, 0.5 * inside * line(abs(q.x - q.y) * 0.70710678 * k, w));
    } else {
        // M/S: L and R on the diagonals.
        c = max(c, 0.6 * inside * line(abs(q.x + q.y) * 0.70710678 * k, w));
        c = max(c, 0.6 * inside * line(abs(q.x - q.y) * 0.70710678 * k, w));
    }
    return vec4<f32>(c, 0.0, 0.0, 1.0);
}
