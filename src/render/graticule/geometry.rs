//! The graticule's marks as quads, built on the CPU whenever the view changes: the unit circle as
//! a ring of thin trapezoids, the axes across it and the mode's diagonals. Each corner carries
//! its signed distance from the mark's centre line, which `graticule.wgsl` turns into
//! anti-aliased coverage.

use crate::render::projection::{Mode, Viewport};

/// One corner of a graticule mark's quad.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct GridVertex {
    /// Clip-space position.
    pub clip: [f32; 2],
    /// Signed distance from the mark's centre line, in pixels (linear across the quad, so the
    /// fragment gets its own distance by interpolation).
    pub across: f32,
    /// The mark's strength (1 for the circle and axes, fainter for the diagonals).
    pub weight: f32,
}

/// Segments of the unit circle's ring: the chord's sagitta at a 400 px radius is 0.03 px.
pub const GRATICULE_CIRCLE_SEGMENTS: usize = 192;

/// How far a mark's quad reaches either side of its centre line: the line's half width plus a
/// pixel of anti-aliasing.
pub fn graticule_reach(line_width: f32) -> f32 {
    0.5 * line_width.max(1.0) + 1.0
}

/// The graticule's marks as quads (6 vertices, two triangles, each): the unit circle as a ring
/// of [`GRATICULE_CIRCLE_SEGMENTS`] quads, the axes across it, and the diagonals (XY: the mono
/// line L = R, at half strength; M/S: L and R, at 0.6); in the polar modes the upper half of
/// the circle, the base, and the mono, left and right directions from the centre. Drawn straight onto the canvas, they
/// cover a few percent of it, where a full-screen pass would touch every pixel. Replaces the
/// contents of `out`.
pub fn graticule_quads(vp: &Viewport, mode: Mode, line_width: f32, out: &mut Vec<GridVertex>) {
    out.clear();
    let k = vp.scale();
    let c = vp.to_pixels([0.0, 0.0]);
    let h = graticule_reach(line_width);
    let mut quad = |a: [f32; 2], b: [f32; 2], a_out: [f32; 2], b_out: [f32; 2], weight: f32| {
        // a..b is the inner edge (across = -h), a_out..b_out the outer (across = +h).
        let v = |p: [f32; 2], across: f32| GridVertex { clip: vp.to_clip(p), across, weight };
        let (ai, bi, ao, bo) = (v(a, -h), v(b, -h), v(a_out, h), v(b_out, h));
        out.extend_from_slice(&[ai, ao, bi, bi, ao, bo]);
    };
    // A straight mark along the unit direction `d`, from `from` (-1: through the centre; 0:
    // from it) to 1.
    let mut line = |d: [f32; 2], from: f32, weight: f32| {
        // In pixels (y down) the direction is (d0, -d1); its normal is (d1, d0).
        let n = [d[1] * h, d[0] * h];
        let p0 = [c[0] + from * d[0] * k, c[1] - from * d[1] * k];
        let p1 = [c[0] + d[0] * k, c[1] - d[1] * k];
        quad(
            [p0[0] - n[0], p0[1] - n[1]],
            [p1[0] - n[0], p1[1] - n[1]],
            [p0[0] + n[0], p0[1] + n[1]],
            [p1[0] + n[0], p1[1] + n[1]],
            weight,
        );
    };
    let r = std::f32::consts::FRAC_1_SQRT_2;
    line([1.0, 0.0], -1.0, 1.0);
    match mode {
        Mode::Xy => {
            line([0.0, 1.0], -1.0, 1.0);
            line([r, r], -1.0, 0.5);
        }
        Mode::MidSide => {
            line([0.0, 1.0], -1.0, 1.0);
            line([r, r], -1.0, 0.6);
            line([r, -r], -1.0, 0.6);
        }
        Mode::PolarSample | Mode::PolarLevel => {
            // The upper half-disc: mono up, right only and left only at 45 and 135 degrees.
            line([0.0, 1.0], 0.0, 1.0);
            line([r, r], 0.0, 0.6);
            line([-r, r], 0.0, 0.6);
        }
    }
    let segments = if mode.is_polar() { GRATICULE_CIRCLE_SEGMENTS / 2 } else { GRATICULE_CIRCLE_SEGMENTS };
    let point = |i: usize, radius: f32| {
        let t = i as f32 / GRATICULE_CIRCLE_SEGMENTS as f32 * std::f32::consts::TAU;
        [c[0] + radius * t.cos(), c[1] - radius * t.sin()]
    };
    // The ring's quads are trapezoids between radius k - h and k + h: across is exact along
    // each radius and off by under 0.03 px in between.
    let (inner, outer) = (k - h, k + h);
    for i in 0..segments {
        quad(point(i, inner), point(i + 1, inner), point(i, outer), point(i + 1, outer), 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interpolated `across` at pixel `p` in every triangle of `quads` that covers it.
    fn across_at(quads: &[GridVertex], vp: &Viewport, p: [f32; 2]) -> Vec<f32> {
        let px = |v: &GridVertex| [(v.clip[0] + 1.0) * 0.5 * vp.width, (1.0 - v.clip[1]) * 0.5 * vp.height];
        quads.chunks(3).filter_map(|t| {
            let (a, b, c) = (px(&t[0]), px(&t[1]), px(&t[2]));
            let det = (b[1] - c[1]) * (a[0] - c[0]) + (c[0] - b[0]) * (a[1] - c[1]);
            let l0 = ((b[1] - c[1]) * (p[0] - c[0]) + (c[0] - b[0]) * (p[1] - c[1])) / det;
            let l1 = ((c[1] - a[1]) * (p[0] - c[0]) + (a[0] - c[0]) * (p[1] - c[1])) / det;
            let l2 = 1.0 - l0 - l1;
            let e = -1e-4;
            (l0 >= e && l1 >= e && l2 >= e).then(|| l0 * t[0].across + l1 * t[1].across + l2 * t[2].across)
        })
        .collect()
    }

    #[test]
    fn graticule_quads_cover_the_circle_and_axes_with_the_right_distances() {
        let vp = Viewport { width: 800.0, height: 600.0 };
        let (k, c) = (vp.scale(), vp.to_pixels([0.0, 0.0]));
        let h = graticule_reach(1.0);
        let mut quads = Vec::new();
        graticule_quads(&vp, Mode::Xy, 1.0, &mut quads);
        assert_eq!(quads.len(), 6 * (3 + GRATICULE_CIRCLE_SEGMENTS));
        assert!(quads.iter().all(|v| (v.across.abs() - h).abs() < 1e-6));
        for i in 0..97 {
            let t = i as f32 * 0.0651;
            for (dr, want) in [(0.0, 0.0), (0.5 * h, 0.5 * h), (-0.8 * h, -0.8 * h)] {
                let r = k + dr;
                let got = across_at(&quads, &vp, [c[0] + r * t.cos(), c[1] - r * t.sin()]);
                assert!(got.iter().any(|a| (a - want).abs() < 0.05), "angle {t}: across {got:?}, want {want}");
            }
        }
        // The horizontal axis, 0.3 px below its centre line, anywhere inside the circle; the
        // mono diagonal through the centre; nothing far from every mark.
        for x in [-0.9f32, -0.4, 0.2, 0.85] {
            let got = across_at(&quads, &vp, [c[0] + x * k, c[1] + 0.3]);
            assert!(got.iter().any(|a| (a.abs() - 0.3).abs() < 1e-3), "axis at {x}: {got:?}");
        }
        let on_diagonal = [c[0] + 0.5 * k, c[1] - 0.5 * k];
        assert!(quads.chunks(6).any(|q| q[0].weight == 0.5));
        assert!(across_at(&quads, &vp, on_diagonal).iter().any(|a| a.abs() < 1e-3));
        assert!(across_at(&quads, &vp, [c[0] + 0.3 * k, c[1] - 0.6 * k]).is_empty());
        // M/S: the two diagonals at 0.6, and the anti-diagonal is covered too.
        graticule_quads(&vp, Mode::MidSide, 2.0, &mut quads);
        assert_eq!(quads.len(), 6 * (4 + GRATICULE_CIRCLE_SEGMENTS));
        assert_eq!(quads.chunks(6).filter(|q| q[0].weight == 0.6).count(), 2);
        assert!(across_at(&quads, &vp, [c[0] - 0.5 * k, c[1] - 0.5 * k]).iter().any(|a| a.abs() < 1e-3));
    }

    #[test]
    fn the_polar_graticule_is_the_upper_half_disc() {
        let vp = Viewport { width: 600.0, height: 600.0 };
        let (k, c) = (vp.scale(), vp.to_pixels([0.0, 0.0]));
        let mut quads = Vec::new();
        graticule_quads(&vp, Mode::PolarSample, 1.0, &mut quads);
        assert_eq!(quads.len(), 6 * (4 + GRATICULE_CIRCLE_SEGMENTS / 2));
        let marked = |p: [f32; 2]| across_at(&quads, &vp, p).iter().any(|a| a.abs() < 0.05);
        // The top of the circle and the base are marked; the bottom of the circle is not...
        assert!(marked([c[0], c[1] - k]) && marked([c[0] - 0.7 * k, c[1]]));
        assert!(!marked([c[0], c[1] + k]));
        // ...nor mono's line below the centre; left only's direction above it is.
        assert!(marked([c[0], c[1] - 0.5 * k]) && !marked([c[0], c[1] + 0.5 * k]));
        assert!(marked([c[0] - 0.5 * k, c[1] - 0.5 * k]) && !marked([c[0] + 0.5 * k, c[1] + 0.5 * k]));
        let mut level = Vec::new();
        graticule_quads(&vp, Mode::PolarLevel, 1.0, &mut level);
        assert_eq!(level, quads);
    }
}
