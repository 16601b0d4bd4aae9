//! The quads' light against the exact sum of every segment's light, pixel by pixel; joints,
//! runs and merging.

use super::*;
use crate::render::beam::profile::{beam_density, CUT_LIGHT, QUAD_REACH_SIGMAS};

#[test]
fn every_sample_ends_a_segment_and_frames_join_up() {
    let (sigma, vp) = (1.5, Viewport { width: 400.0, height: 300.0 });
    let samples: Vec<XYSample> = (0..100).map(|i| XYSample::new((i as f32 * 0.1).sin(), 0.2 + 0.1 * (i as f32 * 0.05).cos())).collect();
    let mut quads = Quads::default();
    let last = build_quads(&samples[..40], None, Mode::Xy, 1.0, sigma, &vp, &mut quads);
    assert_eq!(quads.pieces(), 39, "n samples, no previous point: n - 1 segments");
    let first_frame = quads.clone();
    let last = build_quads(&samples[40..], last, Mode::Xy, 1.0, sigma, &vp, &mut quads);
    assert_eq!(quads.pieces(), 99, "the second frame continues from the first's last point");
    assert_eq!(last, Some(vp.to_pixels([samples[99].x, samples[99].y])));
    let in_runs: usize = quads.runs.chunks_exact(4).map(|q| q[0].pieces()).sum();
    assert!(in_runs >= 60 && quads.runs.len() / 4 <= in_runs / 3, "{in_runs} pieces in {} runs", quads.runs.len() / 4);
    // Drawing in two frames gives the quads of drawing at once up to the first frame's last
    // piece (capped: drawn before the next segment is known)...
    let mut once = Quads::default();
    build_quads(&samples, None, Mode::Xy, 1.0, sigma, &vp, &mut once);
    let runs_common = once.runs.iter().zip(&quads.runs).take_while(|(x, y)| x == y).count();
    let lone_common = once.lone.iter().zip(&quads.lone).take_while(|(x, y)| x == y).count();
    assert!(runs_common + 4 >= first_frame.runs.len(), "{runs_common} of {}", first_frame.runs.len());
    assert!(lone_common + 4 >= first_frame.lone.len(), "{lone_common} of {}", first_frame.lone.len());
    assert!(once.lone != quads.lone || once.runs != quads.runs);
    // ...and the same light, within the mitre error of the exact sum, everywhere.
    let points: Vec<[f32; 2]> = samples.iter().map(|&s| vp.to_pixels(scope_point(s, Mode::Xy, 1.0))).collect();
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    let (split_worst, split_energy, exact_energy, _) = compare(&points, &quads, sigma, &vp);
    let (once_worst, once_energy, _, _) = compare(&points, &once, sigma, &vp);
    for (worst, energy) in [(split_worst, split_energy), (once_worst, once_energy)] {
        assert!(worst < 0.3 * 10f64.to_radians() * dot_peak, "error {worst}");
        assert!((energy / exact_energy - 1.0).abs() < 3e-3, "energy {energy} vs {exact_energy}");
    }
}

