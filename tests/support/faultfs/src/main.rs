//! `faultfs BACKING_DIR MOUNTPOINT`: a FUSE passthrough to BACKING_DIR whose
//! I/O fails on command, so tests can break the filesystem under a program's
//! log files the way NFS breaks (expired Kerberos ticket, full disk, dead or
//! hung server). It runs in the foreground until `umount MOUNTPOINT`, then
//! exits 0.
//!
//! Faults are switched by writing one line to the virtual file
//! `MOUNTPOINT/.faultctl`; a command is in force once that write returns.
//! Each command may end with `@NAME` to limit it to files with that base name
//! (otherwise it covers the whole mount):
//!
//! - `expire [ERRNO]`: every handle opened so far fails read, write, fsync,
//!   flush, ftruncate and getattr-with-fh with ERRNO (default EACCES) until
//!   `heal`; new lookups, opens and creates fail with EACCES until `renew`.
//! - `renew`: new opens work again; old handles stay dead.
//! - `fail ERRNO`: read, write, fsync and flush fail with ERRNO until `ok`.
//! - `fail-late ERRNO`: writes succeed but are held back; fsync and flush
//!   (close) fail with ERRNO and the held-back data is dropped, until `ok`.
//! - `hang`: every operation except on `.faultctl` blocks until `ok`/`heal`.
//! - `ok`: clears fail, fail-late and hang. `heal`: clears everything and
//!   revives dead handles. `status`: no-op; reading `.faultctl` gives the state.
//!
//! ERRNO is a name (EIO, ESTALE, ENOSPC, ...) or a number. Set FAULTFS_DEBUG=1
//! to log every command and injected fault to stdout.

use std::collections::{BTreeMap, HashMap};
use std::ffi::{CString, OsStr, OsString};
use std::fs::{self, File, Metadata, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, DirEntryExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fuser::{
    Config, Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner, MountOption,
    OpenFlags, RenameFlags, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory, ReplyEmpty, ReplyEntry, ReplyOpen,
    ReplyStatfs, ReplyWrite, Request, SessionACL, TimeOrNow, WriteFlags,
};

const CTL_NAME: &str = ".faultctl";
// Far above anything the allocator in `State::intern` hands out.
const CTL_INO: u64 = u64::MAX - 1;
// TTL 0 makes the kernel ask us on every lookup and stat, so no cached entry
// or attribute lets an operation slip past a fault.
const TTL: Duration = Duration::ZERO;
// Direct I/O sends every read and write to us instead of the page cache,
// where a fault would surface late or not at all.
const OPEN_FLAGS: FopenFlags = FopenFlags::FOPEN_DIRECT_IO;

const ERRNOS: &[(&str, i32)] = &[
    ("EPERM", libc::EPERM),
    ("ENOENT", libc::ENOENT),
    ("EINTR", libc::EINTR),
    ("EIO", libc::EIO),
    ("ENXIO", libc::ENXIO),
    ("EBADF", libc::EBADF),
    ("EAGAIN", libc::EAGAIN),
    ("ENOMEM", libc::ENOMEM),
    ("EACCES", libc::EACCES),
    ("EBUSY", libc::EBUSY),
    ("EEXIST", libc::EEXIST),
    ("ENODEV", libc::ENODEV),
    ("EINVAL", libc::EINVAL),
    ("EFBIG", libc::EFBIG),
    ("ENOSPC", libc::ENOSPC),
    ("EROFS", libc::EROFS),
    ("EPIPE", libc::EPIPE),
    ("ENOLCK", libc::ENOLCK),
    ("ENOSYS", libc::ENOSYS),
    ("ENOLINK", libc::ENOLINK),
    ("EPROTO", libc::EPROTO),
    ("EOVERFLOW", libc::EOVERFLOW),
    ("ENETDOWN", libc::ENETDOWN),
    ("ENETUNREACH", libc::ENETUNREACH),
    ("ECONNABORTED", libc::ECONNABORTED),
    ("ECONNRESET", libc::ECONNRESET),
    ("ENOTCONN", libc::ENOTCONN),
    ("ETIMEDOUT", libc::ETIMEDOUT),
    ("ECONNREFUSED", libc::ECONNREFUSED),
    ("EHOSTDOWN", libc::EHOSTDOWN),
    ("EHOSTUNREACH", libc::EHOSTUNREACH),
    ("ESTALE", libc::ESTALE),
    ("EREMOTEIO", libc::EREMOTEIO),
    ("EDQUOT", libc::EDQUOT),
    ("ECANCELED", libc::ECANCELED),
    ("ENOKEY", libc::ENOKEY),
    ("EKEYEXPIRED", libc::EKEYEXPIRED),
    ("EKEYREVOKED", libc::EKEYREVOKED),
    ("EKEYREJECTED", libc::EKEYREJECTED),
];

fn errno_name(code: i32) -> String {
    ERRNOS.iter().find(|(_, c)| *c == code).map_or_else(|| code.to_string(), |(n, _)| (*n).to_string())
}

fn parse_errno(word: &str) -> Result<i32, String> {
    let code = match word.parse::<i32>() {
        Ok(n) => n,
        Err(_) => ERRNOS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(word))
            .map(|(_, c)| *c)
            .ok_or_else(|| format!("unknown errno {word:?}"))?,
    };
    // The kernel rejects replies with errno >= 512 (its internal restart codes).
    if !(1..512).contains(&code) {
        return Err(format!("errno {code} out of range 1..511"));
    }
    // ENOSYS from open/flush/fsync makes the kernel stop sending that operation
    // for the rest of the mount, which would silently disable later faults.
    if code == libc::ENOSYS {
        return Err("ENOSYS is refused: the kernel would stop calling that operation".into());
    }
    Ok(code)
}

