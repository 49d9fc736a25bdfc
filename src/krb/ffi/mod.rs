//! The one place duct calls into libkrb5. [`sys`] (private) holds the raw bindings; this module wraps them in
//! safe handles, and nothing else in `krb` writes `unsafe`.
//!
//! Each handle owns what libkrb5 allocated for it and frees it exactly once on drop: [`Context`]
//! (`krb5_free_context`), [`Ccache`] (`krb5_cc_close`; [`Ccache::destroy`] and [`Ccache::move_to`] consume it),
//! [`Principal`] (`krb5_free_principal`, unless it is borrowed from a [`Creds`]), [`Creds`]
//! (`krb5_free_cred_contents`), [`Cursor`] (`krb5_cc_end_seq_get`), [`Keytab`] (`krb5_kt_close`) and
//! [`Profile`] (`profile_release`). Every handle borrows the context it was made with, so none can outlive it.
//! A `Context` is not thread-safe (libkrb5 contexts must not be used by two threads at once): it is `Send`
//! but not `Sync`.
//!
//! Failures are the bare krb5 error code ([`Code`]); [`Context::message`] and [`Context::error`] turn one into
//! words. When libkrb5 could not be loaded, [`Context::new`] fails, so no other handle can exist.

mod sys;

use std::cell::Cell;
use std::ffi::{CStr, CString, c_char};
use std::marker::PhantomData;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::ptr;

use super::{CacheId, KrbError};

pub use sys::{
    KRB5_CC_FORMAT, KRB5_CC_NOTFOUND, KRB5_FCC_NOFILE, KRB5_KDC_UNREACH, TKT_FLG_FORWARDABLE, TKT_FLG_INITIAL,
    TKT_FLG_INVALID, TKT_FLG_PRE_AUTH, TKT_FLG_PROXIABLE, TKT_FLG_RENEWABLE, library,
};

/// A krb5 error code (a com_err table value; never 0 in an `Err`, except where a call "succeeded" without
/// giving what it promised, which is reported as code 0).
pub type Code = sys::krb5_error_code;

fn check(code: Code) -> Result<(), Code> {
    if code == 0 { Ok(()) } else { Err(code) }
}

