//! Real faults in real file I/O under duct's log files, through the FUSE fault filesystem
//! (tests/support/faultfs): expired Kerberos-like handles, EIO, ESTALE, errors reported late at fsync/close,
//! a hung server, a dead server. The command writes a known stream and exits 3; in every case duct returns
//! 3, the terminal stream is complete, and after recovery the files are byte-identical to what was written.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::faultfs::FaultFs;
use common::{TestDir, duct, wait_until};
use serde_json::Value;

/// The command: `bursts` bursts of numbered lines on stdout and stderr, 50 ms apart; then, with a gate,
/// it announces `GATE.ready` and waits for `GATE` before exiting 3.
const CHILD: &str = r#"
import os, sys, time
bursts, lines = int(sys.argv[1]), int(sys.argv[2])
gate = sys.argv[3] if len(sys.argv) > 3 else ""
out, err = sys.stdout.buffer, sys.stderr.buffer
for b in range(bursts):
    out.write(b"".join(b"out %06d %06d %s\n" % (b, i, b"x" * 60) for i in range(lines))); out.flush()
    err.write(b"".join(b"err %06d %06d\n" % (b, i) for i in range(lines // 4))); err.flush()
    time.sleep(0.05)
open("child.done", "w").close()
if gate:
    open(gate + ".ready", "w").close()
    while not os.path.exists(gate):
        time.sleep(0.02)
sys.exit(3)
"#;

fn expected(bursts: usize, lines: usize) -> (Vec<u8>, Vec<u8>) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for b in 0..bursts {
        for i in 0..lines {
            out.extend_from_slice(format!("out {b:06} {i:06} {}\n", "x".repeat(60)).as_bytes());
        }
        for i in 0..lines / 4 {
            err.extend_from_slice(format!("err {b:06} {i:06}\n").as_bytes());
        }
    }
    (out, err)
}

struct Run {
    child: Child,
    out: std::thread::JoinHandle<Vec<u8>>,
    err: std::thread::JoinHandle<Vec<u8>>,
}

fn start(dir: &TestDir, ffs: &FaultFs, extra: &[&str], bursts: usize, lines: usize, gate: bool) -> Run {
    let mut cmd = duct(dir.path());
    cmd.args(["--fail-time", "0", "--s-i", "0.1", "--r-i", "0.2", "--spool-dir"])
        .arg(dir.join("spool"))
        .arg("-p")
        .arg(format!("{}/run_", ffs.mnt.display()))
        .args(extra)
        .args(["python3", "-c", CHILD, &bursts.to_string(), &lines.to_string()]);
    if gate {
        cmd.arg(dir.join("gate"));
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn duct");
    let mut so = child.stdout.take().expect("stdout");
    let mut se = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut so, &mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut se, &mut v);
        v
    });
    Run { child, out, err }
}

/// Waits for duct's first bytes in `name` on the mount: a fault struck before them would meet the open, not
/// a write under way (a loaded machine can delay the command's first burst by seconds).
fn first_write(ffs: &FaultFs, name: &str) {
    let backing = ffs.backing.join(name);
    wait_until(&format!("duct's first write to {name}"), Duration::from_secs(30), || {
        fs::metadata(&backing).is_ok_and(|m| m.len() > 0)
    });
}

impl Run {
    fn finish(mut self, timeout: Duration) -> (i32, Vec<u8>, String) {
        wait_until("duct to exit", timeout, || self.child.try_wait().ok().flatten().is_some());
        let status = self.child.wait().expect("wait");
        let out = self.out.join().unwrap_or_default();
        let err = String::from_utf8_lossy(&self.err.join().unwrap_or_default()).into_owned();
        (status.code().unwrap_or(-1), out, err)
    }
}

fn info(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("info.json")).expect("info.json is valid JSON")
}

fn stats_for<'a>(info: &'a Value, suffix: &str) -> &'a Value {
    info["duct"]["log_files"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix))))
        .unwrap_or_else(|| panic!("no stats for {suffix}: {info}"))
}

