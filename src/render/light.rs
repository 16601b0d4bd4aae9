//! The light over time and on screen: persistence, `exp(-dt / tau)` per frame at any frame rate
//! ([`decay_factor`]); the [`LightGain`] that lets most frames skip the decay pass; tone mapping
//! ([`tone_map`], as `composite.wgsl` does it); and how long light stays visible after the beam
//! leaves ([`fade_out_ms`]), which bounds the lit tiles' lifetime and the renderer's idle frames.

/// Persistence without fading the whole accumulation every frame. Instead of multiplying the
/// stored light by each frame's decay factor `d`, the renderer multiplies new light by a gain `g`
/// that grows by `1 / d` every frame, and divides what it reads by `g`: stored = light * g, so
/// light fades exactly, everywhere, with no pass at all. Once `g` would pass `e^MAX_LOG` (or `d`
/// is 0), one pass multiplies everything stored by `d / g` and `g` starts again at 1. Needs
/// stored values up to `e^20` times the light: `r32float` only (a half float's range is 65504).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LightGain {
    /// `ln g`.
    log: f64,
}

impl LightGain {
    /// The largest `ln g` before the stored light is rescaled: `g` up to 4.9e8, so light up to
    /// 1e30 fits in an f32; at 60 ms persistence, one rescale every 1.2 s.
    pub const MAX_LOG: f64 = 20.0;

    /// `g`: what new light is multiplied by, and what the stored light is divided by when read.
    pub fn gain(&self) -> f32 {
        self.log.exp() as f32
    }

    /// A frame whose light decays by `decay` (0 to 1). `Some(factor)`: this frame the stored light
    /// must be multiplied by `factor` (all of it; 0: cleared), after which the gain is 1.
    pub fn advance(&mut self, decay: f32) -> Option<f32> {
        let next = if decay > 0.0 { self.log - f64::from(decay).ln() } else { f64::INFINITY };
        if next <= Self::MAX_LOG {
            self.log = next;
            return None;
        }
        self.log = 0.0;
        Some((-next).exp() as f32)
    }

    /// Stops scaling: the factor (`1 / g`) that turns the stored light back into light; the gain
    /// is 1 after.
    pub fn reset(&mut self) -> f32 {
        let f = (-self.log).exp() as f32;
        self.log = 0.0;
        f
    }
}

/// The factor the accumulated light keeps after `dt_ms` with persistence `tau_ms`:
/// `exp(-dt / tau)`, so the look is the same at any frame rate; 0 (no persistence) for `tau <= 0`.
pub fn decay_factor(dt_ms: f32, tau_ms: f32) -> f32 {
    if tau_ms <= 0.0 || !tau_ms.is_finite() {
        return 0.0;
    }
    let dt = if dt_ms.is_finite() { dt_ms.max(0.0) } else { 0.0 };
    (-dt / tau_ms).exp()
}

/// Tone mapping from accumulated light to display: `1 - exp(-exposure * light)`.
pub fn tone_map(light: f32, exposure: f32) -> f32 {
    1.0 - (-exposure * light).exp()
}

/// Brightness that cannot be seen: under a quarter of one step at 8 bits per channel.
pub const INVISIBLE: f32 = 1.0 / 1024.0;

