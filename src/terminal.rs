//! duct's own stdout and stderr, shared by the pumps (the child's bytes) and duct's messages.
//!
//! Two promises live here: duct's messages are whole lines that never land inside a partial line of the
//! child's stderr (they wait for the child to reach a line boundary, for a short while), and a terminal that
//! goes away (`duct cmd | head -1`, a closed window) only stops the echo: the error never travels further.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;

/// How long a message may wait for the child's stderr to finish its line before it is written anyway.
const MAX_HOLD: Duration = Duration::from_millis(500);

struct Stderr {
    /// The child's stderr echo last ended at a line boundary (`\n` or `\r`).
    at_line_start: bool,
    pending: Vec<u8>,
    pending_since: Option<Instant>,
    /// The child's stderr has ended: nothing will complete its last line, so messages need not wait.
    child_done: bool,
}

static STDERR: Mutex<Stderr> =
    Mutex::new(Stderr { at_line_start: true, pending: Vec::new(), pending_since: None, child_done: false });
static STDOUT_OPEN: AtomicBool = AtomicBool::new(true);
static STDERR_OPEN: AtomicBool = AtomicBool::new(true);
/// duct's stdout (stderr) failed with an error other than a closed reader, and has not worked since.
static STDOUT_FAILING: AtomicBool = AtomicBool::new(false);
static STDERR_FAILING: AtomicBool = AtomicBool::new(false);

fn lock() -> std::sync::MutexGuard<'static, Stderr> {
    // A panic while holding this lock must not silence duct for the rest of the run.
    STDERR.lock().unwrap_or_else(|e| e.into_inner())
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

fn echo(open: &AtomicBool, fd: BorrowedFd<'_>, bytes: &[u8], name: &str) {
    if !open.load(Ordering::Relaxed) {
        return;
    }
    let failing = if name == "stdout" { &STDOUT_FAILING } else { &STDERR_FAILING };
    match write_all(fd, bytes) {
        Ok(()) => {
            if failing.swap(false, Ordering::Relaxed) && name == "stdout" {
                tracing::info!("duct's {name} works again");
            }
        }
        // Nobody reads any more (`| head -1`, a closed terminal): stop echoing this stream for good.
        Err(e) if e.raw_os_error() == Some(libc::EPIPE) || e.raw_os_error() == Some(libc::EBADF) => {
            open.store(false, Ordering::Relaxed);
            if name == "stdout" {
                tracing::warn!("duct's stdout is gone ({e}); still capturing the command's stdout to its log file");
            }
        }
        // A file that fails for now (a batch system's output file on expired NFS): this chunk is only in the
        // log file; later chunks are tried again.
        Err(e) => {
            if !failing.swap(true, Ordering::Relaxed) && name == "stdout" {
                tracing::warn!("cannot write duct's {name} ({e}); the command's output is still in its log file");
            }
        }
    }
}

/// The child's stdout bytes, echoed as they come.
pub fn child_stdout(bytes: &[u8]) {
    echo(&STDOUT_OPEN, io::stdout().as_fd(), bytes, "stdout");
}

/// The child's stderr bytes; held messages go out as soon as the child reaches a line boundary.
pub fn child_stderr(bytes: &[u8]) {
    let mut st = lock();
    echo(&STDERR_OPEN, io::stderr().as_fd(), bytes, "stderr");
    if let Some(&last) = bytes.last() {
        st.at_line_start = last == b'\n' || last == b'\r';
    }
    if st.at_line_start && !st.pending.is_empty() {
        let pending = std::mem::take(&mut st.pending);
        st.pending_since = None;
        echo(&STDERR_OPEN, io::stderr().as_fd(), &pending, "stderr");
    }
}

/// One of duct's own messages (whole lines, ending in '\n').
pub fn message(text: &[u8]) {
    let mut st = lock();
    if st.at_line_start {
        echo(&STDERR_OPEN, io::stderr().as_fd(), text, "stderr");
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
    echo(&STDERR_OPEN, io::stderr().as_fd(), &out, "stderr");
}

/// The child's stderr has ended (or is not echoed by duct): held messages go out, on a line of their own.
pub fn end_child_stderr() {
    let mut st = lock();
    st.child_done = true;
    flush_locked(&mut st);
}
