//! The command outlives duct (issue 18 item 1): `kill -9` of the pid the shell waits on never harms the
//! command, and a crash of duct's worker process still ends in the command's exit code, one line saying
//! what happened, its later output in the log and its exit code in info.json.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{TestDir, duct, wait_until};
use serde_json::Value;

const LINES: u32 = 40;
const EXIT: i32 = 7;

/// Numbered lines; the number of the last line written goes into `progress` after each one, and `finished`
/// appears just before the command exits on its own (a command killed by SIGPIPE or SIGHUP never writes it).
fn script(pause: f64) -> String {
    format!(
        "i=0; while [ $i -lt {LINES} ]; do echo \"line $i\"; echo $i > progress.tmp; mv progress.tmp progress; \
         i=$((i+1)); sleep {pause}; done; echo done > finished; exit {EXIT}"
    )
}

fn progress(dir: &Path) -> Option<u32> {
    fs::read_to_string(dir.join("progress")).ok()?.trim().parse().ok()
}

fn info(path: &Path) -> Option<Value> {
    serde_json::from_str(&fs::read_to_string(path).ok()?).ok()
}

/// A pseudo-random delay, different on every run, without a dependency.
fn random_ms(bound: u64) -> u64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    u64::from(nanos.wrapping_mul(2_654_435_761)) % bound
}

/// The lines `from..LINES` are in `log`, in order.
fn assert_lines_from(log: &str, from: u32, context: &str) {
    let got: Vec<u32> = log.lines().filter_map(|l| l.strip_prefix("line ")?.parse().ok()).collect();
    let tail: Vec<u32> = got.iter().copied().filter(|n| *n >= from).collect();
    let want: Vec<u32> = (from..LINES).collect();
    assert_eq!(tail, want, "lines after the kill missing or out of order ({context}); log:\n{log}");
}

