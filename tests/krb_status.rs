//! `duct krb-status` against a real MIT KDC on 127.0.0.1 (tests/common/kdc.rs),
//! real credential caches (FILE, DIR, KEYRING), and real mounts (tmpfs, FUSE).
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;
use std::time::Duration;

use common::kdc::Kdc;
use common::{TestDir, duct, output_with_timeout};
use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(30);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
    /// The value after `label` on its human line, e.g. `line("principal:")`.
    fn line(&self, label: &str) -> String {
        self.stdout
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {label:?} line in:\n{}", self.stdout))
    }
}

fn finish(out: Output) -> Run {
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("internal error") && !r.stderr.contains("panicked"), "duct panicked: {}", r.stderr);
    r
}

/// `duct krb-status ARGS` in `dir` with the realm's environment and cache `cc`.
fn status(kdc: &Kdc, cc: &str, dir: &Path, args: &[&str]) -> Run {
    let mut cmd = duct(dir);
    cmd.arg("krb-status").args(args);
    kdc.apply(&mut cmd, cc);
    finish(output_with_timeout(&mut cmd, TIMEOUT))
}

/// `duct krb-status ARGS` with no realm at all: an empty krb5.conf and cache `cc`.
fn status_without_kdc(dir: &Path, cc: &str, args: &[&str]) -> Run {
    let conf = dir.join("empty-krb5.conf");
    std::fs::write(&conf, "").expect("write empty krb5.conf");
    let mut cmd = duct(dir);
    cmd.arg("krb-status").args(args).env("KRB5_CONFIG", &conf).env("KRB5CCNAME", cc).env_remove("KRB5_CLIENT_KTNAME");
    finish(output_with_timeout(&mut cmd, TIMEOUT))
}

