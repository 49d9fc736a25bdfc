//! Reading credential caches and keytabs through libkrb5, read-only.
//!
//! [`Context`] and [`Cache`] own their libkrb5 handles and free them on drop;
//! every other allocation (principals, names, creds, cursors, messages) is
//! freed before the function that made it returns. A `Context` is not
//! thread-safe (libkrb5 contexts must not be shared between threads), so it
//! is `Send` but not `Sync`.

use std::ffi::{CStr, CString, c_char};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;

use super::ffi;
use super::{CacheId, CacheKind, CacheStatus, KrbError, Tgt};

/// A libkrb5 context (`krb5_init_context`; reads `KRB5_CONFIG` and the
/// environment at creation).
pub struct Context {
    ptr: ffi::krb5_context,
    // Not Sync: a krb5 context must not be used by two threads at once.
    _not_sync: PhantomData<std::cell::Cell<()>>,
}

// SAFETY: a krb5_context may move between threads; it only must not be used concurrently.
unsafe impl Send for Context {}

impl Context {
    pub fn new() -> Result<Context, KrbError> {
        if let Err(e) = ffi::library() {
            return Err(KrbError {
                during: "not available".into(),
                cache: None,
                code: ffi::NOT_LOADED,
                message: e.to_string(),
            });
        }
        let mut ptr: ffi::krb5_context = ptr::null_mut();
        // SAFETY: out-pointer to a local.
        let code = unsafe { ffi::krb5_init_context(&mut ptr) };
        if code != 0 || ptr.is_null() {
            // SAFETY: MIT accepts a null context here (com_err's message for the code).
            let message = unsafe {
                let m = ffi::krb5_get_error_message(ptr::null_mut(), code);
                if m.is_null() {
                    format!("krb5 error {code}")
                } else {
                    let s = CStr::from_ptr(m).to_string_lossy().into_owned();
                    ffi::krb5_free_error_message(ptr::null_mut(), m);
                    s
                }
            };
            if !ptr.is_null() {
                // SAFETY: a context returned alongside an error is still ours to free.
                unsafe { ffi::krb5_free_context(ptr) };
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

    /// The raw handle, for calls this module does not wrap (renewal).
    pub fn as_ptr(&self) -> ffi::krb5_context {
        self.ptr
    }

    /// The library's message for `code`.
    pub fn message(&self, code: ffi::krb5_error_code) -> String {
        // SAFETY: ctx valid; the returned string is freed with krb5_free_error_message.
        unsafe {
            let m = ffi::krb5_get_error_message(self.ptr, code);
            if m.is_null() {
                return format!("krb5 error {code}");
            }
            let s = CStr::from_ptr(m).to_string_lossy().into_owned();
            ffi::krb5_free_error_message(self.ptr, m);
            s
        }
    }

    /// A [`KrbError`] for `code`.
    pub fn error(&self, during: &str, cache: Option<&CacheId>, code: ffi::krb5_error_code) -> KrbError {
        KrbError { during: during.to_string(), cache: cache.cloned(), code, message: self.message(code) }
    }

    /// The default cache name: `KRB5CCNAME`, else krb5.conf's
    /// `default_ccache_name` (tokens such as `%{uid}` expanded), else the
    /// built-in `FILE:/tmp/krb5cc_%{uid}`.
    pub fn default_cache_name(&self) -> Result<String, KrbError> {
        // SAFETY: ctx valid; the result is owned by the context (not freed by us).
        let p = unsafe { ffi::krb5_cc_default_name(self.ptr) };
        if p.is_null() {
            return Err(KrbError {
                during: "finding the default credential cache".into(),
                cache: None,
                code: 0,
                message: "krb5_cc_default_name returned nothing".into(),
            });
        }
        // SAFETY: non-null NUL-terminated string owned by the context.
        Ok(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }

    /// Opens (resolves) a cache: `name`, or the default cache. Resolving
    /// does not create anything; a missing cache shows up when it is read.
    pub fn open_cache(&self, name: Option<&str>) -> Result<Cache<'_>, KrbError> {
        let name = match name {
            Some(n) => n.to_string(),
            None => self.default_cache_name()?,
        };
        let Ok(cname) = CString::new(name.as_bytes()) else {
            return Err(KrbError {
                during: "resolving the credential cache".into(),
                cache: None,
                code: 0,
                message: format!("cache name {name:?} contains a NUL byte"),
            });
        };
        let mut cc: ffi::krb5_ccache = ptr::null_mut();
        // SAFETY: ctx valid, name NUL-terminated, out-pointer to a local.
        let code = unsafe { ffi::krb5_cc_resolve(self.ptr, cname.as_ptr(), &mut cc) };
        if code != 0 || cc.is_null() {
            let id = CacheId { name: name.clone(), kind: kind_from_name(&name) };
            return Err(self.error("resolving the credential cache", Some(&id), code));
        }
        Ok(Cache { ctx: self, ptr: cc })
    }

    /// The unparsed name of `p` (e.g. `alice@DUCT.TEST`).
    fn unparse(&self, p: ffi::krb5_const_principal) -> Result<String, ffi::krb5_error_code> {
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: ctx and principal valid; `out` freed with krb5_free_unparsed_name.
        unsafe {
            let code = ffi::krb5_unparse_name(self.ptr, p, &mut out);
            if code != 0 || out.is_null() {
                return Err(code);
            }
            let s = CStr::from_ptr(out).to_string_lossy().into_owned();
            ffi::krb5_free_unparsed_name(self.ptr, out);
            Ok(s)
        }
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        // SAFETY: created by krb5_init_context, freed once.
        unsafe { ffi::krb5_free_context(self.ptr) }
    }
}

/// The cache type named by a cache name's prefix (`FILE:` when there is none).
pub fn kind_from_name(name: &str) -> CacheKind {
    match name.split_once(':') {
        // A one-letter "type" is a Windows drive, and a '/' before ':' means a path.
        Some((t, _)) if t.len() > 1 && !t.contains('/') => CacheKind::from_type(t),
        _ => CacheKind::File,
    }
}

/// An open credential cache handle, closed (not destroyed) on drop.
pub struct Cache<'c> {
    ctx: &'c Context,
    ptr: ffi::krb5_ccache,
}

impl<'c> Cache<'c> {
    /// The raw handle, for calls this module does not wrap (renewal).
    pub fn as_ptr(&self) -> ffi::krb5_ccache {
        self.ptr
    }

    /// Full name (`TYPE:residual`) and type.
    pub fn id(&self) -> CacheId {
        // SAFETY: ctx and cache valid; get_type's string is static, the full name is freed with krb5_free_string.
        unsafe {
            let t = ffi::krb5_cc_get_type(self.ctx.ptr, self.ptr);
            let kind = if t.is_null() {
                CacheKind::Other("?".into())
            } else {
                CacheKind::from_type(&CStr::from_ptr(t).to_string_lossy())
            };
            let mut full: *mut c_char = ptr::null_mut();
            let code = ffi::krb5_cc_get_full_name(self.ctx.ptr, self.ptr, &mut full);
            let name = if code == 0 && !full.is_null() {
                let s = CStr::from_ptr(full).to_string_lossy().into_owned();
                ffi::krb5_free_string(self.ctx.ptr, full);
                s
            } else {
                let r = ffi::krb5_cc_get_name(self.ctx.ptr, self.ptr);
                let residual =
                    if r.is_null() { String::new() } else { CStr::from_ptr(r).to_string_lossy().into_owned() };
                format!("{kind}:{residual}")
            };
            CacheId { name, kind }
        }
    }

    /// Reads the default principal and the TGT. A missing cache is
    /// `Ok(NoCache)`; an unreadable one (garbage, truncated, permission,
    /// no KCM daemon) is `Err`.
    pub fn status(&self) -> Result<CacheStatus, KrbError> {
        let id = self.id();
        let mut princ: ffi::krb5_principal = ptr::null_mut();
        // SAFETY: ctx and cache valid; principal freed below.
        let code = unsafe { ffi::krb5_cc_get_principal(self.ctx.ptr, self.ptr, &mut princ) };
        if code == ffi::KRB5_FCC_NOFILE || code == ffi::KRB5_CC_NOTFOUND {
            return Ok(CacheStatus::NoCache { cache: id });
        }
        if code != 0 || princ.is_null() {
            return Err(self.ctx.error("reading the credential cache's principal", Some(&id), code));
        }
        let principal = Principal { ctx: self.ctx, ptr: princ };
        let name = self
            .ctx
            .unparse(principal.ptr)
            .map_err(|c| self.ctx.error("reading the credential cache's principal", Some(&id), c))?;
        // SAFETY: principal is valid and owned; realm bytes copied out.
        let realm = unsafe { data_bytes(&(*principal.ptr).realm) }.to_vec();
        match self.find_tgt(&realm, &id)? {
            Some(tgt) => Ok(CacheStatus::Tgt { cache: id, principal: name, tgt }),
            None => {
                // libkrb5 ends a FILE cache's listing quietly at a credential cut off by
                // truncation (e.g. krenew rewriting in place): say so rather than "no TGT".
                if let Some(problem) =
                    self.file_path().and_then(|p| std::fs::read(p).ok()).and_then(|b| file_cache_problem(&b))
                {
                    return Err(KrbError {
                        during: "reading the credential cache".into(),
                        cache: Some(id),
                        code: ffi::KRB5_CC_FORMAT,
                        message: problem,
                    });
                }
                Ok(CacheStatus::NoTgt { cache: id, principal: name })
            }
        }
    }

    /// The file behind a FILE cache or a DIR collection's member.
    fn file_path(&self) -> Option<std::path::PathBuf> {
        // SAFETY: ctx and cache valid; both strings belong to the cache handle.
        let (t, r) = unsafe {
            let t = ffi::krb5_cc_get_type(self.ctx.ptr, self.ptr);
            let r = ffi::krb5_cc_get_name(self.ctx.ptr, self.ptr);
            if t.is_null() || r.is_null() {
                return None;
            }
            (CStr::from_ptr(t).to_string_lossy().into_owned(), CStr::from_ptr(r).to_string_lossy().into_owned())
        };
        match t.as_str() {
            "FILE" => Some(r.into()),
            "DIR" => r.strip_prefix(':').map(Into::into),
            _ => None,
        }
    }

    /// Walks the cache for `krbtgt/REALM@REALM` (config entries skipped); the
    /// one with the latest end time when there are several.
    fn find_tgt(&self, realm: &[u8], id: &CacheId) -> Result<Option<Tgt>, KrbError> {
        let ctx = self.ctx;
        let mut cursor: ffi::krb5_cc_cursor = ptr::null_mut();
        // SAFETY: ctx and cache valid; the cursor is ended below on every path.
        let code = unsafe { ffi::krb5_cc_start_seq_get(ctx.ptr, self.ptr, &mut cursor) };
        if code == ffi::KRB5_FCC_NOFILE {
            return Ok(None);
        }
        if code != 0 {
            return Err(ctx.error("reading the credential cache", Some(id), code));
        }
        let mut best: Option<Tgt> = None;
        let mut failure = None;
        loop {
            // SAFETY: krb5_creds is plain integers and pointers; all-zero is its empty value.
            let mut creds: ffi::krb5_creds = unsafe { MaybeUninit::zeroed().assume_init() };
            // SAFETY: valid ctx, cache, cursor; creds freed with krb5_free_cred_contents on success.
            let code = unsafe { ffi::krb5_cc_next_cred(ctx.ptr, self.ptr, &mut cursor, &mut creds) };
            if code == ffi::KRB5_CC_END {
                break;
            }
            if code != 0 {
                failure = Some(ctx.error("reading the credential cache", Some(id), code));
                break;
            }
            let found = self.tgt_from(&creds, realm);
            // SAFETY: creds were filled by next_cred.
            unsafe { ffi::krb5_free_cred_contents(ctx.ptr, &mut creds) };
            match found {
                Ok(Some(t)) if best.as_ref().is_none_or(|b| t.endtime > b.endtime) => best = Some(t),
                Ok(_) => {}
                Err(c) => {
                    failure = Some(ctx.error("reading a credential's principal", Some(id), c));
                    break;
                }
            }
        }
        // SAFETY: the cursor came from start_seq_get.
        let code = unsafe { ffi::krb5_cc_end_seq_get(ctx.ptr, self.ptr, &mut cursor) };
        if let Some(f) = failure {
            return Err(f);
        }
        if code != 0 {
            return Err(ctx.error("reading the credential cache", Some(id), code));
        }
        Ok(best)
    }

    fn tgt_from(&self, creds: &ffi::krb5_creds, realm: &[u8]) -> Result<Option<Tgt>, ffi::krb5_error_code> {
        if creds.server.is_null() || creds.client.is_null() {
            return Ok(None);
        }
        // SAFETY: server/client are valid principals owned by `creds` for this call.
        unsafe {
            if ffi::krb5_is_config_principal(self.ctx.ptr, creds.server) != 0 {
                return Ok(None);
            }
            let s = &*creds.server;
            if s.length != 2 || s.data.is_null() || data_bytes(&s.realm) != realm {
                return Ok(None);
            }
            let c0 = data_bytes(&*s.data);
            let c1 = data_bytes(&*s.data.add(1));
            if c0 != b"krbtgt" || c1 != realm {
                return Ok(None);
            }
            let t = creds.times;
            let ts = |v: ffi::krb5_timestamp| i64::from(v as u32);
            Ok(Some(Tgt {
                client: self.ctx.unparse(creds.client)?,
                server: self.ctx.unparse(creds.server)?,
                authtime: ts(t.authtime),
                starttime: if t.starttime == 0 { ts(t.authtime) } else { ts(t.starttime) },
                endtime: ts(t.endtime),
                renew_till: ts(t.renew_till),
                flags: creds.ticket_flags as u32,
            }))
        }
    }
}

impl Drop for Cache<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved handle, closed once (closing never destroys the cache).
        unsafe {
            ffi::krb5_cc_close(self.ctx.ptr, self.ptr);
        }
    }
}

