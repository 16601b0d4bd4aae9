//! The sample ring's cost per sample, uncontended, on one thread: the seed's per-sample
//! push/pop (verbatim, and with this ring's single-writer counters), this project's 128-frame
//! `push_slice` with `read_newest` (the renderer's path: read in place) and with `drain` (a copy
//! into a snapshot, the JS API's path), a floor (one `memcpy` of the block, the least any ring
//! must do) and a `Mutex<VecDeque>` baseline.
//! Each iteration moves one 128-frame block in and out; criterion reports time per block and
//! samples per second (divide the time by 128 for ns per sample).
//!
//! `cargo bench --bench ring`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::collections::VecDeque;
use std::hint::black_box;
use ringbuf::traits::{Consumer, Producer, Split};
use ringbuf::HeapRb;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use vectorscope::ring::{capacity_for_rate, sample_ring};
use vectorscope::sample::{XYSample, QUANTUM};

fn block() -> [XYSample; QUANTUM] {
    std::array::from_fn(|i| XYSample::new((i as f32).sin(), (i as f32).cos()))
}

fn ring(c: &mut Criterion) {
    let input = block();
    let capacity = capacity_for_rate(48_000.0);
    let mut g = c.benchmark_group("ring");
    g.throughput(Throughput::Elements(QUANTUM as u64));

    g.bench_function("seed verbatim: try_push + fetch_add, try_pop", |b| {
        // The seed's SampleProducer::push and SampleConsumer::update, as written there.
        let (mut p, mut c) = HeapRb::<XYSample>::new(capacity).split();
        let written = AtomicU64::new(0);
        b.iter(|| {
            for s in black_box(&input) {
                let _ = p.try_push(*s);
                written.fetch_add(1, Ordering::Relaxed);
            }
            let mut acc = 0.0;
            while let Some(s) = c.try_pop() {
                acc += s.x;
            }
            black_box(acc)
        })
    });

    g.bench_function("per-sample push+pop (this ring's counters)", |b| {
        let (mut p, mut c) = sample_ring(capacity);
        b.iter(|| {
            for s in black_box(&input) {
                p.push(*s);
            }
            let mut acc = 0.0;
            while let Some(s) = c.pop() {
                acc += s.x;
            }
            black_box(acc)
        })
    });

    g.bench_function("push_slice+drain, 128-frame block", |b| {
        let (mut p, mut c) = sample_ring(capacity);
        b.iter(|| {
            p.push_slice(black_box(&input));
            black_box(c.drain().len())
        })
    });

    g.bench_function("push_slice+read_newest (in place), 128-frame block", |b| {
        let (mut p, mut c) = sample_ring(capacity);
        b.iter(|| {
            p.push_slice(black_box(&input));
            // The reader gets the samples where they lie (as the renderer does).
            c.read_newest(capacity, |_, older, newer| {
                black_box(older);
                black_box(newer);
            })
        })
    });

    g.bench_function("floor: one memcpy of the block", |b| {
        // Into a buffer as large as the ring, moving along it as the ring's write index does.
        let mut storage = vec![XYSample::default(); capacity];
        let mut at = 0;
        b.iter(|| {
            storage[at..at + QUANTUM].copy_from_slice(black_box(&input));
            at = (at + QUANTUM) % (capacity - QUANTUM + 1);
            black_box(&storage[at]);
        })
    });

    g.bench_function("Mutex<VecDeque> baseline", |b| {
        let q = Mutex::new(VecDeque::with_capacity(capacity));
        let mut out = vec![XYSample::default(); QUANTUM];
        b.iter(|| {
            q.lock().unwrap().extend(black_box(&input).iter().copied());
            let mut guard = q.lock().unwrap();
            for (o, s) in out.iter_mut().zip(guard.drain(..)) {
                *o = s;
            }
            drop(guard);
            black_box(out[0])
        })
    });
    g.finish();
}

criterion_group!(benches, ring);
criterion_main!(benches);
