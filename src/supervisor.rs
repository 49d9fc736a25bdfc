//! The two processes of a run, so that nothing that happens to duct reaches the command.
//!
//! The process the shell waits on (the supervisor) forks, before any thread exists, a worker that does
//! everything else and becomes the command's parent. The supervisor stays tiny: it is a child subreaper,
//! passes the signals sent to it on to the worker, keeps a copy of the read ends of the command's output
//! (the worker sends them over a socket right after the spawn, SCM_RIGHTS) and waits. A pipe keeps a
//! reader, and a terminal its master, while any process holds them, so the command never gets SIGPIPE or
//! SIGHUP because one of the two died. If the supervisor is killed, the worker carries on: it already holds
//! the pipes and writes everything. If the worker dies, the command is re-parented to the supervisor, which
//! reaps it, keeps its output flowing into the log files, records its exit code with the state
//! `duct-killed` in info.json, says so in one line and returns that exit code.

use std::fs::{File, OpenOptions};
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::mman::{self, MapFlags, ProtFlags};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, pthread_sigmask};
use nix::sys::socket::{self, AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid};
use serde::Deserialize;
use signal_hook::consts::signal::{SIGCHLD, SIGCONT, SIGTSTP, SIGWINCH};
use signal_hook::low_level::siginfo::{Cause, Origin};

use crate::child::Target;
use crate::config::Mode;
use crate::dispositions::Dispositions;
use crate::record::ExecutionSummary;
use crate::signals::{self, Event, Forwarder};

/// How long the command's descendants may keep its output open after it exited (as the worker allows).
const DESCENDANT_GRACE: Duration = Duration::from_millis(1000);
/// How long the supervisor waits for a worker that said it is done to end, before it leaves it behind.
const FINISHED_GRACE: Duration = Duration::from_millis(1000);

/// Counters both processes see (a shared anonymous mapping made before the fork, never unmapped): the bytes
/// the worker has read from each of the command's streams, so that a supervisor taking over knows how many
/// went down with the worker.
#[derive(Clone, Copy)]
pub struct Tally(&'static [AtomicU64; 2]);

impl Tally {
    fn new() -> Option<Tally> {
        let len = std::num::NonZeroUsize::new(std::mem::size_of::<[AtomicU64; 2]>())?;
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a fresh anonymous mapping aliases nothing.
        let page = unsafe { mman::mmap_anonymous(None, len, prot, MapFlags::MAP_SHARED) }.ok()?;
        // SAFETY: the mapping is zero-filled, page-aligned, large enough, and lives as long as the process
        // (it is never unmapped), so it is a valid `'static` pair of atomics; both processes only use atomics.
        Some(Tally(unsafe { page.cast::<[AtomicU64; 2]>().as_ref() }))
    }

    /// Count `n` more bytes read from the command's stdout (or stderr).
    pub fn add(&self, is_stderr: bool, n: usize) {
        self.0[usize::from(is_stderr)].fetch_add(n as u64, Ordering::Relaxed);
    }

    fn read(&self, is_stderr: bool) -> u64 {
        self.0[usize::from(is_stderr)].load(Ordering::Relaxed)
    }
}

/// The worker's end of the link to its supervisor.
pub struct Link {
    /// Bytes read from the command's streams, seen by the supervisor too.
    pub tally: Option<Tally>,
    sock: OwnedFd,
    /// The pid the shell waits on: duct's pid as the user sees it (`{pid}` in --output-prefix).
    pub supervisor_pid: u32,
    /// The signal mask from before the split: the caught signals stay blocked until the handlers exist.
    mask: SigSet,
    /// Recent signals acted on: number, whether relayed by the supervisor, when.
    seen: std::cell::RefCell<Vec<(i32, bool, Instant)>>,
}

/// How far apart the two copies of one group-wide signal may arrive (the relay goes through the
/// supervisor's loop, which a loaded machine may delay).
const TWIN_WINDOW: Duration = Duration::from_secs(1);

/// One output stream of the command, as the supervisor needs it to carry on alone.
pub struct Stream<'a> {
    pub fd: BorrowedFd<'a>,
    /// Its log file; None when it is not captured.
    pub log: Option<&'a Path>,
    /// Shown on duct's stdout (or stderr).
    pub shown: bool,
    pub is_stderr: bool,
}

