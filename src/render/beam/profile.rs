//! The beam's light: a gaussian spot integrated along each segment with [`erf`] (`beam.wgsl` has
//! the same polynomial), so brightness follows dwell time and every segment carries the same
//! energy; and how far that light reaches before it is cut off ([`segment_reach`]), which sizes
//! every quad. The tests hold the formulas to a numerical integration.

/// How far the quad around a dot reaches, in spot sigmas: the gaussian is below 2.2e-3 of its
/// peak past 3.5 sigma ([`CUT_LIGHT`]), and the quad holds 99.9 % of a dot's energy. No further,
/// because software rendering is fill-bound and a quad's fragments grow with the square of its
/// reach. A moving beam's quad reaches less ([`segment_reach`]).
pub const QUAD_REACH_SIGMAS: f32 = 3.5;

/// The light at which every quad cuts its segment's beam off, relative to the peak of a dot
/// (a beam resting on one point, the brightest one segment can be): the gaussian at
/// [`QUAD_REACH_SIGMAS`], `exp(-3.5^2 / 2)`.
pub const CUT_LIGHT: f32 = 0.002_187_491;

/// The least reach across a segment, in sigmas: a very fast segment's light falls below
/// [`CUT_LIGHT`] within 2 sigma of its axis, but it keeps 98.8 % of its energy in its quad.
pub const MIN_ACROSS_SIGMAS: f32 = 2.5;

/// Segments are at least this long (in sigmas) in the profile, as a streak centred on them: the
/// erf difference loses precision to cancellation as the length goes to 0, and a centred
/// 0.05-sigma streak is indistinguishable from a dot (absolute error under 1e-4), so no second
/// formula (a branch the shader would pay for on every fragment) is needed.
pub const MIN_SEGMENT_SIGMAS: f32 = 0.05;

/// The error function, Abramowitz & Stegun 7.1.26 (absolute error under 1.5e-7): the same
/// polynomial as `beam.wgsl`, which has no built-in erf.
pub fn erf(x: f32) -> f32 {
    let s = x.signum();
    let x = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    s * (1.0 - poly * (-x * x).exp())
}

/// Brightness along the segment's axis: the mean over the segment of a unit gaussian spot
/// `exp(-(u - s)^2 / 2)` for `s` in `[0, len]`, at `u` sigmas from the segment's start. Times
/// `exp(-v^2 / 2)` across the axis and `1 / (2 pi)` it is the beam's energy density, which
/// integrates to 1 over the plane whatever the length: a long (fast) segment spreads the same
/// energy thinner, so fast moves are dim and a still point is a bright gaussian dot.
pub fn beam_profile(u: f32, len: f32) -> f32 {
    const SQRT_HALF_PI: f32 = 1.253_314_1;
    // A too-short segment becomes a MIN_SEGMENT_SIGMAS streak centred on it.
    let l = len.max(MIN_SEGMENT_SIGMAS);
    let u = u + 0.5 * (l - len);
    SQRT_HALF_PI * (erf(u * std::f32::consts::FRAC_1_SQRT_2) - erf((u - l) * std::f32::consts::FRAC_1_SQRT_2)) / l
}

/// The beam's energy density at local coordinates `(u, v)` (sigmas along and across the segment).
pub fn beam_density(u: f32, v: f32, len: f32) -> f32 {
    beam_profile(u, len) * (-0.5 * v * v).exp() / std::f32::consts::TAU
}

/// How far a segment's quad reaches past its ends and to its sides, in sigmas, for a segment
/// `len` sigmas long: as little as keeps all its light above [`CUT_LIGHT`] (of a dot's peak)
/// inside, and never more than [`QUAD_REACH_SIGMAS`]. A moving beam spreads one segment's
/// energy along its length, so its light is lower and falls below the cut sooner: at 4.4 sigma
/// (7 px at the default spot) the quad is 0.81x a fixed reach's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reach {
    /// Past each end of the segment (its streak, for one shorter than [`MIN_SEGMENT_SIGMAS`]).
    pub along: f32,
    /// To each side of its axis.
    pub across: f32,
}

