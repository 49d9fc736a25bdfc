//! `--krb-renew`: a thread that keeps the job's Kerberos ticket alive. It reads the cache, sleeps until the
//! ticket is a margin from its end (waking at least every minute, so a suspend or a clock jump is noticed
//! within a minute), renews in place (or runs the user's command, or takes a new ticket from a keytab),
//! checks the new end time, and tells its owner through the `on_renewed` callback (the run reopens every log
//! file then). Problems are warnings: the command is never stopped or signalled because of Kerberos.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Serialize;

use super::ffi::Context;
use super::{CacheStatus, Tgt, TicketState, default_renew_margin, gssd, hooks, renew};
use crate::config::KrbConfig;

/// Longest sleep: ticket times are wall-clock, and a suspended machine or a clock jump must be noticed soon.
const MAX_SLEEP: i64 = 60;
const RETRY_FIRST: i64 = 5;

#[derive(Debug, Clone, Serialize)]
pub struct Renewal {
    pub time: String,
    pub how: String,
    pub new_end: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub time: String,
    pub reason: String,
}

/// What info.json records in its `krb` section.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Record {
    pub principal: Option<String>,
    pub ccache: Option<String>,
    pub ccache_type: Option<String>,
    pub expires: Option<String>,
    pub renew_until: Option<String>,
    pub renewals: Vec<Renewal>,
    pub failures: Vec<Failure>,
    /// Failed runs of --krb-aklog: the ticket was fine, the AFS token was not refreshed.
    pub aklog_failures: Vec<Failure>,
    pub warnings: Vec<String>,
    /// How far this machine's clock is ahead of the KDC's (seconds; negative: behind), as learnt from the
    /// tickets duct got: ticket times are the KDC's.
    #[serde(skip)]
    pub clock_ahead: i64,
}

impl Record {
    /// The summary's one line.
    pub fn line(&self) -> String {
        let n = self.renewals.len();
        let mut failures =
            if self.failures.is_empty() { String::new() } else { format!(", {} failed", self.failures.len()) };
        if !self.aklog_failures.is_empty() {
            failures.push_str(&format!(", aklog failed {} time(s)", self.aklog_failures.len()));
        }
        // After a lapse the end time is past: say so, never "valid until" a time gone by (issue 14 item 6).
        let past = self
            .expires
            .as_deref()
            .and_then(|e| chrono::DateTime::parse_from_rfc3339(e).ok())
            .is_some_and(|e| e.timestamp() <= now() - self.clock_ahead);
        let ticket = match &self.expires {
            // No ticket was ever read (no cache, no TGT): nothing to say "valid until" of.
            None => "no ticket".to_string(),
            Some(until) if past => format!("ticket expired at {until}"),
            Some(until) => format!("ticket valid until {until}"),
        };
        format!("Kerberos: {n} renewal{}{failures}; {ticket}", if n == 1 { "" } else { "s" })
    }
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono::Local).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_else(|| t.to_string())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn lock(r: &Mutex<Record>) -> MutexGuard<'_, Record> {
    r.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct Watcher {
    stop: mpsc::Sender<()>,
    handle: Option<JoinHandle<()>>,
    record: Arc<Mutex<Record>>,
    hooks: hooks::Groups,
}

/// Called on the watcher's thread after each renewal that extended the ticket.
pub type OnRenewed = Box<dyn Fn() + Send>;

impl Watcher {
    /// Starts the watcher thread; `on_renewed` runs after each renewal (handles opened under the old ticket
    /// may be dead on NFS sec=krb5, so the run reopens its log files there).
    pub fn start(cfg: KrbConfig, on_renewed: OnRenewed) -> Watcher {
        let record = Arc::new(Mutex::new(Record::default()));
        let (stop, stopped) = mpsc::channel();
        let rec = Arc::clone(&record);
        let groups = hooks::Groups::default();
        let hooks = groups.clone();
        let handle = std::thread::Builder::new()
            .name("krb-renew".into())
            .spawn(move || {
                crate::guard("Kerberos watcher", || State::new(cfg, rec, groups, on_renewed).run(&stopped));
            })
            .map_err(|e| tracing::error!("cannot start the Kerberos watcher: {e}"))
            .ok();
        Watcher { stop, handle, record, hooks }
    }

    /// What has happened so far.
    pub fn record(&self) -> Record {
        lock(&self.record).clone()
    }

    pub fn stop(mut self) -> Record {
        let _ = self.stop.send(());
        // A hook still running (or its background children) must not outlive duct.
        self.hooks.kill_all();
        if let Some(h) = self.handle.take() {
            // The watcher may be inside a hook: its group was just killed, so the hook returns within a
            // second or so (its pipe readers wait 0.5 s each); wait that long for the record to be final, but
            // never hold duct's exit for a hook stuck past it.
            let end = std::time::Instant::now() + Duration::from_secs(3);
            while !h.is_finished() && std::time::Instant::now() < end {
                std::thread::sleep(Duration::from_millis(20));
            }
            if h.is_finished() {
                let _ = h.join();
            }
        }
        lock(&self.record).clone()
    }
}

/// What the watcher said already, so each condition is one warning, not one a minute.
#[derive(Default)]
struct Said {
    started: bool,
    /// The kinds of problem warned about (see [`State::problem`]).
    problems: Vec<String>,
    exhaustion_warned: bool,
    /// The end time of a ticket that lapsed before duct could renew it (said once per lapse).
    lapsed: Option<i64>,
    notified: Option<String>,
    margin_clamped: bool,
    rate_limited: bool,
    /// The last renewal failed because no KDC answered (the reason a lapse is notified with).
    kdc_unreachable: bool,
    /// The clock offset last said.
    clock_ahead: i64,
}

