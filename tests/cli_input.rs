//! The command line, the environment and .env files: parity with con-duct, one-line errors, generated docs.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::time::Duration;

use common::{TestDir, duct, output_with_timeout};
use serde_json::Value;

const T: Duration = Duration::from_secs(60);

fn assert_usage_error(dir: &TestDir, args: &[&str], mention: &str) {
    let out = output_with_timeout(duct(dir.path()).args(args).arg("touch").arg("ran"), T);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line expected: {err}");
    assert!(err.contains(mention), "{args:?}: {err}");
    assert!(!err.contains("panick") && !err.contains("RUST_BACKTRACE"), "{err}");
    assert!(!dir.join("ran").exists(), "{args:?}: the command ran");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = TestDir::new();
    assert_usage_error(&dir, &["--no-such-flag"], "--no-such-flag");
    assert_usage_error(&dir, &["--sample-interval", "abc"], "--sample-interval");
    assert_usage_error(&dir, &["--s-i", "0"], "--sample-interval");
    assert_usage_error(&dir, &["--s-i", "2", "--r-i", "1"], "--report-interval");
    assert_usage_error(&dir, &["-p", "x/{host}_"], "{host}");
    assert_usage_error(&dir, &["-c", "bogus"], "bogus");
    assert_usage_error(&dir, &["--mode", "bogus"], "bogus");
    assert_usage_error(&dir, &["--summary-format", "{nope}"], "nope");
    assert_usage_error(&dir, &["--fail-time", "soon"], "--fail-time");
    let out = output_with_timeout(duct(dir.path()).env("DUCT_COLORS", "perhaps").args(["true"]), T);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DUCT_COLORS"));
    let out = output_with_timeout(&mut duct(dir.path()), T);
    assert_eq!(out.status.code(), Some(2), "no command at all");
}

#[test]
fn version_and_help() {
    let dir = TestDir::new();
    let out = output_with_timeout(duct(dir.path()).arg("--version"), T);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("duct {}\n", env!("CARGO_PKG_VERSION")));
    let out = output_with_timeout(duct(dir.path()).arg("--help"), T);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--output-prefix",
        "--summary-format",
        "--colors",
        "--clobber",
        "--sample-interval",
        "--report-interval",
        "--fail-time",
        "--capture-outputs",
        "--outputs",
        "--record-types",
        "--message",
        "--mode",
        "--log-level",
        "--quiet",
        "--version",
        "s-i",
        "r-i",
        "f-t",
    ] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
}

fn summary_of(dir: &TestDir, prefix: &str) -> Value {
    let text = fs::read_to_string(dir.join(format!("{prefix}info.json"))).expect("info.json");
    serde_json::from_str::<Value>(&text).expect("json")
}