impl Link {
    /// Call once duct's signal handlers are installed: what arrived meanwhile is delivered now.
    pub fn unblock_signals(&self) {
        let _ = self.mask.thread_set_mask();
    }

    /// Whether the worker acts on this signal. One sent to the job's process group (or by `pkill`) reaches
    /// both processes, and the supervisor passes on what reached it: of such twins (the same signal, one sent
    /// directly and one relayed, within TWIN_WINDOW of each other) only the first counts, or a group-wide
    /// SIGINT would count twice. One sent to the worker alone still counts; the kernel's (the terminal's
    /// keys) reach both but the supervisor leaves those to the worker.
    pub fn accepts(&self, origin: &Origin) -> bool {
        let supervisor = self.supervisor_pid as i32;
        if origin.cause == Cause::Kernel || nix::unistd::getppid().as_raw() != supervisor {
            return true;
        }
        let relayed = origin.process.is_some_and(|p| p.pid == supervisor);
        let mut seen = self.seen.borrow_mut();
        let now = Instant::now();
        seen.retain(|(_, _, at)| now.duration_since(*at) < TWIN_WINDOW);
        let twin = seen.iter().position(|(sig, was_relayed, _)| *sig == origin.signal && *was_relayed != relayed);
        match twin {
            Some(i) => {
                seen.remove(i);
                false
            }
            None => {
                seen.push((origin.signal, relayed, now));
                true
            }
        }
    }

    /// Tell the supervisor the command's exit code as soon as it is reaped: a worker dying after that would
    /// otherwise take it along.
    pub fn reaped(&self, code: i32) {
        self.say(&format!("reaped\0{code}\0"));
    }

    /// One message without descriptors; a failure only costs the supervisor what it would have learnt.
    fn say(&self, text: &str) {
        let iov = [IoSlice::new(text.as_bytes())];
        let _ = socket::sendmsg::<()>(self.sock.as_raw_fd(), &iov, &[], MsgFlags::empty(), None);
    }

    /// Tell the supervisor duct's exit code, once everything is done (summary, info.json, spool), then let go
    /// of duct's stdout and stderr. The supervisor returns the code without waiting for this process to end:
    /// a thread stuck in a write to a filesystem that never comes back (uninterruptible sleep) keeps a
    /// process from ever finishing its exit, and neither the shell nor a pipe reading duct's output must
    /// wait for that.
    pub fn finished(&self, code: u8) {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        self.say(&format!("exit\0{code}\0"));
        if let Ok(null) = OpenOptions::new().write(true).open("/dev/null") {
            let _ = nix::unistd::dup2_stdout(&null);
            let _ = nix::unistd::dup2_stderr(&null);
        }
    }

    /// What tells the supervisor where the run's spool is, once it exists: if the worker dies, the
    /// supervisor puts the command's later output after the spooled bytes, never before them.
    pub fn spool_announcer(&self) -> Option<crate::spool::Announce> {
        let sock = self.sock.try_clone().ok()?;
        Some(Box::new(move |dir: &Path| {
            let mut text = b"spool\0".to_vec();
            text.extend_from_slice(dir.as_os_str().as_bytes());
            text.push(0);
            let _ = socket::sendmsg::<()>(sock.as_raw_fd(), &[IoSlice::new(&text)], &[], MsgFlags::empty(), None);
        }))
    }

