//! duct behaves like the shell people know: ignored signals stay ignored (nohup, `&` in scripts), `duct CMD &`
//! runs in the background, three Ctrl-C kill under a terminal, exec errors as the shell reports them, a pty
//! only where duct's own stream is a terminal, reports on the sampling clock, and log files changed behind
//! duct's back are recorded.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{TestDir, duct, output_with_timeout, read, wait_until};
use serde_json::Value;

const T: Duration = Duration::from_secs(60);

fn info(dir: &Path, prefix: &str) -> Value {
    let text = fs::read_to_string(dir.join(format!("{prefix}info.json"))).expect("info.json");
    serde_json::from_str(&text).expect("valid info.json")
}

/// The SigIgn mask from a `/proc/<pid>/status` text.
fn sig_ign(status: &str) -> u64 {
    let line = status.lines().find(|l| l.starts_with("SigIgn:")).expect("SigIgn line");
    u64::from_str_radix(line.trim_start_matches("SigIgn:").trim(), 16).expect("hex mask")
}

fn bit(sig: i32) -> u64 {
    1 << (sig - 1)
}

fn kill(pid: u32, sig: i32) {
    // SAFETY: kill with a pid this test spawned.
    assert_eq!(unsafe { libc::kill(pid as i32, sig) }, 0, "kill {pid} {sig}");
}

fn wait_child(child: &mut std::process::Child) -> std::process::ExitStatus {
    let end = Instant::now() + T;
    loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            return st;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A command's wait for the file `go`. It gives up after 30 s, so a failing test leaves no process behind.
macro_rules! wait_for_go {
    () => {
        "i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done"
    };
}

const STATUS_THEN_WAIT: &str =
    concat!("grep SigIgn /proc/self/status > ign; echo ready > ready; ", wait_for_go!(), "; echo survived");

#[test]
fn nohup_keeps_sighup_ignored_in_duct_and_the_command() {
    let dir = TestDir::new();
    // nohup execs duct with SIGHUP ignored, as `nohup duct CMD &` does.
    let mut nohup = Command::new("nohup");
    nohup.arg(common::duct_bin()).current_dir(dir.path()).stdin(Stdio::null()).stdout(Stdio::null());
    common::isolate_env(&mut nohup, dir.path());
    let mut child =
        nohup.args(["--fail-time", "0", "-p", "o/", "sh", "-c", STATUS_THEN_WAIT]).spawn().expect("spawn nohup duct");
    wait_until("the command to start", T, || dir.join("ready").exists());
    assert_ne!(sig_ign(&read(dir.path(), "ign")) & bit(libc::SIGHUP), 0, "SIGHUP not ignored in the command");
    kill(child.id(), libc::SIGHUP);
    // Give a (wrongly) forwarded SIGHUP time to land before the command is allowed to finish.
    std::thread::sleep(Duration::from_millis(300));
    fs::write(dir.join("go"), "").unwrap();
    let st = wait_child(&mut child);
    assert_eq!(st.code(), Some(0), "duct or the command died of SIGHUP");
    assert_eq!(read(dir.path(), "o/stdout"), "survived\n");
}

#[test]
fn a_script_background_job_ignores_sigint_and_sigquit() {
    let dir = TestDir::new();
    // A non-interactive shell starts `cmd &` with SIGINT and SIGQUIT ignored (POSIX); Ctrl-C at the terminal
    // then reaches the script's process group and must not kill the background job.
    let script = format!(
        "{} --fail-time 0 -p o/ sh -c '{STATUS_THEN_WAIT}' & echo $! > duct.pid; wait $!; echo rc=$? > rc",
        common::duct_bin().display()
    );
    let mut sh = Command::new("sh");
    common::isolate_env(&mut sh, dir.path());
    let mut child = sh
        .args(["-c", &script])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sh");
    wait_until("the command to start", T, || dir.join("ready").exists());
    let ign = sig_ign(&read(dir.path(), "ign"));
    assert_ne!(ign & bit(libc::SIGINT), 0, "SIGINT not ignored in the command");
    assert_ne!(ign & bit(libc::SIGQUIT), 0, "SIGQUIT not ignored in the command");
    let pid: u32 = read(dir.path(), "duct.pid").trim().parse().expect("duct pid");
    kill(pid, libc::SIGINT);
    kill(pid, libc::SIGQUIT);
    std::thread::sleep(Duration::from_millis(300));
    fs::write(dir.join("go"), "").unwrap();
    wait_child(&mut child);
    assert_eq!(read(dir.path(), "rc"), "rc=0\n");
    assert_eq!(read(dir.path(), "o/stdout"), "survived\n");
}

/// duct started with exactly the signals in `ignored` ignored (and every other at its default).
fn duct_with_ignored(dir: &Path, ignored: &'static [i32]) -> Command {
    let mut cmd = duct(dir);
    // SAFETY: only sigaction in the child before exec, which is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
            // The raw system call: glibc's sigaction refuses its internal signals (32, 33), which a
            // posix_spawn by the test harness left ignored here.
            #[repr(C)]
            struct KernelSigaction {
                handler: usize,
                flags: u64,
                restorer: usize,
                mask: u64,
            }
            for sig in 1..=64 {
                if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                    continue;
                }
                let h = if ignored.contains(&sig) { libc::SIG_IGN } else { libc::SIG_DFL };
                let act = KernelSigaction { handler: h, flags: 0, restorer: 0, mask: 0 };
                libc::syscall(libc::SYS_rt_sigaction, sig, &act as *const KernelSigaction, std::ptr::null::<u8>(), 8);
            }
            Ok(())
        });
    }
    cmd
}

