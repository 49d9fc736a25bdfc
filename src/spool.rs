//! The local spool: where a log file's bytes wait while the file fails or falls behind, and where they stay
//! when duct has to end before the file came back.
//!
//! The spool is the source of truth for what it holds: bytes stay in it until the log file has confirmed them
//! (the spool is emptied only once everything in it is confirmed), so a `kill -9` of duct at any moment loses
//! nothing that reached it. The page cache keeps what was written even when the process dies.
//!
//! Format (stable; `duct --recover DIR` reads it): a run's spool is a directory `DIR` (mode 0700) holding, per
//! log file, `N.spool` (mode 0600: raw bytes, in order) and `N.target` (JSON:
//! `{"target": "/path/to/log", "offset": 12345, "from": 0}`: the bytes of `N.spool` from byte `from` on belong
//! in the target at byte `offset`; `from` is absent in spools of older versions and then 0). Recovery writes
//! them there (at the target's end if the target is shorter, so there is never a run of zero bytes), fsyncs,
//! and removes the pair. The final info.json of a run whose own directory would not take it is `NAME` beside
//! `info.target` (`{"target": "/path/to/info.json", "offset": 0, "file": "NAME", "replace": true}`); recovery
//! puts it in place of the provisional one, atomically, after the log files.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Meta {
    target: String,
    offset: u64,
    /// The first byte of the data file that belongs at `offset` (the ones before it are in the target).
    #[serde(default, skip_serializing_if = "is_zero")]
    from: u64,
    /// The data file, when it is not `N.spool` beside `N.target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    /// The data replaces the target whole (info.json) instead of being written into it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    replace: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Called with the run's spool directory once it exists.
pub type Announce = Box<dyn Fn(&Path) + Send + Sync>;

/// The run's spool directory, created on first use.
pub struct SpoolDir {
    base: Option<PathBuf>,
    /// Told the directory's path once it exists (duct's supervisor needs it if the worker dies).
    announce: Option<Announce>,
    dir: OnceLock<Result<PathBuf, String>>,
    run_name: String,
}

impl SpoolDir {
    /// `base` is --spool-dir; without it, /var/tmp/duct-UID (persistent, not in RAM), else /tmp/duct-UID.
    pub fn new(base: Option<PathBuf>, announce: Option<Announce>) -> SpoolDir {
        let run_name = format!("run-{}-{}", chrono::Local::now().format("%Y%m%dT%H%M%S"), std::process::id());
        SpoolDir { base, announce, dir: OnceLock::new(), run_name }
    }

    pub fn path(&self) -> Result<&Path, String> {
        self.dir.get_or_init(|| self.create()).as_ref().map(PathBuf::as_path).map_err(Clone::clone)
    }

    /// The directory if it was ever created (so the summary can name it).
    pub fn created(&self) -> Option<&Path> {
        self.dir.get().and_then(|r| r.as_ref().ok()).map(PathBuf::as_path)
    }

    fn create(&self) -> Result<PathBuf, String> {
        let uid = nix::unistd::getuid().as_raw();
        let candidates: Vec<PathBuf> = match &self.base {
            Some(b) => vec![b.clone()],
            None => vec![PathBuf::from(format!("/var/tmp/duct-{uid}")), PathBuf::from(format!("/tmp/duct-{uid}"))],
        };
        let mut errors = Vec::new();
        for base in candidates {
            match private_dir(&base, uid).and_then(|()| {
                let run = base.join(&self.run_name);
                private_dir(&run, uid).map(|()| run)
            }) {
                Ok(run) => {
                    if let Some(announce) = &self.announce {
                        announce(&run);
                    }
                    return Ok(run);
                }
                Err(e) => errors.push(format!("{}: {e}", base.display())),
            }
        }
        Err(errors.join("; "))
    }
}

/// A directory only its owner can enter; an existing one must already be ours and private, since another user
/// could otherwise read the spooled output or plant files in it.
fn private_dir(path: &Path, uid: u32) -> Result<(), String> {
    // Missing parents are made too (private as well): a --spool-dir that cannot be made loses the output it exists
    // to keep.
    match fs::DirBuilder::new().recursive(true).mode(0o700).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e.to_string()),
    }
    let md = fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !md.is_dir() || md.uid() != uid {
        return Err("exists but is not a directory owned by this user".into());
    }
    if md.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// One log file's spool: appended by callers, read by the writer, emptied once the file confirmed all of it.
///
/// Positions are bytes of the spool file: `confirmed <= read <= written`. `[confirmed, read)` is what the writer
/// holds in memory and is writing; `[read, written)` has not been read yet.
pub struct Spool {
    pub path: PathBuf,
    meta_path: PathBuf,
    target: PathBuf,
    file: File,
    write_pos: u64,
    read_pos: u64,
    confirmed_pos: u64,
}