/// The [`Reach`] of a segment `len` sigmas long. Bounds, with `l` the streak's length: the light
/// on the axis is at most `min(1, sqrt(2 pi) / l)` (the mean of a unit gaussian; erf's range),
/// and off it by `v` that times `exp(-v^2 / 2)`; past an end by `r` it is at most
/// `exp(-r^2 / 2) * min(1, 1 / (r l))` (every point of the streak is at least `r` away; and
/// `erfc(x) <= exp(-x^2) / (x sqrt(pi))`). Each reach solves bound = [`CUT_LIGHT`].
pub fn segment_reach(len: f32) -> Reach {
    const R2: f32 = QUAD_REACH_SIGMAS * QUAD_REACH_SIGMAS;
    let l = if len.is_finite() { len.max(MIN_SEGMENT_SIGMAS) } else { MIN_SEGMENT_SIGMAS };
    // exp(-r^2 / 2) * peak = exp(-R^2 / 2)  =>  r^2 = R^2 + 2 ln(peak), peak <= 1; every peak
    // below is a constant over l, so one ln serves them all.
    let ln_l = l.ln();
    let reach = |ln_peak: f32| (R2 + 2.0 * ln_peak.min(0.0)).max(0.0).sqrt();
    let across = reach(LN_SQRT_TAU - ln_l).max(MIN_ACROSS_SIGMAS);
    // The cap bound holds for r >= r_min when 1 / (r l) is replaced by 1 / (r_min l); the larger
    // r_min (2.5, then 2) gives the tighter reach when that is at least r_min.
    let cap = |ln_r_min: f32| reach(-ln_r_min - ln_l);
    let along = match cap(LN_2_5) {
        r if r >= 2.5 => r,
        _ => cap(std::f32::consts::LN_2).max(2.0),
    };
    Reach { along, across }
}

/// `ln(sqrt(2 pi))`.
const LN_SQRT_TAU: f32 = 0.918_938_5;

/// `ln(2.5)`.
const LN_2_5: f32 = 0.916_290_7;

#[cfg(test)]
mod tests {
    use super::*;

