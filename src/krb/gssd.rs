//! Which credential cache rpc.gssd would use for a uid (nfs-utils
//! `utils/gssd/krb5_util.c`): it never sees the job's `KRB5CCNAME`. It
//! switches to the uid and tries the *default* cache of its own
//! configuration (`default_ccache_name` in /etc/krb5.conf, else
//! `FILE:/tmp/krb5cc_%{uid}`); failing that it scans `/tmp` and
//! `/run/user/UID` for files or directories whose name contains `krb5cc`,
//! owned by the uid, and takes the one with a valid TGT and the newest mtime.
//! For uid 0 it uses the machine keytab instead, unless run with `-n`.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::ccache::read_cache;
use super::ffi::{Context, Profile};
use super::{CacheStatus, TicketState};

/// The krb5 configuration rpc.gssd reads (a system daemon: the user's `KRB5_CONFIG` does not reach it).
pub const GSSD_CONFIG: &str = "/etc/krb5.conf";
/// MIT's built-in default cache name.
pub const BUILTIN_DEFAULT_CCACHE: &str = "FILE:/tmp/krb5cc_%{uid}";

/// How rpc.gssd would find credentials for a uid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GssdView {
    pub uid: u32,
    /// The default cache name as gssd sees it.
    pub default_name: String,
    /// The cache gssd would use: the default one when it holds a valid TGT,
    /// else the newest valid `*krb5cc*` found by the scan; None when neither.
    pub chosen: Option<String>,
    /// Whether `chosen` came from the directory scan.
    pub from_scan: bool,
}

/// Expands the `%{...}` tokens libkrb5 supports in `default_ccache_name`
/// for `uid` (`%{uid}`, `%{euid}`, `%{USERID}`, `%{username}`, `%{TEMP}`,
/// `%{null}`); unknown tokens stay as written.
pub fn expand_tokens(template: &str, uid: u32) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once("%{") {
        out.push_str(before);
        let Some((token, tail)) = after.split_once('}') else {
            out.push_str("%{");
            out.push_str(after);
            return out;
        };
        match token {
            "uid" | "euid" | "USERID" => out.push_str(&uid.to_string()),
            "TEMP" => out.push_str("/tmp"),
            "null" => {}
            "username" => match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
                Ok(Some(u)) => out.push_str(&u.name),
                _ => out.push_str(&uid.to_string()),
            },
            _ => {
                out.push_str("%{");
                out.push_str(token);
                out.push('}');
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The default cache name gssd would use for `uid`, from the krb5 config
/// files `config` (colon-separated; [`GSSD_CONFIG`] for the real gssd).
pub fn gssd_default_name(config: &str, uid: u32) -> String {
    let configured = Profile::open(config).and_then(|p| p.get("libdefaults", "default_ccache_name"));
    expand_tokens(configured.as_deref().unwrap_or(BUILTIN_DEFAULT_CCACHE), uid)
}

/// Whether `name` holds a TGT valid at `now`.
pub fn holds_valid_tgt(ctx: &Context, name: &str, now: i64) -> bool {
    matches!(read_cache(ctx, Some(name)), Ok(CacheStatus::Tgt { tgt, .. }) if tgt.state_at(now) == TicketState::Valid)
}

/// The directories gssd scans for `uid` by default (`-d`: `/tmp:/run/user/%U`).
pub fn search_dirs(uid: u32) -> Vec<PathBuf> {
    vec![PathBuf::from("/tmp"), PathBuf::from(format!("/run/user/{uid}"))]
}

/// The newest-mtime entry under `dirs` whose name contains `krb5cc`, owned by
/// `uid`, a regular file (`FILE:`) or directory (`DIR:`), holding a valid TGT.
pub fn scan(ctx: &Context, dirs: &[PathBuf], uid: u32, now: i64) -> Option<String> {
    let mut best: Option<(i64, String)> = None;
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else { continue };
        for entry in rd.flatten() {
            if !entry.file_name().to_string_lossy().contains("krb5cc") {
                continue;
            }
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            if meta.uid() != uid {
                continue;
            }
            let name = if meta.is_file() {
                format!("FILE:{}", path.display())
            } else if meta.is_dir() {
                format!("DIR:{}", path.display())
            } else {
                continue;
            };
            if best.as_ref().is_some_and(|(m, _)| *m >= meta.mtime()) {
                continue;
            }
            if holds_valid_tgt(ctx, &name, now) {
                best = Some((meta.mtime(), name));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// What rpc.gssd would use for `uid` at `now`, reading its configuration from `config`.
pub fn gssd_view(ctx: &Context, config: &str, uid: u32, now: i64) -> GssdView {
    let default_name = gssd_default_name(config, uid);
    if holds_valid_tgt(ctx, &default_name, now) {
        return GssdView { uid, chosen: Some(default_name.clone()), default_name, from_scan: false };
    }
    let chosen = scan(ctx, &search_dirs(uid), uid, now);
    GssdView { uid, default_name, from_scan: chosen.is_some(), chosen }
}

/// Whether two cache names denote the same cache (`FILE:` is optional; DIR
/// collections match their primary `DIR::dir/tkt...` caches).
pub fn same_cache(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> String {
        let s = s.strip_prefix("FILE:").unwrap_or(s);
        let p = Path::new(s);
        if p.is_absolute() {
            std::fs::canonicalize(p).map(|c| c.display().to_string()).unwrap_or(s.into())
        } else {
            s.into()
        }
    }
    if norm(a) == norm(b) {
        return true;
    }
    // DIR:/d (collection) vs DIR::/d/tkt (its primary cache)
    let dir_of = |s: &str| -> Option<String> {
        if let Some(sub) = s.strip_prefix("DIR::") {
            Path::new(sub).parent().map(|d| d.display().to_string())
        } else {
            s.strip_prefix("DIR:").map(|d| d.trim_end_matches('/').to_string())
        }
    };
    matches!((dir_of(a), dir_of(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(expand_tokens("FILE:/tmp/krb5cc_%{uid}", 1000), "FILE:/tmp/krb5cc_1000");
        assert_eq!(expand_tokens("KEYRING:persistent:%{euid}", 7), "KEYRING:persistent:7");
        assert_eq!(expand_tokens("DIR:%{TEMP}/x%{null}", 7), "DIR:/tmp/x");
        assert_eq!(expand_tokens("X%{LIBDIR}y%{", 7), "X%{LIBDIR}y%{");
        assert_eq!(expand_tokens("KCM:", 7), "KCM:");
    }

    #[test]
    fn default_name_from_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conf = dir.path().join("krb5.conf");
        std::fs::write(&conf, "[libdefaults]\n default_ccache_name = KEYRING:persistent:%{uid}\n").expect("write");
        assert_eq!(gssd_default_name(&conf.display().to_string(), 42), "KEYRING:persistent:42");
        let empty = dir.path().join("empty.conf");
        std::fs::write(&empty, "").expect("write");
        assert_eq!(gssd_default_name(&empty.display().to_string(), 42), "FILE:/tmp/krb5cc_42");
        assert_eq!(gssd_default_name("/nonexistent/krb5.conf", 42), "FILE:/tmp/krb5cc_42");
    }

    #[test]
    fn cache_names_compare() {
        assert!(same_cache("FILE:/nonexistent/a", "/nonexistent/a"));
        assert!(same_cache("DIR:/nonexistent/d", "DIR::/nonexistent/d/tkt"));
        assert!(!same_cache("FILE:/nonexistent/a", "FILE:/nonexistent/b"));
        assert!(!same_cache("KEYRING:session:a", "KEYRING:session:b"));
    }
}
