//! The command line, the environment and .env files: parity with con-duct, one-line errors, generated docs.

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
