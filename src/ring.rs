//! The lock-free SPSC sample ring between the audio thread and the main thread.
//!
//! [`sample_ring`] makes one [`ringbuf`] ring of [`XYSample`]s and splits it into a
//! [`SampleProducer`] (owned by the audio thread) and a [`SampleConsumer`] (owned by the main
//! thread). In the browser both live in the wasm module's shared memory, so the AudioWorklet and
//! the page exchange samples with no copy through JavaScript and no message.
//!
//! # The contract
//! - **Exactly one producer and one consumer**, each used from one thread at a time. Neither is
//!   `Clone`; moving one to another thread is fine.
//! - **The producer never waits.** [`SampleProducer::push_slice`] copies as much of a block as
//!   fits and drops the rest, counting it in [`RingStats::dropped`]. It takes no lock and
//!   allocates nothing: it is safe in an audio callback.
//! - **The consumer never waits.** [`SampleConsumer::drain`] copies everything available into a
//!   snapshot buffer allocated once, at construction, and returns it.
//! - **Memory ordering.** `ringbuf` publishes the write index with `Release` after the samples
//!   are written and reads it with `Acquire` before reading them (and the same for the read
//!   index in the other direction), so the consumer sees every sample the producer published,
//!   complete. The counters in [`RingStats`] are independent statistics: `Relaxed` is enough
//!   for them, and a reader may see them a moment behind the ring.
//!
//! # Capacity
//! [`capacity_for_rate`] sizes the ring for at least [`RING_SECONDS`] of audio, rounded up to a
//! power of two (so a whole number of 128-frame blocks): 32,768 samples, 0.68 s, at 48 kHz. The
//! main thread drains it every animation frame (16.7 ms at 60 Hz), so half a second absorbs a
//! long stall (a garbage collection, a slow frame) without dropping anything.
//!
//! The capacity is always a power of two, held in [`SampleStorage`] as its exponent. `ringbuf`
//! turns its indices into slots by dividing by the capacity on every push and read; with the
//! capacity written as `1 << shift` the compiler makes those divisions shifts and masks, which
//! brings a block's trip through the ring closer to a bare `memcpy` of it (`cargo bench --bench
//! ring`; the numbers are in `docs/benchmarks.md`).

use ringbuf::storage::Storage;
use ringbuf::traits::{Consumer, Observer, Producer, Split};
use ringbuf::wrap::{CachingCons, CachingProd};
use ringbuf::SharedRb;
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::sample::{XYSample, QUANTUM};

/// Seconds of audio the ring holds (see the module docs).
pub const RING_SECONDS: f32 = 0.5;

/// Counters shared by both ends. Each has exactly one writer (the side named in its doc) and
/// any number of readers, all `Relaxed` (statistics, not synchronisation). With one writer an
/// increment is a plain load and store ([`bump`]), not a read-modify-write: no locked
/// instruction on the audio thread.
#[derive(Debug, Default)]
pub struct RingStats {
    /// Producer: samples stored in the ring.
    pub samples_written: AtomicU64,
    /// Producer: samples dropped because the ring was full.
    pub dropped: AtomicU64,
    /// Consumer: samples delivered by [`SampleConsumer::drain`].
    pub drained: AtomicU64,
    /// Consumer: samples skipped by [`SampleConsumer::drain_newest`] to catch up.
    pub skipped: AtomicU64,
}

/// A plain copy of [`RingStats`] at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// See [`RingStats::samples_written`].
    pub samples_written: u64,
    /// See [`RingStats::dropped`].
    pub dropped: u64,
    /// See [`RingStats::drained`].
    pub drained: u64,
    /// See [`RingStats::skipped`].
    pub skipped: u64,
}

impl RingStats {
    /// Reads every counter (`Relaxed`).
    pub fn snapshot(&self) -> StatsSnapshot {
        let r = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            samples_written: r(&self.samples_written),
            dropped: r(&self.dropped),
            drained: r(&self.drained),
            skipped: r(&self.skipped),
        }
    }
}

/// Adds `n` to a counter that only the calling side writes (see [`RingStats`]): a plain load
/// and store, not a read-modify-write.
#[inline]
pub fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
}

/// Ring capacity, in samples, for `sample_rate`: at least [`RING_SECONDS`] of audio, rounded up
/// to a power of two (a whole number of quanta); 8 quanta for nonsensical rates, and at most
/// 2^22 samples (8.7 s at 480 kHz) for absurd ones.
pub fn capacity_for_rate(sample_rate: f32) -> usize {
    let wanted = if sample_rate.is_finite() && sample_rate > 0.0 {
        (sample_rate * RING_SECONDS).ceil() as usize
    } else {
        0
    };
    wanted.clamp(8 * QUANTUM, 1 << 22).next_power_of_two()
}

