//! `duct krb-status`: will the job outlive its Kerberos ticket? Read-only.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Local, TimeZone};
use clap::Parser;
use serde_json::{Value, json};

use crate::krb::gssd::{self, GssdView};
use crate::krb::mounts::{self, PathMount};
use crate::krb::{self, CacheId, CacheStatus, KeytabStatus, KrbError, Tgt, TicketState};

pub const EXIT_OK: u8 = 0;
pub const EXIT_WILL_LAPSE: u8 = 1;
// 2, a usage error, is crate::exit::USAGE.
pub const EXIT_EXPIRED: u8 = 3;
pub const EXIT_NO_TICKET: u8 = 4;
pub const EXIT_ERROR: u8 = 5;

const TOOLS: [&str; 4] = ["kinit", "krenew", "k5start", "aklog"];

#[derive(Parser, Debug)]
#[command(
    name = "duct krb-status",
    about = "Show the Kerberos credential cache, its ticket-granting ticket, and whether a job of a given length \
will outlive it. Only reads: never changes a cache.",
    long_about = "Show which credential cache is in use (KRB5CCNAME, else krb5.conf's default_ccache_name) and its \
type, the principal, the TGT's start, end and renew-till times and flags, whether a keytab is available, which of \
kinit, krenew, k5start and aklog are on PATH, and the cache rpc.gssd would use for NFS (it ignores KRB5CCNAME). For \
each PATH: the mount it is on (by device number), its filesystem type, for NFS its sec= flavour, and whether it \
needs tickets. Only reads: never changes a cache, never contacts the KDC.",
    after_help = "Exit codes:\n  \
0  ok: the ticket is valid (and, with --for, lasts that long, renewing if needed)\n  \
1  valid now, but will lapse before --for ends (renewable life too short, or not renewable)\n  \
2  usage error\n  \
3  expired, or its renewable life is exhausted\n  \
4  no credentials cache, or no ticket-granting ticket in it\n  \
5  could not inspect (libkrb5 not found, unreadable or corrupt cache, broken krb5 configuration)",
    max_term_width = 100
)]
struct Args {
    /// Paths to check (default: the current directory and the directory of the output prefix).
    paths: Vec<PathBuf>,

    /// How long the job will run, e.g. 90s, 10m, 1h30m, 14h: the verdict says whether the ticket lasts that long.
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration)]
    for_: Option<Duration>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,

    /// A keytab duct could get fresh tickets from (`duct --krb-renew --krb-keytab`).
    #[arg(long, value_name = "PATH")]
    krb_keytab: Option<PathBuf>,

    /// The output prefix duct would use; its directory is checked when no PATH is given.
    #[arg(short = 'p', long, value_name = "PREFIX", env = "DUCT_OUTPUT_PREFIX", hide_env_values = true)]
    output_prefix: Option<String>,

    /// Write the man page to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true)]
    manual: bool,
}

/// The clap definition, for con-duct's man page and completions.
pub fn command() -> clap::Command {
    <Args as clap::CommandFactory>::command()
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (use e.g. 90s, 10m, 1h30m, 14h)"))?;
    if d.is_zero() { Err("must be more than 0".into()) } else { Ok(d) }
}