#[test]
fn a_segment_expands_to_a_quad_with_local_coordinates() {
    let vp = Viewport { width: 200.0, height: 100.0 };
    let q = expand_segment([50.0, 50.0], [150.0, 50.0], 2.0, &vp);
    let Reach { along, across } = segment_reach(50.0);
    let k = std::f32::consts::FRAC_1_SQRT_2;
    assert_eq!(q[0].len, 50.0 * k);
    let weight = 1.253_314_1 / (50.0 * std::f32::consts::TAU);
    assert!(q.iter().all(|v| v.rise == weight && v.fall == weight && v.neighbours == 0.0));
    assert_eq!(q[0].local, [-along * k, -across * k]);
    assert_eq!(q[3].local, [(50.0 + along) * k, across * k]);
    // Start-left corner in pixels (y down, so "left" of a rightward segment is up).
    let px = [50.0 - 2.0 * along, 50.0 - 2.0 * across];
    assert_eq!(q[0].clip, vp.to_clip(px));
    // A dot: a square of side 2 * 3.5 sigma around it (its streak is centred on it).
    let dot = expand_segment([100.0, 50.0], [100.0, 50.0], 3.0, &vp);
    assert_eq!(dot[0].len, MIN_SEGMENT_SIGMAS * k);
    let w = (dot[2].clip[0] - dot[0].clip[0]) * vp.width / 2.0;
    let side = 2.0 * (QUAD_REACH_SIGMAS + 0.5 * MIN_SEGMENT_SIGMAS) * 3.0;
    assert!((w - side).abs() < 1e-3, "dot quad width {w} vs {side}");
    let h = (dot[1].clip[1] - dot[0].clip[1]) * vp.height / 2.0;
    assert!((h.abs() - 2.0 * QUAD_REACH_SIGMAS * 3.0).abs() < 1e-3, "dot quad height {h}");
    assert_eq!(vp.to_clip([100.0, 50.0]), [0.0, 0.0]);
    assert_eq!(vp.to_pixels([0.0, 0.0]), [100.0, 50.0]);
}

#[test]
fn the_shader_formula_on_the_interpolated_vertices_is_the_beam_density() {
    // The fragment gets the corners' values interpolated linearly (local) or flat (len,
    // weight); BeamVertex::light of that must be beam_density at the pixel's (u, v).
    for len in [0.0f32, 0.02, 0.7, 4.4, 30.0] {
        let sigma = 1.6;
        let q = expand_segment([0.0, 0.0], [len * sigma, 0.0], sigma, &Viewport { width: 100.0, height: 100.0 });
        let l = len.max(MIN_SEGMENT_SIGMAS);
        for (s, t) in [(0.0f32, 0.0f32), (0.5, 0.5), (0.2, 0.9), (0.95, 0.3), (1.0, 1.0)] {
            let mix = |a: f32, b: f32, c: f32, d: f32| (1.0 - s) * ((1.0 - t) * a + t * b) + s * ((1.0 - t) * c + t * d);
            let x = mix(q[0].local[0], q[1].local[0], q[2].local[0], q[3].local[0]);
            let y = mix(q[0].local[1], q[1].local[1], q[2].local[1], q[3].local[1]);
            let pixel = BeamVertex { local: [x, y], ..q[0] };
            // Back to sigmas from the segment's start.
            let (u, v) = (x * std::f32::consts::SQRT_2 - 0.5 * (l - len), y * std::f32::consts::SQRT_2);
            let want = beam_density(u, v, len);
            assert!((pixel.light() - want).abs() <= 1e-6 + 1e-4 * want, "len {len} at ({u}, {v}): {} vs {want}", pixel.light());
        }
    }
}

/// The trace through `points` (pixels) as samples, its pieces, and the points the pieces
/// were built from (the pixels of those samples).
fn trace(points: &[[f32; 2]], sigma: f32, vp: &Viewport) -> (Quads, Vec<[f32; 2]>) {
    let k = vp.scale();
    let samples: Vec<XYSample> = points
        .iter()
        .map(|p| XYSample::new((p[0] - 0.5 * vp.width) / k, (0.5 * vp.height - p[1]) / k))
        .collect();
    let mut quads = Quads::default();
    build_quads(&samples, None, Mode::Xy, 1.0, sigma, vp, &mut quads);
    let pixels = samples.iter().map(|&s| vp.to_pixels(scope_point(s, Mode::Xy, 1.0))).collect();
    (quads, pixels)
}