    /// Tell the supervisor the command's pid, its info.json and a copy of its output's read ends. A failure
    /// only costs the supervisor its ability to take over.
    pub fn report(&self, pid: i32, info: Option<&Path>, streams: &[Stream<'_>]) {
        // NUL-separated fields: paths may hold any other byte.
        let mut text: Vec<u8> = Vec::new();
        let mut field = |bytes: &[u8]| {
            text.extend_from_slice(bytes);
            text.push(0);
        };
        field(pid.to_string().as_bytes());
        field(info.map_or(&[][..], |p| p.as_os_str().as_bytes()));
        for s in streams {
            field(if s.is_stderr { b"err" } else { b"out" });
            field(s.log.map_or(&[][..], |p| p.as_os_str().as_bytes()));
            field(if s.shown { b"1" } else { b"0" });
        }
        let fds: Vec<i32> = streams.iter().map(|s| s.fd.as_raw_fd()).collect();
        let cmsg = [ControlMessage::ScmRights(&fds)];
        let cmsgs: &[ControlMessage] = if fds.is_empty() { &[] } else { &cmsg };
        let iov = [IoSlice::new(&text)];
        if let Err(e) = socket::sendmsg::<()>(self.sock.as_raw_fd(), &iov, cmsgs, MsgFlags::empty(), None) {
            tracing::warn!("cannot hand the command's output to duct's supervisor ({e}); it cannot take over");
        }
    }
}

/// What `split` made of this process.
pub enum Role {
    /// The worker (or duct alone, when it could not split): run the command.
    Worker(Option<Link>),
    /// The supervisor, done: duct's exit code.
    Done(u8),
}

/// Fork the worker. Must be called before any thread exists (fork keeps only the calling thread).
pub fn split(dispositions: &Dispositions, mode: Mode) -> Role {
    let supervisor_pid = std::process::id();
    let pair = socket::socketpair(AddressFamily::Unix, SockType::SeqPacket, None, SockFlag::SOCK_CLOEXEC);
    let (mine, theirs) = match pair {
        Ok(pair) => pair,
        Err(e) => {
            tracing::warn!("cannot create duct's supervisor link ({e}); duct runs as one process");
            return Role::Worker(None);
        }
    };
    // Orphans of a dead worker (the command first of all) come to the supervisor.
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        tracing::warn!("cannot become a subreaper ({e}); duct runs as one process");
        return Role::Worker(None);
    }
    // Until each process has its handlers, a signal waits instead of killing one of them.
    let mut block = SigSet::empty();
    for sig in signals::caught(dispositions).into_iter().filter_map(|s| Signal::try_from(s).ok()) {
        block.add(sig);
    }
    let mut mask = SigSet::empty();
    let _ = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&block), Some(&mut mask));
    let tally = Tally::new();
    // Saved before the worker may put the terminal in raw mode (`--pty`), to put it back if the worker dies.
    let saved_terminal = nix::sys::termios::tcgetattr(std::io::stdin()).ok();
    // SAFETY: no other thread exists yet (main calls this before starting any), so the child may do anything.
    match unsafe { nix::unistd::fork() } {
        Err(e) => {
            let _ = mask.thread_set_mask();
            tracing::warn!("cannot fork duct's worker ({e}); duct runs as one process");
            Role::Worker(None)
        }
        Ok(ForkResult::Child) => {
            drop(mine);
            Role::Worker(Some(Link { tally, sock: theirs, supervisor_pid, mask, seen: Default::default() }))
        }
        Ok(ForkResult::Parent { child }) => {
            drop(theirs);
            Role::Done(supervise(child, mine, dispositions, mode, mask, saved_terminal, tally))
        }
    }
}

/// What the worker reported about the command.
struct Report {
    pid: i32,
    /// None when info.json is not written.
    info: Option<PathBuf>,
    /// Read end, log file (None when not captured), shown, is stderr.
    streams: Vec<(OwnedFd, Option<PathBuf>, bool, bool)>,
}

/// What the worker says over the link.
enum Message {
    Report(Report),
    /// Everything is done; duct's exit code.
    Finished(u8),
    /// The run's spool directory now exists.
    Spool(PathBuf),
    /// The command was reaped with this exit code.
    Reaped(i32),
}

fn receive(sock: &OwnedFd) -> Option<Message> {
    let mut buf = vec![0u8; 16384];
    let mut cmsg = nix::cmsg_space!([i32; 4]);
    let (len, fds) = {
        let mut iov = [IoSliceMut::new(&mut buf)];
        let flags = MsgFlags::MSG_CMSG_CLOEXEC;
        let msg = socket::recvmsg::<()>(sock.as_raw_fd(), &mut iov, Some(&mut cmsg), flags).ok()?;
        let mut fds: Vec<OwnedFd> = Vec::new();
        for c in msg.cmsgs().ok()? {
            if let ControlMessageOwned::ScmRights(raw) = c {
                // SAFETY: SCM_RIGHTS just installed these descriptors in this process; nothing else owns them.
                fds.extend(raw.into_iter().map(|fd| unsafe { OwnedFd::from_raw_fd(fd) }));
            }
        }
        (msg.bytes, fds)
    };
    if len == 0 {
        return None;
    }
    let mut parts = buf.get(..len)?.split(|b| *b == 0);
    let first = parts.next()?;
    if first == b"spool" {
        return Some(Message::Spool(PathBuf::from(std::ffi::OsStr::from_bytes(parts.next()?))));
    }
    if first == b"exit" {
        return Some(Message::Finished(std::str::from_utf8(parts.next()?).ok()?.parse().ok()?));
    }
    if first == b"reaped" {
        return Some(Message::Reaped(std::str::from_utf8(parts.next()?).ok()?.parse().ok()?));
    }
    let path = |bytes: &[u8]| (!bytes.is_empty()).then(|| PathBuf::from(std::ffi::OsStr::from_bytes(bytes)));
    let pid = std::str::from_utf8(first).ok()?.parse().ok()?;
    let info = path(parts.next()?);
    let mut streams = Vec::new();
    for fd in fds {
        let (Some(kind), Some(log), Some(shown)) = (parts.next(), parts.next(), parts.next()) else { break };
        streams.push((fd, path(log), shown == b"1", kind == b"err"));
    }
    Some(Message::Report(Report { pid, info, streams }))
}

