//! The polar views' geometry: where a sample lies on the half-disc ([`polar_point`]: angle =
//! stereo position, radius = level), and [`PolarLevel`], which gathers the recent level in each
//! direction and draws it as rays from the centre.

use crate::sample::XYSample;

/// A sample on the polar half-disc, in scope units: its mid/side point (mid `(L + R) / 2` up,
/// side `(L - R) / 2` to the left, as in the M/S view), turned into the upper half when mid is
/// negative (a sample and its negative are the same stereo position). Mono is straight up, left
/// only up-left at 135 degrees, right only up-right at 45, anti-phase along the base; the
/// radius is `sqrt((L² + R²) / 2)`, 1 for full-scale mono. Also returns whether it was turned.
#[inline]
pub fn polar_point(s: XYSample) -> ([f32; 2], bool) {
    let (across, up) = ((s.y - s.x) * 0.5, (s.x + s.y) * 0.5);
    if up < 0.0 {
        ([-across, -up], true)
    } else {
        ([across, up], false)
    }
}

/// Directions the polar level view tells apart: 36 rays, 5 degrees apart.
pub const POLAR_BINS: usize = 36;
/// The polar level's memory: each direction's level is an average over about 300 ms, the
/// meters' window.
pub const POLAR_WINDOW_S: f64 = 0.3;
/// The least part of the window's samples a direction must hold to be drawn: a stray sample
/// is not a ray.
const MIN_SHARE: f64 = 0.005;
/// Points per scope unit along a ray (out and back): close enough that the beam's light along
/// it is about that of a trace.
const RAY_POINTS_PER_UNIT: f32 = 400.0;

/// The level in each direction of the half-disc over the last [`POLAR_WINDOW_S`]: for each of
/// [`POLAR_BINS`] directions, the RMS radius of the samples that lie that way.
pub struct PolarLevel {
    energy: [f64; POLAR_BINS],
    count: [f64; POLAR_BINS],
    /// This frame's sums, added to the window at [`finish`](Self::finish).
    frame_energy: [f64; POLAR_BINS],
    frame_count: [f64; POLAR_BINS],
    frame_samples: u32,
    /// ln of the per-sample decay.
    log_decay: f64,
}

impl PolarLevel {
    /// The view for a stream at `sample_rate` Hz.
    pub fn new(sample_rate: f32) -> Self {
        let rate = if sample_rate.is_finite() && sample_rate > 0.0 { f64::from(sample_rate) } else { 48_000.0 };
        PolarLevel {
            energy: [0.0; POLAR_BINS],
            count: [0.0; POLAR_BINS],
            frame_energy: [0.0; POLAR_BINS],
            frame_count: [0.0; POLAR_BINS],
            frame_samples: 0,
            log_decay: -1.0 / (POLAR_WINDOW_S * rate),
        }
    }

    /// Adds a sample to this frame's sums.
    #[inline]
    pub fn add(&mut self, s: XYSample) {
        let ([x, y], _) = polar_point(s);
        let r2 = f64::from(x * x + y * y);
        self.frame_samples += 1;
        if r2 == 0.0 {
            return;
        }
        let angle = y.atan2(x); // 0 to pi
        let bin = ((angle / std::f32::consts::PI * POLAR_BINS as f32) as usize).min(POLAR_BINS - 1);
        self.frame_energy[bin] += r2;
        self.frame_count[bin] += 1.0;
    }

    /// Ends the frame: the window decays by the frame's length and takes in its sums.
    pub fn finish(&mut self) {
        let d = (self.log_decay * f64::from(self.frame_samples)).exp();
        for b in 0..POLAR_BINS {
            self.energy[b] = self.energy[b] * d + self.frame_energy[b];
            self.count[b] = self.count[b] * d + self.frame_count[b];
        }
        self.frame_energy = [0.0; POLAR_BINS];
        self.frame_count = [0.0; POLAR_BINS];
        self.frame_samples = 0;
    }

    /// Each direction's level (RMS radius in scope units; 0 where too few samples lie), from
    /// the right (0 degrees) to the left (180).
    pub fn levels(&self) -> [f32; POLAR_BINS] {
        let total: f64 = self.count.iter().sum();
        std::array::from_fn(|b| {
            if total <= 0.0 || self.count[b] < MIN_SHARE * total {
                0.0
            } else {
                (self.energy[b] / self.count[b]).sqrt() as f32
            }
        })
    }

    /// Forgets the window.
    pub fn reset(&mut self) {
        self.energy = [0.0; POLAR_BINS];
        self.count = [0.0; POLAR_BINS];
        self.frame_energy = [0.0; POLAR_BINS];
        self.frame_count = [0.0; POLAR_BINS];
        self.frame_samples = 0;
    }

