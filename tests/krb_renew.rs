//! `duct --krb-renew` end to end against a real MIT KDC on 127.0.0.1 (tests/common/kdc.rs): short tickets
//! (15–20 s) kept alive through whole jobs by the built-in renewal, by `kinit -R`, by `krenew`, or from a
//! keytab; the warnings and the notify command when that cannot be done; a missing cache and a KDC that
//! stops; recovery of log files on a FUSE mount whose handles "expired" with the ticket
//! (tests/common/faultfs.rs); and a KCM cache held by a private Heimdal kcm daemon.
//!
//! Every test has its own realm and its own cache. While duct runs, a thread in the test runs `klist -s` on
//! the cache every 0.5 s and reads the cache file's TGT end time, so a lapse of even a second is seen.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::faultfs::FaultFs;
use common::kdc::{Kdc, KdcConfig, PrincipalSpec, find_tool};
use common::{TestDir, duct, output_with_timeout};
use serde_json::Value;

/// krbtgt's flag for a renewable ticket.
const TKT_FLG_RENEWABLE: u32 = 0x0080_0000;

/// A realm whose principals allow short tickets: `alice` (renewable for 5 minutes) and `norenew` (15 s
/// tickets, never renewable, with a keytab).
fn realm() -> Option<Kdc> {
    Kdc::start_with(KdcConfig {
        principals: vec![PrincipalSpec::new("alice", "2m", "5m"), PrincipalSpec::new("norenew", "15s", "0")],
        ..KdcConfig::default()
    })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `t` as duct writes times: local time, RFC 3339, whole seconds.
fn rfc3339_local(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .expect("a valid time")
        .with_timezone(&chrono::Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn parse_time(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("not RFC 3339 ({e}): {s:?}")).timestamp()
}

// ---------------------------------------------------------------------------------------------------------
// Reading a FILE cache ourselves (MIT's format v4), independently of duct: the TGT's times and flags.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TgtTimes {
    start: i64,
    end: i64,
    renew_till: i64,
    flags: u32,
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn data(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        self.take(n).map(<[u8]>::to_vec)
    }
    /// (realm, components)
    fn principal(&mut self) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
        let _name_type = self.u32()?;
        let n = self.u32()?;
        let realm = self.data()?;
        let comps = (0..n).map(|_| self.data()).collect::<Option<Vec<_>>>()?;
        Some((realm, comps))
    }
}

/// The krbtgt entry of the FILE cache `name` (`FILE:` prefix optional); None when the file is missing,
/// empty, or holds no TGT (also for a file caught half-written).
fn read_tgt(name: &str) -> Option<TgtTimes> {
    let bytes = fs::read(name.strip_prefix("FILE:").unwrap_or(name)).ok()?;
    let mut r = Reader(&bytes);
    if r.u16()? != 0x0504 {
        return None;
    }
    let hdr = r.u16()? as usize;
    r.take(hdr)?;
    r.principal()?;
    while !r.0.is_empty() {
        let _client = r.principal()?;
        let (realm, comps) = r.principal()?;
        let _enctype = r.u16()?;
        r.data()?;
        let _authtime = r.u32()?;
        let start = r.u32()?;
        let end = r.u32()?;
        let renew_till = r.u32()?;
        let _is_skey = r.u8()?;
        let flags = r.u32()?;
        for _ in 0..r.u32()? {
            r.u16()?;
            r.data()?;
        }
        for _ in 0..r.u32()? {
            r.u16()?;
            r.data()?;
        }
        r.data()?;
        r.data()?;
        if realm != b"X-CACHECONF:" && comps.first().is_some_and(|c| c == b"krbtgt") {
            return Some(TgtTimes {
                start: i64::from(start),
                end: i64::from(end),
                renew_till: i64::from(renew_till),
                flags,
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// Watching the cache while duct runs.

#[derive(Debug, Clone)]
struct Sample {
    at: i64,
    /// `klist -s` succeeded.
    valid: bool,
    /// The TGT's end time as read from the file (None: no TGT readable at that moment).
    end: Option<i64>,
}

/// A thread running `klist -s` on the cache every 0.5 s and reading its end time.
struct CacheWatch {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Vec<Sample>>,
}

impl CacheWatch {
    fn start(kdc: &Kdc, cc: &str) -> CacheWatch {
        let env = kdc.env(cc);
        let klist = find_tool("klist").expect("klist");
        let name = cc.to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = thread::spawn(move || {
            let mut samples = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                let valid = Command::new(&klist)
                    .arg("-s")
                    .envs(env.iter().map(|(k, v)| (k, v)))
                    .env_remove("KRB5_CLIENT_KTNAME")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                let end = if name.starts_with("FILE:") { read_tgt(&name).map(|t| t.end) } else { None };
                samples.push(Sample { at: now(), valid, end });
                thread::sleep(Duration::from_millis(500));
            }
            samples
        });
        CacheWatch { stop, handle }
    }

    fn finish(self) -> Watched {
        self.stop.store(true, Ordering::Relaxed);
        Watched(self.handle.join().expect("the cache watcher panicked"))
    }
}

struct Watched(Vec<Sample>);

impl Watched {
    fn failures(&self) -> Vec<&Sample> {
        self.0.iter().filter(|s| !s.valid).collect()
    }
    /// The end times seen, in order, without repeats.
    fn ends(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.0.iter().filter_map(|s| s.end).collect();
        v.dedup();
        v
    }
    fn assert_never_lapsed(&self) {
        assert!(self.0.len() >= 10, "too few samples: {:?}", self.0);
        let f: Vec<i64> = self.failures().iter().map(|s| s.at).collect();
        assert!(f.is_empty(), "klist -s failed {} times, at {f:?}: {:?}", f.len(), self.0);
    }
    /// The end time only ever moved forward, and did so at least `times` times.
    fn assert_end_moved(&self, times: usize) -> Vec<i64> {
        let ends = self.ends();
        assert!(ends.windows(2).all(|w| w[0] < w[1]), "end time went backwards: {ends:?}");
        assert!(ends.len() > times, "end time moved only {} times: {ends:?}", ends.len().saturating_sub(1));
        ends
    }
}

// ---------------------------------------------------------------------------------------------------------
// Running duct in the background, with its stderr lines time-stamped as they arrive.

struct Job {
    child: Child,
    started: Instant,
    out: JoinHandle<Vec<u8>>,
    err_lines: Arc<Mutex<Vec<(Instant, String)>>>,
    err: JoinHandle<()>,
}

struct Done {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    /// Each stderr line with the seconds since duct started when it arrived.
    lines: Vec<(f64, String)>,
}

impl Job {
    fn spawn(cmd: &mut Command) -> Job {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start duct");
        let started = Instant::now();
        let mut so = child.stdout.take().expect("stdout");
        let se = child.stderr.take().expect("stderr");
        let out = thread::spawn(move || {
            let mut v = Vec::new();
            let _ = so.read_to_end(&mut v);
            v
        });
        let err_lines = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&err_lines);
        let err = thread::spawn(move || {
            for line in BufReader::new(se).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap_or_else(|e| e.into_inner()).push((Instant::now(), line));
            }
        });
        Job { child, started, out, err_lines, err }
    }

    /// Whether a stderr line so far contains all of `parts`.
    fn said(&self, parts: &[&str]) -> Option<Instant> {
        let lines = self.err_lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.iter().find(|(_, l)| parts.iter().all(|p| l.contains(p))).map(|(t, _)| *t)
    }

    fn stderr_so_far(&self) -> String {
        let lines = self.err_lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n")
    }

    fn finish(mut self, timeout: Duration) -> Done {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait for duct") {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("duct did not finish within {timeout:?}; stderr so far:\n{}", self.stderr_so_far());
            }
            thread::sleep(Duration::from_millis(50));
        };
        let stdout = self.out.join().unwrap_or_default();
        let _ = self.err.join();
        let lines: Vec<(f64, String)> = self
            .err_lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(t, l)| (t.duration_since(self.started).as_secs_f64(), l.clone()))
            .collect();
        let stderr = lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
        assert!(!stderr.contains("panicked") && !stderr.contains("internal error"), "duct panicked:\n{stderr}");
        Done { code: status.code().unwrap_or(-1), stdout, stderr, lines }
    }
}

fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let end = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < end, "timed out after {timeout:?} waiting for {what}");
        thread::sleep(Duration::from_millis(20));
    }
}

/// `duct --krb-renew -p DIR/logs/run_ --fail-time 0 EXTRA... -- ARGV...` for cache `cc`.
fn duct_krb(kdc: &Kdc, cc: &str, dir: &Path, extra: &[&str], argv: &[&str]) -> Command {
    let mut cmd = duct(dir);
    cmd.args(["--krb-renew", "--fail-time", "0", "-p"]).arg(dir.join("logs/run_")).args(extra).arg("--").args(argv);
    kdc.apply(&mut cmd, cc);
    cmd
}

fn info(dir: &Path) -> Value {
    let path = dir.join("logs/run_info.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("info.json is not valid JSON ({e}):\n{text}"))
}

fn array<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("{what} is not an array: {v}"))
}

/// The renewals recorded in info.json: each (how, new_end); checks that the new end times increase.
fn renewals(krb: &Value) -> Vec<(String, i64)> {
    let r: Vec<(String, i64)> = array(&krb["renewals"], "krb.renewals")
        .iter()
        .map(|r| {
            parse_time(r["time"].as_str().expect("renewal time"));
            (r["how"].as_str().expect("how").to_string(), parse_time(r["new_end"].as_str().expect("new_end")))
        })
        .collect();
    assert!(r.windows(2).all(|w| w[0].1 < w[1].1), "new_end does not increase: {krb}");
    r
}

/// The summary's Kerberos line on stderr.
fn summary_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("Kerberos: ") && l.contains(" renewal"))
        .unwrap_or_else(|| panic!("no summary line `Kerberos: N renewals; ticket valid until T` on stderr:\n{stderr}"))
}

/// What a renewing run must show: the cache never lapsed and its end time moved on at least `n` times,
/// info.json has at least `n` renewals made by `how`, the last of which is the cache's end time now, and
/// the summary says as much.
fn assert_kept_alive(cc: &str, initial: TgtTimes, watched: &Watched, done: &Done, krb: &Value, n: usize, how: &str) {
    let ends = watched.assert_end_moved(n);
    assert_eq!(ends[0], initial.end, "the watcher saw a different first end time");
    assert_eq!(krb["ccache"], cc, "{krb}");
    assert_eq!(krb["ccache_type"], "FILE", "{krb}");
    let r = renewals(krb);
    assert!(r.len() >= n, "only {} renewals recorded: {krb}", r.len());
    assert!(r.iter().all(|(h, _)| h.contains(how)), "renewals not made by {how:?}: {krb}");
    assert!(array(&krb["failures"], "krb.failures").is_empty(), "failures: {krb}");
    // The very cache named by KRB5CCNAME is the one whose end time moved, to what duct recorded last.
    let last = read_tgt(cc).expect("the cache still holds a TGT");
    assert_eq!(last.end, r.last().expect("a renewal").1, "the cache's end time is not the last renewal's");
    assert_eq!(parse_time(krb["expires"].as_str().expect("expires")), last.end);
    // The ticket outlives the job that started with a ticket ending long before it.
    assert!(last.end > now() && now() > initial.end + 15, "{initial:?} → {last:?}");
    let line = summary_line(&done.stderr);
    assert!(line.starts_with(&format!("Kerberos: {} renewals; ticket valid until ", r.len())), "{line}");
    assert!(line.ends_with(krb["expires"].as_str().expect("expires")), "{line}");
}

// ---------------------------------------------------------------------------------------------------------

/// A job running 4× the ticket's 15 s lifetime, built-in renewal: the cache never lapses, it is the same
/// cache (by name) that is renewed, in place and atomically (klist -s never sees it missing or empty), and
/// every renewal is in info.json and the summary. The job itself is still authenticated at its end.
#[test]
fn builtin_renewal_keeps_a_job_authenticated_for_four_lifetimes() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("builtin");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    assert_eq!(initial.end - initial.start, 15);
    assert_ne!(initial.flags & TKT_FLG_RENEWABLE, 0);
    let watch = CacheWatch::start(&kdc, &cc);
    let script = "sleep 62; klist -s && echo job still authenticated";
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sh", "-c", script]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(120));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(String::from_utf8_lossy(&done.stdout).contains("job still authenticated"), "{}", done.stderr);
    watched.assert_never_lapsed();
    let info = info(dir.path());
    let krb = &info["krb"];
    assert_eq!(krb["principal"], "alice@DUCT.TEST");
    // 62 s of 15 s tickets renewed 5 s before their end: a renewal about every 10 s.
    assert_kept_alive(&cc, initial, &watched, &done, krb, 5, "built-in");
    assert!(done.stderr.contains("Kerberos: renewed (built-in)"), "{}", done.stderr);
    // Nothing but the one cache (and no temporary file of it) is left next to it.
    let stray: Vec<PathBuf> = fs::read_dir(kdc.dir())
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("builtin.ccache.")))
        .collect();
    assert!(stray.is_empty(), "temporary caches left: {stray:?}");
}

/// `--krb-renew-cmd 'kinit -R'`: the same, through the user's command (run without a shell, with the
/// job's KRB5CCNAME).
#[test]
fn kinit_r_as_the_renew_command() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("kinit-r");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let watch = CacheWatch::start(&kdc, &cc);
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-renew-cmd", "kinit -R"], &["sleep", "36"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    watched.assert_never_lapsed();
    assert_kept_alive(&cc, initial, &watched, &done, &info(dir.path())["krb"], 3, "kinit -R");
}

/// `--krb-renew-cmd krenew` (kstart: with no command, krenew renews once and exits): the end time keeps
/// moving forward. krenew rewrites the cache in place, not atomically, so a momentary failure of `klist -s`
/// is tolerated here (and counted).
#[test]
fn krenew_as_the_renew_command() {
    if !common::require("krenew (Debian kstart)", find_tool("krenew").is_some()) {
        return;
    }
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("krenew");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let watch = CacheWatch::start(&kdc, &cc);
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-renew-cmd", "krenew"], &["sleep", "36"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    let ends = watched.assert_end_moved(3);
    // The ticket outlived the 36 s run (kinit came just before it, with 15 s of life): its last end is at
    // least 21 s past the first. A tighter bound (30 s) failed on a loaded machine, where the last renewal
    // comes earlier in its margin.
    assert!(*ends.last().expect("ends") >= initial.end + 21, "{ends:?}");
    // A torn read can only be momentary: never two samples in a row.
    let s = &watched.0;
    assert!(s.windows(2).all(|w| w[0].valid || w[1].valid), "the cache stayed invalid: {s:?}");
    let krb = &info(dir.path())["krb"];
    let r = renewals(krb);
    assert!(r.len() >= 3 && r.iter().all(|(h, _)| h == "krenew"), "{krb}");
    assert_eq!(read_tgt(&cc).expect("TGT").end, r.last().expect("renewal").1);
    eprintln!("krenew: klist -s failed {} of {} times", watched.failures().len(), s.len());
}