/// The ring's slots: a heap array whose length is a power of two, stored as its exponent, so
/// that `ringbuf`'s index arithmetic (a division and a remainder by the capacity on every push
/// and read) compiles to shifts and masks. See the module docs for what that saves.
pub struct SampleStorage {
    slots: NonNull<MaybeUninit<XYSample>>,
    shift: u32,
}

impl SampleStorage {
    /// Allocates `1 << shift` uninitialised slots.
    ///
    /// # Panics
    /// If `1 << shift` samples do not fit in memory.
    fn new(shift: u32) -> Self {
        let boxed: Box<[MaybeUninit<XYSample>]> = Box::new_uninit_slice(1usize << shift);
        SampleStorage {
            slots: NonNull::from(Box::leak(boxed)).cast(),
            shift,
        }
    }
}

// SAFETY: the storage owns its slots (a leaked Box) and hands them out only through `ringbuf`,
// which gives the producer and the consumer disjoint ranges. XYSample is plain data, so the
// slots may be written on one thread and read on another.
unsafe impl Send for SampleStorage {}
// SAFETY: as for Send: shared references only reach the slots through `ringbuf`'s disjoint
// ranges; the struct itself is immutable after construction.
unsafe impl Sync for SampleStorage {}

// SAFETY: `as_mut_ptr` points at the `len()` slots this value owns, which live in their own
// heap allocation (no aliasing with the struct); `len()` never changes (`shift` is immutable).
unsafe impl Storage for SampleStorage {
    type Item = XYSample;

    #[inline]
    fn len(&self) -> usize {
        1usize << self.shift
    }

    #[inline]
    fn as_mut_ptr(&self) -> *mut MaybeUninit<XYSample> {
        self.slots.as_ptr()
    }
}

impl Drop for SampleStorage {
    fn drop(&mut self) {
        let slots = std::ptr::slice_from_raw_parts_mut(self.slots.as_ptr(), self.len());
        // SAFETY: `slots` is the Box leaked in `new`, with the same length; it is freed once,
        // here. MaybeUninit slots need no destructor (XYSample is Copy anyway).
        drop(unsafe { Box::from_raw(slots) });
    }
}

/// The ring both ends share.
type SampleRb = SharedRb<SampleStorage>;

/// Makes a ring of at least `capacity` samples (rounded up to a power of two: see
/// [`SampleConsumer::capacity`]) and splits it. All allocation happens here.
///
/// # Panics
/// If `capacity` is 0.
pub fn sample_ring(capacity: usize) -> (SampleProducer, SampleConsumer) {
    assert!(capacity > 0, "a sample ring needs a capacity");
    let capacity = capacity.next_power_of_two();
    // SAFETY: a new ring with both indices at 0 is empty: no slot is claimed as initialised.
    let rb = unsafe { SampleRb::from_raw_parts(SampleStorage::new(capacity.trailing_zeros()), 0, 0) };
    let (prod, cons) = Arc::new(rb).split();
    let stats = Arc::new(RingStats::default());
    (
        SampleProducer {
            prod,
            stats: Arc::clone(&stats),
        },
        SampleConsumer {
            cons,
            snapshot: vec![XYSample::default(); capacity].into_boxed_slice(),
            len: 0,
            stats,
        },
    )
}

/// The audio thread's end: pushes samples, never waits, never allocates.
pub struct SampleProducer {
    prod: CachingProd<Arc<SampleRb>>,
    stats: Arc<RingStats>,
}

impl SampleProducer {
    /// Pushes one sample (the seed's per-sample path, kept for comparison in the benches).
    /// Returns false, and counts a drop, when the ring is full.
    #[inline]
    pub fn push(&mut self, sample: XYSample) -> bool {
        if self.prod.try_push(sample).is_ok() {
            bump(&self.stats.samples_written, 1);
            true
        } else {
            bump(&self.stats.dropped, 1);
            false
        }
    }

    /// Pushes a whole block at once: copies as much as fits (one or two `memcpy`s, one index
    /// publish) and drops the rest, counting it. Returns how many samples were stored.
    #[inline]
    pub fn push_slice(&mut self, block: &[XYSample]) -> usize {
        let stored = self.prod.push_slice(block);
        bump(&self.stats.samples_written, stored as u64);
        if stored < block.len() {
            bump(&self.stats.dropped, (block.len() - stored) as u64);
        }
        stored
    }

    /// Free slots right now (the consumer may free more at any moment).
    pub fn vacant(&self) -> usize {
        self.prod.vacant_len()
    }

    /// The counters shared with the consumer.
    pub fn stats(&self) -> &Arc<RingStats> {
        &self.stats
    }
}

/// The main thread's end: drains everything available into a snapshot allocated once.
pub struct SampleConsumer {
    cons: CachingCons<Arc<SampleRb>>,
    snapshot: Box<[XYSample]>,
    len: usize,
    stats: Arc<RingStats>,
}

