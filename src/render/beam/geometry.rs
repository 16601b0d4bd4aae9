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
mod tests;
