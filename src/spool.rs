//! The local spool: where a log file's bytes wait when memory is full and the file cannot take them, and
//! where its unwritten tail stays when duct has to end before the file came back.
//!
//! Format (stable; `duct --recover DIR` reads it): a run's spool is a directory `DIR` (mode 0700) holding,
//! per log file, `N.spool` (mode 0600: raw bytes, in order) and `N.target`
//! (JSON: `{"target": "/path/to/log", "offset": 12345}`: the byte offset in the target where the spool's first byte
//! belongs). Recovery writes each spool into its target at that offset (at the target's end if the target is
//! shorter, so there is never a run of zero bytes), fsyncs, and removes the pair.

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
}

/// The run's spool directory, created on first use.
pub struct SpoolDir {
    base: Option<PathBuf>,
    dir: OnceLock<Result<PathBuf, String>>,
    run_name: String,
}

impl SpoolDir {
    /// `base` is --spool-dir; without it, /var/tmp/duct-UID (persistent, not in RAM), else /tmp/duct-UID.
    pub fn new(base: Option<PathBuf>) -> SpoolDir {
        let run_name = format!("run-{}-{}", chrono::Local::now().format("%Y%m%dT%H%M%S"), std::process::id());
        SpoolDir { base, dir: OnceLock::new(), run_name }
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
                Ok(run) => return Ok(run),
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

/// One log file's spool: appended by callers, read back by the writer, in order.
pub struct Spool {
    pub path: PathBuf,
    meta_path: PathBuf,
    file: File,
    write_pos: u64,
    read_pos: u64,
}

impl Spool {
    pub fn create(dir: &Path, name: &str, target: &Path, offset: u64) -> io::Result<Spool> {
        let path = dir.join(format!("{name}.spool"));
        let meta_path = dir.join(format!("{name}.target"));
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(true).mode(0o600).open(&path)?;
        let spool = Spool { path, meta_path, file, write_pos: 0, read_pos: 0 };
        spool.write_meta(target, offset)?;
        Ok(spool)
    }

    pub fn write_meta(&self, target: &Path, offset: u64) -> io::Result<()> {
        let meta = Meta { target: absolute(target).display().to_string(), offset };
        let text = serde_json::to_vec(&meta).map_err(io::Error::other)?;
        let tmp = self.meta_path.with_extension("target.tmp");
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
        std::io::Write::write_all(&mut f, &text)?;
        fs::rename(&tmp, &self.meta_path)
    }

    pub fn unread(&self) -> u64 {
        self.write_pos - self.read_pos
    }

    pub fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all_at(bytes, self.write_pos)?;
        self.write_pos += bytes.len() as u64;
        Ok(())
    }

    /// Up to `max` of the oldest unread bytes.
    pub fn read_chunk(&mut self, max: usize) -> io::Result<Vec<u8>> {
        let n = usize::try_from(self.unread()).unwrap_or(usize::MAX).min(max);
        let mut buf = vec![0u8; n];
        self.file.read_exact_at(&mut buf, self.read_pos)?;
        self.read_pos += n as u64;
        Ok(buf)
    }

    /// Everything read back and written: start again from an empty file.
    pub fn reset(&mut self) {
        if self.unread() == 0 {
            let _ = self.file.set_len(0);
            self.write_pos = 0;
            self.read_pos = 0;
        }
    }

    pub fn remove(self) {
        let _ = fs::remove_file(&self.path);
        let _ = fs::remove_file(&self.meta_path);
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Persist a file's whole unwritten tail (starting at `offset` in `target`) as a new spool; returns its path.
pub fn save_tail(dir: &SpoolDir, name: &str, target: &Path, offset: u64, tail: &[u8]) -> Result<PathBuf, String> {
    let d = dir.path()?;
    let mut spool = Spool::create(d, name, target, offset).map_err(|e| e.to_string())?;
    spool.append(tail).and_then(|()| spool.file.sync_all()).map_err(|e| e.to_string())?;
    Ok(spool.path.clone())
}

/// `duct --recover DIR`: put every spool in DIR back into its target. Returns a line per spool for people.
pub fn recover(dir: &Path) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut metas: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "target")).collect();
    metas.sort();
    let mut failed = false;
    for meta_path in metas {
        let spool_path = meta_path.with_extension("spool");
        match recover_one(&meta_path, &spool_path) {
            Ok(line) => {
                let _ = fs::remove_file(&spool_path);
                let _ = fs::remove_file(&meta_path);
                lines.push(line);
            }
            Err(e) => {
                failed = true;
                lines.push(format!("{}: {e}", spool_path.display()));
            }
        }
    }
    if lines.is_empty() {
        return Err(format!("{}: no spool files (N.spool with N.target) here", dir.display()));
    }
    if !failed {
        let _ = fs::remove_dir(dir);
    }
    if failed { Err(lines.join("\n")) } else { Ok(lines) }
}

fn recover_one(meta_path: &Path, spool_path: &Path) -> Result<String, String> {
    let meta: Meta = serde_json::from_slice(&fs::read(meta_path).map_err(|e| e.to_string())?)
        .map_err(|e| format!("bad {}: {e}", meta_path.display()))?;
    let source = File::open(spool_path).map_err(|e| e.to_string())?;
    let size = source.metadata().map_err(|e| e.to_string())?.len();
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
        let n = source.read_at(&mut buf, done).map_err(|e| e.to_string())?;
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
