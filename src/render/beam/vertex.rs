//! What the beam's quads are made of, as the shaders read them: the corners of a lone piece
//! ([`BeamVertex`], `piece.wgsl`) and of a run of mitred pieces ([`RunVertex`], `run.wgsl`), and
//! a frame's [`Quads`]. `geometry.rs` builds them.

use crate::render::beam::profile::erf;

/// One corner of a beam piece, in the units the fragment shader wants, so that it does no more
/// arithmetic per pixel than [`BeamVertex::light`]: lengths in `sigma * sqrt(2)` (erf's unit),
/// measured from the start of the segment's streak (at least [`MIN_SEGMENT_SIGMAS`](crate::render::beam::profile::MIN_SEGMENT_SIGMAS) long,
/// centred on the segment).
///
/// A piece draws its segment's light and, across a mitred joint ([`build_quads`](super::geometry::build_quads)), the light
/// its neighbour sends past the joint, as if that neighbour went straight on: each is a
/// difference of two erf steps, the neighbour's far step is a constant there, and the near
/// steps fall on the piece's own ends. So the light is
/// `(rise * erf(x) - fall * erf(x - len) + neighbours) * exp(-y^2)`; a lone segment has
/// `rise = fall =` its weight and no neighbours.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct BeamVertex {
    /// Clip-space position.
    pub clip: [f32; 2],
    /// `(x, y)`: how far along the streak from its start, and across it, in `sigma * sqrt(2)`.
    pub local: [f32; 2],
    /// The streak's length in `sigma * sqrt(2)`.
    pub len: f32,
    /// The weight of the erf step at the streak's start: the segment's own weight (the
    /// density's scale, `sqrt(pi / 2) / (2 pi * streak length in sigmas)`: every segment carries
    /// the same energy, so a long, fast one is dim) less the previous segment's, if their joint
    /// is mitred.
    pub rise: f32,
    /// The weight of the step at the streak's end: its own weight less the next segment's, if
    /// that joint is mitred.
    pub fall: f32,
    /// The mitred neighbours' weights, summed: the constant their far steps leave.
    pub neighbours: f32,
}

impl BeamVertex {
    /// The beam's energy density at this vertex's local coordinates, as `beam.wgsl` computes it
    /// from the interpolated ones: equal to [`beam_density`](super::profile::beam_density) there
    /// for a lone segment.
    pub fn light(&self) -> f32 {
        let [x, y] = self.local;
        (self.rise * erf(x) - self.fall * erf(x - self.len) + self.neighbours) * (-y * y).exp()
    }
}

/// The most pieces one run quad draws ([`RunVertex`]).
pub const RUN_PIECES: usize = 4;

/// [`RunVertex::sides`] of a joint the run lacks (it has fewer than [`RUN_PIECES`] pieces):
/// never past it.
pub const NO_JOINT: f32 = -1.0e6;

/// A run grows while its newest piece turns by at most 20 degrees (this is the cosine) from its
/// first: the quad's long sides are straight, so a run that turns further would bulge out past
/// its pieces' light and cost pixels instead of saving triangles.
pub const RUN_MAX_TURN_COS: f32 = 0.939_692_6;

/// One corner of a run: one quad that draws up to [`RUN_PIECES`] consecutive pieces joined by
/// mitred joints ([`build_quads`](super::geometry::build_quads)). It carries every piece's coordinates and which side of each
/// joint it is on, so the fragment draws one piece's light (chosen by the sides) for the cost of
/// one.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct RunVertex {
    /// Clip-space position.
    pub clip: [f32; 2],
    /// Each piece's [`BeamVertex::local`] here (zero for pieces the run lacks).
    pub locals: [[f32; 2]; RUN_PIECES],
    /// How far past each joint (its bisector) in sigmas; joint `k` is between pieces `k` and
    /// `k + 1`. The light drawn is that of the piece after the last joint this is past (where
    /// none is positive, the first piece's). [`NO_JOINT`] for joints the run lacks.
    pub sides: [f32; RUN_PIECES - 1],
    /// Each piece's `len`, `rise`, `fall` and `neighbours` (zero for pieces the run lacks).
    pub steps: [[f32; 4]; RUN_PIECES],
}

impl RunVertex {
    /// Which of the run's pieces draws at this corner's (interpolated) coordinates.
    pub fn piece(&self) -> usize {
        self.sides.iter().rposition(|&s| s > 0.0).map_or(0, |k| k + 1)
    }

    /// How many pieces the run draws.
    pub fn pieces(&self) -> usize {
        1 + self.sides.iter().filter(|&&s| s != NO_JOINT).count()
    }

    /// The light at this corner's (interpolated) coordinates, as `run.wgsl` computes it.
    pub fn light(&self) -> f32 {
        let k = self.piece();
        let [len, rise, fall, neighbours] = self.steps[k];
        BeamVertex { clip: self.clip, local: self.locals[k], len, rise, fall, neighbours }.light()
    }
}

/// A corner of a beam quad: where it is on the canvas.
pub trait QuadCorner: Copy {
    /// Clip-space position.
    fn clip(&self) -> [f32; 2];
}

impl QuadCorner for BeamVertex {
    fn clip(&self) -> [f32; 2] {
        self.clip
    }
}

impl QuadCorner for RunVertex {
    fn clip(&self) -> [f32; 2] {
        self.clip
    }
}

/// A frame's beam quads, 4 corners each: lone pieces, and runs (up to [`RUN_PIECES`] pieces
/// joined by mitred joints). Two kinds because a run's corner is nearly four times the bytes of
/// a lone one: traces of short or sharply bending segments, whose pieces stay lone, would pay
/// for it.
#[derive(Clone, Debug, Default)]
pub struct Quads {
    /// Lone pieces.
    pub lone: Vec<BeamVertex>,
    /// Runs.
    pub runs: Vec<RunVertex>,
}

impl Quads {
    /// Empties both lists, keeping their capacity.
    pub fn clear(&mut self) {
        self.lone.clear();
        self.runs.clear();
    }

    /// How many pieces the quads draw: the frame's segments.
    pub fn pieces(&self) -> usize {
        self.lone.len() / 4 + self.runs.chunks_exact(4).map(|q| q[0].pieces()).sum::<usize>()
    }
}
