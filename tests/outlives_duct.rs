//! The command outlives duct (issue 18 item 1): `kill -9` of the pid the shell waits on never harms the
//! command, and a crash of duct's worker process still ends in the command's exit code, one line saying
//! what happened, its later output in the log and its exit code in info.json.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{TestDir, duct};
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

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
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
        let log = fs::read_to_string(dir.join("o/stdout")).expect("stdout log");
        assert_lines_from(&log, at_kill + 1, &context);
        stop(&mut child);
    }
}

/// duct's worker: the one child of the duct process that is itself duct.
fn worker_of(duct_pid: u32) -> Option<u32> {
    let me = fs::read_link(format!("/proc/{duct_pid}/exe")).ok()?;
    fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let ppid: u32 = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
        (ppid == duct_pid && fs::read_link(format!("/proc/{pid}/exe")).ok()? == me).then_some(pid)
    })
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
    let worker = worker_of(child.id()).expect("duct has a worker process");
    let at_kill = progress(dir.path()).unwrap_or(0);
    // Rust's stack-overflow handler takes the first SIGSEGV that is not a real fault and puts the default
    // back; a real fault would fault again, so the signal is sent until the worker is gone.
    wait_until("the worker to die of SIGSEGV", Duration::from_secs(10), || {
        kill(worker, libc::SIGSEGV);
        std::thread::sleep(Duration::from_millis(50));
        fs::read_to_string(format!("/proc/{worker}/stat")).map_or(true, |s| s.contains(") Z "))
    });
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
}