/// A ticket that cannot be renewed at all (principal with max renewable life 0), with `--krb-keytab`: duct
/// puts a fresh ticket from the keytab into the same cache before each end, so the job stays
/// authenticated well past the first ticket's lifetime.
#[test]
fn a_keytab_keeps_a_non_renewable_ticket_going() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("keytab");
    kdc.kinit(&cc, "norenew", "15s", None).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    assert!(
        initial.flags & TKT_FLG_RENEWABLE == 0 || initial.renew_till <= initial.end,
        "the ticket is renewable: {initial:?}"
    );
    let keytab = kdc.keytab("norenew");
    let watch = CacheWatch::start(&kdc, &cc);
    let script = "sleep 40; klist -s && echo job still authenticated";
    let mut cmd =
        duct_krb(&kdc, &cc, dir.path(), &["--krb-keytab", keytab.to_str().expect("utf-8")], &["sh", "-c", script]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(String::from_utf8_lossy(&done.stdout).contains("job still authenticated"), "{}", done.stderr);
    watched.assert_never_lapsed();
    let krb = &info(dir.path())["krb"];
    assert_eq!(krb["principal"], "norenew@DUCT.TEST");
    assert_kept_alive(&cc, initial, &watched, &done, krb, 3, "new ticket from");
    let r = renewals(krb);
    assert!(r.iter().all(|(h, _)| h.contains(&keytab.display().to_string())), "{krb}");
    assert!(!done.stderr.contains("will lapse"), "a needless lapse warning:\n{}", done.stderr);
}

/// A non-renewable ticket and no keytab: duct says at once that it will lapse, and when; runs
/// `--krb-notify-cmd` with the reason in the environment; and the command still ends normally with its own
/// exit code.
#[test]
fn a_non_renewable_ticket_without_keytab_warns_and_notifies() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("norenew");
    kdc.kinit(&cc, "norenew", "15s", None).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let notified = dir.join("notified");
    // The job waits (at most 40 s) for the notification, then exits 7.
    let script = "i=0; while [ ! -s notified ] && [ $i -lt 400 ]; do sleep 0.1; i=$((i+1)); done; sleep 0.3; exit 7";
    let mut cmd = duct_krb(
        &kdc,
        &cc,
        dir.path(),
        &["--krb-notify-cmd", "sh -c 'env | grep ^DUCT_KRB_ > notified'"],
        &["sh", "-c", script],
    );
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    assert_eq!(done.code, 7, "{}", done.stderr);
    // The early warning: within a couple of seconds of the start, with the lapse time.
    let (at, warning) = done
        .lines
        .iter()
        .find(|(_, l)| l.contains("not renewable") && l.contains("will lapse at "))
        .unwrap_or_else(|| panic!("no early warning:\n{}", done.stderr));
    assert!(*at < 3.0, "the warning came {at:.1} s after the start: {warning}");
    let lapse = warning.split("will lapse at ").nth(1).and_then(|s| s.split_whitespace().next()).expect("a time");
    assert_eq!(parse_time(lapse), initial.end, "{warning}");
    // The notify command ran, with the reason and the ticket in its environment.
    let env = fs::read_to_string(&notified).expect("the notify command did not run");
    let var = |k: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in the notify command's environment:\n{env}"))
            .to_string()
    };
    assert_eq!(var("DUCT_KRB_REASON"), "not_renewable", "{env}");
    assert_eq!(var("DUCT_KRB_PRINCIPAL"), "norenew@DUCT.TEST", "{env}");
    assert_eq!(var("DUCT_KRB_CCACHE"), cc, "{env}");
    assert_eq!(parse_time(&var("DUCT_KRB_EXPIRES")), initial.end, "{env}");
    let krb = &info(dir.path())["krb"];
    assert!(
        array(&krb["warnings"], "warnings").iter().any(|w| w.as_str().is_some_and(|w| w.contains("not renewable")))
    );
    assert!(renewals(krb).is_empty(), "{krb}");
    assert_eq!(info(dir.path())["execution_summary"]["exit_code"], 7);
    summary_line(&done.stderr);
}

/// Waits until `klist -s` finds the TGT in `cc` no longer valid.
fn wait_past_end(kdc: &Kdc, cc: &str) {
    wait_until("the ticket to expire", Duration::from_secs(30), || !kdc.klist(cc, &["-s"]).status.success());
}

/// Tickets that ended before duct started: every message about them is in the past tense, never "will
/// lapse at" or "it ends" a time gone by (issue 14 item 6). A renewable one that just ended is renewed at
/// once; a non-renewable one "expired at" its end.
#[test]
fn a_ticket_that_ended_before_the_start_is_told_in_the_past_tense() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let plain = kdc.ccache("ended-plain");
    kdc.kinit(&plain, "norenew", "2s", None).expect("kinit");
    let renewable = kdc.ccache("ended-renewable");
    kdc.kinit(&renewable, "alice", "2s", Some("5m")).expect("kinit");
    let (plain_end, renewable_end) = (read_tgt(&plain).expect("a TGT").end, read_tgt(&renewable).expect("a TGT").end);
    wait_past_end(&kdc, &plain);
    wait_past_end(&kdc, &renewable);

    let done = Job::spawn(&mut duct_krb(&kdc, &plain, dir.path(), &[], &["true"])).finish(Duration::from_secs(60));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let want = format!("is not renewable and expired at {}", rfc3339_local(plain_end));
    assert!(done.stderr.contains(&want), "{want:?} not said:\n{}", done.stderr);
    assert!(!done.stderr.contains("will lapse"), "a past time in the future tense:\n{}", done.stderr);
    assert!(summary_line(&done.stderr).ends_with(&format!("ticket expired at {}", rfc3339_local(plain_end))));

    let dir = TestDir::new();
    let done =
        Job::spawn(&mut duct_krb(&kdc, &renewable, dir.path(), &[], &["sleep", "3"])).finish(Duration::from_secs(60));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let want = format!("it expired at {}, duct renews it at once", rfc3339_local(renewable_end));
    assert!(done.stderr.contains(&want), "{want:?} not said:\n{}", done.stderr);
    assert!(!done.stderr.contains("it ends"), "a past time in the present tense:\n{}", done.stderr);
    let r = renewals(&info(dir.path())["krb"]);
    assert!(!r.is_empty() && r[0].1 > renewable_end, "not renewed: {r:?}\n{}", done.stderr);
}

/// No cache at all: a clear warning, the command's exit code, info.json valid and saying why; and duct did
/// not create the cache.
#[test]
fn a_missing_cache_is_a_warning() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = format!("FILE:{}", dir.join("missing.ccache").display());
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sh", "-c", "sleep 2; exit 7"]);
    let out = output_with_timeout(&mut cmd, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(7), "{stderr}");
    assert!(stderr.contains(&format!("no credentials cache {cc}")), "{stderr}");
    let krb = &info(dir.path())["krb"];
    assert!(
        array(&krb["warnings"], "warnings")
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("no credentials cache"))),
        "{krb}"
    );
    assert!(renewals(krb).is_empty());
    assert_eq!(summary_line(&stderr), "Kerberos: 0 renewals; no ticket");
    assert!(!dir.join("missing.ccache").exists(), "duct created the cache");
}