fn signal_name(sig: i32) -> String {
    Signal::try_from(sig).map(|s| s.as_str().to_string()).unwrap_or_else(|_| format!("signal {sig}"))
}

/// The supervisor's whole life: pass signals on to the worker until it ends; take over if it died.
fn supervise(
    worker: Pid,
    sock: OwnedFd,
    dispositions: &Dispositions,
    mode: Mode,
    mask: SigSet,
    saved_terminal: Option<nix::sys::termios::Termios>,
    tally: Option<Tally>,
) -> u8 {
    let (events, incoming) = mpsc::channel::<Event>();
    signals::listen(events, dispositions);
    let _ = mask.thread_set_mask();
    let (report_tx, report_rx) = mpsc::channel::<Report>();
    let (finished_tx, finished_rx) = mpsc::channel::<u8>();
    let (spool_tx, spool_rx) = mpsc::channel::<PathBuf>();
    let (reaped_tx, reaped_rx) = mpsc::channel::<i32>();
    let _ = std::thread::Builder::new().name("supervisor-link".into()).spawn(move || {
        while let Some(m) = receive(&sock) {
            let _ = match m {
                Message::Report(r) => report_tx.send(r).is_ok(),
                Message::Finished(code) => finished_tx.send(code).is_ok(),
                Message::Spool(dir) => spool_tx.send(dir).is_ok(),
                Message::Reaped(code) => reaped_tx.send(code).is_ok(),
            };
        }
    });
    let mut report: Option<Report> = None;
    loop {
        if let Ok(Event::Signal(origin)) = incoming.recv_timeout(Duration::from_millis(200)) {
            // What the kernel sends (the terminal's keys, hangup) reaches the worker too: same process group.
            let relayed = origin.cause != Cause::Kernel && ![SIGCHLD, SIGWINCH].contains(&origin.signal);
            if relayed && let Ok(sig) = Signal::try_from(origin.signal) {
                let _ = kill(worker, sig);
                if origin.signal == SIGTSTP {
                    // The worker stops the command and itself; the shell must see the pid it waits on stopped.
                    let _ = kill(Pid::this(), Signal::SIGSTOP);
                }
            }
        }
        if report.is_none() {
            report = report_rx.try_recv().ok();
        }
        if let Ok(code) = finished_rx.try_recv() {
            // The worker is done; it normally ends at once, but may never (see `Link::finished`).
            let until = Instant::now() + FINISHED_GRACE;
            // Its main thread already gone (a zombie leader) while it is not reaped: another thread is stuck.
            while Instant::now() < until
                && matches!(waitpid(worker, Some(WaitPidFlag::WNOHANG)), Ok(WaitStatus::StillAlive))
                && !main_thread_gone(worker)
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            return code;
        }
        match waitpid(worker, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => return u8::try_from(code).unwrap_or(1),
            Ok(WaitStatus::Signaled(_, sig, _)) => {
                let report = report.or_else(|| report_rx.recv_timeout(Duration::from_millis(100)).ok());
                let spool = spool_rx.try_recv().ok();
                let reaped = reaped_rx.try_recv().ok();
                let died = Died { worker, sig: sig as i32, reaped, tally };
                return take_over(died, report, spool, &incoming, mode, saved_terminal);
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!("cannot wait for duct's worker: {e}");
                return 1;
            }
        }
    }
}

/// Whether `pid`'s main thread has ended (its state in /proc is Z or X), whatever its other threads do.
fn main_thread_gone(pid: Pid) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next());
    matches!(state, Some("Z" | "X"))
}