/// Runs `duct krb-status` with `args` (after the subcommand word); returns the exit code.
pub fn main(args: Vec<OsString>) -> u8 {
    let argv = std::iter::once(OsString::from("duct krb-status")).chain(args);
    let args = match Args::try_parse_from(argv) {
        Ok(a) => a,
        Err(e) => return crate::exit::from_clap(&e, "duct krb-status --help").unwrap_or_else(|e| e.tell()),
    };
    if args.manual {
        let page = clap_mangen::Man::new(<Args as clap::CommandFactory>::command().name("duct-krb-status"));
        let mut out = std::io::stdout().lock();
        return if page.render(&mut out).and_then(|()| out.flush()).is_ok() { EXIT_OK } else { EXIT_ERROR };
    }
    // Without libkrb5 nothing below can be inspected: say that, in one line, and stop.
    if let Err(e) = krb::ffi::library() {
        eprintln!("duct: krb-status: {e}");
        return EXIT_ERROR;
    }
    let report = gather(&args, now());
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&report.json()).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    } else {
        report.human()
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|()| out.flush()).is_err() {
        return EXIT_ERROR;
    }
    report.exit
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Everything `krb-status` found.
struct Report {
    now: i64,
    for_secs: Option<i64>,
    cache_name: Option<String>,
    cache: Result<CacheStatus, KrbError>,
    keytab: Option<KeytabStatus>,
    /// True when `keytab` is the one given with --krb-keytab.
    keytab_explicit: bool,
    gssd: Option<GssdView>,
    paths: Vec<PathMount>,
    tools: Vec<(&'static str, Option<PathBuf>)>,
    status: &'static str,
    reason: &'static str,
    exit: u8,
    verdict: String,
    renewals: Option<u64>,
    lapses_at: Option<i64>,
}

fn gather(args: &Args, now: i64) -> Report {
    let for_secs = args.for_.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4).max(1));
    let ctx = krb::Context::new();
    let (cache_name, cache) = match &ctx {
        Ok(ctx) => (ctx.default_cache_name().ok(), krb::read_cache(ctx, None)),
        Err(e) => (None, Err(e.clone())),
    };
    let principal = cache.as_ref().ok().and_then(|c| c.principal().map(str::to_string));
    let keytab_explicit = args.krb_keytab.is_some();
    let keytab = ctx.as_ref().ok().map(|ctx| {
        let path = args.krb_keytab.as_ref().map(|p| p.display().to_string());
        krb::keytab_status(ctx, path.as_deref(), principal.as_deref()).unwrap_or_else(|e| KeytabStatus {
            name: path.unwrap_or_else(|| "client keytab".into()),
            usable: false,
            has_principal: None,
            problem: Some(e.to_string()),
        })
    });
    let uid = nix::unistd::getuid().as_raw();
    let gssd = ctx.as_ref().ok().map(|ctx| gssd::gssd_view(ctx, gssd::GSSD_CONFIG, uid, now));
    let paths = if args.paths.is_empty() { default_paths(args.output_prefix.as_deref()) } else { args.paths.clone() };
    let paths = paths.iter().map(|p| mounts::mount_for_path(p)).collect();
    let tools = TOOLS.iter().map(|t| (*t, which(t))).collect();
    let mut r = Report {
        now,
        for_secs,
        cache_name,
        cache,
        keytab,
        keytab_explicit,
        gssd,
        paths,
        tools,
        status: "error",
        reason: "error",
        exit: EXIT_ERROR,
        verdict: String::new(),
        renewals: None,
        lapses_at: None,
    };
    r.assess();
    r
}

/// The current directory and the directory part of the output prefix.
fn default_paths(prefix: Option<&str>) -> Vec<PathBuf> {
    let prefix = prefix.unwrap_or(crate::log_paths::DEFAULT_OUTPUT_PREFIX);
    let rendered = prefix
        .replace("{datetime_filesafe}", &Local::now().format("%Y.%m.%dT%H.%M.%S").to_string())
        .replace("{datetime}", &Local::now().format("%Y.%m.%dT%H.%M.%S").to_string())
        .replace("{pid}", &std::process::id().to_string());
    let dir = if rendered.ends_with('/') {
        PathBuf::from(&rendered)
    } else {
        match Path::new(&rendered).parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let mut v = vec![PathBuf::from(".")];
    let same = std::fs::canonicalize(&dir).ok().zip(std::fs::canonicalize(".").ok()).is_some_and(|(a, b)| a == b);
    if !same {
        v.push(dir);
    }
    v
}

/// The first executable `name` on PATH.
fn which(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// Human duration, whole seconds: `1h 30m`, `45s`.
pub fn human_secs(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    let d = Duration::from_secs(if secs >= 3600 { secs / 60 * 60 } else { secs });
    humantime::format_duration(d).to_string()
}

fn local(ts: i64) -> String {
    match Local.timestamp_opt(ts, 0).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S %Z").to_string(),
        None => format!("@{ts}"),
    }
}

fn rfc3339(ts: i64) -> Value {
    match Local.timestamp_opt(ts, 0).single() {
        Some(t) => Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
        None => Value::Null,
    }
}

fn relative(ts: i64, now: i64) -> String {
    match ts.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", human_secs(ts - now)),
        std::cmp::Ordering::Equal => "now".to_string(),
        std::cmp::Ordering::Less => format!("{} ago", human_secs(now - ts)),
    }
}

impl Report {
    fn tgt(&self) -> Option<&Tgt> {
        self.cache.as_ref().ok().and_then(CacheStatus::tgt)
    }

