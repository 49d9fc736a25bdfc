//! Mounts the test-only fault filesystem (tests/support/faultfs) for a test.
//!
//! ```ignore
//! let dir = common::TestDir::new();
//! let Some(ffs) = common::faultfs::FaultFs::mount(dir.path()) else { return };
//! // ... run duct with its logs under ffs.mnt ...
//! ffs.ctl("expire");          // old handles: EACCES forever; new opens: EACCES
//! ffs.ctl("renew");           // new opens work again
//! // ... assert on the files under ffs.backing ...
//! ```
//!
//! Commands (each may end with `@NAME` to affect only files of that base name):
//! `expire [ERRNO]`, `renew`, `fail ERRNO`, `fail-late ERRNO`, `hang`, `ok`,
//! `heal`, `status`; see tests/support/faultfs/src/main.rs. Declare the
//! `FaultFs` after the `TestDir` holding it, so it is dropped (unmounted)
//! before the directory is removed.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// A mounted faultfs: `mnt` is the FUSE view of `backing`.
pub struct FaultFs {
    pub backing: PathBuf,
    pub mnt: PathBuf,
    child: Child,
}

/// Builds faultfs once per test process and returns its path. The path comes
/// from cargo's own report, so CARGO_TARGET_DIR and profiles need no guessing.
fn faultfs_bin() -> &'static Result<PathBuf, String> {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(&cargo)
            .args(["build", "-q", "-p", "faultfs", "--message-format=json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {cargo:?} build -p faultfs: {e}"))?;
        if !out.status.success() {
            return Err(format!("cargo build -p faultfs failed: {}", out.status));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        stdout
            .lines()
            .filter(|l| l.contains(r#""reason":"compiler-artifact""#))
            .filter(|l| l.contains(r#""kind":["bin"]"#) && l.contains(r#""name":"faultfs""#))
            .find_map(|l| {
                let start = l.find(r#""executable":""#)? + r#""executable":""#.len();
                let len = l[start..].find('"')?;
                Some(PathBuf::from(&l[start..start + len]))
            })
            .ok_or_else(|| "cargo build -p faultfs reported no faultfs executable".to_string())
    })
}

/// Undoes the octal escapes (`\040` for a space, ...) of a mountinfo field.
fn unescape_mountinfo(field: &str) -> Vec<u8> {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Whether /proc/self/mountinfo lists a FUSE mount at `mnt` (canonical path).
pub fn is_fuse_mounted(mnt: &Path) -> bool {
    let Ok(info) = fs::read_to_string("/proc/self/mountinfo") else {
        return false;
    };
    let want = mnt.as_os_str().as_bytes();
    info.lines().any(|line| {
        let mut halves = line.splitn(2, " - ");
        let (Some(left), Some(right)) = (halves.next(), halves.next()) else {
            return false;
        };
        let point = left.split(' ').nth(4).map(unescape_mountinfo);
        let fstype = right.split(' ').next().unwrap_or("");
        point.as_deref() == Some(want) && (fstype == "fuse" || fstype.starts_with("fuse."))
    })
}

fn umount(path: &Path, flags: libc::c_int) -> bool {
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a NUL-terminated path that outlives the call.
    unsafe { libc::umount2(c.as_ptr(), flags) == 0 }
}

impl FaultFs {
    /// Builds faultfs (once per test process), creates `backing/` and `mnt/`
    /// under `dir` and mounts. `None` (a skip, or a failure under CI=true)
    /// when not root or /dev/fuse is missing. Panics if the mount fails.
    pub fn mount(dir: &Path) -> Option<FaultFs> {
        // SAFETY: geteuid cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        if !super::require("root and /dev/fuse for faultfs", root && Path::new("/dev/fuse").exists()) {
            return None;
        }
        let bin = match faultfs_bin() {
            Ok(b) => b,
            Err(e) => panic!("{e}"),
        };
        let make = |name: &str| {
            let p = dir.join(name);
            fs::create_dir_all(&p).unwrap_or_else(|e| panic!("create {}: {e}", p.display()));
            // mountinfo shows canonical paths.
            fs::canonicalize(&p).unwrap_or_else(|e| panic!("canonicalize {}: {e}", p.display()))
        };
        let (backing, mnt) = (make("backing"), make("mnt"));
        let child = Command::new(bin)
            .arg(&backing)
            .arg(&mnt)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
        // From here on Drop cleans up, whichever way this function panics.
        let mut ffs = FaultFs { backing, mnt, child };
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if is_fuse_mounted(&ffs.mnt) {
                return Some(ffs);
            }
            if let Ok(Some(status)) = ffs.child.try_wait() {
                panic!("faultfs exited before mounting {}: {status}", ffs.mnt.display());
            }
            if Instant::now() >= deadline {
                panic!("faultfs did not mount {} within 5 s", ffs.mnt.display());
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends one command line to `.faultctl`; in force when this returns.
    pub fn ctl(&self, command: &str) {
        let path = self.mnt.join(".faultctl");
        let result =
            OpenOptions::new().write(true).open(&path).and_then(|mut f| f.write_all(format!("{command}\n").as_bytes()));
        if let Err(e) = result {
            panic!("faultfs command {command:?} via {}: {e}", path.display());
        }
    }

    /// The size `name` had at its last successful fsync through the mount (0 if none yet).
    pub fn synced(&self, name: &str) -> u64 {
        let status = self.status();
        let list = status.split(' ').find_map(|f| f.strip_prefix("synced=")).unwrap_or("-");
        let entry = list.split(',').find_map(|e| e.strip_prefix(name).and_then(|r| r.strip_prefix(':')));
        entry.and_then(|n| n.parse().ok()).unwrap_or(0)
    }

    /// The daemon's one-line state, e.g.
    /// `hang=- fail=*:EIO fail-late=- expired=- dead-handles=0 open-handles=1 synced=log:120`.
    pub fn status(&self) -> String {
        let path = self.mnt.join(".faultctl");
        let mut s = String::new();
        if let Err(e) = fs::File::open(&path).and_then(|mut f| f.read_to_string(&mut s)) {
            panic!("read {}: {e}", path.display());
        }
        s.trim_end().to_string()
    }

    /// Pid of the faultfs daemon.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILLs the daemon, leaving the mount in place: every operation on it
    /// then fails with ENOTCONN (a crashed server). Drop still unmounts.
    pub fn kill_daemon(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn wait_daemon(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return true,
                Ok(None) if Instant::now() >= deadline => return false,
                Ok(None) => thread::sleep(Duration::from_millis(5)),
            }
        }
    }
}

impl Drop for FaultFs {
    // Must not panic: it also runs while a failed test unwinds.
    fn drop(&mut self) {
        let alive = matches!(self.child.try_wait(), Ok(None));
        if alive {
            // Release hung requests and dead handles first, so nothing blocked
            // on the mount keeps it busy.
            let _ = OpenOptions::new()
                .write(true)
                .open(self.mnt.join(".faultctl"))
                .and_then(|mut f| f.write_all(b"heal\n"));
        }
        let mut clean = umount(&self.mnt, 0);
        if !clean && is_fuse_mounted(&self.mnt) {
            // Busy (a process still holds a file there): detach it anyway;
            // killing the daemon below then fails those files with ENOTCONN.
            if !umount(&self.mnt, libc::MNT_DETACH) {
                eprintln!("faultfs: could not unmount {}", self.mnt.display());
            }
        }
        clean &= !is_fuse_mounted(&self.mnt);
        // After a clean umount the daemon exits by itself within milliseconds.
        let wait = if clean && alive { Duration::from_secs(2) } else { Duration::from_millis(100) };
        if !self.wait_daemon(wait) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