fn io_errno(e: &io::Error) -> Errno {
    Errno::from_i32(e.raw_os_error().unwrap_or(libc::EIO))
}

/// Fault settings for the whole mount (`all`) and per base name (`named`).
#[derive(Default)]
struct Rules {
    all: Option<i32>,
    named: BTreeMap<OsString, i32>,
}

impl Rules {
    fn get(&self, name: &OsStr) -> Option<i32> {
        self.named.get(name).copied().or(self.all)
    }

    fn set(&mut self, scope: Option<&OsStr>, value: i32) {
        match scope {
            None => self.all = Some(value),
            Some(n) => {
                self.named.insert(n.to_owned(), value);
            }
        }
    }

    fn clear(&mut self, scope: Option<&OsStr>) {
        match scope {
            None => {
                self.all = None;
                self.named.clear();
            }
            Some(n) => {
                self.named.remove(n);
            }
        }
    }

    fn render(&self, with_errno: bool) -> String {
        let one = |who: String, code: i32| {
            if with_errno { format!("{who}:{}", errno_name(code)) } else { who }
        };
        let mut parts: Vec<String> = self.all.map(|c| one("*".into(), c)).into_iter().collect();
        parts.extend(self.named.iter().map(|(n, c)| one(n.to_string_lossy().into_owned(), *c)));
        if parts.is_empty() { "-".into() } else { parts.join(",") }
    }
}

#[derive(Default)]
struct Faults {
    /// Names whose new opens fail with EACCES (value unused).
    expired: Rules,
    fail: Rules,
    fail_late: Rules,
    /// Value unused.
    hang: Rules,
}

struct OpenFile {
    ino: u64,
    file: Arc<File>,
    /// Set by `expire`: the errno this handle returns until `heal`.
    dead: Option<i32>,
    /// Writes held back under `fail-late`: (offset, data).
    pending: Vec<(u64, Vec<u8>)>,
}

struct State {
    /// FUSE inode -> path relative to the backing dir ("" for the root).
    nodes: HashMap<u64, PathBuf>,
    /// Backing (dev, ino) -> (FUSE inode, S_IFMT bits), so a backing inode
    /// number reused for a file of another type gets a fresh FUSE inode: the
    /// kernel marks an inode bad (EIO) if its type changes.
    by_key: HashMap<(u64, u64), (u64, u32)>,
    next_ino: u64,
    files: HashMap<u64, OpenFile>,
    next_fh: u64,
    faults: Faults,
    /// Name -> the file's size at its last successful fsync: what a writer has seen confirmed, so tests
    /// can wait for that event instead of guessing when it happened.
    synced: BTreeMap<OsString, u64>,
}

impl State {
    fn path(&self, ino: u64) -> Result<&Path, Errno> {
        self.nodes.get(&ino).map(PathBuf::as_path).ok_or(Errno::ENOENT)
    }

    fn name_of(&self, ino: u64) -> OsString {
        self.nodes.get(&ino).and_then(|p| p.file_name()).map(OsStr::to_owned).unwrap_or_default()
    }

    fn intern(&mut self, rel: PathBuf, meta: &Metadata) -> u64 {
        let key = (meta.dev(), meta.ino());
        let fmt = meta.mode() & libc::S_IFMT;
        let ino = match self.by_key.get(&key) {
            Some(&(ino, f)) if f == fmt => ino,
            _ => {
                let ino = self.next_ino;
                self.next_ino += 1;
                self.by_key.insert(key, (ino, fmt));
                ino
            }
        };
        self.nodes.insert(ino, rel);
        ino
    }

    fn forget_key(&mut self, meta: &Metadata) {
        self.by_key.remove(&(meta.dev(), meta.ino()));
    }

    fn status(&self) -> String {
        let dead = self.files.values().filter(|f| f.dead.is_some()).count();
        format!(
            "hang={} fail={} fail-late={} expired={} dead-handles={} open-handles={} synced={}\n",
            self.faults.hang.render(false),
            self.faults.fail.render(true),
            self.faults.fail_late.render(true),
            self.faults.expired.render(false),
            dead,
            self.files.len(),
            if self.synced.is_empty() {
                "-".to_owned()
            } else {
                let each = self.synced.iter().map(|(n, len)| format!("{}:{len}", n.to_string_lossy()));
                each.collect::<Vec<_>>().join(",")
            },
        )
    }
}

struct Inner {
    backing: PathBuf,
    debug: bool,
    state: Mutex<State>,
    unhang: Condvar,
}

fn to_time(sec: i64, nsec: i64) -> SystemTime {
    let nsec = u32::try_from(nsec).unwrap_or(0);
    if sec >= 0 {
        UNIX_EPOCH + Duration::new(sec.unsigned_abs(), nsec)
    } else {
        UNIX_EPOCH - Duration::from_secs(sec.unsigned_abs()) + Duration::from_nanos(nsec.into())
    }
}

fn attr(ino: u64, m: &Metadata) -> FileAttr {
    FileAttr {
        ino: INodeNo(ino),
        size: m.size(),
        blocks: m.blocks(),
        atime: to_time(m.atime(), m.atime_nsec()),
        mtime: to_time(m.mtime(), m.mtime_nsec()),
        ctime: to_time(m.ctime(), m.ctime_nsec()),
        crtime: UNIX_EPOCH,
        kind: FileType::from_std(m.file_type()).unwrap_or(FileType::RegularFile),
        perm: (m.mode() & 0o7777) as u16,
        nlink: u32::try_from(m.nlink()).unwrap_or(u32::MAX),
        uid: m.uid(),
        gid: m.gid(),
        rdev: m.rdev() as u32,
        blksize: u32::try_from(m.blksize()).unwrap_or(4096),
        flags: 0,
    }
}

