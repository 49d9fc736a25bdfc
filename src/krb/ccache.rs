//! Reading credential caches and keytabs, read-only, through the safe handles of [`ffi`](super::ffi): which
//! cache is meant, its principal and TGT, whether a FILE cache is cut off, what a keytab holds.

use std::ffi::CString;

use super::ffi::{self, Ccache, Context, Creds};
use super::{CacheId, CacheKind, CacheStatus, KrbError, Tgt};

impl Context {
    /// Opens (resolves) a cache: `name`, or the default cache. Resolving
    /// does not create anything; a missing cache shows up when it is read.
    pub fn open_cache(&self, name: Option<&str>) -> Result<Ccache<'_>, KrbError> {
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
        self.resolve_cache(&cname).map_err(|code| {
            let id = CacheId { name: name.clone(), kind: kind_from_name(&name) };
            self.error("resolving the credential cache", Some(&id), code)
        })
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

/// Full name (`TYPE:residual`) and type of an open cache.
pub fn cache_id(cache: &Ccache<'_>) -> CacheId {
    let kind = cache.type_name().map(|t| CacheKind::from_type(&t)).unwrap_or_else(|| CacheKind::Other("?".into()));
    let name = cache.full_name().unwrap_or_else(|_| format!("{kind}:{}", cache.residual().unwrap_or_default()));
    CacheId { name, kind }
}

/// Reads the default principal and the TGT of an open cache. A missing cache is `Ok(NoCache)`; an unreadable
/// one (garbage, truncated, permission, no KCM daemon) is `Err`.
pub fn cache_status(ctx: &Context, cache: &Ccache<'_>) -> Result<CacheStatus, KrbError> {
    let id = cache_id(cache);
    let principal = match cache.principal() {
        Ok(p) => p,
        Err(ffi::KRB5_FCC_NOFILE | ffi::KRB5_CC_NOTFOUND) => return Ok(CacheStatus::NoCache { cache: id }),
        Err(code) => return Err(ctx.error("reading the credential cache's principal", Some(&id), code)),
    };
    let name = principal.unparse().map_err(|c| ctx.error("reading the credential cache's principal", Some(&id), c))?;
    match find_tgt(ctx, cache, principal.realm(), &id)? {
        Some(tgt) => Ok(CacheStatus::Tgt { cache: id, principal: name, tgt }),
        None => {
            // libkrb5 ends a FILE cache's listing quietly at a credential cut off by
            // truncation (e.g. krenew rewriting in place): say so rather than "no TGT".
            if let Some(problem) =
                file_path(cache).and_then(|p| std::fs::read(p).ok()).and_then(|b| file_cache_problem(&b))
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
fn file_path(cache: &Ccache<'_>) -> Option<std::path::PathBuf> {
    let residual = cache.residual()?;
    match cache.type_name()?.as_str() {
        "FILE" => Some(residual.into()),
        "DIR" => residual.strip_prefix(':').map(Into::into),
        _ => None,
    }
}

/// Walks the cache for `krbtgt/REALM@REALM` (config entries skipped); the
/// one with the latest end time when there are several.
fn find_tgt(ctx: &Context, cache: &Ccache<'_>, realm: &[u8], id: &CacheId) -> Result<Option<Tgt>, KrbError> {
    let mut cursor = match cache.cursor() {
        Ok(c) => c,
        Err(ffi::KRB5_FCC_NOFILE) => return Ok(None),
        Err(code) => return Err(ctx.error("reading the credential cache", Some(id), code)),
    };
    let mut best: Option<Tgt> = None;
    loop {
        let creds = match cursor.next_creds() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(code) => return Err(ctx.error("reading the credential cache", Some(id), code)),
        };
        match tgt_from(&creds, realm) {
            Ok(Some(t)) if best.as_ref().is_none_or(|b| t.endtime > b.endtime) => best = Some(t),
            Ok(_) => {}
            Err(c) => return Err(ctx.error("reading a credential's principal", Some(id), c)),
        }
    }
    cursor.end().map_err(|code| ctx.error("reading the credential cache", Some(id), code))?;
    Ok(best)
}

/// The credential as a [`Tgt`] when it is `krbtgt/REALM@REALM` (not a config entry).
fn tgt_from(creds: &Creds<'_>, realm: &[u8]) -> Result<Option<Tgt>, ffi::Code> {
    let (Some(client), Some(server)) = (creds.client(), creds.server()) else { return Ok(None) };
    if server.is_config() || server.realm() != realm || server.components() != [&b"krbtgt"[..], realm] {
        return Ok(None);
    }
    let t = creds.times();
    Ok(Some(Tgt {
        client: client.unparse()?,
        server: server.unparse()?,
        authtime: t.authtime,
        starttime: t.starttime,
        endtime: t.endtime,
        renew_till: t.renew_till,
        flags: creds.flags(),
    }))
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
        Ok(cache) => cache_status(ctx, &cache),
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
    let kt = match path {
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
            ctx.resolve_keytab(&c)
        }
        None => ctx.client_keytab(),
    }
    .map_err(|code| ctx.error("opening the keytab", None, code))?;
    let name = kt.name().unwrap_or_else(|_| path.unwrap_or("?").to_string());
    if let Err(code) = kt.have_content() {
        let problem = if let Some(p) = name.strip_prefix("FILE:").filter(|p| !std::path::Path::new(p).exists()) {
            format!("{p} does not exist")
        } else {
            ctx.message(code)
        };
        return Ok(KeytabStatus { name, usable: false, has_principal: None, problem: Some(problem) });
    }
    let has_principal = principal
        .and_then(|p| CString::new(p).ok())
        .and_then(|cp| ctx.parse_name(&cp).ok())
        .and_then(|princ| kt.has_key_for(&princ).ok());
    let problem = (has_principal == Some(false)).then(|| format!("no key for {}", principal.unwrap_or("?")));
    Ok(KeytabStatus { name, usable: true, has_principal, problem })
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