fn kill(pid: u32, sig: i32) {
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(pid as i32, sig) };
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// `kill -9` of duct at a random moment of the run, 20 times: the command finishes on its own every time,
/// every line it wrote after the kill is in the log, and info.json is valid with its exit code.
#[test]
fn kill_9_of_duct_never_harms_the_command() {
    for run in 0..20 {
        let dir = TestDir::new();
        let mut child = duct(dir.path())
            .args(["--fail-time", "0", "-p", "o/", "sh", "-c", &script(0.02)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn duct");
        wait_until("the command's first line", Duration::from_secs(20), || progress(dir.path()).is_some());
        std::thread::sleep(Duration::from_millis(random_ms(800)));
        let at_kill = progress(dir.path()).unwrap_or(0);
        kill(child.id(), libc::SIGKILL);
        let _ = child.wait();
        let context = format!("run {run}, killed after line {at_kill}");
        wait_until(&format!("the command to finish ({context})"), Duration::from_secs(30), || {
            dir.join("finished").exists()
        });
        let info_path = dir.join("o/info.json");
        wait_until(&format!("info.json with the exit code ({context})"), Duration::from_secs(30), || {
            info(&info_path).is_some_and(|v| v["execution_summary"]["exit_code"] == EXIT)
        });
        let doc = info(&info_path).expect("valid info.json");
        assert!(doc["execution_summary"]["end_time"].is_f64(), "no end time ({context}): {doc}");
        // The shell lost duct's exit code: the record says duct was killed.
        let wait_final = Instant::now() + Duration::from_secs(30);
        let mut doc = doc;
        while doc["duct"]["state"] == "running" && Instant::now() < wait_final {
            std::thread::sleep(Duration::from_millis(20));
            doc = info(&info_path).unwrap_or(doc);
        }
        assert_eq!(doc["duct"]["state"], "duct-killed", "({context}): {doc}");
        assert_eq!(doc["duct"]["killed"], "supervisor", "({context}): {doc}");
        let log = fs::read_to_string(dir.join("o/stdout")).expect("stdout log");
        assert_lines_from(&log, at_kill + 1, &context);
        stop(&mut child);
    }
}

/// A SIGSEGV in duct's worker: duct still returns the command's exit code, says so in one line, and the
/// command's later output and its exit code are recorded.
#[test]
fn worker_crash_still_returns_the_commands_exit_code() {
    let dir = TestDir::new();
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "-p", "o/", "sh", "-c", &script(0.05)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    wait_until("the command's fifth line", Duration::from_secs(20), || progress(dir.path()).is_some_and(|p| p >= 5));
    let at_kill = progress(dir.path()).unwrap_or(0);
    crash_the_worker(child.id());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            stop(&mut child);
            panic!("duct did not exit after its worker died");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("read stderr");
    assert_eq!(status.code(), Some(EXIT), "duct's exit code; stderr:\n{err}");
    assert!(dir.join("finished").exists(), "the command did not finish on its own");
    let said: Vec<&str> = err.lines().filter(|l| l.contains("SIGSEGV")).collect();
    assert_eq!(said.len(), 1, "one line saying what happened; stderr:\n{err}");
    assert!(said[0].contains("worker"), "{err}");
    let log = fs::read_to_string(dir.join("o/stdout")).expect("stdout log");
    assert_lines_from(&log, at_kill + 1, "worker crashed");
    let doc = info(&dir.join("o/info.json")).expect("valid info.json");
    assert_eq!(doc["execution_summary"]["exit_code"], EXIT, "{doc}");
    assert!(doc["execution_summary"]["end_time"].is_f64(), "{doc}");
    assert_eq!(doc["duct"]["state"], "duct-killed", "{doc}");
    assert_eq!(doc["duct"]["killed"], "worker", "{doc}");
    // Every byte the command wrote is in the log, but for those counted as lost with the worker.
    let total: usize = (0..LINES).map(|i| format!("line {i}\n").len()).sum();
    let lost = doc["duct"]["bytes_lost_with_worker"]["stdout"].as_u64().unwrap_or_else(|| panic!("no count: {doc}"));
    assert_eq!(log.len() + lost as usize, total, "{doc}");
}

/// Sends SIGCONT to a stopped process when dropped, so that a failing test never leaves it stopped.
struct Stopped(u32);

impl Stopped {
    fn stop(pid: u32) -> Stopped {
        kill(pid, libc::SIGSTOP);
        Stopped(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        kill(self.0, libc::SIGCONT);
    }
}

/// 20 MB in 200 chunks of 100 KB, each a run of lines naming the chunk; then `written`, then the gate.
const WRITER: &str = r#"
import os, sys, time
out = sys.stdout.buffer
for c in range(200):
    out.write(b"".join(b"chunk %03d line %04d %s\n" % (c, i, b"y" * 80) for i in range(1000))); out.flush()
open("written", "w").close()
while not os.path.exists("gate"):
    time.sleep(0.02)
sys.exit(5)
"#;

fn writer_output() -> Vec<u8> {
    let mut v = Vec::new();
    for c in 0..200 {
        for i in 0..1000 {
            v.extend_from_slice(format!("chunk {c:03} line {i:04} {}\n", "y".repeat(80)).as_bytes());
        }
    }
    v
}

/// duct's own stdout stops accepting bytes (a slurm-%j.out on a hung mount: the FUSE daemon behind it is
/// stopped) while the command writes 20 MB: the command is not slowed (it writes everything while duct's
/// stdout is still stuck), the log has every byte, duct says once how much it did not show, and the echo
/// resumes once the stream drains.
#[test]
fn a_stuck_stdout_never_stalls_the_command() {
    let dir = TestDir::new();
    let Some(ffs) = common::faultfs::FaultFs::mount(dir.path()) else { return };
    let own_out = fs::File::create(ffs.mnt.join("slurm.out")).expect("create duct's stdout file");
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "-p"])
        .arg(format!("{}/", dir.join("logs").display()))
        .args(["python3", "-c", WRITER])
        .stdout(own_out)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    let backing = ffs.backing.join("slurm.out");
    wait_until("duct's first echo", Duration::from_secs(30), || fs::metadata(&backing).is_ok_and(|m| m.len() > 0));
    let stopped = Stopped::stop(ffs.pid());
    // Without the mount answering, the command must still get all 20 MB out.
    let wrote = Instant::now() + Duration::from_secs(90);
    while !dir.join("written").exists() {
        if Instant::now() > wrote {
            drop(stopped);
            stop(&mut child);
            panic!("the command stalled while duct's stdout was stuck");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stopped);
    fs::write(dir.join("gate"), "").expect("open the gate");
    wait_until("duct to exit", Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    let status = child.wait().expect("wait");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("read stderr");
    assert_eq!(status.code(), Some(5), "{err}");
    let want = writer_output();
    assert!(fs::read(dir.join("logs/stdout")).expect("log") == want, "the log is not the command's output: {err}");
    let said: Vec<&str> = err.lines().filter(|l| l.contains("not shown")).collect();
    assert_eq!(said.len(), 1, "one warning about the bytes not shown:\n{err}");
    assert!(said[0].contains("stdout"), "{err}");
    let shown = fs::read(&backing).expect("duct's stdout");
    let not_shown: usize = said[0]
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no byte count in {:?}", said[0]));
    assert_eq!(shown.len() + not_shown, want.len(), "shown plus not shown is the output: {err}");
    // The echo resumed: duct's stdout ends with the command's last line.
    assert!(shown.ends_with(&want[want.len() - 100..]), "the echo did not resume");
}

/// A background descendant of the command: `lines` lines `bg N`, `pause` seconds apart, then `bg.done`.
fn background(lines: u32, pause: &str) -> String {
    format!(
        "( i=0; while [ $i -lt {lines} ]; do echo \"bg $i\"; i=$((i+1)); sleep {pause}; done; echo ok > bg.done ) &"
    )
}

/// The descendant of most of these tests: 25 lines over 5 s.
const BG_LINES: u32 = 25;

/// Waits for duct to exit while the descendant still runs, then for the descendant to finish on its own (not
/// killed by SIGPIPE) and its last line to reach the log. Returns duct's exit code, its stderr and the log.
fn outlived_by_the_descendant(child: &mut Child, dir: &TestDir, lines: u32) -> (Option<i32>, String, String) {
    wait_until("duct to exit", Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    let status = child.wait().expect("wait");
    let running_at_exit = !dir.join("bg.done").exists();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("read stderr");
    assert!(running_at_exit, "the descendant ended before duct did (duct waited for it?): {err}");
    wait_until("the descendant to finish on its own", Duration::from_secs(60), || dir.join("bg.done").exists());
    // The descendant's last line reaches the log a moment after bg.done may appear.
    let log_path = dir.join("o/stdout");
    let last = format!("bg {}\n", lines - 1);
    wait_until("the descendant's last line in the log", Duration::from_secs(10), || {
        fs::read_to_string(&log_path).is_ok_and(|l| l.ends_with(&last))
    });
    (status.code(), err, fs::read_to_string(&log_path).expect("stdout log"))
}

/// Kills duct's worker with SIGSEGV. Rust's stack-overflow handler takes the first SIGSEGV that is not a real
/// fault and puts the default back; a real fault would fault again, so the signal is sent until it is gone.
fn crash_the_worker(duct_pid: u32) {
    let worker = common::worker_of(duct_pid).expect("duct has a worker process");
    wait_until("the worker to die of SIGSEGV", Duration::from_secs(10), || {
        kill(worker, libc::SIGSEGV);
        std::thread::sleep(Duration::from_millis(50));
        fs::read_to_string(format!("/proc/{worker}/stat")).map_or(true, |s| s.contains(") Z "))
    });
}

/// A background descendant that writes for 5 s after the command exited: duct returns the command's code
/// at once, the descendant is not killed (it finishes on its own), every line it wrote is in the log, and
/// info.json says one descendant was still running.
#[test]
fn a_descendant_writing_after_the_command_keeps_its_log() {
    let dir = TestDir::new();
    let script = format!("{} echo started; exit 4", background(BG_LINES, "0.2"));
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "-p", "o/", "sh", "-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    let (code, err, log) = outlived_by_the_descendant(&mut child, &dir, BG_LINES);
    assert_eq!(code, Some(4), "{err}");
    let want: String =
        std::iter::once("started\n".to_string()).chain((0..BG_LINES).map(|i| format!("bg {i}\n"))).collect();
    let mut got: Vec<&str> = log.lines().collect();
    got.sort_unstable();
    let mut wanted: Vec<&str> = want.lines().collect();
    wanted.sort_unstable();
    assert_eq!(got, wanted, "the log lost lines of the descendant: {err}");
    let doc = info(&dir.join("o/info.json")).expect("valid info.json");
    assert!(doc["execution_summary"]["descendants_running"].as_u64().is_some_and(|n| n >= 1), "{doc}");
    assert_eq!(doc["execution_summary"]["exit_code"], 4, "{doc}");
}

/// The worker dies mid-run, then the command exits while a descendant still writes: the supervisor that took
/// over does not take the descendant down with it (SIGPIPE when the last reader goes); its lines reach the log.
#[test]
fn after_a_worker_crash_a_descendant_keeps_writing_its_log() {
    descendant_outlives_a_crashed_worker(BG_LINES, "0.2");
}

/// The same with a descendant that never pauses long: the hand-over cannot wait for a quiet moment.
#[test]
fn after_a_worker_crash_a_chatty_descendant_keeps_writing_its_log() {
    descendant_outlives_a_crashed_worker(1000, "0.005");
}

fn descendant_outlives_a_crashed_worker(lines: u32, pause: &str) {
    let dir = TestDir::new();
    let script = format!("{} touch ready; while [ ! -e gate ]; do sleep 0.02; done; exit 4", background(lines, pause));
    let mut child = duct(dir.path())
        .args(["--fail-time", "0", "-p", "o/", "sh", "-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    wait_until("the command to start", Duration::from_secs(20), || dir.join("ready").exists());
    crash_the_worker(child.id());
    fs::write(dir.join("gate"), "").expect("open the gate");
    let (code, err, log) = outlived_by_the_descendant(&mut child, &dir, lines);
    assert_eq!(code, Some(4), "{err}");
    let got: Vec<&str> = log.lines().filter(|l| l.starts_with("bg ")).collect();
    let want: Vec<String> = (0..lines).map(|i| format!("bg {i}")).collect();
    // Lines read by the worker but not yet written when it died are lost with it (and counted); every line
    // after the take-over is there, in order.
    let first: usize = got.first().and_then(|l| l.strip_prefix("bg ")?.parse().ok()).unwrap_or(0);
    assert_eq!(got, want[first..].iter().map(String::as_str).collect::<Vec<_>>(), "{err}");
}

/// `--wait-descendants`: the batch script that starts a worker in the background and exits. duct finishes
/// only after the worker, samples it (its memory is in the peak) and logs all it wrote; the exit code is the
/// script's.
#[test]
fn wait_descendants_waits_for_and_samples_a_background_worker() {
    let dir = TestDir::new();
    let worker = "import time; b = bytearray(80 << 20); b[::4096] = b'x' * len(b[::4096]); \
                  [print('w', i, flush=True) or time.sleep(0.2) for i in range(10)]; open('bg.done', 'w')";
    let script = format!("python3 -c \"{worker}\" & echo started; exit 6");
    let out = common::output_with_timeout(
        duct(dir.path()).args([
            "--wait-descendants",
            "--fail-time",
            "0",
            "--s-i",
            "0.1",
            "-p",
            "o/",
            "sh",
            "-c",
            &script,
        ]),
        Duration::from_secs(120),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{err}");
    assert!(dir.join("bg.done").exists(), "duct finished before its descendant: {err}");
    let log = fs::read_to_string(dir.join("o/stdout")).expect("stdout log");
    let want: String = std::iter::once("started\n".to_string()).chain((0..10).map(|i| format!("w {i}\n"))).collect();
    assert_eq!(log, want, "{err}");
    let doc = info(&dir.join("o/info.json")).expect("valid info.json");
    let s = &doc["execution_summary"];
    assert_eq!(s["exit_code"], 6, "{doc}");
    assert!(s["peak_rss"].as_u64().is_some_and(|r| r >= 80 << 20), "the worker's memory is not in the peak: {s}");
    assert!(s["wall_clock_time"].as_f64().is_some_and(|t| t >= 2.0), "{s}");
    assert_eq!(s["descendants_running"], 0, "{s}");
}

/// duct's stdout is a pipe nobody reads until the command has ended (`duct cmd | slow-reader`): the command
/// is not held up, and once the reader drains the pipe duct still says how much it did not show, before the
/// summary, and exits.
#[test]
fn an_unread_stdout_pipe_is_told_what_it_missed() {
    let dir = TestDir::new();
    let mut child = duct(dir.path())
        .args(["--pty", "never", "--fail-time", "0", "-p", "o/", "sh", "-c"])
        .arg("head -c 30000000 /dev/zero | tr '\\0' a; echo done > finished")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    wait_until("the command to finish while nobody reads duct's stdout", Duration::from_secs(60), || {
        dir.join("finished").exists()
    });
    let mut shown = Vec::new();
    std::io::Read::read_to_end(&mut child.stdout.take().expect("stdout"), &mut shown).expect("read stdout");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("read stderr");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{err}");
    let said: Vec<&str> = err.lines().filter(|l| l.contains("not shown")).collect();
    assert_eq!(said.len(), 1, "one warning about the bytes not shown:\n{err}");
    let not_shown: usize = said[0].split_whitespace().find_map(|w| w.parse().ok()).expect("a byte count");
    assert_eq!(shown.len() + not_shown, 30_000_000, "{err}");
    assert_eq!(fs::metadata(dir.join("o/stdout")).expect("log").len(), 30_000_000);
}