fn ctl_attr(size: u64) -> FileAttr {
    // SAFETY: geteuid cannot fail.
    let uid = unsafe { libc::geteuid() };
    // SAFETY: getegid cannot fail.
    let gid = unsafe { libc::getegid() };
    FileAttr {
        ino: INodeNo(CTL_INO),
        size,
        blocks: 0,
        atime: UNIX_EPOCH,
        mtime: UNIX_EPOCH,
        ctime: UNIX_EPOCH,
        crtime: UNIX_EPOCH,
        kind: FileType::RegularFile,
        // Writable by anyone so a test running as an unprivileged user can
        // switch faults too.
        perm: 0o666,
        nlink: 1,
        uid,
        gid,
        rdev: 0,
        blksize: 4096,
        flags: 0,
    }
}

fn cpath(path: &Path) -> io::Result<CString> {
    Ok(CString::new(path.as_os_str().as_bytes())?)
}

fn set_times(path: &Path, atime: Option<TimeOrNow>, mtime: Option<TimeOrNow>) -> io::Result<()> {
    let ts = |t: Option<TimeOrNow>| {
        // SAFETY: timespec is plain data; all-zero is a valid value.
        let mut out: libc::timespec = unsafe { std::mem::zeroed() };
        match t {
            None => out.tv_nsec = libc::UTIME_OMIT,
            Some(TimeOrNow::Now) => out.tv_nsec = libc::UTIME_NOW,
            Some(TimeOrNow::SpecificTime(t)) => {
                let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
                out.tv_sec = d.as_secs() as libc::time_t;
                out.tv_nsec = d.subsec_nanos() as libc::c_long;
            }
        }
        out
    };
    let times = [ts(atime), ts(mtime)];
    let c = cpath(path)?;
    // SAFETY: `c` is NUL-terminated and `times` holds the two entries utimensat reads.
    let rc = unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), times.as_ptr(), libc::AT_SYMLINK_NOFOLLOW) };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

fn open_backing(path: &Path, flags: i32, create_mode: Option<u32>) -> io::Result<File> {
    let mut o = OpenOptions::new();
    match flags & libc::O_ACCMODE {
        libc::O_WRONLY => o.write(true),
        libc::O_RDWR => o.read(true).write(true),
        _ => o.read(true),
    };
    // O_APPEND matters most: Linux pwrite on an O_APPEND fd appends whatever
    // offset the kernel computed from its (possibly stale) idea of the size.
    o.custom_flags(
        flags & (libc::O_APPEND | libc::O_TRUNC | libc::O_EXCL | libc::O_SYNC | libc::O_DSYNC | libc::O_NOFOLLOW),
    );
    if let Some(mode) = create_mode {
        o.create(true).mode(mode);
    }
    o.open(path)
}