    fn cache_id(&self) -> Option<CacheId> {
        match &self.cache {
            Ok(c) => Some(c.cache().clone()),
            Err(e) => e.cache.clone().or_else(|| {
                self.cache_name.as_ref().map(|n| CacheId { name: n.clone(), kind: krb::ccache::kind_from_name(n) })
            }),
        }
    }

    /// A keytab that can replace renewal: the explicit one, holding the principal.
    fn keytab_rescues(&self) -> Option<&KeytabStatus> {
        self.keytab.as_ref().filter(|k| self.keytab_explicit && k.usable && k.has_principal != Some(false))
    }

    fn set(&mut self, status: &'static str, reason: &'static str, exit: u8, verdict: String) {
        self.status = status;
        self.reason = reason;
        self.exit = exit;
        self.verdict = verdict;
    }

    fn assess(&mut self) {
        let now = self.now;
        let tgt = match &self.cache {
            Err(e) => {
                let v = format!("could not inspect the credentials: {e}");
                self.set("error", "error", EXIT_ERROR, v);
                return;
            }
            Ok(CacheStatus::NoCache { cache }) => {
                let v = format!("no credentials cache ({} does not exist): run kinit", cache.name);
                self.set("no_ticket", "no_cache", EXIT_NO_TICKET, v);
                return;
            }
            Ok(CacheStatus::NoTgt { cache, principal }) => {
                let v = format!("no ticket-granting ticket for {principal} in {}: run kinit", cache.name);
                self.set("no_ticket", "no_tgt", EXIT_NO_TICKET, v);
                return;
            }
            Ok(CacheStatus::Tgt { tgt, .. }) => tgt.clone(),
        };
        let renew_advice = "get a new ticket: kinit (with a longer -r for a long job), or give duct a keytab \
(duct --krb-renew --krb-keytab PATH)";
        match tgt.state_at(now) {
            TicketState::RenewableLifeExhausted => {
                let v = format!(
                    "expired: the ticket ended at {} and its renewable life ended at {} ({}); renewing cannot \
extend it: {renew_advice}",
                    local(tgt.endtime),
                    local(tgt.renew_till),
                    relative(tgt.renew_till, now)
                );
                self.set("expired", "renewable_life_exhausted", EXIT_EXPIRED, v);
            }
            TicketState::Expired { renewable: true } => {
                let left = (tgt.endtime + krb::RENEW_AFTER_EXPIRY_GRACE - now).min(tgt.renew_till - now);
                let v = format!(
                    "expired at {} ({}); the KDC may still renew it (kinit -R) for about {} (its clock skew), \
after that only a new kinit helps",
                    local(tgt.endtime),
                    relative(tgt.endtime, now),
                    human_secs(left)
                );
                self.set("expired", "expired", EXIT_EXPIRED, v);
            }
            TicketState::Expired { renewable: false } => {
                let why = if tgt.renewable() { "too long ago to renew" } else { "not renewable" };
                let v = format!("expired at {} ({}), {why}: run kinit", local(tgt.endtime), relative(tgt.endtime, now));
                self.set("expired", "expired", EXIT_EXPIRED, v);
            }
            TicketState::Valid => self.assess_valid(&tgt),
        }
    }

    fn assess_valid(&mut self, tgt: &Tgt) {
        let now = self.now;
        let renew_part = if tgt.renewable() {
            format!("renewable until {} ({})", local(tgt.renew_till), relative(tgt.renew_till, now))
        } else {
            "not renewable".to_string()
        };
        let Some(for_secs) = self.for_secs else {
            let v = format!("valid until {} ({}), {renew_part}", local(tgt.endtime), relative(tgt.endtime, now));
            self.set("ok", "valid", EXIT_OK, v);
            return;
        };
        let until = now.saturating_add(for_secs);
        let job = format!("a job of {} (until {})", human_secs(for_secs), local(until));
        match krb::renewals_needed(tgt, now, until, krb::default_renew_margin) {
            Some(0) => {
                let v = format!("lasts: valid until {}, beyond {job}", local(tgt.endtime));
                self.renewals = Some(0);
                self.set("ok", "valid", EXIT_OK, v);
            }
            Some(n) => {
                let v = format!(
                    "lasts only if renewed: valid until {} ({}), {renew_part}; duct --krb-renew would renew it \
about {n} time{} during {job}",
                    local(tgt.endtime),
                    relative(tgt.endtime, now),
                    if n == 1 { "" } else { "s" }
                );
                self.renewals = Some(n);
                self.set("ok", "valid", EXIT_OK, v);
            }
            None => {
                let lapse = tgt.renewable_until();
                self.lapses_at = Some(lapse);
                let cause = if tgt.renewable() { "its renewable life ends" } else { "it is not renewable" };
                if let Some(k) = self.keytab_rescues() {
                    let v = format!(
                        "lasts with the keytab: the ticket can be kept only until {} because {cause}, but duct \
--krb-renew --krb-keytab {} can get fresh tickets from it during {job}",
                        local(lapse),
                        k.name.strip_prefix("FILE:").unwrap_or(&k.name)
                    );
                    self.set("ok", "keytab", EXIT_OK, v);
                    return;
                }
                let need = until - tgt.starttime;
                let v = format!(
                    "will lapse at {} ({}), {} before the end of {job}, because {cause}; before starting, \
get a ticket renewable for longer (kinit -r {}, if the KDC allows it) or use a keytab (duct --krb-renew \
--krb-keytab PATH)",
                    local(lapse),
                    relative(lapse, now),
                    human_secs(until - lapse),
                    human_secs(need + 3600).replace(' ', "")
                );
                self.set(
                    "will_lapse",
                    if tgt.renewable() { "renewable_life_ends" } else { "not_renewable" },
                    EXIT_WILL_LAPSE,
                    v,
                );
            }
        }
    }