impl SampleConsumer {
    /// Moves every available sample (at most the capacity) into the snapshot and returns it,
    /// oldest first. Allocates nothing.
    pub fn drain(&mut self) -> &[XYSample] {
        self.len = self.cons.pop_slice(&mut self.snapshot);
        bump(&self.stats.drained, self.len as u64);
        &self.snapshot[..self.len]
    }

    /// Pops one sample (the seed's per-sample path, kept for comparison in the benches).
    #[inline]
    pub fn pop(&mut self) -> Option<XYSample> {
        let s = self.cons.try_pop();
        if s.is_some() {
            bump(&self.stats.drained, 1);
        }
        s
    }

    /// Like [`drain`](Self::drain), but when more than `window` samples wait (after a stall, or
    /// a hidden tab where animation frames stopped while audio went on) it first skips the
    /// oldest, so that only the newest `window` are returned: no catch-up burst. The skipped
    /// samples are counted in [`RingStats::skipped`].
    pub fn drain_newest(&mut self, window: usize) -> &[XYSample] {
        let waiting = self.cons.occupied_len();
        if waiting > window {
            let skipped = self.cons.skip(waiting - window);
            bump(&self.stats.skipped, skipped as u64);
        }
        self.drain()
    }

    /// Hands the newest waiting samples (at most `window`; older ones are skipped and counted
    /// as in [`drain_newest`](Self::drain_newest)) to `read` **in place**, as the ring's two
    /// contiguous runs (oldest first; the second is empty unless the data wraps), after the
    /// stream number of the first of them ([`taken`](Self::taken) at that moment), then frees
    /// them. No copy: this is the renderer's per-frame path, one `memcpy` per sample in all
    /// (the producer's). Allocates nothing.
    ///
    /// The runs stay valid only inside `read`: the slots are given back to the producer when it
    /// returns (the read index is stored with `Release` after `read` ran, so the producer never
    /// overwrites a sample that is still being read).
    pub fn read_newest<R>(&mut self, window: usize, read: impl FnOnce(u64, &[XYSample], &[XYSample]) -> R) -> R {
        let waiting = self.cons.occupied_len();
        if waiting > window {
            let skipped = self.cons.skip(waiting - window);
            bump(&self.stats.skipped, skipped as u64);
        }
        let (older, newer) = self.cons.as_slices();
        let n = older.len() + newer.len();
        let out = read(self.taken(), older, newer);
        // XYSample is Copy: skipping only moves the read index.
        self.cons.skip(n);
        bump(&self.stats.drained, n as u64);
        out
    }

    /// Samples taken out of the ring so far (drained, read or skipped): the stream number of the
    /// next one out, comparable with [`RingStats::samples_written`]. Only this side writes the
    /// two counters, so the sum is exact here.
    pub fn taken(&self) -> u64 {
        self.stats.drained.load(Ordering::Relaxed) + self.stats.skipped.load(Ordering::Relaxed)
    }

    /// The samples of the last drain.
    pub fn snapshot(&self) -> &[XYSample] {
        &self.snapshot[..self.len]
    }

    /// Samples waiting in the ring right now (the producer may add more at any moment).
    pub fn available(&self) -> usize {
        self.cons.occupied_len()
    }

    /// The ring's capacity in samples: a power of two.
    pub fn capacity(&self) -> usize {
        self.snapshot.len()
    }