fn commit(file: &File, pending: Vec<(u64, Vec<u8>)>) -> io::Result<()> {
    for (offset, data) in pending {
        file.write_all_at(&data, offset)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum SyncKind {
    Flush,
    Fsync { datasync: bool },
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not turn every later request into a panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn debug(&self, msg: impl FnOnce() -> String) {
        if self.debug {
            println!("faultfs: {}", msg());
        }
    }

    fn full(&self, rel: &Path) -> PathBuf {
        self.backing.join(rel)
    }

    fn hung(&self, name: &OsStr) -> bool {
        self.lock().faults.hang.get(name).is_some()
    }

    fn wait_unhung(&self, name: &OsStr) {
        let mut st = self.lock();
        while st.faults.hang.get(name).is_some() {
            st = self.unhang.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// EACCES while an `expire` covering `name` has not been renewed.
    fn check_expired(&self, st: &State, op: &str, name: &OsStr) -> Result<(), Errno> {
        if st.faults.expired.get(name).is_some() {
            self.debug(|| format!("{op} {name:?}: EACCES (expired)"));
            return Err(Errno::EACCES);
        }
        Ok(())
    }

    fn child(&self, st: &State, parent: u64, name: &OsStr) -> Result<PathBuf, Errno> {
        Ok(st.path(parent)?.join(name))
    }

    fn control(&self, text: &str) -> Result<(), String> {
        for line in text.lines() {
            let line = line.trim();
            if !line.is_empty() {
                self.command(line)?;
            }
        }
        Ok(())
    }

    fn command(&self, line: &str) -> Result<(), String> {
        let mut words: Vec<&str> = line.split_whitespace().collect();
        let scope = match words.last().and_then(|w| w.strip_prefix('@')) {
            Some("") => return Err("empty @NAME".into()),
            Some(name) => {
                let name = OsString::from(name);
                words.pop();
                Some(name)
            }
            None => None,
        };
        let scope = scope.as_deref();
        let in_scope = |name: &OsStr| scope.is_none_or(|s| s == name);
        let mut st = self.lock();
        match words.as_slice() {
            ["expire"] | ["expire", _] => {
                let code = match words.get(1) {
                    Some(w) => parse_errno(w)?,
                    None => libc::EACCES,
                };
                st.faults.expired.set(scope, libc::EACCES);
                let State { files, nodes, .. } = &mut *st;
                for f in files.values_mut() {
                    let name = nodes.get(&f.ino).and_then(|p| p.file_name());
                    if in_scope(name.unwrap_or_default()) {
                        f.dead = Some(code);
                    }
                }
            }
            ["renew"] => st.faults.expired.clear(scope),
            ["fail", e] => st.faults.fail.set(scope, parse_errno(e)?),
            ["fail-late", e] => st.faults.fail_late.set(scope, parse_errno(e)?),
            ["hang"] => st.faults.hang.set(scope, 0),
            ["ok"] | ["heal"] => {
                st.faults.fail.clear(scope);
                st.faults.fail_late.clear(scope);
                st.faults.hang.clear(scope);
                if words[0] == "heal" {
                    st.faults.expired.clear(scope);
                    let State { files, nodes, .. } = &mut *st;
                    for f in files.values_mut() {
                        let name = nodes.get(&f.ino).and_then(|p| p.file_name());
                        if in_scope(name.unwrap_or_default()) {
                            f.dead = None;
                        }
                    }
                }
                self.unhang.notify_all();
            }
            ["status"] => {}
            _ => {
                return Err(format!(
                    "unknown command {line:?}; expected expire [ERRNO], renew, fail ERRNO, \
                     fail-late ERRNO, hang, ok, heal or status, optionally followed by @NAME"
                ));
            }
        }
        self.debug(|| format!("{line}: now {}", st.status().trim_end()));
        Ok(())
    }

    fn lookup(&self, parent: u64, name: &OsStr, reply: ReplyEntry) {
        let mut st = self.lock();
        if let Err(e) = self.check_expired(&st, "lookup", name) {
            return reply.error(e);
        }
        let rel = match self.child(&st, parent, name) {
            Ok(r) => r,
            Err(e) => return reply.error(e),
        };
        match fs::symlink_metadata(self.full(&rel)) {
            Ok(m) => {
                let ino = st.intern(rel, &m);
                reply.entry(&TTL, &attr(ino, &m), Generation(0));
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn getattr(&self, ino: u64, fh: Option<u64>, reply: ReplyAttr) {
        let st = self.lock();
        if let Some(f) = fh.and_then(|fh| st.files.get(&fh)) {
            if let Some(code) = f.dead {
                self.debug(|| format!("getattr fh {fh:?}: {} (dead handle)", errno_name(code)));
                return reply.error(Errno::from_i32(code));
            }
            let file = Arc::clone(&f.file);
            drop(st);
            return match file.metadata() {
                Ok(m) => reply.attr(&TTL, &attr(ino, &m)),
                Err(e) => reply.error(io_errno(&e)),
            };
        }
        if ino != INodeNo::ROOT.0
            && let Err(e) = self.check_expired(&st, "getattr", &st.name_of(ino))
        {
            return reply.error(e);
        }
        let full = match st.path(ino) {
            Ok(p) => self.full(p),
            Err(e) => return reply.error(e),
        };
        drop(st);
        match fs::symlink_metadata(full) {
            Ok(m) => reply.attr(&TTL, &attr(ino, &m)),
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn setattr(
        &self,
        ino: u64,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        fh: Option<u64>,
        reply: ReplyAttr,
    ) {
        let st = self.lock();
        let handle = match fh.and_then(|fh| st.files.get(&fh)) {
            Some(f) => {
                if let Some(code) = f.dead {
                    self.debug(|| format!("setattr fh {fh:?}: {} (dead handle)", errno_name(code)));
                    return reply.error(Errno::from_i32(code));
                }
                Some(Arc::clone(&f.file))
            }
            None => {
                if let Err(e) = self.check_expired(&st, "setattr", &st.name_of(ino)) {
                    return reply.error(e);
                }
                None
            }
        };
        let full = match st.path(ino) {
            Ok(p) => self.full(p),
            Err(e) => return reply.error(e),
        };
        drop(st);
        let result = (|| -> io::Result<Metadata> {
            if let Some(size) = size {
                match &handle {
                    Some(f) => f.set_len(size)?,
                    None => OpenOptions::new().write(true).open(&full)?.set_len(size)?,
                }
            }
            if let Some(mode) = mode {
                fs::set_permissions(&full, fs::Permissions::from_mode(mode & 0o7777))?;
            }
            if uid.is_some() || gid.is_some() {
                std::os::unix::fs::lchown(&full, uid, gid)?;
            }
            if atime.is_some() || mtime.is_some() {
                set_times(&full, atime, mtime)?;
            }
            match &handle {
                Some(f) => f.metadata(),
                None => fs::symlink_metadata(&full),
            }
        })();
        match result {
            Ok(m) => reply.attr(&TTL, &attr(ino, &m)),
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn readlink(&self, ino: u64, reply: ReplyData) {
        let full = match self.lock().path(ino) {
            Ok(p) => self.full(p),
            Err(e) => return reply.error(e),
        };
        match fs::read_link(full) {
            Ok(target) => reply.data(target.as_os_str().as_bytes()),
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn register(&self, st: &mut State, ino: u64, file: File) -> u64 {
        let fh = st.next_fh;
        st.next_fh += 1;
        st.files.insert(fh, OpenFile { ino, file: Arc::new(file), dead: None, pending: Vec::new() });
        fh
    }

    fn open(&self, ino: u64, flags: i32, reply: ReplyOpen) {
        let mut st = self.lock();
        if let Err(e) = self.check_expired(&st, "open", &st.name_of(ino)) {
            return reply.error(e);
        }
        let full = match st.path(ino) {
            Ok(p) => self.full(p),
            Err(e) => return reply.error(e),
        };
        match open_backing(&full, flags, None) {
            Ok(file) => {
                let fh = self.register(&mut st, ino, file);
                reply.opened(FileHandle(fh), OPEN_FLAGS);
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn create(
        &self,
        uid: u32,
        gid: u32,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
        reply: ReplyCreate,
    ) {
        let mut st = self.lock();
        if let Err(e) = self.check_expired(&st, "create", name) {
            return reply.error(e);
        }
        let rel = match self.child(&st, parent, name) {
            Ok(r) => r,
            Err(e) => return reply.error(e),
        };
        let full = self.full(&rel);
        let existed = full.symlink_metadata().is_ok();
        let result = (|| -> io::Result<(File, Metadata)> {
            let file = open_backing(&full, flags, Some(mode & !umask & 0o7777))?;
            // We run as root: without this the file would belong to root and
            // an unprivileged client could not reopen what it just created.
            if !existed && is_root() {
                std::os::unix::fs::fchown(&file, Some(uid), Some(gid))?;
            }
            let m = file.metadata()?;
            Ok((file, m))
        })();
        match result {
            Ok((file, m)) => {
                let ino = st.intern(rel, &m);
                let fh = self.register(&mut st, ino, file);
                reply.created(&TTL, &attr(ino, &m), Generation(0), FileHandle(fh), OPEN_FLAGS);
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn read(&self, fh: u64, offset: u64, size: u32, reply: ReplyData) {
        let file = {
            let st = self.lock();
            let Some(f) = st.files.get(&fh) else {
                return reply.error(Errno::EBADF);
            };
            let name = st.name_of(f.ino);
            if let Some(code) = f.dead.or_else(|| st.faults.fail.get(&name)) {
                self.debug(|| format!("read {name:?}: {}", errno_name(code)));
                return reply.error(Errno::from_i32(code));
            }
            Arc::clone(&f.file)
        };
        let mut buf = vec![0; size as usize];
        let mut n = 0;
        while n < buf.len() {
            match file.read_at(&mut buf[n..], offset + n as u64) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return reply.error(io_errno(&e)),
            }
        }
        reply.data(&buf[..n]);
    }

    fn write(&self, fh: u64, offset: u64, data: &[u8], reply: ReplyWrite) {
        let (file, backlog) = {
            let mut st = self.lock();
            let Some(ino) = st.files.get(&fh).map(|f| f.ino) else {
                return reply.error(Errno::EBADF);
            };
            let name = st.name_of(ino);
            let fail = st.faults.fail.get(&name);
            let late = st.faults.fail_late.get(&name);
            let Some(f) = st.files.get_mut(&fh) else {
                return reply.error(Errno::EBADF);
            };
            if let Some(code) = f.dead.or(fail) {
                self.debug(|| format!("write {name:?}: {}", errno_name(code)));
                return reply.error(Errno::from_i32(code));
            }
            if late.is_some() {
                self.debug(|| format!("write {name:?}: {} bytes held back", data.len()));
                f.pending.push((offset, data.to_vec()));
                return reply.written(data.len() as u32);
            }
            // A fail-late lifted before any flush: the held-back data was
            // never "written back", so it survives, ahead of this write.
            (Arc::clone(&f.file), std::mem::take(&mut f.pending))
        };
        match commit(&file, backlog).and_then(|()| file.write_all_at(data, offset)) {
            Ok(()) => reply.written(data.len() as u32),
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn sync(&self, fh: u64, kind: SyncKind, reply: ReplyEmpty) {
        let op = match kind {
            SyncKind::Flush => "flush",
            SyncKind::Fsync { .. } => "fsync",
        };
        let (file, backlog, name) = {
            let mut st = self.lock();
            let Some(ino) = st.files.get(&fh).map(|f| f.ino) else {
                return reply.error(Errno::EBADF);
            };
            let name = st.name_of(ino);
            let fail = st.faults.fail.get(&name);
            let late = st.faults.fail_late.get(&name);
            let Some(f) = st.files.get_mut(&fh) else {
                return reply.error(Errno::EBADF);
            };
            if let Some(code) = f.dead.or(fail) {
                self.debug(|| format!("{op} {name:?}: {}", errno_name(code)));
                return reply.error(Errno::from_i32(code));
            }
            if let Some(code) = late {
                // Like NFS writeback failing: the error is reported once the
                // data is gone.
                let lost: usize = f.pending.drain(..).map(|(_, d)| d.len()).sum();
                self.debug(|| format!("{op} {name:?}: {}, {lost} bytes dropped", errno_name(code)));
                return reply.error(Errno::from_i32(code));
            }
            (Arc::clone(&f.file), std::mem::take(&mut f.pending), name)
        };
        let result = commit(&file, backlog).and_then(|()| match kind {
            SyncKind::Flush => Ok(()),
            SyncKind::Fsync { datasync: true } => file.sync_data(),
            SyncKind::Fsync { datasync: false } => file.sync_all(),
        });
        match result {
            Ok(()) => {
                if let (SyncKind::Fsync { .. }, Ok(meta)) = (kind, file.metadata()) {
                    self.lock().synced.insert(name, meta.len());
                }
                reply.ok()
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn release(&self, fh: u64, reply: ReplyEmpty) {
        let mut st = self.lock();
        let Some(f) = st.files.remove(&fh) else {
            return reply.ok();
        };
        let name = st.name_of(f.ino);
        let keep = f.dead.is_none() && st.faults.fail_late.get(&name).is_none();
        drop(st);
        if !f.pending.is_empty() {
            if keep {
                if let Err(e) = commit(&f.file, f.pending) {
                    eprintln!("faultfs: writing held-back data of {name:?} on release: {e}");
                }
            } else {
                self.debug(|| format!("release {name:?}: held-back data dropped"));
            }
        }
        reply.ok();
    }

    fn readdir(&self, ino: u64, offset: u64, mut reply: ReplyDirectory) {
        let st = self.lock();
        if let Err(e) = self.check_expired(&st, "readdir", &st.name_of(ino)) {
            return reply.error(e);
        }
        let full = match st.path(ino) {
            Ok(p) => self.full(p),
            Err(e) => return reply.error(e),
        };
        drop(st);
        let mut entries: Vec<(u64, FileType, OsString)> =
            vec![(ino, FileType::Directory, ".".into()), (ino, FileType::Directory, "..".into())];
        let listing = match fs::read_dir(&full) {
            Ok(l) => l,
            Err(e) => return reply.error(io_errno(&e)),
        };
        let mut names = Vec::new();
        for entry in listing {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => return reply.error(io_errno(&e)),
            };
            if ino == INodeNo::ROOT.0 && entry.file_name() == CTL_NAME {
                continue;
            }
            let kind = entry.file_type().ok().and_then(FileType::from_std).unwrap_or(FileType::RegularFile);
            // Only shown as d_ino; lookups go through `lookup`. 0 would make
            // libc skip the entry.
            names.push((entry.ino().max(1), kind, entry.file_name()));
        }
        // Sorted so offsets stay meaningful across the several readdir calls
        // of one listing.
        names.sort_by(|a, b| a.2.cmp(&b.2));
        entries.extend(names);
        for (i, (eino, kind, name)) in entries.into_iter().enumerate().skip(offset as usize) {
            if reply.add(INodeNo(eino), i as u64 + 1, kind, &name) {
                break;
            }
        }
        reply.ok();
    }

    #[allow(clippy::too_many_arguments)]
    fn mkdir(&self, uid: u32, gid: u32, parent: u64, name: &OsStr, mode: u32, umask: u32, reply: ReplyEntry) {
        let mut st = self.lock();
        if let Err(e) = self.check_expired(&st, "mkdir", name) {
            return reply.error(e);
        }
        let rel = match self.child(&st, parent, name) {
            Ok(r) => r,
            Err(e) => return reply.error(e),
        };
        let full = self.full(&rel);
        let result = (|| -> io::Result<Metadata> {
            fs::DirBuilder::new().mode(mode & !umask & 0o7777).create(&full)?;
            if is_root() {
                std::os::unix::fs::lchown(&full, Some(uid), Some(gid))?;
            }
            fs::symlink_metadata(&full)
        })();
        match result {
            Ok(m) => {
                let ino = st.intern(rel, &m);
                reply.entry(&TTL, &attr(ino, &m), Generation(0));
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn remove(&self, parent: u64, name: &OsStr, dir: bool, reply: ReplyEmpty) {
        let mut st = self.lock();
        if let Err(e) = self.check_expired(&st, if dir { "rmdir" } else { "unlink" }, name) {
            return reply.error(e);
        }
        let full = match self.child(&st, parent, name) {
            Ok(r) => self.full(&r),
            Err(e) => return reply.error(e),
        };
        let meta = fs::symlink_metadata(&full);
        let result = if dir { fs::remove_dir(&full) } else { fs::remove_file(&full) };
        match result {
            Ok(()) => {
                if let Ok(m) = meta {
                    st.forget_key(&m);
                }
                reply.ok();
            }
            Err(e) => reply.error(io_errno(&e)),
        }
    }

    fn rename(&self, parent: u64, name: &OsStr, newparent: u64, newname: &OsStr, flags: u32, reply: ReplyEmpty) {
        let mut st = self.lock();
        if let Err(e) =
            self.check_expired(&st, "rename", name).and_then(|()| self.check_expired(&st, "rename", newname))
        {
            return reply.error(e);
        }
        let (from, to) = match (self.child(&st, parent, name), self.child(&st, newparent, newname)) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) | (_, Err(e)) => return reply.error(e),
        };
        let replaced = fs::symlink_metadata(self.full(&to)).ok();
        let result = (|| -> io::Result<()> {
            let (cf, ct) = (cpath(&self.full(&from))?, cpath(&self.full(&to))?);
            // SAFETY: both paths are NUL-terminated C strings that outlive the call.
            let rc = unsafe { libc::renameat2(libc::AT_FDCWD, cf.as_ptr(), libc::AT_FDCWD, ct.as_ptr(), flags) };
            if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
        })();
        if let Err(e) = result {
            return reply.error(io_errno(&e));
        }
        if flags & libc::RENAME_EXCHANGE == 0 {
            if let Some(m) = replaced {
                st.forget_key(&m);
            }
            // Inodes the kernel already knows keep their number; only their
            // path (and that of everything below a renamed directory) moves.
            for path in st.nodes.values_mut() {
                if let Ok(rest) = path.strip_prefix(&from) {
                    *path = to.join(rest);
                }
            }
        } else {
            for path in st.nodes.values_mut() {
                if let Ok(rest) = path.strip_prefix(&from) {
                    *path = to.join(rest);
                } else if let Ok(rest) = path.strip_prefix(&to) {
                    *path = from.join(rest);
                }
            }
        }
        // strip_prefix("") matches everything: the root must stay the root.
        st.nodes.insert(INodeNo::ROOT.0, PathBuf::new());
        reply.ok();
    }

    fn statfs(&self, reply: ReplyStatfs) {
        if let Err(e) = self.check_expired(&self.lock(), "statfs", OsStr::new("")) {
            return reply.error(e);
        }
        let result = (|| -> io::Result<libc::statvfs> {
            let c = cpath(&self.backing)?;
            // SAFETY: statvfs is plain data; the kernel fills it in.
            let mut sv: libc::statvfs = unsafe { std::mem::zeroed() };
            // SAFETY: `c` is NUL-terminated and `sv` is a valid out-pointer.
            if unsafe { libc::statvfs(c.as_ptr(), &mut sv) } == 0 { Ok(sv) } else { Err(io::Error::last_os_error()) }
        })();
        match result {
            Ok(sv) => reply.statfs(
                sv.f_blocks,
                sv.f_bfree,
                sv.f_bavail,
                sv.f_files,
                sv.f_ffree,
                sv.f_bsize as u32,
                sv.f_namemax as u32,
                sv.f_frsize as u32,
            ),
            Err(e) => reply.error(io_errno(&e)),
        }
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

struct FaultFs {
    inner: Arc<Inner>,
}

impl FaultFs {
    /// Runs `op` now or, while a `hang` covers `name`, on a thread of its own
    /// once the hang is lifted. Parking hung requests off fuser's worker
    /// threads means any number of them can be stuck and the control file
    /// still answers (and `umount` still ends the daemon).
    fn run<F>(&self, op: &'static str, name: &OsStr, f: F)
    where
        F: FnOnce(&Inner) + Send + 'static,
    {
        if !self.inner.hung(name) {
            return f(&self.inner);
        }
        self.inner.debug(|| format!("{op} {name:?}: hung"));
        let inner = Arc::clone(&self.inner);
        let name = name.to_owned();
        let parked = thread::Builder::new().name("faultfs-hung".into()).spawn(move || {
            inner.wait_unhung(&name);
            inner.debug(|| format!("{op} {name:?}: released"));
            f(&inner);
        });
        // On failure `f` and its reply are dropped, and fuser answers EIO.
        if let Err(e) = parked {
            eprintln!("faultfs: cannot park hung {op}: {e}");
        }
    }

    fn name_of(&self, ino: INodeNo) -> OsString {
        self.inner.lock().name_of(ino.0)
    }

    fn ctl_len(&self) -> u64 {
        self.inner.lock().status().len() as u64
    }
}

fn is_ctl(parent: INodeNo, name: &OsStr) -> bool {
    parent == INodeNo::ROOT && name == CTL_NAME
}

impl Filesystem for FaultFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        if is_ctl(parent, name) {
            return reply.entry(&TTL, &ctl_attr(self.ctl_len()), Generation(0));
        }
        let owned = name.to_owned();
        self.run("lookup", name, move |fs| fs.lookup(parent.0, &owned, reply));
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, fh: Option<FileHandle>, reply: ReplyAttr) {
        if ino.0 == CTL_INO {
            return reply.attr(&TTL, &ctl_attr(self.ctl_len()));
        }
        let fh = fh.map(|h| h.0);
        // Path walks check permission on the root, which needs its
        // attributes: a faulted root would take the control file down too.
        if ino == INodeNo::ROOT {
            return self.inner.getattr(ino.0, fh, reply);
        }
        self.run("getattr", &self.name_of(ino), move |fs| fs.getattr(ino.0, fh, reply));
    }

    fn setattr(
        &self,
        _req: &Request,
        ino: INodeNo,
        mode: Option<u32>,
        uid: Option<u32>,
        gid: Option<u32>,
        size: Option<u64>,
        atime: Option<TimeOrNow>,
        mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        fh: Option<FileHandle>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<fuser::BsdFileFlags>,
        reply: ReplyAttr,
    ) {
        if ino.0 == CTL_INO {
            // `echo cmd > .faultctl` truncates first; there is nothing to truncate.
            return reply.attr(&TTL, &ctl_attr(self.ctl_len()));
        }
        let fh = fh.map(|h| h.0);
        self.run("setattr", &self.name_of(ino), move |fs| {
            fs.setattr(ino.0, mode, uid, gid, size, atime, mtime, fh, reply)
        });
    }

    fn readlink(&self, _req: &Request, ino: INodeNo, reply: ReplyData) {
        self.run("readlink", &self.name_of(ino), move |fs| fs.readlink(ino.0, reply));
    }

    fn mkdir(&self, req: &Request, parent: INodeNo, name: &OsStr, mode: u32, umask: u32, reply: ReplyEntry) {
        if is_ctl(parent, name) {
            return reply.error(Errno::EEXIST);
        }
        let (uid, gid, owned) = (req.uid(), req.gid(), name.to_owned());
        self.run("mkdir", name, move |fs| fs.mkdir(uid, gid, parent.0, &owned, mode, umask, reply));
    }

    fn unlink(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        if is_ctl(parent, name) {
            return reply.error(Errno::EPERM);
        }
        let owned = name.to_owned();
        self.run("unlink", name, move |fs| fs.remove(parent.0, &owned, false, reply));
    }

    fn rmdir(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEmpty) {
        if is_ctl(parent, name) {
            return reply.error(Errno::ENOTDIR);
        }
        let owned = name.to_owned();
        self.run("rmdir", name, move |fs| fs.remove(parent.0, &owned, true, reply));
    }

    fn rename(
        &self,
        _req: &Request,
        parent: INodeNo,
        name: &OsStr,
        newparent: INodeNo,
        newname: &OsStr,
        flags: RenameFlags,
        reply: ReplyEmpty,
    ) {
        if is_ctl(parent, name) || is_ctl(newparent, newname) {
            return reply.error(Errno::EPERM);
        }
        let (from, to) = (name.to_owned(), newname.to_owned());
        self.run("rename", name, move |fs| fs.rename(parent.0, &from, newparent.0, &to, flags.bits(), reply));
    }

    fn open(&self, _req: &Request, ino: INodeNo, flags: OpenFlags, reply: ReplyOpen) {
        if ino.0 == CTL_INO {
            return reply.opened(FileHandle(0), OPEN_FLAGS);
        }
        self.run("open", &self.name_of(ino), move |fs| fs.open(ino.0, flags.0, reply));
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        if ino.0 == CTL_INO {
            let status = self.inner.lock().status().into_bytes();
            let start = usize::try_from(offset).unwrap_or(usize::MAX).min(status.len());
            let end = start.saturating_add(size as usize).min(status.len());
            return reply.data(&status[start..end]);
        }
        self.run("read", &self.name_of(ino), move |fs| fs.read(fh.0, offset, size, reply));
    }

    fn write(
        &self,
        _req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        offset: u64,
        data: &[u8],
        _write_flags: WriteFlags,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyWrite,
    ) {
        if ino.0 == CTL_INO {
            let text = String::from_utf8_lossy(data);
            return match self.inner.control(&text) {
                Ok(()) => reply.written(data.len() as u32),
                Err(msg) => {
                    eprintln!("faultfs: .faultctl: {msg}");
                    reply.error(Errno::EINVAL)
                }
            };
        }
        let data = data.to_vec();
        self.run("write", &self.name_of(ino), move |fs| fs.write(fh.0, offset, &data, reply));
    }

    fn flush(&self, _req: &Request, ino: INodeNo, fh: FileHandle, _lock_owner: LockOwner, reply: ReplyEmpty) {
        if ino.0 == CTL_INO {
            return reply.ok();
        }
        self.run("flush", &self.name_of(ino), move |fs| fs.sync(fh.0, SyncKind::Flush, reply));
    }

    fn release(
        &self,
        _req: &Request,
        ino: INodeNo,
        fh: FileHandle,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        _flush: bool,
        reply: ReplyEmpty,
    ) {
        if ino.0 == CTL_INO {
            return reply.ok();
        }
        self.run("release", &self.name_of(ino), move |fs| fs.release(fh.0, reply));
    }

    fn fsync(&self, _req: &Request, ino: INodeNo, fh: FileHandle, datasync: bool, reply: ReplyEmpty) {
        if ino.0 == CTL_INO {
            return reply.ok();
        }
        self.run("fsync", &self.name_of(ino), move |fs| fs.sync(fh.0, SyncKind::Fsync { datasync }, reply));
    }

    fn readdir(&self, _req: &Request, ino: INodeNo, _fh: FileHandle, offset: u64, reply: ReplyDirectory) {
        self.run("readdir", &self.name_of(ino), move |fs| fs.readdir(ino.0, offset, reply));
    }

    fn statfs(&self, _req: &Request, _ino: INodeNo, reply: ReplyStatfs) {
        self.run("statfs", OsStr::new(""), move |fs| fs.statfs(reply));
    }

    fn create(
        &self,
        req: &Request,
        parent: INodeNo,
        name: &OsStr,
        mode: u32,
        umask: u32,
        flags: i32,
        reply: ReplyCreate,
    ) {
        if is_ctl(parent, name) {
            let attr = ctl_attr(self.ctl_len());
            return reply.created(&TTL, &attr, Generation(0), FileHandle(0), OPEN_FLAGS);
        }
        let (uid, gid, owned) = (req.uid(), req.gid(), name.to_owned());
        self.run("create", name, move |fs| fs.create(uid, gid, parent.0, &owned, mode, umask, flags, reply));
    }
}

fn main() {
    std::process::exit(real_main());
}

fn real_main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let [backing, mountpoint] = args.as_slice() else {
        eprintln!("usage: faultfs BACKING_DIR MOUNTPOINT   (control: MOUNTPOINT/{CTL_NAME})");
        return 2;
    };
    // Paths are resolved against the backing dir for the whole run, so it
    // must not depend on the cwd.
    let backing = match fs::canonicalize(backing) {
        Ok(b) if b.is_dir() => b,
        Ok(b) => {
            eprintln!("faultfs: {}: not a directory", b.display());
            return 2;
        }
        Err(e) => {
            eprintln!("faultfs: {}: {e}", Path::new(backing).display());
            return 2;
        }
    };
    let root_meta = match fs::metadata(&backing) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("faultfs: {}: {e}", backing.display());
            return 2;
        }
    };
    // The kernel has already applied the client's umask to the modes it
    // sends; ours must not mask them a second time.
    // SAFETY: umask cannot fail.
    unsafe { libc::umask(0) };

    let mut state = State {
        nodes: HashMap::new(),
        by_key: HashMap::new(),
        next_ino: INodeNo::ROOT.0,
        files: HashMap::new(),
        next_fh: 1,
        faults: Faults::default(),
        synced: BTreeMap::new(),
    };
    state.intern(PathBuf::new(), &root_meta);
    let fs = FaultFs {
        inner: Arc::new(Inner {
            backing,
            debug: std::env::var_os("FAULTFS_DEBUG").is_some_and(|v| v == "1"),
            state: Mutex::new(state),
            unhang: Condvar::new(),
        }),
    };

    let mut config = Config::default();
    config.mount_options = vec![
        MountOption::FSName("faultfs".into()),
        MountOption::DefaultPermissions,
        MountOption::NoSuid,
        MountOption::NoDev,
    ];
    // allow_other lets unprivileged test processes use a root-mounted fs
    // (default_permissions then enforces normal modes); a non-root mount via
    // fusermount3 would need user_allow_other in /etc/fuse.conf for it.
    config.acl = if is_root() { SessionACL::All } else { SessionACL::Owner };
    // Several workers so a slow backing operation does not stall the control
    // file; hung requests are parked on their own threads (see `run`).
    config.n_threads = Some(4);
    match fuser::mount(fs, mountpoint, &config) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("faultfs: {}: {e}", Path::new(mountpoint).display());
            1
        }
    }
}