fn secs(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn wait_past_end(kdc: &Kdc, cc: &str, extra: Duration) {
    // Wait until klist -s says the TGT is no longer valid, then `extra`.
    for _ in 0..200 {
        if !kdc.klist(cc, &["-s"]).status.success() {
            thread::sleep(extra);
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
    panic!("the ticket in {cc} did not expire within 20 s");
}

#[test]
fn fresh_renewable_ticket_human_json_and_for_verdicts() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("fresh");
    kdc.kinit(&cc, "alice", "2m", Some("10m")).expect("kinit alice");

    let r = status(&kdc, &cc, dir.path(), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.line("cache:"), format!("{cc} (type FILE)"));
    assert_eq!(r.line("principal:"), "alice@DUCT.TEST");
    assert_eq!(r.line("ticket:"), "krbtgt/DUCT.TEST@DUCT.TEST");
    let e = r.line("expires:");
    assert!(e.contains("(in 1m 5") || e.ends_with("(in 2m)"), "{}", r.stdout);
    let e = r.line("renew until:");
    assert!(e.contains("(in 9m 5") || e.ends_with("(in 10m)"), "{}", r.stdout);
    let flags = r.line("flags:");
    assert!(flags.contains("renewable") && flags.contains("initial"), "{flags}");
    assert!(r.line("tools:").contains("kinit (/"), "{}", r.stdout);
    // The realm's krb5.conf names a client keytab that does not exist.
    assert!(r.line("keytab:").starts_with("none; client keytab FILE:"), "{}", r.stdout);
    // rpc.gssd reads /etc/krb5.conf and ignores KRB5CCNAME: never this private cache.
    assert!(r.line("rpc.gssd:").contains("ignores KRB5CCNAME"), "{}", r.stdout);
    assert_eq!(r.line("status:"), "ok");
    assert!(r.line("verdict:").starts_with("valid until "), "{}", r.stdout);

    let j = status(&kdc, &cc, dir.path(), &["--json"]).json();
    assert_eq!(j["ccache"]["name"], cc.as_str());
    assert_eq!(j["ccache"]["type"], "FILE");
    assert_eq!(j["principal"], "alice@DUCT.TEST");
    assert_eq!(j["renewable"], true);
    assert_eq!(j["status"], "ok");
    let left = secs(&j["seconds_left"]);
    assert!((100..=120).contains(&left), "seconds_left {left}");
    let rleft = secs(&j["renewable_seconds_left"]);
    assert!((580..=600).contains(&rleft), "renewable_seconds_left {rleft}");
    for k in ["starts", "expires", "renew_until"] {
        let t = j[k].as_str().unwrap_or_else(|| panic!("{k} is not a string: {j}"));
        chrono::DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{k}={t} is not RFC 3339: {e}"));
    }
    let exp = chrono::DateTime::parse_from_rfc3339(j["expires"].as_str().expect("expires")).expect("rfc3339");
    let start = chrono::DateTime::parse_from_rfc3339(j["starts"].as_str().expect("starts")).expect("rfc3339");
    assert_eq!((exp - start).num_seconds(), 120);
    for t in ["kinit", "krenew", "k5start", "aklog"] {
        assert!(j["tools"].get(t).is_some(), "tools.{t} missing: {}", j["tools"]);
    }
    assert!(j["tools"]["kinit"].is_string());
    assert_eq!(j["gssd"]["differs"], true);
    assert!(j["verdict"].as_str().is_some_and(|v| !v.is_empty()));
    // Default paths: the current directory and the output prefix's directory.
    let paths = j["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2, "{}", j["paths"]);
    assert_eq!(paths[0]["path"], ".");
    assert_eq!(paths[1]["path"], ".duct/logs");
    assert_eq!(paths[1]["exists"], false);
    assert_eq!(paths[1]["mount_point"], paths[0]["mount_point"]);
    for p in paths {
        for k in ["mount_point", "fstype", "sec", "needs_tickets"] {
            assert!(p.get(k).is_some(), "{k} missing in {p}");
        }
    }

    // --for within the ticket's life: lasts as is.
    let j = status(&kdc, &cc, dir.path(), &["--json", "--for", "1m"]).json();
    assert_eq!((j["status"].as_str(), secs(&j["renewals_needed"])), (Some("ok"), 0), "{j}");
    // --for past the end time but before renew-till: lasts only if renewed.
    let r = status(&kdc, &cc, dir.path(), &["--for", "5m"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.line("verdict:").starts_with("lasts only if renewed"), "{}", r.stdout);
    assert!(r.line("verdict:").contains("duct --krb-renew would renew it about"), "{}", r.stdout);
    let j = status(&kdc, &cc, dir.path(), &["--json", "--for", "5m"]).json();
    let n = secs(&j["renewals_needed"]);
    assert!((3..=5).contains(&n), "renewals for 5m of 2m tickets renewed at 40 s left: {n}");
    // --for past renew-till: will lapse, exit 1, at renew-till.
    let r = status(&kdc, &cc, dir.path(), &["--for", "15m"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.line("status:"), "will_lapse");
    let v = r.line("verdict:");
    assert!(v.starts_with("will lapse at ") && v.contains("renewable life ends") && v.contains("keytab"), "{v}");
    let j = status(&kdc, &cc, dir.path(), &["--json", "--for", "1h30m"]).json();
    assert_eq!(j["status"], "will_lapse");
    assert_eq!(j["reason"], "renewable_life_ends");
    assert_eq!(j["lapses_at"], j["renew_until"]);

    // With a keytab holding the principal, the job lasts (fresh tickets from it).
    let kt = kdc.keytab("alice");
    let r = status(&kdc, &cc, dir.path(), &["--for", "15m", "--krb-keytab", kt.to_str().expect("utf-8")]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.line("keytab:").contains("has a key for the principal"), "{}", r.stdout);
    assert!(r.line("verdict:").starts_with("lasts with the keytab"), "{}", r.stdout);
    // ... but not one without it.
    let other = kdc.keytab("short");
    let r = status(&kdc, &cc, dir.path(), &["--for", "15m", "--krb-keytab", other.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.line("keytab:").contains("no key for the principal"), "{}", r.stdout);

    // Read-only: the cache file is byte-for-byte unchanged.
    let path = cc.strip_prefix("FILE:").expect("FILE cache");
    let before = std::fs::read(path).expect("read cache");
    let _ = status(&kdc, &cc, dir.path(), &["--json", "--for", "5m"]);
    assert_eq!(std::fs::read(path).expect("read cache"), before);
}

#[test]
fn non_renewable_tickets() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    // No -r: no renewable flag at all.
    let cc = kdc.ccache("plain");
    kdc.kinit(&cc, "alice", "1m", None).expect("kinit");
    let r = status(&kdc, &cc, dir.path(), &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.line("renew until:"), "- (not renewable)");
    assert!(r.line("verdict:").ends_with("not renewable"), "{}", r.stdout);
    let r = status(&kdc, &cc, dir.path(), &["--json", "--for", "5m"]);
    assert_eq!(r.code, 1);
    let j = r.json();
    assert_eq!((j["renewable"].as_bool(), j["status"].as_str()), (Some(false), Some("will_lapse")));
    assert_eq!(j["reason"], "not_renewable");
    assert_eq!(j["lapses_at"], j["expires"]);
    assert_eq!(j["renew_until"], Value::Null);

    // maxrenewlife 0: the KDC sets the renewable flag with renew_till == start. Not renewable.
    let cc = kdc.ccache("norenew");
    kdc.kinit(&cc, "norenew", "2m", Some("10m")).expect("kinit");
    let r = status(&kdc, &cc, dir.path(), &["--json", "--for", "3m"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let j = r.json();
    assert!(j["flags"].as_array().expect("flags").contains(&Value::from("renewable")), "{j}");
    assert_eq!(j["renewable"], false);
    assert_eq!(j["reason"], "not_renewable");
    let r = status(&kdc, &cc, dir.path(), &[]);
    assert!(r.line("renew until:").contains("not renewable"), "{}", r.stdout);
}

#[test]
fn expired_ticket() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let plain = kdc.ccache("expired");
    kdc.kinit(&plain, "alice", "3s", None).expect("kinit");
    let renewable = kdc.ccache("expired-renewable");
    kdc.kinit(&renewable, "alice", "3s", Some("10m")).expect("kinit");
    wait_past_end(&kdc, &renewable, Duration::from_millis(1100));

    let r = status(&kdc, &plain, dir.path(), &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert_eq!(r.line("status:"), "expired");
    assert!(r.line("verdict:").contains("not renewable: run kinit"), "{}", r.stdout);
    // A past end time is told in the past tense (issue 14 item 6).
    assert!(r.line("expired:").ends_with(" ago)"), "{}", r.stdout);
    assert!(!r.stdout.contains("expires:"), "{}", r.stdout);
    assert!(r.line("started:").ends_with(" ago)"), "{}", r.stdout);
    let j = status(&kdc, &plain, dir.path(), &["--json"]).json();
    assert_eq!((j["status"].as_str(), j["reason"].as_str()), (Some("expired"), Some("expired")));
    assert_eq!(j["seconds_left"], 0);
    assert_eq!(j["principal"], "alice@DUCT.TEST");

    // Renewable and just expired: still renewable within the KDC's clock skew.
    let r = status(&kdc, &renewable, dir.path(), &["--for", "1m"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.line("verdict:").contains("kinit -R"), "{}", r.stdout);
    let j = status(&kdc, &renewable, dir.path(), &["--json"]).json();
    assert_eq!(j["reason"], "expired");
    assert_eq!(j["renewable"], true);
}

#[test]
fn exhausted_renewable_life() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("exhausted");
    kdc.kinit(&cc, "alice", "2s", Some("4s")).expect("kinit");
    let j = status(&kdc, &cc, dir.path(), &["--json"]).json();
    assert_eq!(j["renewable"], true, "{j}");
    let renew_left = secs(&j["renewable_seconds_left"]);
    thread::sleep(Duration::from_secs(u64::try_from(renew_left).expect("non-negative") + 1));
    let r = status(&kdc, &cc, dir.path(), &[]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.line("verdict:").contains("renewable life ended"), "{}", r.stdout);
    assert!(r.line("expired:").ends_with(" ago)"), "{}", r.stdout);
    assert!(r.line("renew until:").ends_with(" ago; its renewable life is over)"), "{}", r.stdout);
    let j = status(&kdc, &cc, dir.path(), &["--json", "--for", "1h"]).json();
    assert_eq!((j["status"].as_str(), j["reason"].as_str()), (Some("expired"), Some("renewable_life_exhausted")));
    // Once its renewable life is over the ticket cannot be renewed: the JSON says so (issue 14 item 6).
    assert_eq!(j["renewable"], false, "{j}");
    assert_eq!(j["renewable_seconds_left"], Value::Null, "{j}");
}

#[test]
fn no_cache_no_tgt_and_no_kerberos_at_all() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("never-created");
    let r = status(&kdc, &cc, dir.path(), &[]);
    assert_eq!(r.code, 4, "{}", r.stdout);
    assert_eq!(r.line("status:"), "no_ticket");
    assert!(r.line("verdict:").starts_with("no credentials cache"), "{}", r.stdout);
    let j = status(&kdc, &cc, dir.path(), &["--json"]).json();
    assert_eq!((j["status"].as_str(), j["reason"].as_str()), (Some("no_ticket"), Some("no_cache")));
    assert_eq!(j["ccache"]["name"], cc.as_str());
    assert_eq!(j["principal"], Value::Null);
    assert_eq!(j["expires"], Value::Null);
    assert_eq!(j["seconds_left"], Value::Null);

    // A cache holding only a service ticket (kinit -S): no TGT.
    let cc = kdc.ccache("service-only");
    let mut cmd = Command::new(common::kdc::find_tool("kinit").expect("kinit"));
    cmd.args(["-S", "kadmin/changepw", "alice"]);
    kdc.apply(&mut cmd, &cc);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("kinit -S");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), b"alice\n").expect("password");
    assert!(child.wait().expect("kinit -S").success());
    let r = status(&kdc, &cc, dir.path(), &["--json"]);
    assert_eq!(r.code, 4, "{}", r.stdout);
    let j = r.json();
    assert_eq!((j["reason"].as_str(), j["principal"].as_str()), (Some("no_tgt"), Some("alice@DUCT.TEST")));

    // No Kerberos configuration at all.
    let missing = format!("FILE:{}", dir.join("no-such-cache").display());
    let r = status_without_kdc(dir.path(), &missing, &[]);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.line("verdict:").starts_with("no credentials cache"), "{}", r.stdout);
}

#[test]
fn dir_cache() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let ccdir = kdc.dir().join("ccdir");
    std::fs::create_dir(&ccdir).expect("mkdir ccdir");
    let cc = format!("DIR:{}", ccdir.display());
    kdc.kinit(&cc, "alice", "2m", Some("10m")).expect("kinit into DIR:");
    let r = status(&kdc, &cc, dir.path(), &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let j = r.json();
    assert_eq!(j["ccache"]["type"], "DIR");
    let name = j["ccache"]["name"].as_str().expect("name");
    assert!(name.starts_with(&format!("DIR::{}/tkt", ccdir.display())), "{name}");
    assert_eq!(j["principal"], "alice@DUCT.TEST");
    assert_eq!(j["renewable"], true);
    // A DIR collection whose directory does not exist: no cache (libkrb5 fails already at resolve).
    let missing = format!("DIR:{}", kdc.dir().join("no-such-dir").display());
    let r = status(&kdc, &missing, dir.path(), &["--json"]);
    assert_eq!(r.code, 4, "{}", r.stdout);
    assert_eq!((r.json()["reason"].as_str(), r.json()["ccache"]["type"].as_str()), (Some("no_cache"), Some("DIR")));
}

/// Destroys a KEYRING cache when the test ends, also on panic.
struct KeyringGuard<'a>(&'a Kdc, String);

impl Drop for KeyringGuard<'_> {
    fn drop(&mut self) {
        if let Some(kdestroy) = common::kdc::find_tool("kdestroy") {
            let mut cmd = Command::new(kdestroy);
            self.0.apply(&mut cmd, &self.1);
            let _ = cmd.output();
        }
    }
}

#[test]
fn keyring_cache() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let cc = format!("KEYRING:session:duct-test-{}", std::process::id());
    let works = kdc.kinit(&cc, "alice", "2m", Some("10m"));
    let _guard = KeyringGuard(&kdc, cc.clone());
    if !common::require(&format!("a kernel session keyring for KEYRING: caches ({works:?})"), works.is_ok()) {
        return;
    }
    let r = status(&kdc, &cc, dir.path(), &["--json", "--for", "5m"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let j = r.json();
    assert_eq!(j["ccache"]["type"], "KEYRING");
    assert!(j["ccache"]["name"].as_str().is_some_and(|n| n.starts_with("KEYRING:session:duct-test-")), "{j}");
    assert_eq!(j["principal"], "alice@DUCT.TEST");
    assert_eq!(j["status"], "ok");
    assert!(secs(&j["renewals_needed"]) >= 1);
}

#[test]
fn truncated_and_garbage_caches() {
    let Some(kdc) = Kdc::start() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("whole");
    kdc.kinit(&cc, "alice", "2m", Some("10m")).expect("kinit");
    let bytes = std::fs::read(cc.strip_prefix("FILE:").expect("FILE")).expect("read cache");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("half", bytes[..bytes.len() / 2].to_vec()),
        ("header", bytes[..20.min(bytes.len())].to_vec()),
        ("last byte missing", bytes[..bytes.len() - 1].to_vec()),
        ("garbage", b"this is not a credential cache\n".repeat(10)),
    ];
    for (what, content) in cases {
        let path = dir.join(format!("cc-{}", what.replace(' ', "-")));
        std::fs::write(&path, content).expect("write cache");
        let name = format!("FILE:{}", path.display());
        let r = status(&kdc, &name, dir.path(), &[]);
        assert_eq!(r.code, 5, "{what}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.line("status:"), "error", "{what}");
        assert!(r.line("verdict:").starts_with("could not inspect"), "{what}: {}", r.stdout);
        let j = status(&kdc, &name, dir.path(), &["--json"]).json();
        assert_eq!(j["status"], "error", "{what}");
        assert!(j["error"].is_string(), "{what}: {j}");
        assert_eq!(j["ccache"]["name"], name.as_str(), "{what}");
    }
}

#[test]
fn unprivileged_user() {
    let Some(kdc) = Kdc::start() else { return };
    let setpriv = common::kdc::find_tool("setpriv");
    let root = nix::unistd::geteuid().is_root();
    if !common::require("setpriv (util-linux), run as root", setpriv.is_some() && root) {
        return;
    }
    let dir = TestDir::new();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let cc_path = dir.join("nobody.ccache");
    let cc = format!("FILE:{}", cc_path.display());
    kdc.kinit(&cc, "alice", "2m", Some("10m")).expect("kinit");
    nix::unistd::chown(&cc_path, Some(65534.into()), Some(65534.into())).expect("chown the cache to nobody");
    let mut cmd = Command::new(setpriv.expect("setpriv"));
    cmd.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(common::duct_bin())
        .args(["krb-status", "--json", "--for", "5m"])
        .current_dir(dir.path());
    common::isolate_env(&mut cmd, dir.path());
    kdc.apply(&mut cmd, &cc);
    let r = finish(output_with_timeout(&mut cmd, TIMEOUT));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["principal"], "alice@DUCT.TEST");
    assert_eq!(j["status"], "ok");
    assert_eq!(j["gssd"]["uid"], 65534);
    assert_eq!(j["gssd"]["differs"], true);
    assert!(j["gssd"]["default_cache"].as_str().is_some_and(|d| d.contains("65534")), "{j}");

    // The same user with no Kerberos configuration and no KRB5CCNAME: the built-in default cache.
    let default = Path::new("/tmp/krb5cc_65534");
    if default.exists() {
        eprintln!("NOTE: {} exists; skipping the unconfigured-default check", default.display());
        return;
    }
    let mut cmd = Command::new(common::kdc::find_tool("setpriv").expect("setpriv"));
    cmd.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(common::duct_bin())
        .args(["krb-status", "--json"])
        .current_dir(dir.path())
        .env("KRB5_CONFIG", "/nonexistent/krb5.conf")
        .env_remove("KRB5CCNAME")
        .env_remove("KRB5_CLIENT_KTNAME");
    common::isolate_env(&mut cmd, dir.path());
    let r = finish(output_with_timeout(&mut cmd, TIMEOUT));
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    assert_eq!(j["ccache"]["name"], "FILE:/tmp/krb5cc_65534");
    assert_eq!(j["reason"], "no_cache");
}

/// Unmounts a tmpfs at drop, also on panic.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn mounts_tmpfs_with_escaped_name_fuse_and_missing_paths() {
    let dir = TestDir::new();
    let cc = format!("FILE:{}", dir.join("no-cache").display());
    let root = nix::unistd::geteuid().is_root();
    if !common::require("root (to mount a tmpfs)", root) {
        return;
    }
    let mnt = dir.join("tmp fs\tmount");
    std::fs::create_dir(&mnt).expect("mkdir");
    let ok = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "ductkrbtest"]).arg(&mnt).status();
    if !common::require("mount -t tmpfs", ok.is_ok_and(|s| s.success())) {
        return;
    }
    let _tmpfs = Tmpfs(mnt.clone());
    let missing = mnt.join("not/there");
    let Some(ffs) = common::faultfs::FaultFs::mount(&dir.join("fuse")) else { return };

    let args = [mnt.to_str().expect("utf-8"), missing.to_str().expect("utf-8"), ffs.mnt.to_str().expect("utf-8")];
    let mut all = vec!["--json"];
    all.extend(args);
    let r = status_without_kdc(dir.path(), &cc, &all);
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    let j = r.json();
    let p = j["paths"].as_array().expect("paths");
    assert_eq!(p.len(), 3);
    assert_eq!(p[0]["path"], mnt.to_str().expect("utf-8"));
    assert_eq!(p[0]["exists"], true);
    assert_eq!(p[0]["mount_point"], mnt.to_str().expect("utf-8"), "the \\040 and \\011 escapes decoded");
    assert_eq!(p[0]["fstype"], "tmpfs");
    assert_eq!(p[0]["source"], "ductkrbtest");
    assert_eq!((&p[0]["sec"], &p[0]["needs_tickets"]), (&Value::Null, &Value::Bool(false)));
    assert_eq!(p[1]["exists"], false);
    assert_eq!(p[1]["mount_point"], mnt.to_str().expect("utf-8"));
    assert_eq!(p[1]["fstype"], "tmpfs");
    assert_eq!(p[2]["mount_point"], ffs.mnt.to_str().expect("utf-8"));
    assert!(p[2]["fstype"].as_str().is_some_and(|f| f.starts_with("fuse")), "{}", p[2]);
    assert_eq!(p[2]["needs_tickets"], false);

    // Human form, and a path that resolves onto the tmpfs through a bind-free symlink.
    let link = dir.join("link");
    std::os::unix::fs::symlink(&mnt, &link).expect("symlink");
    let r = status_without_kdc(dir.path(), &cc, &[link.to_str().expect("utf-8"), missing.to_str().expect("utf-8")]);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("path:")).collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(lines[0].contains(&format!("on {} (tmpfs): no tickets needed", mnt.display())), "{}", lines[0]);
    assert!(lines[1].contains("(does not exist; nearest: "), "{}", lines[1]);
    drop(ffs);
}