struct Principal<'c> {
    ctx: &'c Context,
    ptr: ffi::krb5_principal,
}

impl Drop for Principal<'_> {
    fn drop(&mut self) {
        // SAFETY: allocated by libkrb5, freed once.
        unsafe { ffi::krb5_free_principal(self.ctx.ptr, self.ptr) }
    }
}

/// The bytes of a krb5_data (empty when null).
///
/// # Safety
/// `d.data` must be null or point to `d.length` readable bytes that outlive the result.
unsafe fn data_bytes(d: &ffi::krb5_data) -> &[u8] {
    if d.data.is_null() || d.length == 0 {
        &[]
    } else {
        // SAFETY: per the function's contract.
        unsafe { std::slice::from_raw_parts(d.data.cast::<u8>(), d.length as usize) }
    }
}

/// Checks the structure of a FILE credential cache (formats 3 and 4,
/// `doc/formats/ccache_file_format.rst`): None when it parses to the end,
/// else what is wrong (typically: a credential cut off by truncation).
/// Formats 1 and 2 (obsolete, host byte order) are not checked.
pub fn file_cache_problem(bytes: &[u8]) -> Option<String> {
    struct R<'a> {
        b: &'a [u8],
        at: usize,
    }
    impl R<'_> {
        fn take(&mut self, n: usize) -> Option<&[u8]> {
            let v = self.b.get(self.at..self.at.checked_add(n)?)?;
            self.at += n;
            Some(v)
        }
        fn u8(&mut self) -> Option<u8> {
            self.take(1)?.first().copied()
        }
        fn u16(&mut self) -> Option<u16> {
            let v = self.take(2)?;
            Some(u16::from_be_bytes([*v.first()?, *v.get(1)?]))
        }
        fn u32(&mut self) -> Option<u32> {
            let v = self.take(4)?;
            Some(u32::from_be_bytes([*v.first()?, *v.get(1)?, *v.get(2)?, *v.get(3)?]))
        }
        fn data(&mut self) -> Option<()> {
            let n = self.u32()? as usize;
            self.take(n).map(|_| ())
        }
        fn principal(&mut self) -> Option<()> {
            let _name_type = self.u32()?;
            let n = self.u32()?;
            self.data()?;
            for _ in 0..n {
                self.data()?;
            }
            Some(())
        }
        fn counted(&mut self) -> Option<()> {
            for _ in 0..self.u32()? {
                self.u16()?;
                self.data()?;
            }
            Some(())
        }
        fn cred(&mut self, version: u16) -> Option<()> {
            self.principal()?;
            self.principal()?;
            self.u16()?;
            if version == 3 {
                self.u16()?;
            }
            self.data()?;
            self.take(16)?;
            self.u8()?;
            self.u32()?;
            self.counted()?;
            self.counted()?;
            self.data()?;
            self.data()
        }
    }
    let mut r = R { b: bytes, at: 0 };
    let Some(version) = r.u16() else {
        return Some(format!("the cache file is {} bytes long: too short for a credential cache", bytes.len()));
    };
    match version {
        0x0501 | 0x0502 => return None,
        0x0503 | 0x0504 => {}
        v => return Some(format!("not a credential cache (format tag 0x{v:04x})")),
    }
    if version == 0x0504 && r.u16().and_then(|n| r.take(usize::from(n))).is_none() {
        return Some("the cache file's header is cut off".into());
    }
    if r.principal().is_none() {
        return Some("the cache file's default principal is cut off".into());
    }
    let mut n = 0;
    while r.at < bytes.len() {
        let start = r.at;
        if r.cred(version).is_none() {
            return Some(format!(
                "the cache file is truncated or corrupt: credential {} (from byte {start} of {}) is cut off",
                n + 1,
                bytes.len()
            ));
        }
        n += 1;
    }
    None
}