/// Every check that holds after any recovered fault.
fn assert_complete(backing: &Path, out: &[u8], err: &str, code: i32, bursts: usize, lines: usize) -> Value {
    let (want_out, want_err) = expected(bursts, lines);
    assert_eq!(code, 3, "duct changed the exit code: {err}");
    assert!(out == want_out.as_slice(), "terminal stream incomplete ({} of {} bytes)", out.len(), want_out.len());
    let got = fs::read(backing.join("run_stdout")).expect("stdout log");
    assert!(got == want_out, "stdout log differs: {} vs {} bytes; {err}", got.len(), want_out.len());
    let got = fs::read(backing.join("run_stderr")).expect("stderr log");
    assert!(got == want_err, "stderr log differs: {} vs {} bytes; {err}", got.len(), want_err.len());
    let info = info(&backing.join("run_info.json"));
    assert_eq!(info["execution_summary"]["exit_code"], 3);
    let usage = fs::read_to_string(backing.join("run_usage.jsonl")).expect("usage");
    for line in usage.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("bad usage line {line:?}: {e}"));
    }
    assert_eq!(info["execution_summary"]["num_reports"].as_u64(), Some(usage.lines().count() as u64));
    info
}

/// Each fault, on one file, mid-run: the file recovers and nothing is lost or duplicated.
fn mid_run_faults_on(file: &str) {
    let faults: &[(&str, &str, Option<&str>)] = &[
        // (fault, recovery, errno recorded)
        ("expire", "renew", Some("EACCES")),
        ("expire EKEYEXPIRED", "renew", Some("EKEYEXPIRED")),
        ("fail EIO", "ok", Some("EIO")),
        ("fail ESTALE", "ok", Some("ESTALE")),
        ("fail-late EIO", "ok", Some("EIO")),
    ];
    {
        for (fault, recovery, errno) in faults {
            let dir = TestDir::new();
            let Some(ffs) = FaultFs::mount(dir.path()) else { return };
            let (bursts, lines) = (30, 400);
            let run = start(&dir, &ffs, &[], bursts, lines, false);
            // Struck before duct's first write, the fault would show as a failed open (EACCES) instead.
            first_write(&ffs, file);
            ffs.ctl(&format!("{fault} @{file}"));
            // info.json is written only at the start and the end: hold the fault past the end of the command.
            if file == "run_info.json" {
                wait_until("the command", Duration::from_secs(30), || dir.join("child.done").exists());
            }
            // A late error shows only at the next fsync, which duct does at least every second.
            let hold = if fault.starts_with("fail-late") { 1500 } else { 700 };
            std::thread::sleep(Duration::from_millis(hold));
            ffs.ctl(&format!("{recovery} @{file}"));
            let (code, out, err) = run.finish(Duration::from_secs(60));
            let info = assert_complete(&ffs.backing, &out, &err, code, bursts, lines);
            let what = format!("{fault} on {file}");
            if file != "run_info.json"
                && let Some(errno) = errno
            {
                let s = stats_for(&info, file);
                let inc = &s["incidents"][0];
                assert_eq!(inc["errno"], *errno, "{what}: {s}");
                assert!(inc["recovered"].is_string(), "{what}: {s}");
                assert_eq!(s["bytes_dropped"], 0, "{what}");
                assert!(err.contains(&format!("{}", ffs.mnt.join(file).display())), "{what}: no warning: {err}");
            }
        }
    }
}

#[test]
fn mid_run_faults_on_stdout() {
    mid_run_faults_on("run_stdout");
}

#[test]
fn mid_run_faults_on_stderr() {
    mid_run_faults_on("run_stderr");
}

#[test]
fn mid_run_faults_on_usage() {
    mid_run_faults_on("run_usage.jsonl");
}

#[test]
fn mid_run_faults_on_info() {
    mid_run_faults_on("run_info.json");
}

/// The fault strikes during the final write, after the command has exited; duct waits for the files.
#[test]
fn fault_during_the_final_write() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let run = start(&dir, &ffs, &[], 10, 200, true);
    wait_until("the command to be ready to exit", Duration::from_secs(30), || dir.join("gate.ready").exists());
    ffs.ctl("expire");
    fs::write(dir.join("gate"), "").expect("open the gate");
    std::thread::sleep(Duration::from_millis(1500));
    ffs.ctl("renew");
    let (code, out, err) = run.finish(Duration::from_secs(60));
    let info = assert_complete(&ffs.backing, &out, &err, code, 10, 200);
    assert!(!stats_for(&info, "run_stdout")["incidents"].as_array().is_none_or(Vec::is_empty), "{info}");
}