impl Spool {
    /// An empty spool whose first byte belongs at `offset` in `target`.
    pub fn create(dir: &Path, name: &str, target: &Path, offset: u64) -> io::Result<Spool> {
        let path = dir.join(format!("{name}.spool"));
        let meta_path = dir.join(format!("{name}.target"));
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).mode(0o600).open(&path)?;
        let spool =
            Spool { path, meta_path, target: target.to_path_buf(), file, write_pos: 0, read_pos: 0, confirmed_pos: 0 };
        spool.write_meta(offset)?;
        Ok(spool)
    }

    /// Record that the unconfirmed bytes belong at `offset` in the target (atomically: a crash leaves the old
    /// record or the new one, and either rewrites only bytes the target already has or lacks).
    pub fn write_meta(&self, offset: u64) -> io::Result<()> {
        let meta = Meta {
            target: absolute(&self.target).display().to_string(),
            offset,
            from: self.confirmed_pos,
            file: None,
            replace: false,
        };
        write_meta_file(&self.meta_path, &meta)
    }

    /// Bytes not yet confirmed in the file.
    pub fn unconfirmed(&self) -> u64 {
        self.write_pos - self.confirmed_pos
    }

    /// Bytes not yet read by the writer.
    pub fn unread(&self) -> u64 {
        self.write_pos - self.read_pos
    }

    pub fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all_at(bytes, self.write_pos)?;
        self.write_pos += bytes.len() as u64;
        Ok(())
    }

    /// Count the next `n` appended bytes as already read: the writer holds them in memory.
    pub fn mark_read(&mut self, n: u64) {
        self.read_pos = (self.read_pos + n).min(self.write_pos);
    }

    /// Up to `max` of the oldest unread bytes. They stay in the spool until `confirm`.
    pub fn read_chunk(&mut self, max: usize) -> io::Result<Vec<u8>> {
        let n = usize::try_from(self.unread()).unwrap_or(usize::MAX).min(max);
        let mut buf = vec![0u8; n];
        self.file.read_exact_at(&mut buf, self.read_pos)?;
        self.read_pos += n as u64;
        Ok(buf)
    }

    /// The unread bytes cannot be read (a broken local disk): give them up.
    pub fn forget_unread(&mut self) {
        self.write_pos = self.read_pos;
    }

    /// The writer let go of what it held beyond the first `kept` unconfirmed bytes: they are read again later.
    pub fn unread_beyond(&mut self, kept: u64) {
        self.read_pos = (self.confirmed_pos + kept).min(self.write_pos);
    }

    /// The file confirmed `n` more bytes of the spool; `offset` is where the next unconfirmed byte belongs.
    /// Once everything is confirmed the spool starts again from an empty file.
    pub fn confirm(&mut self, n: u64, offset: u64) {
        self.confirmed_pos = (self.confirmed_pos + n).min(self.read_pos);
        if self.unconfirmed() == 0 {
            self.restart_at(offset);
        } else {
            let _ = self.write_meta(offset);
        }
    }

    /// Empty (everything in it is confirmed, or nothing was ever kept): the next byte belongs at `offset`.
    /// Truncated first, so a crash in between leaves an empty spool, never one that points at the wrong place.
    pub fn restart_at(&mut self, offset: u64) {
        if self.write_pos > 0 {
            let _ = self.file.set_len(0);
        }
        self.write_pos = 0;
        self.read_pos = 0;
        self.confirmed_pos = 0;
        let _ = self.write_meta(offset);
    }

    pub fn remove(self) {
        let _ = fs::remove_file(&self.path);
        let _ = fs::remove_file(&self.meta_path);
    }
}

fn write_meta_file(meta_path: &Path, meta: &Meta) -> io::Result<()> {
    let text = serde_json::to_vec(meta).map_err(io::Error::other)?;
    let tmp = meta_path.with_extension("target.tmp");
    let mut f = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    std::io::Write::write_all(&mut f, &text)?;
    fs::rename(&tmp, meta_path)
}

