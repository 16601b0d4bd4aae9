//! The beam's quads: every segment of the trace becomes a piece whose corners carry what the
//! fragment shader needs to draw its light ([`BeamVertex`], read by `piece.wgsl`; the vertex
//! types are in `vertex.rs`). Joints that bend
//! gently are mitred instead of capped, and runs of mitred pieces become one quad ([`RunVertex`],
//! read by `run.wgsl`), since software rasterisers pay for every triangle. [`build_quads`] does it
//! for a frame's samples without allocating once its buffers have grown. The tests compare the
//! light the quads draw, pixel by pixel, with the exact sum of every segment's light.

use super::vertex::{BeamVertex, Quads, RunVertex, NO_JOINT, RUN_MAX_TURN_COS, RUN_PIECES};
use crate::render::beam::profile::{segment_reach, Reach, MIN_SEGMENT_SIGMAS};
use crate::render::projection::{scope_point, Mode, Viewport};
use crate::signal::polar::polar_point;
use crate::sample::XYSample;

/// `sqrt(2 pi)`.
const SQRT_TAU: f32 = 2.506_628_3;

/// Joints where the trace bends by at most 10 degrees (this is the cosine) between two segments
/// at least [`MITRE_MIN_SIGMAS`] long are mitred: the two pieces meet on the bisector instead of
/// each capping its end, so the caps' overlap (about 40 % of the pixels of a smooth trace of
/// 6-sigma segments) is not drawn twice. Each piece draws the light its neighbour sends past the
/// joint as if the neighbour went straight on. On the bisector both pieces make the same error
/// (the point is as far from either axis, and as far past either end), so the light stays
/// continuous. The error is at most about `0.26 * bend` (in radians) of the beam's peak there,
/// 4.5 % at 10 degrees: brighter on the outside of the bend and dimmer inside, which is where a
/// band-limited signal's curve runs compared with the polyline through its samples.
pub const MITRE_MAX_BEND_COS: f32 = 0.984_807_7;

/// The shortest segment, in sigmas, that a mitred joint may join. A neighbour's light past the
/// joint falls below [`CUT_LIGHT`](super::profile::CUT_LIGHT) within 2.9 sigma
/// ([`segment_reach`]), so it never reaches past the piece's other end, and the neighbour's far
/// end is at least this far from every pixel of the piece, where its erf step is within
/// `erfc(3 / sqrt(2)) = 2.7e-3` of the constant the piece takes for it.
pub const MITRE_MIN_SIGMAS: f32 = 3.0;

/// Shorter segments, down to [`MITRE_SHORT_MIN_SIGMAS`], are mitred where the trace bends by at
/// most 5 degrees (this is the cosine). Their neighbours' far steps are nearer than
/// [`MITRE_MIN_SIGMAS`] allows, but a piece takes each neighbour as going straight on for ever,
/// which stands in for the segments beyond it: the error is in how their weights and directions
/// differ. Measured against the exact sum (native tests), zigzags of 2-sigma segments between
/// segments up to 15 times longer stay within 3.8 % of a dot's peak at 4.9-degree bends (the
/// mitre's own bound at 10 degrees is 4.5 %). At 10-degree bends they would reach 6 %, so those
/// stay capped.
pub const MITRE_SHORT_MAX_BEND_COS: f32 = 0.996_194_7;

/// The shortest segment, in sigmas, that a gently bending mitred joint
/// ([`MITRE_SHORT_MAX_BEND_COS`]) may join. At 1.5 sigma the error reached 12 % of a dot's peak.
pub const MITRE_SHORT_MIN_SIGMAS: f32 = 2.0;

/// One segment of the trace, in pixels and sigmas, with what its piece needs.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// Start, in pixels.
    a: [f32; 2],
    /// Unit direction (to the right for a zero-length segment).
    dir: [f32; 2],
    /// Length in sigmas.
    len: f32,
    /// The streak's length (at least [`MIN_SEGMENT_SIGMAS`]), and where it starts, in sigmas
    /// from `a` (before it for a streak centred on a shorter segment).
    streak: f32,
    start: f32,
    /// The density's scale: [`BeamVertex::rise`] of a lone segment (the light of `energy`
    /// sample intervals spread over the streak).
    weight: f32,
    reach: Reach,
}