/// Down for longer than --max-buffer worth of output: the spool carries it, 0 bytes lost.
#[test]
fn the_spool_carries_more_than_memory() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (40, 1000); // about 3 MiB of stdout
    let run = start(&dir, &ffs, &["--max-buffer", "256KiB"], bursts, lines, false);
    first_write(&ffs, "run_stdout");
    ffs.ctl("expire @run_stdout");
    wait_until("the command", Duration::from_secs(60), || dir.join("child.done").exists());
    // While the file is down its bytes are in a private spool: directory 0700, files 0600.
    let spool_run = fs::read_dir(dir.join("spool")).expect("spool").flatten().map(|e| e.path()).next().expect("run");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(fs::metadata(&spool_run).expect("md").permissions().mode() & 0o777, 0o700);
    let spools: Vec<PathBuf> = fs::read_dir(&spool_run).expect("ls").flatten().map(|e| e.path()).collect();
    assert!(spools.iter().any(|p| p.extension().is_some_and(|x| x == "spool")), "{spools:?}");
    for p in &spools {
        assert_eq!(fs::metadata(p).expect("md").permissions().mode() & 0o777, 0o600, "{}", p.display());
    }
    ffs.ctl("renew @run_stdout");
    let (code, out, err) = run.finish(Duration::from_secs(60));
    let info = assert_complete(&ffs.backing, &out, &err, code, bursts, lines);
    let s = stats_for(&info, "run_stdout");
    assert!(s["bytes_spooled"].as_u64().unwrap_or(0) > 0, "{s}");
    assert_eq!(s["bytes_dropped"], 0);
}

/// A hung server (hard mount, server gone): the command's output keeps flowing and it finishes while the
/// filesystem is still hung; when it comes back, everything is written.
#[test]
fn a_hung_filesystem_does_not_slow_the_command() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (20, 2000);
    let run = start(&dir, &ffs, &["--max-buffer", "1MiB"], bursts, lines, false);
    first_write(&ffs, "run_stdout");
    ffs.ctl("hang");
    wait_until("the command to finish while the filesystem hangs", Duration::from_secs(30), || {
        dir.join("child.done").exists()
    });
    std::thread::sleep(Duration::from_millis(500));
    ffs.ctl("ok");
    let (code, out, err) = run.finish(Duration::from_secs(60));
    assert_complete(&ffs.backing, &out, &err, code, bursts, lines);
}

