//! The audio thread is sacred: after construction, the processor's per-quantum path (interleave,
//! sanitize, push) and the consumer's per-frame drain allocate nothing; nor does the renderer's
//! per-frame CPU work (samples to quads, lit tiles to rectangles), nor the meters (fed every
//! sample, read at any time, reset), nor the analysis that feeds them with gaps, nor the display
//! chain (conditioning, upsampling, the polar rays). A counting global allocator watches this thread while
//! they run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use vectorscope::render::beam::geometry::{build_quads, build_quads_merging};
use vectorscope::render::beam::vertex::Quads;
use vectorscope::render::projection::{Mode, Viewport};
use vectorscope::render::tiles::LitTiles;
use vectorscope::ring::sample_ring;
use vectorscope::sample::{XYSample, QUANTUM};
use vectorscope::signal::analysis::Analysis;
use vectorscope::signal::conditioning::Invert;
use vectorscope::signal::display::DisplayChain;
use vectorscope::signal::meters::Meters;
use vectorscope::worklet::Processor;

struct CountingAllocator;

// Both per thread: tests run in parallel, and only the measured thread's calls count.
thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    if COUNTING.with(Cell::get) {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// const-initialised thread-locals, which do not allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count();
        // SAFETY: same contract as our caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Runs `f` and returns how many allocator calls this thread made meanwhile.
fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn the_counter_sees_an_allocation() {
    // Proves the harness can fail: a Vec allocates.
    let n = allocations_during(|| {
        let v: Vec<u64> = Vec::with_capacity(16);
        std::hint::black_box(v);
    });
    assert!(n >= 1, "counting allocator saw nothing");
}

#[test]
fn processing_and_draining_allocate_nothing() {
    let (producer, mut consumer) = sample_ring(4096);
    let mut processor = Processor::new(producer);
    let mut drained = 0;
    let n = allocations_during(|| {
        for q in 0..20_000 {
            for (i, v) in processor.input_mut(0).iter_mut().enumerate() {
                *v = if (q + i) % 97 == 0 { f32::NAN } else { (i as f32).sin() };
            }
            for v in processor.input_mut(1).iter_mut() {
                *v = 0.25;
            }
            processor.process(QUANTUM, 2 - (q % 2));
            if q % 3 == 0 {
                drained += consumer.drain().len();
            }
            if q % 3 == 1 {
                // The renderer's path: the samples read in place.
                drained += consumer.read_newest(4096, |_, older, newer| older.len() + newer.len());
            }
            if q % 50 == 0 {
                // Also the full ring (drops) and the skip-to-newest path.
                drained += consumer.drain_newest(256).len();
            }
        }
    });
    assert_eq!(n, 0, "the hot paths made {n} allocator calls");
    let (quanta, non_finite) = processor.stats().read();
    assert_eq!(quanta, 20_000);
    assert!(non_finite > 0);
    let s = consumer.stats().snapshot();
    assert_eq!(s.drained as usize, drained);
    assert!(drained > 0);
}

#[test]
fn building_a_frames_quads_and_lit_rects_allocates_nothing_once_the_buffer_has_grown() {
    // The renderer's CPU work per frame: every drained sample becomes a quad, into one reused Vec.
    let vp = Viewport { width: 800.0, height: 800.0 };
    let frame: Vec<XYSample> = (0..4096)
        .map(|i| XYSample::new((i as f32 * 0.01).sin(), (i as f32 * 0.013).cos()))
        .collect();
    let mut quads = Quads::default();
    // Which tiles the frame lights, and the rectangles the fade and tone mapping cover.
    let mut tiles = LitTiles::new(800, 800);
    let mut rects = 0;
    // The first frames grow the buffers (as the renderer's first frames do), one per mode: the
    // modes split the same samples differently between lone quads and runs.
    build_quads(&frame, None, Mode::MidSide, 1.0, 1.6, &vp, &mut quads);
    quads.clear();
    let mut last = build_quads(&frame, None, Mode::Xy, 1.0, 1.6, &vp, &mut quads);
    let n = allocations_during(|| {
        for f in 0..200 {
            quads.clear();
            let mode = if f % 2 == 0 { Mode::Xy } else { Mode::MidSide };
            // Frames of varying size up to the largest seen.
            let samples = &frame[..4096 - (f * 7) % 4000];
            // Every third frame as the upsampler's points (merged along lines).
            last = build_quads_merging(samples, last, mode, 1.0, 1.6, &vp, &mut quads, if f % 3 == 0 { 8 } else { 1 });
            tiles.mark(&quads.lone, f as f64 * 16.7);
            tiles.mark(&quads.runs, f as f64 * 16.7);
            rects += tiles.rects(f as f64 * 16.7, 530.0).len();
        }
    });
    assert_eq!(n, 0, "building quads and lit rectangles made {n} allocator calls");
    assert!(!quads.lone.is_empty() && !quads.runs.is_empty() && last.is_some() && rects > 0);
}

#[test]
fn feeding_reading_and_resetting_the_meters_allocates_nothing() {
    // Two minutes of frames of 800 samples at 48 kHz, read every frame: the gating history, the
    // windows and the holds all stay in what the meters allocated when made.
    let frame: Vec<XYSample> = (0..800)
        .map(|i| XYSample::new(0.5 * (i as f32 * 0.07).sin(), 0.4 * (i as f32 * 0.05).cos()))
        .collect();
    let mut meters = Meters::new(48_000.0);
    let mut integrated = f64::NEG_INFINITY;
    let n = allocations_during(|| {
        for f in 0..7200 {
            meters.add(&frame);
            integrated = meters.reading().integrated;
            if f == 3600 {
                meters.reset();
            }
        }
    });
    assert_eq!(n, 0, "the meters made {n} allocator calls");
    assert!(integrated.is_finite(), "the meters measured: {integrated}");
}

#[test]
fn feeding_the_analysis_with_gaps_allocates_nothing() {
    // Frames as the ring hands them over (two runs at their stream positions), with a skip to
    // the newest every 50th frame; read every frame, levels taken, meters reset once.
    let frame: Vec<XYSample> = (0..800)
        .map(|i| XYSample::new(0.5 * (i as f32 * 0.07).sin(), 0.4 * (i as f32 * 0.05).cos()))
        .collect();
    let mut analysis = Analysis::new(48_000.0);
    let mut position = 0u64;
    let mut skipped = 0;
    let n = allocations_during(|| {
        for f in 0..7200u64 {
            if f % 50 == 49 {
                position += 12_000 + f;
            }
            let split = (f as usize * 37) % 800;
            analysis.add(position, &frame[..split]);
            analysis.add(position + split as u64, &frame[split..]);
            position += 800;
            skipped = analysis.meters().skipped;
            analysis.take_levels();
            if f == 3600 {
                analysis.reset_meters();
            }
        }
    });
    assert_eq!(n, 0, "the analysis made {n} allocator calls");
    assert!(skipped > 0, "the analysis saw the gaps");
    assert!(analysis.meters().integrated.is_finite());
}

#[test]
fn the_display_chain_allocates_nothing_once_its_buffers_have_grown() {
    // Frames of up to 1,600 samples through every factor, with all the conditioning on, the rays,
    // and gaps; the first frame at the largest size and factor grows the buffers.
    let frame: Vec<XYSample> = (0..1600)
        .map(|i| XYSample::new(0.5 * (i as f32 * 0.07).sin() + 0.1, 0.4 * (i as f32 * 0.05).cos()))
        .collect();
    let mut chain = DisplayChain::new(48_000.0);
    chain.set_upsample(8);
    chain.process([&frame[..1000], &frame[1000..]], false, 0.0);
    chain.set_rays(true);
    chain.process([&frame, &[]], false, 0.0);
    chain.set_rays(false);
    chain.set_dc_block(true);
    chain.set_swap(true);
    chain.set_invert(Invert::Left);
    chain.set_auto_gain(true);
    chain.process([&frame, &[]], false, 0.0);
    let mut drawn = 0;
    let mut n = 0;
    for factor in [1, 4, 8] {
        // A new factor designs its filter (a setting, not a frame).
        chain.set_upsample(factor);
        n += allocations_during(|| {
            for f in 0..600 {
                chain.set_rays(f % 200 >= 150);
                let len = 1600 - (f * 13) % 900;
                let split = len / 3;
                let run = chain.process([&frame[..split], &frame[split..len]], f % 97 == 0, f as f64 * 16.7);
                drawn += run.samples.len();
            }
        });
    }
    assert_eq!(n, 0, "the display chain made {n} allocator calls");
    assert!(drawn > 3 * 600 * 700, "the chain drew {drawn} points");
}
