//! Installability (issue 17): duct runs where libkrb5 is missing, and links
//! nothing beyond libc-level libraries.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::TestDir;

const TIMEOUT: Duration = Duration::from_secs(120);

/// The real file behind the loader's `libkrb5.so.3`.
fn libkrb5_file() -> Option<PathBuf> {
    ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]
        .iter()
        .map(|d| Path::new(d).join("libkrb5.so.3"))
        .find(|p| p.exists())
        .and_then(|p| std::fs::canonicalize(p).ok())
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// `duct ARGS` in a private mount namespace (`unshare -m`, private
/// propagation) where an empty file is bind-mounted over libkrb5, so the
/// loader finds a file it cannot load, exactly as on a host without Kerberos.
fn duct_without_libkrb5(dir: &TestDir, lib: &Path, args: &[&str]) -> std::process::Output {
    let empty = dir.join("empty-libkrb5");
    std::fs::write(&empty, b"").expect("write the empty file");
    let mut cmd = Command::new("unshare");
    cmd.args([
        "-m",
        "--propagation",
        "private",
        "--",
        "sh",
        "-c",
        r#"mount --bind "$1" "$2" && shift 2 && exec "$@""#,
        "sh",
    ])
    .arg(&empty)
    .arg(lib)
    .arg(common::duct_bin())
    .args(args)
    .current_dir(dir.path())
    .stdin(std::process::Stdio::null());
    common::isolate_env(&mut cmd, dir.path());
    // What the command must see unchanged.
    cmd.env("KRB5CCNAME", "FILE:/x/cc");
    common::output_with_timeout(&mut cmd, TIMEOUT)
}

fn lines_mentioning<'a>(text: &'a str, word: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(word)).collect()
}

#[test]
fn runs_without_libkrb5() {
    let Some(lib) = libkrb5_file() else {
        common::require("libkrb5.so.3 (to hide it; package libkrb5-3)", false);
        return;
    };
    if !common::require("root (for unshare -m and mount --bind)", is_root())
        || !common::require("unshare (util-linux)", Command::new("unshare").arg("--version").output().is_ok())
    {
        return;
    }
    let dir = TestDir::new();

    // krb-status: one line on stderr, exit 5.
    let out = duct_without_libkrb5(&dir, &lib, &["krb-status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "krb-status without libkrb5: {out:?}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("duct: krb-status: libkrb5 not found"), "{stderr}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let out = duct_without_libkrb5(&dir, &lib, &["krb-status", "--json"]);
    assert_eq!(out.status.code(), Some(5), "krb-status --json without libkrb5: {out:?}");

    // An ordinary run: nothing about Kerberos at all, the command's output and exit code as always.
    let script = r#"echo "out $KRB5CCNAME"; echo err >&2; exit 0"#;
    let out = duct_without_libkrb5(&dir, &lib, &["-p", "plain/", "--", "sh", "-c", script]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "out FILE:/x/cc\n");
    assert!(lines_mentioning(&stderr, "libkrb5").is_empty(), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.join("plain/stdout")).expect("stdout log"), "out FILE:/x/cc\n");
    assert_eq!(std::fs::read_to_string(dir.join("plain/stderr")).expect("stderr log"), "err\n");
    let info = std::fs::read_to_string(dir.join("plain/info.json")).expect("info.json");
    let info: serde_json::Value = serde_json::from_str(&info).expect("info.json parses");
    assert_eq!(info["execution_summary"]["exit_code"], 0, "{info}");

    // --krb-renew: one warning line, and the command runs untouched (same env, output, exit code).
    for (code, prefix) in [(0, "renew0/"), (7, "renew7/")] {
        let script = format!(r#"echo "out $KRB5CCNAME"; echo err >&2; sleep 1; exit {code}"#);
        let out = duct_without_libkrb5(&dir, &lib, &["--krb-renew", "-p", prefix, "--", "sh", "-c", &script]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "out FILE:/x/cc\n");
        let warned = lines_mentioning(&stderr, "libkrb5");
        assert_eq!(warned.len(), 1, "one warning line: {stderr}");
        assert!(warned[0].contains("libkrb5 not found"), "{stderr}");
        assert_eq!(lines_mentioning(&stderr, "err").iter().filter(|l| l.trim() == "err").count(), 1, "{stderr}");
    }
    let info = std::fs::read_to_string(dir.join("renew0/info.json")).expect("info.json");
    let info: serde_json::Value = serde_json::from_str(&info).expect("info.json parses");
    assert_eq!(info["execution_summary"]["exit_code"], 0, "{info}");
    assert_eq!(std::fs::read_to_string(dir.join("renew0/stdout")).expect("stdout log"), "out FILE:/x/cc\n");
}

/// The binary needs only libc-level libraries: no libkrb5, no GSSAPI.
#[test]
fn links_only_libc_level_libraries() {
    if !common::require("ldd", Command::new("ldd").arg("--version").output().is_ok()) {
        return;
    }
    let out = Command::new("ldd").arg(common::duct_bin()).output().expect("run ldd");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    const ALLOWED: [&str; 7] =
        ["linux-vdso.so", "libc.so", "ld-linux", "libgcc_s.so", "libm.so", "libpthread.so", "libdl.so"];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(ALLOWED.iter().any(|a| line.contains(a)), "unexpected library {line:?} in:\n{text}");
    }
}
