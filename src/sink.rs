//! A log file that survives its filesystem.
//!
//! Callers hand bytes over with `write`, which only copies them into memory (or, when the file fails or is not
//! keeping up, or memory is full, appends them to a local spool); a thread of the sink's own does the file I/O,
//! so a write that fails or hangs (an expired Kerberos ticket on NFS, a full disk, a dead server) never reaches
//! the pumps or the child.
//!
//! The spool is the source of truth: once a file's bytes go to the spool, everything of that file not yet
//! confirmed is in it (what the writer holds first, then the rest, in order), and it stays there until the
//! file confirms it. While the file fails, the writer holds at most a small piece of it for its retries and
//! reads nothing more back. Memory (queues and what the writers hold, all files together) stays within
//! --max-buffer.
//!
//! The writer uses `pwrite` at an offset it tracks itself, so a retry rewrites the same bytes at the same place:
//! no holes, no duplicates. It keeps every byte until it is confirmed: on network and FUSE filesystems, which
//! report errors late, only by an fsync that follows it (at least every second, or every `FSYNC_BYTES`); on
//! local filesystems by the write itself (an fsync follows at close). On any error it drops the descriptor,
//! reopens the path without truncating and writes again from the confirmed offset, backing off while the
//! error lasts.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::hurry::Hurry;
use crate::spool::{Spool, SpoolDir};

/// Unconfirmed bytes on a network filesystem after which the writer fsyncs rather than writes more.
const FSYNC_BYTES: usize = 8 << 20;
/// Backlog of a file that keeps up, beyond which writers wait for it rather than use more memory.
const HEALTHY_BACKLOG: usize = 1 << 20;
/// Longest a byte waits for its confirming fsync on a network filesystem.
const FSYNC_EVERY: Duration = Duration::from_secs(1);
/// A writer that has finished no write for this long is not keeping up: callers stop waiting for room in
/// memory and spool instead, so a hung filesystem never slows the child.
const PROGRESS: Duration = Duration::from_millis(200);
const BACKOFF_CAP: Duration = Duration::from_secs(60);
const SPOOL_CHUNK: usize = 1 << 20;
/// What a failing file's writer keeps in memory for its retries (at most a quarter of --max-buffer).
const PROBE: usize = 64 << 10;
const MAX_INCIDENTS: usize = 50;

/// What the run's log files share: the memory they fill together (within --max-buffer), the spool directory,
/// the deadline of duct's final waits, and the list of live sinks (so one call can make them all retry).
pub struct Pool {
    memory: AtomicUsize,
    cap: usize,
    spool_dir: Arc<SpoolDir>,
    hurry: Hurry,
    sinks: Mutex<Vec<Weak<Shared>>>,
}

impl Pool {
    pub fn new(cap: usize, spool_dir: Arc<SpoolDir>, hurry: Hurry) -> Arc<Pool> {
        Arc::new(Pool { memory: AtomicUsize::new(0), cap, spool_dir, hurry, sinks: Mutex::new(Vec::new()) })
    }

    /// Make every log file drop its descriptor, reopen, and write what waits, now (after a Kerberos renewal).
    pub fn reopen_all(&self) {
        let sinks: Vec<Arc<Shared>> = lock(&self.sinks).iter().filter_map(Weak::upgrade).collect();
        for s in sinks {
            s.lock().reopen = true;
            s.to_writer.notify_all();
        }
    }

    /// Memory left under --max-buffer.
    fn room(&self) -> usize {
        self.cap.saturating_sub(self.memory.load(Ordering::Relaxed))
    }

    fn hold(&self, n: usize) {
        self.memory.fetch_add(n, Ordering::Relaxed);
    }