/// What the quads draw on the pixel centred at `p`, as the GPU does: each quad's two
/// triangles (0, 1, 2) and (2, 1, 3), the locals and the sides interpolated and the rest
/// flat; and how many quads cover it.
fn drawn(quads: &Quads, vp: &Viewport, p: [f32; 2]) -> (f64, usize) {
    // The triangle of the quad (corners in pixels) that covers `p`, with p's barycentric
    // weights in it, if one does.
    let cover = |q: [[f32; 2]; 4]| {
        [[0, 1, 2], [2, 1, 3]].into_iter().find_map(|t: [usize; 3]| {
            let (a, b, c) = (q[t[0]], q[t[1]], q[t[2]]);
            let det = (b[1] - c[1]) * (a[0] - c[0]) + (c[0] - b[0]) * (a[1] - c[1]);
            let l0 = ((b[1] - c[1]) * (p[0] - c[0]) + (c[0] - b[0]) * (p[1] - c[1])) / det;
            let l1 = ((c[1] - a[1]) * (p[0] - c[0]) + (a[0] - c[0]) * (p[1] - c[1])) / det;
            let l2 = 1.0 - l0 - l1;
            (l0 > 0.0 && l1 > 0.0 && l2 > 0.0).then_some((t, [l0, l1, l2]))
        })
    };
    let (mut light, mut covering) = (0.0, 0);
    for q in quads.lone.chunks_exact(4) {
        if let Some((t, l)) = cover([0, 1, 2, 3].map(|i| vp.from_clip(q[i].clip))) {
            let mix = |f: fn(&BeamVertex) -> f32| l[0] * f(&q[t[0]]) + l[1] * f(&q[t[1]]) + l[2] * f(&q[t[2]]);
            light += f64::from(BeamVertex { local: [mix(|v| v.local[0]), mix(|v| v.local[1])], ..q[t[0]] }.light());
            covering += 1;
        }
    }
    for q in quads.runs.chunks_exact(4) {
        if let Some((t, l)) = cover([0, 1, 2, 3].map(|i| vp.from_clip(q[i].clip))) {
            let mix = |f: &dyn Fn(&RunVertex) -> f32| l[0] * f(&q[t[0]]) + l[1] * f(&q[t[1]]) + l[2] * f(&q[t[2]]);
            let pixel = RunVertex {
                locals: std::array::from_fn(|k| [mix(&|v| v.locals[k][0]), mix(&|v| v.locals[k][1])]),
                sides: std::array::from_fn(|k| mix(&|v| v.sides[k])),
                ..q[t[0]]
            };
            light += f64::from(pixel.light());
            covering += 1;
        }
    }
    (light, covering)
}

/// The exact light at `p`: every segment's [`beam_density`], summed.
fn exact(points: &[[f32; 2]], sigma: f32, p: [f32; 2]) -> f64 {
    points
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let d = [b[0] - a[0], b[1] - a[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            let dir = if len > 1e-6 { [d[0] / len, d[1] / len] } else { [1.0, 0.0] };
            let o = [p[0] - a[0], p[1] - a[1]];
            let u = (o[0] * dir[0] + o[1] * dir[1]) / sigma;
            let v = (o[1] * dir[0] - o[0] * dir[1]) / sigma;
            f64::from(beam_density(u, v, len / sigma))
        })
        .sum()
}

/// A polyline from `start` (pixels): each step turns by its angle (degrees), then goes its
/// length (sigmas).
fn polyline(start: [f32; 2], heading: f32, steps: &[(f32, f32)], sigma: f32) -> Vec<[f32; 2]> {
    let mut points = vec![start];
    let mut h = heading.to_radians();
    for &(turn, len) in steps {
        h += turn.to_radians();
        let p = *points.last().unwrap();
        points.push([p[0] + h.cos() * len * sigma, p[1] + h.sin() * len * sigma]);
    }
    points
}