impl Segment {
    /// The segment from `a` to `b` (pixels) carrying the light of `energy` sample intervals (1
    /// for one segment per sample; more for points merged along a line, see
    /// [`build_quads_merging`]).
    fn new(a: [f32; 2], b: [f32; 2], sigma: f32, energy: f32) -> Self {
        let (unit, length_px) = normalize([b[0] - a[0], b[1] - a[1]]);
        let dir = if length_px > 1e-6 { unit } else { [1.0, 0.0] };
        let len = length_px / sigma;
        let streak = len.max(MIN_SEGMENT_SIGMAS);
        Segment {
            a,
            dir,
            len,
            streak,
            start: -0.5 * (streak - len),
            weight: energy * SQRT_TAU / (2.0 * std::f32::consts::TAU * streak),
            reach: segment_reach(len),
        }
    }

    /// The unit normal, to the left of `dir` in a y-up frame.
    fn normal(&self) -> [f32; 2] {
        [-self.dir[1], self.dir[0]]
    }

    /// [`BeamVertex::local`] at `(u, v)` sigmas along and across the segment from `a`.
    fn local(&self, u: f32, v: f32) -> [f32; 2] {
        let to_erf = std::f32::consts::FRAC_1_SQRT_2;
        [(u - self.start) * to_erf, v * to_erf]
    }

    /// [`BeamVertex::local`] at pixel `px`.
    fn local_at(&self, px: [f32; 2], sigma: f32) -> [f32; 2] {
        let o = [px[0] - self.a[0], px[1] - self.a[1]];
        self.local(dot(o, self.dir) / sigma, dot(o, self.normal()) / sigma)
    }

    /// The two corners of a capped end, `u` sigmas along from `a`, in pixels: `(-normal,
    /// +normal)`.
    fn cap_pixels(&self, u: f32, sigma: f32) -> [[f32; 2]; 2] {
        let n = self.normal();
        [-self.reach.across, self.reach.across].map(|v| {
            [self.a[0] + (self.dir[0] * u + n[0] * v) * sigma, self.a[1] + (self.dir[1] * u + n[1] * v) * sigma]
        })
    }
}

/// The dot product of two vectors.
fn dot(a: [f32; 2], b: [f32; 2]) -> f32 {
    a[0] * b[0] + a[1] * b[1]
}

/// `v` scaled to unit length, and its length (NaN components for a zero vector).
fn normalize(v: [f32; 2]) -> ([f32; 2], f32) {
    let l = (v[0] * v[0] + v[1] * v[1]).sqrt();
    ([v[0] / l, v[1] / l], l)
}

/// A mitred joint between two segments: its corners on the bisector, in pixels, `(-normal,
/// +normal)`, computed once so both pieces share them exactly (no crack, no overlap), as far
/// from either axis as the wider of the two segments' [`Reach::across`].
#[derive(Clone, Copy, Debug)]
struct Joint {
    corners: [[f32; 2]; 2],
}

impl Joint {
    /// The joint from `s` to the segment `t` that starts where `s` ends, if it is mitred.
    fn between(s: &Segment, t: &Segment, sigma: f32) -> Option<Joint> {
        let bend_cos = dot(s.dir, t.dir);
        // Written so that NaN lengths or directions fail it.
        let long = s.len >= MITRE_MIN_SIGMAS && t.len >= MITRE_MIN_SIGMAS && bend_cos >= MITRE_MAX_BEND_COS;
        let short = s.len >= MITRE_SHORT_MIN_SIGMAS && t.len >= MITRE_SHORT_MIN_SIGMAS && bend_cos >= MITRE_SHORT_MAX_BEND_COS;
        if !(long || short) {
            return None;
        }
        let (ns, nt) = (s.normal(), t.normal());
        let (m, _) = normalize([ns[0] + nt[0], ns[1] + nt[1]]);
        // cos(bend / 2) >= 0.99: how far along the bisector the edge lines meet it.
        let h = s.reach.across.max(t.reach.across) * sigma / dot(m, ns);
        let b = t.a;
        Some(Joint {
            corners: [[b[0] - m[0] * h, b[1] - m[1] * h], [b[0] + m[0] * h, b[1] + m[1] * h]],
        })
    }
}