/// Kinds of problem that stay said when a renewal succeeds: they are not about the ticket's state, and a
/// renewal does not fix them.
const STICKY_PROBLEMS: [&str; 4] = ["aklog", "nfs", "not_renewable", "notify"];

/// A clock offset smaller than this is noise (whole-second times, a slow renewal) and is ignored.
const CLOCK_NOISE: i64 = 5;

struct State {
    cfg: KrbConfig,
    record: Arc<Mutex<Record>>,
    said: Said,
    retry_in: i64,
    hooks: hooks::Groups,
    /// When the last renewal succeeded, for the rate limit.
    last_renewal: Option<i64>,
    /// The end time of the ticket duct last tried to renew: a ticket found lapsed is said to have lapsed only
    /// once renewing it has been tried (at start, by a clock duct has not compared with the KDC's yet, a
    /// valid ticket can look lapsed).
    attempted: Option<i64>,
    /// This machine's clock minus the KDC's, learnt from the start time of each ticket duct got (the KDC
    /// sets it to its own time): every decision is made on the KDC's clock, so a clock minutes ahead does
    /// not make each new ticket look due at once (issue 14 item 2).
    clock_ahead: i64,
    on_renewed: OnRenewed,
}

enum Outcome {
    /// Sleep this many seconds, then look again.
    Sleep(i64),
}

impl State {
    fn new(cfg: KrbConfig, record: Arc<Mutex<Record>>, hooks: hooks::Groups, on_renewed: OnRenewed) -> State {
        State {
            cfg,
            record,
            said: Said::default(),
            retry_in: RETRY_FIRST,
            hooks,
            last_renewal: None,
            attempted: None,
            clock_ahead: 0,
            on_renewed,
        }
    }