    /// The counters shared with the producer.
    pub fn stats(&self) -> &Arc<RingStats> {
        &self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(start: usize, n: usize) -> Vec<XYSample> {
        (start..start + n)
            .map(|i| XYSample::new(i as f32, -(i as f32)))
            .collect()
    }

    #[test]
    fn capacity_covers_half_a_second_in_a_power_of_two() {
        assert_eq!(capacity_for_rate(48_000.0), 32_768);
        assert_eq!(capacity_for_rate(44_100.0), 32_768);
        assert_eq!(capacity_for_rate(96_000.0), 65_536);
        assert_eq!(capacity_for_rate(16_000.0), 8_192);
        for rate in [3_000.0, 22_050.0, 44_100.0, 48_000.0, 96_000.0, 192_000.0, 768_000.0] {
            let c = capacity_for_rate(rate);
            assert!(c.is_power_of_two() && c.is_multiple_of(QUANTUM), "{rate} Hz: {c}");
            assert!(c as f32 >= rate * RING_SECONDS, "{rate} Hz: {c}");
            assert!(c as f32 <= 2.0 * rate * RING_SECONDS || c == 8 * QUANTUM, "{rate} Hz: {c}");
        }
        assert_eq!(capacity_for_rate(f32::NAN), 8 * QUANTUM);
        assert_eq!(capacity_for_rate(-1.0), 8 * QUANTUM);
        assert_eq!(capacity_for_rate(f32::MAX), 1 << 22);
    }

    #[test]
    fn capacities_round_up_to_a_power_of_two() {
        for (asked, got) in [(1, 1), (4, 4), (300, 512), (1000, 1024), (1024, 1024), (24_064, 32_768)] {
            let (p, c) = sample_ring(asked);
            assert_eq!((c.capacity(), p.vacant()), (got, got), "asked for {asked}");
        }
    }

    #[test]
    fn push_slice_then_drain_preserves_order() {
        let (mut p, mut c) = sample_ring(1024);
        assert_eq!(p.push_slice(&block(0, 128)), 128);
        assert_eq!(p.push_slice(&block(128, 128)), 128);
        assert_eq!(c.drain(), &block(0, 256)[..]);
        assert_eq!(c.snapshot().len(), 256);
        assert!(c.drain().is_empty());
        let s = c.stats().snapshot();
        assert_eq!((s.samples_written, s.drained, s.dropped), (256, 256, 0));
    }

    #[test]
    fn drops_exactly_what_does_not_fit() {
        let (mut p, mut c) = sample_ring(512);
        assert_eq!(p.push_slice(&block(0, 200)), 200);
        assert_eq!(p.push_slice(&block(200, 200)), 200);
        assert_eq!(p.push_slice(&block(400, 128)), 112);
        assert_eq!(p.push_slice(&block(512, 128)), 0);
        assert!(!p.push(XYSample::new(1.0, 1.0)));
        let s = p.stats().snapshot();
        assert_eq!(s.samples_written, 512);
        assert_eq!(s.dropped, 16 + 128 + 1);
        // What was kept is the oldest, in order.
        assert_eq!(c.drain(), &block(0, 512)[..]);
    }

    #[test]
    fn wraps_around_many_times() {
        let (mut p, mut c) = sample_ring(1024);
        let mut next = 0;
        let mut seen = 0;
        for round in 0..500 {
            let n = 1 + (round * 37) % 200;
            assert_eq!(p.push_slice(&block(next, n)), n);
            next += n;
            for (i, s) in c.drain().iter().enumerate() {
                assert_eq!(s.x, (seen + i) as f32);
            }
            seen = next;
        }
        assert!(next > 10 * 1024, "the indexes wrapped many times");
        assert_eq!(c.stats().snapshot().drained as usize, next);
    }

    #[test]
    fn drain_newest_skips_the_oldest_and_counts_them() {
        let (mut p, mut c) = sample_ring(2048);
        p.push_slice(&block(0, 1500));
        let got = c.drain_newest(400);
        assert_eq!(got, &block(1100, 400)[..]);
        let s = c.stats().snapshot();
        assert_eq!((s.skipped, s.drained), (1100, 400));
        // Under the window nothing is skipped.
        p.push_slice(&block(1500, 100));
        assert_eq!(c.drain_newest(400), &block(1500, 100)[..]);
        assert_eq!(c.stats().snapshot().skipped, 1100);
    }

    #[test]
    fn read_newest_reads_in_place_across_the_wrap() {
        let (mut p, mut c) = sample_ring(1024);
        p.push_slice(&block(0, 900));
        assert_eq!(c.drain().len(), 900);
        // 300 more wrap around the end of the storage: two runs, in order.
        p.push_slice(&block(900, 300));
        let (runs, joined) = c.read_newest(1000, |_, a, b| {
            (u8::from(!a.is_empty()) + u8::from(!b.is_empty()), [a, b].concat())
        });
        assert_eq!(runs, 2, "the data wrapped");
        assert_eq!(joined, block(900, 300));
        assert_eq!(c.available(), 0);
        // Over the window: the oldest are skipped and counted, as drain_newest does.
        p.push_slice(&block(1200, 700));
        let joined = c.read_newest(200, |_, a, b| [a, b].concat());
        assert_eq!(joined, block(1700, 200));
        let s = c.stats().snapshot();
        assert_eq!((s.drained, s.skipped), (900 + 300 + 200, 500));
        // The freed slots are the producer's again.
        assert_eq!(p.vacant(), 1024);
    }

    #[test]
    fn per_sample_push_counts() {
        let (mut p, mut c) = sample_ring(4);
        for i in 0..6 {
            p.push(XYSample::new(i as f32, 0.0));
        }
        let s = p.stats().snapshot();
        assert_eq!((s.samples_written, s.dropped), (4, 2));
        assert_eq!(c.pop(), Some(XYSample::new(0.0, 0.0)));
        assert_eq!(c.drain().len(), 3);
        assert_eq!(c.pop(), None);
        assert_eq!(c.stats().snapshot().drained, 4);
        assert_eq!(p.vacant(), 4);
        assert_eq!(c.capacity(), 4);
        assert_eq!(c.available(), 0);
    }
}
