//! Kerberos: read credential caches through libkrb5, map paths to mounts and
//! their NFS `sec=` flavour, and work out which cache rpc.gssd would use
//! (`duct krb-status` is built on these, and only reads); keep a job's ticket
//! alive (`--krb-renew`: [`watcher`] decides when, [`renew`] is the only code
//! that changes a cache, [`hooks`] runs the user's commands).
//!
//! Every call into libkrb5, and so every `unsafe` of this tree, is in [`ffi`].
//! Times are seconds since the Unix epoch (`i64`), so a caller can plan with
//! an injected clock. Nothing uses GSSAPI (a GSSAPI acquire silently rewrites
//! the cache when a client keytab exists).

pub mod ccache;
pub mod ffi;
pub mod gssd;
pub mod hooks;
pub mod mounts;
pub mod renew;
pub mod watcher;

use std::fmt;

pub use ccache::{KeytabStatus, keytab_status, read_cache};
pub use ffi::Context;

/// How many seconds past its end time a TGT can still be renewed: the KDC's
/// default clock skew (MIT, 300 s).
pub const RENEW_AFTER_EXPIRY_GRACE: i64 = 300;

/// The credential cache type, from `krb5_cc_get_type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheKind {
    File,
    Dir,
    Keyring,
    Kcm,
    Memory,
    Other(String),
}

impl CacheKind {
    pub fn from_type(t: &str) -> CacheKind {
        match t.to_ascii_uppercase().as_str() {
            "FILE" => CacheKind::File,
            "DIR" => CacheKind::Dir,
            "KEYRING" => CacheKind::Keyring,
            "KCM" => CacheKind::Kcm,
            "MEMORY" => CacheKind::Memory,
            _ => CacheKind::Other(t.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            CacheKind::File => "FILE",
            CacheKind::Dir => "DIR",
            CacheKind::Keyring => "KEYRING",
            CacheKind::Kcm => "KCM",
            CacheKind::Memory => "MEMORY",
            CacheKind::Other(t) => t,
        }
    }
}

impl fmt::Display for CacheKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A credential cache: its full name (`TYPE:residual`, as `klist` shows it;
/// for a DIR collection this is the primary cache inside it, e.g.
/// `DIR::/dir/tkt`) and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheId {
    pub name: String,
    pub kind: CacheKind,
}

/// The ticket-granting ticket `krbtgt/REALM@REALM` for the cache's principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tgt {
    /// The client principal, e.g. `alice@DUCT.TEST`.
    pub client: String,
    /// The server principal, e.g. `krbtgt/DUCT.TEST@DUCT.TEST`.
    pub server: String,
    pub authtime: i64,
    /// Start of validity (the library's 0 = "same as authtime" is already resolved).
    pub starttime: i64,
    pub endtime: i64,
    /// 0 when the ticket carries none.
    pub renew_till: i64,
    /// `TKT_FLG_*` bits (see [`ffi`]).
    pub flags: u32,
}