/// Say, beside the final info.json saved as `file` in the spool directory `dir`, that it replaces `target`.
pub fn note_replacement(dir: &Path, file: &str, target: &Path) -> io::Result<()> {
    let meta = Meta {
        target: absolute(target).display().to_string(),
        offset: 0,
        from: 0,
        file: Some(file.to_string()),
        replace: true,
    };
    write_meta_file(&dir.join("info.target"), &meta)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// `duct --recover DIR`: put every spool in DIR back into its target, then the final info.json in place of the
/// provisional one. Returns a line per spool for people.
pub fn recover(dir: &Path) -> Result<Vec<String>, String> {
    let (lines, failed) = recover_matching(dir, |_| true)?;
    if lines.is_empty() {
        return Err(format!("{}: no spool files (N.spool with N.target) here", dir.display()));
    }
    if !failed {
        let _ = fs::remove_dir(dir);
    }
    if failed { Err(lines.join("\n")) } else { Ok(lines) }
}

/// Recover the pieces in `dir` whose target passes `wanted`: a line each, and whether any failed.
fn recover_matching(dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<(Vec<String>, bool), String> {
    let mut lines = Vec::new();
    let mut failed = false;
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut pieces: Vec<(PathBuf, Meta)> = Vec::new();
    for meta_path in entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "target")) {
        match read_meta(&meta_path) {
            Ok(meta) if wanted(&meta.target) => pieces.push((meta_path, meta)),
            Ok(_) => {}
            Err(e) => {
                failed = true;
                lines.push(format!("{}: {e}", meta_path.display()));
            }
        }
    }
    // The log files first, each in the order of its pieces (a later one may begin where an earlier one ends:
    // the output after a worker's death); info.json last: once it says the run finished, the logs are whole.
    pieces.sort_by(|(_, a), (_, b)| (a.replace, &a.target, a.offset).cmp(&(b.replace, &b.target, b.offset)));
    for (meta_path, meta) in pieces {
        let data = meta.file.as_ref().map_or_else(|| meta_path.with_extension("spool"), |f| dir.join(f));
        let done = if meta.replace { replace_one(&meta, &data) } else { recover_one(&meta, &data) };
        match done {
            Ok(line) => {
                let _ = fs::remove_file(&data);
                let _ = fs::remove_file(&meta_path);
                lines.push(line);
            }
            Err(e) => {
                failed = true;
                lines.push(format!("{}: {e}", data.display()));
            }
        }
    }
    Ok((lines, failed))
}

fn read_meta(path: &Path) -> Result<Meta, String> {
    let text = fs::read(path).map_err(|e| e.to_string())?;
    serde_json::from_slice::<Meta>(&text).map_err(|e| format!("bad {}: {e}", path.display()))
}

/// Where duct's supervisor appends the command's output to `log` once the worker died: the log itself after
/// the worker's spooled bytes for it are put back; while they cannot be, a new spool piece that begins where
/// they end (so nothing lands at the file's short end, where the spooled bytes belong). None: nowhere.
pub fn file_after_worker(spool: Option<&Path>, log: &Path) -> Option<File> {
    let append = || OpenOptions::new().append(true).create(true).open(log).ok();
    let Some(dir) = spool.filter(|d| d.is_dir()) else { return append() };
    let target = absolute(log).display().to_string();
    let mine = |t: &str| t == target;
    if recover_matching(dir, mine).is_ok_and(|(_, failed)| !failed) {
        // The last one put back leaves nothing to recover: no empty spool for people to wonder about.
        let _ = fs::remove_dir(dir);
        return append();
    }
    // Still down: continue the spool.
    let mut end = 0;
    for e in fs::read_dir(dir).ok()?.flatten() {
        let p = e.path();
        let Some(meta) = p.extension().is_some_and(|x| x == "target").then(|| read_meta(&p).ok()).flatten() else {
            continue;
        };
        if meta.replace || meta.target != target {
            continue;
        }
        let data = meta.file.as_ref().map_or_else(|| p.with_extension("spool"), |f| dir.join(f));
        let len = fs::metadata(&data).map_or(0, |m| m.len());
        end = end.max(meta.offset + len.saturating_sub(meta.from));
    }
    let name = (0..1000).map(|k| format!("after-{k}")).find(|n| !dir.join(format!("{n}.target")).exists())?;
    Spool::create(dir, &name, log, end).ok().map(|s| s.file)
}

fn recover_one(meta: &Meta, spool_path: &Path) -> Result<String, String> {
    let source = File::open(spool_path).map_err(|e| e.to_string())?;
    let size = source.metadata().map_err(|e| e.to_string())?.len().saturating_sub(meta.from);
    let target = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&meta.target)
        .map_err(|e| format!("{}: {e}", meta.target))?;
    let len = target.metadata().map_err(|e| e.to_string())?.len();
    let at = meta.offset.min(len);
    // In pieces: a spool can be larger than memory.
    let mut buf = vec![0u8; 1 << 20];
    let mut done: u64 = 0;
    while done < size {
        let n = source.read_at(&mut buf, meta.from + done).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        let piece = buf.get(..n).unwrap_or_default();
        target.write_all_at(piece, at + done).map_err(|e| format!("{}: {e}", meta.target))?;
        done += n as u64;
    }
    target.sync_all().map_err(|e| format!("{}: {e}", meta.target))?;
    let gap = if at < meta.offset {
        format!(" (the file ended at {len}, before offset {})", meta.offset)
    } else {
        String::new()
    };
    Ok(format!("{}: wrote {done} bytes at offset {at}{gap}", meta.target))
}

/// The final info.json in place of the provisional one.
fn replace_one(meta: &Meta, data: &Path) -> Result<String, String> {
    let doc = fs::read(data).map_err(|e| e.to_string())?;
    crate::sink::replace_atomically(Path::new(&meta.target), &doc).map_err(|e| format!("{}: {e}", meta.target))?;
    Ok(format!("{}: replaced with the run's final record", meta.target))
}
