//! The signal chain's main-thread work per animation frame, natively: 800 samples (one 60 Hz
//! frame at 48 kHz) of a music-like stereo signal measured by the meters (correlation, balance,
//! width, peaks, RMS, true peak, loudness) and passed through the display chain (DC block and
//! auto-gain on, upsampling by 1, 4 or 8), and the polar level's rays. Each iteration is one
//! frame; divide by 800 for the cost per sample. The display rows run `ChainBench`, which the
//! bench page times as wasm.
//!
//! `cargo bench --bench chain`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use vectorscope::sample::XYSample;
use vectorscope::signal::chord::chord;
use vectorscope::signal::meters::Meters;
use vectorscope::web::chain_bench::{ChainBench, FRAME};

fn chain(c: &mut Criterion) {
    // A second of audio, read a frame at a time round and round: the filters see a stream.
    let signal: Vec<XYSample> = (0..48_000).map(|i| chord(i, 48_000.0)).collect();
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
        let mut frame = ChainBench::new(factor, rays);
        g.bench_function(format!("meters and display {name}, 800 samples"), |b| b.iter(|| black_box(frame.frame())));
    }
    g.finish();
}

criterion_group!(benches, chain);
criterion_main!(benches);
