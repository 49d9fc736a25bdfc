//! Helpers shared by the integration tests (`mod common;` in each tests/*.rs).
#![allow(dead_code)]
// Test scaffolding: a broken set-up should stop the test at the line that found it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The `duct` binary under test, as built by cargo for this test run.
pub fn duct_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_duct"))
}

/// A temporary directory, removed when dropped.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    pub fn new() -> Self {
        let dir =
            tempfile::Builder::new().prefix("duct-test-").tempdir().expect("create a temporary directory for the test");
        TestDir { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }
}

impl Default for TestDir {
    fn default() -> Self {
        Self::new()
    }
}

/// Removes every `DUCT_*` variable from `cmd`'s environment and points
/// `XDG_CONFIG_HOME` into `dir`, so neither the caller's environment nor a
/// user's `~/.config/duct/.env` can change what the command does.
pub fn isolate_env(cmd: &mut Command, dir: &Path) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("DUCT_") {
            cmd.env_remove(&key);
        }
    }
    cmd.env("XDG_CONFIG_HOME", dir.join("xdg-config"));
}

/// `duct` ready to run in `dir`: cwd = `dir`, stdin = /dev/null, clean
/// environment (see [`isolate_env`]). Add arguments and run it.
pub fn duct(dir: &Path) -> Command {
    let mut cmd = Command::new(duct_bin());
    cmd.current_dir(dir).stdin(Stdio::null());
    isolate_env(&mut cmd, dir);
    cmd
}

/// The reference Python implementation (con-duct 0.23.0), if installed:
/// `$DUCT_CON_DUCT` when set, else the virtualenv that
/// contrib/setup-debian.sh creates in target/con-duct-venv.
/// `None` when that file does not exist.
pub fn con_duct() -> Option<PathBuf> {
    let path = match std::env::var_os("DUCT_CON_DUCT") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("target/con-duct-venv/bin/con-duct"),
    };
    path.is_file().then_some(path)
}

/// Prerequisite check. Returns `found`. When something is missing: under CI
/// (`CI=true`) the test fails; elsewhere it prints `SKIP: <what> missing` and
/// returns false, and the caller should return early:
///
/// ```ignore
/// if !common::require("strace", which("strace")) { return; }
/// ```
pub fn require(what: &str, found: bool) -> bool {
    if found {
        return true;
    }
    if std::env::var_os("CI").as_deref() == Some(OsStr::new("true")) {
        panic!("prerequisite missing under CI: {what} (CI=true makes this a failure, not a skip)");
    }
    eprintln!("SKIP: {what} missing");
    false
}

/// Runs `cmd` with stdout and stderr captured, like `Command::output`, but
/// panics (after killing it) if it has not finished within `timeout`, so a
/// hung command fails its test instead of stalling the whole suite. Output
/// pipes still held open by a leftover grandchild count as not finished.
pub fn output_with_timeout(cmd: &mut Command, timeout: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("failed to start {cmd:?}: {e}"));
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            let _ = tx.send(buf);
        });
        rx
    };
    let out = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("timed out after {timeout:?}: {cmd:?}");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let collect = |rx: mpsc::Receiver<Vec<u8>>, what: &str| {
        let left = deadline.saturating_duration_since(Instant::now());
        rx.recv_timeout(left.max(Duration::from_secs(1)))
            .unwrap_or_else(|_| panic!("{what} of {cmd:?} still open after it exited ({status})"))
    };
    Output { status, stdout: collect(out, "stdout"), stderr: collect(err, "stderr") }
}
pub mod faultfs;
pub mod kdc;
pub mod slurm;
pub mod tmux;

/// Our `con-duct` binary (the companion suite built from duct's code), as built by cargo for this test run.
/// Not to be confused with [`con_duct`], the Python reference.
pub fn con_duct_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_con-duct"))
}

/// Our `con-duct` ready to run in `dir`, like [`duct`].
pub fn our_con_duct(dir: &Path) -> Command {
    let mut cmd = Command::new(con_duct_bin());
    cmd.current_dir(dir).stdin(Stdio::null());
    isolate_env(&mut cmd, dir);
    cmd
}

/// duct's worker: the one child of the duct process that is itself duct.
pub fn worker_of(duct_pid: u32) -> Option<u32> {
    let me = std::fs::read_link(format!("/proc/{duct_pid}/exe")).ok()?;
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let ppid: u32 = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
        (ppid == duct_pid && std::fs::read_link(format!("/proc/{pid}/exe")).ok()? == me).then_some(pid)
    })
}

/// Wait for an event (a file appearing, a process ending) by polling `ok`; fails the test after `timeout`.
pub fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < end, "timed out after {timeout:?} waiting for {what}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// A file of `dir`, or "" while it is not there.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}