/// The largest difference between drawn and exact light over every pixel near the trace,
/// both energies (light summed over the pixels), and the pixels more than one piece covers.
fn compare(points: &[[f32; 2]], quads: &Quads, sigma: f32, vp: &Viewport) -> (f64, f64, f64, usize) {
    let (lo, hi) = points.iter().fold(([f32::MAX; 2], [f32::MIN; 2]), |(lo, hi), p| {
        ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
    });
    let pad = 5.0 * sigma;
    let (mut worst, mut drawn_energy, mut exact_energy, mut overlaps) = (0.0f64, 0.0, 0.0, 0);
    for y in (lo[1] - pad).floor() as i32..(hi[1] + pad).ceil() as i32 {
        for x in (lo[0] - pad).floor() as i32..(hi[0] + pad).ceil() as i32 {
            let p = [x as f32 + 0.5, y as f32 + 0.5];
            let (got, pieces) = drawn(quads, vp, p);
            let want = exact(points, sigma, p);
            worst = worst.max((got - want).abs());
            drawn_energy += got;
            exact_energy += want;
            overlaps += usize::from(pieces > 1);
        }
    }
    (worst, drawn_energy, exact_energy, overlaps)
}

#[test]
fn mitred_pieces_draw_a_straight_trace_exactly_without_overlapping() {
    // Segments of 3 to 14 sigma in a line, slanted: every joint is mitred, no pixel is drawn
    // twice, and the light is the exact sum within the cut (a capped build overlaps).
    let (sigma, vp) = (1.6, Viewport { width: 400.0, height: 300.0 });
    let steps: Vec<(f32, f32)> = [3.0f32, 4.5, 9.0, 14.0, 6.0, 3.2, 5.0].iter().map(|&l| (0.0, l)).collect();
    let points = polyline([60.0, 90.0], 23.0, &steps, sigma);
    let (quads, points) = trace(&points, sigma, &vp);
    // Every inner joint mitred: two runs of four and three pieces (seven in all), none lone.
    assert_eq!(quads.runs.chunks_exact(4).map(|q| q[0].pieces()).collect::<Vec<_>>(), [4, 3]);
    assert!(quads.lone.is_empty());
    let neighbours = |q: &[RunVertex]| (0..q[0].pieces()).all(|k| q[0].steps[k][3] > 0.0);
    assert!(quads.runs.chunks_exact(4).all(neighbours));
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    let (worst, got, want, overlaps) = compare(&points, &quads, sigma, &vp);
    assert_eq!(overlaps, 0);
    assert!(worst < f64::from(CUT_LIGHT) * dot_peak, "error {worst} vs the cut {}", f64::from(CUT_LIGHT) * dot_peak);
    assert!((got / want - 1.0).abs() < 2e-3, "energy {got} vs {want}");
    // The same segments one lone quad each overlap at every joint.
    let capped = Quads {
        lone: points.windows(2).flat_map(|w| expand_segment(w[0], w[1], sigma, &vp)).collect(),
        runs: Vec::new(),
    };
    let (_, _, _, capped_overlaps) = compare(&points, &capped, sigma, &vp);
    assert!(capped_overlaps > 100, "{capped_overlaps}");
}

#[test]
fn short_segments_mitre_at_gentle_bends_within_the_mitre_error() {
    // Zigzags of 4.9-degree bends between segments of 2.01 sigma and longer ones (weights up
    // to 15x apart): every joint mitred, the light within the mitre's bound at 10 degrees
    // (4.5 % of a dot's peak) of the exact sum, the energy kept. At 9.9-degree bends the
    // short joints stay capped, and 1.9-sigma segments are never mitred.
    let (sigma, vp) = (1.6, Viewport { width: 500.0, height: 400.0 });
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    let zigzag = |bend: f32, lengths: [f32; 2]| -> Vec<(f32, f32)> {
        (0..14).map(|i| (if i % 2 == 0 { bend } else { -bend }, lengths[i % 2])).collect()
    };
    for lengths in [[2.01, 2.01], [2.01, 3.0], [2.01, 10.0], [2.01, 30.0], [2.5, 30.0]] {
        let points = polyline([100.0, 150.0], 10.0, &zigzag(4.9, lengths), sigma);
        let (quads, points) = trace(&points, sigma, &vp);
        assert!(quads.lone.is_empty(), "{lengths:?}: {} lone pieces", quads.lone.len() / 4);
        let (worst, got, want, _) = compare(&points, &quads, sigma, &vp);
        assert!(worst < 0.045 * dot_peak, "{lengths:?}: error {}", worst / dot_peak);
        assert!((got / want - 1.0).abs() < 5e-3, "{lengths:?}: energy {got} vs {want}");
    }
    for (bend, lengths) in [(9.9, [2.01, 10.0]), (2.0, [1.9, 10.0])] {
        let points = polyline([100.0, 150.0], 10.0, &zigzag(bend, lengths), sigma);
        let (quads, _) = trace(&points, sigma, &vp);
        // Every joint touches a short segment, so every piece is capped: lone.
        assert_eq!(quads.lone.len() / 4, 14, "bend {bend}, {lengths:?}");
    }
}

