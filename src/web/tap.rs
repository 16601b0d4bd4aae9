//! The page's end of the audio path, transport only: [`AudioTap`] creates the ring, the
//! audio-thread [`Processor`] and the `AudioWorkletNode` that runs it, handing the worklet the
//! module, the shared memory and a pointer to the processor (as wasm-bindgen's audio-worklet
//! example does), and reads the ring's newest samples with their stream position. Sources
//! (microphone, media element, any `AudioNode`) are connected to [`AudioTap::node`] from
//! JavaScript (`www/element/audio.js`). What is measured of the samples is not the tap's business: the
//! [`Scope`](super::scope::Scope) that owns it feeds its analysis where the ring is read.

use crate::ring::{capacity_for_rate, sample_ring, SampleConsumer};
use crate::sample::XYSample;
use crate::worklet::{Processor, ProcessorStats};
use js_sys::{Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use web_sys::{
    AudioWorkletNode, AudioWorkletNodeOptions, BaseAudioContext, ChannelCountMode,
    ChannelInterpretation, MessageEvent,
};

/// The name `worklet/processor.js` registers its processor under.
pub const PROCESSOR_NAME: &str = "vectorscope-tap";

/// The name `worklet/port-processor.js` registers its processor under: the fallback transport
/// for pages that are not cross-origin isolated (no shared memory can reach the audio thread),
/// which posts blocks of audio over the node's `MessagePort`.
pub const PORT_PROCESSOR_NAME: &str = "vectorscope-port-tap";

/// How many seconds of the newest audio a drain keeps after a stall by default:
/// longer than any frame of a slow (software-rendered) page, shorter than the ring.
pub const DEFAULT_DRAIN_WINDOW_SECONDS: f32 = 0.25;

/// The processor lent to the audio thread, freed on the main thread once the worklet has
/// confirmed (message `"released"`) that it will not touch it again.
#[derive(Default)]
struct Lent {
    processor: Cell<Option<NonNull<Processor>>>,
    on_released: RefCell<Option<js_sys::Function>>,
}

impl Lent {
    fn free(&self) {
        if let Some(p) = self.processor.take() {
            // SAFETY: `p` came from Box::into_raw in AudioTap::new, and the worklet has said it
            // will never use it again (or never got it), so this is the only reference left.
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
        if let Some(resolve) = self.on_released.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

/// One worklet node feeding one ring; the main thread's handle on both, and on the processor's
/// and the ring's counters.
pub struct AudioTap {
    node: AudioWorkletNode,
    /// Whether the processor stays on the main thread, fed from the node's port (fallback).
    via_port: bool,
    consumer: SampleConsumer,
    sample_rate: f32,
    lent: Rc<Lent>,
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    release_sent: bool,
    /// The processor's counters (they outlive it).
    processor_stats: Arc<ProcessorStats>,
}

impl AudioTap {
    /// Creates the ring (sized for `context`'s sample rate), the processor and the worklet node,
    /// and connects the node to the destination so the graph pulls it (it outputs silence).
    /// The context must already have loaded `worklet/processor.js` (`audioWorklet.addModule`).
    pub fn new(context: &BaseAudioContext) -> Result<AudioTap, JsValue> {
        AudioTap::build(context, false)
    }

    /// The fallback transport, for pages without cross-origin isolation: the ring and the
    /// processor stay on the main thread, and the worklet node (`worklet/port-processor.js`,
    /// no wasm) posts blocks of audio over its port. The page hands each block to
    /// [`processQuantum`](super::worklet::process_quantum) with [`processor`](Self::processor)
    /// (`www/element/audio.js` does), so NaN handling, counting and drops are those of the shared ring.
    /// The context must already have loaded `worklet/port-processor.js`.
    pub fn with_message_port(context: &BaseAudioContext) -> Result<AudioTap, JsValue> {
        AudioTap::build(context, true)
    }

    /// `"shared-ring"` (the worklet runs the processor on the audio thread) or `"message-port"`
    /// (the fallback: blocks arrive over the port and are processed on the main thread).
    pub fn transport(&self) -> &'static str {
        if self.via_port { "message-port" } else { "shared-ring" }
    }

    /// With the `"message-port"` transport: the processor's address, for `processorInput` and
    /// `processQuantum` on the main thread; 0 once released. Always 0 for the shared ring (the
    /// processor belongs to the audio thread then).
    pub fn processor(&self) -> usize {
        match (self.via_port, self.lent.processor.get()) {
            (true, Some(p)) => p.as_ptr() as usize,
            _ => 0,
        }
    }

    /// The worklet node: connect sources to it, listen to its `processorerror`.
    pub fn node(&self) -> &AudioWorkletNode {
        &self.node
    }

    /// The context's sample rate.
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate
    }

    /// Drains the ring into the snapshot, keeping at most the newest `seconds` (the older
    /// samples are counted as skipped), and returns the stream position of the snapshot's first
    /// sample (the count of samples the ring had taken in before it) and the snapshot. Allocates
    /// nothing.
    pub fn drain_newest(&mut self, seconds: f32) -> (u64, &[XYSample]) {
        let window = self.window(seconds);
        let n = self.consumer.drain_newest(window).len();
        // The snapshot's first sample comes after everything taken out before it.
        (self.consumer.taken() - n as u64, self.consumer.snapshot())
    }

    /// Like [`drain_newest`](Self::drain_newest) without the copy: hands the newest samples to
    /// `read` in place, with the stream position of the first, as the ring's two runs (see
    /// [`SampleConsumer::read_newest`]).
    pub fn read_newest<R>(&mut self, seconds: f32, read: impl FnOnce(u64, &[XYSample], &[XYSample]) -> R) -> R {
        let window = self.window(seconds);
        self.consumer.read_newest(window, read)
    }

    fn window(&self, seconds: f32) -> usize {
        ((self.sample_rate * seconds) as usize).clamp(1, self.consumer.capacity())
    }

    /// Address in wasm memory of the ring's `samplesWritten` counter (a `u64` the audio thread
    /// stores after each quantum), for a worker that timestamps the writes (the latency bench).
    pub fn samples_written_ptr(&self) -> usize {
        &self.consumer.stats().samples_written as *const _ as usize
    }

    /// Address of the snapshot in wasm memory: the last drain's interleaved `[x, y]` `f32`
    /// pairs. Valid until the next drain; re-make views when `memory.buffer` changes.
    pub fn samples_ptr(&self) -> usize {
        self.consumer.snapshot().as_ptr() as usize
    }

    /// The ring's and the processor's counters: `{ sampleRate, capacity, quanta, samplesWritten,
    /// dropped, nonFinite, drained, skipped, available, released, transport }`.
    pub fn stats(&self) -> Result<Object, JsValue> {
        let s = self.consumer.stats().snapshot();
        let o = Object::new();
        let set = |k: &str, v: f64| Reflect::set(&o, &k.into(), &v.into());
        set("sampleRate", f64::from(self.sample_rate))?;
        set("capacity", self.consumer.capacity() as f64)?;
        let (quanta, non_finite) = self.processor_stats.read();
        set("quanta", quanta as f64)?;
        set("samplesWritten", s.samples_written as f64)?;
        set("dropped", s.dropped as f64)?;
        set("nonFinite", non_finite as f64)?;
        set("drained", s.drained as f64)?;
        set("skipped", s.skipped as f64)?;
        set("available", self.consumer.available() as f64)?;
        Reflect::set(&o, &"released".into(), &self.is_released().into())?;
        Reflect::set(&o, &"transport".into(), &self.transport().into())?;
        Ok(o)
    }

    /// Whether the worklet has given the processor back and it was freed.
    pub fn is_released(&self) -> bool {
        self.lent.processor.get().is_none()
    }

    /// Disconnects the node and asks the worklet to stop using the processor; resolves once it
    /// has, and the processor is freed (on this thread, never on the audio thread).
    pub fn release(&mut self) -> Promise {
        let _ = self.node.disconnect();
        if self.via_port {
            // The processor never left this thread.
            if let Ok(port) = self.node.port() {
                port.set_onmessage(None);
                let _ = port.post_message(&"release".into());
            }
            self.lent.free();
        }
        if self.is_released() {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let lent = Rc::clone(&self.lent);
        let promise = Promise::new(&mut |resolve, _reject| {
            *lent.on_released.borrow_mut() = Some(resolve);
        });
        self.send_release();
        promise
    }

    fn send_release(&mut self) {
        if !self.release_sent {
            self.release_sent = true;
            if let Ok(port) = self.node.port() {
                let _ = port.post_message(&"release".into());
            }
        }
    }

    /// The ring, the processor and the node for either transport (see [`AudioTap::new`] and
    /// [`AudioTap::with_message_port`]); the node is connected to the destination so the graph
    /// pulls it (it outputs silence).
    fn build(context: &BaseAudioContext, via_port: bool) -> Result<AudioTap, JsValue> {
        let sample_rate = context.sample_rate();
        let (producer, consumer) = sample_ring(capacity_for_rate(sample_rate));
        let processor = Box::new(Processor::new(producer));
        let processor_stats = processor.stats();
        let processor = NonNull::from(Box::leak(processor));
        let lent = Rc::new(Lent::default());
        lent.processor.set(Some(processor));

        let options = AudioWorkletNodeOptions::new();
        options.set_number_of_inputs(1);
        options.set_number_of_outputs(1);
        options.set_output_channel_count(&js_sys::Array::of1(&1.into()));
        options.set_channel_count(2);
        options.set_channel_count_mode(ChannelCountMode::Explicit);
        options.set_channel_interpretation(ChannelInterpretation::Speakers);
        let name = if via_port {
            PORT_PROCESSOR_NAME
        } else {
            // The shared ring: the worklet gets the module, the memory and the processor.
            let handed = Object::new();
            Reflect::set(&handed, &"module".into(), &wasm_bindgen::module())?;
            Reflect::set(&handed, &"memory".into(), &wasm_bindgen::memory())?;
            Reflect::set(&handed, &"processor".into(), &(processor.as_ptr() as usize as f64).into())?;
            options.set_processor_options(Some(&handed));
            PROCESSOR_NAME
        };
        let node = match AudioWorkletNode::new_with_options(context, name, &options) {
            Ok(node) => node,
            Err(e) => {
                lent.free();
                return Err(e);
            }
        };
        let on_message = if via_port {
            // The processor never leaves this thread: no release handshake to wait for.
            None
        } else {
            let lent = Rc::clone(&lent);
            let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if e.data().as_string().as_deref() == Some("released") {
                    lent.free();
                }
            });
            node.port()?.set_onmessage(Some(handler.as_ref().unchecked_ref()));
            Some(handler)
        };
        node.connect_with_audio_node(&context.destination())?;
        Ok(AudioTap {
            node,
            via_port,
            consumer,
            sample_rate,
            lent,
            on_message,
            release_sent: via_port,
            processor_stats,
        })
    }
}

impl Drop for AudioTap {
    fn drop(&mut self) {
        if self.via_port {
            let _ = self.node.disconnect();
            self.lent.free();
        }
        if self.is_released() {
            return;
        }
        // Freed by the message handler when the worklet confirms; the handler must outlive us.
        // If the worklet crashed it never confirms, and the processor (about 2 KiB) leaks:
        // freeing memory the audio thread may still hold would be worse.
        let _ = self.node.disconnect();
        self.send_release();
        if let Some(handler) = self.on_message.take() {
            handler.forget();
        }
    }
}