/// Reads the cache `name` (None: the default cache) with `ctx`.
/// A cache that does not exist (including a DIR collection whose directory
/// is missing, which fails already at resolve) is `Ok(NoCache)`.
pub fn read_cache(ctx: &Context, name: Option<&str>) -> Result<CacheStatus, KrbError> {
    match ctx.open_cache(name) {
        Ok(cache) => cache.status(),
        Err(KrbError { code: ffi::KRB5_FCC_NOFILE, cache: Some(cache), .. }) => Ok(CacheStatus::NoCache { cache }),
        Err(e) => Err(e),
    }
}

/// What a keytab offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeytabStatus {
    /// As libkrb5 names it, e.g. `FILE:/var/lib/krb5/user/0/client.keytab`.
    pub name: String,
    /// It exists and holds at least one key.
    pub usable: bool,
    /// Whether it holds a key for the principal asked about (None: not asked, or unreadable).
    pub has_principal: Option<bool>,
    /// Why it is not usable, in words.
    pub problem: Option<String>,
}

/// Looks at a keytab without changing it: `path` (a path or `TYPE:name`), or
/// None for the client keytab libkrb5 would use (`KRB5_CLIENT_KTNAME`, else
/// `default_client_keytab_name`, else the built-in default). With
/// `principal`, also whether it holds a key for it.
pub fn keytab_status(ctx: &Context, path: Option<&str>, principal: Option<&str>) -> Result<KeytabStatus, KrbError> {
    let mut kt: ffi::krb5_keytab = ptr::null_mut();
    let code = match path {
        Some(p) => {
            let full = if p.starts_with('/') || !p.contains(':') { format!("FILE:{p}") } else { p.to_string() };
            let Ok(c) = CString::new(full) else {
                return Err(KrbError {
                    during: "opening the keytab".into(),
                    cache: None,
                    code: 0,
                    message: "keytab name contains a NUL byte".into(),
                });
            };
            // SAFETY: ctx valid, name NUL-terminated, out-pointer to a local.
            unsafe { ffi::krb5_kt_resolve(ctx.ptr, c.as_ptr(), &mut kt) }
        }
        // SAFETY: ctx valid, out-pointer to a local.
        None => unsafe { ffi::krb5_kt_client_default(ctx.ptr, &mut kt) },
    };
    if code != 0 || kt.is_null() {
        return Err(ctx.error("opening the keytab", None, code));
    }
    let kt = Keytab { ctx, ptr: kt };
    let mut buf = [0 as c_char; 1024];
    // SAFETY: buffer of the stated length; the library NUL-terminates on success.
    let code = unsafe { ffi::krb5_kt_get_name(ctx.ptr, kt.ptr, buf.as_mut_ptr(), buf.len() as u32 - 1) };
    let name = if code == 0 {
        // SAFETY: NUL-terminated within buf on success; the last byte is never written past.
        unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
    } else {
        path.unwrap_or("?").to_string()
    };
    // SAFETY: ctx and keytab valid.
    let code = unsafe { ffi::krb5_kt_have_content(ctx.ptr, kt.ptr) };
    if code != 0 {
        let problem = if let Some(p) = name.strip_prefix("FILE:").filter(|p| !std::path::Path::new(p).exists()) {
            format!("{p} does not exist")
        } else {
            ctx.message(code)
        };
        return Ok(KeytabStatus { name, usable: false, has_principal: None, problem: Some(problem) });
    }
    let has_principal = match principal {
        None => None,
        Some(p) => {
            let Ok(cp) = CString::new(p) else {
                return Ok(KeytabStatus { name, usable: true, has_principal: None, problem: None });
            };
            let mut princ: ffi::krb5_principal = ptr::null_mut();
            // SAFETY: ctx valid, name NUL-terminated, principal freed by the guard.
            let code = unsafe { ffi::krb5_parse_name(ctx.ptr, cp.as_ptr(), &mut princ) };
            if code != 0 || princ.is_null() {
                None
            } else {
                let princ = Principal { ctx, ptr: princ };
                // SAFETY: zeroed is the empty entry; contents freed on success.
                let mut entry: ffi::krb5_keytab_entry = unsafe { MaybeUninit::zeroed().assume_init() };
                // SAFETY: valid ctx, keytab and principal; vno 0 / enctype 0 = any.
                let code = unsafe { ffi::krb5_kt_get_entry(ctx.ptr, kt.ptr, princ.ptr, 0, 0, &mut entry) };
                if code == 0 {
                    // SAFETY: filled by kt_get_entry.
                    unsafe { ffi::krb5_free_keytab_entry_contents(ctx.ptr, &mut entry) };
                    Some(true)
                } else if code == ffi::KRB5_KT_NOTFOUND {
                    Some(false)
                } else {
                    None
                }
            }
        }
    };
    let problem = (has_principal == Some(false)).then(|| format!("no key for {}", principal.unwrap_or("?")));
    Ok(KeytabStatus { name, usable: true, has_principal, problem })
}

