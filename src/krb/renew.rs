//! Changing a credential cache, which only `--krb-renew` does: renewing its TGT, or getting a fresh one from
//! a keytab. Either way the new credentials are built in a MEMORY cache and moved over the real one, as MIT
//! `kinit -R` does since 1.20: a reader (rpc.gssd, a klist loop) sees the old cache or the new, never an
//! empty one, and the cache keeps its name, so NFS keeps using it.

use std::ffi::CString;
use std::path::Path;

use super::KrbError;
use super::ccache::cache_id;
use super::ffi::{Ccache, Context, Creds, Principal, Times};

fn cache_principal<'c>(ctx: &Context, cache: &Ccache<'c>) -> Result<Principal<'c>, KrbError> {
    cache.principal().map_err(|code| ctx.error("reading the cache's principal", Some(&cache_id(cache)), code))
}

fn parse_principal<'c>(ctx: &'c Context, name: &str) -> Result<Principal<'c>, KrbError> {
    let bad = |message: String| KrbError { during: "reading --krb-principal".into(), cache: None, code: 0, message };
    let c = CString::new(name).map_err(|_| bad(format!("{name:?} contains a NUL byte")))?;
    ctx.parse_name(&c).map_err(|code| ctx.error("reading --krb-principal", None, code))
}

/// Put `creds` for `principal` into `cache`, replacing its contents in one step.
fn store_atomically(
    ctx: &Context,
    cache: &Ccache<'_>,
    principal: &Principal<'_>,
    creds: &mut Creds<'_>,
) -> Result<(), KrbError> {
    let id = cache_id(cache);
    let mem = ctx.new_memory_cache().map_err(|code| ctx.error("creating a temporary MEMORY cache", Some(&id), code))?;
    let filled = mem.initialize(principal).and_then(|()| mem.store(creds));
    let written = match filled {
        Ok(()) => {
            let before = Owner::of(&id);
            // The MEMORY cache is destroyed by the move, whether it succeeds or not.
            let moved = mem.move_to(cache);
            if moved.is_ok()
                && let Some(owner) = before
            {
                owner.restore();
            }
            moved
        }
        Err(code) => {
            let _ = mem.destroy();
            Err(code)
        }
    };
    written.map_err(|code| ctx.error("writing the new ticket into the cache", Some(&id), code))
}

/// Who owned a FILE (or DIR member) cache before duct rewrote it. Root renewing another user's cache
/// would leave it root's, 0600, and the owner's own `klist -s` would fail (issue 14 item 7): the owner and
/// mode are put back. Other cache types keep their owner by themselves (keyring, KCM) or are private.
struct Owner {
    path: std::path::PathBuf,
    uid: u32,
    gid: u32,
    mode: u32,
}

impl Owner {
    fn of(id: &super::CacheId) -> Option<Owner> {
        use std::os::unix::fs::MetadataExt;
        let path = id.name.strip_prefix("FILE:").or_else(|| id.name.strip_prefix("DIR::"))?;
        let meta = std::fs::metadata(path).ok()?;
        Some(Owner { path: path.into(), uid: meta.uid(), gid: meta.gid(), mode: meta.mode() & 0o7777 })
    }

    fn restore(&self) {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let Ok(now) = std::fs::metadata(&self.path) else { return };
        if (now.uid(), now.gid(), now.mode() & 0o7777) == (self.uid, self.gid, self.mode) {
            return;
        }
        let done = std::os::unix::fs::chown(&self.path, Some(self.uid), Some(self.gid))
            .and_then(|()| std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(self.mode)));
        if let Err(e) = done {
            tracing::warn!(
                "Kerberos: the renewed cache {} is no longer owned by uid {} (mode {:o}) and duct could not give it back: {e}",
                self.path.display(),
                self.uid,
                self.mode
            );
        }
    }
}

/// Renew the TGT in `cache_name` (None: the default cache) in place. The new ticket's times.
pub fn renew(ctx: &Context, cache_name: Option<&str>) -> Result<Times, KrbError> {
    let cache = ctx.open_cache(cache_name)?;
    let principal = cache_principal(ctx, &cache)?;
    let mut creds = ctx
        .renewed_creds(&principal, &cache)
        .map_err(|code| ctx.error("renewing the ticket", Some(&cache_id(&cache)), code))?;
    store_atomically(ctx, &cache, &principal, &mut creds)?;
    Ok(creds.times())
}

/// Get a new TGT from `keytab` for `principal` (None: the cache's own principal) into `cache_name`.
pub fn from_keytab(
    ctx: &Context,
    cache_name: Option<&str>,
    keytab: &Path,
    principal: Option<&str>,
) -> Result<(), KrbError> {
    let cache = ctx.open_cache(cache_name)?;
    let principal = match principal {
        Some(name) => parse_principal(ctx, name)?,
        None => cache_principal(ctx, &cache).map_err(|mut e| {
            e.message = format!("{} (give --krb-principal)", e.message);
            e
        })?,
    };
    let kt_name = CString::new(format!("FILE:{}", keytab.display()))
        .map_err(|_| ctx.error("opening the keytab", Some(&cache_id(&cache)), 0))?;
    let kt = ctx.resolve_keytab(&kt_name).map_err(|code| {
        ctx.error(&format!("opening the keytab {}", keytab.display()), Some(&cache_id(&cache)), code)
    })?;
    let mut creds = ctx.creds_from_keytab(&principal, &kt).map_err(|code| {
        ctx.error(&format!("getting a ticket from the keytab {}", keytab.display()), Some(&cache_id(&cache)), code)
    })?;
    drop(kt);
    store_atomically(ctx, &cache, &principal, &mut creds)
}