/// How the worker died, and what it left.
struct Died {
    worker: Pid,
    sig: i32,
    /// The command's exit code, if the worker had reaped it.
    reaped: Option<i32>,
    tally: Option<Tally>,
}

/// The worker died of `sig`: reap the command, keep its output flowing into the log files, record its end.
fn take_over(
    died: Died,
    report: Option<Report>,
    spool: Option<PathBuf>,
    incoming: &mpsc::Receiver<Event>,
    mode: Mode,
    saved_terminal: Option<nix::sys::termios::Termios>,
) -> u8 {
    // The worker may have left the terminal raw (`--pty`); give it back as it was, if it is still ours.
    if let Some(t) = saved_terminal {
        let stdin = std::io::stdin();
        if nix::unistd::tcgetpgrp(&stdin).is_ok_and(|g| g == nix::unistd::getpgrp()) {
            let _ = nix::sys::termios::tcsetattr(&stdin, nix::sys::termios::SetArg::TCSANOW, &t);
        }
    }
    let Died { worker, sig, reaped, tally } = died;
    let name = signal_name(sig);
    let Some(report) = report else {
        let line = format!("duct: its worker process (pid {worker}) died of {name} before the command started\n");
        crate::terminal::message(line.as_bytes());
        return u8::try_from(128 + sig).unwrap_or(1);
    };
    let line = format!(
        "duct: its worker process (pid {worker}) died of {name}; the command (pid {}) carries on, its output \
         still goes to the log files and its exit code is duct's\n",
        report.pid
    );
    crate::terminal::message(line.as_bytes());
    // What the worker had read but not yet written to a log file went down with it: counted, before the
    // drains append more.
    let lost: Vec<(bool, u64)> = report
        .streams
        .iter()
        .filter_map(|(_, log, _, is_stderr)| {
            let written = std::fs::metadata(log.as_ref()?).map(|m| m.len()).unwrap_or(0);
            Some((*is_stderr, tally?.read(*is_stderr).saturating_sub(written)))
        })
        .collect();
    let drains: Vec<Drain> = report
        .streams
        .into_iter()
        .map(|(fd, log, shown, is_stderr)| drain(fd, log, shown, is_stderr, spool.as_deref()))
        .collect();
    let target = Target::new(report.pid, mode);
    let mut forwarder = Forwarder::new(mode, target);
    let code = loop {
        if let Ok(Event::Signal(origin)) = incoming.recv_timeout(Duration::from_millis(100))
            && ![SIGCHLD, SIGWINCH].contains(&origin.signal)
        {
            if origin.signal == SIGCONT {
                target.send(Signal::SIGCONT);
            } else {
                forwarder.handle(&origin);
            }
        }
        match reap_until(report.pid) {
            Reaped::Command(code) => break Some(code),
            Reaped::NoChildren => break reaped,
            Reaped::Running => {}
        }
    };
    let end = SystemTime::now();
    finish_drains(drains);
    let Some(code) = code else {
        // The worker had reaped the command and died before returning its code.
        crate::terminal::message(b"duct: the command's exit code was lost with duct's worker\n");
        return 1;
    };
    if let Some(info) = &report.info {
        record_end(info, code, end, &name, &lost);
    }
    u8::try_from(code).unwrap_or(1)
}

enum Reaped {
    Command(i32),
    NoChildren,
    Running,
}

/// Reap whatever has ended (the command's orphans come here too); the command's exit code once it ended.
fn reap_until(pid: i32) -> Reaped {
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(p, code)) if p.as_raw() == pid => return Reaped::Command(code),
            Ok(WaitStatus::Signaled(p, sig, _)) if p.as_raw() == pid => return Reaped::Command(128 + sig as i32),
            Ok(WaitStatus::StillAlive) => return Reaped::Running,
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return Reaped::NoChildren,
        }
    }
}

/// One stream the supervisor copies after the worker died.
struct Drain {
    /// Stop copying: the thread hands back what it holds (Some) or says the stream ended (None).
    stop: Arc<AtomicBool>,
    left: mpsc::Receiver<Option<crate::linger::Held>>,
}