struct Keytab<'c> {
    ctx: &'c Context,
    ptr: ffi::krb5_keytab,
}

impl Drop for Keytab<'_> {
    fn drop(&mut self) {
        // SAFETY: resolved handle, closed once.
        unsafe {
            ffi::krb5_kt_close(self.ctx.ptr, self.ptr);
        }
    }
}

/// A krb5 profile (krb5.conf files), read-only.
pub(crate) struct Profile {
    ptr: ffi::profile_t,
}

impl Profile {
    /// Opens the colon-separated file list `path` (missing files are skipped by libkrb5).
    pub(crate) fn open(path: &str) -> Option<Profile> {
        let c = CString::new(path).ok()?;
        let mut p: ffi::profile_t = ptr::null_mut();
        // SAFETY: NUL-terminated path, out-pointer to a local; released on drop.
        let code = unsafe { ffi::profile_init_path(c.as_ptr(), &mut p) };
        (code == 0 && !p.is_null()).then_some(Profile { ptr: p })
    }

    /// `[section] name = value` (first value), if set.
    pub(crate) fn get(&self, section: &str, name: &str) -> Option<String> {
        let s = CString::new(section).ok()?;
        let n = CString::new(name).ok()?;
        let mut out: *mut c_char = ptr::null_mut();
        // SAFETY: valid profile and strings; the result is released with profile_release_string.
        unsafe {
            let code = ffi::profile_get_string(self.ptr, s.as_ptr(), n.as_ptr(), ptr::null(), ptr::null(), &mut out);
            if code != 0 || out.is_null() {
                return None;
            }
            let v = CStr::from_ptr(out).to_string_lossy().into_owned();
            ffi::profile_release_string(out);
            Some(v)
        }
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        // SAFETY: from profile_init_path, released once.
        unsafe { ffi::profile_release(self.ptr) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind_from_name("FILE:/tmp/x"), CacheKind::File);
        assert_eq!(kind_from_name("/tmp/krb5cc_0"), CacheKind::File);
        assert_eq!(kind_from_name("DIR:/d"), CacheKind::Dir);
        assert_eq!(kind_from_name("KEYRING:persistent:0"), CacheKind::Keyring);
        assert_eq!(kind_from_name("KCM:"), CacheKind::Kcm);
        assert_eq!(kind_from_name("API:x"), CacheKind::Other("API".into()));
    }

