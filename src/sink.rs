//! A log file that survives its filesystem.
//!
//! Callers hand bytes over with `write`, which only copies into memory; a thread of the sink's own does the
//! file I/O, so a write that fails or hangs (an expired Kerberos ticket on NFS, a full disk, a dead server)
//! never reaches the pumps or the child. The thread writes with `pwrite` at an offset it tracks itself, so a
//! retry after an error rewrites the same bytes at the same place: no holes, no duplicates. On an error it
//! drops the descriptor, backs off, reopens the path (never truncating) and writes again.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes kept in memory while the file lags or is down; past this, writers wait (healthy file) or bytes are
/// counted as dropped (stalled file).
const MEMORY_CAP: usize = 16 << 20;
/// A writer that has not finished a write for this long is stalled: callers stop waiting for it.
const STALL: Duration = Duration::from_secs(2);
const BACKOFF_START: Duration = Duration::from_millis(250);
const BACKOFF_CAP: Duration = Duration::from_secs(60);

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct SinkStats {
    pub path: String,
    /// Bytes handed to the sink.
    pub bytes_in: u64,
    /// Bytes that reached the file.
    pub bytes_written: u64,
    /// Bytes lost because the file was down and memory was full.
    pub bytes_dropped: u64,
    /// Bytes not yet in the file when duct gave up waiting at exit.
    pub bytes_unwritten: u64,
    /// Failed attempts (open or write).
    pub errors: u64,
    /// Separate periods during which the file could not be written.
    pub incidents: u64,
    pub last_error: Option<String>,
}

struct State {
    queue: Vec<u8>,
    closing: bool,
    /// The writer is between a failure and its next attempt.
    failing: bool,
    /// When the writer last finished a write or went idle; callers use it to tell slow from stalled.
    last_progress: Instant,
    retry_now: bool,
    stats: SinkStats,
}

