//! duct's own stdout and stderr, shared by the pumps (the child's bytes) and duct's messages.
//!
//! Two promises live here: duct's messages are whole lines that never land inside a partial line of the
//! child's stderr (they wait for the child to reach a line boundary, for a short while), and a terminal that
//! goes away (`duct cmd | head -1`, a closed window) only stops the echo: the error never travels further.

use std::collections::VecDeque;
use std::io;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nix::errno::Errno;

/// How long a message may wait for the child's stderr to finish its line before it is written anyway.
const MAX_HOLD: Duration = Duration::from_millis(500);
/// The command's bytes that may wait for one of duct's streams that is not accepting them (a stopped pager,
/// a file on a hung mount); beyond this they are skipped, so the command never waits for duct's echo.
const ECHO_QUEUE: usize = 4 << 20;

/// One of duct's own output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Own {
    Stdout,
    Stderr,
}

impl Own {
    fn name(self) -> &'static str {
        match self {
            Own::Stdout => "stdout",
            Own::Stderr => "stderr",
        }
    }
    fn fd(self) -> BorrowedFd<'static> {
        // SAFETY: descriptors 1 and 2 are never closed by duct: they live as long as the process.
        unsafe { BorrowedFd::borrow_raw(if self == Own::Stdout { 1 } else { 2 }) }
    }
    fn outlet(self) -> &'static Outlet {
        match self {
            Own::Stdout => &STDOUT,
            Own::Stderr => &STDERR_OUT,
        }
    }
}

struct Stderr {
    /// The child's stderr echo last ended at a line boundary (`\n` or `\r`).
    at_line_start: bool,
    pending: Vec<u8>,
    pending_since: Option<Instant>,
    /// The child's stderr has ended: nothing will complete its last line, so messages need not wait.
    child_done: bool,
}

/// What waits for one of duct's streams while the echo runs in the background (`start_echo`).
struct Queue {
    /// A writer thread takes chunks from here; without one, writes happen in the caller.
    writer: bool,
    /// What waits, in order; true for the command's bytes, false for duct's messages.
    chunks: VecDeque<(Vec<u8>, bool)>,
    /// The command's bytes among the chunks (duct's own messages are not counted: they are never skipped).
    echo_bytes: usize,
    /// The writer is inside a write.
    busy: bool,
    /// The command's bytes skipped since the stream last caught up, and in the whole run.
    skipping: u64,
    skipped: u64,
    /// The stream's bytes go to a log file too (said in the warning about skipped bytes).
    logged: bool,
    /// When the writer started or last finished a write.
    progress: Option<Instant>,
}

struct Outlet {
    queue: Mutex<Queue>,
    /// The writer waits here for chunks; `drain` waits here for the queue to empty.
    changed: Condvar,
    open: AtomicBool,
    /// The stream failed with an error other than a closed reader, and has not worked since.
    failing: AtomicBool,
}

impl Outlet {
    const fn new() -> Outlet {
        Outlet {
            queue: Mutex::new(Queue {
                writer: false,
                chunks: VecDeque::new(),
                echo_bytes: 0,
                busy: false,
                skipping: 0,
                skipped: 0,
                logged: false,
                progress: None,
            }),
            changed: Condvar::new(),
            open: AtomicBool::new(true),
            failing: AtomicBool::new(false),
        }
    }
}

// Process-wide facts: duct has one stdout and one stderr, shared by every thread that writes to them (the
// panic hook and the logger among them, which have no run to ask).
static STDERR: Mutex<Stderr> =
    Mutex::new(Stderr { at_line_start: true, pending: Vec::new(), pending_since: None, child_done: false });
static STDOUT: Outlet = Outlet::new();
static STDERR_OUT: Outlet = Outlet::new();

fn lock() -> MutexGuard<'static, Stderr> {
    // A panic while holding this lock must not silence duct for the rest of the run.
    STDERR.lock().unwrap_or_else(|e| e.into_inner())
}

fn queue(own: Own) -> MutexGuard<'static, Queue> {
    own.outlet().queue.lock().unwrap_or_else(|e| e.into_inner())
}