/// How long light takes to fade out of sight after the beam leaves, in ms: `peak_light` (the
/// most light a pixel can hold) decays by `exp(-t / tau)` until [`tone_map`] shows less than
/// [`INVISIBLE`], plus 50 ms for the frame in flight. Without persistence (tau <= 0, or not
/// finite, as in [`decay_factor`]) light lasts one frame: 50 ms.
pub fn fade_out_ms(persistence_ms: f32, peak_light: f32, exposure: f32) -> f64 {
    let tau = f64::from(persistence_ms);
    if tau <= 0.0 || !tau.is_finite() {
        return 50.0;
    }
    // tone_map(x) <= exposure * x, so exposure * light <= INVISIBLE is enough.
    let ratio = f64::from(exposure) * f64::from(peak_light) / f64::from(INVISIBLE);
    // NaN (bad settings) counts as 1: at most the 50 ms.
    tau * ratio.max(1.0).ln() + 50.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_light_fades_like_faded_light() {
        // One pixel: the true light (f64, faded by d every frame) against the stored one (f32,
        // scaled by the gain, rescaled when LightGain says), over frames of varied length,
        // including a cleared one (d = 0), a very long one and NaN.
        let mut gain = LightGain::default();
        let (mut light, mut stored) = (0.0f64, 0.0f32);
        let mut rescales = 0;
        for frame in 0..5000 {
            let decay = match frame {
                1000 => 0.0,
                2000 => 1e-30,
                3000 => f32::NAN,
                _ => decay_factor(8.0 + (frame % 7) as f32 * 5.0, 60.0),
            };
            if let Some(factor) = gain.advance(decay) {
                stored *= factor;
                rescales += 1;
            }
            let d = if decay > 0.0 { f64::from(decay) } else { 0.0 };
            let deposit = if frame % 50 < 10 { 3.0 } else { 0.0 };
            light = light * d + deposit;
            stored += deposit as f32 * gain.gain();
            assert!(gain.gain() >= 1.0 && f64::from(gain.gain()) <= LightGain::MAX_LOG.exp() * 1.001);
            let read = f64::from(stored / gain.gain());
            assert!((read - light).abs() <= 1e-5 * light.max(1e-3), "frame {frame}: {read} vs {light}");
        }
        // About every 20 tau (1.2 s) of frames averaging 23 ms, plus the three forced ones.
        assert!((60..=120).contains(&rescales), "{rescales} rescales");
        // Leaving scaling turns the stored light back into light.
        let f = gain.reset();
        assert!((f64::from(stored * f) - light).abs() <= 1e-5 * light.max(1e-3));
        assert_eq!(gain.gain(), 1.0);
    }

    #[test]
    fn light_is_invisible_after_its_fade_out_time_and_not_long_before() {
        for tau in [5.0f32, 60.0, 500.0, 5000.0] {
            for (peak, exposure) in [(1.0f32, 1.6f32), (1150.0, 1.6), (1e5, 50.0), (0.01, 1.0)] {
                let t = (fade_out_ms(tau, peak, exposure) - 50.0) as f32;
                let after = tone_map(peak * decay_factor(t, tau), exposure);
                assert!(after <= INVISIBLE, "tau {tau} peak {peak}: {after} left after {t} ms");
                // Tight: 10 % of tau earlier (when there was anything to see) it still shows.
                if tone_map(peak, exposure) > 2.0 * INVISIBLE {
                    let before = tone_map(peak * decay_factor(t - 0.1 * tau, tau), exposure);
                    assert!(before > INVISIBLE, "tau {tau} peak {peak}: only {before} at {t} - tau/10");
                }
            }
        }
        assert_eq!(fade_out_ms(0.0, 1e6, 2.0), 50.0);
        assert_eq!(fade_out_ms(f32::NAN, 1e6, 2.0), 50.0);
        assert_eq!(fade_out_ms(100.0, f32::NAN, 2.0), 50.0);
        assert!(fade_out_ms(100.0, f32::INFINITY, 2.0).is_infinite());
    }

    #[test]
    fn decay_is_frame_rate_independent() {
        assert_eq!(decay_factor(16.0, 0.0), 0.0);
        assert!((decay_factor(100.0, 100.0) - (-1.0f32).exp()).abs() < 1e-6);
        // 100 ms at 30, 60 or 144 Hz decays by the same amount.
        for hz in [30.0f32, 60.0, 144.0] {
            let frames = (0.1 * hz).round() as i32;
            let total = decay_factor(100.0 / frames as f32, 50.0).powi(frames);
            assert!((total - (-2.0f32).exp()).abs() < 1e-5, "{hz} Hz: {total}");
        }
        assert_eq!(decay_factor(f32::NAN, 50.0), 1.0);
    }

    #[test]
    fn tone_map_saturates_smoothly() {
        assert_eq!(tone_map(0.0, 2.0), 0.0);
        assert!(tone_map(1.0, 2.0) > tone_map(0.5, 2.0));
        assert!(tone_map(1e6, 2.0) <= 1.0);
    }
}
