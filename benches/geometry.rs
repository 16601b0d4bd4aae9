//! The renderer's main-thread work per frame, natively: the bench page's figure (a slowly
//! turning 3:2 Lissajous, 7 turns per frame, at 800x800 and the default 1.6 px spot) turned into
//! quads (`build_quads`: segments, mitred joints, runs) and the lit tiles marked and merged into
//! rectangles (`LitTiles`), for 1,000, 4,096 and 10,000 segments per frame. Each iteration is one
//! frame; divide by the segment count for the cost per segment. The browser runs the same code
//! as wasm, slower by a factor the bench page's `main-thread ms` column shows.
//!
//! `cargo bench --bench geometry`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vectorscope::render::beam::geometry::build_quads;
use vectorscope::render::beam::vertex::Quads;
use vectorscope::render::projection::{Mode, Viewport};
use vectorscope::render::tiles::LitTiles;
use vectorscope::sample::XYSample;

/// `n + 1` samples of `www/bench.js`'s figure: `n` segments.
fn figure(n: usize) -> Vec<XYSample> {
    (0..=n)
        .map(|i| {
            let t = i as f32 / n as f32 * std::f32::consts::TAU * 7.0;
            XYSample::new(0.8 * (3.0 * t).sin(), 0.8 * (2.0 * t + 0.3).sin())
        })
        .collect()
}

fn geometry(c: &mut Criterion) {
    let vp = Viewport { width: 800.0, height: 800.0 };
    let mut g = c.benchmark_group("geometry");
    for n in [1000, 4096, 10_000] {
        let samples = figure(n);
        let mut quads = Quads::default();
        let mut tiles = LitTiles::new(800, 800);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("build_quads, {n} segments"), |b| {
            b.iter(|| {
                quads.clear();
                black_box(build_quads(black_box(&samples), None, Mode::Xy, 1.0, 1.6, &vp, &mut quads));
            })
        });
        let mut now = 0.0;
        g.bench_function(format!("lit tiles: mark and rects, {n} segments"), |b| {
            b.iter(|| {
                now += 16.7;
                tiles.mark(&quads.lone, now);
                tiles.mark(&quads.runs, now);
                black_box(tiles.rects(now, 530.0).len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, geometry);
criterion_main!(benches);