#[test]
fn the_command_inherits_no_signal_dispositions_of_ducts_own() {
    let dir = TestDir::new();
    for (ignored, mask) in [(&[][..], 0u64), (&[libc::SIGUSR1][..], bit(libc::SIGUSR1))] {
        for mode in ["new-session", "current-session"] {
            let prefix = format!("{mode}-{mask}/");
            let out = output_with_timeout(
                duct_with_ignored(dir.path(), ignored).args([
                    "-p",
                    &prefix,
                    "--mode",
                    mode,
                    "sh",
                    "-c",
                    "grep SigIgn /proc/self/status",
                ]),
                T,
            );
            assert_eq!(out.status.code(), Some(0), "{mode}: {}", String::from_utf8_lossy(&out.stderr));
            let got = sig_ign(&read(dir.path(), &format!("{prefix}stdout")));
            assert_eq!(got, mask, "{mode}: SigIgn {got:#x} in the command, {mask:#x} given to duct");
        }
    }
}

fn shell(dir: &Path) -> Option<Tmux> {
    Tmux::start(dir, "env PS1='$ ' bash --norc --noprofile")
}

#[test]
fn duct_in_the_background_runs_without_touching_the_terminal() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let line = format!(
        "stty -g > before; {} --fail-time 0 -p o/ sh -c '[ -t 1 ] && echo tty || echo no-tty; echo > started; \
         {}; echo done' & wait $!; echo rc=$? > rc; stty -g > after",
        common::duct_bin().display(),
        wait_for_go!()
    );
    tmux.keys(&[&line, "Enter"]);
    // Today the job is stopped (tty output) before the command starts.
    wait_until("the command to start in the background", T, || dir.path().join("started").exists());
    fs::write(dir.join("go"), "").unwrap();
    wait_until("the job to finish", T, || read(dir.path(), "after").ends_with('\n'));
    assert_eq!(read(dir.path(), "rc"), "rc=0\n", "screen:\n{}", tmux.screen());
    assert_eq!(read(dir.path(), "before"), read(dir.path(), "after"), "terminal modes changed");
    assert_eq!(read(dir.path(), "o/stdout"), "no-tty\ndone\n", "a background duct gives the command pipes");
    assert!(!tmux.screen().contains("Stopped"), "{}", tmux.screen());
}

