//! Installability (issue 17): duct runs where libkrb5 is missing, and links
//! nothing beyond libc-level libraries.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
    // con-duct (issue 16) is built from the same code and must need no more.
    for binary in [common::duct_bin(), common::con_duct_bin()] {
        let out = Command::new("ldd").arg(&binary).output().expect("run ldd");
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        const ALLOWED: [&str; 7] =
            ["linux-vdso.so", "libc.so", "ld-linux", "libgcc_s.so", "libm.so", "libpthread.so", "libdl.so"];
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(
                ALLOWED.iter().any(|a| line.contains(a)),
                "{}: unexpected library {line:?} in:\n{text}",
                binary.display()
            );
        }
    }
}

/// The wheel tools contrib/setup-debian.sh installs (maturin, ziglang, auditwheel).
fn wheel_tools() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/wheel-tools/bin")
}

/// The oldest glibc the wheel supports: manylinux2014. Rust's std (since 1.64)
/// needs glibc 2.17, so nothing older is reachable.
const MIN_GLIBC: (u32, u32) = (2, 17);
const PLATFORM_TAG: &str = "manylinux_2_17_x86_64";

/// The distribution's Python (not a pyenv shim under /root, which nobody cannot run).
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// Builds the wheel (maturin --zig, glibc 2.17) into `out`. The cargo target
/// directory is kept under target/wheel-build, so a repeated run only repackages.
fn build_wheel(out: &Path) -> PathBuf {
    let tools = wheel_tools();
    let path = format!("{}:{}", tools.display(), std::env::var("PATH").unwrap_or_default());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(tools.join("maturin"));
    cmd.args(["build", "--profile", "wheel-test", "--zig", "--compatibility", "manylinux2014"])
        .args(["--target", "x86_64-unknown-linux-gnu", "--locked", "--quiet", "-o"])
        .arg(out)
        .current_dir(root)
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", root.join("target/wheel-build"));
    let o = common::output_with_timeout(&mut cmd, Duration::from_secs(900));
    assert!(o.status.success(), "maturin build failed: {o:?}");
    let wheels: Vec<PathBuf> = std::fs::read_dir(out)
        .expect("read the wheel directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "{wheels:?}");
    wheels[0].clone()
}

/// The highest GLIBC_x.y symbol version `binary` needs (objdump -T).
fn max_glibc(binary: &Path) -> (u32, u32) {
    let o = Command::new("objdump").arg("-T").arg(binary).output().expect("run objdump");
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8_lossy(&o.stdout);
    let versions: Vec<(u32, u32)> = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let mut it = v.split('.').map(|n| n.parse::<u32>().ok());
            Some((it.next()??, it.next().flatten().unwrap_or(0)))
        })
        .collect();
    assert!(!versions.is_empty(), "no GLIBC versions in objdump -T of {}", binary.display());
    versions.into_iter().max().unwrap_or_default()
}

/// `program ARGS` as the unprivileged user `nobody`, with HOME in `home`.
fn as_nobody(program: &Path, home: &Path) -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
        .arg(program)
        .current_dir(home)
        .env("HOME", home)
        .env("PIP_NO_CACHE_DIR", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .stdin(std::process::Stdio::null());
    common::isolate_env(&mut cmd, home);
    cmd
}

