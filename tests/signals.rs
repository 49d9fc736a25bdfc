//! Signals and terminals: forwarding to the command's process group, escalation, job control, a real
//! terminal driven through tmux, duct's own stdout going away, and descendants that outlive the command.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{TestDir, duct, output_with_timeout, wait_until};

const T: Duration = Duration::from_secs(60);

/// duct with --fail-time 0, so that a command ended by a signal keeps its logs for the test to read.
fn spawn(dir: &TestDir, args: &[&str]) -> Child {
    duct(dir.path())
        .args(["--fail-time", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn duct")
}

fn send(child: &Child, sig: i32) {
    // SAFETY: kill with a pid we spawned.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn finish(mut child: Child) -> std::process::Output {
    let end = Instant::now() + T;
    while child.try_wait().expect("try_wait").is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            panic!("duct did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn exit_code_in_info(dir: &TestDir, prefix: &str) -> serde_json::Value {
    let text = fs::read_to_string(dir.join(format!("{prefix}info.json"))).expect("info.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid info.json");
    v["execution_summary"]["exit_code"].clone()
}

#[test]
fn sigint_reaches_the_whole_process_group() {
    let dir = TestDir::new();
    // The grandchild is in the foreground of the command's group; only a group-wide SIGINT reaches it.
    let script = r#"sh -c 'trap "touch grand; exit 7" INT; touch ready; while :; do sleep 0.05; done'; exit 5"#;
    let child = spawn(&dir, &["-p", "o/", "sh", "-c", script]);
    wait_until("ready", T, || dir.join("ready").exists());
    send(&child, libc::SIGINT);
    let out = finish(child);
    assert!(dir.join("grand").exists(), "the grandchild never saw SIGINT");
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(exit_code_in_info(&dir, "o/"), 130);
}

#[test]
fn third_sigint_kills_a_command_that_ignores_it() {
    let dir = TestDir::new();
    let child = spawn(&dir, &["-p", "o/", "sh", "-c", "trap '' INT; touch ready; sleep 30"]);
    wait_until("ready", T, || dir.join("ready").exists());
    for _ in 0..2 {
        send(&child, libc::SIGINT);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(child.id() > 0);
    std::thread::sleep(Duration::from_millis(200));
    send(&child, libc::SIGINT);
    let out = finish(child);
    assert_eq!(out.status.code(), Some(137), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(exit_code_in_info(&dir, "o/"), 137);
}

#[test]
fn terminating_signals_are_forwarded_and_duct_outlives_them() {
    for (sig, name) in [
        (libc::SIGTERM, "TERM"),
        (libc::SIGHUP, "HUP"),
        (libc::SIGQUIT, "QUIT"),
        (libc::SIGUSR1, "USR1"),
        (libc::SIGUSR2, "USR2"),
    ] {
        let dir = TestDir::new();
        let script = format!("trap 'echo got-{name}; exit 9' {name}; touch ready; while :; do sleep 0.05; done");
        let child = spawn(&dir, &["-p", "o/", "sh", "-c", &script]);
        wait_until("ready", T, || dir.join("ready").exists());
        send(&child, sig);
        let out = finish(child);
        assert_eq!(out.status.code(), Some(9), "SIG{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(fs::read_to_string(dir.join("o/stdout")).expect("stdout"), format!("got-{name}\n"));
        assert_eq!(exit_code_in_info(&dir, "o/"), 9);
    }
}

/// SIGTERM that the command ignores: duct keeps going until the command ends by itself, never orphaning it.
#[test]
fn duct_waits_for_a_command_that_ignores_sigterm() {
    let dir = TestDir::new();
    let child = spawn(&dir, &["-p", "o/", "sh", "-c", "trap '' TERM; touch ready; sleep 1; echo finished"]);
    wait_until("ready", T, || dir.join("ready").exists());
    send(&child, libc::SIGTERM);
    let out = finish(child);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "finished\n");
    assert_eq!(exit_code_in_info(&dir, "o/"), 0);
}

#[test]
fn current_session_mode_forwards_to_the_command() {
    let dir = TestDir::new();
    let child = spawn(
        &dir,
        &[
            "--mode",
            "current-session",
            "-p",
            "o/",
            "sh",
            "-c",
            "trap 'exit 6' TERM; touch ready; while :; do sleep 0.05; done",
        ],
    );
    wait_until("ready", T, || dir.join("ready").exists());
    send(&child, libc::SIGTERM);
    let out = finish(child);
    assert_eq!(out.status.code(), Some(6), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `duct cmd | head -1`: duct's stdout goes away; the command neither notices nor suffers, the log has all.
#[test]
fn closed_stdout_only_stops_the_echo() {
    let dir = TestDir::new();
    let mut child = duct(dir.path())
        .args([
            "-p",
            "o/",
            "sh",
            "-c",
            "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done; echo done > marker",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("read a line");
    // The reader is dropped here: duct's stdout is now a broken pipe.
    assert_eq!(first, "line 0\n");
    let out = finish(child);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("marker").exists(), "the command did not run to its end");
    let log = fs::read_to_string(dir.join("o/stdout")).expect("log");
    assert_eq!(log.lines().count(), 20000);
    assert_eq!(log.lines().last(), Some("line 19999"));
}

/// `duct sh -c 'server &'`: the descendant keeps the pipes open; duct still finishes, and says so.
#[test]
fn background_descendant_does_not_hang_duct() {
    let dir = TestDir::new();
    let start = Instant::now();
    let out = output_with_timeout(
        duct(dir.path()).args(["-p", "o/", "sh", "-c", "sleep 30 & echo $! > bg.pid; echo started"]),
        Duration::from_secs(20),
    );
    let took = start.elapsed();
    let bg: i32 = fs::read_to_string(dir.join("bg.pid")).expect("pid").trim().parse().expect("pid number");
    // SAFETY: the test started this process (through duct) and knows its pid.
    unsafe { libc::kill(bg, libc::SIGKILL) };
    assert_eq!(out.status.code(), Some(0));
    assert!(took < Duration::from_secs(10), "duct took {took:?}");
    assert_eq!(fs::read_to_string(dir.join("o/stdout")).expect("stdout"), "started\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("descendants of the command are still running"), "{err}");
    let info = fs::read_to_string(dir.join("o/info.json")).expect("info");
    assert!(info.contains("\"descendants_running\":1"), "{info}");
}

fn shell_line(dir: &Path, args: &str) -> String {
    format!("{} {args}", common::duct_bin().display()).replace("{dir}", &dir.display().to_string())
}

/// Ctrl-C typed at a real terminal reaches the command exactly once, in both session modes.
#[test]
fn ctrl_c_at_a_terminal_arrives_once() {
    for mode in ["new-session", "current-session"] {
        let dir = TestDir::new();
        // The trap does not end the command at once, so a second delivery would be counted.
        let script =
            "trap 'echo int >> ints' INT; touch ready; while [ ! -s ints ]; do sleep 0.05; done; sleep 1; exit 3";
        let line =
            shell_line(dir.path(), &format!("--pty never --mode {mode} -p o/ sh -c \"{script}\"; echo rc=$? > rc"));
        let Some(tmux) = Tmux::start(dir.path(), "sh") else {
            return;
        };
        tmux.keys(&[&line, "Enter"]);
        wait_until("ready", T, || dir.join("ready").exists());
        tmux.keys(&["C-c"]);
        wait_until("rc", T, || fs::read_to_string(dir.join("rc")).is_ok_and(|s| s.ends_with('\n')));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(fs::read_to_string(dir.join("ints")).expect("ints"), "int\n", "{mode}: {}", tmux.screen());
        assert_eq!(fs::read_to_string(dir.join("rc")).expect("rc"), "rc=3\n", "{mode}");
    }
}

fn ticks(dir: &Path) -> usize {
    fs::read_to_string(dir.join("ticks")).map(|s| s.lines().count()).unwrap_or(0)
}

/// Ctrl-Z stops the job (command included), `fg` resumes it; a command reading the terminal is not stopped
/// by SIGTTIN and gets what is typed.
#[test]
fn job_control_and_terminal_input() {
    for mode in ["new-session", "current-session"] {
        let dir = TestDir::new();
        let script = "touch ready; while :; do echo t >> ticks; sleep 0.05; done";
        let line = shell_line(dir.path(), &format!("--pty never --mode {mode} -p o/ sh -c \"{script}\""));
        let Some(tmux) = Tmux::start(dir.path(), "env PS1='$ ' bash --norc --noprofile") else {
            return;
        };
        tmux.keys(&[&line, "Enter"]);
        wait_until("ready", T, || dir.join("ready").exists());
        wait_until("ticking", T, || ticks(dir.path()) > 3);
        tmux.keys(&["C-z"]);
        wait_until("the shell to report the stop", T, || tmux.screen().contains("Stopped"));
        std::thread::sleep(Duration::from_millis(300));
        let stopped_at = ticks(dir.path());
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(ticks(dir.path()), stopped_at, "{mode}: the command kept running after Ctrl-Z");
        tmux.keys(&["fg", "Enter"]);
        wait_until("ticks to resume", T, || ticks(dir.path()) > stopped_at + 3);
        tmux.keys(&["C-c"]);
        wait_until("the prompt", T, || tmux.screen().trim_end().ends_with('$'));

        let read_line = shell_line(
            dir.path(),
            &format!("--pty never --mode {mode} --clobber -p o/ sh -c \"read x; echo got-\\$x > answer\""),
        );
        tmux.keys(&[&read_line, "Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        tmux.keys(&["hello", "Enter"]);
        wait_until("the answer", T, || fs::read_to_string(dir.join("answer")).is_ok_and(|s| s == "got-hello\n"));
    }
}

/// duct's own messages never land inside a partial line of the command's stderr.
#[test]
fn duct_messages_wait_for_the_end_of_the_commands_line() {
    let dir = TestDir::new();
    let script = "trap '' USR1; printf partial >&2; touch ready; sleep 0.3; printf ' rest\\n' >&2";
    let child = spawn(&dir, &["-p", "o/", "sh", "-c", script]);
    wait_until("ready", T, || dir.join("ready").exists());
    send(&child, libc::SIGUSR1);
    let out = finish(child);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| *l == "partial rest").unwrap_or_else(|| panic!("line split: {err}"));
    assert!(lines[at + 1..].iter().any(|l| l.contains("passing SIGUSR1")), "{err}");
    assert_eq!(fs::read_to_string(dir.join("o/stderr")).expect("log"), "partial rest\n");
}