/// Copy one stream to the end of its log file (and on to duct's own stream if shown) until end of file, or
/// until told to stop.
fn drain(fd: OwnedFd, log: Option<PathBuf>, shown: bool, is_stderr: bool, spool: Option<&Path>) -> Drain {
    let (tx, left) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let spool = spool.map(Path::to_path_buf);
    let spawned = std::thread::Builder::new().name("supervisor-drain".into()).spawn(move || {
        // After the worker's spooled bytes, never at the log's short end where they belong; in this thread, so
        // a hung log filesystem cannot hold up the supervisor.
        let mut file = log.and_then(|log| crate::spool::file_after_worker(spool.as_deref(), &log));
        let mut input = File::from(fd);
        let mut buf = vec![0u8; 65536];
        let held = loop {
            // Between a write and the next read: a stream handed over never loses a byte read but not written,
            // and a descendant that never pauses is handed over too.
            if stopping.load(Ordering::Relaxed) {
                break Some(crate::linger::Held { read_end: OwnedFd::from(input), log: file });
            }
            // Never blocked in a read for long, so that the stop is seen while nothing comes.
            let mut fds = [nix::poll::PollFd::new(input.as_fd(), nix::poll::PollFlags::POLLIN)];
            if nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(100u16)).unwrap_or(0) <= 0 {
                continue;
            }
            // A terminal's master reads EIO once its last slave closed: that is its end of file.
            let n = match input.read(&mut buf) {
                Ok(0) | Err(_) => break None,
                Ok(n) => n,
            };
            let bytes = buf.get(..n).unwrap_or_default();
            if let Some(f) = &mut file {
                let _ = f.write_all(bytes);
            }
            if shown {
                let _ = if is_stderr {
                    std::io::stderr().write_all(bytes)
                } else {
                    std::io::stdout().write_all(bytes).and_then(|()| std::io::stdout().flush())
                };
            }
        };
        let _ = tx.send(held);
    });
    if let Err(e) = spawned {
        tracing::error!("cannot keep reading the command's output: {e}");
    }
    Drain { stop, left }
}

/// The command has ended: give descendants that still hold its output `DESCENDANT_GRACE` to close it, then
/// hand what is still open to a lingering reader (as the worker would have), so they never get SIGPIPE.
fn finish_drains(drains: Vec<Drain>) {
    let deadline = Instant::now() + DESCENDANT_GRACE;
    let mut open = Vec::new();
    for d in drains {
        match d.left.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => open.push(d),
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
    }
    for d in &open {
        d.stop.store(true, Ordering::Relaxed);
    }
    // A drain stuck in a write to a hung log filesystem does not answer; its stream ends with the supervisor.
    let held: Vec<crate::linger::Held> =
        open.iter().filter_map(|d| d.left.recv_timeout(FINISHED_GRACE).ok().flatten()).collect();
    crate::linger::start(held);
}

/// The command's end in info.json: its exit code, end and wall-clock time, and how duct ended.
fn record_end(path: &Path, code: i32, end: SystemTime, worker_signal: &str, lost: &[(bool, u64)]) {
    let text = std::fs::read_to_string(path).ok();
    let Some(mut doc) = text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) else {
        let line = format!("duct: cannot record the command's end in {}\n", path.display());
        crate::terminal::message(line.as_bytes());
        return;
    };
    let end = end.duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    if let Some(s) = doc.get_mut("execution_summary") {
        // The worker's provisional record; one that does not read as a record is left as it is.
        match ExecutionSummary::deserialize(&*s) {
            Ok(mut summary) => {
                summary.end_at(code, end);
                *s = serde_json::Value::Object(summary.to_map());
            }
            Err(e) => tracing::debug!("cannot read the execution_summary of {}: {e}", path.display()),
        }
    }
    if let Some(d) = doc.get_mut("duct").and_then(|d| d.as_object_mut()) {
        d.insert("state".into(), "duct-killed".into());
        d.insert("killed".into(), "worker".into());
        d.insert("worker_died_of".into(), worker_signal.into());
        let lost: serde_json::Map<String, serde_json::Value> = lost
            .iter()
            .map(|(is_stderr, n)| ((if *is_stderr { "stderr" } else { "stdout" }).to_string(), (*n).into()))
            .collect();
        d.insert("bytes_lost_with_worker".into(), lost.into());
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".supervisor.tmp");
    let mut text = serde_json::to_vec(&doc).unwrap_or_default();
    text.push(b'\n');
    if std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path)).is_err() {
        let line = format!("duct: cannot record the command's end in {}\n", path.display());
        crate::terminal::message(line.as_bytes());
    }
}