/// A segment's piece before its corners are made: the segment, and each end's mitred joint
/// with the weight of the neighbour across it (`None`: that end is capped).
#[derive(Clone, Copy, Debug)]
struct Piece {
    seg: Segment,
    prev: Option<(Joint, f32)>,
    next: Option<(Joint, f32)>,
}

impl Piece {
    /// Where the capped ends are, in sigmas along the segment from its start: each grown by
    /// the segment's [`Reach`].
    fn cap_at(&self) -> (f32, f32) {
        let (seg, along) = (&self.seg, self.seg.reach.along);
        (seg.start - along, seg.start + seg.streak + along)
    }

    /// The piece's `len`, `rise`, `fall` and `neighbours` ([`BeamVertex`]).
    fn steps(&self) -> [f32; 4] {
        let w_prev = self.prev.map_or(0.0, |(_, w)| w);
        let w_next = self.next.map_or(0.0, |(_, w)| w);
        let seg = &self.seg;
        [seg.streak * std::f32::consts::FRAC_1_SQRT_2, seg.weight - w_prev, seg.weight - w_next, w_prev + w_next]
    }

    /// The start's two corners in pixels, `(-normal, +normal)`.
    fn start_pixels(&self, sigma: f32) -> [[f32; 2]; 2] {
        self.prev.map_or_else(|| self.seg.cap_pixels(self.cap_at().0, sigma), |(joint, _)| joint.corners)
    }

    /// The end's two corners in pixels, `(-normal, +normal)`.
    fn end_pixels(&self, sigma: f32) -> [[f32; 2]; 2] {
        self.next.map_or_else(|| self.seg.cap_pixels(self.cap_at().1, sigma), |(joint, _)| joint.corners)
    }

    /// The four corners of the quad that draws the piece alone, in the order (start -normal,
    /// start +normal, end -normal, end +normal).
    fn corners(&self, sigma: f32, vp: &Viewport) -> [BeamVertex; 4] {
        let seg = &self.seg;
        let across = seg.reach.across;
        // Each end's corners in pixels, with their locals: a capped end's are known exactly, a
        // mitred end's come from where the joint put them.
        let end = |joint: &Option<(Joint, f32)>, u: f32| match joint {
            Some((j, _)) => j.corners.map(|px| (px, seg.local_at(px, sigma))),
            None => {
                let [p0, p1] = seg.cap_pixels(u, sigma);
                [(p0, seg.local(u, -across)), (p1, seg.local(u, across))]
            }
        };
        let (start_at, end_at) = self.cap_at();
        let [s0, s1] = end(&self.prev, start_at);
        let [e0, e1] = end(&self.next, end_at);
        let [len, rise, fall, neighbours] = self.steps();
        [s0, s1, e0, e1].map(|(px, local)| BeamVertex { clip: vp.to_clip(px), local, len, rise, fall, neighbours })
    }
}

/// Consecutive pieces joined by mitred joints, collected while the trace streams by to become
/// one quad ([`run_quad`]): `pieces[..len]`, each (but the last) ending on the joint the next
/// starts on.
#[derive(Clone, Copy, Debug)]
struct Run {
    pieces: [Piece; RUN_PIECES],
    len: usize,
}

impl Run {
    /// A run of one piece.
    fn new(piece: Piece) -> Self {
        Run { pieces: [piece; RUN_PIECES], len: 1 }
    }

    /// Adds `piece` if it starts at a mitred joint (the one the run ends on) and the run has
    /// room and has not turned too far ([`RUN_MAX_TURN_COS`]); returns whether it did.
    fn extend(&mut self, piece: &Piece) -> bool {
        if piece.prev.is_none() || self.len == RUN_PIECES || dot(self.pieces[0].seg.dir, piece.seg.dir) < RUN_MAX_TURN_COS {
            return false;
        }
        self.pieces[self.len] = *piece;
        self.len += 1;
        true
    }

    /// Appends the run to `quads`: a lone piece, or one quad ([`run_quad`]).
    fn finish(&self, sigma: f32, vp: &Viewport, quads: &mut Quads) {
        if self.len == 1 {
            quads.lone.extend_from_slice(&self.pieces[0].corners(sigma, vp));
        } else {
            quads.runs.extend_from_slice(&run_quad(self, sigma, vp));
        }
    }
}

