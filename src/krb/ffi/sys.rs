//! Raw bindings to MIT libkrb5 (`libkrb5.so.3`, the `krb5_3_MIT` ABI), loaded at
//! run time with `dlopen` rather than linked, so that one duct binary starts on
//! hosts without Kerberos and builds without `libkrb5-dev`.
//!
//! Only what duct uses. The struct layouts are copied from MIT's `krb5.h`
//! (1.20; unchanged since the 1.x ABI began): `krb5_creds` is filled in by the
//! library, so its size and field order must match exactly. Verified on
//! x86_64 against `offsetof`/`sizeof` from the installed header; the
//! `layout` unit test below pins the Rust side of the same numbers.
//!
//! **Process-wide fact:** the library is looked up once, on the first call of
//! [`library`] (or of any function below), and the outcome, loaded or not, is
//! kept for the life of the process (`dlopen` handles are never closed, so the
//! function pointers stay valid). Whether Kerberos is available is therefore a
//! property of the process, like its environment, not state that changes mid-run.
//!
//! The functions keep the C names and signatures. Each is an `unsafe fn` with
//! the C function's own contract; when libkrb5 could not be loaded it does
//! nothing and returns [`NOT_LOADED`] (error codes), null (pointers) or 0, so
//! a caller that forgot to check [`library`] fails like a krb5 error, never
//! by crashing. Only the safe handles of the parent module call these:
//! [`Context::new`](super::Context::new) checks first, and every other handle
//! is made from a `Context`.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_long, c_uint, c_void};
use std::fmt;
use std::sync::OnceLock;

pub type krb5_error_code = c_int; // krb5_int32
pub type krb5_magic = c_int;
pub type krb5_timestamp = c_int; // seconds since the epoch; MIT treats it as unsigned (good to 2106)
pub type krb5_flags = c_int;
pub type krb5_boolean = c_uint;
pub type krb5_enctype = c_int;
pub type krb5_kvno = c_uint;
pub type krb5_deltat = c_int;
pub type errcode_t = c_long;

/// Opaque handles.
#[repr(C)]
pub struct _krb5_context {
    _private: [u8; 0],
}
pub type krb5_context = *mut _krb5_context;
#[repr(C)]
pub struct _krb5_ccache {
    _private: [u8; 0],
}
pub type krb5_ccache = *mut _krb5_ccache;
#[repr(C)]
pub struct _krb5_kt {
    _private: [u8; 0],
}
pub type krb5_keytab = *mut _krb5_kt;
#[repr(C)]
pub struct _profile_t {
    _private: [u8; 0],
}
pub type profile_t = *mut _profile_t;
#[repr(C)]
pub struct _krb5_get_init_creds_opt {
    _private: [u8; 0],
}
pub type krb5_get_init_creds_opt = _krb5_get_init_creds_opt;
pub type krb5_cc_cursor = *mut c_void;
pub type krb5_address = c_void;
pub type krb5_authdata = c_void;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct krb5_data {
    pub magic: krb5_magic,
    pub length: c_uint,
    pub data: *mut c_char,
}

#[repr(C)]
pub struct krb5_principal_data {
    pub magic: krb5_magic,
    pub realm: krb5_data,
    /// An array of `length` components.
    pub data: *mut krb5_data,
    pub length: c_int,
    pub type_: c_int,
}
pub type krb5_principal = *mut krb5_principal_data;
pub type krb5_const_principal = *const krb5_principal_data;

