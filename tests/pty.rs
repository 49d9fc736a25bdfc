//! `--pty`: the command sees terminals on stdout and stderr when duct runs on one, keys behave as at a plain
//! terminal, and the logs hold exactly what the command wrote. Driven through a real terminal (tmux).
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::tmux::Tmux;
use common::{TestDir, duct, output_with_timeout, read, wait_until};

const T: Duration = Duration::from_secs(30);

/// The shell in tmux runs `stty -g` before and after duct, so the test can compare the terminal modes. The
/// subshell makes the whole line one job, as Ctrl-Z and `fg` see it.
fn run_in_terminal(tmux: &Tmux, dir: &Path, duct_args: &str) {
    let line = format!(
        "(stty -g > before; {} --fail-time 0 -p o/ {duct_args}; echo rc=$? > rc; stty -g > after)",
        common::duct_bin().display()
    );
    tmux.keys(&[&line, "Enter"]);
    let _ = dir;
}

fn finished(dir: &Path) -> String {
    wait_until("duct to finish", T, || read(dir, "after").ends_with('\n'));
    assert_eq!(read(dir, "before"), read(dir, "after"), "terminal modes changed");
    read(dir, "rc")
}

fn shell(dir: &Path) -> Option<Tmux> {
    Tmux::start(dir, "env PS1='$ ' bash --norc --noprofile")
}

#[test]
fn both_streams_are_terminals_and_logs_are_exact() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let script = "[ -t 1 ] && echo out-tty; [ -t 2 ] && echo err-tty >&2; printf '10%%\\r50%%\\r100%%\\n'";
    run_in_terminal(&tmux, dir.path(), &format!("sh -c \"{script}\""));
    assert_eq!(finished(dir.path()), "rc=0\n");
    assert_eq!(read(dir.path(), "o/stdout"), "out-tty\n10%\r50%\r100%\n");
    assert_eq!(read(dir.path(), "o/stderr"), "err-tty\n");
    assert!(tmux.screen().contains("100%"), "{}", tmux.screen());
}

#[test]
fn typed_input_reaches_a_prompt() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    run_in_terminal(&tmux, dir.path(), "sh -c \"printf 'name? '; read x; echo got-\\$x\"");
    wait_until("the prompt", T, || tmux.screen().contains("name? "));
    tmux.keys(&["hello", "Enter"]);
    assert_eq!(finished(dir.path()), "rc=0\n");
    assert!(read(dir.path(), "o/stdout").contains("got-hello\n"), "{:?}", read(dir.path(), "o/stdout"));
}

#[test]
fn ctrl_c_reaches_the_command_once() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let script = "trap 'echo int >> ints' INT; touch ready; while [ ! -s ints ]; do sleep 0.05; done; sleep 1; exit 3";
    run_in_terminal(&tmux, dir.path(), &format!("sh -c \"{script}\""));
    wait_until("ready", T, || dir.join("ready").exists());
    tmux.keys(&["C-c"]);
    assert_eq!(finished(dir.path()), "rc=3\n");
    assert_eq!(read(dir.path(), "ints"), "int\n");
}

#[test]
fn ctrl_z_and_fg() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    run_in_terminal(&tmux, dir.path(), "sh -c \"touch ready; while :; do echo t >> ticks; sleep 0.05; done\"");
    wait_until("ready", T, || dir.join("ready").exists());
    let ticks = || read(dir.path(), "ticks").lines().count();
    wait_until("ticks", T, || ticks() > 3);
    tmux.keys(&["C-z"]);
    wait_until("the shell to report the stop", T, || tmux.screen().contains("Stopped"));
    std::thread::sleep(Duration::from_millis(300));
    let at = ticks();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(ticks(), at, "the command kept running after Ctrl-Z");
    tmux.keys(&["fg", "Enter"]);
    wait_until("ticks to resume", T, || ticks() > at + 3);
    tmux.keys(&["C-c"]);
    assert_eq!(finished(dir.path()), "rc=130\n");
}

#[test]
fn window_size_follows_the_terminal() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let script =
        "tput cols > cols1; trap 'tput cols > cols2' WINCH; touch ready; while [ ! -s cols2 ]; do sleep 0.05; done";
    run_in_terminal(&tmux, dir.path(), &format!("sh -c \"{script}\""));
    wait_until("ready", T, || dir.join("ready").exists());
    assert_eq!(read(dir.path(), "cols1"), "120\n");
    tmux.resize(90, 30);
    assert_eq!(finished(dir.path()), "rc=0\n");
    assert_eq!(read(dir.path(), "cols2"), "90\n");
}

/// duct sent SIGTERM while its terminal is raw: the command gets it, and the terminal is restored.
#[test]
fn sigterm_restores_the_terminal() {
    let dir = TestDir::new();
    let Some(tmux) = shell(dir.path()) else { return };
    let script = "echo \\$PPID > duct.pid; trap 'exit 9' TERM; while :; do sleep 0.05; done";
    run_in_terminal(&tmux, dir.path(), &format!("sh -c \"{script}\""));
    wait_until("duct's pid", T, || read(dir.path(), "duct.pid").ends_with('\n'));
    let pid: i32 = read(dir.path(), "duct.pid").trim().parse().expect("pid");
    // SAFETY: duct is the parent of the command this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(finished(dir.path()), "rc=9\n");
}

/// Without a terminal, `auto` keeps pipes; `always` still gives the command terminals.
#[test]
fn without_a_terminal() {
    let dir = TestDir::new();
    let probe = ["sh", "-c", "[ -t 1 ] && echo out-tty || echo out-pipe"];
    let out = output_with_timeout(duct(dir.path()).args(["-p", "a/"]).args(probe), T);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "out-pipe\n");
    let out = output_with_timeout(duct(dir.path()).args(["--pty", "always", "-p", "b/"]).args(probe), T);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "out-tty\n");
    assert_eq!(read(dir.path(), "b/stdout"), "out-tty\n");
    let out = output_with_timeout(duct(dir.path()).args(["--pty", "always", "--mode", "current-session", "true"]), T);
    assert_eq!(out.status.code(), Some(2));
    let _ = Command::new("true").status();
}