/// The server dies for good (ENOTCONN) and stays dead past --final-timeout: duct still returns the command's
/// code with a complete terminal stream, keeps the tails and info.json in the spool, and says where.
#[test]
fn a_dead_filesystem_leaves_everything_in_the_spool() {
    let dir = TestDir::new();
    let Some(mut ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (10, 300);
    let run = start(&dir, &ffs, &["--final-timeout", "2"], bursts, lines, false);
    first_write(&ffs, "run_stdout");
    ffs.kill_daemon();
    let (code, out, err) = run.finish(Duration::from_secs(60));
    let (want_out, _) = expected(bursts, lines);
    assert_eq!(code, 3, "{err}");
    assert!(out == want_out, "terminal stream incomplete");
    assert!(err.contains("duct --recover"), "{err}");
    let spool_run = fs::read_dir(dir.join("spool")).expect("spool").flatten().map(|e| e.path()).next().expect("run");
    let info = info(&spool_run.join("run_info.json"));
    assert_eq!(info["execution_summary"]["exit_code"], 3);
    assert!(err.contains(&format!("info.json is at {}", spool_run.join("run_info.json").display())), "{err}");
    let s = stats_for(&info, "run_stdout");
    assert_eq!(s["incidents"][0]["errno"], "ENOTCONN", "{s}");
    assert!(s["unwritten_in"].is_string(), "{s}");
}

/// duct run by an unprivileged user: the spool it makes is private to that user.
#[test]
fn an_unprivileged_users_spool_is_private() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let found = std::process::Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
    if !common::require("setpriv (util-linux)", found) {
        return;
    }
    // Let user 65534 reach the mount, its working directory and the place for its spool.
    for p in [dir.path().to_path_buf(), ffs.mnt.clone(), dir.join("work")] {
        fs::create_dir_all(&p).expect("mkdir");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o777)).expect("chmod");
    }
    let spool = dir.join("work/spool");
    let mut child = std::process::Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(common::duct_bin())
        .args(["--fail-time", "0", "--max-buffer", "64KiB", "--spool-dir"])
        .arg(&spool)
        .arg("-p")
        .arg(format!("{}/run_", ffs.mnt.display()))
        .args(["python3", "-c", CHILD, "20", "400"])
        .current_dir(dir.join("work"))
        .env("XDG_CONFIG_HOME", dir.join("work"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    first_write(&ffs, "run_stdout");
    ffs.ctl("expire @run_stdout");
    wait_until("the command", Duration::from_secs(30), || dir.join("work/child.done").exists());
    let run_dir = fs::read_dir(&spool).expect("spool").flatten().map(|e| e.path()).next().expect("run dir");
    for p in [spool.clone(), run_dir.clone()] {
        let md = fs::metadata(&p).expect("md");
        assert_eq!(md.uid(), 65534, "{}", p.display());
        assert_eq!(md.permissions().mode() & 0o777, 0o700, "{}", p.display());
    }
    for e in fs::read_dir(&run_dir).expect("ls").flatten() {
        let md = e.metadata().expect("md");
        assert_eq!(md.uid(), 65534);
        assert_eq!(md.permissions().mode() & 0o777, 0o600, "{}", e.path().display());
    }
    ffs.ctl("renew @run_stdout");
    wait_until("duct", Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    let status = child.wait().expect("wait");
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
    assert_eq!(status.code(), Some(3), "{err}");
    let (want, _) = expected(20, 400);
    assert!(fs::read(ffs.backing.join("run_stdout")).expect("log") == want, "{err}");
}

/// duct's own stdout is a failing file too (a batch system's output file on the same expired NFS): duct
/// keeps capturing, the command's exit code and its log are unchanged, and duct's stdout resumes afterwards.
#[test]
fn ducts_own_stdout_failing() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (30, 200);
    let own_out = std::fs::File::create(ffs.mnt.join("slurm.out")).expect("create duct's stdout file");
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "-p"])
        .arg(format!("{}/", dir.join("logs").display()))
        .args(["python3", "-c", CHILD, &bursts.to_string(), &lines.to_string()])
        .stdout(own_out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    first_write(&ffs, "slurm.out");
    ffs.ctl("fail EIO @slurm.out");
    std::thread::sleep(Duration::from_millis(500));
    ffs.ctl("ok @slurm.out");
    wait_until("duct", Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    let status = child.wait().expect("wait");
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
    assert_eq!(status.code(), Some(3), "{err}");
    let (want, _) = expected(bursts, lines);
    assert!(fs::read(dir.join("logs/stdout")).expect("log") == want, "the log lost bytes: {err}");
    assert!(err.contains("cannot write duct's stdout"), "{err}");
    // Echoing resumed once the file worked again: the last line reached it.
    let own = fs::read_to_string(ffs.backing.join("slurm.out")).expect("duct's stdout");
    assert!(own.ends_with(&format!("out {:06} {:06} {}\n", bursts - 1, lines - 1, "x".repeat(60))), "{}", own.len());
}

/// The file lost bytes behind duct's back while it was away (a server restored from a snapshot): duct
/// records the loss and goes on at the file's end, never leaving a run of zero bytes.
#[test]
fn a_file_that_shrank_while_away() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    // 100 bursts last five seconds at least, and the gate holds the command until the file has been cut.
    let run = start(&dir, &ffs, &[], 100, 200, true);
    // Once duct has confirmed more than the first ten lines with an fsync, the file loses all but those.
    wait_until("duct's fsync past the first ten lines", Duration::from_secs(30), || ffs.synced("run_stdout") > 3 * 780);
    ffs.ctl("expire @run_stdout");
    std::thread::sleep(Duration::from_millis(200));
    let backing = ffs.backing.join("run_stdout");
    fs::OpenOptions::new().write(true).open(&backing).and_then(|f| f.set_len(780)).expect("truncate");
    ffs.ctl("renew @run_stdout");
    fs::write(dir.join("gate"), "").expect("open the gate");
    let (code, out, err) = run.finish(Duration::from_secs(60));
    assert_eq!(code, 3, "{err}");
    let (want, _) = expected(100, 200);
    assert!(out == want, "terminal stream incomplete");
    let got = fs::read(&backing).expect("log");
    assert!(!got.contains(&0), "a run of zero bytes in the log");
    let info = info(&ffs.backing.join("run_info.json"));
    let s = stats_for(&info, "run_stdout");
    assert!(s["bytes_lost_by_file"].as_u64().unwrap_or(0) > 0, "{s}");
    assert!(err.contains("lost"), "{err}");
    // What remains: the first ten lines, then the stream from where duct had confirmed it, to the end.
    let lost = s["bytes_lost_by_file"].as_u64().unwrap_or(0) as usize;
    assert_eq!(got.len() + lost, want.len(), "{s}");
    assert!(got.starts_with(&want[..780]) && want.ends_with(&got[780..]), "not the stream's head and tail");
}

/// The run's directory in the test's spool (`--spool-dir DIR/spool`), once it exists.
fn spool_run(dir: &TestDir) -> Option<PathBuf> {
    fs::read_dir(dir.join("spool")).ok()?.flatten().map(|e| e.path()).find(|p| p.is_dir())
}