#[repr(C)]
pub struct krb5_keyblock {
    pub magic: krb5_magic,
    pub enctype: krb5_enctype,
    pub length: c_uint,
    pub contents: *mut u8,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct krb5_ticket_times {
    pub authtime: krb5_timestamp,
    /// 0 means "same as authtime".
    pub starttime: krb5_timestamp,
    pub endtime: krb5_timestamp,
    pub renew_till: krb5_timestamp,
}

#[repr(C)]
pub struct krb5_creds {
    pub magic: krb5_magic,
    pub client: krb5_principal,
    pub server: krb5_principal,
    pub keyblock: krb5_keyblock,
    pub times: krb5_ticket_times,
    pub is_skey: krb5_boolean,
    pub ticket_flags: krb5_flags,
    pub addresses: *mut *mut krb5_address,
    pub ticket: krb5_data,
    pub second_ticket: krb5_data,
    pub authdata: *mut *mut krb5_authdata,
}

#[repr(C)]
pub struct krb5_keytab_entry {
    pub magic: krb5_magic,
    pub principal: krb5_principal,
    pub timestamp: krb5_timestamp,
    pub vno: krb5_kvno,
    pub key: krb5_keyblock,
}

pub const TKT_FLG_FORWARDABLE: u32 = 0x4000_0000;
pub const TKT_FLG_PROXIABLE: u32 = 0x1000_0000;
pub const TKT_FLG_INVALID: u32 = 0x0100_0000;
pub const TKT_FLG_RENEWABLE: u32 = 0x0080_0000;
pub const TKT_FLG_INITIAL: u32 = 0x0040_0000;
pub const TKT_FLG_PRE_AUTH: u32 = 0x0020_0000;

pub const KRB5_CC_NOTFOUND: krb5_error_code = -1765328243;
/// "Cannot contact any KDC for requested realm".
pub const KRB5_KDC_UNREACH: krb5_error_code = -1765328228;
pub const KRB5_CC_END: krb5_error_code = -1765328242;
pub const KRB5_KT_NOTFOUND: krb5_error_code = -1765328203;
pub const KRB5_FCC_NOFILE: krb5_error_code = -1765328189;
pub const KRB5_CC_FORMAT: krb5_error_code = -1765328185;

/// The file name tried with `dlopen`: MIT's stable soname. Heimdal's
/// `libkrb5.so.26` has different struct layouts and is deliberately not tried.
pub const LIBRARY_NAME: &str = "libkrb5.so.3";

/// Returned by every error-code function when libkrb5 is not loaded (not a
/// krb5 code: those are com_err table codes).
pub const NOT_LOADED: krb5_error_code = c_int::MIN;

/// Why libkrb5 is not available: the loader's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub detail: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "libkrb5 not found ({}); Kerberos features need MIT Kerberos (Debian: libkrb5-3, RHEL: krb5-libs)",
            self.detail
        )
    }
}

impl std::error::Error for LoadError {}

/// The loaded library: its handle (kept open forever) and the function table.
struct Loaded {
    _lib: libloading::Library,
    fns: Table,
}

static LIBRARY: OnceLock<Result<Loaded, LoadError>> = OnceLock::new();

/// Loads libkrb5 on first use; afterwards returns the same outcome.
pub fn library() -> Result<(), &'static LoadError> {
    table().map(|_| ())
}

fn table() -> Result<&'static Table, &'static LoadError> {
    LIBRARY.get_or_init(load).as_ref().map(|l| &l.fns)
}

fn load() -> Result<Loaded, LoadError> {
    // SAFETY: loading libkrb5 runs its ELF constructors (com_err table
    // registration, library init), which have no preconditions.
    let lib = unsafe { libloading::Library::new(LIBRARY_NAME) }.map_err(|e| LoadError { detail: with_source(&e) })?;
    let fns = Table::resolve(&lib)
        .map_err(|e| LoadError { detail: format!("{LIBRARY_NAME} is not MIT libkrb5: {}", with_source(&e)) })?;
    Ok(Loaded { _lib: lib, fns })
}

/// libloading's message plus the loader's (`dlerror`) text behind it.
fn with_source(e: &libloading::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) => s.to_string(),
        None => e.to_string(),
    }
}