/// Copies a C string the library returned; None for null.
///
/// # Safety
/// `p` is null or points to a NUL-terminated string that stays valid for this call.
unsafe fn string(p: *const c_char) -> Option<String> {
    // SAFETY: per the function's contract.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// The bytes of a krb5_data (empty when null).
///
/// # Safety
/// `d.data` must be null or point to `d.length` readable bytes that outlive the result.
unsafe fn data_bytes(d: &sys::krb5_data) -> &[u8] {
    if d.data.is_null() || d.length == 0 {
        &[]
    } else {
        // SAFETY: per the function's contract.
        unsafe { std::slice::from_raw_parts(d.data.cast::<u8>(), d.length as usize) }
    }
}

/// A libkrb5 context (`krb5_init_context`; reads `KRB5_CONFIG` and the environment at creation).
pub struct Context {
    ptr: sys::krb5_context,
    // Not Sync: a krb5 context must not be used by two threads at once.
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: a krb5_context may move between threads; it only must not be used concurrently (it is not Sync).
unsafe impl Send for Context {}

impl Context {
    /// Loads libkrb5 if need be and makes a context.
    pub fn new() -> Result<Context, KrbError> {
        if let Err(e) = library() {
            return Err(KrbError {
                during: "not available".into(),
                cache: None,
                code: sys::NOT_LOADED,
                message: e.to_string(),
            });
        }
        let mut ptr: sys::krb5_context = ptr::null_mut();
        // SAFETY: out-pointer to a local.
        let code = unsafe { sys::krb5_init_context(&mut ptr) };
        if code != 0 || ptr.is_null() {
            // SAFETY: MIT accepts a null context here (com_err's message for the code); the message is freed
            // with the same null context.
            let message = unsafe {
                let m = sys::krb5_get_error_message(ptr::null_mut(), code);
                let s = string(m);
                if !m.is_null() {
                    sys::krb5_free_error_message(ptr::null_mut(), m);
                }
                s.unwrap_or_else(|| format!("krb5 error {code}"))
            };
            if !ptr.is_null() {
                // SAFETY: a context returned alongside an error is still ours to free, once.
                unsafe { sys::krb5_free_context(ptr) };
            }
            return Err(KrbError {
                during: "initialising Kerberos (krb5_init_context; check KRB5_CONFIG and krb5.conf)".into(),
                cache: None,
                code,
                message,
            });
        }
        Ok(Context { ptr, _not_sync: PhantomData })
    }

    /// The library's message for `code`.
    pub fn message(&self, code: Code) -> String {
        // SAFETY: valid context; the returned string is freed with krb5_free_error_message, once.
        unsafe {
            let m = sys::krb5_get_error_message(self.ptr, code);
            let s = string(m);
            if !m.is_null() {
                sys::krb5_free_error_message(self.ptr, m);
            }
            s.unwrap_or_else(|| format!("krb5 error {code}"))
        }
    }

    /// A [`KrbError`] for `code`.
    pub fn error(&self, during: &str, cache: Option<&CacheId>, code: Code) -> KrbError {
        KrbError { during: during.to_string(), cache: cache.cloned(), code, message: self.message(code) }
    }

    /// The default cache name: `KRB5CCNAME`, else krb5.conf's `default_ccache_name` (tokens such as `%{uid}`
    /// expanded), else the built-in `FILE:/tmp/krb5cc_%{uid}`.
    pub fn default_cache_name(&self) -> Result<String, KrbError> {
        // SAFETY: valid context; the result is owned by the context (not freed by us) and copied at once.
        let name = unsafe { string(sys::krb5_cc_default_name(self.ptr)) };
        name.ok_or_else(|| KrbError {
            during: "finding the default credential cache".into(),
            cache: None,
            code: 0,
            message: "krb5_cc_default_name returned nothing".into(),
        })
    }

    /// Resolves a cache name (`TYPE:residual`). Resolving creates nothing; a missing cache shows up when read.
    pub fn resolve_cache(&self, name: &CStr) -> Result<Ccache<'_>, Code> {
        let mut cc: sys::krb5_ccache = ptr::null_mut();
        // SAFETY: valid context, NUL-terminated name, out-pointer to a local; the handle is owned by Ccache.
        check(unsafe { sys::krb5_cc_resolve(self.ptr, name.as_ptr(), &mut cc) })?;
        if cc.is_null() {
            return Err(0);
        }
        Ok(Ccache { ctx: self, ptr: cc })
    }

    /// A new, empty MEMORY cache private to this process (`krb5_cc_new_unique`). Destroy it (or move it over
    /// another cache) when done: dropping it only closes the handle.
    pub fn new_memory_cache(&self) -> Result<Ccache<'_>, Code> {
        let mut cc: sys::krb5_ccache = ptr::null_mut();
        // SAFETY: valid context, static NUL-terminated type, null hint (allowed), out-pointer to a local.
        check(unsafe { sys::krb5_cc_new_unique(self.ptr, c"MEMORY".as_ptr(), ptr::null(), &mut cc) })?;
        if cc.is_null() {
            return Err(0);
        }
        Ok(Ccache { ctx: self, ptr: cc })
    }

    /// Parses a principal name, e.g. `alice@DUCT.TEST`.
    pub fn parse_name(&self, name: &CStr) -> Result<Principal<'_>, Code> {
        let mut p: sys::krb5_principal = ptr::null_mut();
        // SAFETY: valid context, NUL-terminated name, out-pointer to a local; freed by Principal.
        check(unsafe { sys::krb5_parse_name(self.ptr, name.as_ptr(), &mut p) })?;
        Principal::owned(self, p)
    }

    /// Resolves a keytab name (`TYPE:residual`).
    pub fn resolve_keytab(&self, name: &CStr) -> Result<Keytab<'_>, Code> {
        let mut kt: sys::krb5_keytab = ptr::null_mut();
        // SAFETY: valid context, NUL-terminated name, out-pointer to a local; closed by Keytab.
        check(unsafe { sys::krb5_kt_resolve(self.ptr, name.as_ptr(), &mut kt) })?;
        Keytab::owned(self, kt)
    }

    /// The client keytab libkrb5 would use (`KRB5_CLIENT_KTNAME`, else `default_client_keytab_name`, else
    /// the built-in default).
    pub fn client_keytab(&self) -> Result<Keytab<'_>, Code> {
        let mut kt: sys::krb5_keytab = ptr::null_mut();
        // SAFETY: valid context, out-pointer to a local; closed by Keytab.
        check(unsafe { sys::krb5_kt_client_default(self.ptr, &mut kt) })?;
        Keytab::owned(self, kt)
    }

    /// Asks the KDC to renew the TGT of `client` held in `cache` (`krb5_get_renewed_creds`). The cache is not
    /// changed: store the result.
    pub fn renewed_creds(&self, client: &Principal<'_>, cache: &Ccache<'_>) -> Result<Creds<'_>, Code> {
        let mut creds = Creds::empty(self);
        // SAFETY: valid context, principal and cache; creds is an empty struct the library fills on success
        // (and leaves empty on failure, so freeing it stays a no-op).
        check(unsafe { sys::krb5_get_renewed_creds(self.ptr, &mut creds.raw, client.ptr, cache.ptr, ptr::null()) })?;
        Ok(creds)
    }

    /// Gets a new initial TGT for `client` from a key in `keytab` (`krb5_get_init_creds_keytab`, default
    /// options). No cache is changed: store the result.
    pub fn creds_from_keytab(&self, client: &Principal<'_>, keytab: &Keytab<'_>) -> Result<Creds<'_>, Code> {
        let mut creds = Creds::empty(self);
        // SAFETY: valid context, principal and keytab; creds is an empty struct the library fills on success;
        // null service and options mean the TGT and the defaults.
        check(unsafe {
            sys::krb5_get_init_creds_keytab(
                self.ptr,
                &mut creds.raw,
                client.ptr,
                keytab.ptr,
                0,
                ptr::null(),
                ptr::null_mut(),
            )
        })?;
        Ok(creds)
    }

    /// The unparsed name of `p`.
    fn unparse(&self, p: sys::krb5_const_principal) -> Result<String, Code> {
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: valid context and principal; `out` is copied and freed with krb5_free_unparsed_name, once.
        unsafe {
            check(sys::krb5_unparse_name(self.ptr, p, &mut out))?;
            let s = string(out);
            if !out.is_null() {
                sys::krb5_free_unparsed_name(self.ptr, out);
            }
            s.ok_or(0)
        }
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        // SAFETY: created by krb5_init_context, freed once; every handle borrowing it is gone by now.
        unsafe { sys::krb5_free_context(self.ptr) }
    }
}