/// Write everything, riding out EINTR, short writes and a descriptor someone else set non-blocking.
pub fn write_all(fd: BorrowedFd<'_>, mut buf: &[u8]) -> io::Result<()> {
    while !buf.is_empty() {
        match nix::unistd::write(fd, buf) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => buf = buf.get(n..).unwrap_or_default(),
            Err(Errno::EINTR) => {}
            Err(Errno::EAGAIN) => {
                let mut fds = [nix::poll::PollFd::new(fd, nix::poll::PollFlags::POLLOUT)];
                let _ = nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(100u16));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn write_now(own: Own, bytes: &[u8]) {
    let outlet = own.outlet();
    if !outlet.open.load(Ordering::Relaxed) {
        return;
    }
    let name = own.name();
    match write_all(own.fd(), bytes) {
        Ok(()) => {
            if outlet.failing.swap(false, Ordering::Relaxed) && own == Own::Stdout {
                tracing::info!("duct's {name} works again");
            }
        }
        // Nobody reads any more (`| head -1`, a closed terminal): stop echoing this stream for good.
        Err(e) if e.raw_os_error() == Some(libc::EPIPE) || e.raw_os_error() == Some(libc::EBADF) => {
            outlet.open.store(false, Ordering::Relaxed);
            if own == Own::Stdout {
                tracing::warn!("duct's stdout is gone ({e}); still capturing the command's stdout to its log file");
            }
        }
        // A file that fails for now (a batch system's output file on expired NFS): this chunk is only in the
        // log file; later chunks are tried again.
        Err(e) => {
            if !outlet.failing.swap(true, Ordering::Relaxed) && own == Own::Stdout {
                tracing::warn!("cannot write duct's {name} ({e}); the command's output is still in its log file");
            }
        }
    }
}

/// Bytes for one of duct's streams: written now, or queued for its writer. When the command's bytes
/// (`echo`) outgrow the queue, the oldest of them are skipped (counted), so that a stream that drains again
/// resumes with the command's latest output; duct's own messages always wait their turn.
fn send(own: Own, bytes: &[u8], echo: bool) {
    let mut q = queue(own);
    if !q.writer {
        drop(q);
        return write_now(own, bytes);
    }
    if echo {
        while q.echo_bytes + bytes.len() > ECHO_QUEUE {
            let Some(oldest) = q.chunks.iter().position(|(_, is_echo)| *is_echo) else { break };
            let (gone, _) = q.chunks.remove(oldest).unwrap_or_default();
            q.echo_bytes -= gone.len();
            q.skipping += gone.len() as u64;
            q.skipped += gone.len() as u64;
        }
        q.echo_bytes += bytes.len();
    }
    if q.chunks.is_empty() && !q.busy {
        // An idle writer has made no progress because it had nothing to do: the wait for it starts now.
        q.progress = Some(Instant::now());
    }
    q.chunks.push_back((bytes.to_vec(), echo));
    own.outlet().changed.notify_all();
}

/// From here to `drain`, the command's echo never waits for duct's streams: a thread per stream writes.
/// `logged` says, per stream, whether the command's bytes also go to a log file.
pub fn start_echo(logged_stdout: bool, logged_stderr: bool) {
    for (own, logged) in [(Own::Stdout, logged_stdout), (Own::Stderr, logged_stderr)] {
        let mut q = queue(own);
        if q.writer {
            continue;
        }
        q.logged = logged;
        q.progress = Some(Instant::now());
        let spawned = std::thread::Builder::new().name(format!("echo-{}", own.name())).spawn(move || writer(own));
        match spawned {
            Ok(_) => q.writer = true,
            Err(e) => {
                drop(q);
                tracing::warn!("cannot start duct's {} writer ({e}); the echo writes directly", own.name());
            }
        }
    }
}

/// One stream's writer: queue order, one chunk at a time, outside the lock.
fn writer(own: Own) {
    let outlet = own.outlet();
    loop {
        let chunk = {
            let mut q = queue(own);
            while q.chunks.is_empty() {
                q = outlet.changed.wait(q).unwrap_or_else(|e| e.into_inner());
            }
            let (chunk, echo) = q.chunks.pop_front().unwrap_or_default();
            if echo {
                q.echo_bytes -= chunk.len();
            }
            q.busy = true;
            chunk
        };
        write_now(own, &chunk);
        let caught_up = {
            let mut q = queue(own);
            (q.chunks.is_empty() && q.skipping > 0).then(|| (std::mem::take(&mut q.skipping), q.logged))
        };
        // Said while still busy, so that `drain` cannot see this stream idle before the warning is queued.
        if let Some((n, logged)) = caught_up {
            warn_skipped(own, n, logged);
        }
        let mut q = queue(own);
        q.busy = false;
        q.progress = Some(Instant::now());
        outlet.changed.notify_all();
    }
}

fn warn_skipped(own: Own, bytes: u64, logged: bool) {
    let name = own.name();
    let where_ = if logged { "; its log file has every byte" } else { "" };
    tracing::warn!(
        "{bytes} bytes of the command's {name} were not shown on duct's {name}, which was not accepting them{where_}"
    );
}

/// The command's bytes skipped on `own` because it was not accepting them.
pub fn skipped(own: Own) -> u64 {
    queue(own).skipped
}

/// At the very end: let the writers finish, as long as each keeps making progress within `patience`. What a
/// stream that made none for that long still holds is given up (counted and said on the other stream).
pub fn drain(patience: Duration) {
    flush_all();
    // stdout first: its writer may still queue a warning on stderr.
    for own in [Own::Stdout, Own::Stderr] {
        let outlet = own.outlet();
        let mut q = queue(own);
        loop {
            if !q.writer || (q.chunks.is_empty() && !q.busy) {
                break;
            }
            let idle = q.progress.map_or(Duration::ZERO, |p| p.elapsed());
            if idle >= patience {
                let left: u64 = q.echo_bytes as u64 + q.skipping;
                q.skipped += q.echo_bytes as u64;
                q.chunks.clear();
                q.skipping = 0;
                let logged = q.logged;
                drop(q);
                // A stuck stderr cannot be told; a stuck stdout is told on stderr (never on stdout, which
                // carries the command's data), through its queue, which is drained next: a direct write
                // could land inside a message its writer is still writing.
                if own == Own::Stdout {
                    let line = format!(
                        "duct: {left} bytes of the command's stdout were not shown on duct's stdout, which accepted \
                         nothing for {} s{}\n",
                        patience.as_secs(),
                        if logged { "; its log file has every byte" } else { "" }
                    );
                    message(line.as_bytes());
                }
                break;
            }
            q = outlet.changed.wait_timeout(q, patience - idle).map_or_else(|e| e.into_inner().0, |(q, _)| q);
        }
    }
}

/// The child's stdout bytes, echoed as they come.
pub fn child_stdout(bytes: &[u8]) {
    send(Own::Stdout, bytes, true);
}

/// The child's stderr bytes; held messages go out as soon as the child reaches a line boundary.
pub fn child_stderr(bytes: &[u8]) {
    let mut st = lock();
    send(Own::Stderr, bytes, true);
    if let Some(&last) = bytes.last() {
        st.at_line_start = last == b'\n' || last == b'\r';
    }
    if st.at_line_start && !st.pending.is_empty() {
        let pending = std::mem::take(&mut st.pending);
        st.pending_since = None;
        send(Own::Stderr, &pending, false);
    }
}

/// One of duct's own messages (whole lines, ending in '\n').
pub fn message(text: &[u8]) {
    let mut st = lock();
    if st.at_line_start {
        send(Own::Stderr, text, false);
    } else {
        st.pending.extend_from_slice(text);
        st.pending_since.get_or_insert_with(Instant::now);
        if st.child_done {
            flush_locked(&mut st);
        }
    }
}

/// Write messages that waited too long: the child has stayed in the middle of a line, so start a new one.
pub fn flush_stale() {
    let mut st = lock();
    if st.pending_since.is_some_and(|t| t.elapsed() >= MAX_HOLD) {
        flush_locked(&mut st);
    }
}

/// At the end of the run: whatever waits goes out, on a line of its own.
pub fn flush_all() {
    flush_locked(&mut lock());
}

fn flush_locked(st: &mut Stderr) {
    if st.pending.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(st.pending.len() + 1);
    if !st.at_line_start {
        out.push(b'\n');
    }
    out.append(&mut st.pending);
    st.pending_since = None;
    st.at_line_start = true;
    send(Own::Stderr, &out, false);
}

/// The child's stderr has ended (or is not echoed by duct): held messages go out, on a line of their own.
pub fn end_child_stderr() {
    let mut st = lock();
    st.child_done = true;
    flush_locked(&mut st);
}