/// Where the bytes of `name` in the spool end in its log file: the furthest `offset + unconfirmed length` of
/// the spool pieces meant for it (see src/spool.rs for the format).
fn spooled_end(run: &Path, name: &str) -> Option<u64> {
    let mut end = None;
    for e in fs::read_dir(run).ok()?.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "target") {
            continue;
        }
        let Some(meta) = fs::read(&p).ok().and_then(|t| serde_json::from_slice::<Value>(&t).ok()) else { continue };
        if !meta["target"].as_str().is_some_and(|t| t.ends_with(&format!("/{name}"))) {
            continue;
        }
        let data = meta["file"].as_str().map_or_else(|| p.with_extension("spool"), |f| run.join(f));
        let Ok(len) = fs::metadata(&data).map(|m| m.len()) else { continue };
        let from = meta["from"].as_u64().unwrap_or(0);
        let here = meta["offset"].as_u64().unwrap_or(0) + len.saturating_sub(from);
        end = Some(end.map_or(here, |e: u64| e.max(here)));
    }
    end
}

/// Every byte of `name` the command wrote is in its file or in the spool (which `want` ends with).
fn all_kept(ffs: &FaultFs, dir: &TestDir, name: &str, want: &[u8]) -> bool {
    let on_file = fs::metadata(ffs.backing.join(name)).map_or(0, |m| m.len());
    let spooled = spool_run(dir).and_then(|r| spooled_end(&r, name)).unwrap_or(0);
    on_file.max(spooled) == want.len() as u64
}

fn gone(pid: u32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_or(true, |s| s.rsplit_once(')').is_some_and(|r| r.1.starts_with(" Z")))
}

/// `duct --recover` of what duct's supervisor left in the spool after the worker died (nothing when it could
/// put it all back itself, the file working again by then).
fn recover_left(dir: &TestDir) -> String {
    spool_run(dir).map(|r| recover(&r)).unwrap_or_default()
}

fn recover(run: &Path) -> String {
    let rec =
        std::process::Command::new(common::duct_bin()).arg("--recover").arg(run).output().expect("duct --recover");
    let text = String::from_utf8_lossy(&rec.stderr).into_owned();
    assert_eq!(rec.status.code(), Some(0), "duct --recover: {text}");
    text
}

/// The log files after `duct --recover`: byte-identical to the command's output, usage.jsonl valid, and the
/// final info.json (with the exit code, as `con-duct ls` shows it) in place of the provisional one.
fn assert_recovered(backing: &Path, bursts: usize, lines: usize, context: &str) -> Value {
    let (want_out, want_err) = expected(bursts, lines);
    let got = fs::read(backing.join("run_stdout")).expect("stdout log");
    assert!(got == want_out, "{context}: stdout log differs: {} vs {} bytes", got.len(), want_out.len());
    let got = fs::read(backing.join("run_stderr")).expect("stderr log");
    assert!(got == want_err, "{context}: stderr log differs: {} vs {} bytes", got.len(), want_err.len());
    let usage = fs::read_to_string(backing.join("run_usage.jsonl")).unwrap_or_default();
    for line in usage.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{context}: bad usage line {line:?}: {e}"));
    }
    let info = info(&backing.join("run_info.json"));
    assert_eq!(info["execution_summary"]["exit_code"], 3, "{context}: {info}");
    info
}

/// The log filesystem stops for good at the end (a hard mount whose server never answers): duct's writers sit
/// in uninterruptible sleep, yet duct exits after --final-timeout with the command's code and closes its
/// output; what the files did not take is in the spool, the summary says where, and `duct --recover`
/// completes the files once the filesystem is back.
#[test]
fn a_filesystem_that_never_comes_back_does_not_keep_duct() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (10, 300);
    let run = start(&dir, &ffs, &["--final-timeout", "2"], bursts, lines, true);
    first_write(&ffs, "run_stdout");
    let worker = common::worker_of(run.child.id()).expect("duct has a worker process");
    ffs.ctl("hang");
    wait_until("the command to be ready to exit", Duration::from_secs(60), || dir.join("gate.ready").exists());
    fs::write(dir.join("gate"), "").expect("open the gate");
    let opened = Instant::now();
    // --final-timeout plus a generous margin for a loaded machine: what matters is that duct exits at all.
    let (code, out, err) = run.finish(Duration::from_secs(2 + 20));
    let took = opened.elapsed();
    eprintln!("duct exited {took:?} after the command was let go (--final-timeout 2)");
    let (want_out, want_err) = expected(bursts, lines);
    assert_eq!(code, 3, "{err}");
    assert!(took < Duration::from_secs(22), "duct took {took:?} to exit: {err}");
    assert!(out == want_out, "terminal stream incomplete");
    assert!(err.contains("duct --recover"), "the summary does not say where the output is: {err}");
    // The filesystem is still hung: everything it did not take is in the spool.
    assert!(ffs.status().starts_with("hang=*"), "{}", ffs.status());
    assert!(all_kept(&ffs, &dir, "run_stdout", &want_out), "stdout not all kept: {err}");
    assert!(all_kept(&ffs, &dir, "run_stderr", &want_err), "stderr not all kept: {err}");
    let run_dir = spool_run(&dir).expect("a spool");
    ffs.ctl("heal");
    // The worker, stuck until now, finishes dying.
    wait_until("duct's worker to end", Duration::from_secs(30), || gone(worker));
    recover(&run_dir);
    assert_recovered(&ffs.backing, bursts, lines, "after a hang");
}