#[test]
fn a_run_stops_growing_once_it_has_turned_20_degrees() {
    // An arc of 8-degree bends between 7-sigma segments: every joint is mitred, but a fourth
    // piece would turn 24 degrees from its run's first, so runs hold three pieces; a gentler
    // arc (5 degrees) fills runs of four. Both stay within the mitre error of the exact sum.
    let (sigma, vp) = (1.6, Viewport { width: 500.0, height: 400.0 });
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    for (bend, longest) in [(8.0, 3), (5.0, RUN_PIECES)] {
        let steps = vec![(bend, 7.0); 12];
        let points = polyline([150.0, 100.0], 0.0, &steps, sigma);
        let (quads, points) = trace(&points, sigma, &vp);
        let runs: Vec<usize> = quads.runs.chunks_exact(4).map(|q| q[0].pieces()).collect();
        assert_eq!(quads.pieces(), steps.len());
        assert_eq!(runs.iter().max(), Some(&longest), "bend {bend}: runs {runs:?}");
        assert!(quads.lone.len() / 4 + runs.iter().sum::<usize>() == steps.len() && runs.len() >= 3);
        let (worst, got, want, _) = compare(&points, &quads, sigma, &vp);
        assert!(worst < 0.3 * f64::from(bend).to_radians() * dot_peak, "bend {bend}: error {worst}");
        assert!((got / want - 1.0).abs() < 3e-3, "bend {bend}: energy {got} vs {want}");
    }
}

#[test]
fn bends_short_segments_and_corners_stay_within_the_mitre_error() {
    // Bends up to 10 degrees between long segments (mitred), a 12 degree bend and a right
    // angle (capped), a run of short segments and a still dot (capped): the light is the
    // exact sum within about 0.26 * bend of the beam's peak, and the energy is kept.
    let (sigma, vp) = (1.6, Viewport { width: 500.0, height: 400.0 });
    let steps = [
        (0.0, 6.0), (5.0, 4.0), (-9.0, 9.0), (9.9, 3.1), (3.0, 12.0), (-9.9, 5.0),
        (12.0, 6.0), (90.0, 8.0), (0.0, 0.5), (30.0, 1.0), (-20.0, 2.0), (10.0, 2.9),
        (0.0, 0.0), (0.0, 0.0), (170.0, 7.0), (8.0, 7.0), (8.0, 7.0), (8.0, 7.0),
    ];
    let points = polyline([120.0, 150.0], 10.0, &steps, sigma);
    let (quads, points) = trace(&points, sigma, &vp);
    // Mitred pieces: lone ones with a mitred end, and every piece of every run.
    let runs = quads.runs.len() / 4;
    let in_runs: usize = quads.runs.chunks_exact(4).map(|q| q[0].pieces()).sum();
    let mitred = in_runs + quads.lone.chunks_exact(4).filter(|q| q[0].neighbours > 0.0).count();
    assert_eq!(quads.pieces(), steps.len());
    assert!(runs >= 2 && (8..steps.len()).contains(&mitred), "{mitred} of {} pieces have a mitred end, {runs} runs", steps.len());
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    let (worst, got, want, _) = compare(&points, &quads, sigma, &vp);
    // The brightest streak that bends 10 degrees is 3.1 sigma long (0.81 of a dot's peak).
    let bound = 0.3 * 10f64.to_radians() * 0.81 * dot_peak;
    assert!(worst < bound, "error {worst} ({} of a dot's peak), bound {bound}", worst / dot_peak);
    assert!((got / want - 1.0).abs() < 3e-3, "energy {got} vs {want}");
}

