//! The user's settings as the renderer applies them: their defaults, what each setter accepts (a
//! value out of range is clamped; one that makes no sense, such as NaN, leaves the setting as it
//! was, except a colour's channel, which counts as 0), and what they mean for the light: the most
//! a pixel can hold, and so how long light stays visible. Plain data, so it is tested natively;
//! the renderer's JavaScript setters call it.

use crate::render::light::fade_out_ms;
use crate::render::projection::Mode;

/// Light per segment at intensity 1 and 48 kHz (a longer sample period deposits more).
pub(crate) const BASE_INTENSITY: f32 = 2.5;
/// Glow at setting 1: the blurred light added to the light (the blur spreads a line over about
/// five times its width, so the halo peaks near a sixth of the line's own light).
pub(crate) const GLOW_GAIN: f32 = 0.8;

/// The beam's colour until the page sends one: the element's default `#26ff6e` (the `color`
/// setting of `www/element/settings.js`) as sRGB from 0 to 1, the model every colour is given in.
const DEFAULT_COLOR: [f32; 3] = [38.0 / 255.0, 1.0, 110.0 / 255.0];

/// The user's settings, as the renderer applies them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) mode: Mode,
    pub(crate) gain: f32,
    pub(crate) persistence_ms: f32,
    pub(crate) intensity: f32,
    pub(crate) color: [f32; 3],
    pub(crate) spot_px: f32,
    pub(crate) exposure: f32,
    pub(crate) graticule: f32,
    pub(crate) glow: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Xy,
            gain: 1.0,
            persistence_ms: 60.0,
            intensity: 1.0,
            color: DEFAULT_COLOR,
            spot_px: 1.6,
            exposure: 1.6,
            graticule: 0.35,
            glow: 0.0,
        }
    }
}

impl Settings {
    /// The most light one pixel of the accumulation can hold: a beam resting on one point adds
    /// each sample's peak density, `BASE_INTENSITY * intensity * (48 kHz / rate) / (2 pi)`, at
    /// `rate / 1000` samples per ms (so `48 * BASE_INTENSITY * intensity / (2 pi)` per ms at any
    /// rate), which the decay holds below `tau + dt` times that (dt: the frame's length, 100 ms
    /// allowed); the glow adds at most `GLOW_GAIN * glow` times as much again.
    fn peak_light(&self) -> f32 {
        let per_ms = 48.0 * BASE_INTENSITY * self.intensity / std::f32::consts::TAU;
        per_ms * (self.persistence_ms.max(0.0) + 100.0) * (1.0 + GLOW_GAIN * self.glow)
    }

    /// How long after the beam leaves a pixel its light can still be seen
    /// ([`fade_out_ms`](crate::render::light::fade_out_ms) of the brightest it can be): until
    /// then a tile is faded and drawn, and an idle renderer keeps drawing.
    pub(crate) fn fade_out_ms(&self) -> f64 {
        fade_out_ms(self.persistence_ms, self.peak_light(), self.exposure)
    }

    /// The display mode (see [`Mode::parse`]).
    pub(crate) fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    /// Linear gain applied to the samples; kept only if finite and positive.
    pub(crate) fn set_gain(&mut self, gain: f32) {
        if gain.is_finite() && gain > 0.0 {
            self.gain = gain;
        }
    }

    /// Persistence tau in ms; kept only if finite and not negative (0: none).
    pub(crate) fn set_persistence(&mut self, ms: f32) {
        if ms.is_finite() && ms >= 0.0 {
            self.persistence_ms = ms;
        }
    }

    /// Beam intensity; kept only if finite and not negative.
    pub(crate) fn set_intensity(&mut self, intensity: f32) {
        if intensity.is_finite() && intensity >= 0.0 {
            self.intensity = intensity;
        }
    }

    /// Beam colour, each channel clamped to 0 to 1 (not finite: 0); a colour whose brightest
    /// channel is under 0.2 becomes grey 0.2.
    pub(crate) fn set_color(&mut self, r: f32, g: f32, b: f32) {
        let c = [r, g, b].map(|v| if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 });
        let peak = c[0].max(c[1]).max(c[2]);
        self.color = if peak < 0.2 { [0.2, 0.2, 0.2] } else { c };
    }

    /// Spot sigma in CSS pixels, clamped to 0.3 to 20; kept only if finite and positive.
    pub(crate) fn set_spot_size(&mut self, px: f32) {
        if px.is_finite() && px > 0.0 {
            self.spot_px = px.clamp(0.3, 20.0);
        }
    }

    /// Tone-mapping exposure; kept only if finite and positive.
    pub(crate) fn set_exposure(&mut self, exposure: f32) {
        if exposure.is_finite() && exposure > 0.0 {
            self.exposure = exposure;
        }
    }

    /// Graticule opacity, clamped to 0 to 1; kept only if finite.
    pub(crate) fn set_graticule(&mut self, opacity: f32) {
        if opacity.is_finite() {
            self.graticule = opacity.clamp(0.0, 1.0);
        }
    }

    /// Glow, clamped to 0 to 1; kept only if finite.
    pub(crate) fn set_glow(&mut self, glow: f32) {
        if glow.is_finite() {
            self.glow = glow.clamp(0.0, 1.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every numeric setting, as a comparable list.
    fn numbers(s: &Settings) -> [f32; 10] {
        let [r, g, b] = s.color;
        [s.gain, s.persistence_ms, s.intensity, r, g, b, s.spot_px, s.exposure, s.graticule, s.glow]
    }

    #[test]
    fn setters_ignore_values_that_make_no_sense() {
        let mut s = Settings::default();
        let before = numbers(&s);
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            s.set_gain(bad);
            s.set_persistence(bad);
            s.set_intensity(bad);
            s.set_spot_size(bad);
            s.set_exposure(bad);
            s.set_graticule(bad);
            s.set_glow(bad);
        }
        s.set_gain(0.0);
        s.set_gain(-2.0);
        s.set_persistence(-1.0);
        s.set_intensity(-0.5);
        s.set_spot_size(0.0);
        s.set_exposure(0.0);
        assert_eq!(numbers(&s), before);
        // A persistence of 0 (none) and an intensity of 0 are settings, not mistakes.
        s.set_persistence(0.0);
        s.set_intensity(0.0);
        assert_eq!((s.persistence_ms, s.intensity), (0.0, 0.0));
        assert_eq!(s.fade_out_ms(), 50.0);
    }

    #[test]
    fn setters_clamp_into_range_and_lift_dark_colours() {
        let mut s = Settings::default();
        s.set_spot_size(100.0);
        s.set_graticule(3.0);
        s.set_glow(-1.0);
        assert_eq!((s.spot_px, s.graticule, s.glow), (20.0, 1.0, 0.0));
        s.set_color(2.0, f32::NAN, 0.5);
        assert_eq!(s.color, [1.0, 0.0, 0.5]);
        s.set_color(0.1, 0.05, f32::NAN);
        assert_eq!(s.color, [0.2, 0.2, 0.2]);
        assert_eq!(Mode::parse("ms"), Mode::MidSide);
        assert_eq!(Mode::parse("polar"), Mode::PolarSample);
        assert_eq!(Mode::parse("polar-level"), Mode::PolarLevel);
        assert_eq!(Mode::parse("anything else"), Mode::Xy);
    }
}