    fn gssd_differs(&self) -> Option<bool> {
        let g = self.gssd.as_ref()?;
        let ours = self.cache_id()?;
        Some(!g.chosen.as_ref().is_some_and(|c| gssd::same_cache(c, &ours.name)))
    }

    fn human(&self) -> String {
        let now = self.now;
        let mut o = String::new();
        let mut line = |k: &str, v: String| o.push_str(&format!("{k:<13}{v}\n"));
        match self.cache_id() {
            Some(c) => line("cache:", format!("{} (type {})", c.name, c.kind)),
            None => line("cache:", "unknown".into()),
        }
        if let Some(p) = self.cache.as_ref().ok().and_then(CacheStatus::principal) {
            line("principal:", p.to_string());
        }
        if let Some(t) = self.tgt() {
            line("ticket:", t.server.clone());
            // Each label in the tense its time calls for: a past end "expired", not "expires" (issue 14 item 6).
            let starts = if t.starttime > now { "starts:" } else { "started:" };
            line(starts, format!("{} ({})", local(t.starttime), relative(t.starttime, now)));
            let expires = if t.endtime > now { "expires:" } else { "expired:" };
            line(expires, format!("{} ({})", local(t.endtime), relative(t.endtime, now)));
            if t.renewable() {
                let over = if t.renew_till <= now { "; its renewable life is over" } else { "" };
                line("renew until:", format!("{} ({}{over})", local(t.renew_till), relative(t.renew_till, now)));
            } else if t.renew_till != 0 {
                line("renew until:", format!("{} (not after the end time: not renewable)", local(t.renew_till)));
            } else {
                line("renew until:", "- (not renewable)".into());
            }
            let flags = t.flag_names();
            line("flags:", if flags.is_empty() { "none".into() } else { flags.join(", ") });
        }
        if let Some(k) = &self.keytab {
            let which = if self.keytab_explicit { "" } else { "client keytab " };
            let v = if k.usable {
                match k.has_principal {
                    Some(true) => format!("{which}{} (has a key for the principal)", k.name),
                    Some(false) => format!("{which}{} (no key for the principal)", k.name),
                    None => format!("{which}{} (usable)", k.name),
                }
            } else {
                let none = if self.keytab_explicit { "" } else { "none; " };
                format!("{none}{which}{}: {}", k.name, k.problem.as_deref().unwrap_or("not usable"))
            };
            line("keytab:", v);
        }
        let tools: Vec<String> = self
            .tools
            .iter()
            .map(|(n, p)| match p {
                Some(p) => format!("{n} ({})", p.display()),
                None => format!("{n} (not found)"),
            })
            .collect();
        line("tools:", tools.join(", "));
        if let Some(g) = &self.gssd {
            let root = if g.uid == 0 { "; as root, rpc.gssd uses the machine keytab unless run with -n" } else { "" };
            let v = match (&g.chosen, self.gssd_differs()) {
                (Some(_), Some(false)) => format!("uses this cache{root}"),
                (Some(c), _) => format!(
                    "would use {c}{}, not this cache (it ignores KRB5CCNAME){root}",
                    if g.from_scan { " (found in /tmp or /run/user)" } else { "" }
                ),
                (None, _) => format!(
                    "would find no valid cache for uid {} (its default: {}; it ignores KRB5CCNAME){root}",
                    g.uid, g.default_name
                ),
            };
            line("rpc.gssd:", v);
        }
        for p in &self.paths {
            let what = match &p.mount {
                Some(m) => {
                    let sec = m.sec().map(|s| format!(", sec={s}")).unwrap_or_default();
                    let need = if m.needs_tickets() { "NEEDS Kerberos tickets" } else { "no tickets needed" };
                    format!("on {} ({}{sec}): {need}", m.mount_point.display(), m.fstype)
                }
                None => format!("mount unknown: {}", p.problem.as_deref().unwrap_or("?")),
            };
            let missing =
                if p.exists { String::new() } else { format!(" (does not exist; nearest: {})", p.probed.display()) };
            line("path:", format!("{}{missing} {what}", p.path.display()));
        }
        line("status:", self.status.to_string());
        line("verdict:", self.verdict.clone());
        o
    }