    #[test]
    fn missing_file_cache_is_no_cache() {
        let ctx = Context::new().expect("krb5 context");
        let st = read_cache(&ctx, Some("FILE:/nonexistent/duct-krb-test/cc")).expect("missing cache is not an error");
        assert!(matches!(st, CacheStatus::NoCache { .. }), "{st:?}");
        assert_eq!(st.cache().kind, CacheKind::File);
    }

    #[test]
    fn garbage_cache_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (i, bytes) in [&b"\x05\x04\x00"[..], &b"garbage garbage garbage"[..], &[][..]].iter().enumerate() {
            let p = dir.path().join(format!("cc{i}"));
            std::fs::write(&p, bytes).expect("write");
            let r = read_cache(&ctx_new(), Some(&format!("FILE:{}", p.display())));
            assert!(r.is_err(), "{i}: {r:?}");
        }
    }

    fn ctx_new() -> Context {
        Context::new().expect("krb5 context")
    }

    #[test]
    fn file_format_check() {
        // v4: header (len 12: tag 1, len 8, offset), principal a@B, no creds.
        let mut f = vec![5, 4, 0, 12, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0];
        let princ = |v: &mut Vec<u8>, comps: &[&[u8]]| {
            v.extend([0, 0, 0, 1]);
            v.extend((comps.len() as u32 - 1).to_be_bytes());
            for c in comps {
                v.extend((c.len() as u32).to_be_bytes());
                v.extend(*c);
            }
        };
        princ(&mut f, &[b"B", b"a"]);
        assert_eq!(file_cache_problem(&f), None);
        let mut cred = Vec::new();
        princ(&mut cred, &[b"B", b"a"]);
        princ(&mut cred, &[b"B", b"krbtgt", b"B"]);
        cred.extend([0, 18, 0, 0, 0, 2, 1, 2]); // keyblock
        cred.extend([0; 16]); // times
        cred.push(0); // is_skey
        cred.extend([0, 0x80, 0, 0]); // flags
        cred.extend([0, 0, 0, 0, 0, 0, 0, 0]); // no addresses, no authdata
        cred.extend([0, 0, 0, 3, 9, 9, 9, 0, 0, 0, 0]); // ticket, empty second ticket
        f.extend(&cred);
        assert_eq!(file_cache_problem(&f), None);
        for cut in 1..cred.len() {
            let t = &f[..f.len() - cut];
            assert!(file_cache_problem(t).is_some_and(|m| m.contains("credential 1")), "cut {cut}");
        }
        assert!(file_cache_problem(&f[..20]).is_some());
        assert!(file_cache_problem(b"").is_some());
        assert!(file_cache_problem(b"garbage").is_some_and(|m| m.contains("format tag")));
    }

    #[test]
    fn missing_keytab() {
        let st = keytab_status(&ctx_new(), Some("/nonexistent/duct.keytab"), Some("a@B")).expect("status");
        assert!(!st.usable);
        assert!(st.problem.unwrap_or_default().contains("does not exist"));
    }
}
