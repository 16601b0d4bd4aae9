// Beam pass: each segment between consecutive samples is a quad; the fragment integrates a
// gaussian spot along the segment (erf), so brightness follows dwell time. Additively blended
// into the float accumulation texture. The formulas match src/render/math.rs.

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
    // (u, v): sigmas along the segment from its start, and across it.
    @location(0) local: vec2<f32>,
    // The segment's length in sigmas.
    @location(1) len: f32,
};

@vertex
fn vs_main(@location(0) clip: vec2<f32>, @location(1) local: vec2<f32>, @location(2) len: f32) -> VsOut {
    var out: VsOut;
    out.position = vec4<f32>(clip, 0.0, 1.0);
    out.local = local;
    out.len = len;
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

fn spot(d: f32) -> f32 {
    return exp(-0.5 * d * d);
}

// Mean of the unit spot over the segment, at u sigmas from its start. A segment shorter than
// 0.05 sigma counts as a 0.05-sigma streak centred on it (math.rs MIN_SEGMENT_SIGMAS): no
// branch, no cancellation.
fn profile(u: f32, len: f32) -> f32 {
    let l = max(len, 0.05);
    let v = u + 0.5 * (l - len);
    return 1.2533141 * (erf_approx(v * 0.70710678) - erf_approx((v - l) * 0.70710678)) / l;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let light = beam.intensity * profile(in.local.x, in.len) * spot(in.local.y) * 0.15915494;
    return vec4<f32>(light, 0.0, 0.0, 0.0);
}