    fn json(&self) -> Value {
        let t = self.tgt();
        let ccache = match self.cache_id() {
            Some(c) => json!({"name": c.name, "type": c.kind.as_str()}),
            None => json!({"name": null, "type": null}),
        };
        let paths: Vec<Value> = self
            .paths
            .iter()
            .map(|p| {
                json!({
                    "path": p.path.display().to_string(),
                    "exists": p.exists,
                    "mount_point": p.mount.as_ref().map(|m| m.mount_point.display().to_string()),
                    "fstype": p.mount.as_ref().map(|m| m.fstype.clone()),
                    "source": p.mount.as_ref().map(|m| m.source.clone()),
                    "sec": p.sec(),
                    "needs_tickets": p.needs_tickets(),
                    "error": p.problem,
                })
            })
            .collect();
        let mut tools = serde_json::Map::new();
        for (n, p) in &self.tools {
            tools.insert((*n).to_string(), p.as_ref().map_or(Value::Null, |p| json!(p.display().to_string())));
        }
        json!({
            "ccache": ccache,
            "principal": self.cache.as_ref().ok().and_then(CacheStatus::principal),
            "starts": t.map_or(Value::Null, |t| rfc3339(t.starttime)),
            "expires": t.map_or(Value::Null, |t| rfc3339(t.endtime)),
            "renew_until": t.filter(|t| t.renew_till != 0).map_or(Value::Null, |t| rfc3339(t.renew_till)),
            // An exhausted ticket still carries the flag, but cannot be renewed any more.
            "renewable": t.is_some_and(|t| t.renewable() && t.renew_till > self.now),
            "forwardable": t.is_some_and(Tgt::forwardable),
            "flags": t.map(Tgt::flag_names).unwrap_or_default(),
            "seconds_left": t.map(|t| (t.endtime - self.now).max(0)),
            "renewable_seconds_left": t.filter(|t| t.renewable() && t.renew_till > self.now).map(|t| t.renew_till - self.now),
            "status": self.status,
            "reason": self.reason,
            "error": self.cache.as_ref().err().map(ToString::to_string),
            "for_seconds": self.for_secs,
            "renewals_needed": self.renewals,
            "lapses_at": self.lapses_at.map_or(Value::Null, rfc3339),
            "keytab": self.keytab.as_ref().map(|k| json!({
                "name": k.name,
                "explicit": self.keytab_explicit,
                "usable": k.usable,
                "has_principal": k.has_principal,
                "problem": k.problem,
            })),
            "gssd": self.gssd.as_ref().map(|g| json!({
                "uid": g.uid,
                "default_cache": g.default_name,
                "would_use": g.chosen,
                "from_scan": g.from_scan,
                "differs": self.gssd_differs(),
            })),
            "paths": paths,
            "tools": tools,
            "verdict": self.verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("14h"), Ok(Duration::from_secs(14 * 3600)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_secs(45), "45s");
        assert_eq!(human_secs(5400), "1h 30m");
        assert_eq!(human_secs(3725), "1h 2m");
    }

    #[test]
    fn prefix_directory() {
        assert_eq!(default_paths(Some("/nonexistent/logs/run_"))[1], PathBuf::from("/nonexistent/logs"));
        assert_eq!(default_paths(Some("/nonexistent/logs/"))[1], PathBuf::from("/nonexistent/logs/"));
        let d = default_paths(Some(".duct/logs/{datetime}-{pid}_"));
        assert_eq!(d.last(), Some(&PathBuf::from(".duct/logs")));
    }
}