#[test]
fn merged_points_keep_the_light_and_the_shape_with_fewer_pieces() {
    // An upsampler's points: a circle of radius 40 sigma, 0.35 sigma apart (x8 of a
    // 2.8-sigma step), and a line that turns back at its end. Merging up to 8 points gives
    // a third of the pieces or fewer, the same energy, and the light within 3 % of the
    // trace's brightest of the exact sum of every point's segment (1 % for the circles;
    // without merging 0.2 %); merging off is build_quads.
    let (sigma, vp) = (1.6, Viewport { width: 400.0, height: 400.0 });
    let k = vp.scale();
    let circle: Vec<XYSample> = (0..=720)
        .map(|i| {
            let t = i as f32 * 0.35 / 40.0;
            XYSample::new(40.0 * sigma * t.cos() / k, 40.0 * sigma * t.sin() / k)
        })
        .collect();
    let line: Vec<XYSample> = (0..60).chain((0..60).rev()).map(|i| XYSample::new(i as f32 * 0.3 * sigma / k, 0.1)).collect();
    // Faster: a wide circle with points 0.9 sigma apart (the long segments), and a mono sine
    // whose points bunch up where it turns (the uneven spacing).
    let wide: Vec<XYSample> = (0..=700)
        .map(|i| {
            let t = i as f32 * 0.9 / 100.0;
            XYSample::new(100.0 * sigma * t.cos() / k, 100.0 * sigma * t.sin() / k)
        })
        .collect();
    let sine: Vec<XYSample> = (0..800).map(|i| XYSample::new(0.6 * (i as f32 * 0.01).sin(), 0.6 * (i as f32 * 0.01).sin())).collect();
    let dot_peak = f64::from(beam_density(0.0, 0.0, 0.0));
    for samples in [circle, line, wide, sine] {
        let points: Vec<[f32; 2]> = samples.iter().map(|&s| vp.to_pixels(scope_point(s, Mode::Xy, 1.0))).collect();
        let mut merged = Quads::default();
        let last = build_quads_merging(&samples, None, Mode::Xy, 1.0, sigma, &vp, &mut merged, 8);
        assert_eq!(last, points.last().copied(), "the last point ends the last segment");
        let mut every = Quads::default();
        build_quads(&samples, None, Mode::Xy, 1.0, sigma, &vp, &mut every);
        let mut one = Quads::default();
        build_quads_merging(&samples, None, Mode::Xy, 1.0, sigma, &vp, &mut one, 1);
        assert_eq!((one.lone.len(), one.runs.len()), (every.lone.len(), every.runs.len()));
        assert!(merged.pieces() * 3 <= every.pieces(), "{} pieces merged, {} not", merged.pieces(), every.pieces());
        let (worst, got, want, _) = compare(&points, &merged, sigma, &vp);
        // The trace's brightest light: its points are a fraction of a sigma apart, so many
        // dots' peaks.
        let peak = points.iter().map(|&p| exact(&points, sigma, p)).fold(0.0, f64::max);
        assert!(peak > 2.0 * dot_peak);
        assert!(worst < 0.03 * peak, "error {} of the trace's peak", worst / peak);
        assert!((got / want - 1.0).abs() < 3e-3, "energy {got} vs {want}");
    }
}