/// pip install of the wheel into a fresh virtualenv, by an unprivileged
/// user, gives a working `duct` on PATH (a binary built for glibc 2.17).
#[test]
fn wheel_installs_and_runs_as_unprivileged_user() {
    use std::os::unix::fs::PermissionsExt;
    let have = |p: &str| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success());
    if !common::require("target/wheel-tools (run contrib/setup-debian.sh)", wheel_tools().join("maturin").is_file())
        || !common::require("root (to run as nobody with setpriv)", is_root())
        || !common::require("setpriv", have("setpriv"))
        || !common::require("objdump (binutils)", have("objdump"))
        || !common::require("/usr/bin/python3 with venv (python3-venv)", have(SYSTEM_PYTHON))
    {
        return;
    }
    let dir = TestDir::new();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod the test dir");
    let out = dir.join("wheel");
    std::fs::create_dir(&out).expect("mkdir");
    let wheel = build_wheel(&out);
    let name = wheel.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    assert!(name.starts_with("duct-") && name.ends_with(&format!(".{PLATFORM_TAG}.whl")), "{name}");
    assert!(name.contains("-py3-none-"), "a binary wheel for any Python: {name}");
    let show = Command::new(wheel_tools().join("auditwheel")).arg("show").arg(&wheel).output().expect("auditwheel");
    let show_text = String::from_utf8_lossy(&show.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(show.status.success(), "{show:?}");
    assert!(
        show_text.contains(&format!("consistent with the following platform tag: \"{PLATFORM_TAG}\"")),
        "{show_text}"
    );

    // The user's own directory, a fresh virtualenv and the wheel in it.
    let home = dir.join("home");
    std::fs::create_dir(&home).expect("mkdir home");
    let nobody = nix::unistd::User::from_name("nobody").ok().flatten().expect("user nobody");
    nix::unistd::chown(&home, Some(nobody.uid), Some(nobody.gid)).expect("chown home to nobody");
    std::fs::set_permissions(&wheel, std::fs::Permissions::from_mode(0o644)).expect("chmod the wheel");
    let venv = home.join("venv");
    let o = common::output_with_timeout(
        as_nobody(Path::new(SYSTEM_PYTHON), &home).arg("-m").arg("venv").arg(&venv),
        TIMEOUT,
    );
    assert!(o.status.success(), "python3 -m venv as nobody: {o:?}");
    let o = common::output_with_timeout(
        as_nobody(&venv.join("bin/pip"), &home).args(["install", "--no-index", "-q"]).arg(&wheel),
        Duration::from_secs(300),
    );
    assert!(o.status.success(), "pip install as nobody: {o:?}");
    let installed = venv.join("bin/duct");
    assert!(installed.is_file(), "{} missing", installed.display());
    let (major, minor) = max_glibc(&installed);
    assert!((major, minor) <= MIN_GLIBC, "needs GLIBC_{major}.{minor}, more than {MIN_GLIBC:?}");

    // On PATH, as the user would call it.
    let path = format!("{}:/usr/bin:/bin", venv.join("bin").display());
    let o = common::output_with_timeout(
        as_nobody(Path::new("/bin/sh"), &home).args(["-c", "duct --version"]).env("PATH", &path),
        TIMEOUT,
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("duct {}", env!("CARGO_PKG_VERSION")));
    // The companion suite ships in the same wheel (issue 16 item 1).
    assert!(venv.join("bin/con-duct").is_file(), "con-duct missing from the wheel");
    let o = common::output_with_timeout(
        as_nobody(Path::new("/bin/sh"), &home).args(["-c", "con-duct --version"]).env("PATH", &path),
        TIMEOUT,
    );
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("con-duct {}", env!("CARGO_PKG_VERSION")));
    let o = common::output_with_timeout(
        as_nobody(Path::new("/bin/sh"), &home)
            .args(["-c", "command -v duct && duct -p logs/ -- sh -c 'echo hello; echo oops >&2; id -u; sleep 1'"])
            .env("PATH", &path),
        TIMEOUT,
    );
    assert!(o.status.success(), "{o:?}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.starts_with(&format!("{}\n", installed.display())), "{stdout}");
    let uid = nobody.uid.as_raw();
    assert_eq!(std::fs::read_to_string(home.join("logs/stdout")).expect("stdout log"), format!("hello\n{uid}\n"));
    assert_eq!(std::fs::read_to_string(home.join("logs/stderr")).expect("stderr log"), "oops\n");
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("logs/info.json")).expect("info.json")).expect("json");
    assert_eq!(info["execution_summary"]["exit_code"], 0, "{info}");
    assert_eq!(info["system"]["uid"], uid, "{info}");
    let usage = std::fs::read_to_string(home.join("logs/usage.jsonl")).expect("usage.jsonl");
    assert!(usage.lines().count() >= 1, "{usage}");
    let meta = std::fs::metadata(home.join("logs/info.json")).expect("stat");
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&meta), uid, "written by the user");

    // The same file copied elsewhere (README: "a copied binary") works alone.
    let copied = dir.join("copied-duct");
    std::fs::copy(&installed, &copied).expect("copy the binary");
    let o =
        common::output_with_timeout(as_nobody(&copied, &home).args(["-p", "copied/", "--", "echo", "copied"]), TIMEOUT);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(std::fs::read_to_string(home.join("copied/stdout")).expect("stdout log"), "copied\n");
}
