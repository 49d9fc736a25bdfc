//! Changing a credential cache, which only `--krb-renew` does: renewing its TGT, or getting a fresh one from
//! a keytab. Either way the new credentials are built in a MEMORY cache and moved over the real one, as MIT
//! `kinit -R` does since 1.20: a reader (rpc.gssd, a klist loop) sees the old cache or the new, never an
//! empty one, and the cache keeps its name, so NFS keeps using it.

use std::ffi::CString;
use std::path::Path;
use std::ptr;

use super::ccache::{Cache, Context};
use super::{KrbError, ffi};

/// A principal allocated by libkrb5, freed on drop.
struct Principal<'c> {
    ctx: &'c Context,
    ptr: ffi::krb5_principal,
}

impl Drop for Principal<'_> {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: allocated by libkrb5 for this context, freed once.
            unsafe { ffi::krb5_free_principal(self.ctx.as_ptr(), self.ptr) }
        }
    }
}

/// Credentials filled by libkrb5, whose contents are freed on drop.
struct Creds<'c> {
    ctx: &'c Context,
    creds: ffi::krb5_creds,
}

impl<'c> Creds<'c> {
    fn new(ctx: &'c Context) -> Creds<'c> {
        // SAFETY: krb5_creds is a plain C struct; all-zero is its documented empty state.
        Creds { ctx, creds: unsafe { std::mem::zeroed() } }
    }
}

impl Drop for Creds<'_> {
    fn drop(&mut self) {
        // SAFETY: zeroed or filled by libkrb5; freeing the contents of an empty struct is a no-op.
        unsafe { ffi::krb5_free_cred_contents(self.ctx.as_ptr(), &mut self.creds) }
    }
}

fn cache_principal<'c>(ctx: &'c Context, cache: &Cache<'_>) -> Result<Principal<'c>, KrbError> {
    let mut p: ffi::krb5_principal = ptr::null_mut();
    // SAFETY: valid context and cache; out-pointer to a local, freed by Principal.
    let code = unsafe { ffi::krb5_cc_get_principal(ctx.as_ptr(), cache.as_ptr(), &mut p) };
    if code != 0 || p.is_null() {
        return Err(ctx.error("reading the cache's principal", Some(&cache.id()), code));
    }
    Ok(Principal { ctx, ptr: p })
}

fn parse_principal<'c>(ctx: &'c Context, name: &str) -> Result<Principal<'c>, KrbError> {
    let bad = |message: String| KrbError { during: "reading --krb-principal".into(), cache: None, code: 0, message };
    let c = CString::new(name).map_err(|_| bad(format!("{name:?} contains a NUL byte")))?;
    let mut p: ffi::krb5_principal = ptr::null_mut();
    // SAFETY: valid context, NUL-terminated name, out-pointer to a local, freed by Principal.
    let code = unsafe { ffi::krb5_parse_name(ctx.as_ptr(), c.as_ptr(), &mut p) };
    if code != 0 || p.is_null() {
        return Err(ctx.error("reading --krb-principal", None, code));
    }
    Ok(Principal { ctx, ptr: p })
}

/// Put `creds` for `principal` into `cache`, replacing its contents in one step.
fn store_atomically(
    ctx: &Context,
    cache: &Cache<'_>,
    principal: &Principal<'_>,
    creds: &mut Creds<'_>,
) -> Result<(), KrbError> {
    let id = cache.id();
    let memory = CString::new("MEMORY").map_err(|_| ctx.error("preparing the renewal", Some(&id), 0))?;
    let mut mem: ffi::krb5_ccache = ptr::null_mut();
    // SAFETY: valid context; out-pointer to a local.
    let code = unsafe { ffi::krb5_cc_new_unique(ctx.as_ptr(), memory.as_ptr(), ptr::null(), &mut mem) };
    if code != 0 || mem.is_null() {
        return Err(ctx.error("creating a temporary MEMORY cache", Some(&id), code));
    }
    // SAFETY: `mem` is a valid cache handle until moved or destroyed below; principal and creds are valid.
    unsafe {
        let mut code = ffi::krb5_cc_initialize(ctx.as_ptr(), mem, principal.ptr);
        if code == 0 {
            code = ffi::krb5_cc_store_cred(ctx.as_ptr(), mem, &mut creds.creds);
        }
        if code == 0 {
            // On success the MEMORY cache is destroyed and its handle freed by krb5_cc_move.
            let before = Owner::of(&id);
            code = ffi::krb5_cc_move(ctx.as_ptr(), mem, cache.as_ptr());
            if code == 0 {
                if let Some(owner) = before {
                    owner.restore();
                }
                return Ok(());
            }
        }
        ffi::krb5_cc_destroy(ctx.as_ptr(), mem);
        Err(ctx.error("writing the new ticket into the cache", Some(&id), code))
    }
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

/// Renew the TGT in `cache_name` (None: the default cache) in place.
pub fn renew(ctx: &Context, cache_name: Option<&str>) -> Result<(), KrbError> {
    let cache = ctx.open_cache(cache_name)?;
    let principal = cache_principal(ctx, &cache)?;
    let mut creds = Creds::new(ctx);
    // SAFETY: valid context, principal and cache; creds is a zeroed struct the library fills.
    let code = unsafe {
        ffi::krb5_get_renewed_creds(ctx.as_ptr(), &mut creds.creds, principal.ptr, cache.as_ptr(), ptr::null())
    };
    if code != 0 {
        return Err(ctx.error("renewing the ticket", Some(&cache.id()), code));
    }
    store_atomically(ctx, &cache, &principal, &mut creds)
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
        .map_err(|_| ctx.error("opening the keytab", Some(&cache.id()), 0))?;
    let mut kt: ffi::krb5_keytab = ptr::null_mut();
    // SAFETY: valid context, NUL-terminated name, out-pointer to a local; closed below.
    let code = unsafe { ffi::krb5_kt_resolve(ctx.as_ptr(), kt_name.as_ptr(), &mut kt) };
    if code != 0 || kt.is_null() {
        return Err(ctx.error(&format!("opening the keytab {}", keytab.display()), Some(&cache.id()), code));
    }
    let mut creds = Creds::new(ctx);
    // SAFETY: valid context, principal and keytab; creds zeroed; the keytab handle is closed once.
    let code = unsafe {
        let code = ffi::krb5_get_init_creds_keytab(
            ctx.as_ptr(),
            &mut creds.creds,
            principal.ptr,
            kt,
            0,
            ptr::null(),
            ptr::null_mut(),
        );
        ffi::krb5_kt_close(ctx.as_ptr(), kt);
        code
    };
    if code != 0 {
        return Err(ctx.error(
            &format!("getting a ticket from the keytab {}", keytab.display()),
            Some(&cache.id()),
            code,
        ));
    }
    store_atomically(ctx, &cache, &principal, &mut creds)
}