/// Waits until the command has written everything and the expired files hold none of it unspooled.
fn wait_all_spooled(ffs: &FaultFs, dir: &TestDir, bursts: usize, lines: usize) {
    let (want_out, want_err) = expected(bursts, lines);
    wait_until("the command to be ready to exit", Duration::from_secs(60), || dir.join("gate.ready").exists());
    wait_until("every byte in its file or the spool", Duration::from_secs(60), || {
        all_kept(ffs, dir, "run_stdout", &want_out) && all_kept(ffs, dir, "run_stderr", &want_err)
    });
}

/// `kill -9` of duct (the pid the shell waits on) while the files are expired and their bytes spooled: the
/// worker carries on, leaves everything in the spool with the final info.json, and `duct --recover` makes
/// the files byte-identical and puts that info.json in place of the provisional one.
#[test]
fn kill_9_of_duct_while_spooled_then_recover() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (10, 300);
    let run = start(&dir, &ffs, &["--final-timeout", "1", "--max-buffer", "64KiB"], bursts, lines, true);
    first_write(&ffs, "run_stdout");
    ffs.ctl("expire");
    wait_all_spooled(&ffs, &dir, bursts, lines);
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(run.child.id() as i32, libc::SIGKILL) };
    fs::write(dir.join("gate"), "").expect("open the gate");
    // duct's output closes when the worker has finished (after --final-timeout).
    let (_, out, err) = run.finish(Duration::from_secs(60));
    assert!(out == expected(bursts, lines).0, "terminal stream incomplete: {err}");
    let run_dir = spool_run(&dir).expect("a spool");
    ffs.ctl("renew");
    let said = recover(&run_dir);
    let info = assert_recovered(&ffs.backing, bursts, lines, &format!("{err}\n{said}"));
    // The shell lost duct's exit code with the supervisor: the record says duct was killed.
    assert_eq!(info["duct"]["state"], "duct-killed", "{info}");
    let usage = fs::read_to_string(ffs.backing.join("run_usage.jsonl")).expect("usage");
    assert_eq!(info["execution_summary"]["num_reports"].as_u64(), Some(usage.lines().count() as u64));
    assert!(!run_dir.exists(), "the spool is left after a complete recovery: {said}");
    // And `con-duct ls` shows the exit code.
    let ls = common::our_con_duct(dir.path())
        .args(["ls", "-f", "json", "-F", "prefix", "exit_code", "--"])
        .arg(ffs.backing.join("run_info.json"))
        .output()
        .expect("con-duct ls");
    let listed: Value = serde_json::from_slice(&ls.stdout).unwrap_or_else(|e| panic!("con-duct ls: {e}: {ls:?}"));
    // (con-duct's json listing gives the values as it formats them.)
    assert_eq!(listed[0]["exit_code"].to_string().trim_matches('"'), "3", "{listed}");
}

/// `kill -9` of duct's worker (the process that holds the spool) while the file is expired and its bytes
/// spooled: nothing that reached the spool is lost, and `duct --recover` completes the files.
#[test]
fn kill_9_of_the_worker_while_spooled_then_recover() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (10, 300);
    let run = start(&dir, &ffs, &["--max-buffer", "64KiB"], bursts, lines, true);
    first_write(&ffs, "run_stdout");
    let worker = common::worker_of(run.child.id()).expect("duct has a worker process");
    ffs.ctl("expire @run_stdout");
    wait_all_spooled(&ffs, &dir, bursts, lines);
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(worker as i32, libc::SIGKILL) };
    wait_until("the worker to die", Duration::from_secs(30), || gone(worker));
    ffs.ctl("renew @run_stdout");
    fs::write(dir.join("gate"), "").expect("open the gate");
    let (code, _, err) = run.finish(Duration::from_secs(60));
    assert_eq!(code, 3, "{err}");
    let said = recover_left(&dir);
    let info = assert_recovered(&ffs.backing, bursts, lines, &format!("{err}\n{said}"));
    assert_eq!(info["duct"]["state"], "duct-killed", "{info}");
}