impl Tgt {
    /// Renewable means both the flag and a renew-till after the end time
    /// (a KDC with max renewable life 0 still sets the flag, with renew_till == start).
    pub fn renewable(&self) -> bool {
        self.flags & ffi::TKT_FLG_RENEWABLE != 0 && self.renew_till > self.endtime
    }
    pub fn forwardable(&self) -> bool {
        self.flags & ffi::TKT_FLG_FORWARDABLE != 0
    }
    pub fn initial(&self) -> bool {
        self.flags & ffi::TKT_FLG_INITIAL != 0
    }
    pub fn proxiable(&self) -> bool {
        self.flags & ffi::TKT_FLG_PROXIABLE != 0
    }
    /// The ticket's lifetime (end − start), which each renewal grants again (capped at renew_till).
    pub fn lifetime(&self) -> i64 {
        self.endtime - self.starttime
    }
    /// It was issued with a renewable life (its renew-till stays its limit even once the end time reached it,
    /// when `renewable()` is false).
    pub fn has_renewable_life(&self) -> bool {
        self.flags & ffi::TKT_FLG_RENEWABLE != 0 && self.renew_till > self.starttime
    }
    /// The latest time the ticket can be kept valid by renewing alone.
    pub fn renewable_until(&self) -> i64 {
        if self.renewable() { self.renew_till } else { self.endtime }
    }
    /// The flags as words, e.g. `["renewable", "forwardable", "initial"]`.
    pub fn flag_names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.flags & ffi::TKT_FLG_RENEWABLE != 0 {
            v.push("renewable");
        }
        if self.forwardable() {
            v.push("forwardable");
        }
        if self.proxiable() {
            v.push("proxiable");
        }
        if self.initial() {
            v.push("initial");
        }
        if self.flags & ffi::TKT_FLG_PRE_AUTH != 0 {
            v.push("pre-authenticated");
        }
        if self.flags & ffi::TKT_FLG_INVALID != 0 {
            v.push("invalid");
        }
        v
    }

    /// The ticket's state at `now`, from the timestamps alone (the libraries
    /// print the same "Ticket expired" for an expired ticket and for one whose
    /// renewable life is over).
    pub fn state_at(&self, now: i64) -> TicketState {
        if now < self.endtime {
            TicketState::Valid
        } else if !self.renewable() {
            TicketState::Expired { renewable: false }
        } else if now >= self.renew_till {
            TicketState::RenewableLifeExhausted
        } else {
            TicketState::Expired { renewable: now - self.endtime < RENEW_AFTER_EXPIRY_GRACE }
        }
    }
}

/// What the timestamps say about a TGT at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketState {
    Valid,
    /// Past its end time. `renewable`: renew_till is still ahead and the end
    /// time is within the KDC's clock skew, so `kinit -R` may still work.
    Expired {
        renewable: bool,
    },
    /// Past renew_till: only a new initial ticket (password or keytab) helps.
    RenewableLifeExhausted,
}

/// What a credential cache holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheStatus {
    /// The cache does not exist (no file, no keyring, empty collection).
    NoCache {
        cache: CacheId,
    },
    /// The cache exists but holds no `krbtgt/REALM@REALM` for its principal.
    NoTgt {
        cache: CacheId,
        principal: String,
    },
    Tgt {
        cache: CacheId,
        principal: String,
        tgt: Tgt,
    },
}

impl CacheStatus {
    pub fn cache(&self) -> &CacheId {
        match self {
            CacheStatus::NoCache { cache } | CacheStatus::NoTgt { cache, .. } | CacheStatus::Tgt { cache, .. } => cache,
        }
    }
    pub fn principal(&self) -> Option<&str> {
        match self {
            CacheStatus::NoCache { .. } => None,
            CacheStatus::NoTgt { principal, .. } | CacheStatus::Tgt { principal, .. } => Some(principal),
        }
    }
    pub fn tgt(&self) -> Option<&Tgt> {
        match self {
            CacheStatus::Tgt { tgt, .. } => Some(tgt),
            _ => None,
        }
    }
}

/// A libkrb5 failure: what was being done, on which cache (when known), the
/// krb5 error code (0 when the failure is not one) and the library's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KrbError {
    pub during: String,
    pub cache: Option<CacheId>,
    pub code: i32,
    pub message: String,
}

impl fmt::Display for KrbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cache {
            Some(c) => write!(f, "{} ({}): {}", self.during, c.name, self.message),
            None => write!(f, "{}: {}", self.during, self.message),
        }
    }
}

impl std::error::Error for KrbError {}

/// The seconds before `endtime` at which `duct --krb-renew` renews by default
/// (issue 5): when a third of the lifetime remains, at most 30 minutes before
/// the end, at least 1 s.
pub fn default_renew_margin(lifetime: i64) -> i64 {
    (lifetime / 3).clamp(1, 30 * 60)
}

