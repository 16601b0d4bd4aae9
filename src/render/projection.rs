//! How samples map onto the canvas: the display [`Mode`] (XY, mid/side or the polar views)
//! turns a sample into a point in scope units ([`scope_point`]), and the [`Viewport`] places the scope's square on the
//! render target, in pixels and in clip space. The beam's quads and the graticule's marks are
//! both built on it.

use crate::sample::XYSample;
use crate::signal::polar::polar_point;

/// How samples map to the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// Left on x, right on y: a mono signal is the rising diagonal.
    #[default]
    Xy,
    /// Mid/side goniometer, rotated 45 degrees: mid `(L + R) / 2` up and side `(L - R) / 2`
    /// across, so mono is vertical, out of phase horizontal, left leans up-left and right
    /// up-right, and any pair of samples within full scale stays inside the unit circle (its
    /// radius is `sqrt((L² + R²) / 2)`).
    MidSide,
    /// Polar sample: each sample's mid/side point on the upper half-disc (angle = stereo
    /// position, radius = level; see [`polar_point`]). The trace breaks where a sample and the
    /// next lie on opposite halves before the turn, rather than crossing the disc.
    PolarSample,
    /// Polar level: the samples are already points in scope units (the display chain's rays).
    PolarLevel,
}

impl Mode {
    /// `"xy"`, `"ms"`, `"polar"` or `"polar-level"`; anything else is XY.
    pub fn parse(text: &str) -> Mode {
        match text {
            "ms" => Mode::MidSide,
            "polar" => Mode::PolarSample,
            "polar-level" => Mode::PolarLevel,
            _ => Mode::Xy,
        }
    }

    /// Whether the view is the upper half-disc.
    pub fn is_polar(self) -> bool {
        matches!(self, Mode::PolarSample | Mode::PolarLevel)
    }
}

/// The point for one sample in scope units (`[-1, 1]` fills the scope's square) after `gain`.
#[inline]
pub fn scope_point(s: XYSample, mode: Mode, gain: f32) -> [f32; 2] {
    match mode {
        Mode::Xy => [s.x * gain, s.y * gain],
        Mode::MidSide => {
            let k = gain * 0.5;
            [(s.y - s.x) * k, (s.x + s.y) * k]
        }
        Mode::PolarSample => {
            let ([x, y], _) = polar_point(s);
            [x * gain, y * gain]
        }
        Mode::PolarLevel => [s.x * gain, s.y * gain],
    }
}

/// The render target's geometry: size in pixels and the scope's square inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Width in pixels.
    pub width: f32,
    /// Height in pixels.
    pub height: f32,
}

impl Viewport {
    /// Pixels per scope unit: the scope's square is the largest centred square, with a margin.
    pub fn scale(&self) -> f32 {
        0.5 * self.width.min(self.height) * 0.94
    }

    /// A scope point in pixels, origin at the top-left, y down.
    pub fn to_pixels(&self, p: [f32; 2]) -> [f32; 2] {
        let k = self.scale();
        [0.5 * self.width + p[0] * k, 0.5 * self.height - p[1] * k]
    }

    /// A pixel position in clip space.
    pub fn to_clip(&self, px: [f32; 2]) -> [f32; 2] {
        [2.0 * px[0] / self.width - 1.0, 1.0 - 2.0 * px[1] / self.height]
    }

    /// A clip-space position in pixels: the inverse of [`to_clip`](Self::to_clip).
    pub fn from_clip(&self, clip: [f32; 2]) -> [f32; 2] {
        [(clip[0] + 1.0) * 0.5 * self.width, (1.0 - clip[1]) * 0.5 * self.height]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_side_rotates_by_45_degrees() {
        let mono = scope_point(XYSample::new(0.5, 0.5), Mode::MidSide, 1.0);
        assert!(mono[0].abs() < 1e-6 && (mono[1] - 0.5).abs() < 1e-6, "mono is vertical: {mono:?}");
        let anti = scope_point(XYSample::new(0.5, -0.5), Mode::MidSide, 1.0);
        assert!(anti[1].abs() < 1e-6 && (anti[0] + 0.5).abs() < 1e-6, "out of phase is horizontal: {anti:?}");
        let left = scope_point(XYSample::new(0.5, 0.0), Mode::MidSide, 1.0);
        assert!(left[0] < 0.0 && left[1] > 0.0, "left leans up-left");
        let right = scope_point(XYSample::new(0.0, 0.5), Mode::MidSide, 1.0);
        assert!(right[0] > 0.0 && right[1] > 0.0, "right leans up-right");
        assert_eq!(scope_point(XYSample::new(0.5, 0.25), Mode::Xy, 2.0), [1.0, 0.5]);
        // Radius sqrt((L² + R²) / 2): the rotation by 45 degrees, scaled by 1/sqrt(2).
        let p = scope_point(XYSample::new(0.3, -0.7), Mode::MidSide, 1.0);
        assert!(((p[0] * p[0] + p[1] * p[1]) - (0.09 + 0.49) / 2.0).abs() < 1e-6);
    }

    #[test]
    fn mid_side_keeps_full_scale_inside_the_circle() {
        // Every pair of samples within full scale, on a 0.01 grid, and the corners: mono and
        // anti-phase at full scale reach the circle exactly.
        let mut widest = 0.0f32;
        for i in -100..=100 {
            for j in -100..=100 {
                let p = scope_point(XYSample::new(i as f32 / 100.0, j as f32 / 100.0), Mode::MidSide, 1.0);
                widest = widest.max(p[0].hypot(p[1]));
            }
        }
        assert!((widest - 1.0).abs() < 1e-6, "widest radius {widest}");
        let mono = scope_point(XYSample::new(0.99, 0.99), Mode::MidSide, 1.0);
        assert!((mono[1] - 0.99).abs() < 1e-6 && mono[0].abs() < 1e-6, "{mono:?}");
    }
}