/// The KDC stops mid-run: renewal fails, duct says why (the KDC cannot be reached), keeps retrying, and the
/// command ends normally with its own exit code; info.json records the failures.
#[test]
fn a_kdc_that_stops_mid_run_is_a_warning() {
    let Some(mut kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("kdc-down");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sh", "-c", "sleep 21; exit 7"]);
    let job = Job::spawn(&mut cmd);
    wait_until("duct to start watching", Duration::from_secs(10), || job.said(&["Kerberos: keeping"]).is_some());
    kdc.stop();
    let done = job.finish(Duration::from_secs(60));
    assert_eq!(done.code, 7, "{}", done.stderr);
    assert!(done.stderr.contains("renewal failed"), "{}", done.stderr);
    assert!(done.stderr.contains("Cannot contact any KDC"), "{}", done.stderr);
    // The lapse itself is said once, with the time it happened.
    let lapsed = format!("expired at {}; duct keeps trying", rfc3339_local(initial.end));
    assert_eq!(done.stderr.matches(&lapsed).count(), 1, "{lapsed:?} not said once:\n{}", done.stderr);
    let krb = &info(dir.path())["krb"];
    assert!(
        array(&krb["warnings"], "warnings").iter().any(|w| w.as_str().is_some_and(|w| w.contains(&lapsed))),
        "{krb}"
    );
    let failures = array(&krb["failures"], "failures");
    assert!(failures.len() >= 2, "expected the renewal and its retry to fail: {krb}");
    for f in failures {
        parse_time(f["time"].as_str().expect("time"));
        assert!(f["reason"].as_str().is_some_and(|r| r.contains("Cannot contact any KDC")), "{krb}");
    }
    assert!(renewals(krb).is_empty(), "{krb}");
    assert_eq!(read_tgt(&cc).expect("TGT"), initial, "the cache changed");
    let line = summary_line(&done.stderr);
    assert!(
        line.starts_with(&format!("Kerberos: 0 renewals, {} failed; ticket expired at ", failures.len())),
        "{line}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Recovery of the log files.

/// The command for the recovery tests: a numbered line every 100 ms on stdout (every 5th also on stderr)
/// until the file `stop` appears; then exit 3.
const WRITER: &str = r#"
import os, sys, time
i = 0
while not os.path.exists("stop"):
    sys.stdout.write("line %06d\n" % i); sys.stdout.flush()
    if i % 5 == 0:
        sys.stderr.write("err %06d\n" % i); sys.stderr.flush()
    i += 1
    time.sleep(0.1)
sys.exit(3)
"#;

fn writer_output(stdout: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let n = String::from_utf8_lossy(stdout).lines().count();
    assert!(n > 100, "the command wrote only {n} lines");
    let out: String = (0..n).map(|i| format!("line {i:06}\n")).collect();
    let err: String = (0..n).filter(|i| i % 5 == 0).map(|i| format!("err {i:06}\n")).collect();
    (out.into_bytes(), err.into_bytes())
}

/// duct's stderr with arrival times (shown by the test harness when a test fails).
fn timeline(done: &Done) {
    for (t, l) in &done.lines {
        if !l.starts_with("err ") {
            eprintln!("{t:7.2}s {l}");
        }
    }
}

/// The log files in the backing directory are exactly what the command wrote.
fn assert_logs_complete(ffs: &FaultFs, done: &Done) -> Value {
    let (want_out, want_err) = writer_output(&done.stdout);
    assert!(done.stdout == want_out, "the terminal stream is not what the command wrote");
    let got = fs::read(ffs.backing.join("run_stdout")).expect("stdout log");
    assert!(got == want_out, "stdout log: {} bytes, want {}:\n{}", got.len(), want_out.len(), done.stderr);
    let got = fs::read(ffs.backing.join("run_stderr")).expect("stderr log");
    assert!(got == want_err, "stderr log: {} bytes, want {}:\n{}", got.len(), want_err.len(), done.stderr);
    let text = fs::read_to_string(ffs.backing.join("run_info.json")).expect("info.json");
    let info: Value = serde_json::from_str(&text).expect("info.json is valid JSON");
    assert_eq!(info["execution_summary"]["exit_code"], 3);
    info
}

fn duct_on_mount(kdc: &Kdc, cc: &str, dir: &TestDir, ffs: &FaultFs, extra: &[&str]) -> Command {
    let mut cmd = duct(dir.path());
    cmd.args(["--krb-renew", "--fail-time", "0", "--spool-dir"])
        .arg(dir.join("spool"))
        .arg("-p")
        .arg(format!("{}/run_", ffs.mnt.display()))
        .args(extra)
        .args(["--", "python3", "-c", WRITER]);
    kdc.apply(&mut cmd, cc);
    cmd
}

/// The whole story: the KDC goes away, the ticket lapses, the log mount's handles die with it (faultfs
/// `expire`: every write fails with EACCES, duct keeps the output); the KDC comes back well within its
/// clock skew; duct renews the lapsed ticket on its next retry; the test, seeing the new ticket, lets the
/// mount work again; the log files catch up — byte for byte what the command wrote — and the exit code is
/// the command's.
#[test]
fn logs_recover_after_the_ticket_lapses_and_is_renewed() {
    let Some(mut kdc) = realm() else { return };
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let cc = kdc.ccache("recovery");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let job = Job::spawn(&mut duct_on_mount(&kdc, &cc, &dir, &ffs, &["--krb-margin", "4s"]));
    wait_until("the first lines in the log", Duration::from_secs(10), || {
        fs::metadata(ffs.backing.join("run_stdout")).is_ok_and(|m| m.len() > 0)
    });
    kdc.stop();
    // The renewal 4 s before the end fails; the ticket lapses.
    wait_until("the ticket to lapse", Duration::from_secs(30), || !kdc.klist(&cc, &["-s"]).status.success());
    assert!(now() >= initial.end);
    ffs.ctl("expire");
    wait_until("duct to see the log mount fail", Duration::from_secs(10), || {
        job.said(&["cannot", &ffs.mnt.join("run_stdout").display().to_string()]).is_some()
    });
    thread::sleep(Duration::from_secs(1));
    kdc.restart();
    let restarted = now();
    // duct retries with backoff (at most 60 s); the ticket expired seconds ago, well within the 5 min skew.
    wait_until("duct to renew the lapsed ticket", Duration::from_secs(90), || kdc.klist(&cc, &["-s"]).status.success());
    let renewed = read_tgt(&cc).expect("a TGT");
    assert!(renewed.end > initial.end && renewed.end >= restarted + 10, "{initial:?} → {renewed:?}");
    ffs.ctl("renew");
    wait_until("the log file to work again", Duration::from_secs(90), || {
        job.said(&[&ffs.mnt.join("run_stdout").display().to_string(), "works again"]).is_some()
    });
    // A little more output through the fresh handles, then the command ends.
    thread::sleep(Duration::from_secs(1));
    fs::write(dir.join("stop"), "").expect("stop the command");
    let done = job.finish(Duration::from_secs(60));
    timeline(&done);
    assert_eq!(done.code, 3, "{}", done.stderr);
    let info = assert_logs_complete(&ffs, &done);
    let krb = &info["krb"];
    let r = renewals(krb);
    assert!(!r.is_empty() && r[0].1 == renewed.end, "{krb}");
    let failures = array(&krb["failures"], "failures");
    assert!(
        failures.iter().any(|f| f["reason"].as_str().is_some_and(|s| s.contains("Cannot contact any KDC"))),
        "{krb}"
    );
    let lapsed = format!("expired at {}; duct keeps trying", rfc3339_local(initial.end));
    assert!(done.stderr.contains(&lapsed), "{lapsed:?} not said:\n{}", done.stderr);
    let stdout_stats = array(&info["duct"]["log_files"], "log_files")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("run_stdout")))
        .cloned()
        .expect("stats for run_stdout");
    let incidents = array(&stdout_stats["incidents"], "incidents");
    assert!(incidents.iter().any(|i| i["errno"] == "EACCES" && i["recovered"].is_string()), "{stdout_stats}");
    assert_eq!(stdout_stats["bytes_dropped"], 0);
}

/// The reopen itself: when the renewal is what makes the mount work again (as on NFS sec=krb5, where the
/// renewed ticket gives rpc.gssd a fresh context), every log file reopens right after the renewal, not at
/// its next retry seconds later. Here the renew command renews the ticket and then the mount.
#[test]
fn log_files_reopen_right_after_a_renewal() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let Some(ffs) = FaultFs::mount(dir.path()) else { return };
    let cc = kdc.ccache("reopen");
    kdc.kinit(&cc, "alice", "20s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let hook = dir.join("renew-and-remount");
    fs::write(
        &hook,
        format!("#!/bin/sh\nkinit -R || exit 1\nprintf 'renew\\n' > {}\n", ffs.mnt.join(".faultctl").display()),
    )
    .expect("write the hook");
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).expect("chmod");
    let margin = 7;
    let extra = ["--krb-margin", "7s", "--krb-renew-cmd", hook.to_str().expect("utf-8")];
    let job = Job::spawn(&mut duct_on_mount(&kdc, &cc, &dir, &ffs, &extra));
    // Expire the mount 11 s before the renewal: duct's own retries of the file (at 0.25, 0.75, 1.75, 3.75,
    // 7.75, 15.75 s after the failure) then leave a gap of 4 s on either side of the renewal.
    let renewal_at = initial.end - margin;
    wait_until("11 s before the renewal", Duration::from_secs(20), || now() >= renewal_at - 11);
    ffs.ctl("expire");
    let path = ffs.mnt.join("run_stdout").display().to_string();
    wait_until("the renewal", Duration::from_secs(30), || job.said(&["Kerberos: renewed"]).is_some());
    wait_until("the log file to work again", Duration::from_secs(60), || job.said(&[&path, "works again"]).is_some());
    let renewed = job.said(&["Kerberos: renewed"]).expect("renewed");
    let works = job.said(&[&path, "works again"]).expect("works again");
    assert!(
        works >= renewed && works - renewed < Duration::from_secs(2),
        "the log file worked again {:?} after the renewal:\n{}",
        works.checked_duration_since(renewed),
        job.stderr_so_far()
    );
    fs::write(dir.join("stop"), "").expect("stop the command");
    let done = job.finish(Duration::from_secs(60));
    assert_eq!(done.code, 3, "{}", done.stderr);
    let info = assert_logs_complete(&ffs, &done);
    assert!(!renewals(&info["krb"]).is_empty());
}