#[test]
fn three_ctrl_c_kill_a_command_that_catches_sigint_under_a_pty() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let line = format!(
        "{} --fail-time 0 -p o/ sh -c 'trap \"echo caught\" INT; [ -t 1 ] && echo tty; echo > ready; \
         while :; do sleep 0.1; done'; echo rc=$? > rc",
        common::duct_bin().display()
    );
    tmux.keys(&[&line, "Enter"]);
    wait_until("the command to start", T, || dir.path().join("ready").exists());
    // The log is written off the command's path, so its first line may land after `ready`.
    wait_until("the first line in the log", T, || !read(dir.path(), "o/stdout").is_empty());
    assert!(read(dir.path(), "o/stdout").starts_with("tty\n"), "the command has no pty: auto should give one");
    for n in 1..=2 {
        tmux.keys(&["C-c"]);
        wait_until("the trap to run", T, || read(dir.path(), "o/stdout").matches("caught").count() >= n);
    }
    tmux.keys(&["C-c"]);
    wait_until("duct to end after the third Ctrl-C", T, || read(dir.path(), "rc").ends_with('\n'));
    assert_eq!(read(dir.path(), "rc"), "rc=137\n", "screen:\n{}", tmux.screen());
}

#[test]
fn the_commands_stderr_is_a_terminal_only_when_ducts_is() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let line = format!(
        "{} --fail-time 0 -p o/ sh -c '[ -t 1 ] && echo out-tty; [ -t 2 ] && echo err-tty >&2; echo plain >&2' \
         2> errfile; echo rc=$? > rc",
        common::duct_bin().display()
    );
    tmux.keys(&[&line, "Enter"]);
    wait_until("duct to finish", T, || read(dir.path(), "rc").ends_with('\n'));
    assert_eq!(read(dir.path(), "rc"), "rc=0\n");
    assert_eq!(read(dir.path(), "o/stdout"), "out-tty\n");
    assert_eq!(read(dir.path(), "o/stderr"), "plain\n");
    assert!(read(dir.path(), "errfile").contains("plain\n"), "{}", read(dir.path(), "errfile"));
}

#[test]
fn pty_always_without_a_terminal_has_a_sane_window_size() {
    let dir = TestDir::new();
    let out = output_with_timeout(
        duct(dir.path()).args(["--pty", "always", "-p", "o/", "sh", "-c", "stty -F /dev/stdout size"]),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(dir.path(), "o/stdout"), "24 80\n");
}

fn executable(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// An ELF header for AArch64: a valid format for another machine.
fn aarch64_elf() -> Vec<u8> {
    let mut h = b"\x7fELF\x02\x01\x01\x00".to_vec();
    h.extend([0u8; 8]);
    h.extend(2u16.to_le_bytes()); // ET_EXEC
    h.extend(183u16.to_le_bytes()); // EM_AARCH64
    h.extend(1u32.to_le_bytes());
    h.extend(0x400000u64.to_le_bytes());
    h.extend(64u64.to_le_bytes());
    h.extend(0u64.to_le_bytes());
    h.extend(0u32.to_le_bytes());
    for v in [64u16, 56, 0, 64, 0, 0] {
        h.extend(v.to_le_bytes());
    }
    h
}

#[test]
fn exec_format_errors_are_reported_as_the_shell_does() {
    let dir = TestDir::new();
    executable(&dir.join("arm.elf"), &aarch64_elf());
    let host = fs::read("/bin/true").expect("/bin/true");
    executable(&dir.join("truncated.elf"), &host[..64]);
    for name in ["./arm.elf", "./truncated.elf"] {
        let out = output_with_timeout(duct(dir.path()).args(["-p", "o/", name]), T);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(126), "{name}: {err}");
        let last = err.lines().last().unwrap_or_default();
        assert_eq!(last, format!("duct: {name}: cannot execute binary file: Exec format error"), "{name}: {err}");
    }
    // A text file without #! still runs through /bin/sh, as shells do.
    executable(&dir.join("script"), b"echo from-sh \"$1\"\nexit 3\n");
    let out = output_with_timeout(duct(dir.path()).args(["--fail-time", "0", "-p", "s/", "./script", "arg"]), T);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(dir.path(), "s/stdout"), "from-sh arg\n");
}