/// One quad that draws a run's pieces: it spans from the first piece's start to the last
/// piece's end, each long side moved out as far as needed to hold every joint's corner on that
/// side, so it covers all the pieces; every corner carries each piece's coordinates and which
/// side of each joint it is on. The fragment draws only one piece's light, so a run costs a
/// pixel what a lone piece does, and the triangles of one piece (software rasterisers pay for
/// every triangle they set up).
fn run_quad(run: &Run, sigma: f32, vp: &Viewport) -> [RunVertex; 4] {
    let pieces = &run.pieces[..run.len];
    // Joint k, between pieces k and k + 1, is where piece k ends.
    let mut joints = [[[0.0; 2]; 2]; RUN_PIECES - 1];
    for (j, p) in joints.iter_mut().zip(&pieces[..run.len - 1]) {
        *j = p.end_pixels(sigma);
    }
    let joints = &joints[..run.len - 1];
    let mut starts = pieces[0].start_pixels(sigma);
    let mut ends = pieces[run.len - 1].end_pixels(sigma);
    for k in 0..2 {
        let (p, q) = (starts[k], ends[k]);
        let (d, l) = normalize([q[0] - p[0], q[1] - p[1]]);
        if l.is_nan() || l <= 0.0 {
            continue;
        }
        let mut n = [-d[1], d[0]];
        let other = starts[1 - k];
        if dot([other[0] - p[0], other[1] - p[1]], n) > 0.0 {
            n = [-n[0], -n[1]];
        }
        let e = joints.iter().map(|j| dot([j[k][0] - p[0], j[k][1] - p[1]], n)).fold(0.0, f32::max);
        if e > 0.0 {
            // Along the ends' own edges, so a run's ends stay on the joint lines it shares with
            // its neighbours (no crack, no overlap near the trace; past the unmoved corner, where
            // the light is below the cut, the two may reach out differently). Moving each corner
            // at least `e` out along `n` moves the whole side past the joints' corners.
            let unit = |a: [f32; 2], b: [f32; 2]| normalize([a[0] - b[0], a[1] - b[1]]).0;
            let (up, uq) = (unit(p, other), unit(q, ends[1 - k]));
            let move_by = e / dot(up, n).min(dot(uq, n)).max(0.5);
            starts[k] = [p[0] + move_by * up[0], p[1] + move_by * up[1]];
            ends[k] = [q[0] + move_by * uq[0], q[1] + move_by * uq[1]];
        }
    }
    // Each joint's bisector direction, and where the joint is (the later segment's start).
    let mut bisectors = [([0.0; 2], [0.0; 2]); RUN_PIECES - 1];
    for (k, b) in bisectors.iter_mut().take(joints.len()).enumerate() {
        let (s, t) = (&pieces[k].seg, &pieces[k + 1].seg);
        *b = (normalize([s.dir[0] + t.dir[0], s.dir[1] + t.dir[1]]).0, t.a);
    }
    let mut steps = [[0.0; 4]; RUN_PIECES];
    for (st, piece) in steps.iter_mut().zip(pieces) {
        *st = piece.steps();
    }
    [starts[0], starts[1], ends[0], ends[1]].map(|p| {
        let mut locals = [[0.0; 2]; RUN_PIECES];
        for (l, piece) in locals.iter_mut().zip(pieces) {
            *l = piece.seg.local_at(p, sigma);
        }
        let mut sides = [NO_JOINT; RUN_PIECES - 1];
        for (side, (along, at)) in sides.iter_mut().zip(&bisectors[..joints.len()]) {
            *side = dot([p[0] - at[0], p[1] - at[1]], *along) / sigma;
        }
        RunVertex { clip: vp.to_clip(p), locals, sides, steps }
    })
}

/// The four corners of the quad that covers the beam of a lone segment from `a` to `b` (pixels),
/// with the spot's sigma in pixels: the segment's rectangle grown by its [`segment_reach`], in
/// the order (start -normal, start +normal, end -normal, end +normal). A zero-length segment
/// gets a square around the dot.
pub fn expand_segment(a: [f32; 2], b: [f32; 2], sigma: f32, vp: &Viewport) -> [BeamVertex; 4] {
    Piece { seg: Segment::new(a, b, sigma, 1.0), prev: None, next: None }.corners(sigma, vp)
}