    /// Appends the rays as points in scope units to `out`: for each direction with a level,
    /// from the centre out to the level at the direction's middle and back.
    pub fn rays(&self, out: &mut Vec<XYSample>) {
        for (b, level) in self.levels().into_iter().enumerate() {
            if level <= 0.0 {
                continue;
            }
            let level = level.min(1.0);
            let angle = (b as f32 + 0.5) / POLAR_BINS as f32 * std::f32::consts::PI;
            let (dy, dx) = angle.sin_cos();
            let n = ((level * RAY_POINTS_PER_UNIT) as usize).max(2);
            let at = |i: usize| {
                let r = level * i as f32 / n as f32;
                XYSample::new(dx * r, dy * r)
            };
            out.extend((0..=n).map(at));
            out.extend((0..n).rev().map(at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direction_of(levels: &[f32; POLAR_BINS]) -> Vec<f32> {
        levels
            .iter()
            .enumerate()
            .filter(|(_, &l)| l > 0.0)
            .map(|(b, _)| (b as f32 + 0.5) * 180.0 / POLAR_BINS as f32)
            .collect()
    }

    fn feed(view: &mut PolarLevel, f: impl Fn(f32) -> XYSample) {
        for frame in 0..30 {
            for i in 0..800 {
                view.add(f((frame * 800 + i) as f32 * 0.05));
            }
            view.finish();
        }
    }

    #[test]
    fn samples_land_by_stereo_position() {
        let (mono, turned) = polar_point(XYSample::new(-0.5, -0.5));
        assert!(turned && mono[0].abs() < 1e-6 && (mono[1] - 0.5).abs() < 1e-6, "{mono:?}");
        let (left, _) = polar_point(XYSample::new(0.8, 0.0));
        assert!(left[0] < 0.0 && (left[0] + left[1]).abs() < 1e-6, "left only is up-left: {left:?}");
        let (right, _) = polar_point(XYSample::new(0.0, -0.8));
        assert!(right[0] > 0.0 && (right[0] - right[1]).abs() < 1e-6, "right only is up-right: {right:?}");
        let (anti, _) = polar_point(XYSample::new(0.6, -0.6));
        assert!(anti[1].abs() < 1e-6 && (anti[0] + 0.6).abs() < 1e-6, "anti-phase on the base: {anti:?}");
    }

    #[test]
    fn mono_anti_phase_and_one_side_give_one_ray_each_way() {
        let mut mono = PolarLevel::new(48_000.0);
        feed(&mut mono, |t| XYSample::new(0.8 * t.sin(), 0.8 * t.sin()));
        let up = direction_of(&mono.levels());
        assert!(!up.is_empty() && up.iter().all(|d| (d - 90.0).abs() < 5.0), "{up:?}");
        // A sine of amplitude 0.8 in mono: RMS radius 0.8 / sqrt(2).
        let up = mono.levels().into_iter().fold(0.0f32, f32::max);
        assert!((up - 0.8 / 2f32.sqrt()).abs() < 0.01, "{up}");

        let mut left = PolarLevel::new(48_000.0);
        feed(&mut left, |t| XYSample::new(0.8 * t.sin(), 0.0));
        assert_eq!(direction_of(&left.levels()), [137.5]);

        let mut anti = PolarLevel::new(48_000.0);
        feed(&mut anti, |t| XYSample::new(0.8 * t.sin(), -0.8 * t.sin()));
        assert_eq!(direction_of(&anti.levels()), [2.5, 177.5]);

        // Rays: from the centre out to the level and back, in the direction.
        let mut out = Vec::new();
        left.rays(&mut out);
        let tip = out.iter().max_by(|a, b| a.x.hypot(a.y).total_cmp(&b.x.hypot(b.y))).unwrap();
        assert!(tip.x < 0.0 && tip.y > 0.0 && (tip.x.hypot(tip.y) - left.levels()[27]).abs() < 1e-3, "{tip:?}");
        assert_eq!(out.first(), Some(&XYSample::new(0.0, 0.0)));
        assert_eq!(out.last(), Some(&XYSample::new(0.0, 0.0)));
    }

    #[test]
    fn the_window_forgets_an_old_direction() {
        let mut view = PolarLevel::new(48_000.0);
        feed(&mut view, |t| XYSample::new(0.8 * t.sin(), 0.0));
        feed(&mut view, |t| XYSample::new(0.0, 0.8 * t.sin()));
        // 0.5 s of right only after left only: left's share is e^(-0.5 / 0.3) of the window's
        // older part, still drawn; after 2 s more it is gone.
        for _ in 0..4 {
            feed(&mut view, |t| XYSample::new(0.0, 0.8 * t.sin()));
        }
        assert_eq!(direction_of(&view.levels()), [47.5]);
        view.reset();
        assert_eq!(direction_of(&view.levels()), Vec::<f32>::new());
    }
}
