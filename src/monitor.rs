//! The sampling loop: a sample of the process tree every sample interval on a fixed-rate clock, folded
//! into reports that go to usage.jsonl every report interval (the first right after the first sample, the
//! last when the loop stops).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::config::Mode;
use crate::report::Aggregator;
use crate::sample::Sampler;
use crate::sink::Sink;

const STOP_GRACE: Duration = Duration::from_secs(5);

pub struct Monitor {
    stop: mpsc::Sender<()>,
    handle: Option<JoinHandle<Option<Sink>>>,
    /// Disconnects when the sampler's thread ends.
    done: mpsc::Receiver<()>,
    aggregator: Arc<Mutex<Aggregator>>,
}

pub fn lock(agg: &Mutex<Aggregator>) -> MutexGuard<'_, Aggregator> {
    agg.lock().unwrap_or_else(|e| e.into_inner())
}

impl Monitor {
    /// `supervisor`: duct's other process, never sampled.
    pub fn start(
        root: i32,
        supervisor: Option<i32>,
        mode: Mode,
        sample: Duration,
        report: Duration,
        usage: Option<Sink>,
    ) -> Monitor {
        let aggregator = Arc::new(Mutex::new(Aggregator::new()));
        let (stop, stopped) = mpsc::channel();
        let (done_tx, done) = mpsc::channel::<()>();
        let agg = Arc::clone(&aggregator);
        let handle = std::thread::Builder::new()
            .name("sampler".into())
            .spawn(move || {
                let _done = done_tx;
                let sampler = Sampler::new(root, mode)
                    .with_supervisor(supervisor)
                    .with_cgroup(crate::sample::cgroup::Cgroup::of_self());
                crate::guard("sampler", || run(sampler, sample, report, &agg, usage.as_ref(), &stopped));
                usage
            })
            .map_err(|e| tracing::error!("cannot start the sampler thread: {e}"))
            .ok();
        Monitor { stop, handle, done, aggregator }
    }

    pub fn aggregator(&self) -> Arc<Mutex<Aggregator>> {
        Arc::clone(&self.aggregator)
    }

    /// Stop sampling, write the last partial report, and hand back the usage sink.
    pub fn stop(mut self) -> Option<Sink> {
        let _ = self.stop.send(());
        // A /proc read can hang behind a process stuck on a dead mount; duct does not wait for it forever.
        if matches!(self.done.recv_timeout(STOP_GRACE), Err(mpsc::RecvTimeoutError::Timeout)) {
            tracing::warn!("the sampler did not stop in time; usage.jsonl may lack its last report");
            return None;
        }
        self.handle.take().and_then(|h| h.join().ok()).flatten()
    }
}

fn run(
    mut sampler: Sampler,
    interval: Duration,
    report_every: Duration,
    agg: &Mutex<Aggregator>,
    usage: Option<&Sink>,
    stopped: &mpsc::Receiver<()>,
) {
    let start = Instant::now();
    let mut tick: u32 = 0;
    // Reports are due on the samples' own clock: the one due at `next_report` goes out with the first sample
    // scheduled at or after it, so a report interval that is a multiple of the sample interval is kept exactly.
    let mut next_report = Duration::ZERO;
    // Float intervals (0.1 s) are not exact in nanoseconds; a sample this close to the due time counts.
    let slack = Duration::from_micros(500).min(interval / 2);
    let write = |agg: &mut Aggregator| {
        if let (Some(line), Some(sink)) = (agg.take_report(), usage) {
            sink.write(format!("{line}\n").as_bytes());
        }
    };
    loop {
        let scheduled = interval.saturating_mul(tick);
        if let Some(sample) = sampler.sample() {
            let mut a = lock(agg);
            a.add(&sample);
            if scheduled + slack >= next_report {
                write(&mut a);
                while next_report <= scheduled + slack {
                    next_report = next_report.saturating_add(report_every);
                }
            }
        }
        // Fixed rate: the next tick is counted from the start, so sampling time never accumulates as drift;
        // ticks missed while the machine was busy (or suspended) are skipped, not caught up in a burst.
        let elapsed = start.elapsed();
        tick = tick.saturating_add(1).max((elapsed.as_secs_f64() / interval.as_secs_f64()).ceil() as u32);
        let next = interval.saturating_mul(tick);
        match stopped.recv_timeout(next.saturating_sub(elapsed)) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let mut a = lock(agg);
    if a.has_pending() {
        write(&mut a);
    }
    // Read after the command's end, so the CPU it used is all counted.
    a.set_cgroup(sampler.cgroup_summary());
}