/// The most consecutive points [`build_quads_merging`] draws as one segment.
pub const MERGE_MAX_POINTS: usize = 8;
/// How far, in sigmas, a point merged into a segment may lie from it: a twentieth of the spot,
/// far below what the eye or the light's shape tells apart.
pub const MERGE_TOLERANCE_SIGMAS: f32 = 0.05;
/// How far, in sigmas, a merged point may lie along its segment from where even spacing would
/// put it.
pub const MERGE_SPACING_SIGMAS: f32 = 0.1;
/// The longest segment merged points make, in sigmas. Its light is spread evenly along it rather
/// than by each point's own interval; within a few of the input's samples the upsampler's points
/// are nearly evenly spaced, so the difference stays within the native tests' bound.
pub const MERGE_MAX_SIGMAS: f32 = 5.0;

/// Appends the pieces for `samples` (one per segment) to `quads`, continuing the trace from
/// `last` (the previous frame's last point, in pixels) so no segment is lost between frames;
/// returns the new last point. Every sample is a segment end: nothing is decimated. Joints
/// within the frame that bend gently between long enough segments are mitred
/// ([`MITRE_MAX_BEND_COS`]); the others, and the joint with the previous frame, are capped on
/// both sides. Along mitred joints the pieces go in runs of up to [`RUN_PIECES`], each run one
/// quad ([`RunVertex`]): software rasterisers pay for every triangle they set up. Allocates
/// only if `quads` lacks the capacity (the renderer reuses one, so after the first frames of a
/// given size, never). In [`Mode::PolarSample`] the trace breaks between two samples on
/// opposite halves before the turn (see [`polar_point`]).
pub fn build_quads(
    samples: &[XYSample],
    last: Option<[f32; 2]>,
    mode: Mode,
    gain: f32,
    sigma: f32,
    vp: &Viewport,
    quads: &mut Quads,
) -> Option<[f32; 2]> {
    build_quads_merging(samples, last, mode, gain, sigma, vp, quads, 1)
}

/// [`build_quads`], but up to `merge` consecutive points (at most [`MERGE_MAX_POINTS`]) are
/// drawn as one segment carrying all their light where they lie along it, in order, within
/// [`MERGE_TOLERANCE_SIGMAS`], nearly evenly spaced ([`MERGE_SPACING_SIGMAS`]), and it is at
/// most [`MERGE_MAX_SIGMAS`] long. For the upsampler's
/// points, which are many per sample and lie close on a smooth curve: the light and the shape
/// are kept, the segments (each a quad's worth of pixels) are fewer. A frame's last point
/// always ends a segment and is returned, so frames join as in [`build_quads`].
#[allow(clippy::too_many_arguments)]
pub fn build_quads_merging(
    samples: &[XYSample],
    last: Option<[f32; 2]>,
    mode: Mode,
    gain: f32,
    sigma: f32,
    vp: &Viewport,
    quads: &mut Quads,
    merge: usize,
) -> Option<[f32; 2]> {
    let merge = merge.clamp(1, MERGE_MAX_POINTS);
    let mut builder = Builder { pending: None, run: None, sigma, vp };
    // The segment being gathered: from `anchor` through `held[..n_held]`, the last its end.
    let mut anchor = last;
    let mut held = [[0.0f32; 2]; MERGE_MAX_POINTS];
    let mut n_held = 0;
    // Polar sample: whether the last sample was turned into the upper half.
    let mut turned_before = None;
    for &sample in samples {
        if mode == Mode::PolarSample {
            let turned = polar_point(sample).1;
            if turned_before.is_some_and(|t| t != turned) {
                // The next point lies across the disc: end the trace here rather than cross it.
                if let (Some(a), true) = (anchor, n_held > 0) {
                    builder.segment(a, held[n_held - 1], n_held as f32, quads);
                }
                builder.cap(quads);
                (anchor, n_held) = (None, 0);
            }
            turned_before = Some(turned);
        }
        let p = vp.to_pixels(scope_point(sample, mode, gain));
        let Some(a) = anchor else {
            anchor = Some(p);
            continue;
        };
        if n_held > 0 && !(n_held < merge && lies_along(a, &held[..n_held], p, sigma)) {
            let end = held[n_held - 1];
            builder.segment(a, end, n_held as f32, quads);
            (anchor, n_held) = (Some(end), 0);
        }
        held[n_held] = p;
        n_held += 1;
    }
    let last = if n_held > 0 { Some(held[n_held - 1]) } else { anchor };
    if let (Some(a), Some(end), true) = (anchor, last, n_held > 0) {
        builder.segment(a, end, n_held as f32, quads);
    }
    builder.finish(quads);
    last
}

