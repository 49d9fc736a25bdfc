//! The monitored command as a process: spawning it on pipes duct owns, reaping it (and any orphan that
//! re-parents to duct as subreaper), turning its status into an exit code, and passing signals on.

use std::ffi::OsString;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::config::Mode;
use crate::dispositions::Dispositions;
use crate::exec;

/// What the child's stdout or stderr is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamSetup {
    /// A pipe that duct reads (captured, shown, or both).
    Pipe,
    /// duct's own descriptor (shown but not captured: the child may see a terminal, as under con-duct).
    Inherit,
    Null,
}

impl StreamSetup {
    fn stdio(self) -> Stdio {
        match self {
            StreamSetup::Pipe => Stdio::piped(),
            StreamSetup::Inherit => Stdio::inherit(),
            StreamSetup::Null => Stdio::null(),
        }
    }
}

pub struct Spawned {
    pub pid: i32,
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
}

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("{0}: command not found")]
    NotFound(String),
    #[error("{0}: cannot execute binary file: Exec format error")]
    ExecFormat(String),
    #[error("{name}: {text}", name = .0, text = os_text(.1))]
    NotExecutable(String, io::Error),
    #[error("{name}: cannot start: {text}", name = .0, text = os_text(.1))]
    Other(String, io::Error),
}

/// An OS error as a shell prints it: "Permission denied", without Rust's "(os error 13)".
fn os_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// The command's side of its pseudo-terminals (`--pty`).
pub struct PtySlaves<'a> {
    /// stdout's terminal, also the command's controlling terminal.
    pub out: &'a OwnedFd,
    /// stderr's terminal, when duct's own stderr is one (or with `--pty always`); else stderr is as set up.
    pub err: Option<&'a OwnedFd>,
    /// stdin reads from the stdout terminal (duct relays its own terminal's input); otherwise it is inherited.
    pub input: bool,
}

pub fn spawn(
    argv: &[OsString],
    mode: Mode,
    stdout: StreamSetup,
    stderr: StreamSetup,
    pty: Option<PtySlaves<'_>>,
    dispositions: Dispositions,
) -> Result<Spawned, SpawnError> {
    let name = argv.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default();
    let Some((program, args)) = argv.split_first() else {
        return Err(SpawnError::NotFound(name));
    };
    let found = exec::find(program).ok_or_else(|| SpawnError::NotFound(name.clone()))?;
    // A binary goes through duct's own execve: glibc's execvp would run a refused one with /bin/sh.
    let direct = if found.binary {
        Some(exec::DirectExec::new(&found.path, argv).map_err(|e| SpawnError::Other(name.clone(), e))?)
    } else {
        None
    };
    let mut cmd = Command::new(&found.path);
    cmd.arg0(program).args(args).stdin(Stdio::inherit()).stdout(stdout.stdio()).stderr(stderr.stdio());
    let controlling_terminal = pty.is_some();
    if let Some(p) = &pty {
        let dup = |fd: &OwnedFd| fd.try_clone().map_err(|e| SpawnError::Other(name.clone(), e));
        cmd.stdout(Stdio::from(dup(p.out)?));
        if let Some(err) = p.err {
            cmd.stderr(Stdio::from(dup(err)?));
        }
        if p.input {
            cmd.stdin(Stdio::from(dup(p.out)?));
        }
    }
    let new_session = controlling_terminal || mode == Mode::NewSession;
    // Always a pre_exec, which also keeps std off posix_spawn: glibc's posix_spawn leaves its internal
    // signals ignored in the child, and so in the command.
    // SAFETY: the closure only calls sigaction, setsid, ioctl and execve, which are async-signal-safe, as
    // pre_exec requires; it allocates nothing. stdio is already in place when it runs, so fd 1 is the stdout
    // terminal under --pty.
    unsafe {
        cmd.pre_exec(move || {
            dispositions.apply_in_child();
            if new_session {
                nix::unistd::setsid().map_err(io::Error::from)?;
            }
            if controlling_terminal && libc::ioctl(1, libc::TIOCSCTTY, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            match &direct {
                Some(d) => Err(d.exec()),
                None => Ok(()),
            }
        });
    }
    let child = cmd.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => SpawnError::NotFound(name.clone()),
        _ if e.raw_os_error() == Some(libc::ENOEXEC) => SpawnError::ExecFormat(name.clone()),
        io::ErrorKind::PermissionDenied => SpawnError::NotExecutable(name.clone(), e),
        _ if e.raw_os_error() == Some(libc::EISDIR) => SpawnError::NotExecutable(name.clone(), e),
        _ => SpawnError::Other(name.clone(), e),
    })?;
    let pid = child.id() as i32;
    // The Child handle is dropped without waiting: duct's one reaper (`reap`) collects every status, which
    // std's wait would otherwise race for.
    let stdout = child.stdout.map(OwnedFd::from);
    let stderr = child.stderr.map(OwnedFd::from);
    Ok(Spawned { pid, stdout, stderr })
}

/// How a reaped process ended, with what the kernel measured of it.
#[derive(Debug, Clone, Copy)]
pub struct Reaped {
    pub pid: i32,
    /// Exit code as a shell reports it: the code, or 128+N for death by signal N.
    pub code: i32,
    pub signal: Option<i32>,
    /// Peak resident set of the process (and its reaped descendants), bytes.
    pub maxrss: u64,
    pub cpu_user: f64,
    pub cpu_system: f64,
}

/// One status change seen by the reaper.
pub enum Status {
    Exited(Reaped),
    Stopped(i32),
}