struct Shared {
    path: PathBuf,
    state: Mutex<State>,
    /// Signals the writer: data, close, or retry now.
    to_writer: Condvar,
    /// Signals waiting callers: room in memory, or everything written.
    to_callers: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct Sink {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Sink {
    /// Start writing to `path` at offset 0 (the file was created by `LogPaths::prepare`).
    pub fn start(path: impl Into<PathBuf>) -> Sink {
        let path = path.into();
        let stats = SinkStats {
            path: path.display().to_string(),
            ..Default::default()
        };
        let shared = Arc::new(Shared {
            path,
            state: Mutex::new(State {
                queue: Vec::new(),
                closing: false,
                failing: false,
                last_progress: Instant::now(),
                retry_now: false,
                stats,
            }),
            to_writer: Condvar::new(),
            to_callers: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("sink".into())
            .spawn(move || {
                crate::guard("log writer", || writer(&for_thread));
            })
            .map_err(|e| tracing::error!("cannot start the log writer thread: {e}"))
            .ok();
        Sink { shared, thread }
    }

    /// Hand bytes over. Waits only while a healthy file catches up with a burst; never on a failing or
    /// stalled file.
    pub fn write(&self, bytes: &[u8]) {
        let mut st = self.shared.lock();
        st.stats.bytes_in += bytes.len() as u64;
        while st.queue.len() + bytes.len() > MEMORY_CAP
            && !st.failing
            && st.last_progress.elapsed() < STALL
        {
            st = match self.shared.to_callers.wait_timeout(st, STALL) {
                Ok((g, _)) => g,
                Err(e) => e.into_inner().0,
            };
        }
        if st.queue.len() + bytes.len() > MEMORY_CAP || self.thread.is_none() {
            st.stats.bytes_dropped += bytes.len() as u64;
            return;
        }
        if st.queue.is_empty() {
            st.last_progress = Instant::now();
        }
        st.queue.extend_from_slice(bytes);
        drop(st);
        self.shared.to_writer.notify_one();
    }

    /// Something changed for the better (a renewed ticket): retry a failing file at once.
    #[allow(dead_code)]
    pub fn retry_now(&self) {
        self.shared.lock().retry_now = true;
        self.shared.to_writer.notify_one();
    }

    /// Write what is left, waiting at most `grace`, and report.
    pub fn finish(mut self, grace: Duration) -> SinkStats {
        let deadline = Instant::now() + grace;
        {
            let mut st = self.shared.lock();
            st.closing = true;
            self.shared.to_writer.notify_one();
            while !st.queue.is_empty() || st.failing {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                st = match self
                    .shared
                    .to_callers
                    .wait_timeout(st, left.min(Duration::from_millis(100)))
                {
                    Ok((g, _)) => g,
                    Err(e) => e.into_inner().0,
                };
                if self.thread.as_ref().is_some_and(|t| t.is_finished()) {
                    break;
                }
            }
        }
        let finished = self.thread.as_ref().is_none_or(|t| t.is_finished());
        if finished && let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // A writer still stuck in a hanging syscall is left behind; the process exit ends it.
        let st = self.shared.lock();
        let mut stats = st.stats.clone();
        stats.bytes_unwritten = stats
            .bytes_in
            .saturating_sub(stats.bytes_written + stats.bytes_dropped);
        stats
    }
}

fn writer(shared: &Shared) {
    let mut file: Option<File> = None;
    let mut offset: u64 = 0;
    let mut inflight: Vec<u8> = Vec::new();
    let mut spare: Vec<u8> = Vec::new();
    let mut backoff = BACKOFF_START;
    loop {
        {
            let mut st = shared.lock();
            while st.queue.is_empty() && inflight.is_empty() && !st.closing {
                st.last_progress = Instant::now();
                st = match shared.to_writer.wait(st) {
                    Ok(g) => g,
                    Err(e) => e.into_inner(),
                };
            }
            if inflight.is_empty() {
                std::mem::swap(&mut spare, &mut st.queue);
                std::mem::swap(&mut spare, &mut inflight);
            } else if !st.queue.is_empty() {
                inflight.extend_from_slice(&st.queue);
                st.queue.clear();
            }
            if inflight.is_empty() && st.closing {
                drop(st);
                if let Some(f) = file.take() {
                    let _ = f.sync_all();
                }
                shared.to_callers.notify_all();
                return;
            }
        }
        shared.to_callers.notify_all();
        match write_at(&mut file, &shared.path, &inflight, offset) {
            Ok(()) => {
                offset += inflight.len() as u64;
                let mut st = shared.lock();
                st.stats.bytes_written += inflight.len() as u64;
                st.last_progress = Instant::now();
                if st.failing {
                    st.failing = false;
                    tracing::warn!(
                        "writing {} again; caught up to byte {offset}",
                        shared.path.display()
                    );
                }
                inflight.clear();
                std::mem::swap(&mut spare, &mut inflight);
                backoff = BACKOFF_START;
            }
            Err(e) => {
                file = None;
                let mut st = shared.lock();
                st.stats.errors += 1;
                st.stats.last_error = Some(e.to_string());
                if !st.failing {
                    st.failing = true;
                    st.stats.incidents += 1;
                    tracing::warn!(
                        "cannot write {}: {e}; keeping the output in memory and retrying",
                        shared.path.display()
                    );
                }
                if st.closing {
                    // At exit, retry quickly within the caller's grace period.
                    backoff = backoff.min(Duration::from_millis(200));
                }
                let until = Instant::now() + backoff;
                while !st.retry_now && Instant::now() < until {
                    let left = until.saturating_duration_since(Instant::now());
                    st = match shared.to_writer.wait_timeout(st, left) {
                        Ok((g, _)) => g,
                        Err(e) => e.into_inner().0,
                    };
                    if st.closing && backoff > Duration::from_millis(200) {
                        break;
                    }
                }
                st.retry_now = false;
                backoff = (backoff * 2).min(BACKOFF_CAP);
            }
        }
    }
}

fn write_at(file: &mut Option<File>, path: &PathBuf, bytes: &[u8], offset: u64) -> io::Result<()> {
    let f = match file {
        Some(f) => f,
        None => file.insert(
            OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)?,
        ),
    };
    f.write_all_at(bytes, offset)
}

/// Replace `path` whole and atomically: a temporary file beside it, fsync, rename. Readers see either the
/// old document or the new one, never a torn or empty one.
pub fn replace_atomically(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
