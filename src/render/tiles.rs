//! Which parts of the canvas hold light. A scope's trace covers a fraction of the canvas (a
//! Lissajous figure about a third of it, a mono signal a thin diagonal), yet the decay and
//! composite passes cost the same for every pixel they cover, and in software rendering the
//! composite's full-screen read is the largest fixed cost of a frame. So the canvas is cut into
//! [`TILE_PX`]-pixel tiles; every frame marks the tiles its beam quads touch, and the decay and
//! composite passes cover only the tiles lit within the time the trace takes to fade out (merged
//! into one rectangle per run of tiles in a row). Elsewhere the accumulation holds at most a
//! fade-out's remainder of the light, which tone-maps to black, and the canvas shows only the
//! graticule, as it would anyway.

use crate::render::beam::vertex::QuadCorner;

/// The side of a tile in pixels (approximately: the canvas is cut into whole tiles).
pub const TILE_PX: u32 = 16;

/// A rectangle in clip space (min and max corners), drawn as two triangles.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClipRect {
    /// Lower-left corner in clip space.
    pub min: [f32; 2],
    /// Upper-right corner in clip space.
    pub max: [f32; 2],
}

impl ClipRect {
    /// The whole canvas.
    pub const FULL: ClipRect = ClipRect {
        min: [-1.0, -1.0],
        max: [1.0, 1.0],
    };

    /// Its two triangles' corners, in the order of `fullscreen.wgsl`'s vertices: (min, min),
    /// (max, min), (min, max), then (max, min), (min, max), (max, max).
    pub fn triangles(&self) -> [[f32; 2]; 6] {
        let ([x0, y0], [x1, y1]) = (self.min, self.max);
        [[x0, y0], [x1, y0], [x0, y1], [x1, y0], [x0, y1], [x1, y1]]
    }
}

/// The part of the canvas that `rects` (not overlapping) cover, 0 to 1.
pub fn canvas_fraction(rects: &[ClipRect]) -> f32 {
    // Clip space spans 2 x 2.
    rects.iter().map(|r| (r.max[0] - r.min[0]) * (r.max[1] - r.min[1])).sum::<f32>() / 4.0
}

/// The clip-space coordinate where tile `i`, of tiles `size` clip units wide, begins.
fn tile_edge(i: usize, size: f32) -> f32 {
    -1.0 + i as f32 * size
}

/// The time each tile of a canvas last received light, and the rectangles that cover the tiles
/// lit recently. Allocates only in [`new`](Self::new).
#[derive(Clone, Debug)]
pub struct LitTiles {
    cols: usize,
    rows: usize,
    /// Milliseconds (the renderer's clock) when each tile, row by row from clip y = -1, last
    /// received light; `-inf` for never.
    lit_at: Vec<f64>,
    rects: Vec<ClipRect>,
}

impl LitTiles {
    /// Tiles for a canvas of `width` x `height` pixels, none lit.
    pub fn new(width: u32, height: u32) -> Self {
        let cols = width.div_ceil(TILE_PX).max(1) as usize;
        let rows = height.div_ceil(TILE_PX).max(1) as usize;
        LitTiles {
            cols,
            rows,
            lit_at: vec![f64::NEG_INFINITY; cols * rows],
            // At most one run per two columns in each row (runs are separated by unlit tiles).
            rects: Vec::with_capacity(rows * cols.div_ceil(2)),
        }
    }

    /// Columns and rows of tiles.
    pub fn size(&self) -> (usize, usize) {
        (self.cols, self.rows)
    }

    /// The most rectangles [`rects`](Self::rects) can return (the size of `gpu::LitRects`).
    pub fn max_rects(&self) -> usize {
        self.rows * self.cols.div_ceil(2)
    }

    /// Marks every tile under the bounding box of each quad (4 corners each, as `build_quads`
    /// makes them) as lit at `now_ms`. Quads off the canvas, or with a non-finite corner, mark
    /// nothing.
    pub fn mark<V: QuadCorner>(&mut self, quads: &[V], now_ms: f64) {
        let (cols, rows) = (self.cols as f32, self.rows as f32);
        // Clamped to [0, n - 1] first, the cast's truncation is a floor (and costs no libm call).
        let index = |c: f32, n: f32| ((c + 1.0) * 0.5 * n).clamp(0.0, n - 1.0) as usize;
        let (w, h) = (2.0 / cols, 2.0 / rows);
        // Consecutive segments mostly lie in the tiles the last one marked (in clip space:
        // x0, x1, y0, y1): those are skipped.
        let mut marked = [f32::INFINITY, f32::NEG_INFINITY, f32::INFINITY, f32::NEG_INFINITY];
        for quad in quads.chunks_exact(4) {
            let (mut lo, mut hi) = (quad[0].clip(), quad[0].clip());
            let mut sum = 0.0;
            for v in quad {
                let [x, y] = v.clip();
                sum += x + y;
                // Selects, not branches: the corners' order is unpredictable.
                lo = [if x < lo[0] { x } else { lo[0] }, if y < lo[1] { y } else { lo[1] }];
                hi = [if x > hi[0] { x } else { hi[0] }, if y > hi[1] { y } else { hi[1] }];
            }
            // A NaN or infinite corner makes the sum non-finite (comparisons skip NaN).
            if !f32::is_finite(sum) || hi[0] < -1.0 || hi[1] < -1.0 || lo[0] > 1.0 || lo[1] > 1.0 {
                continue;
            }
            if lo[0] >= marked[0] && hi[0] < marked[1] && lo[1] >= marked[2] && hi[1] < marked[3] {
                continue;
            }
            let (c0, c1) = (index(lo[0], cols), index(hi[0], cols));
            let (r0, r1) = (index(lo[1], rows), index(hi[1], rows));
            marked = [tile_edge(c0, w), tile_edge(c1 + 1, w), tile_edge(r0, h), tile_edge(r1 + 1, h)];
            for r in r0..=r1 {
                self.lit_at[r * self.cols + c0..=r * self.cols + c1].fill(now_ms);
            }
        }
    }