/// An open credential cache handle, closed (not destroyed) on drop.
pub struct Ccache<'c> {
    ctx: &'c Context,
    ptr: sys::krb5_ccache,
}

impl<'c> Ccache<'c> {
    /// The cache type, e.g. `FILE`, `DIR`, `KEYRING`, `KCM`, `MEMORY`.
    pub fn type_name(&self) -> Option<String> {
        // SAFETY: valid context and cache; the string is static in the library and copied at once.
        unsafe { string(sys::krb5_cc_get_type(self.ctx.ptr, self.ptr)) }
    }

    /// The name without its type (the residual), e.g. a FILE cache's path, or `:/dir/tkt` for a DIR member.
    pub fn residual(&self) -> Option<String> {
        // SAFETY: valid context and cache; the string belongs to the handle and is copied at once.
        unsafe { string(sys::krb5_cc_get_name(self.ctx.ptr, self.ptr)) }
    }

    /// The full name `TYPE:residual`, as klist shows it.
    pub fn full_name(&self) -> Result<String, Code> {
        let mut full: *mut c_char = ptr::null_mut();
        // SAFETY: valid context and cache; the name is copied and freed with krb5_free_string, once.
        unsafe {
            check(sys::krb5_cc_get_full_name(self.ctx.ptr, self.ptr, &mut full))?;
            let s = string(full);
            if !full.is_null() {
                sys::krb5_free_string(self.ctx.ptr, full);
            }
            s.ok_or(0)
        }
    }