/// Whether the segment from `a` to `p` (pixels) may stand for the points `held` (after `a`, in
/// order, `p` after them): at most [`MERGE_MAX_SIGMAS`] long, and each point within
/// [`MERGE_TOLERANCE_SIGMAS`] of it across, and within [`MERGE_SPACING_SIGMAS`] along of where
/// even spacing puts it (the segment spreads their light evenly: where the trace slows down, as
/// at a sine's turn, its points bunch up and stay segment ends).
fn lies_along(a: [f32; 2], held: &[[f32; 2]], p: [f32; 2], sigma: f32) -> bool {
    let (dir, len) = normalize([p[0] - a[0], p[1] - a[1]]);
    let tolerance = MERGE_TOLERANCE_SIGMAS * sigma;
    // Written so that a NaN length (a NaN point) fails it.
    if len.is_nan() || len > MERGE_MAX_SIGMAS * sigma {
        return false;
    }
    if len < tolerance {
        // A dot: every point on it.
        return held.iter().all(|h| (h[0] - a[0]).hypot(h[1] - a[1]) <= tolerance);
    }
    let step = len / (held.len() + 1) as f32;
    let spacing = MERGE_SPACING_SIGMAS * sigma;
    held.iter().enumerate().all(|(i, h)| {
        let o = [h[0] - a[0], h[1] - a[1]];
        let along = dot(o, dir) - step * (i + 1) as f32;
        let across = o[0] * dir[1] - o[1] * dir[0];
        across.abs() <= tolerance && along.abs() <= spacing
    })
}

/// The pieces' assembly line for [`build_quads_merging`]: each segment waits for the next (to
/// know its end's joint), and pieces that share mitred joints gather into runs.
struct Builder<'a> {
    /// The segment whose piece waits for the next one, with its start's mitred joint and the
    /// previous segment's weight.
    pending: Option<(Segment, Option<(Joint, f32)>)>,
    /// Finished pieces that wait for the next one, to go in one quad with it if they share a
    /// mitred joint.
    run: Option<Run>,
    sigma: f32,
    vp: &'a Viewport,
}

impl Builder<'_> {
    /// Adds the segment from `a` to `b` (pixels) with the light of `energy` sample intervals.
    fn segment(&mut self, a: [f32; 2], b: [f32; 2], energy: f32, quads: &mut Quads) {
        let seg = Segment::new(a, b, self.sigma, energy);
        let mut start = None;
        if let Some((before, prev)) = self.pending.take() {
            let joint = Joint::between(&before, &seg, self.sigma);
            self.emit(Piece { seg: before, prev, next: joint.map(|j| (j, seg.weight)) }, quads);
            start = joint.map(|j| (j, before.weight));
        }
        self.pending = Some((seg, start));
    }

    /// Ends the trace: the waiting piece is capped.
    fn cap(&mut self, quads: &mut Quads) {
        if let Some((seg, prev)) = self.pending.take() {
            self.emit(Piece { seg, prev, next: None }, quads);
        }
    }

    /// Ends the trace and appends what waits.
    fn finish(mut self, quads: &mut Quads) {
        self.cap(quads);
        if let Some(r) = self.run.take() {
            r.finish(self.sigma, self.vp, quads);
        }
    }

    fn emit(&mut self, piece: Piece, quads: &mut Quads) {
        if self.run.as_mut().is_some_and(|r| r.extend(&piece)) {
            return;
        }
        if let Some(r) = self.run.take() {
            r.finish(self.sigma, self.vp, quads);
        }
        if piece.next.is_some() {
            self.run = Some(Run::new(piece));
        } else {
            // Capped at its end: no piece can join it, so it is lone.
            quads.lone.extend_from_slice(&piece.corners(self.sigma, self.vp));
        }
    }
}

#[cfg(test)]
mod tests {
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
}
