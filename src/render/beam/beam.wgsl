// Beam pass: each segment between consecutive samples is a piece (a quad); the fragment
// integrates a gaussian spot along the segment (erf), so brightness follows dwell time. Across
// a mitred joint a piece also draws the light its neighbour sends past the joint (as if the
// neighbour went straight on), so neighbouring pieces do not overlap. Additively blended into
// the float accumulation texture. The vertices carry everything in erf's units, so a pixel
// costs two erfs and one exp: the formula is math.rs `BeamVertex::light`.

struct Beam {
    // Light one segment deposits, scaled for sample rate and user intensity.
    intensity: f32,
    _pad0: f32,
    _pad1: f32,
    _pad2: f32,
};

@group(0) @binding(0) var<uniform> beam: Beam;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    // (x, y): along the segment's streak from its start, and across it, in sigma * sqrt(2).
    @location(0) local: vec2<f32>,
    // The streak's length in sigma * sqrt(2); the weights of the erf steps at its start (rise)
    // and end (fall); the constant the mitred neighbours add.
    @location(1) @interpolate(flat) steps: vec4<f32>,
    // A twin's second piece: its local and steps; and how far past the twin's joint (where
    // positive, the second piece's light is drawn).
    @location(2) twin_local: vec2<f32>,
    @location(3) @interpolate(flat) twin_steps: vec4<f32>,
    @location(4) side: f32,
};

@vertex
fn vs_main(
    @location(0) clip: vec2<f32>,
    @location(1) local: vec2<f32>,
    @location(2) steps: vec4<f32>,
    @location(3) twin_local: vec2<f32>,
    @location(4) twin_steps: vec4<f32>,
    @location(5) side: f32,
) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.local = local;
    out.steps = steps;
    out.twin_local = twin_local;
    out.twin_steps = twin_steps;
    out.side = side;
    return out;
}

// Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
fn erf_approx(x: f32) -> f32 {
    let s = sign(x);
    let a = abs(x);
    let t = 1.0 / (1.0 + 0.3275911 * a);
    let poly = t * (0.2548296 + t * (-0.28449674 + t * (1.4214137 + t * (-1.4531521 + t * 1.0614054))));
    return s * (1.0 - poly * exp(-a * a));
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    var local = in.local;
    var steps = in.steps;
    if (in.side > 0.0) {
        local = in.twin_local;
        steps = in.twin_steps;
    }
    let x = local.x;
    let y = local.y;
    let along = steps.y * erf_approx(x) - steps.z * erf_approx(x - steps.x) + steps.w;
    let light = beam.intensity * along * exp(-y * y);
    return vec4<f32>(light, 0.0, 0.0, 0.0);
}
