//! Pure signal code: no web, no threads. Everything here is tested natively.

use crate::sample::XYSample;

/// Interleaves planar left/right channels into XY samples, replacing any NaN or infinite value
/// with 0 so that nothing downstream (meters, geometry, the GPU) ever sees one. Writes
/// `left.len()` samples and returns how many values were replaced. `right` must be as long as
/// `left`; for a mono input pass the same slice twice.
///
/// # Panics
/// If `right` or `out` is shorter than `left`.
#[inline]
pub fn interleave_finite(left: &[f32], right: &[f32], out: &mut [XYSample]) -> u32 {
    let n = left.len();
    let (right, out) = (&right[..n], &mut out[..n]);
    let mut replaced = 0;
    for ((o, &l), &r) in out.iter_mut().zip(left).zip(right) {
        let (x, y) = (finite_or_zero(l), finite_or_zero(r));
        replaced += u32::from(x.to_bits() != l.to_bits()) + u32::from(y.to_bits() != r.to_bits());
        *o = XYSample { x, y };
    }
    replaced
}

#[inline]
fn finite_or_zero(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaves_and_counts_non_finite() {
        let left = [0.5, f32::NAN, -0.25, f32::INFINITY];
        let right = [0.1, 0.2, f32::NEG_INFINITY, f32::NAN];
        let mut out = [XYSample::default(); 4];
        assert_eq!(interleave_finite(&left, &right, &mut out), 4);
        assert_eq!(
            out,
            [
                XYSample::new(0.5, 0.1),
                XYSample::new(0.0, 0.2),
                XYSample::new(-0.25, 0.0),
                XYSample::new(0.0, 0.0)
            ]
        );
    }

    #[test]
    fn finite_input_passes_unchanged_including_negative_zero() {
        let left = [-0.0, 1.0, f32::MAX, f32::MIN_POSITIVE];
        let mut out = [XYSample::default(); 4];
        assert_eq!(interleave_finite(&left, &left, &mut out), 0);
        assert_eq!(out[0].x.to_bits(), (-0.0f32).to_bits());
        assert_eq!(out[2], XYSample::new(f32::MAX, f32::MAX));
    }
}