#[test]
fn output_prefix_directory_and_usage() {
    let dir = TestDir::new();
    let cc = format!("FILE:{}", dir.join("no-cache").display());
    std::fs::create_dir(dir.join("logs")).expect("mkdir");
    let j = status_without_kdc(dir.path(), &cc, &["--json", "-p", "logs/run-{pid}_"]).json();
    let paths: Vec<&str> = j["paths"].as_array().expect("paths").iter().filter_map(|p| p["path"].as_str()).collect();
    assert_eq!(paths, [".", "logs"]);
    let mut cmd = duct(dir.path());
    cmd.args(["krb-status", "--json"]).env("DUCT_OUTPUT_PREFIX", "elsewhere/x/").env("KRB5CCNAME", &cc);
    let j = finish(output_with_timeout(&mut cmd, TIMEOUT)).json();
    assert_eq!(j["paths"][1]["path"], "elsewhere/x/");
    assert_eq!(j["paths"][1]["exists"], false);

    for bad in [&["--for", "soon"][..], &["--for"], &["--bogus"], &["--for", "0s"]] {
        let r = status_without_kdc(dir.path(), &cc, bad);
        assert_eq!(r.code, 2, "{bad:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty() && !r.stderr.is_empty(), "{bad:?}");
    }
    let r = status_without_kdc(dir.path(), &cc, &["--help"]);
    assert_eq!(r.code, 0);
    for want in ["--for", "--json", "--krb-keytab", "--output-prefix", "Exit codes", "  4  no credentials cache"] {
        assert!(r.stdout.contains(want), "--help lacks {want:?}:\n{}", r.stdout);
    }
}