/// Sends SIGCONT to a stopped faultfs daemon when dropped, so the mount can be unmounted even when the test
/// fails (declare it after the `FaultFs`, so it is dropped first).
struct Resume(u32);

impl Drop for Resume {
    fn drop(&mut self) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(self.0 as i32, libc::SIGCONT) };
    }
}

/// The log filesystem's server stops for good at the end (its daemon SIGSTOPped: every request waits, a close
/// uninterruptibly): duct still exits after --final-timeout with the command's code, and the spool holds
/// what the files did not take.
#[test]
fn a_stopped_filesystem_server_does_not_keep_duct() {
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let (bursts, lines) = (10, 300);
    let run = start(&dir, &ffs, &["--final-timeout", "2"], bursts, lines, true);
    first_write(&ffs, "run_stdout");
    let worker = common::worker_of(run.child.id()).expect("duct has a worker process");
    let resume = Resume(ffs.pid());
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(ffs.pid() as i32, libc::SIGSTOP) };
    wait_until("the command to be ready to exit", Duration::from_secs(60), || dir.join("gate.ready").exists());
    fs::write(dir.join("gate"), "").expect("open the gate");
    let opened = Instant::now();
    let (code, out, err) = run.finish(Duration::from_secs(2 + 20));
    let took = opened.elapsed();
    let (want_out, want_err) = expected(bursts, lines);
    assert_eq!(code, 3, "{err}");
    assert!(took < Duration::from_secs(22), "duct took {took:?} to exit: {err}");
    assert!(out == want_out, "terminal stream incomplete");
    assert!(err.contains("duct --recover"), "the summary does not say where the output is: {err}");
    assert!(all_kept(&ffs, &dir, "run_stdout", &want_out), "stdout not all kept: {err}");
    assert!(all_kept(&ffs, &dir, "run_stderr", &want_err), "stderr not all kept: {err}");
    let run_dir = spool_run(&dir).expect("a spool");
    drop(resume);
    wait_until("duct's worker to end", Duration::from_secs(30), || gone(worker));
    recover(&run_dir);
    assert_recovered(&ffs.backing, bursts, lines, "after a stopped server");
}

/// `kill -9` of duct's worker at a random moment while the command streams into an expired file: whatever
/// had reached the spool by then is in the file after `duct --recover`, and the file is the start of the
/// command's output then its end (what the supervisor read after the kill), with no hole and no stray byte.
#[test]
fn kill_9_at_any_moment_loses_nothing_spooled() {
    for round in 0..5 {
        let dir = TestDir::new();
        let Some(ffs) = FaultFs::mount(dir.path()) else { return };
        let (bursts, lines) = (40, 300);
        let run = start(&dir, &ffs, &["--max-buffer", "64KiB"], bursts, lines, true);
        first_write(&ffs, "run_stdout");
        let worker = common::worker_of(run.child.id()).expect("duct has a worker process");
        ffs.ctl("expire @run_stdout");
        // Some of the output reached the spool; then a moment that differs from round to round.
        wait_until("the spool", Duration::from_secs(60), || {
            spool_run(&dir).and_then(|r| spooled_end(&r, "run_stdout")).is_some_and(|n| n > 0)
        });
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        std::thread::sleep(Duration::from_millis(u64::from(nanos.wrapping_mul(2_654_435_761)) % 1500));
        let kept = spool_run(&dir).and_then(|r| spooled_end(&r, "run_stdout")).unwrap_or(0);
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(worker as i32, libc::SIGKILL) };
        wait_until("the worker to die", Duration::from_secs(30), || gone(worker));
        ffs.ctl("renew @run_stdout");
        wait_until("the command to be ready to exit", Duration::from_secs(60), || dir.join("gate.ready").exists());
        fs::write(dir.join("gate"), "").expect("open the gate");
        let (code, _, err) = run.finish(Duration::from_secs(60));
        assert_eq!(code, 3, "round {round}: {err}");
        let said = recover_left(&dir);
        let got = fs::read(ffs.backing.join("run_stdout")).expect("stdout log");
        let (want, _) = expected(bursts, lines);
        assert!(
            got.len() as u64 >= kept,
            "round {round}: {} bytes in the file, {kept} were spooled: {said}",
            got.len()
        );
        // The stream's start, at least up to what was spooled, then (after what the worker held in memory at
        // the kill, which is lost) the output the supervisor read after it, up to the end.
        let head = got.iter().zip(&want).take_while(|(a, b)| a == b).count();
        assert!(
            head as u64 >= kept,
            "round {round}: only {head} bytes of the stream's start, {kept} were spooled: {said}"
        );
        assert!(want.ends_with(&got[head..]), "round {round}: the file is not the stream's start and end: {said}");
    }
}