// ---------------------------------------------------------------------------------------------------------
// KCM.

/// A private Heimdal kcm. Its socket path is compiled in (/var/run/.heim_org.h5l.kcm-socket; `--socket-path`
/// does not change it), so it runs in a mount namespace of its own where a directory of the test is
/// bind-mounted over /run: the socket (and its pid file) land in that directory, where MIT's client finds
/// it through krb5.conf's `kcm_socket`. Killed by its PID on drop.
struct Kcm {
    child: Child,
    socket: PathBuf,
}

impl Kcm {
    fn start(run_dir: &Path) -> Kcm {
        fs::create_dir_all(run_dir).expect("mkdir");
        let kcm = find_tool("kcm").expect("kcm");
        let unshare = find_tool("unshare").expect("unshare");
        // unshare and sh exec, so the child's PID is kcm's.
        let child = Command::new(unshare)
            .args(["--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$1\" /run && exec \"$2\"", "sh"])
            .arg(run_dir)
            .arg(kcm)
            .stdin(Stdio::null())
            .spawn()
            .expect("start kcm");
        let mut k = Kcm { child, socket: run_dir.join(".heim_org.h5l.kcm-socket") };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !k.socket.exists() {
            if let Ok(Some(status)) = k.child.try_wait() {
                panic!("kcm exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "kcm did not create {}", k.socket.display());
            thread::sleep(Duration::from_millis(20));
        }
        k
    }
}

impl Drop for Kcm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `duct krb-status` reads a KCM cache (kept by a private kcm daemon), and `--krb-renew` renews it.
#[test]
fn kcm_cache_is_read_and_renewed() {
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let have = find_tool("kcm").is_some() && find_tool("unshare").is_some();
    if !common::require("root, unshare and kcm (Debian heimdal-kcm)", root && have) {
        return;
    }
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let kcm = Kcm::start(&dir.join("run"));
    let conf = dir.join("krb5.conf");
    fs::write(
        &conf,
        format!("include {}\n\n[libdefaults]\n kcm_socket = {}\n", kdc.krb5_conf().display(), kcm.socket.display()),
    )
    .expect("write krb5.conf");
    let cc = "KCM:";
    let with_env = |cmd: &mut Command| {
        kdc.apply(cmd, cc);
        cmd.env("KRB5_CONFIG", &conf);
    };
    let mut kinit = Command::new(find_tool("kinit").expect("kinit"));
    kinit.args(["-l", "15s", "-r", "5m", "alice"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    with_env(&mut kinit);
    let mut child = kinit.spawn().expect("kinit");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), b"alice\n").expect("password");
    let out = child.wait_with_output().expect("kinit");
    assert!(out.status.success(), "kinit into KCM: {}", String::from_utf8_lossy(&out.stderr));
    let status = |dir: &Path| -> Value {
        let mut cmd = duct(dir);
        cmd.args(["krb-status", "--json"]);
        with_env(&mut cmd);
        let out = output_with_timeout(&mut cmd, Duration::from_secs(30));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("krb-status --json ({e}): {}", String::from_utf8_lossy(&out.stderr)))
    };
    let before = status(dir.path());
    assert_eq!(before["ccache"]["type"], "KCM", "{before}");
    assert_eq!(before["principal"], "alice@DUCT.TEST", "{before}");
    let end0 = parse_time(before["expires"].as_str().expect("expires"));
    assert!(end0 > now() && end0 <= now() + 15, "{before}");
    // A klist -s loop on the KCM cache while duct renews it.
    let klist = find_tool("klist").expect("klist");
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let mut klist_cmd = Command::new(klist);
    klist_cmd.arg("-s").stdin(Stdio::null());
    with_env(&mut klist_cmd);
    let watcher = thread::spawn(move || {
        let mut failures = 0;
        let mut samples = 0;
        while !flag.load(Ordering::Relaxed) {
            samples += 1;
            if !klist_cmd.status().is_ok_and(|s| s.success()) {
                failures += 1;
            }
            thread::sleep(Duration::from_millis(500));
        }
        (samples, failures)
    });
    let mut cmd = duct(dir.path());
    cmd.args(["--krb-renew", "--fail-time", "0", "-p"]).arg(dir.join("logs/run_")).args(["--", "sleep", "24"]);
    with_env(&mut cmd);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(60));
    stop.store(true, Ordering::Relaxed);
    let (samples, failures) = watcher.join().expect("watcher");
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(samples >= 10 && failures == 0, "klist -s failed {failures} of {samples} times:\n{}", done.stderr);
    let krb = &info(dir.path())["krb"];
    assert_eq!(krb["ccache_type"], "KCM", "{krb}");
    let r = renewals(krb);
    assert!(r.len() >= 2 && r.iter().all(|(h, _)| h == "built-in"), "{krb}");
    let after = status(dir.path());
    assert_eq!(parse_time(after["expires"].as_str().expect("expires")), r.last().expect("renewal").1, "{after}");
    assert!(r.last().expect("renewal").1 >= end0 + 15, "{krb}");
    drop(kcm);
}

