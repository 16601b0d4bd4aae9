// Beam pass: each segment between consecutive samples is a piece (a quad); the fragment
// integrates a gaussian spot along the segment (erf), so brightness follows dwell time. Across
// a mitred joint a piece also draws the light its neighbour sends past the joint (as if the
// neighbour went straight on), so neighbouring pieces do not overlap. Additively blended into
// the float accumulation texture. The vertices carry everything in erf's units, so a pixel
// costs two erfs and one exp: the formula is geometry.rs `BeamVertex::light`. This file is what
// both kinds of quad share: lone pieces (`piece.wgsl`) and runs (`run.wgsl`), up to four pieces
// joined by mitred joints drawn as one quad.

struct Beam {
    // Light one segment deposits, scaled for sample rate and user intensity.
    intensity: f32,
    _pad0: f32,
    _pad1: f32,
    _pad2: f32,
};

@group(0) @binding(0) var<uniform> beam: Beam;

// Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
fn erf_approx(x: f32) -> f32 {
    let s = sign(x);
    let a = abs(x);
    let t = 1.0 / (1.0 + 0.3275911 * a);
    let poly = t * (0.2548296 + t * (-0.28449674 + t * (1.4214137 + t * (-1.4531521 + t * 1.0614054))));
    return s * (1.0 - poly * exp(-a * a));
}

// A piece's light at `local` (along its streak from its start, and across it, in
// sigma * sqrt(2)); `steps`: the streak's length, the weights of the erf steps at its start
// (rise) and end (fall), and the constant its mitred neighbours add.
fn piece_light(local: vec2<f32>, steps: vec4<f32>) -> f32 {
    let along = steps.y * erf_approx(local.x) - steps.z * erf_approx(local.x - steps.x) + steps.w;
    return beam.intensity * along * exp(-local.y * local.y);
}