/// CLI > environment > .env files (later ones win) > defaults, as in con-duct.
#[test]
fn env_and_dotenv_precedence() {
    let dir = TestDir::new();
    fs::create_dir_all(dir.join(".duct")).expect("mkdir");
    fs::create_dir_all(dir.join("xdg-config/duct")).expect("mkdir");
    fs::write(dir.join("xdg-config/duct/.env"), "DUCT_MESSAGE=from-user-env\nDUCT_OUTPUT_PREFIX=user/\n").expect("w");
    fs::write(dir.join(".duct/.env"), "# project settings\nexport DUCT_MESSAGE=\"from project\"\n").expect("w");
    // The project file wins over the user file; the user file still supplies the prefix.
    let out = output_with_timeout(duct(dir.path()).arg("true"), T);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(summary_of(&dir, "user/")["message"], "from project");
    // The real environment beats every file.
    let out = output_with_timeout(duct(dir.path()).env("DUCT_MESSAGE", "from env").args(["--clobber", "true"]), T);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(summary_of(&dir, "user/")["message"], "from env");
    // The command line beats the environment.
    let out = output_with_timeout(
        duct(dir.path()).env("DUCT_MESSAGE", "from env").args(["--clobber", "-m", "from cli", "true"]),
        T,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(summary_of(&dir, "user/")["message"], "from cli");
    // DUCT_CONFIG_PATHS replaces the search list, with ${VAR:-default} expansion.
    fs::write(dir.join("custom.env"), "DUCT_OUTPUT_PREFIX=custom/\nDUCT_SAMPLE_INTERVAL=0.5\n").expect("w");
    let out = output_with_timeout(
        duct(dir.path()).env("DUCT_CONFIG_PATHS", "${DUCT_TEST_NOT_SET:-custom.env}").args(["-l", "DEBUG", "true"]),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("custom/info.json").exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Loading .env file: custom.env"));
}

#[test]
fn malformed_dotenv_is_skipped_with_a_warning() {
    let dir = TestDir::new();
    fs::create_dir_all(dir.join(".duct")).expect("mkdir");
    fs::write(dir.join(".duct/.env"), "DUCT_MESSAGE=\"unterminated\nDUCT_OUTPUT_PREFIX=bad/\n").expect("w");
    let out = output_with_timeout(duct(dir.path()).args(["-p", "o/", "true"]), T);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WARNING"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(summary_of(&dir, "o/")["message"], "");
}

#[test]
fn log_level_and_quiet_hide_the_summary() {
    let dir = TestDir::new();
    let out = output_with_timeout(duct(dir.path()).args(["-p", "a/", "true"]), T);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Summary:") && err.contains("Exit Code: 0") && err.contains("Wall Clock Time"), "{err}");
    for args in [&["-l", "WARNING"][..], &["-l", "none"][..], &["-q"][..]] {
        let out = output_with_timeout(duct(dir.path()).args(args).args(["--clobber", "-p", "a/", "true"]), T);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
    let out =
        output_with_timeout(duct(dir.path()).env("DUCT_LOG_LEVEL", "error").args(["--clobber", "-p", "a/", "true"]), T);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn summary_format_and_colors() {
    let dir = TestDir::new();
    let out = output_with_timeout(
        duct(dir.path()).args([
            "-l",
            "INFO",
            "--summary-format",
            "code={exit_code!E} cmd={command}",
            "-p",
            "a/",
            "true",
        ]),
        T,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().any(|l| l == "code=0 cmd=true"), "{err}");
    let out = output_with_timeout(
        duct(dir.path()).env("DUCT_COLORS", "yes").args(["--summary-format", "code={exit_code!E}", "-p", "b/", "true"]),
        T,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("code=\u{1b}[1;32m0\u{1b}[0m"), "{:?}", out.stderr);
}

/// The man page and completions are generated from the CLI definition; a stale copy fails here.
#[test]
fn generated_docs_are_fresh() {
    let dir = TestDir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = output_with_timeout(duct(dir.path()).arg("--manual"), T);
    assert_eq!(out.status.code(), Some(0));
    let committed = fs::read(root.join("man/duct.1")).expect("man/duct.1 exists");
    assert!(out.stdout == committed, "man/duct.1 is stale: run contrib/regenerate-docs.sh");
    let out = output_with_timeout(duct(dir.path()).args(["krb-status", "--manual"]), T);
    assert_eq!(out.status.code(), Some(0));
    let committed = fs::read(root.join("man/duct-krb-status.1")).expect("man/duct-krb-status.1 exists");
    assert!(out.stdout == committed, "man/duct-krb-status.1 is stale: run contrib/regenerate-docs.sh");
    for (shell, file) in [("bash", "duct.bash"), ("zsh", "_duct"), ("fish", "duct.fish")] {
        let out = output_with_timeout(duct(dir.path()).args(["--completions", shell]), T);
        assert_eq!(out.status.code(), Some(0));
        let committed = fs::read(root.join("contrib/completions").join(file)).expect("completion file");
        assert!(out.stdout == committed, "contrib/completions/{file} is stale: run contrib/regenerate-docs.sh");
    }
}

/// The command's environment, from a run of `env -0` under duct with prefix `prefix`.
fn command_env(dir: &TestDir, prefix: &str) -> std::collections::HashMap<String, String> {
    let raw = fs::read(dir.join(format!("{prefix}stdout"))).expect("captured stdout");
    raw.split(|b| *b == 0)
        .filter_map(|kv| {
            let kv = String::from_utf8_lossy(kv);
            kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

/// Every form python-dotenv (con-duct's reader) understands, in one file; line 11 is not a statement.
const DOTENV_FORMS: &str = "# a comment line\n\
DUCT_MESSAGE=hello world # trailing comment\n\
export DT_EXPORTED=yes\n\
DT_BARE\n\
DT_DQ=\"tab\\there\\nnewline \\\"q\\\" back\\\\slash \\x41\"\n\
DT_SQ='single \\'quoted\\' \\\\ and \\n literal'\n\
DT_MULTI=\"line one\n\
line two\"\n\
DT_INTERP=${DT_EXPORTED}-${DT_UNSET:-fallback}\n\
  DT_SPACED = padded  \n\
this line is bad\n\
DT_AFTER_BAD=still read\n\
DT_HASH=a#b\n\
DT_EMPTY= # only a comment\n\
'DT_QUOTED_KEY'=qk\n";

#[test]
fn dotenv_forms_are_read_as_python_dotenv_reads_them() {
    let dir = TestDir::new();
    fs::create_dir_all(dir.join(".duct")).expect("mkdir");
    fs::write(dir.join(".duct/.env"), DOTENV_FORMS).expect("w");
    let out = output_with_timeout(duct(dir.path()).args(["-p", "o/", "env", "-0"]), T);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let env = command_env(&dir, "o/");
    let expected = [
        ("DUCT_MESSAGE", "hello world"),
        ("DT_EXPORTED", "yes"),
        ("DT_DQ", "tab\there\nnewline \"q\" back\\slash \\x41"),
        ("DT_SQ", "single 'quoted' \\ and \\n literal"),
        ("DT_MULTI", "line one\nline two"),
        ("DT_INTERP", "yes-fallback"),
        ("DT_SPACED", "padded"),
        ("DT_AFTER_BAD", "still read"),
        ("DT_HASH", "a#b"),
        ("DT_EMPTY", ""),
        ("DT_QUOTED_KEY", "qk"),
    ];
    for (key, value) in expected {
        assert_eq!(env.get(key).map(String::as_str), Some(value), "{key}; stderr: {err}");
    }
    assert!(!env.contains_key("DT_BARE"), "a bare key sets nothing, as in python-dotenv");
    assert_eq!(summary_of(&dir, "o/")["message"], "hello world");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("WARNING")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains(".duct/.env") && warnings[0].contains("line 11"), "{err}");
    // The reference: python-dotenv's load_dotenv, as con-duct calls it, sets exactly these variables.
    let found = common::con_duct();
    if !common::require("con-duct with python-dotenv (contrib/setup-debian.sh)", found.is_some()) {
        return;
    }
    let Some(con_duct) = found else { return };
    let python = con_duct.with_file_name("python");
    let script = "import os, json, sys\nfrom dotenv import load_dotenv\nbefore = dict(os.environ)\n\
                  load_dotenv(sys.argv[1], override=False)\n\
                  print(json.dumps({k: v for k, v in os.environ.items() if before.get(k) != v}))";
    let out = output_with_timeout(
        std::process::Command::new(python).arg("-c").arg(script).arg(dir.join(".duct/.env")).env_remove("DUCT_MESSAGE"),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let reference: std::collections::HashMap<String, String> = serde_json::from_slice(&out.stdout).expect("json");
    let ours: std::collections::HashMap<String, String> =
        env.into_iter().filter(|(k, _)| k.starts_with("DT_") || k == "DUCT_MESSAGE").collect();
    assert_eq!(ours, reference);
}

/// Where python-dotenv gives up on a whole file (bytes that are not UTF-8), or Python on a variable (a NUL),
/// duct skips that one statement with a warning naming the file and the line.
#[test]
fn dotenv_bad_statements_are_skipped_one_by_one() {
    let dir = TestDir::new();
    let content = b"DT_FIRST=1\nDT_LATIN=caf\xe9\nDT_NUL=a\x00b\nDT_KEEP=\"unterminated\nDT_LAST=2\n";
    fs::write(dir.join("my.env"), content).expect("w");
    let out = output_with_timeout(
        duct(dir.path()).env("DUCT_CONFIG_PATHS", dir.join("my.env")).args(["-p", "o/", "env", "-0"]),
        T,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let env = command_env(&dir, "o/");
    assert_eq!(env.get("DT_FIRST").map(String::as_str), Some("1"), "{err}");
    assert_eq!(env.get("DT_LAST").map(String::as_str), Some("2"), "{err}");
    for key in ["DT_LATIN", "DT_NUL", "DT_KEEP"] {
        assert!(!env.contains_key(key), "{key}: {err}");
    }
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("WARNING")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    assert!(warnings[0].contains("my.env") && warnings[0].contains("line 2") && warnings[0].contains("UTF-8"), "{err}");
    assert!(warnings[1].contains("my.env") && warnings[1].contains("line 3") && warnings[1].contains("NUL"), "{err}");
    assert!(warnings[2].contains("my.env") && warnings[2].contains("line 4"), "{err}");
}

/// A FIFO, a device and a file over 1 MiB in DUCT_CONFIG_PATHS are refused with a warning each, without
/// reading them (a FIFO would hang duct, /dev/zero would never end); the other files still load.
#[test]
fn dotenv_paths_that_are_not_small_regular_files_are_refused() {
    let dir = TestDir::new();
    let fifo = dir.join("fifo.env");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let mut big = b"DT_BIG=1\n".to_vec();
    big.resize((1 << 20) + 1, b'\n');
    fs::write(dir.join("big.env"), &big).expect("w");
    fs::write(dir.join("good.env"), "DT_GOOD=1\n").expect("w");
    let paths =
        format!("{}:/dev/zero:{}:{}", fifo.display(), dir.join("big.env").display(), dir.join("good.env").display());
    // The address-space limit only keeps a duct that does read /dev/zero from eating the machine.
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "ulimit -v 4194304; exec \"$0\" \"$@\""]).arg(common::duct_bin());
    cmd.current_dir(dir.path()).stdin(std::process::Stdio::null());
    common::isolate_env(&mut cmd, dir.path());
    let out = output_with_timeout(cmd.env("DUCT_CONFIG_PATHS", &paths).args(["-p", "o/", "env", "-0"]), T);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let env = command_env(&dir, "o/");
    assert_eq!(env.get("DT_GOOD").map(String::as_str), Some("1"), "{err}");
    assert!(!env.contains_key("DT_BIG"), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("WARNING")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    for (name, why) in [("fifo.env", "not a regular file"), ("/dev/zero", "not a regular file"), ("big.env", "1 MiB")] {
        assert!(warnings.iter().any(|w| w.contains(name) && w.contains(why)), "{name}: {err}");
    }
}

fn first_stderr_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("").to_string()
}

/// Issue 12 item 9: each usage error says what is wrong in its first line, with exit 2 and nothing run.
#[test]
fn usage_errors_say_what_is_wrong() {
    let dir = TestDir::new();
    let out = output_with_timeout(&mut duct(dir.path()), T);
    assert_eq!(first_stderr_line(&out), "duct: no command given (usage: duct [OPTIONS] [--] COMMAND [ARGS...])");
    assert_eq!(out.status.code(), Some(2));
    let out = output_with_timeout(duct(dir.path()).args(["-m", "x"]), T);
    assert_eq!(first_stderr_line(&out), "duct: no command given (usage: duct [OPTIONS] [--] COMMAND [ARGS...])");
    assert_eq!(out.status.code(), Some(2));
    for (args, line) in [
        (&["--s-i", "-1"][..], "duct: --sample-interval: the value must be positive (got -1)"),
        (&["--r-i", "-1"][..], "duct: --report-interval: the value must be positive (got -1)"),
        (&["--max-buffer=-1"][..], "duct: --max-buffer: '-1' must not be negative"),
        (&["--max-buffer", "-1"][..], "duct: --max-buffer: '-1' must not be negative"),
        (
            &["--max-buffer=99999999999999999999999"][..],
            "duct: --max-buffer: '99999999999999999999999' is too large (at most 16.0 EiB)",
        ),
        (&["--max-buffer=20EiB"][..], "duct: --max-buffer: '20EiB' is too large (at most 16.0 EiB)"),
        (&["--max-buffer=lots"][..], "duct: --max-buffer: 'lots' is not a size such as 64MiB, 1G or 1048576"),
    ] {
        let out = output_with_timeout(duct(dir.path()).args(args).args(["touch", "ran"]), T);
        assert_eq!(first_stderr_line(&out), line, "{args:?}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!dir.join("ran").exists(), "{args:?}: the command ran");
    }
}

/// Issue 12 item 9: a prefix below a regular file names that file; a log-setup error is exit 1.
#[test]
fn prefix_below_a_regular_file_says_not_a_directory() {
    let dir = TestDir::new();
    fs::write(dir.join("regularfile"), "x").expect("w");
    for prefix in ["regularfile/sub_", "regularfile/a/b/sub_"] {
        let out = output_with_timeout(duct(dir.path()).args(["-l", "NONE", "-p", prefix, "touch", "ran"]), T);
        assert_eq!(first_stderr_line(&out), format!("duct: --output-prefix {prefix}: regularfile is not a directory"));
        assert_eq!(out.status.code(), Some(1));
        assert!(!dir.join("ran").exists(), "the command ran");
    }
    // At the default level the same text is the ERROR line.
    let out = output_with_timeout(duct(dir.path()).args(["-p", "regularfile/sub_", "true"]), T);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[ERROR   ] duct: --output-prefix regularfile/sub_: regularfile is not a directory"), "{err}");
    assert_eq!(out.status.code(), Some(1));
}

/// Issue 12 item 9: as with con-duct (argparse), a repeated option takes its last value.
#[test]
fn a_repeated_option_takes_the_last_value() {
    let dir = TestDir::new();
    let out = output_with_timeout(
        duct(dir.path())
            .args(["-m", "first", "-m", "last", "-p", "a/", "-p", "b/", "--s-i", "0.5", "--s-i", "0.2", "true"]),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dir.join("a").exists());
    assert_eq!(summary_of(&dir, "b/")["message"], "last");
}

/// Issue 12 item 9: help or version that cannot be written is a failure, and help shows no empty env values.
#[test]
fn help_and_version_fail_on_a_full_disk() {
    let dir = TestDir::new();
    for flag in ["--help", "--version"] {
        let full = fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        // Command::output keeps a stdout that was set explicitly; --help and --version do not wait on anything.
        let out = duct(dir.path()).arg(flag).stdout(full).output().expect("run duct");
        assert_eq!(
            first_stderr_line(&out),
            "duct: cannot write to stdout: No space left on device (os error 28)",
            "{flag}"
        );
        assert_eq!(out.status.code(), Some(1), "{flag}");
    }
    let out = output_with_timeout(duct(dir.path()).arg("--help"), T);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("[env: DUCT_SAMPLE_INTERVAL]"), "{help}");
    assert!(!help.contains("=]"), "dangling env value in help: {help}");
    assert!(help.contains("Usage: duct [OPTIONS] [--] COMMAND [ARGS...]"), "{help}");
}

/// Issue 12 item 8: a message or a prefix that is not UTF-8 works (the prefix as bytes, the message lossy in
/// info.json), from the command line and from the environment.
#[test]
fn non_utf8_message_and_prefix_work() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = TestDir::new();
    let prefix = OsStr::from_bytes(b"caf\xe9/run_");
    let out = output_with_timeout(
        duct(dir.path()).arg("-m").arg(OsStr::from_bytes(b"m\xff1")).arg("-p").arg(prefix).args(["echo", "hi"]),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let raw_dir = dir.join(OsStr::from_bytes(b"caf\xe9"));
    assert_eq!(fs::read_to_string(raw_dir.join("run_stdout")).expect("stdout log"), "hi\n");
    let info: Value = serde_json::from_slice(&fs::read(raw_dir.join("run_info.json")).expect("info")).expect("json");
    assert_eq!(info["message"], "m\u{fffd}1");
    assert_eq!(info["output_paths"]["prefix"], "caf\u{fffd}/run_");
    assert_eq!(info["execution_summary"]["logs_prefix"], "caf\u{fffd}/run_");
    let out = output_with_timeout(
        duct(dir.path())
            .env("DUCT_MESSAGE", OsStr::from_bytes(b"e\xfe2"))
            .env("DUCT_OUTPUT_PREFIX", OsStr::from_bytes(b"env\xfe/"))
            .arg("true"),
        T,
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let env_dir = dir.join(OsStr::from_bytes(b"env\xfe"));
    let info: Value = serde_json::from_slice(&fs::read(env_dir.join("info.json")).expect("info")).expect("json");
    assert_eq!(info["message"], "e\u{fffd}2");
}

/// Issue 12 item 8: where text is required, the error names the option or the variable that holds the bytes.
#[test]
fn non_utf8_where_text_is_required_names_the_culprit() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = TestDir::new();
    let bad = OsStr::from_bytes(b"\xff");
    let none: &[&OsStr] = &[];
    let cases: [(Option<&str>, &[&OsStr], &str); 4] = [
        (
            Some("DUCT_SUMMARY_FORMAT"),
            none,
            "duct: DUCT_SUMMARY_FORMAT (the environment variable for --summary-format) is not valid UTF-8",
        ),
        (None, &[OsStr::new("--summary-format"), bad], "duct: --summary-format: the value is not valid UTF-8"),
        (
            Some("DUCT_SAMPLE_INTERVAL"),
            none,
            "duct: DUCT_SAMPLE_INTERVAL (the environment variable for --sample-interval) is not valid UTF-8",
        ),
        (None, &[OsStr::new("--krb-ccache"), bad], "duct: --krb-ccache: the value is not valid UTF-8"),
    ];
    for (var, args, line) in cases {
        let mut cmd = duct(dir.path());
        if let Some(var) = var {
            cmd.env(var, bad);
        }
        let out = output_with_timeout(cmd.args(args).args(["touch", "ran"]), T);
        assert_eq!(first_stderr_line(&out), line);
        assert_eq!(out.status.code(), Some(2), "{line}");
        assert!(!dir.join("ran").exists(), "{line}: the command ran");
    }
}