/// Peak resident memory of a process, in bytes (VmHWM).
fn peak_rss(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    kb.unwrap_or(0) * 1024
}

/// --max-buffer is a real bound: with the file down while the command writes many times the bound, duct's
/// worker grows by no more than about the bound over a run whose file works (nothing read back while the
/// file fails, no writer holding more than the bound).
#[test]
fn max_buffer_bounds_memory_while_the_file_is_down() {
    let (bursts, lines) = (60, 4000); // about 20 MiB of stdout
    let peak = |expire: bool| {
        let dir = TestDir::new();
        let ffs = FaultFs::mount(dir.path())?;
        let run = start(&dir, &ffs, &["--max-buffer", "1MiB"], bursts, lines, true);
        first_write(&ffs, "run_stdout");
        let worker = common::worker_of(run.child.id()).expect("duct has a worker process");
        if expire {
            ffs.ctl("expire @run_stdout");
        }
        wait_until("the command to be ready to exit", Duration::from_secs(120), || dir.join("gate.ready").exists());
        let (want, _) = expected(bursts, lines);
        wait_until("every byte in its file or the spool", Duration::from_secs(60), || {
            all_kept(&ffs, &dir, "run_stdout", &want)
        });
        let peak = peak_rss(worker);
        ffs.ctl("renew @run_stdout");
        fs::write(dir.join("gate"), "").expect("open the gate");
        let (code, _, err) = run.finish(Duration::from_secs(120));
        assert_eq!(code, 3, "{err}");
        Some(peak)
    };
    let Some(healthy) = peak(false) else { return };
    let Some(down) = peak(true) else { return };
    eprintln!("peak RSS of duct's worker: {healthy} bytes with the file working, {down} with it down");
    assert!(down < healthy + (3 << 20), "{down} bytes with the file down, {healthy} with it working");
}

/// `kill -9` of duct's worker while the file is expired and part of the output spooled, and the command
/// writes more afterwards: the supervisor puts that output after the spooled bytes (in the spool, since the
/// file is still down), never at the file's short end, and `duct --recover` makes the file byte-identical.
#[test]
fn output_after_the_workers_death_follows_the_spool() {
    const TWO_PHASES: &str = r#"
import os, sys, time
out = sys.stdout.buffer
for phase in (0, 1):
    for b in range(5):
        out.write(b"".join(b"phase %d %06d %06d %s\n" % (phase, b, i, b"y" * 50) for i in range(300))); out.flush()
        time.sleep(0.05)
    open("phase%d.done" % phase, "w").close()
    while phase == 0 and not os.path.exists("gate"):
        time.sleep(0.02)
sys.exit(3)
"#;
    let want: Vec<u8> = (0..2)
        .flat_map(|p| (0..5).flat_map(move |b| (0..300).map(move |i| (p, b, i))))
        .flat_map(|(p, b, i)| format!("phase {p} {b:06} {i:06} {}\n", "y".repeat(50)).into_bytes())
        .collect();
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "--spool-dir"])
        .arg(dir.join("spool"))
        .arg("-p")
        .arg(format!("{}/run_", ffs.mnt.display()))
        .args(["python3", "-c", TWO_PHASES])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    first_write(&ffs, "run_stdout");
    let worker = common::worker_of(child.id()).expect("duct has a worker process");
    ffs.ctl("expire @run_stdout");
    wait_until("the first phase", Duration::from_secs(60), || dir.join("phase0.done").exists());
    let first = want.len() / 2;
    wait_until("the first phase in the file or the spool", Duration::from_secs(60), || {
        all_kept(&ffs, &dir, "run_stdout", &want[..first])
    });
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(worker as i32, libc::SIGKILL) };
    wait_until("the worker to die", Duration::from_secs(30), || gone(worker));
    fs::write(dir.join("gate"), "").expect("open the gate");
    wait_until("duct", Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
    assert_eq!(child.wait().expect("wait").code(), Some(3), "{err}");
    ffs.ctl("renew @run_stdout");
    let said = recover(&spool_run(&dir).expect("a spool"));
    let got = fs::read(ffs.backing.join("run_stdout")).expect("stdout log");
    assert!(got == want, "stdout log differs: {} vs {} bytes\n{err}\n{said}", got.len(), want.len());
}