    /// The cache's default principal.
    pub fn principal(&self) -> Result<Principal<'c>, Code> {
        let mut p: sys::krb5_principal = ptr::null_mut();
        // SAFETY: valid context and cache, out-pointer to a local; freed by Principal.
        check(unsafe { sys::krb5_cc_get_principal(self.ctx.ptr, self.ptr, &mut p) })?;
        Principal::owned(self.ctx, p)
    }

    /// Starts walking the credentials in the cache.
    pub fn cursor(&self) -> Result<Cursor<'_, 'c>, Code> {
        let mut cursor: sys::krb5_cc_cursor = ptr::null_mut();
        // SAFETY: valid context and cache, out-pointer to a local; the cursor is ended by Cursor.
        check(unsafe { sys::krb5_cc_start_seq_get(self.ctx.ptr, self.ptr, &mut cursor) })?;
        Ok(Cursor { cache: self, cursor, open: true })
    }

    /// Empties the cache and sets its default principal.
    pub fn initialize(&self, principal: &Principal<'_>) -> Result<(), Code> {
        // SAFETY: valid context, cache and principal (the library copies the principal).
        check(unsafe { sys::krb5_cc_initialize(self.ctx.ptr, self.ptr, principal.ptr) })
    }

    /// Adds `creds` to the cache (the library copies them).
    pub fn store(&self, creds: &mut Creds<'_>) -> Result<(), Code> {
        // SAFETY: valid context, cache and filled creds.
        check(unsafe { sys::krb5_cc_store_cred(self.ctx.ptr, self.ptr, &mut creds.raw) })
    }

    /// Replaces the contents of `dst` with this cache's (atomically for FILE in MIT >= 1.20: a temporary file
    /// renamed over it) and destroys this cache. On failure this cache is destroyed all the same.
    pub fn move_to(self, dst: &Ccache<'_>) -> Result<(), Code> {
        let this = ManuallyDrop::new(self);
        // SAFETY: valid context and both caches; on success krb5_cc_move destroys `this` and frees its
        // handle, so it is neither closed nor used again (ManuallyDrop).
        let code = unsafe { sys::krb5_cc_move(this.ctx.ptr, this.ptr, dst.ptr) };
        if code != 0 {
            // SAFETY: on failure the handle is still ours (krb5_cc_move's last step, destroying `this`, is the
            // only one that frees it, and destroying a MEMORY cache does not fail): destroyed and freed once here.
            unsafe { sys::krb5_cc_destroy(this.ctx.ptr, this.ptr) };
        }
        check(code)
    }

    /// Destroys the cache (its contents, and for FILE its file) and frees the handle.
    pub fn destroy(self) -> Result<(), Code> {
        let this = ManuallyDrop::new(self);
        // SAFETY: valid context and cache; krb5_cc_destroy frees the handle even when it fails, so it is
        // not closed again (ManuallyDrop).
        check(unsafe { sys::krb5_cc_destroy(this.ctx.ptr, this.ptr) })
    }
}

impl Drop for Ccache<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved handle, closed once (closing never destroys the cache).
        unsafe {
            sys::krb5_cc_close(self.ctx.ptr, self.ptr);
        }
    }
}

/// A walk through a cache's credentials; ended on drop (or by [`Cursor::end`], which reports a failure).
pub struct Cursor<'a, 'c> {
    cache: &'a Ccache<'c>,
    cursor: sys::krb5_cc_cursor,
    open: bool,
}

impl<'c> Cursor<'_, 'c> {
    /// The next credential; None at the end.
    pub fn next_creds(&mut self) -> Result<Option<Creds<'c>>, Code> {
        let ctx = self.cache.ctx;
        let mut creds = Creds::empty(ctx);
        // SAFETY: valid context, cache and open cursor; creds is an empty struct the library fills.
        let code = unsafe { sys::krb5_cc_next_cred(ctx.ptr, self.cache.ptr, &mut self.cursor, &mut creds.raw) };
        match code {
            0 => Ok(Some(creds)),
            sys::KRB5_CC_END => Ok(None),
            code => {
                // Not freed: what a failed read left in the struct is not ours to free.
                std::mem::forget(creds);
                Err(code)
            }
        }
    }

    /// Ends the walk.
    pub fn end(mut self) -> Result<(), Code> {
        self.open = false;
        // SAFETY: valid context and cache; the cursor came from start_seq_get and is ended once.
        check(unsafe { sys::krb5_cc_end_seq_get(self.cache.ctx.ptr, self.cache.ptr, &mut self.cursor) })
    }
}