/// Whether any process is left in process group `pgid`, waiting up to 20 s for it to empty (SIGKILL is
/// asynchronous).
fn group_emptied(pgid: i32) -> bool {
    let end = Instant::now() + Duration::from_secs(20);
    // SAFETY: kill with signal 0 only checks for existence.
    while unsafe { libc::kill(-pgid, 0) } == 0 {
        if Instant::now() > end {
            return false;
        }
        thread::sleep(Duration::from_millis(50));
    }
    true
}

/// A renew command that hangs (a shell whose child sleeps): when duct exits, normally or on SIGTERM, the
/// command's whole process group is gone (issue 14 item 4).
#[test]
fn a_hanging_renew_command_never_outlives_duct() {
    let Some(kdc) = realm() else { return };
    for on_sigterm in [false, true] {
        let dir = TestDir::new();
        let cc = kdc.ccache(if on_sigterm { "hang-term" } else { "hang-exit" });
        kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
        let pgid_file = dir.join("hook_pgid");
        // `sh -c` runs in a group of its own whose id is its pid; its sleep keeps running after it is killed
        // unless the whole group is.
        let hook = format!("sh -c 'echo $$ > {}; sleep 1001; true'", pgid_file.display());
        // The job: until the hook has started (at most 60 s), then exit 0 (or wait for duct's SIGTERM).
        let script = if on_sigterm {
            "i=0; while [ ! -s hook_pgid ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; sleep 1000"
        } else {
            "i=0; while [ ! -s hook_pgid ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; exit 0"
        };
        let mut cmd =
            duct_krb(&kdc, &cc, dir.path(), &["--krb-margin", "12s", "--krb-renew-cmd", &hook], &["sh", "-c", script]);
        let job = Job::spawn(&mut cmd);
        wait_until("the renew command to start", Duration::from_secs(60), || {
            fs::read_to_string(&pgid_file).is_ok_and(|s| s.trim().parse::<i32>().is_ok())
        });
        let pgid: i32 = fs::read_to_string(&pgid_file).expect("pgid").trim().parse().expect("a pid");
        if on_sigterm {
            // SAFETY: plain kill(2) on duct's pid.
            assert_eq!(unsafe { libc::kill(job.child.id() as i32, libc::SIGTERM) }, 0);
        }
        let done = job.finish(Duration::from_secs(60));
        let alive = !group_emptied(pgid);
        if alive {
            // SAFETY: clean up what the test started, by its group.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        assert!(!alive, "the renew command's group {pgid} outlived duct (sigterm: {on_sigterm}):\n{}", done.stderr);
    }
}

/// A ticket that cannot be renewed at all, with the README's `--krb-renew-cmd 'k5start -U -f KEYTAB'`: the
/// user's command is run whenever the ticket must be refreshed, not only when it could be renewed, so the
/// job stays authenticated for three lifetimes (issue 14 item 1). k5start rewrites the cache in place, so a
/// momentary failure of `klist -s` is tolerated (never two samples in a row).
#[test]
fn the_renew_command_refreshes_a_non_renewable_ticket() {
    if !common::require("k5start (Debian kstart)", find_tool("k5start").is_some()) {
        return;
    }
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("k5start");
    kdc.kinit(&cc, "norenew", "15s", None).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    assert!(
        initial.flags & TKT_FLG_RENEWABLE == 0 || initial.renew_till <= initial.end,
        "the ticket is renewable: {initial:?}"
    );
    let keytab = kdc.keytab("norenew");
    let renew_cmd = format!("k5start -U -f {}", keytab.display());
    let watch = CacheWatch::start(&kdc, &cc);
    let script = "sleep 45; klist -s && echo job still authenticated";
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-renew-cmd", &renew_cmd], &["sh", "-c", script]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(120));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(String::from_utf8_lossy(&done.stdout).contains("job still authenticated"), "{}", done.stderr);
    assert!(!done.stderr.contains("cannot be renewed"), "the command was not used:\n{}", done.stderr);
    let ends = watched.assert_end_moved(3);
    assert!(*ends.last().expect("ends") >= initial.end + 30, "{ends:?}");
    let s = &watched.0;
    assert!(s.windows(2).all(|w| w[0].valid || w[1].valid), "the cache stayed invalid: {s:?}");
    let krb = &info(dir.path())["krb"];
    let r = renewals(krb);
    assert!(r.len() >= 3 && r.iter().all(|(h, _)| h == &renew_cmd), "{krb}");
    assert!(array(&krb["failures"], "krb.failures").is_empty(), "failures: {krb}");
}

/// The TGS requests for `principal`'s TGT in the KDC's log (each renewal is one).
fn tgs_requests(kdc: &Kdc, principal: &str) -> usize {
    let log = fs::read_to_string(kdc.dir().join("kdc.log")).unwrap_or_default();
    let needle = format!("{principal} for krbtgt/");
    log.lines().filter(|l| l.contains("TGS_REQ") && l.contains(&needle)).count()
}

/// `--krb-margin 5m` on 30 s tickets: without a clamp every renewed ticket is due again at once (15 TGS
/// requests in 15 s in the field test). The margin is clamped with one warning, so a minute of job makes at
/// most 3 renewals (KDC log), and the ticket never lapses (issue 14 item 2).
#[test]
fn a_margin_above_the_lifetime_makes_no_renewal_storm() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("storm");
    kdc.kinit(&cc, "alice", "30s", Some("5m")).expect("kinit");
    let before = tgs_requests(&kdc, "alice@DUCT.TEST");
    let watch = CacheWatch::start(&kdc, &cc);
    let script = "sleep 60; klist -s && echo job still authenticated";
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-margin", "5m"], &["sh", "-c", script]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(150));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(String::from_utf8_lossy(&done.stdout).contains("job still authenticated"), "{}", done.stderr);
    watched.assert_never_lapsed();
    let tgs = tgs_requests(&kdc, "alice@DUCT.TEST") - before;
    let r = renewals(&info(dir.path())["krb"]);
    assert!((2..=3).contains(&tgs), "{tgs} TGS requests in a minute ({} renewals):\n{}", r.len(), done.stderr);
    let clamped = done.stderr.matches("--krb-margin 300s is not shorter than the ticket's lifetime").count();
    assert_eq!(clamped, 1, "the clamp is not said once:\n{}", done.stderr);
}