/// How many renewals keep `tgt` valid from `now` until `until`, renewing
/// `margin(lifetime)` seconds before each end time (a renewal grants the
/// original lifetime again, capped at renew_till). `Some(0)` when it lasts
/// as is; `None` when renewing cannot reach `until` (or the ticket has
/// already expired).
pub fn renewals_needed(tgt: &Tgt, now: i64, until: i64, margin: impl Fn(i64) -> i64) -> Option<u64> {
    if now >= tgt.endtime {
        return None;
    }
    if tgt.endtime >= until {
        return Some(0);
    }
    if !tgt.renewable() || tgt.renew_till < until {
        return None;
    }
    let life = tgt.lifetime();
    if life <= 0 {
        return None;
    }
    let step_margin = margin(life).clamp(0, life - 1);
    let mut end = tgt.endtime;
    let mut count: u64 = 0;
    while end < until {
        let at = (end - step_margin).max(now);
        let next = (at + life).min(tgt.renew_till);
        if next <= end {
            return None;
        }
        end = next;
        count += 1;
        if count > 10_000_000 {
            return None;
        }
    }
    Some(count)
}

/// A TGT with the given times, for the tests of this module and of the watcher.
#[cfg(test)]
pub(crate) fn test_tgt(start: i64, end: i64, renew_till: i64, renewable: bool) -> Tgt {
    Tgt {
        client: "alice@R".into(),
        server: "krbtgt/R@R".into(),
        authtime: start,
        starttime: start,
        endtime: end,
        renew_till,
        flags: if renewable { ffi::TKT_FLG_RENEWABLE } else { 0 } | ffi::TKT_FLG_INITIAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgt(start: i64, end: i64, renew_till: i64, renewable: bool) -> Tgt {
        test_tgt(start, end, renew_till, renewable)
    }

    #[test]
    fn renewable_needs_flag_and_renew_till_after_end() {
        assert!(tgt(0, 100, 1000, true).renewable());
        assert!(!tgt(0, 100, 1000, false).renewable());
        assert!(!tgt(0, 100, 100, true).renewable());
        assert!(!tgt(0, 100, 0, true).renewable());
    }

    #[test]
    fn states_from_timestamps() {
        let t = tgt(0, 100, 1000, true);
        assert_eq!(t.state_at(50), TicketState::Valid);
        assert_eq!(t.state_at(150), TicketState::Expired { renewable: true });
        assert_eq!(t.state_at(500), TicketState::Expired { renewable: false });
        assert_eq!(t.state_at(1000), TicketState::RenewableLifeExhausted);
        assert_eq!(tgt(0, 100, 0, false).state_at(100), TicketState::Expired { renewable: false });
    }

    #[test]
    fn renewal_counts() {
        // 1 h tickets renewable for 14 h; margin 20 min.
        let t = tgt(0, 3600, 14 * 3600, true);
        assert_eq!(renewals_needed(&t, 0, 3000, default_renew_margin), Some(0));
        assert_eq!(renewals_needed(&t, 0, 3600, default_renew_margin), Some(0));
        // each renewal at end-20min adds 40 min net
        assert_eq!(renewals_needed(&t, 0, 3600 + 2400, default_renew_margin), Some(1));
        assert_eq!(renewals_needed(&t, 0, 3600 + 2401, default_renew_margin), Some(2));
        assert_eq!(renewals_needed(&t, 0, 14 * 3600, default_renew_margin), Some(20));
        assert_eq!(renewals_needed(&t, 0, 14 * 3600 + 1, default_renew_margin), None);
        assert_eq!(renewals_needed(&tgt(0, 3600, 0, false), 0, 4000, default_renew_margin), None);
        assert_eq!(renewals_needed(&t, 3600, 4000, default_renew_margin), None);
    }

    #[test]
    fn margin_default() {
        assert_eq!(default_renew_margin(90), 30);
        assert_eq!(default_renew_margin(10 * 3600), 1800);
        assert_eq!(default_renew_margin(1), 1);
    }
}