    fn run(&mut self, stopped: &mpsc::Receiver<()>) {
        self.check_setup();
        loop {
            let Outcome::Sleep(secs) = self.tick();
            let secs = secs.clamp(1, MAX_SLEEP);
            match stopped.recv_timeout(Duration::from_secs(secs as u64)) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    /// Problems found at start, not hours later when they matter (issue 14 item 5): each one warning, and
    /// what cannot work is dropped, so the start message never promises a refresh that cannot happen.
    fn check_setup(&mut self) {
        let mut said = Vec::new();
        if let Some(kt) = &self.cfg.keytab
            && let Err(e) = std::fs::File::open(kt)
        {
            said.push(format!("Kerberos: --krb-keytab {}: {e}; duct cannot get a new ticket from it", kt.display()));
            self.cfg.keytab = None;
        }
        if let Some(prog) = self.cfg.renew_cmd.as_ref().and_then(|a| a.first()).filter(|p| !program_exists(p)) {
            said.push(format!("Kerberos: --krb-renew-cmd: program '{prog}' not found; duct renews by itself instead"));
            self.cfg.renew_cmd = None;
        }
        if let Some(prog) = self.cfg.notify_cmd.as_ref().and_then(|a| a.first()).filter(|p| !program_exists(p)) {
            said.push(format!("Kerberos: --krb-notify-cmd: program '{prog}' not found; nothing will be notified"));
            self.cfg.notify_cmd = None;
        }
        if let Some(prog) = self.aklog_argv().and_then(|a| a.first().cloned()).filter(|p| !program_exists(p)) {
            said.push(format!("Kerberos: --krb-aklog: program '{prog}' not found; AFS tokens will not be refreshed"));
            self.cfg.aklog = None;
        }
        for text in said {
            tracing::warn!("{text}");
            lock(&self.record).warnings.push(text);
        }
    }

    /// --krb-aklog split into words like the other hook options (`--krb-aklog='aklog -c cell'`).
    fn aklog_argv(&self) -> Option<Vec<String>> {
        let prog = self.cfg.aklog.as_deref()?;
        shell_words::split(prog).ok().filter(|w| !w.is_empty()).or_else(|| Some(vec![prog.to_string()]))
    }

    fn cache(&self) -> Option<&str> {
        self.cfg.ccache.as_deref()
    }

    /// The margin for this ticket. A margin at or above the lifetime would make every renewed ticket due
    /// again at once (a renewal storm): it is clamped to the default, with one warning.
    fn margin(&mut self, tgt: &Tgt) -> i64 {
        let lifetime = tgt.lifetime();
        let Some(m) = self.cfg.margin.map(|m| m.as_secs() as i64) else { return default_renew_margin(lifetime) };
        if lifetime > 0 && m >= lifetime {
            let clamped = default_renew_margin(lifetime);
            if !self.said.margin_clamped {
                self.said.margin_clamped = true;
                let text = format!(
                    "Kerberos: --krb-margin {m}s is not shorter than the ticket's lifetime ({lifetime}s); duct renews {clamped}s before the end instead"
                );
                tracing::warn!("{text}");
                lock(&self.record).warnings.push(text);
            }
            return clamped;
        }
        m
    }

    /// Seconds to wait before the next renewal may run: at most one per a tenth of the lifetime or 10 s,
    /// whichever is longer, so a skewed clock or an odd margin cannot hammer the KDC. Said once.
    fn rate_limit_wait(&mut self, tgt: &Tgt, now: i64) -> i64 {
        let Some(last) = self.last_renewal else { return 0 };
        let interval = min_renewal_interval(tgt.lifetime());
        let wait = last + interval - now;
        if wait > 0 && !self.said.rate_limited {
            self.said.rate_limited = true;
            let text = format!("Kerberos: renewals are due too often; duct renews at most once every {interval}s");
            tracing::warn!("{text}");
            lock(&self.record).warnings.push(text);
        }
        wait.max(0)
    }

    /// Say a problem once per kind: not again while it lasts, however its text changes (an end time, a
    /// count), until a renewal leaves a valid ticket (kinds in [`STICKY_PROBLEMS`] stay said even then).
    /// Whether it was said now.
    fn problem(&mut self, kind: &str, text: String) -> bool {
        if self.said.problems.iter().any(|k| k == kind) {
            return false;
        }
        tracing::warn!("{text}");
        lock(&self.record).warnings.push(text);
        self.said.problems.push(kind.to_string());
        true
    }

    /// The time by the KDC's clock, as far as duct has learnt it.
    fn kdc_now(&self) -> i64 {
        now() - self.clock_ahead
    }

    /// Learn the clock offset from a ticket the KDC issued between `began` and `ended` (this machine's
    /// clock): its start time is the KDC's time then.
    fn learn_clock(&mut self, start: i64, began: i64, ended: i64) {
        let ahead = if start < began - CLOCK_NOISE {
            began - start
        } else if start > ended + CLOCK_NOISE {
            ended - start
        } else {
            0
        };
        self.clock_ahead = ahead;
        lock(&self.record).clock_ahead = ahead;
        if (ahead - self.said.clock_ahead).abs() >= 60 || (self.said.clock_ahead == 0 && ahead != 0) {
            self.said.clock_ahead = ahead;
            let text = if ahead == 0 {
                "Kerberos: this machine's clock agrees with the KDC's again".to_string()
            } else {
                format!(
                    "Kerberos: this machine's clock is about {}s {} the KDC's (from the ticket it just issued); duct times renewals by the KDC's clock",
                    ahead.abs(),
                    if ahead > 0 { "ahead of" } else { "behind" }
                )
            };
            tracing::warn!("{text}");
            lock(&self.record).warnings.push(text);
        }
    }

    fn tick(&mut self) -> Outcome {
        let ctx = match Context::new() {
            Ok(c) => c,
            Err(e) => {
                self.problem("krb5", format!("Kerberos: {e}"));
                return Outcome::Sleep(MAX_SLEEP);
            }
        };
        let status = match super::ccache::read_cache(&ctx, self.cache()) {
            Ok(s) => s,
            Err(e) => {
                self.problem("cache", format!("Kerberos: cannot read the credential cache: {e}"));
                return Outcome::Sleep(MAX_SLEEP);
            }
        };
        let now = self.kdc_now();
        if !self.said.started {
            self.said.started = true;
            self.announce(&ctx, &status, now);
        }
        match status {
            CacheStatus::NoCache { cache } => self.no_ticket(&ctx, format!("no credentials cache {}", cache.name)),
            CacheStatus::NoTgt { cache, principal } => self
                .no_ticket(&ctx, format!("the cache {} holds no ticket-granting ticket for {principal}", cache.name)),
            CacheStatus::Tgt { cache, principal, tgt } => {
                {
                    let mut r = lock(&self.record);
                    r.principal = Some(principal.clone());
                    r.ccache = Some(cache.name.clone());
                    r.ccache_type = Some(cache.kind.as_str().to_string());
                    r.expires = Some(rfc3339(tgt.endtime));
                    r.renew_until = tgt.has_renewable_life().then(|| rfc3339(tgt.renew_till));
                }
                self.with_ticket(&ctx, &principal, &tgt, now)
            }
        }
    }

    /// A keytab that holds no key for the job's principal cannot give it a ticket: one warning at start, and
    /// it is dropped, so that the start message promises nothing from it.
    fn check_keytab_principal(&mut self, ctx: &Context, status: &CacheStatus) {
        let Some(keytab) = self.cfg.keytab.clone() else { return };
        let Some(principal) = self.cfg.principal.clone().or_else(|| status.principal().map(str::to_string)) else {
            return;
        };
        let path = keytab.to_string_lossy();
        if let Ok(st) = crate::krb::keytab_status(ctx, Some(&path), Some(&principal))
            && st.has_principal == Some(false)
        {
            let text = format!(
                "Kerberos: --krb-keytab {}: no key for {principal} in it; duct cannot get a new ticket from it",
                keytab.display()
            );
            tracing::warn!("{text}");
            lock(&self.record).warnings.push(text);
            self.cfg.keytab = None;
        }
    }

    /// At start: what duct will do with this ticket, and whether NFS even uses this cache.
    fn announce(&mut self, ctx: &Context, status: &CacheStatus, now: i64) {
        self.check_keytab_principal(ctx, status);
        let name = status.cache().name.clone();
        if let Some(tgt) = status.tgt() {
            let margin = self.margin(tgt);
            match start_message(tgt, &name, now, margin, self.can_refresh()) {
                Start::Info(text) => tracing::info!("{text}"),
                Start::Warning(text) => {
                    self.problem("not_renewable", text);
                }
            }
        }
        // rpc.gssd ignores KRB5CCNAME: if NFS would use another cache, renewing this one does not help it.
        let uid = nix::unistd::getuid().as_raw();
        let view = gssd::gssd_view(ctx, gssd::GSSD_CONFIG, uid, now);
        if let Some(chosen) = &view.chosen
            && !gssd::same_cache(chosen, &name)
        {
            self.problem("nfs", format!(
                "Kerberos: NFS (rpc.gssd) would use the cache {chosen}, not {name} which duct keeps alive; run duct with KRB5CCNAME={chosen} (or --krb-ccache) to keep the one NFS uses"
            ));
        }
    }

    fn no_ticket(&mut self, ctx: &Context, what: String) -> Outcome {
        if self.refresh(ctx, &what) {
            return Outcome::Sleep(1);
        }
        self.problem("no_ticket", format!("Kerberos: {what}; nothing to renew"));
        self.notify(ctx, "no_ticket", None);
        Outcome::Sleep(MAX_SLEEP)
    }

    fn with_ticket(&mut self, ctx: &Context, principal: &str, tgt: &Tgt, now: i64) -> Outcome {
        let margin = self.margin(tgt);
        // The rate limit counts on this machine's clock: learning the KDC's must not move past renewals.
        let local = now + self.clock_ahead;
        // One margin before renewable life ends: the last chance to act (keytab, a fresh kinit).
        if tgt.renewable() && now >= tgt.renew_till - margin && !self.said.exhaustion_warned && !self.can_refresh() {
            self.said.exhaustion_warned = true;
            let text = exhaustion_message(principal, tgt, now);
            tracing::warn!("{text}");
            lock(&self.record).warnings.push(text);
            self.notify(ctx, "renewable_life_ending", Some(tgt));
        }
        // A ticket that lapsed anyway (KDC down, machine asleep) and that renewing did not revive yet: say so
        // once, and until when it can be revived. Not before renewing it was tried: a ticket that only looks
        // lapsed by a clock ahead of the KDC's is valid once renewed (and a revived one is said in `verify`).
        if tgt.state_at(now) == (TicketState::Expired { renewable: true })
            && self.said.lapsed != Some(tgt.endtime)
            && self.attempted == Some(tgt.endtime)
        {
            self.said.lapsed = Some(tgt.endtime);
            let text = format!(
                "Kerberos: the ticket of {principal} expired at {}; duct keeps trying to renew it until about {} (the KDC's clock skew)",
                rfc3339(tgt.endtime),
                rfc3339(tgt.endtime + super::RENEW_AFTER_EXPIRY_GRACE)
            );
            if self.problem("lapse", text) {
                // Not foreseen: the notify hook hears of it too, once per lapse (issue 14 item 3).
                let reason = if self.said.kdc_unreachable { "kdc_unreachable" } else { "expired" };
                self.said.notified = None;
                self.notify(ctx, reason, Some(tgt));
            }
        }
        match decide(tgt, now, margin, self.can_refresh()) {
            Action::Wait(secs) => {
                self.retry_in = RETRY_FIRST;
                let warn_in = if self.said.exhaustion_warned || !tgt.renewable() {
                    i64::MAX
                } else {
                    tgt.renew_till - margin - now
                };
                Outcome::Sleep(secs.min(warn_in.max(1)))
            }
            Action::Renew | Action::Refresh if self.rate_limit_wait(tgt, local) > 0 => {
                Outcome::Sleep(self.rate_limit_wait(tgt, local))
            }
            Action::Renew => {
                self.attempted = Some(tgt.endtime);
                let renewed = if self.cfg.renew_cmd.is_some() {
                    self.renew_with_command(ctx, Some(tgt))
                } else {
                    self.renew_builtin(ctx, tgt)
                };
                if renewed {
                    // The tick's time, not the end of the renewal: a renewal due exactly one interval later
                    // (15 s tickets, 5 s margin, 10 s limit) is not held back by the renewal's own duration.
                    self.last_renewal = Some(local);
                    return Outcome::Sleep(1);
                }
                // A failed renewal: back off while time remains, and look again just after the end time, to
                // say at once if the ticket lapsed.
                let wait = self.retry_in;
                self.retry_in = (self.retry_in * 2).min(MAX_SLEEP);
                Outcome::Sleep(retry_after(wait, tgt.endtime, now))
            }
            Action::Refresh => {
                if self.refresh(ctx, "the ticket cannot be renewed") {
                    self.last_renewal = Some(local);
                    return Outcome::Sleep(1);
                }
                let wait = self.retry_in;
                self.retry_in = (self.retry_in * 2).min(MAX_SLEEP);
                Outcome::Sleep(wait)
            }
            Action::Lapse(reason) => {
                self.problem(
                    "cannot_renew",
                    format!(
                        "Kerberos: the ticket of {principal} {} at {} and cannot be renewed ({reason})",
                        if now < tgt.endtime { "ends" } else { "ended" },
                        rfc3339(tgt.endtime)
                    ),
                );
                // A lapse already notified as such (the KDC was down) is not notified again when it can no
                // longer be revived.
                if self.said.lapsed != Some(tgt.endtime) {
                    self.notify(ctx, reason_code(reason), Some(tgt));
                }
                Outcome::Sleep(if now < tgt.endtime { tgt.endtime - now } else { MAX_SLEEP })
            }
        }
    }

    /// Check that the cache now ends later than `old` did, and record the renewal. `began`: this machine's
    /// time when the renewal began (the new ticket's start time, the KDC's then, tells the clocks' offset).
    fn verify(&mut self, ctx: &Context, how: &str, old: Option<&Tgt>, began: i64) -> bool {
        let (old_start, old_end) = old.map_or((0, 0), |t| (t.starttime, t.endtime));
        match super::ccache::read_cache(ctx, self.cache()) {
            Ok(CacheStatus::Tgt { tgt, .. }) if tgt.endtime > old_end || tgt.starttime > old_start => {
                self.learn_clock(tgt.starttime, began, now());
                let kdc_began = began - self.clock_ahead;
                if tgt.endtime <= old_end {
                    // A new ticket that ends no later (issued the second the old one was, or capped at
                    // renew_till): the KDC answered; there is nothing to record, and nothing failed.
                    tracing::info!(
                        "Kerberos: {how} got a new ticket that ends when the old one did ({})",
                        rfc3339(tgt.endtime)
                    );
                    return true;
                }
                let new_end = rfc3339(tgt.endtime);
                tracing::info!("{}", renewed_message(how, &tgt, self.kdc_now()));
                {
                    let mut r = lock(&self.record);
                    r.renewals.push(Renewal { time: rfc3339(now()), how: how.to_string(), new_end: new_end.clone() });
                    r.expires = Some(new_end);
                }
                // Revived after it had lapsed (a machine asleep past the end, a clock jump): said once.
                if let Some(old) = old.filter(|o| o.endtime > 0 && o.endtime < kdc_began) {
                    self.problem(
                        "lapse",
                        format!(
                            "Kerberos: the ticket of {} had expired at {}, {}s before duct renewed it (a suspended machine, or a clock jump?)",
                            old.client,
                            rfc3339(old.endtime),
                            kdc_began - old.endtime
                        ),
                    );
                }
                if tgt.state_at(self.kdc_now()) == TicketState::Valid {
                    self.said.problems.retain(|k| STICKY_PROBLEMS.contains(&k.as_str()));
                }
                self.retry_in = RETRY_FIRST;
                (self.on_renewed)();
                self.aklog();
                true
            }
            Ok(other) => {
                let end = other.tgt().map(|t| rfc3339(t.endtime)).unwrap_or_else(|| "no ticket".into());
                self.failed("no_effect", format!("{how} did not extend the ticket (cache now: {end})"));
                false
            }
            Err(e) => {
                self.failed("cache", format!("{how}: cannot read the cache afterwards: {e}"));
                false
            }
        }
    }

    /// A failed renewal (or hook), recorded each time and said once per `kind`.
    fn failed(&mut self, kind: &str, reason: String) {
        lock(&self.record).failures.push(Failure { time: rfc3339(now()), reason: reason.clone() });
        self.problem(kind, format!("Kerberos: {reason}"));
    }

    fn renew_builtin(&mut self, ctx: &Context, tgt: &Tgt) -> bool {
        let began = now();
        match renew::renew(ctx, self.cache()) {
            Ok(issued) => {
                self.said.kdc_unreachable = false;
                self.learn_clock(issued.starttime, began, now());
                if issued.endtime <= tgt.endtime {
                    // Renewed the second the ticket was issued, or capped at renew_till: the KDC answered and
                    // the cache holds its answer; nothing failed, and there is no renewal to record.
                    tracing::info!(
                        "Kerberos: renewed, but the new ticket ends when the old one did ({})",
                        rfc3339(issued.endtime)
                    );
                    return true;
                }
                self.verify(ctx, "built-in", Some(tgt), began)
            }
            Err(e) => {
                self.said.kdc_unreachable = e.code == super::ffi::KRB5_KDC_UNREACH;
                self.failed(&format!("renewal:{}", e.code), format!("renewal failed: {e}"));
                false
            }
        }
    }

    /// Run --krb-renew-cmd; it must leave the cache ending after `old` did.
    fn renew_with_command(&mut self, ctx: &Context, old: Option<&Tgt>) -> bool {
        let Some(argv) = self.cfg.renew_cmd.clone() else { return false };
        let env = self.cache_env(ctx);
        let began = now();
        match hooks::run("--krb-renew-cmd", &argv, &env, hooks::HOOK_TIMEOUT, &self.hooks) {
            Ok(()) => self.verify(ctx, &argv.join(" "), old, began),
            Err(e) => {
                self.failed("renew_cmd", e);
                false
            }
        }
    }

    /// Whether duct has a way to a new ticket when renewal cannot help: the user's command or a keytab.
    fn can_refresh(&self) -> bool {
        self.cfg.renew_cmd.is_some() || self.cfg.keytab.is_some()
    }

    /// A new ticket when renewing cannot help (not renewable, renewable life exhausted, expired, no ticket):
    /// the user's renew command comes first, whatever the reason (it may be `k5start -f KEYTAB`, a prompt,
    /// anything); built-in renewal is only the default.
    fn refresh(&mut self, ctx: &Context, why: &str) -> bool {
        if self.cfg.renew_cmd.is_some() {
            let old = self.current_tgt(ctx);
            return self.renew_with_command(ctx, old.as_ref());
        }
        self.fresh_from_keytab(ctx, why)
    }

    fn fresh_from_keytab(&mut self, ctx: &Context, why: &str) -> bool {
        let Some(keytab) = self.cfg.keytab.clone() else { return false };
        let old = self.current_tgt(ctx);
        let began = now();
        match renew::from_keytab(ctx, self.cache(), &keytab, self.cfg.principal.as_deref()) {
            Ok(()) => self.verify(ctx, &format!("new ticket from {} ({why})", keytab.display()), old.as_ref(), began),
            Err(e) => {
                self.failed(&format!("keytab:{}", e.code), format!("cannot get a ticket from the keytab: {e}"));
                false
            }
        }
    }

    /// The cache's TGT now, if it holds one.
    fn current_tgt(&self, ctx: &Context) -> Option<Tgt> {
        match super::ccache::read_cache(ctx, self.cache()) {
            Ok(CacheStatus::Tgt { tgt, .. }) => Some(tgt),
            _ => None,
        }
    }

    /// The job's cache, for hooks: KRB5CCNAME pointing at exactly the cache duct watches.
    fn cache_env(&self, ctx: &Context) -> Vec<(&'static str, String)> {
        match self.cache().map(str::to_string).or_else(|| ctx.default_cache_name().ok()) {
            Some(name) => vec![("KRB5CCNAME", name)],
            None => Vec::new(),
        }
    }

    fn aklog(&mut self) {
        let Some(argv) = self.aklog_argv() else { return };
        let env = Context::new().map(|c| self.cache_env(&c)).unwrap_or_default();
        if let Err(e) = hooks::run("aklog", &argv, &env, hooks::HOOK_TIMEOUT, &self.hooks) {
            // Not a failed renewal: the ticket is renewed; only the AFS token is not.
            lock(&self.record).aklog_failures.push(Failure { time: rfc3339(now()), reason: e.clone() });
            self.problem("aklog", format!("Kerberos: {e}"));
        }
    }

    /// Run --krb-notify-cmd once per reason.
    fn notify(&mut self, ctx: &Context, reason: &str, tgt: Option<&Tgt>) {
        let Some(argv) = self.cfg.notify_cmd.clone() else { return };
        if self.said.notified.as_deref() == Some(reason) {
            return;
        }
        self.said.notified = Some(reason.to_string());
        let mut env = self.cache_env(ctx);
        env.push(("DUCT_KRB_REASON", reason.to_string()));
        if let Some(t) = tgt {
            env.push(("DUCT_KRB_PRINCIPAL", t.client.clone()));
            env.push(("DUCT_KRB_EXPIRES", rfc3339(t.endtime)));
            if t.renewable() {
                env.push(("DUCT_KRB_RENEW_UNTIL", rfc3339(t.renew_till)));
            }
        }
        if let Some((_, name)) = env.first().filter(|(k, _)| *k == "KRB5CCNAME").cloned() {
            env.push(("DUCT_KRB_CCACHE", name));
        }
        if let Err(e) = hooks::run("--krb-notify-cmd", &argv, &env, hooks::HOOK_TIMEOUT, &self.hooks) {
            self.failed("notify", e);
        }
    }
}

/// `at T` for a time, with the verb in the tense `now` calls for: `future` before T, `past` from T on
/// (messages never say "will lapse" or "valid until" of a time gone by, issue 14 item 6).
fn tensed(t: i64, now: i64, future: &str, past: &str) -> String {
    format!("{} {}", if now < t { future } else { past }, rfc3339(t))
}

/// What the watcher says at start about the ticket it found.
#[derive(Debug, PartialEq, Eq)]
enum Start {
    Info(String),
    Warning(String),
}

/// The start message for `tgt` in the cache `name` at `now` (the KDC's clock): how it will be kept alive, or
/// why it cannot be, each time in the right tense (at start a ticket may have ended already).
fn start_message(tgt: &Tgt, name: &str, now: i64, margin: i64, can_refresh: bool) -> Start {
    let who = format!("the ticket of {} in {name}", tgt.client);
    let ended = now >= tgt.endtime;
    let state = tgt.state_at(now);
    if tgt.renewable() && matches!(state, TicketState::Valid | TicketState::Expired { renewable: true }) {
        let when = if ended {
            format!("it expired at {}, duct renews it at once", rfc3339(tgt.endtime))
        } else {
            format!("it ends {}, duct renews it {margin}s before", rfc3339(tgt.endtime))
        };
        return Start::Info(format!(
            "Kerberos: keeping {who} alive: {when}; it can be renewed until {}",
            rfc3339(tgt.renew_till)
        ));
    }
    let why = if state == (TicketState::Expired { renewable: false }) && tgt.renewable() {
        format!("expired too long ago to be renewed (more than {}s)", super::RENEW_AFTER_EXPIRY_GRACE)
    } else if tgt.has_renewable_life() {
        format!("can be renewed no further (its renewable life {})", tensed(tgt.renew_till, now, "ends", "ended at"))
    } else {
        "is not renewable".to_string()
    };
    match (can_refresh, ended) {
        (true, false) => {
            Start::Info(format!("Kerberos: {who} {why}; duct will get a new one before {}", rfc3339(tgt.endtime)))
        }
        (true, true) => Start::Info(format!(
            "Kerberos: {who} {why} and expired at {}; duct gets a new one now",
            rfc3339(tgt.endtime)
        )),
        (false, _) => Start::Warning(format!(
            "Kerberos: {who} {why} and {} (give --krb-keytab, or kinit with -r)",
            tensed(tgt.endtime, now, "will lapse at", "expired at")
        )),
    }
}

/// The warning one margin before renewable life ends (or, found later, after it ended).
fn exhaustion_message(principal: &str, tgt: &Tgt, now: i64) -> String {
    let advice = "give --krb-keytab, or kinit with a longer -r";
    if now < tgt.renew_till {
        format!(
            "Kerberos: the ticket of {principal} can be renewed only until {}; it will lapse then ({advice})",
            rfc3339(tgt.renew_till)
        )
    } else {
        format!(
            "Kerberos: the ticket of {principal} could be renewed only until {}; it {} ({advice})",
            rfc3339(tgt.renew_till),
            tensed(tgt.endtime, now, "will lapse at", "expired at")
        )
    }
}

/// The line for a renewal that extended the ticket to `tgt`'s end (`now`: the KDC's clock).
fn renewed_message(how: &str, tgt: &Tgt, now: i64) -> String {
    if now < tgt.endtime {
        format!("Kerberos: renewed ({how}); the ticket is now valid until {}", rfc3339(tgt.endtime))
    } else {
        format!("Kerberos: renewed ({how}), but the new ticket ended already, at {}", rfc3339(tgt.endtime))
    }
}

/// What to do about a ticket at `now`.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// Nothing yet: look again in this many seconds.
    Wait(i64),
    Renew,
    /// Renewing cannot help; a new ticket can come from the renew command or a keytab.
    Refresh,
    /// Renewing cannot help and nothing else can: the reason.
    Lapse(&'static str),
}

/// The renewal schedule, from the timestamps alone: renew one margin before the end; a ticket that lapsed
/// anyway (KDC down, machine asleep, a clock jump) is renewed at once while the KDC still allows it.
fn decide(tgt: &Tgt, now: i64, margin: i64, refresher: bool) -> Action {
    let state = tgt.state_at(now);
    if state == TicketState::Valid && now < tgt.endtime - margin {
        return Action::Wait(tgt.endtime - margin - now);
    }
    let reason = match state {
        TicketState::Valid if tgt.renewable() => return Action::Renew,
        TicketState::Expired { renewable: true } => return Action::Renew,
        TicketState::Valid if tgt.flags & super::ffi::TKT_FLG_RENEWABLE != 0 => "renewable life exhausted",
        TicketState::Valid => "not renewable",
        TicketState::RenewableLifeExhausted => "renewable life exhausted",
        TicketState::Expired { .. } if tgt.renewable() => "expired too long ago to renew",
        TicketState::Expired { .. } if tgt.flags & super::ffi::TKT_FLG_RENEWABLE != 0 => "renewable life exhausted",
        TicketState::Expired { .. } => "expired and not renewable",
    };
    if refresher { Action::Refresh } else { Action::Lapse(reason) }
}

/// The stable DUCT_KRB_REASON for a reason `decide` gives in words (listed in the README and the man
/// page: not_renewable, renewable_life_exhausted, renewable_life_ending, expired, no_ticket, kdc_unreachable).
fn reason_code(reason: &str) -> &'static str {
    match reason {
        "not renewable" => "not_renewable",
        "renewable life exhausted" => "renewable_life_exhausted",
        _ => "expired",
    }
}

/// Whether `prog` can be run: an executable file at that path, or found in PATH.
fn program_exists(prog: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let runnable =
        |p: &std::path::Path| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    if prog.contains('/') {
        return runnable(std::path::Path::new(prog));
    }
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|d| runnable(&d.join(prog))))
}