/// Declares each C function once: a field of [`Table`] holding its pointer,
/// the lookup that fills it, and a same-named `unsafe fn` that calls it (or
/// returns the given fallback when the library is not loaded).
macro_rules! krb5_functions {
    ($( $(#[$meta:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? = $fallback:expr; )*) => {
        struct Table {
            $( $name: unsafe extern "C" fn($($ty),*) $(-> $ret)?, )*
        }

        impl Table {
            fn resolve(lib: &libloading::Library) -> Result<Table, libloading::Error> {
                Ok(Table {
                    $(
                        // SAFETY: the Rust signature is the one MIT's krb5.h / profile.h
                        // declare for this symbol; the pointer is used only while `lib`
                        // lives, and `lib` is kept in LIBRARY for the rest of the process.
                        $name: *unsafe {
                            lib.get::<unsafe extern "C" fn($($ty),*) $(-> $ret)?>(
                                concat!(stringify!($name), "\0").as_bytes(),
                            )
                        }?,
                    )*
                })
            }
        }

        $(
            $(#[$meta])*
            /// # Safety
            /// The C function's contract (MIT krb5 documentation).
            #[allow(clippy::missing_safety_doc, clippy::too_many_arguments, clippy::unused_unit)]
            pub unsafe fn $name($($arg: $ty),*) $(-> $ret)? {
                match table() {
                    // SAFETY: the caller upholds the C function's contract.
                    Ok(t) => unsafe { (t.$name)($($arg),*) },
                    Err(_) => $fallback,
                }
            }
        )*
    };
}

krb5_functions! {
    fn krb5_init_context(context: *mut krb5_context) -> krb5_error_code = NOT_LOADED;
    fn krb5_free_context(context: krb5_context) = ();
    fn krb5_get_error_message(context: krb5_context, code: krb5_error_code) -> *const c_char = std::ptr::null();
    fn krb5_free_error_message(context: krb5_context, msg: *const c_char) = ();
    fn krb5_free_string(context: krb5_context, val: *mut c_char) = ();
    fn krb5_cc_default_name(context: krb5_context) -> *const c_char = std::ptr::null();
    fn krb5_cc_resolve(context: krb5_context, name: *const c_char, cache: *mut krb5_ccache) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_close(context: krb5_context, cache: krb5_ccache) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_get_type(context: krb5_context, cache: krb5_ccache) -> *const c_char = std::ptr::null();
    fn krb5_cc_get_name(context: krb5_context, cache: krb5_ccache) -> *const c_char = std::ptr::null();
    fn krb5_cc_get_full_name(context: krb5_context, cache: krb5_ccache, fullname_out: *mut *mut c_char) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_get_principal(context: krb5_context, cache: krb5_ccache, principal: *mut krb5_principal) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_start_seq_get(context: krb5_context, cache: krb5_ccache, cursor: *mut krb5_cc_cursor) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_next_cred(context: krb5_context, cache: krb5_ccache, cursor: *mut krb5_cc_cursor, creds: *mut krb5_creds) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_end_seq_get(context: krb5_context, cache: krb5_ccache, cursor: *mut krb5_cc_cursor) -> krb5_error_code = NOT_LOADED;
    fn krb5_free_cred_contents(context: krb5_context, val: *mut krb5_creds) = ();
    fn krb5_is_config_principal(context: krb5_context, principal: krb5_const_principal) -> krb5_boolean = 0;
    fn krb5_free_principal(context: krb5_context, val: krb5_principal) = ();
    fn krb5_unparse_name(context: krb5_context, principal: krb5_const_principal, name: *mut *mut c_char) -> krb5_error_code = NOT_LOADED;
    fn krb5_free_unparsed_name(context: krb5_context, val: *mut c_char) = ();
    fn krb5_parse_name(context: krb5_context, name: *const c_char, principal: *mut krb5_principal) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_client_default(context: krb5_context, keytab_out: *mut krb5_keytab) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_resolve(context: krb5_context, name: *const c_char, ktid: *mut krb5_keytab) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_close(context: krb5_context, keytab: krb5_keytab) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_get_name(context: krb5_context, keytab: krb5_keytab, name: *mut c_char, namelen: c_uint) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_have_content(context: krb5_context, keytab: krb5_keytab) -> krb5_error_code = NOT_LOADED;
    fn krb5_kt_get_entry(context: krb5_context, keytab: krb5_keytab, principal: krb5_const_principal, vno: krb5_kvno, enctype: krb5_enctype, entry: *mut krb5_keytab_entry) -> krb5_error_code = NOT_LOADED;
    fn krb5_free_keytab_entry_contents(context: krb5_context, entry: *mut krb5_keytab_entry) -> krb5_error_code = NOT_LOADED;
    fn profile_init_path(filepath: *const c_char, ret_profile: *mut profile_t) -> errcode_t = NOT_LOADED as errcode_t;
    fn profile_release(profile: profile_t) = ();
    fn profile_get_string(profile: profile_t, name: *const c_char, subname: *const c_char, subsubname: *const c_char, def_val: *const c_char, ret_string: *mut *mut c_char) -> errcode_t = NOT_LOADED as errcode_t;
    fn profile_release_string(str: *mut c_char) = ();

    // ---- for renewal (duct --krb-renew); krb-status never changes a cache ----
    fn krb5_get_renewed_creds(context: krb5_context, creds: *mut krb5_creds, client: krb5_principal, ccache: krb5_ccache, in_tkt_service: *const c_char) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_new_unique(context: krb5_context, type_: *const c_char, hint: *const c_char, id: *mut krb5_ccache) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_initialize(context: krb5_context, cache: krb5_ccache, principal: krb5_principal) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_store_cred(context: krb5_context, cache: krb5_ccache, creds: *mut krb5_creds) -> krb5_error_code = NOT_LOADED;
    /// Moves `src` into `dst` (atomically for FILE in MIT >= 1.20) and frees `src`'s handle.
    fn krb5_cc_move(context: krb5_context, src: krb5_ccache, dst: krb5_ccache) -> krb5_error_code = NOT_LOADED;
    fn krb5_cc_destroy(context: krb5_context, cache: krb5_ccache) -> krb5_error_code = NOT_LOADED;
    fn krb5_get_init_creds_keytab(context: krb5_context, creds: *mut krb5_creds, client: krb5_principal, arg_keytab: krb5_keytab, start_time: krb5_deltat, in_tkt_service: *const c_char, k5_gic_options: *mut krb5_get_init_creds_opt) -> krb5_error_code = NOT_LOADED;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    /// The numbers `offsetof`/`sizeof` give for MIT krb5.h on x86_64 and aarch64 (LP64).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn layout() {
        assert_eq!(size_of::<krb5_data>(), 16);
        assert_eq!(size_of::<krb5_keyblock>(), 24);
        assert_eq!(size_of::<krb5_ticket_times>(), 16);
        assert_eq!(offset_of!(krb5_creds, client), 8);
        assert_eq!(offset_of!(krb5_creds, server), 16);
        assert_eq!(offset_of!(krb5_creds, keyblock), 24);
        assert_eq!(offset_of!(krb5_creds, times), 48);
        assert_eq!(offset_of!(krb5_creds, is_skey), 64);
        assert_eq!(offset_of!(krb5_creds, ticket_flags), 68);
        assert_eq!(offset_of!(krb5_creds, addresses), 72);
        assert_eq!(offset_of!(krb5_creds, ticket), 80);
        assert_eq!(offset_of!(krb5_creds, second_ticket), 96);
        assert_eq!(offset_of!(krb5_creds, authdata), 112);
        assert_eq!(size_of::<krb5_creds>(), 120);
        assert_eq!(offset_of!(krb5_principal_data, realm), 8);
        assert_eq!(offset_of!(krb5_principal_data, data), 24);
        assert_eq!(offset_of!(krb5_principal_data, length), 32);
        assert_eq!(size_of::<krb5_principal_data>(), 40);
        assert_eq!(offset_of!(krb5_keytab_entry, key), 24);
        assert_eq!(size_of::<krb5_keytab_entry>(), 48);
    }
}