/// `cmd` run under `faketime -f OFFSET` (Debian faketime): its clock, and its children's, is OFFSET away from
/// the real one (the monotonic clock is left alone), while the KDC and the test keep the real time.
fn under_faketime(cmd: &Command, offset: &str) -> Option<Command> {
    let faketime = find_tool("faketime");
    if !common::require("faketime (Debian faketime)", faketime.is_some()) {
        return None;
    }
    let mut wrapped = Command::new(faketime?);
    wrapped.args(["-f", offset]).arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => wrapped.env(k, v),
            None => wrapped.env_remove(k),
        };
    }
    if let Some(d) = cmd.get_current_dir() {
        wrapped.current_dir(d);
    }
    wrapped.env("FAKETIME_DONT_FAKE_MONOTONIC", "1").stdin(Stdio::null());
    Some(wrapped)
}

/// duct's clock 2 minutes ahead of the KDC's (faketime): by duct's own clock every ticket the KDC hands out
/// has already ended, so each would be renewed at once (20 renewals and 20 warnings in 20 s in the field
/// test). A minute of job on 30 s tickets makes at most 4 renewals (KDC log: one at start, then one a
/// margin before each end, as with a right clock), the cache never lapses, and no warning is said twice
/// ("expired at T" once, not once per loop); duct says once that its clock is ahead (issue 14 item 2).
#[test]
fn a_clock_two_minutes_ahead_makes_no_renewal_storm() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("skew");
    kdc.kinit(&cc, "alice", "30s", Some("5m")).expect("kinit");
    let before = tgs_requests(&kdc, "alice@DUCT.TEST");
    let Some(mut cmd) = under_faketime(&duct_krb(&kdc, &cc, dir.path(), &[], &["sleep", "60"]), "+2m") else {
        return;
    };
    let watch = CacheWatch::start(&kdc, &cc);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(150));
    let watched = watch.finish();
    assert_eq!(done.code, 0, "{}", done.stderr);
    watched.assert_never_lapsed();
    let tgs = tgs_requests(&kdc, "alice@DUCT.TEST") - before;
    let r = renewals(&info(dir.path())["krb"]);
    assert!((2..=4).contains(&tgs), "{tgs} TGS requests in a minute ({} renewals):\n{}", r.len(), done.stderr);
    // Each warning once: the same text, times aside, never twice.
    let mut seen = std::collections::HashSet::new();
    for line in done.stderr.lines().filter(|l| l.contains("WARN") && l.contains("Kerberos")) {
        let text: String =
            line.split_once("Kerberos").map_or(line, |(_, t)| t).chars().filter(|c| !c.is_ascii_digit()).collect();
        assert!(seen.insert(text), "said more than once: {line}\n{}", done.stderr);
    }
    let lapsed = done.stderr.lines().filter(|l| l.contains("WARN") && l.contains("expired at")).count();
    assert!(lapsed <= 1, "{}", done.stderr);
    // The offset is found from the first ticket duct gets, and said once.
    let skew = done.stderr.matches("clock is about ").count();
    assert_eq!(skew, 1, "the clock offset is not said once:\n{}", done.stderr);
    assert!(done.stderr.contains("s ahead of the KDC's"), "{}", done.stderr);
}

/// The KDC stops until the ticket lapses: the lapse was not foreseen, yet --krb-notify-cmd runs, once, with
/// the documented variables and DUCT_KRB_REASON=kdc_unreachable (issue 14 item 3).
#[test]
fn a_lapse_while_the_kdc_is_down_is_notified_once() {
    let Some(mut kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("lapse");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let notified = dir.join("notified");
    // The job waits (at most 60 s) for a notification, then 3 s more for a second one that must not come.
    let script = "i=0; while [ ! -s notified ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; sleep 3; exit 7";
    let hook = "sh -c 'env | grep ^DUCT_KRB_ >> notified; echo --- >> notified'";
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-notify-cmd", hook], &["sh", "-c", script]);
    let job = Job::spawn(&mut cmd);
    wait_until("duct to start watching", Duration::from_secs(20), || job.said(&["Kerberos: keeping"]).is_some());
    kdc.stop();
    let done = job.finish(Duration::from_secs(120));
    assert_eq!(done.code, 7, "{}", done.stderr);
    let env =
        fs::read_to_string(&notified).unwrap_or_else(|_| panic!("the notify command did not run:\n{}", done.stderr));
    assert_eq!(env.matches("---").count(), 1, "not notified once:\n{env}");
    let var = |k: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in the notify command's environment:\n{env}"))
            .to_string()
    };
    assert_eq!(var("DUCT_KRB_REASON"), "kdc_unreachable", "{env}");
    assert_eq!(var("DUCT_KRB_PRINCIPAL"), "alice@DUCT.TEST", "{env}");
    assert_eq!(var("DUCT_KRB_CCACHE"), cc, "{env}");
    assert_eq!(parse_time(&var("DUCT_KRB_EXPIRES")), initial.end, "{env}");
    assert_eq!(parse_time(&var("DUCT_KRB_RENEW_UNTIL")), initial.renew_till, "{env}");
    assert!(now() >= initial.end, "notified before the lapse");
    // The record after the lapse (issue 14 item 6): the summary does not call the ticket valid, and the
    // failures that made it lapse are in krb.failures.
    let line = summary_line(&done.stderr);
    assert!(line.ends_with(&format!("; ticket expired at {}", rfc3339_local(initial.end))), "{line}");
    let krb = &info(dir.path())["krb"];
    assert!(!array(&krb["failures"], "failures").is_empty(), "{krb}");
}

/// Root renews a cache owned by an unprivileged user (uid 4242): the renewed cache keeps that owner and
/// mode, and the owner's own `klist -s` (through setpriv) still succeeds (issue 14 item 7).
#[test]
fn root_renewing_a_users_cache_keeps_its_owner() {
    use std::os::unix::fs::MetadataExt;
    let root = nix::unistd::geteuid().is_root();
    if !common::require("root (to renew another user's cache)", root)
        || !common::require("setpriv", find_tool("setpriv").is_some())
    {
        return;
    }
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    // The owner must reach the cache and the realm's krb5.conf.
    for d in [dir.path(), kdc.dir()] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    fs::set_permissions(kdc.krb5_conf(), fs::Permissions::from_mode(0o644)).expect("chmod krb5.conf");
    let path = dir.join("user.ccache");
    let cc = format!("FILE:{}", path.display());
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    std::os::unix::fs::chown(&path, Some(4242), Some(4242)).expect("chown");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    let owner_klist = || {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=4242", "--regid=4242", "--clear-groups", "klist", "-s"]);
        kdc.apply(&mut c, &cc);
        output_with_timeout(&mut c, Duration::from_secs(20)).status.success()
    };
    assert!(owner_klist(), "the owner cannot read the cache before the run");
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sleep", "24"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let r = renewals(&info(dir.path())["krb"]);
    assert!(!r.is_empty(), "no renewal:\n{}", done.stderr);
    assert!(read_tgt(&cc).expect("a TGT").end > initial.end, "the cache was not renewed");
    let meta = fs::metadata(&path).expect("the cache");
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (4242, 4242, 0o600), "owner or mode changed");
    assert!(owner_klist(), "the owner's klist -s fails after the renewal");
}

