//! Two threads hammer the sample ring: a producer pushing 128-frame blocks as the audio thread
//! does, a consumer draining as the main thread does, through a ring far smaller than the
//! traffic, so the indexes wrap thousands of times.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use vectorscope::ring::sample_ring;
use vectorscope::sample::{XYSample, QUANTUM};

/// Ten million natively; Miri (which also checks the threads for data races) gets a few
/// thousand, which still wraps the ring many times.
const TOTAL: u64 = if cfg!(miri) { 6_000 } else { 10_000_000 };

/// Sample `i`, with its index in the bits so any loss, duplicate or reorder shows.
fn sample(i: u64) -> XYSample {
    XYSample::new(f32::from_bits(i as u32), f32::from_bits(!(i as u32)))
}

#[test]
fn ten_million_samples_keep_order_and_content() {
    let (mut producer, mut consumer) = sample_ring(1024);
    let writer = thread::spawn(move || {
        let mut block = [XYSample::default(); QUANTUM];
        let mut next = 0u64;
        while next < TOTAL {
            let n = QUANTUM.min((TOTAL - next) as usize);
            for (k, s) in block[..n].iter_mut().enumerate() {
                *s = sample(next + k as u64);
            }
            // The test producer waits for room, so nothing is dropped and every sample must
            // arrive; the real one never waits. Room only grows while we wait.
            while producer.vacant() < n {
                thread::yield_now();
            }
            assert_eq!(producer.push_slice(&block[..n]), n);
            next += n as u64;
        }
        producer
    });
    let mut expected = 0u64;
    while expected < TOTAL {
        let got = consumer.drain();
        for s in got {
            assert_eq!(s.x.to_bits(), expected as u32, "sample {expected} out of order");
            assert_eq!(s.y.to_bits(), !(expected as u32), "sample {expected} corrupted");
            expected += 1;
        }
        if got.is_empty() {
            thread::yield_now();
        }
    }
    let producer = writer.join().unwrap();
    let stats = producer.stats().snapshot();
    assert_eq!(stats.samples_written, TOTAL);
    assert_eq!(stats.drained, TOTAL);
    assert_eq!(stats.dropped, 0);
    assert!(consumer.drain().is_empty());
}

#[test]
fn a_producer_that_never_waits_drops_and_counts_exactly() {
    let (mut producer, mut consumer) = sample_ring(512);
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let mut block = [XYSample::default(); QUANTUM];
            let mut next = 0u64;
            let mut stored_total = 0u64;
            while next < TOTAL / 4 {
                for (k, s) in block.iter_mut().enumerate() {
                    *s = sample(next + k as u64);
                }
                stored_total += producer.push_slice(&block) as u64;
                next += QUANTUM as u64;
            }
            done.store(true, Ordering::Release);
            (producer, next, stored_total)
        })
    };
    let mut received = 0u64;
    let mut last: Option<u32> = None;
    loop {
        let finished = done.load(Ordering::Acquire);
        for s in consumer.drain() {
            let i = s.x.to_bits();
            assert_eq!(s.y.to_bits(), !i, "sample {i} corrupted");
            if let Some(prev) = last {
                assert!(i > prev, "sample {i} after {prev}: order broken");
            }
            last = Some(i);
            received += 1;
        }
        if finished && consumer.available() == 0 {
            break;
        }
    }
    let (producer, offered, stored) = writer.join().unwrap();
    let stats = producer.stats().snapshot();
    assert_eq!(stats.samples_written, stored);
    assert_eq!(stats.samples_written + stats.dropped, offered);
    assert_eq!(stats.drained, received);
    assert_eq!(received, stored);
}