fn report_gaps(dir: &Path, prefix: &str) -> Vec<f64> {
    let text = read(dir, &format!("{prefix}usage.jsonl"));
    let times: Vec<f64> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("usage line");
            let t = v["timestamp"].as_str().expect("timestamp");
            chrono::DateTime::parse_from_rfc3339(t).expect("rfc3339").timestamp_micros() as f64 / 1e6
        })
        .collect();
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn reports_come_every_report_interval() {
    let dir = TestDir::new();
    for (si, ri, run, prefix) in [("1", 1.0, "6.5", "a/"), ("0.5", 2.0, "8.5", "b/")] {
        let out = output_with_timeout(
            duct(dir.path()).args(["-p", prefix, "--s-i", si, "--r-i", &ri.to_string(), "sleep", run]),
            T,
        );
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let gaps = report_gaps(dir.path(), prefix);
        assert!(gaps.len() >= 3, "--s-i {si} --r-i {ri}: too few reports: {gaps:?}");
        // The median, so that one late sample on a loaded machine does not decide.
        let m = median(gaps.clone());
        assert!((m - ri).abs() < 0.3, "--s-i {si} --r-i {ri}: report gaps {gaps:?}");
    }
}

/// The command prints `before`, waits for the file `go`, prints `after`.
const BEFORE_GO_AFTER: &str = concat!("echo before; ", wait_for_go!(), "; echo after; sleep 0.3");

fn log_file<'a>(doc: &'a Value, suffix: &str) -> &'a Value {
    doc["duct"]["log_files"]
        .as_array()
        .expect("log_files")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no log_files entry for {suffix}: {doc}"))
}

/// Runs BEFORE_GO_AFTER under duct, calls `tamper` once `before` is in the log, and returns duct's stderr
/// after checking what both tests check: the stdout log's loss and incident are in info.json.
fn tamper_mid_run(dir: &TestDir, tamper: impl FnOnce()) -> String {
    let mut child = duct(dir.path())
        .args(["-p", "o/", "sh", "-c", BEFORE_GO_AFTER])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct");
    wait_until("the first line in the log", T, || read(dir.path(), "o/stdout") == "before\n");
    tamper();
    fs::write(dir.join("go"), "").unwrap();
    assert_eq!(wait_child(&mut child).code(), Some(0));
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    let doc = info(dir.path(), "o/");
    let f = log_file(&doc, "stdout");
    assert_eq!(f["bytes_lost_by_file"], 7, "{f}");
    assert!(!f["incidents"].as_array().unwrap().is_empty(), "{f}");
    err
}

#[test]
fn a_log_file_truncated_behind_ducts_back_is_recorded_without_a_hole() {
    let dir = TestDir::new();
    let err = tamper_mid_run(&dir, || {
        fs::OpenOptions::new().write(true).truncate(true).open(dir.join("o/stdout")).unwrap();
    });
    assert_eq!(fs::read(dir.join("o/stdout")).unwrap(), b"after\n", "no run of zeros, duct goes on at the end");
    assert!(err.contains("o/stdout") && err.contains("truncated"), "{err}");
}

#[test]
fn a_log_directory_deleted_behind_ducts_back_is_recorded_and_recreated() {
    let dir = TestDir::new();
    let err = tamper_mid_run(&dir, || fs::remove_dir_all(dir.join("o")).unwrap());
    assert!(err.contains("o/stdout") && err.contains("deleted"), "{err}");
    assert_eq!(read(dir.path(), "o/stdout"), "after\n");
}
