//! The command runs through pipes duct owns: exit codes, byte-exact output, and every -c/-o combination.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::time::Duration;

use common::{TestDir, duct, output_with_timeout};

const T: Duration = Duration::from_secs(60);

fn run(dir: &TestDir, args: &[&str]) -> std::process::Output {
    output_with_timeout(duct(dir.path()).args(args), T)
}

#[test]
fn exit_codes_are_the_commands() {
    let dir = TestDir::new();
    for (script, code) in [("exit 0", 0), ("exit 3", 3), ("exit 255", 255), ("kill -9 $$", 137), ("kill -TERM $$", 143)]
    {
        let out = run(&dir, &["--clobber", "-p", "o/", "sh", "-c", script]);
        assert_eq!(out.status.code(), Some(code), "{script}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn missing_command_is_127_with_one_line() {
    let dir = TestDir::new();
    let out = run(&dir, &["-p", "o/", "no-such-command-xyz", "arg"]);
    assert_eq!(out.status.code(), Some(127));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("duct: no-such-command-xyz: command not found"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Nothing ran, so nothing is left behind.
    let left: Vec<_> = fs::read_dir(dir.join("o")).map(|d| d.flatten().collect()).unwrap_or_default();
    assert!(left.is_empty(), "files left: {left:?}");
}

#[test]
fn not_executable_is_126() {
    let dir = TestDir::new();
    fs::write(dir.join("script.sh"), "#!/bin/sh\necho hi\n").expect("write script");
    let out = run(&dir, &["-p", "o/", "./script.sh"]);
    assert_eq!(out.status.code(), Some(126), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&dir, &["-p", "o2/", "/tmp"]);
    assert_eq!(out.status.code(), Some(126), "a directory: {}", String::from_utf8_lossy(&out.stderr));
}

/// 1 MiB of random bytes on each stream arrives unchanged in the files and on duct's own streams
/// (apart from duct's own whole lines on stderr).
#[test]
fn output_is_byte_exact() {
    let dir = TestDir::new();
    let data_out: Vec<u8> = (0..1 << 20).map(|i: u32| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let data_err: Vec<u8> = (0..1 << 20).map(|i: u32| (i.wrapping_mul(40503) >> 7) as u8 ^ 0x5a).collect();
    fs::write(dir.join("out.bin"), &data_out).expect("write");
    fs::write(dir.join("err.bin"), &data_err).expect("write");
    let out = run(&dir, &["-p", "o/", "sh", "-c", "cat out.bin; cat err.bin >&2; printf tail"]);
    assert_eq!(out.status.code(), Some(0));
    let mut want_out = data_out.clone();
    want_out.extend_from_slice(b"tail");
    assert!(fs::read(dir.join("o/stdout")).expect("stdout file") == want_out, "stdout file differs");
    assert!(fs::read(dir.join("o/stderr")).expect("stderr file") == data_err, "stderr file differs");
    assert!(out.stdout == want_out, "duct's stdout differs from the command's");
    // duct's stderr is the command's stderr with duct's own lines around it: remove lines that are duct's.
    let err = &out.stderr;
    let pos = find(err, &data_err).expect("the command's stderr appears whole in duct's stderr");
    let before = String::from_utf8_lossy(&err[..pos]);
    assert!(before.lines().all(|l| l.contains("duct")), "foreign bytes before the data: {before:?}");
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn capture_and_output_matrix() {
    let dir = TestDir::new();
    let modes = ["all", "none", "stdout", "stderr"];
    for c in modes {
        for o in modes {
            let prefix = format!("m/{c}-{o}_");
            let out = run(&dir, &["-c", c, "-o", o, "-p", &prefix, "sh", "-c", "echo OUT; echo ERR >&2"]);
            assert_eq!(out.status.code(), Some(0));
            let cap_out = c == "all" || c == "stdout";
            let cap_err = c == "all" || c == "stderr";
            let show_out = o == "all" || o == "stdout";
            let show_err = o == "all" || o == "stderr";
            let f_out = fs::read_to_string(dir.join(format!("{prefix}stdout")));
            let f_err = fs::read_to_string(dir.join(format!("{prefix}stderr")));
            assert_eq!(f_out.ok().as_deref(), cap_out.then_some("OUT\n"), "-c {c} -o {o} stdout file");
            assert_eq!(f_err.ok().as_deref(), cap_err.then_some("ERR\n"), "-c {c} -o {o} stderr file");
            assert_eq!(out.stdout == b"OUT\n", show_out, "-c {c} -o {o}: duct stdout {:?}", out.stdout);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().any(|l| l == "ERR"), show_err, "-c {c} -o {o}: duct stderr {err}");
            assert!(dir.join(format!("{prefix}info.json")).exists());
            assert!(dir.join(format!("{prefix}usage.jsonl")).exists());
        }
    }
}

/// A stream shown but not captured is inherited: the command sees duct's own descriptor, e.g. a file.
#[test]
fn uncaptured_shown_stream_is_inherited() {
    let dir = TestDir::new();
    let target = fs::File::create(dir.join("direct.txt")).expect("create");
    let out = duct(dir.path())
        .args(["-c", "none", "-p", "o/", "sh", "-c", "readlink /proc/self/fd/1"])
        .stdout(target)
        .output()
        .expect("run duct");
    assert_eq!(out.status.code(), Some(0));
    let seen = fs::read_to_string(dir.join("direct.txt")).expect("read");
    assert!(seen.trim_end().ends_with("direct.txt"), "{seen}");
}

/// The child never holds a log file: its stdout and stderr are pipes.
#[test]
fn child_writes_only_to_pipes() {
    let dir = TestDir::new();
    let out = run(&dir, &["-p", "o/", "sh", "-c", "readlink /proc/self/fd/1 /proc/self/fd/2; ls -l /proc/self/fd"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let first_two: Vec<&str> = text.lines().take(2).collect();
    assert!(first_two.iter().all(|l| l.starts_with("pipe:")), "{text}");
    assert!(!text.contains("o/stdout") && !text.contains("o/stderr"), "child holds a log file: {text}");
}

#[test]
fn first_word_ends_duct_options() {
    let dir = TestDir::new();
    let out = run(&dir, &["-p", "o/", "sh", "-c", "echo \"$0 $*\"", "-l", "--version"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "-l --version\n");
    let out = run(&dir, &["--clobber", "-p", "o/", "--", "echo", "-p", "x"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "-p x\n");
}
