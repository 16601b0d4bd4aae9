// Graticule pass: the scope's marks (unit circle, axes, and the diagonals) drawn straight onto
// the cleared canvas before the composite, as quads that cover only the marks (built by
// `render::graticule::geometry::graticule_quads`); each fragment gets its distance from the mark's centre line
// by interpolation and turns it into anti-aliased coverage. Crossing marks keep the brighter
// (a max blend); the composite then screens the beam over them.

struct Graticule {
    // rgb: the marks' colour times their opacity; a: line width in pixels.
    color: vec4<f32>,
};

@group(0) @binding(0) var<uniform> g: Graticule;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    // Signed distance from the mark's centre line, in pixels.
    @location(0) across: f32,
    // The mark's strength.
    @location(1) weight: f32,
};

@vertex
fn vs_main(@location(0) clip: vec2<f32>, @location(1) across: f32, @location(2) weight: f32) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.across = across;
    out.weight = weight;
    return out;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let w = max(g.color.a, 1.0);
    let d = abs(in.across);
    let coverage = 1.0 - smoothstep(0.5 * w - 0.5, 0.5 * w + 0.5, d);
    return vec4<f32>(g.color.rgb * (coverage * in.weight), 1.0);
}