/// duct's one reaper. It owns every wait for a child of duct: the command, orphans adopted as subreaper,
/// and duct's own helper processes (Kerberos hooks, nvidia-smi). Helpers are registered under the same lock
/// as their spawn, so their statuses are kept for them instead of being taken for the command's orphans,
/// and no `waitpid` of std's races with this one.
#[derive(Default)]
struct Reaper {
    /// Helper pid → its status once reaped.
    helpers: std::collections::HashMap<i32, Option<Reaped>>,
    /// Statuses reaped while a helper was waiting, for the next `reap()`.
    unclaimed: Vec<Status>,
}

// Process-wide: a process has one set of children to wait for, whichever thread reaps them.
static REAPER: std::sync::Mutex<Option<Reaper>> = std::sync::Mutex::new(None);

fn reaper() -> std::sync::MutexGuard<'static, Option<Reaper>> {
    REAPER.lock().unwrap_or_else(|e| e.into_inner())
}

/// Collect every status change that is ready (the command, and orphans adopted as subreaper). Never blocks:
/// while a helper is being spawned (its exec may hang on a dead mount) this returns nothing, and the caller's
/// next round collects.
pub fn reap() -> Vec<Status> {
    let mut guard = match REAPER.try_lock() {
        Ok(g) => g,
        Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return Vec::new(),
    };
    let r = guard.get_or_insert_with(Reaper::default);
    collect(r);
    std::mem::take(&mut r.unclaimed)
}

/// The live processes descended from duct (the command's tree, and the orphans it left, which come to duct
/// as their subreaper), not counting duct's own helpers and their children.
pub fn live_descendants() -> usize {
    let me = std::process::id() as i32;
    let helpers: Vec<i32> = reaper().as_ref().map(|r| r.helpers.keys().copied().collect()).unwrap_or_default();
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0 };
    let mut parent: std::collections::HashMap<i32, i32> = std::collections::HashMap::new();
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else { continue };
        let Ok(bytes) = std::fs::read(entry.path().join("stat")) else { continue };
        if let Ok(st) = crate::sample::proc_stat::parse_stat(&bytes)
            && !st.is_zombie()
        {
            parent.insert(pid, st.ppid);
        }
    }
    let descends = |mut pid: i32| {
        // Bounded walk: a pid table read while it changes may hold a cycle.
        for _ in 0..4096 {
            match parent.get(&pid) {
                Some(&pp) if pp == me => return !helpers.contains(&pid),
                Some(&pp) if pp > 1 && !helpers.contains(&pp) => pid = pp,
                _ => return false,
            }
        }
        false
    };
    parent.keys().filter(|&&p| p != me && descends(p)).count()
}

/// Spawn one of duct's own helper processes; wait for it with `wait_helper`, never with std's `wait`.
pub fn spawn_helper(cmd: &mut Command) -> io::Result<std::process::Child> {
    let mut guard = reaper();
    let r = guard.get_or_insert_with(Reaper::default);
    let child = cmd.spawn()?;
    r.helpers.insert(child.id() as i32, None);
    Ok(child)
}

/// The helper's status, once it has exited, or None if it is still running at `deadline`.
pub fn wait_helper(pid: i32, deadline: std::time::Instant) -> Option<Reaped> {
    loop {
        let guard = match REAPER.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        };
        if let Some(mut guard) = guard {
            let r = guard.get_or_insert_with(Reaper::default);
            collect(r);
            if let Some(Some(done)) = r.helpers.get(&pid).copied() {
                r.helpers.remove(&pid);
                return Some(done);
            }
        }
        if std::time::Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn collect(r: &mut Reaper) {
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value of this plain C struct.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers are to live locals of the right types.
        let pid = unsafe { libc::wait4(-1, &mut status, libc::WNOHANG | libc::WUNTRACED, &mut ru) };
        if pid <= 0 {
            if pid < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return;
        }
        if libc::WIFSTOPPED(status) {
            if !r.helpers.contains_key(&pid) {
                r.unclaimed.push(Status::Stopped(pid));
            }
            continue;
        }
        let (code, signal) = if libc::WIFSIGNALED(status) {
            let sig = libc::WTERMSIG(status);
            (128 + sig, Some(sig))
        } else {
            (libc::WEXITSTATUS(status), None)
        };
        let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
        let reaped = Reaped {
            pid,
            code,
            signal,
            maxrss: (ru.ru_maxrss.max(0) as u64) * 1024,
            cpu_user: secs(ru.ru_utime),
            cpu_system: secs(ru.ru_stime),
        };
        match r.helpers.get_mut(&pid) {
            Some(slot) => *slot = Some(reaped),
            None => r.unclaimed.push(Status::Exited(reaped)),
        }
    }
}

/// Where forwarded signals go.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pid: i32,
    /// In new-session mode the child leads its own process group, which holds its descendants too. In
    /// current-session mode it shares duct's group (and maybe a batch script's), so only the child is sent to.
    group: bool,
}

impl Target {
    pub fn new(pid: i32, mode: Mode) -> Target {
        Target { pid, group: mode == Mode::NewSession }
    }

    pub fn send(&self, sig: Signal) {
        let pid = if self.group { Pid::from_raw(-self.pid) } else { Pid::from_raw(self.pid) };
        if let Err(e) = kill(pid, sig) {
            // ESRCH: everything already exited, which is no news.
            if e != nix::errno::Errno::ESRCH {
                tracing::debug!("cannot send {sig} to {pid}: {e}");
            }
        }
    }
}