impl Drop for Cursor<'_, '_> {
    fn drop(&mut self) {
        if self.open {
            // SAFETY: valid context and cache; the cursor came from start_seq_get and is ended once.
            unsafe {
                sys::krb5_cc_end_seq_get(self.cache.ctx.ptr, self.cache.ptr, &mut self.cursor);
            }
        }
    }
}

/// A principal: owned (freed on drop) or borrowed from a [`Creds`] (which frees it).
pub struct Principal<'a> {
    ctx: &'a Context,
    ptr: sys::krb5_principal,
    owned: bool,
}

impl<'a> Principal<'a> {
    fn owned(ctx: &'a Context, ptr: sys::krb5_principal) -> Result<Principal<'a>, Code> {
        if ptr.is_null() {
            return Err(0);
        }
        Ok(Principal { ctx, ptr, owned: true })
    }

    /// The principal's name, e.g. `alice@DUCT.TEST`.
    pub fn unparse(&self) -> Result<String, Code> {
        self.ctx.unparse(self.ptr)
    }

    /// The realm's bytes.
    pub fn realm(&self) -> &[u8] {
        // SAFETY: a valid principal; its realm lives as long as the principal, which `self` borrows.
        unsafe { data_bytes(&(*self.ptr).realm) }
    }

    /// The name's components (e.g. `krbtgt`, `REALM` for a TGT's server).
    pub fn components(&self) -> Vec<&[u8]> {
        // SAFETY: a valid principal holds `length` components at `data`, living as long as the principal.
        unsafe {
            let p = &*self.ptr;
            if p.data.is_null() || p.length <= 0 {
                return Vec::new();
            }
            std::slice::from_raw_parts(p.data, p.length as usize).iter().map(|d| data_bytes(d)).collect()
        }
    }

    /// A cache configuration entry's principal (`X-CACHECONF:`), not a real one.
    pub fn is_config(&self) -> bool {
        // SAFETY: valid context and principal.
        unsafe { sys::krb5_is_config_principal(self.ctx.ptr, self.ptr) != 0 }
    }
}

impl Drop for Principal<'_> {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: allocated by libkrb5 for this context, owned by us, freed once.
            unsafe { sys::krb5_free_principal(self.ctx.ptr, self.ptr) }
        }
    }
}

/// A credential's times, in seconds since the epoch (the library's 0 start time resolved to the auth time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub authtime: i64,
    pub starttime: i64,
    pub endtime: i64,
    /// 0 when the ticket carries none.
    pub renew_till: i64,
}

/// Credentials filled by libkrb5, whose contents are freed on drop.
pub struct Creds<'c> {
    ctx: &'c Context,
    raw: sys::krb5_creds,
}

impl<'c> Creds<'c> {
    fn empty(ctx: &'c Context) -> Creds<'c> {
        // SAFETY: krb5_creds is plain integers and pointers; all-zero is its documented empty value, whose
        // contents krb5_free_cred_contents frees as nothing.
        Creds { ctx, raw: unsafe { MaybeUninit::zeroed().assume_init() } }
    }

    fn borrowed(&self, p: sys::krb5_principal) -> Option<Principal<'_>> {
        (!p.is_null()).then_some(Principal { ctx: self.ctx, ptr: p, owned: false })
    }

    /// The client principal, e.g. `alice@DUCT.TEST`.
    pub fn client(&self) -> Option<Principal<'_>> {
        self.borrowed(self.raw.client)
    }

    /// The server principal, e.g. `krbtgt/DUCT.TEST@DUCT.TEST`.
    pub fn server(&self) -> Option<Principal<'_>> {
        self.borrowed(self.raw.server)
    }

    pub fn times(&self) -> Times {
        let t = self.raw.times;
        // MIT treats krb5_timestamp as unsigned: good to 2106.
        let ts = |v: sys::krb5_timestamp| i64::from(v as u32);
        Times {
            authtime: ts(t.authtime),
            starttime: if t.starttime == 0 { ts(t.authtime) } else { ts(t.starttime) },
            endtime: ts(t.endtime),
            renew_till: ts(t.renew_till),
        }
    }

    /// The `TKT_FLG_*` bits.
    pub fn flags(&self) -> u32 {
        self.raw.ticket_flags as u32
    }
}