/// Misconfigurations are found at start, each one warning (issue 14 item 5): a missing keytab, a renew, a
/// notify and an aklog command that are not found (aklog split into words like the other hooks); and the
/// start message does not promise a new ticket that cannot come.
#[test]
fn misconfigured_hooks_and_keytab_are_warned_at_start() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("misconf");
    kdc.kinit(&cc, "norenew", "15s", None).expect("kinit");
    let missing = dir.join("missing.keytab");
    let extra = [
        "--krb-keytab",
        missing.to_str().expect("utf-8"),
        "--krb-renew-cmd",
        "no-such-renewer -x",
        "--krb-notify-cmd",
        "/no/such/notifier",
        "--krb-aklog=no-such-aklog -c cell",
    ];
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &extra, &["sleep", "3"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(60));
    assert_eq!(done.code, 0, "{}", done.stderr);
    for want in [
        format!("--krb-keytab {}: No such file or directory", missing.display()),
        "--krb-renew-cmd: program 'no-such-renewer' not found".to_string(),
        "--krb-notify-cmd: program '/no/such/notifier' not found".to_string(),
        "--krb-aklog: program 'no-such-aklog' not found".to_string(),
    ] {
        assert_eq!(done.stderr.matches(&want).count(), 1, "{want:?} not said once:\n{}", done.stderr);
        let (at, _) = done.lines.iter().find(|(_, l)| l.contains(&want)).expect("the line");
        assert!(*at < 10.0, "{want:?} came {at:.1} s after the start");
    }
    assert!(!done.stderr.contains("duct will get a new one"), "a promise that cannot be kept:\n{}", done.stderr);
}

/// An invalid --krb-margin is a usage error (one line, exit 2) whether or not --krb-renew is given, and the
/// command is not run (issue 14 item 5).
#[test]
fn an_invalid_margin_is_a_usage_error_even_without_krb_renew() {
    for renew in [true, false] {
        let dir = TestDir::new();
        let mut cmd = duct(dir.path());
        if renew {
            cmd.arg("--krb-renew");
        }
        cmd.args(["--krb-margin", "soon", "--", "sh", "-c", "touch ran"]);
        let out = output_with_timeout(&mut cmd, Duration::from_secs(30));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--krb-renew {renew}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
        assert!(err.contains("--krb-margin: 'soon' is not a duration"), "{err}");
        assert!(!dir.join("ran").exists(), "the command ran");
    }
}

/// A keytab that holds no key for the job's principal is one warning at start, and duct promises no new
/// ticket from it (issue 14 item 5).
#[test]
fn a_keytab_without_the_principal_is_warned_at_start() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("wrongkt");
    kdc.kinit(&cc, "norenew", "15s", None).expect("kinit");
    let other = kdc.keytab("alice");
    let extra = ["--krb-keytab", other.to_str().expect("utf-8")];
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &extra, &["sleep", "2"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(60));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let want = format!("--krb-keytab {}: no key for {} in it", other.display(), kdc.full("norenew"));
    assert_eq!(done.stderr.matches(&want).count(), 1, "{want:?} not said once:\n{}", done.stderr);
    let (at, _) = done.lines.iter().find(|(_, l)| l.contains(&want)).expect("the line");
    assert!(*at < 10.0, "said {at:.1} s after the start");
    assert!(!done.stderr.contains("duct will get a new one"), "a promise that cannot be kept:\n{}", done.stderr);
}

/// Kerberos options without --krb-renew do nothing, and duct says so once for each (issue 14 item 5).
#[test]
fn kerberos_options_without_krb_renew_are_warned() {
    let dir = TestDir::new();
    let mut cmd = duct(dir.path());
    cmd.args(["--krb-keytab", "/etc/krb5.keytab", "--krb-margin", "5m", "--krb-notify-cmd", "true", "--", "true"]);
    let out = output_with_timeout(&mut cmd, Duration::from_secs(30));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for flag in ["--krb-keytab", "--krb-margin", "--krb-notify-cmd"] {
        let want = format!("{flag} has no effect without --krb-renew");
        assert_eq!(err.matches(&want).count(), 1, "{want:?} not said once:\n{err}");
    }
    assert!(!err.contains("--krb-aklog has no effect"), "{err}");
}

/// Renewed up to its renewable life, the ticket's end reaches its renew-till: info.json still says until when
/// it could be renewed (issue 14 item 6).
#[test]
fn renew_until_stays_recorded_when_the_end_reaches_it() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("reachend");
    kdc.kinit(&cc, "alice", "15s", Some("25s")).expect("kinit");
    let initial = read_tgt(&cc).expect("a TGT");
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sleep", "20"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let last = read_tgt(&cc).expect("a TGT");
    assert!(last.end > initial.end, "never renewed:\n{}", done.stderr);
    let krb = &info(dir.path())["krb"];
    let until = krb["renew_until"].as_str().unwrap_or_else(|| panic!("no renew_until: {krb}"));
    assert!((parse_time(until) - initial.renew_till).abs() <= 1, "{until} vs {}: {krb}", initial.renew_till);
}

/// An aklog that fails after a successful renewal is an aklog failure, not a failed renewal (issue 14
/// item 6): `krb.failures` stays empty, `krb.aklog_failures` has it, and the summary line says which.
#[test]
fn an_aklog_failure_is_not_a_failed_renewal() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("aklogfail");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &["--krb-aklog=false"], &["sleep", "14"]);
    let done = Job::spawn(&mut cmd).finish(Duration::from_secs(90));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let krb = &info(dir.path())["krb"];
    assert!(!renewals(krb).is_empty(), "never renewed: {krb}");
    assert_eq!(krb["failures"].as_array().map(Vec::len), Some(0), "{krb}");
    assert!(krb["aklog_failures"].as_array().is_some_and(|a| !a.is_empty()), "{krb}");
    assert!(done.stderr.contains("aklog failed"), "{}", done.stderr);
    assert!(
        !done.stderr.contains(" renewals, 1 failed") && !done.stderr.contains(" renewal, 1 failed"),
        "{}",
        done.stderr
    );
}

/// While the job runs, the provisional info.json carries the `krb` section as it stands, so a duct killed
/// mid-run leaves its renewals on record (issue 14 item 6).
#[test]
fn the_provisional_info_json_keeps_the_krb_record_current() {
    let Some(kdc) = realm() else { return };
    let dir = TestDir::new();
    let cc = kdc.ccache("provisional");
    kdc.kinit(&cc, "alice", "15s", Some("5m")).expect("kinit");
    let mut cmd = duct_krb(&kdc, &cc, dir.path(), &[], &["sleep", "20"]);
    let job = Job::spawn(&mut cmd);
    let path = dir.path().join("logs/run_info.json");
    let end = std::time::Instant::now() + Duration::from_secs(60);
    let mut seen = None;
    while std::time::Instant::now() < end {
        let doc: Option<serde_json::Value> =
            std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str(&t).ok());
        if let Some(doc) = doc.filter(|d| {
            d["duct"]["state"] == "running" && d["krb"]["renewals"].as_array().is_some_and(|r| !r.is_empty())
        }) {
            seen = Some(doc);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = job.finish(Duration::from_secs(90));
    assert_eq!(done.code, 0, "{}", done.stderr);
    let doc = seen.unwrap_or_else(|| panic!("no renewal in the provisional info.json:\n{}", done.stderr));
    assert!(doc["execution_summary"]["exit_code"].is_null(), "{doc}");
}