    /// Midpoint-rule integral of `f` over `[a, b]`.
    fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
        let h = (b - a) / n as f64;
        (0..n).map(|i| f(a + (i as f64 + 0.5) * h)).sum::<f64>() * h
    }

    #[test]
    fn erf_matches_its_integral_definition() {
        for x in [-3.0f32, -1.2, -0.3, 0.0, 0.1, 0.5, 1.0, 2.0, 4.0] {
            let exact = 2.0 / std::f64::consts::PI.sqrt()
                * integrate(|t| (-t * t).exp(), 0.0, x as f64, 20_000);
            assert!((erf(x) as f64 - exact).abs() < 2e-6, "erf({x}) = {} vs {exact}", erf(x));
        }
    }

    #[test]
    fn beam_profile_is_the_mean_of_the_spot_along_the_segment() {
        for len in [0.0f32, 0.0005, 0.01, 0.049, 0.051, 0.5, 2.0, 10.0, 60.0] {
            for u in [-5.0f32, -1.0, 0.0, 0.3, len * 0.5, len, len + 1.5, len + 6.0] {
                let numeric = if len == 0.0 {
                    (-0.5 * (u as f64).powi(2)).exp()
                } else {
                    integrate(|s| (-0.5 * (u as f64 - s).powi(2)).exp(), 0.0, len as f64, 20_000)
                        / len as f64
                };
                let got = beam_profile(u, len) as f64;
                // Shorter than MIN_SEGMENT_SIGMAS the profile is that of a centred
                // MIN_SEGMENT_SIGMAS streak: still within 1e-4 of the exact one.
                let tolerance = if len < MIN_SEGMENT_SIGMAS { 1e-4 } else { 5e-5 };
                assert!((got - numeric).abs() < tolerance, "len {len} u {u}: {got} vs {numeric}");
            }
        }
    }

    #[test]
    fn every_segment_carries_the_same_energy_and_slow_ones_are_brighter() {
        // Over the plane the density integrates to 1 whatever the length; inside the quad, which
        // cuts the light off at CUT_LIGHT, a dot or slow beam keeps 99.9 % of it and a fast one
        // at least 98.5 % (MIN_ACROSS_SIGMAS).
        for len in [0.0f32, 1.0, 2.5, 5.0, 40.0, 200.0] {
            let Reach { along, across } = segment_reach(len);
            let l = len.max(MIN_SEGMENT_SIGMAS) as f64;
            let start = -0.5 * (l - len as f64);
            let energy_in = |a: f64, c: f64| {
                integrate(
                    |u| integrate(|v| beam_density(u as f32, v as f32, len) as f64, -c, c, 200),
                    start - a,
                    start + l + a,
                    400 + 4 * len as usize,
                )
            };
            let total = energy_in(8.0, 8.0);
            assert!((total - 1.0).abs() < 1e-3, "len {len}: energy {total}");
            let inside = energy_in(along as f64, across as f64);
            let least = if len <= 2.5 { 0.998 } else { 0.985 };
            assert!(inside > least && inside <= total, "len {len}: {inside} of the energy inside the quad");
        }
        // Peak brightness on the axis falls as the beam moves faster.
        let peak = |len: f32| beam_density(len / 2.0, 0.0, len);
        assert!(peak(0.0) > peak(2.0) && peak(2.0) > peak(20.0) && peak(20.0) > peak(200.0));
    }

    #[test]
    fn quads_cut_the_light_off_below_the_cut_and_shrink_as_the_beam_moves() {
        for len in [0.0f32, 0.01, 0.05, 0.3, 1.0, 2.5, 4.4, 10.0, 40.0, 200.0, 5000.0] {
            let Reach { along, across } = segment_reach(len);
            assert!(along <= QUAD_REACH_SIGMAS + 1e-6 && across <= QUAD_REACH_SIGMAS + 1e-6, "len {len}");
            let l = len.max(MIN_SEGMENT_SIGMAS);
            let start = -0.5 * (l - len);
            // The brightest light on the quad's edge: its sides and its ends.
            let mut edge = 0.0f32;
            for i in 0..=2000 {
                let f = i as f32 / 2000.0;
                let u = start - along + f * (l + 2.0 * along);
                let v = -across + f * 2.0 * across;
                edge = edge
                    .max(beam_profile(u, len) * (-0.5 * across * across).exp())
                    .max(beam_profile(start - along, len) * (-0.5 * v * v).exp())
                    .max(beam_profile(start + l + along, len) * (-0.5 * v * v).exp());
            }
            // Unless the reach is held up by MIN_ACROSS_SIGMAS, the cut is close to CUT_LIGHT.
            assert!(edge <= CUT_LIGHT * 1.001, "len {len}: light {edge} on the quad's edge");
            if across > MIN_ACROSS_SIGMAS {
                assert!(edge > 0.4 * CUT_LIGHT, "len {len}: quad larger than needed ({edge})");
            }
        }
        // A dot keeps the full reach; the bench's 7 px segments (4.4 sigma) get 0.81x its area.
        assert_eq!(segment_reach(0.0), Reach { along: QUAD_REACH_SIGMAS, across: QUAD_REACH_SIGMAS });
        let area = |len: f32| {
            let r = segment_reach(len);
            (len.max(MIN_SEGMENT_SIGMAS) + 2.0 * r.along) * 2.0 * r.across
        };
        let fixed = (4.4 + 2.0 * QUAD_REACH_SIGMAS) * 2.0 * QUAD_REACH_SIGMAS;
        assert!(area(4.4) < 0.85 * fixed, "{} vs {fixed}", area(4.4));
        // Non-finite lengths fall back to a dot's reach instead of NaN corners.
        assert_eq!(segment_reach(f32::NAN), segment_reach(0.0));
    }
}
