//! Log files that fail under duct: real faults in real file I/O (a full tmpfs; the FUSE fault filesystem in
//! tests/support/faultfs), while the command writes a known stream. The command never notices, the terminal
//! stream is complete, and the files end up byte-identical to what the command wrote.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestDir, duct, wait_until};
use serde_json::Value;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A tmpfs of a given size, unmounted on drop (also when the test fails).
struct Tmpfs {
    mnt: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        if !common::require("root, to mount a tmpfs", is_root()) {
            return None;
        }
        let mnt = dir.join("tmpfs");
        fs::create_dir_all(&mnt).expect("mkdir");
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(&mnt).status();
        assert!(ok.is_ok_and(|s| s.success()), "mount tmpfs");
        Some(Tmpfs { mnt })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let ok = Command::new("umount").arg(&self.mnt).status().is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.mnt).status();
        }
    }
}

/// The stream the command writes: numbered lines, in bursts with pauses.
fn expected_lines(n: usize) -> String {
    (0..n).map(|i| format!("line {i:06} {}\n", "x".repeat(40))).collect()
}

fn writer_script(n: usize, per_burst: usize, pause: f64) -> String {
    format!(
        "i=0; while [ $i -lt {n} ]; do printf 'line %06d {x}\\n' $i; i=$((i+1)); \
         if [ $((i % {per_burst})) -eq 0 ]; then sleep {pause}; fi; done",
        x = "x".repeat(40)
    )
}

fn info_at(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("info.json")).expect("valid info.json")
}

/// A real ENOSPC: the disk fills mid-run, space comes back, and nothing is lost or duplicated.
#[test]
fn full_disk_then_space_again() {
    let dir = TestDir::new();
    let Some(tmpfs) = Tmpfs::mount(dir.path(), "256k") else { return };
    // Leave about 24 KiB free: the stdout log (about 94 KiB) cannot fit until the filler goes.
    let filler = tmpfs.mnt.join("filler");
    fs::write(&filler, vec![0u8; 230 << 10]).expect("fill");
    let n = 1800;
    let mut child = duct(dir.path())
        .args(["--spool-dir"])
        .arg(dir.join("spool"))
        .arg("-p")
        .arg(format!("{}/", tmpfs.mnt.display()))
        .args(["sh", "-c", &writer_script(n, 200, 0.1)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    fs::remove_file(&filler).expect("free the space");
    let out = wait_output(&mut child, Duration::from_secs(60));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let want = expected_lines(n);
    assert!(String::from_utf8_lossy(&out.stdout) == want, "terminal stream incomplete");
    assert!(fs::read_to_string(tmpfs.mnt.join("stdout")).expect("log") == want, "log differs: {err}");
    assert!(err.contains("No space left on device"), "the fault was not hit: {err}");
    let info = info_at(&tmpfs.mnt.join("info.json"));
    let files = info["duct"]["log_files"].as_array().expect("log_files");
    let stdout = files.iter().find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("stdout"))).expect("stdout");
    assert_eq!(stdout["incidents"][0]["errno"], "ENOSPC", "{stdout}");
    assert!(stdout["incidents"][0]["recovered"].is_string(), "{stdout}");
    assert_eq!(stdout["bytes_dropped"], 0);
    assert_eq!(stdout["bytes_unwritten"], 0);
}

/// The disk stays full past --final-timeout: the tail is kept in the spool, info.json is valid, the summary
/// names the spool, and `duct --recover` completes the file once there is room.
#[test]
fn full_disk_to_the_end_then_recover() {
    let dir = TestDir::new();
    let Some(tmpfs) = Tmpfs::mount(dir.path(), "256k") else { return };
    let filler = tmpfs.mnt.join("filler");
    fs::write(&filler, vec![0u8; 236 << 10]).expect("fill");
    let n = 1500;
    let mut child = duct(dir.path())
        .args(["--final-timeout", "1", "--spool-dir"])
        .arg(dir.join("spool"))
        .arg("-p")
        .arg(format!("{}/", tmpfs.mnt.display()))
        .args(["sh", "-c", &writer_script(n, 500, 0.05)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = wait_output(&mut child, Duration::from_secs(60));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("duct --recover"), "the summary does not say where the data is: {err}");
    let spool_run = fs::read_dir(dir.join("spool"))
        .expect("spool dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a run directory in the spool");
    // The final info.json went in (it is small) or, named in the summary, to the spool directory.
    let info_path = if spool_run.join("info.json").exists() {
        assert!(err.contains(&format!("info.json is at {}", spool_run.join("info.json").display())), "{err}");
        spool_run.join("info.json")
    } else {
        tmpfs.mnt.join("info.json")
    };
    let info = info_at(&info_path);
    assert_eq!(info["execution_summary"]["exit_code"], 0);
    fs::remove_file(&filler).expect("free the space");
    let rec = Command::new(common::duct_bin()).arg("--recover").arg(&spool_run).output().expect("recover");
    assert_eq!(rec.status.code(), Some(0), "{}", String::from_utf8_lossy(&rec.stderr));
    assert!(fs::read_to_string(tmpfs.mnt.join("stdout")).expect("log") == expected_lines(n), "recovered log differs");
}

/// A --spool-dir whose parent does not exist yet is made (private), and an info.json spooled there is 0600 like
/// the other spool files: the disk is full from the start, so neither the log tail nor info.json can go home.
#[test]
fn spool_dir_with_missing_parent_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    let Some(tmpfs) = Tmpfs::mount(dir.path(), "256k") else { return };
    let mut filler = fs::File::create(tmpfs.mnt.join("filler")).expect("filler");
    while std::io::Write::write_all(&mut filler, &[0u8; 4096]).is_ok() {}
    drop(filler);
    let spool = dir.join("not/yet/spool");
    let mut child = duct(dir.path())
        .args(["--final-timeout", "1", "--spool-dir"])
        .arg(&spool)
        .arg("-p")
        .arg(format!("{}/", tmpfs.mnt.display()))
        .args(["sh", "-c", &writer_script(200, 500, 0.01)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = wait_output(&mut child, Duration::from_secs(60));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&spool), 0o700, "{err}");
    let spool_run = fs::read_dir(&spool)
        .expect("spool dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("no run directory in the spool: {err}"));
    let info = spool_run.join("info.json");
    assert!(info.exists(), "info.json not spooled: {err}");
    assert_eq!(mode(&info), 0o600);
    assert_eq!(info_at(&info)["execution_summary"]["exit_code"], 0);
    let spooled: u64 = fs::read_dir(&spool_run)
        .expect("run dir")
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "spool"))
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    assert!(spooled > 0, "the output was lost: {err}");
}

fn wait_output(child: &mut std::process::Child, timeout: Duration) -> std::process::Output {
    let end = Instant::now() + timeout;
    // Read the pipes while waiting, so a chatty duct cannot block on them.
    let out = child.stdout.take();
    let err = child.stderr.take();
    let read = |p: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = p {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let o = read(out.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let e = read(err.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    wait_until("duct to finish", end.saturating_duration_since(Instant::now()), || {
        child.try_wait().ok().flatten().is_some()
    });
    let status = child.wait().expect("wait");
    std::process::Output { status, stdout: o.join().unwrap_or_default(), stderr: e.join().unwrap_or_default() }
}