    /// The rectangles covering every tile lit within the last `keep_ms` before `now_ms`: one per
    /// run of such tiles in a row.
    pub fn rects(&mut self, now_ms: f64, keep_ms: f64) -> &[ClipRect] {
        self.rects.clear();
        let (w, h) = (2.0 / self.cols as f32, 2.0 / self.rows as f32);
        for (r, row) in self.lit_at.chunks_exact(self.cols).enumerate() {
            let mut start = None;
            // One past the last column ends the row's last run.
            for (c, lit_at) in row.iter().map(Some).chain([None]).enumerate() {
                let lit = lit_at.is_some_and(|&t| now_ms - t <= keep_ms);
                match (lit, start) {
                    (true, None) => start = Some(c),
                    (false, Some(s)) => {
                        self.rects.push(ClipRect {
                            min: [tile_edge(s, w), tile_edge(r, h)],
                            max: [tile_edge(c, w), tile_edge(r + 1, h)],
                        });
                        start = None;
                    }
                    _ => {}
                }
            }
        }
        &self.rects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::beam::geometry::expand_segment;
    use crate::render::beam::vertex::BeamVertex;
    use crate::render::projection::Viewport;

    fn quads_for(segments: &[([f32; 2], [f32; 2])], sigma: f32, vp: &Viewport) -> Vec<BeamVertex> {
        segments
            .iter()
            .flat_map(|&(a, b)| expand_segment(a, b, sigma, vp))
            .collect()
    }

    /// A viewport and its tiles, none lit.
    fn canvas(width: u32, height: u32) -> (Viewport, LitTiles) {
        let vp = Viewport { width: width as f32, height: height as f32 };
        (vp, LitTiles::new(width, height))
    }

    /// Whether pixel `p` (origin top-left, y down) lies in one of `rects`.
    fn covered(rects: &[ClipRect], vp: &Viewport, p: [f32; 2]) -> bool {
        let c = vp.to_clip(p);
        rects
            .iter()
            .any(|r| r.min[0] <= c[0] && c[0] <= r.max[0] && r.min[1] <= c[1] && c[1] <= r.max[1])
    }

    #[test]
    fn the_rects_cover_every_quad_and_little_else() {
        let (vp, mut tiles) = canvas(800, 600);
        assert_eq!(tiles.size(), (800u32.div_ceil(TILE_PX) as usize, 600u32.div_ceil(TILE_PX) as usize));
        assert!(tiles.rects(0.0, 100.0).is_empty(), "nothing lit yet");
        // A short diagonal stroke and a dot.
        let segments = [
            ([100.0, 100.0], [180.0, 150.0]),
            ([600.0, 500.0], [600.0, 500.0]),
        ];
        let quads = quads_for(&segments, 2.0, &vp);
        tiles.mark(&quads, 10.0);
        let rects = tiles.rects(10.0, 100.0).to_vec();
        // Every quad corner and the points along the strokes are covered...
        for v in &quads {
            let px = [(v.clip[0] + 1.0) * 400.0, (1.0 - v.clip[1]) * 300.0];
            let inside = [px[0].clamp(0.0, 799.9), px[1].clamp(0.0, 599.9)];
            assert!(covered(&rects, &vp, inside), "corner {px:?} not covered");
        }
        for t in 0..=10 {
            let t = t as f32 / 10.0;
            assert!(covered(&rects, &vp, [100.0 + 80.0 * t, 100.0 + 50.0 * t]));
        }
        // ...and far from them nothing is: the middle of the canvas and the other corners.
        for p in [[400.0, 300.0], [700.0, 50.0], [50.0, 550.0]] {
            assert!(!covered(&rects, &vp, p), "{p:?} covered");
        }
        // Runs are merged: the stroke's bounding box is at most 4 tiles wide per row.
        let fraction = canvas_fraction(&rects);
        assert!(fraction < 0.05, "rects cover {fraction} of the canvas");
        assert!(rects.len() <= tiles.max_rects());
    }

    #[test]
    fn a_rect_is_two_triangles_that_tile_it() {
        let r = ClipRect { min: [-0.5, 0.25], max: [0.75, 1.0] };
        let t = r.triangles();
        let area = |a: [f32; 2], b: [f32; 2], c: [f32; 2]| {
            0.5 * ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs()
        };
        // Every corner is one of the rect's, each triangle is half of it, and they differ.
        for p in t {
            assert!((p[0] == r.min[0] || p[0] == r.max[0]) && (p[1] == r.min[1] || p[1] == r.max[1]));
        }
        let half = 0.5 * 1.25 * 0.75;
        assert!((area(t[0], t[1], t[2]) - half).abs() < 1e-6 && (area(t[3], t[4], t[5]) - half).abs() < 1e-6);
        assert!(t[..3].contains(&r.min) && t[3..].contains(&r.max));
        assert_eq!(canvas_fraction(&[r]), 1.25 * 0.75 / 4.0);
    }

    #[test]
    fn skipping_segments_inside_the_last_marked_tiles_marks_the_same_tiles() {
        // A circle of many short segments, partly off the canvas, marked in one call (which skips
        // quads inside the tiles the previous one marked) and quad by quad (which cannot skip).
        let (vp, mut at_once) = canvas(640, 480);
        let points: Vec<[f32; 2]> = (0..=3000)
            .map(|i| {
                let t = i as f32 / 3000.0 * std::f32::consts::TAU;
                [330.0 + 340.0 * t.cos(), 240.0 + 200.0 * t.sin()]
            })
            .collect();
        let segments: Vec<_> = points.windows(2).map(|w| (w[0], w[1])).collect();
        let quads = quads_for(&segments, 1.6, &vp);
        at_once.mark(&quads, 0.0);
        let mut one_by_one = LitTiles::new(640, 480);
        for quad in quads.chunks_exact(4) {
            one_by_one.mark(quad, 0.0);
        }
        let rects = at_once.rects(0.0, 1.0).to_vec();
        assert!(rects.len() >= 15, "{} rects", rects.len());
        assert_eq!(rects, one_by_one.rects(0.0, 1.0));
    }

    #[test]
    fn tiles_expire_after_the_fade_out_time() {
        let (vp, mut tiles) = canvas(256, 256);
        tiles.mark(
            &quads_for(&[([10.0, 10.0], [20.0, 12.0])], 1.6, &vp),
            1000.0,
        );
        tiles.mark(
            &quads_for(&[([200.0, 200.0], [210.0, 205.0])], 1.6, &vp),
            1500.0,
        );
        let both = tiles.rects(1600.0, 700.0).to_vec();
        assert!(covered(&both, &vp, [205.0, 202.0]) && covered(&both, &vp, [15.0, 11.0]));
        // 650 ms later the first stroke has faded out; the second is still within its time.
        let left = tiles.rects(1650.0, 600.0).to_vec();
        assert!(!left.is_empty() && left.len() < both.len());
        assert!(covered(&left, &vp, [205.0, 202.0]) && !covered(&left, &vp, [15.0, 11.0]));
    }

    #[test]
    fn off_canvas_and_non_finite_quads_mark_nothing_and_edges_clamp() {
        let (vp, mut tiles) = canvas(320, 320);
        let mut quads = quads_for(&[([-500.0, 100.0], [-400.0, 120.0])], 1.6, &vp);
        let mut bad = quads_for(&[([50.0, 50.0], [60.0, 60.0])], 1.6, &vp);
        bad[2].clip[0] = f32::NAN;
        quads.extend(bad);
        tiles.mark(&quads, 0.0);
        assert!(tiles.rects(0.0, 10.0).is_empty());
        // A stroke that leaves the canvas lights the edge tiles it crosses, and no more.
        tiles.mark(
            &quads_for(&[([300.0, 150.0], [900.0, 150.0])], 1.6, &vp),
            0.0,
        );
        let rects = tiles.rects(0.0, 10.0).to_vec();
        assert_eq!(rects.len(), 1);
        assert_eq!(rects[0].max[0], 1.0);
        assert!(covered(&rects, &vp, [319.0, 150.0]) && !covered(&rects, &vp, [250.0, 150.0]));
    }

    #[test]
    fn a_full_row_of_lit_tiles_is_one_rect_and_gaps_split_runs() {
        let (vp, mut tiles) = canvas(320, 64);
        // Lights every column of the top row (pixels y < TILE_PX; its quad spans y 8.25..11.75).
        tiles.mark(&quads_for(&[([1.0, 10.0], [318.0, 10.0])], 0.5, &vp), 0.0);
        let rects = tiles.rects(0.0, 1.0).to_vec();
        assert_eq!(
            rects,
            vec![ClipRect {
                min: [-1.0, 1.0 - 2.0 * TILE_PX as f32 / 64.0],
                max: [1.0, 1.0]
            }]
        );
        // Two dots far apart in the bottom row: two runs.
        tiles.mark(
            &quads_for(
                &[([40.0, 50.0], [40.0, 50.0]), ([280.0, 50.0], [280.0, 50.0])],
                0.5,
                &vp,
            ),
            5.0,
        );
        assert_eq!(tiles.rects(5.0, 1.0).len(), 2);
        assert_eq!(tiles.rects(5.0, 10.0).len(), 3);
    }
}
