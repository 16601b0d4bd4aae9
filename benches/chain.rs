//! The signal chain's main-thread work per animation frame, natively: 800 samples (one 60 Hz
//! frame at 48 kHz) of a music-like stereo signal measured by the meters (correlation, balance,
//! width, peaks, RMS, true peak, loudness) and passed through the display chain (DC block and
//! auto-gain on, upsampling by 1, 4 or 8), and the polar level's rays. Each iteration is one
//! frame; divide by 800 for the cost per sample. The browser runs the same code as wasm, slower
//! by a factor the bench page's `main-thread ms` column shows.
//!
//! `cargo bench --bench chain`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vectorscope::sample::XYSample;
use vectorscope::signal::display::DisplayChain;
use vectorscope::signal::meters::Meters;

/// Samples per frame: 48 kHz at 60 frames per second.
const FRAME: usize = 800;

/// `n` samples of a chord with a little stereo spread, as music-like as a formula gets.
fn music(n: usize) -> Vec<XYSample> {
    let tone = |i: usize, f: f32, phase: f32| (i as f32 * f * std::f32::consts::TAU / 48_000.0 + phase).sin();
    (0..n)
        .map(|i| {
            let l = 0.3 * tone(i, 110.0, 0.0) + 0.2 * tone(i, 277.2, 0.4) + 0.1 * tone(i, 1318.5, 1.0);
            let r = 0.3 * tone(i, 110.0, 0.2) + 0.2 * tone(i, 277.2, 0.0) + 0.1 * tone(i, 1661.2, 0.3);
            XYSample::new(l, r)
        })
        .collect()
}

fn chain(c: &mut Criterion) {
    // A second of audio, read a frame at a time round and round: the filters see a stream.
    let signal = music(48_000);
    let frames: Vec<&[XYSample]> = signal.chunks_exact(FRAME).collect();
    let mut g = c.benchmark_group("chain");
    g.throughput(Throughput::Elements(FRAME as u64));
    let mut meters = Meters::new(48_000.0);
    let mut i = 0;
    g.bench_function("meters, 800 samples", |b| {
        b.iter(|| {
            i = (i + 1) % frames.len();
            meters.add(black_box(frames[i]));
            black_box(meters.reading().momentary)
        })
    });
    for (name, factor, rays) in [("x1", 1, false), ("x4", 4, false), ("x8", 8, false), ("polar level rays", 1, true)] {
        let mut meters = Meters::new(48_000.0);
        let mut display = DisplayChain::new(48_000.0);
        display.set_upsample(factor);
        display.set_rays(rays);
        display.set_dc_block(true);
        display.set_auto_gain(true);
        let mut now = 0.0;
        g.bench_function(format!("meters and display {name}, 800 samples"), |b| {
            b.iter(|| {
                i = (i + 1) % frames.len();
                now += 16.7;
                meters.add(black_box(frames[i]));
                black_box(meters.reading().momentary);
                black_box(display.process([frames[i], &[]], false, now).samples.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, chain);
criterion_main!(benches);