    fn release(&self, n: usize) {
        self.memory.fetch_sub(n, Ordering::Relaxed);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the log files down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn wait_for<'a, T>(cv: &Condvar, g: MutexGuard<'a, T>, t: Duration) -> MutexGuard<'a, T> {
    match cv.wait_timeout(g, t) {
        Ok((g, _)) => g,
        Err(e) => e.into_inner().0,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub time: String,
    pub operation: &'static str,
    pub errno: Option<String>,
    pub error: String,
    pub recovered: Option<String>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct SinkStats {
    pub path: String,
    /// Bytes handed to the sink.
    pub bytes_in: u64,
    /// Bytes confirmed in the file.
    pub bytes_written: u64,
    /// Bytes that went through the local spool.
    pub bytes_spooled: u64,
    /// Bytes lost because memory was full and the spool failed too.
    pub bytes_dropped: u64,
    /// Bytes not in the file when duct ended; they are in `unwritten_in`.
    pub bytes_unwritten: u64,
    pub unwritten_in: Option<String>,
    /// Failed attempts (open, write, fsync).
    pub retries: u64,
    /// Bytes the file lost behind duct's back (it was shorter than confirmed when reopened).
    pub bytes_lost_by_file: u64,
    pub incidents: Vec<Incident>,
}

/// Bytes the writer holds: from the confirmed offset on, not yet confirmed.
struct Chunk {
    bytes: Arc<Vec<u8>>,
    /// These bytes are in the spool too (its oldest unconfirmed ones).
    spooled: bool,
}

struct State {
    queue: Vec<u8>,
    /// Taken by the writer: the bytes from the confirmed offset on, not yet confirmed.
    pending: VecDeque<Chunk>,
    pending_bytes: usize,
    /// While it holds unconfirmed bytes, it holds all of them: then `pending` is its oldest part and `queue`
    /// is empty.
    spool: Option<Spool>,
    confirmed: u64,
    closing: bool,
    /// duct is done with this file (what was left is in the spool): the writer stops.
    abandoned: bool,
    failing: bool,
    reopen: bool,
    last_progress: Instant,
    spool_warned: bool,
    stats: SinkStats,
}

impl State {
    fn spooling(&self) -> bool {
        self.spool.as_ref().is_some_and(|s| s.unconfirmed() > 0)
    }
    fn drained(&self) -> bool {
        self.queue.is_empty() && self.pending_bytes == 0 && !self.spooling()
    }
    /// The writer may take more bytes: never while its file fails (it retries what it holds).
    fn may_take(&self) -> bool {
        self.pending_bytes < FSYNC_BYTES && (!self.failing || self.pending.is_empty())
    }
    /// The bytes after the writer's: where the next unconfirmed byte belongs is the confirmed offset.
    fn note_new_offset(&mut self) {
        let at = self.confirmed;
        if self.spooling()
            && let Some(sp) = self.spool.as_ref()
        {
            let _ = sp.write_meta(at);
        }
    }
    /// A failing file's writer lets go of all but the first `keep` bytes it holds (they are in the spool).
    fn keep_only(&mut self, keep: usize, pool: &Pool) {
        if !self.spooling() || self.pending_bytes <= keep || self.pending.iter().any(|c| !c.spooled) {
            return;
        }
        let mut kept = 0;
        let mut out = VecDeque::new();
        for c in self.pending.drain(..) {
            if kept >= keep {
                continue;
            }
            let take = (keep - kept).min(c.bytes.len());
            if take == c.bytes.len() {
                out.push_back(c);
            } else {
                let part = c.bytes.get(..take).unwrap_or_default().to_vec();
                out.push_back(Chunk { bytes: Arc::new(part), spooled: true });
            }
            kept += take;
        }
        pool.release(self.pending_bytes - kept);
        self.pending = out;
        self.pending_bytes = kept;
        if let Some(sp) = self.spool.as_mut() {
            sp.unread_beyond(kept as u64);
        }
    }
}

struct Shared {
    path: PathBuf,
    index: usize,
    pool: Arc<Pool>,
    state: Mutex<State>,
    to_writer: Condvar,
    to_callers: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Put everything not yet confirmed into the spool (what the writer holds, then the queue), so that the
    /// spool holds all of it and new bytes follow in order. Nothing to do when it already does.
    fn persist(&self, st: &mut State) -> Result<(), String> {
        if st.spooling() {
            return Ok(());
        }
        match st.spool.as_mut() {
            Some(sp) => sp.restart_at(st.confirmed),
            None => {
                let dir = self.pool.spool_dir.path()?;
                let sp =
                    Spool::create(dir, &self.index.to_string(), &self.path, st.confirmed).map_err(|e| e.to_string())?;
                st.spool = Some(sp);
            }
        }
        let Some(sp) = st.spool.as_mut() else { return Ok(()) };
        let mut written = Ok(());
        for c in &st.pending {
            written = sp.append(&c.bytes);
            if written.is_err() {
                break;
            }
        }
        if written.is_ok() && !st.queue.is_empty() {
            written = sp.append(&st.queue);
        }
        if let Err(e) = written {
            sp.restart_at(st.confirmed);
            return Err(e.to_string());
        }
        sp.mark_read(st.pending_bytes as u64);
        for c in st.pending.iter_mut() {
            c.spooled = true;
        }
        let queue = std::mem::take(&mut st.queue);
        self.pool.release(queue.len());
        st.stats.bytes_spooled += (st.pending_bytes + queue.len()) as u64;
        Ok(())
    }
}

pub struct Sink {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Sink {
    /// Start writing to `path` from offset 0 (the file was created by `LogPaths::prepare`). `index` names
    /// this file's spool.
    pub fn start(path: impl Into<PathBuf>, index: usize, pool: &Arc<Pool>) -> Sink {
        let path = path.into();
        let stats = SinkStats { path: path.display().to_string(), ..Default::default() };
        let shared = Arc::new(Shared {
            path,
            index,
            pool: Arc::clone(pool),
            state: Mutex::new(State {
                queue: Vec::new(),
                pending: VecDeque::new(),
                pending_bytes: 0,
                spool: None,
                confirmed: 0,
                closing: false,
                abandoned: false,
                failing: false,
                reopen: false,
                last_progress: Instant::now(),
                spool_warned: false,
                stats,
            }),
            to_writer: Condvar::new(),
            to_callers: Condvar::new(),
        });
        lock(&pool.sinks).push(Arc::downgrade(&shared));
        let for_thread = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("sink".into())
            .spawn(move || {
                crate::guard("log writer", || Writer::new(&for_thread).run());
            })
            .map_err(|e| tracing::error!("cannot start the log writer thread: {e}"))
            .ok();
        Sink { shared, thread }
    }

    /// Hand bytes over. Waits only while a working file catches up with a burst (as `tee` would); never on a
    /// failing or stalled file, whose bytes go to the spool instead.
    pub fn write(&self, bytes: &[u8]) {
        let sh = &self.shared;
        let mut st = sh.lock();
        st.stats.bytes_in += bytes.len() as u64;
        if st.abandoned {
            // Too late (duct has finished this file): a new spool would replace the one left for --recover.
            st.stats.bytes_dropped += bytes.len() as u64;
            return;
        }
        let to_memory = |st: &State| !st.spooling() && !st.failing && !st.abandoned && self.thread.is_some();
        if to_memory(&st) {
            // A burst waits here while the file keeps up, as it would behind `tee`, so memory stays small.
            while st.queue.len() + st.pending_bytes >= HEALTHY_BACKLOG
                && to_memory(&st)
                && st.last_progress.elapsed() < PROGRESS
            {
                st = wait_for(&sh.to_callers, st, PROGRESS);
            }
            // Memory is full: wait while the writers make room, not longer.
            while sh.pool.room() < bytes.len() && to_memory(&st) && st.last_progress.elapsed() < PROGRESS {
                st = wait_for(&sh.to_callers, st, PROGRESS);
            }
            if to_memory(&st) && sh.pool.room() >= bytes.len() {
                if st.queue.is_empty() && st.pending_bytes == 0 {
                    st.last_progress = Instant::now();
                }
                st.queue.extend_from_slice(bytes);
                sh.pool.hold(bytes.len());
                drop(st);
                sh.to_writer.notify_one();
                return;
            }
        }
        self.spill(st, bytes);
        sh.to_writer.notify_one();
    }

    fn spill(&self, mut st: MutexGuard<'_, State>, bytes: &[u8]) {
        let sh = &self.shared;
        let appended = sh.persist(&mut st).and_then(|()| match st.spool.as_mut() {
            Some(sp) => sp.append(bytes).map(|()| sp.path.display().to_string()).map_err(|e| e.to_string()),
            None => Err("no spool".to_string()),
        });
        match appended {
            Ok(path) => {
                st.stats.bytes_spooled += bytes.len() as u64;
                if !st.spool_warned {
                    st.spool_warned = true;
                    tracing::warn!("{} is not keeping up; its output waits in {path}", sh.path.display());
                }
            }
            // Memory is the last resort (within the cap, and only while nothing older waits in the spool);
            // beyond it the bytes are lost, and counted.
            Err(e) if !st.spooling() && sh.pool.room() >= bytes.len() => {
                if !st.spool_warned {
                    st.spool_warned = true;
                    tracing::warn!("cannot spool {} ({e}); its output waits in memory", sh.path.display());
                }
                st.queue.extend_from_slice(bytes);
                sh.pool.hold(bytes.len());
            }
            Err(e) => {
                if !st.spool_warned {
                    st.spool_warned = true;
                    tracing::warn!("cannot spool {} ({e}); its output is being dropped", sh.path.display());
                }
                st.stats.bytes_dropped += bytes.len() as u64;
            }
        }
    }

    /// Stop taking bytes; the writer goes on until everything is in the file.
    fn close(&self) {
        self.shared.lock().closing = true;
        self.shared.to_writer.notify_all();
    }

    /// Wait until `deadline` for the file to take everything; what it could not take is saved in the spool
    /// directory (and named in the stats).
    fn finish(mut self, deadline: Instant) -> SinkStats {
        let sh = Arc::clone(&self.shared);
        let mut st = sh.lock();
        loop {
            let left = sh.pool.hurry.left(deadline);
            if st.drained() || left.is_zero() || self.thread.as_ref().is_none_or(|t| t.is_finished()) {
                break;
            }
            st = wait_for(&sh.to_callers, st, left.min(Duration::from_millis(50)));
        }
        if !st.drained() {
            // Everything not confirmed goes to (or already is in) the spool, which stays for `duct --recover`.
            let held = (st.pending_bytes + st.queue.len()) as u64;
            if let Err(e) = sh.persist(&mut st) {
                tracing::warn!("cannot save the unwritten tail of {}: {e}", sh.path.display());
                st.stats.bytes_dropped += held;
            }
            if st.spooling()
                && let Some(sp) = st.spool.take()
            {
                st.stats.bytes_unwritten += sp.unconfirmed();
                st.stats.unwritten_in = Some(sp.path.display().to_string());
            }
        }
        // The writer stops; one stuck in a system call stops when that returns, and writes nothing after it.
        st.abandoned = true;
        if let Some(s) = st.spool.take() {
            s.remove();
        }
        sh.to_writer.notify_all();
        let stats = st.stats.clone();
        drop(st);
        if self.thread.as_ref().is_some_and(|t| t.is_finished())
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
        // A writer still stuck in a hanging system call is left behind; process exit ends it.
        stats
    }
}

/// Close every sink, then give them together until `deadline` to drain.
pub fn finish_all(sinks: Vec<Sink>, deadline: Instant) -> Vec<SinkStats> {
    for s in &sinks {
        s.close();
    }
    sinks.into_iter().map(|s| s.finish(deadline)).collect()
}

fn errno_name(e: &io::Error) -> Option<String> {
    e.raw_os_error().map(|n| format!("{:?}", nix::errno::Errno::from_raw(n)))
}

fn now_text() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// Filesystems that may report a write's failure only at fsync or close.
fn reports_late(f: &File) -> bool {
    let Ok(fs) = nix::sys::statfs::fstatfs(f) else { return true };
    let magic = fs.filesystem_type().0;
    const LATE: &[i64] = &[
        0x6969,                // NFS
        0x65735546,            // FUSE
        0xFF534D42_u32 as i64, // CIFS
        0xFE534D42_u32 as i64, // SMB2
        0x517B,                // SMB
        0x00C36400,            // Ceph
        0x5346414F,            // AFS
        0x6B414653,            // kAFS
        0x0BD00BD0,            // Lustre
        0x47504653,            // GPFS
        0x01021997,            // 9p
        0x19830326,            // BeeGFS
    ];
    LATE.contains(&magic)
}

struct Writer<'a> {
    sh: &'a Shared,
    file: Option<File>,
    late: bool,
    /// Bytes of `pending` already written through the current descriptor.
    written: usize,
    dirty_since: Option<Instant>,
    backoff: Duration,
}

enum Op {
    Open,
    Write,
    Fsync,
}

impl<'a> Writer<'a> {
    fn new(sh: &'a Shared) -> Writer<'a> {
        Writer { sh, file: None, late: true, written: 0, dirty_since: None, backoff: Duration::ZERO }
    }

    fn run(&mut self) {
        loop {
            let (chunks, confirmed, closing, failing) = {
                let mut st = self.sh.lock();
                loop {
                    if st.abandoned {
                        return;
                    }
                    if st.reopen {
                        st.reopen = false;
                        self.file = None;
                        self.written = 0;
                        self.backoff = Duration::ZERO;
                    }
                    let unwritten = self.written < st.pending_bytes;
                    let unread = st.spool.as_ref().is_some_and(|s| s.unread() > 0);
                    let takes = st.may_take()
                        && if st.spooling() { unread && self.sh.pool.room() > 0 } else { !st.queue.is_empty() };
                    let fsync_due = self.dirty_since.is_some_and(|t| t.elapsed() >= FSYNC_EVERY);
                    if unwritten || takes || fsync_due || (st.closing && self.dirty_since.is_some()) {
                        break;
                    }
                    if st.closing && st.drained() {
                        drop(st);
                        self.sh.to_callers.notify_all();
                        // Late-reporting filesystems get a last fsync (their bytes were confirmed by one
                        // already); local ones reported at write time, and con-duct never fsyncs either.
                        if let Some(f) = self.file.take()
                            && self.late
                        {
                            let _ = f.sync_all();
                        }
                        return;
                    }
                    st.last_progress = Instant::now();
                    let mut wait =
                        self.dirty_since.map_or(Duration::from_secs(3600), |t| FSYNC_EVERY.saturating_sub(t.elapsed()));
                    if unread && st.may_take() {
                        // Waiting for room in memory, which other files' writers make without telling this one.
                        wait = wait.min(Duration::from_millis(20));
                    }
                    st = wait_for(&self.sh.to_writer, st, wait);
                }
                if st.may_take() {
                    if st.spooling() {
                        let max = SPOOL_CHUNK.min(self.sh.pool.room());
                        if let Some(sp) = st.spool.as_mut().filter(|s| s.unread() > 0 && max > 0) {
                            match sp.read_chunk(max) {
                                Ok(c) => {
                                    self.sh.pool.hold(c.len());
                                    st.pending_bytes += c.len();
                                    st.pending.push_back(Chunk { bytes: Arc::new(c), spooled: true });
                                }
                                Err(e) => {
                                    let n = sp.unread();
                                    sp.forget_unread();
                                    tracing::warn!(
                                        "cannot read back the spool of {}: {e}; {n} bytes lost",
                                        self.sh.path.display()
                                    );
                                    st.stats.bytes_dropped += n;
                                }
                            }
                        }
                    } else if !st.queue.is_empty() {
                        let q = std::mem::take(&mut st.queue);
                        st.pending_bytes += q.len();
                        st.pending.push_back(Chunk { bytes: Arc::new(q), spooled: false });
                        self.sh.to_callers.notify_all();
                    }
                }
                let chunks = st.pending.iter().map(|c| Arc::clone(&c.bytes)).collect::<Vec<_>>();
                (chunks, st.confirmed, st.closing, st.failing)
            };
            if let Err((op, e)) = self.write_out(&chunks, confirmed) {
                self.failed(op, &e, closing);
                continue;
            }
            let total: usize = chunks.iter().map(|c| c.len()).sum();
            // A failing file is confirmed at once when it works again: until then it takes nothing new.
            let must_sync = !self.late
                || total >= FSYNC_BYTES
                || self.dirty_since.is_some_and(|t| t.elapsed() >= FSYNC_EVERY)
                || closing
                || failing;
            if !must_sync {
                continue;
            }
            if self.late
                && let Some(f) = &self.file
                && let Err(e) = f.sync_data()
            {
                self.failed(Op::Fsync, &e, closing);
                continue;
            }
            self.confirm(total);
        }
    }

    /// Write every byte of `chunks` not yet written through the current descriptor.
    fn write_out(&mut self, chunks: &[Arc<Vec<u8>>], confirmed: u64) -> Result<(), (Op, io::Error)> {
        if self.file.is_none() {
            let f = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .open(&self.sh.path)
                .map_err(|e| (Op::Open, e))?;
            let len = f.metadata().map_err(|e| (Op::Open, e))?.len();
            self.late = reports_late(&f);
            if len < confirmed {
                // The file lost bytes duct had confirmed: go on at its end rather than leave a run of zeros.
                let mut st = self.sh.lock();
                st.stats.bytes_lost_by_file += confirmed - len;
                st.confirmed = len;
                st.note_new_offset();
                push_incident(
                    &mut st,
                    "reopen",
                    None,
                    format!("the file was {} bytes shorter than written", confirmed - len),
                );
                tracing::warn!(
                    "{} lost {} bytes while it was away; continuing at its end",
                    self.sh.path.display(),
                    confirmed - len
                );
                drop(st);
                self.file = Some(f);
                self.written = 0;
                return self.write_out(chunks, len);
            }
            self.file = Some(f);
            self.written = 0;
        }
        if let Some(f) = &self.file
            && let Some(change) = changed_behind_our_back(f, confirmed)
        {
            return self.lost_behind_our_back(change, chunks, confirmed);
        }
        let Some(f) = &self.file else { return Ok(()) };
        let mut at = confirmed;
        let mut skip = self.written;
        for chunk in chunks {
            let c: &[u8] = chunk;
            if skip >= c.len() {
                skip -= c.len();
                at += c.len() as u64;
                continue;
            }
            let part = c.get(skip..).unwrap_or_default();
            f.write_all_at(part, at + skip as u64).map_err(|e| (Op::Write, e))?;
            self.written += part.len();
            self.dirty_since.get_or_insert_with(Instant::now);
            at += c.len() as u64;
            skip = 0;
        }
        let mut st = self.sh.lock();
        st.last_progress = Instant::now();
        Ok(())
    }

    /// Someone else truncated or deleted the file: record it, then go on at the file's new end (a new file
    /// when it was deleted), never leaving a run of zeros where the lost bytes were.
    fn lost_behind_our_back(
        &mut self,
        change: Change,
        chunks: &[Arc<Vec<u8>>],
        confirmed: u64,
    ) -> Result<(), (Op, io::Error)> {
        let (len, what) = match change {
            Change::Truncated(len) => (len, "truncated"),
            Change::Deleted => (0, "deleted"),
        };
        let lost = confirmed.saturating_sub(len);
        {
            let mut st = self.sh.lock();
            st.stats.bytes_lost_by_file += lost;
            st.confirmed = len;
            st.note_new_offset();
            push_incident(&mut st, "check", None, format!("the file was {what} by someone else; {lost} bytes lost"));
        }
        tracing::warn!(
            "{} was {what} by someone else: {lost} bytes written to it are gone; continuing at its end",
            self.sh.path.display()
        );
        self.file = None;
        self.written = 0;
        if let Change::Deleted = change
            && let Some(dir) = self.sh.path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            let _ = std::fs::create_dir_all(dir);
        }
        let confirmed_now = self.sh.lock().confirmed;
        self.write_out(chunks, confirmed_now)
    }

    /// The first `total` pending bytes are in the file for good.
    fn confirm(&mut self, total: usize) {
        let mut st = self.sh.lock();
        let mut left = total;
        let mut from_spool = 0;
        while let Some(front) = st.pending.front() {
            let n = front.bytes.len();
            if n > left {
                break;
            }
            left -= n;
            if front.spooled {
                from_spool += n as u64;
            }
            st.pending.pop_front();
            st.pending_bytes -= n;
            st.confirmed += n as u64;
            st.stats.bytes_written += n as u64;
            self.sh.pool.release(n);
        }
        // Only now may the spool let go of them.
        let at = st.confirmed;
        if from_spool > 0
            && let Some(sp) = st.spool.as_mut()
        {
            sp.confirm(from_spool, at);
        }
        self.written = self.written.saturating_sub(total - left);
        self.dirty_since = None;
        self.backoff = Duration::ZERO;
        st.last_progress = Instant::now();
        if st.failing {
            st.failing = false;
            let when = now_text();
            if let Some(i) = st.stats.incidents.last_mut() {
                i.recovered = Some(when);
            }
            tracing::warn!("{} works again; duct caught up to byte {}", self.sh.path.display(), st.confirmed);
        }
        drop(st);
        self.sh.to_callers.notify_all();
    }

    fn failed(&mut self, op: Op, e: &io::Error, closing: bool) {
        self.file = None;
        self.written = 0;
        self.dirty_since = None;
        let op_name = match op {
            Op::Open => "open",
            Op::Write => "write",
            Op::Fsync => "fsync",
        };
        let mut st = self.sh.lock();
        st.stats.retries += 1;
        // From the first failure on, everything the file has not confirmed is in the spool (a kill -9 loses
        // none of it), and the writer keeps only a small piece in memory to retry with.
        if !st.abandoned {
            match self.sh.persist(&mut st) {
                Ok(()) => st.keep_only(PROBE.min(self.sh.pool.cap / 4), &self.sh.pool),
                Err(e) if !st.spool_warned => {
                    st.spool_warned = true;
                    tracing::warn!("cannot spool {} ({e}); its output waits in memory", self.sh.path.display());
                }
                Err(_) => {}
            }
        }
        if !st.failing {
            st.failing = true;
            push_incident(&mut st, op_name, errno_name(e), e.to_string());
            let held = if st.pending_bytes > 0 { " (keeping its output and retrying)" } else { "" };
            tracing::warn!("cannot {op_name} {}: {e}{held}", self.sh.path.display());
            self.sh.to_callers.notify_all();
        }
        // At once the first time, then doubling to a cap; faster while duct is finishing.
        let cap = if closing { Duration::from_millis(500) } else { BACKOFF_CAP };
        let wait = self.backoff.min(cap);
        self.backoff = (self.backoff * 2).max(Duration::from_millis(250)).min(cap);
        let until = Instant::now() + wait;
        while !st.reopen && Instant::now() < until {
            let closing_now = st.closing;
            st = wait_for(&self.sh.to_writer, st, until.saturating_duration_since(Instant::now()));
            if st.closing && !closing_now {
                break;
            }
        }
        st.reopen = false;
    }
}

/// What happened to an open log file that duct did not do.
enum Change {
    Truncated(u64),
    Deleted,
}

/// One fstat before each batch of writes: cheap next to the write, and the only way to notice a truncation
/// (pwrite past the end would leave a hole of zeros) or a deletion (the bytes would go to an unlinked inode).
fn changed_behind_our_back(f: &File, confirmed: u64) -> Option<Change> {
    let m = f.metadata().ok()?;
    if std::os::unix::fs::MetadataExt::nlink(&m) == 0 {
        return Some(Change::Deleted);
    }
    (m.len() < confirmed).then_some(Change::Truncated(m.len()))
}

fn push_incident(st: &mut State, operation: &'static str, errno: Option<String>, error: String) {
    if st.stats.incidents.len() < MAX_INCIDENTS {
        st.stats.incidents.push(Incident { time: now_text(), operation, errno, error, recovered: None });
    }
}

/// Replace `path` whole and atomically: a temporary file beside it, then a rename. Readers see either the
/// old document or the new one, never a torn or empty one.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(bytes)?;
        // A network filesystem reports a failed write only here; a local one already did.
        if reports_late(&f) {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