/// The shortest time between two renewals (issue 14 item 2).
fn min_renewal_interval(lifetime: i64) -> i64 {
    (lifetime / 10).max(10)
}

/// After a failed renewal: the backoff `wait`, but no later than just past the ticket's end.
fn retry_after(wait: i64, endtime: i64, now: i64) -> i64 {
    let to_end = endtime - now;
    if to_end >= 0 { wait.min(to_end + 1) } else { wait }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgt(start: i64, end: i64, renew_till: i64, renewable: bool) -> Tgt {
        crate::krb::test_tgt(start, end, renew_till, renewable)
    }

    #[test]
    fn waits_until_one_margin_before_the_end() {
        let t = tgt(0, 3600, 14 * 3600, true);
        assert_eq!(decide(&t, 0, 1200, false), Action::Wait(2400));
        assert_eq!(decide(&t, 2399, 1200, false), Action::Wait(1));
        assert_eq!(decide(&t, 2400, 1200, false), Action::Renew);
    }

    #[test]
    fn a_jump_past_the_deadline_renews_at_once_within_the_skew() {
        let t = tgt(0, 3600, 14 * 3600, true);
        // Woke after the end (suspend, clock jump): still renewable within the KDC's clock skew.
        assert_eq!(decide(&t, 3600 + 10, 1200, false), Action::Renew);
        // Far past the end: too late to renew; a keytab still helps.
        assert_eq!(decide(&t, 3600 + 3600, 1200, false), Action::Lapse("expired too long ago to renew"));
        assert_eq!(decide(&t, 3600 + 3600, 1200, true), Action::Refresh);
    }

    #[test]
    fn renewal_stops_at_renew_till() {
        // The last renewal brought the end to renew_till: nothing more to gain.
        let t = tgt(0, 3600, 3600, true);
        assert_eq!(decide(&t, 3000, 1200, false), Action::Lapse("renewable life exhausted"));
        assert_eq!(decide(&t, 3000, 1200, true), Action::Refresh);
        assert_eq!(decide(&t, 4000, 1200, false), Action::Lapse("renewable life exhausted"));
    }

    #[test]
    fn a_failed_renewal_is_retried_with_backoff_and_just_after_the_end() {
        // Before the end: the backoff, or just past the end when that comes first.
        assert_eq!(retry_after(5, 1000, 990), 5);
        assert_eq!(retry_after(20, 1000, 990), 11);
        assert_eq!(retry_after(5, 1000, 1000), 1);
        // Already lapsed: the backoff alone (renewal is still tried within the KDC's clock skew).
        assert_eq!(retry_after(40, 1000, 1010), 40);
    }

    /// Issue 14 item 6: no message states a past time in the future tense.
    #[test]
    fn start_messages_put_past_times_in_the_past_tense() {
        let at = rfc3339;
        let info = |s: Start| match s {
            Start::Info(t) => t,
            Start::Warning(t) => panic!("a warning: {t}"),
        };
        let warning = |s: Start| match s {
            Start::Warning(t) => t,
            Start::Info(t) => panic!("not a warning: {t}"),
        };
        // Renewable, valid: the future.
        let t = tgt(0, 3600, 14 * 3600, true);
        let m = info(start_message(&t, "FILE:/c", 100, 1200, false));
        assert!(m.contains(&format!("it ends {}, duct renews it 1200s before", at(3600))), "{m}");
        assert!(m.contains(&format!("can be renewed until {}", at(14 * 3600))), "{m}");
        // Renewable, ended a minute ago (within the KDC's skew): it expired, and is renewed at once.
        let m = info(start_message(&t, "FILE:/c", 3660, 1200, false));
        assert!(m.contains(&format!("it expired at {}, duct renews it at once", at(3600))), "{m}");
        assert!(!m.contains("it ends"), "{m}");
        // Renewable flag, but ended too long ago.
        let m = warning(start_message(&t, "FILE:/c", 3600 + 600, 1200, false));
        assert!(m.contains("expired too long ago") && m.contains(&format!("and expired at {}", at(3600))), "{m}");
        assert!(!m.contains("will lapse"), "{m}");
        // Not renewable: "will lapse at" only while the end is ahead.
        let n = tgt(0, 3600, 0, false);
        let m = warning(start_message(&n, "FILE:/c", 100, 1200, false));
        assert!(m.contains(&format!("is not renewable and will lapse at {}", at(3600))), "{m}");
        let m = warning(start_message(&n, "FILE:/c", 4000, 1200, false));
        assert!(m.contains(&format!("is not renewable and expired at {}", at(3600))), "{m}");
        assert!(!m.contains("will"), "{m}");
        // With a keytab: "before T" only while T is ahead.
        let m = info(start_message(&n, "FILE:/c", 100, 1200, true));
        assert!(m.contains(&format!("duct will get a new one before {}", at(3600))), "{m}");
        let m = info(start_message(&n, "FILE:/c", 4000, 1200, true));
        assert!(m.contains(&format!("expired at {}; duct gets a new one now", at(3600))), "{m}");
        assert!(!m.contains("will"), "{m}");
        // Renewed up to renew_till: its renewable life ends (or ended) then.
        let e = tgt(0, 3600, 3600, true);
        let m = warning(start_message(&e, "FILE:/c", 100, 1200, false));
        assert!(m.contains(&format!("its renewable life ends {}", at(3600))), "{m}");
        let m = warning(start_message(&e, "FILE:/c", 4000, 1200, false));
        assert!(m.contains(&format!("its renewable life ended at {}", at(3600))), "{m}");
        assert!(m.contains(&format!("and expired at {}", at(3600))) && !m.contains("will"), "{m}");
    }

    #[test]
    fn exhaustion_and_renewal_messages_put_past_times_in_the_past_tense() {
        let t = tgt(0, 3000, 3600, true);
        let m = exhaustion_message("a@R", &t, 2500);
        assert!(m.contains(&format!("can be renewed only until {}; it will lapse then", rfc3339(3600))), "{m}");
        let m = exhaustion_message("a@R", &t, 3700);
        assert!(m.contains(&format!("could be renewed only until {}", rfc3339(3600))), "{m}");
        assert!(m.contains(&format!("it expired at {}", rfc3339(3000))) && !m.contains("will"), "{m}");
        let m = renewed_message("built-in", &t, 2000);
        assert!(m.ends_with(&format!("now valid until {}", rfc3339(3000))), "{m}");
        let m = renewed_message("built-in", &t, 3000);
        assert!(m.contains(&format!("ended already, at {}", rfc3339(3000))) && !m.contains("valid until"), "{m}");
    }

    #[test]
    fn the_summary_line_says_expired_for_a_past_end_by_the_kdcs_clock() {
        let n = now();
        let rec = |expires: i64, clock_ahead: i64| Record {
            expires: Some(rfc3339(expires)),
            clock_ahead,
            renewals: vec![Renewal { time: rfc3339(n), how: "built-in".into(), new_end: rfc3339(expires) }],
            ..Record::default()
        };
        assert_eq!(rec(n + 60, 0).line(), format!("Kerberos: 1 renewal; ticket valid until {}", rfc3339(n + 60)));
        assert_eq!(rec(n - 60, 0).line(), format!("Kerberos: 1 renewal; ticket expired at {}", rfc3339(n - 60)));
        // This machine 2 minutes ahead: a ticket ending a minute ago by its clock is still valid by the KDC's.
        assert_eq!(rec(n - 60, 120).line(), format!("Kerberos: 1 renewal; ticket valid until {}", rfc3339(n - 60)));
        assert_eq!(Record::default().line(), "Kerberos: 0 renewals; no ticket");
    }

    #[test]
    fn not_renewable() {
        let t = tgt(0, 3600, 0, false);
        assert_eq!(decide(&t, 0, 1200, false), Action::Wait(2400));
        assert_eq!(decide(&t, 2400, 1200, false), Action::Lapse("not renewable"));
        assert_eq!(decide(&t, 2400, 1200, true), Action::Refresh);
        assert_eq!(decide(&t, 4000, 1200, false), Action::Lapse("expired and not renewable"));
    }
}