impl Drop for Creds<'_> {
    fn drop(&mut self) {
        // SAFETY: empty or filled by libkrb5 for this context; the contents are freed once.
        unsafe { sys::krb5_free_cred_contents(self.ctx.ptr, &mut self.raw) }
    }
}

/// An open keytab handle, closed on drop.
pub struct Keytab<'c> {
    ctx: &'c Context,
    ptr: sys::krb5_keytab,
}

impl<'c> Keytab<'c> {
    fn owned(ctx: &'c Context, ptr: sys::krb5_keytab) -> Result<Keytab<'c>, Code> {
        if ptr.is_null() {
            return Err(0);
        }
        Ok(Keytab { ctx, ptr })
    }

    /// Its name as libkrb5 gives it, e.g. `FILE:/etc/krb5.keytab`.
    pub fn name(&self) -> Result<String, Code> {
        let mut buf = [0 as c_char; 1024];
        // SAFETY: a buffer of one byte more than the stated length, which stays 0, so the result is
        // NUL-terminated within it whatever the library wrote.
        unsafe {
            check(sys::krb5_kt_get_name(self.ctx.ptr, self.ptr, buf.as_mut_ptr(), buf.len() as u32 - 1))?;
            string(buf.as_ptr()).ok_or(0)
        }
    }

    /// Ok when it exists and holds at least one key.
    pub fn have_content(&self) -> Result<(), Code> {
        // SAFETY: valid context and keytab.
        check(unsafe { sys::krb5_kt_have_content(self.ctx.ptr, self.ptr) })
    }

    /// Whether it holds a key (any version, any enctype) for `principal`.
    pub fn has_key_for(&self, principal: &Principal<'_>) -> Result<bool, Code> {
        // SAFETY: all-zero is the empty keytab entry.
        let mut entry: sys::krb5_keytab_entry = unsafe { MaybeUninit::zeroed().assume_init() };
        // SAFETY: valid context, keytab and principal; vno 0 / enctype 0 = any.
        let code = unsafe { sys::krb5_kt_get_entry(self.ctx.ptr, self.ptr, principal.ptr, 0, 0, &mut entry) };
        match code {
            0 => {
                // SAFETY: filled by kt_get_entry; freed once.
                unsafe { sys::krb5_free_keytab_entry_contents(self.ctx.ptr, &mut entry) };
                Ok(true)
            }
            sys::KRB5_KT_NOTFOUND => Ok(false),
            code => Err(code),
        }
    }
}

impl Drop for Keytab<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved handle, closed once.
        unsafe {
            sys::krb5_kt_close(self.ctx.ptr, self.ptr);
        }
    }
}

/// A krb5 profile (krb5.conf files), read-only.
pub struct Profile {
    ptr: sys::profile_t,
}

impl Profile {
    /// Opens the colon-separated file list `path` (missing files are skipped by libkrb5). None when it cannot
    /// (libkrb5 not loaded, a file unparsable).
    pub fn open(path: &str) -> Option<Profile> {
        let c = CString::new(path).ok()?;
        let mut p: sys::profile_t = ptr::null_mut();
        // SAFETY: NUL-terminated path, out-pointer to a local; released on drop.
        let code = unsafe { sys::profile_init_path(c.as_ptr(), &mut p) };
        (code == 0 && !p.is_null()).then_some(Profile { ptr: p })
    }

    /// `[section] name = value` (first value), if set.
    pub fn get(&self, section: &str, name: &str) -> Option<String> {
        let s = CString::new(section).ok()?;
        let n = CString::new(name).ok()?;
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: valid profile and strings; the result is copied and released with profile_release_string, once.
        unsafe {
            let code = sys::profile_get_string(self.ptr, s.as_ptr(), n.as_ptr(), ptr::null(), ptr::null(), &mut out);
            if code != 0 || out.is_null() {
                return None;
            }
            let v = string(out);
            sys::profile_release_string(out);
            v
        }
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        // SAFETY: from profile_init_path, released once.
        unsafe { sys::profile_release(self.ptr) }
    }
}
