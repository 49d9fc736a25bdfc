//! Which mount a path is on, and whether that mount needs Kerberos tickets.
//!
//! The mount is found by device number: `stat(path).st_dev` against field 3
//! (`major:minor`) of `/proc/self/mountinfo`, never by path prefix (bind
//! mounts and NFSv4 submounts would fool a prefix match). A prefix is used
//! only to choose between several mounts of the same device.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// One line of `/proc/self/mountinfo` (proc(5)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountInfo {
    pub mount_id: u64,
    /// (major, minor)
    pub dev: (u32, u32),
    /// The root of the mount within its filesystem (field 4), decoded.
    pub root: PathBuf,
    /// Field 5, with `\040`-style escapes decoded.
    pub mount_point: PathBuf,
    pub fstype: String,
    pub source: String,
    /// The super options (last field), e.g. `rw,vers=4.2,sec=krb5p,...`.
    pub super_options: String,
}

impl MountInfo {
    /// For NFS, the `sec=` flavour from the super options (`krb5`, `krb5i`, `krb5p`, `sys`, ...).
    pub fn sec(&self) -> Option<String> {
        if !is_nfs(&self.fstype) {
            return None;
        }
        self.super_options.split(',').find_map(|o| o.strip_prefix("sec=")).map(str::to_string)
    }

    /// Whether I/O on this mount needs the user's Kerberos tickets (`sec=krb5*`).
    pub fn needs_tickets(&self) -> bool {
        self.sec().is_some_and(|s| sec_needs_tickets(&s))
    }
}

pub fn is_nfs(fstype: &str) -> bool {
    fstype == "nfs" || fstype == "nfs4"
}

/// `krb5`, `krb5i` and `krb5p` (and lists like `krb5p:krb5i`) need tickets; `sys`, `none` do not.
pub fn sec_needs_tickets(sec: &str) -> bool {
    sec.starts_with("krb5")
}

/// Decodes the octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash) the kernel writes.
pub fn unescape(field: &str) -> OsString {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\'
            && let Some(digits) = b.get(i + 1..i + 4)
            && digits.iter().all(|d| (b'0'..=b'7').contains(d))
            && let Ok(byte) = u8::try_from(digits.iter().fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0')))
        {
            out.push(byte);
            i += 4;
            continue;
        }
        out.push(c);
        i += 1;
    }
    OsString::from_vec(out)
}

/// Parses mountinfo text; malformed lines are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<MountInfo> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<MountInfo> {
    let (left, right) = line.split_once(" - ")?;
    let mut l = left.split(' ');
    let mount_id = l.next()?.parse().ok()?;
    let _parent = l.next()?;
    let (maj, min) = l.next()?.split_once(':')?;
    let dev = (maj.parse().ok()?, min.parse().ok()?);
    let root = PathBuf::from(unescape(l.next()?));
    let mount_point = PathBuf::from(unescape(l.next()?));
    let mut r = right.split(' ');
    let fstype = r.next()?.to_string();
    let source = unescape(r.next()?).to_string_lossy().into_owned();
    let super_options = r.next().unwrap_or("").to_string();
    Some(MountInfo { mount_id, dev, root, mount_point, fstype, source, super_options })
}

/// glibc's `major()`/`minor()` for a Linux `dev_t`.
pub fn split_dev(dev: u64) -> (u32, u32) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major as u32, minor as u32)
}

/// The entry for device `dev`; among several (bind mounts, a filesystem
/// mounted twice), the one whose mount point is the longest ancestor of
/// `path` (absolute, symlinks resolved), else the last one listed.
pub fn find_mount<'a>(entries: &'a [MountInfo], dev: (u32, u32), path: &Path) -> Option<&'a MountInfo> {
    let same: Vec<&MountInfo> = entries.iter().filter(|e| e.dev == dev).collect();
    same.iter()
        .filter(|e| path.starts_with(&e.mount_point))
        .max_by_key(|e| e.mount_point.components().count())
        .or_else(|| same.last())
        .copied()
}

/// A path and the mount it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMount {
    /// As given.
    pub path: PathBuf,
    pub exists: bool,
    /// The path actually examined: `path`, or its nearest existing ancestor.
    pub probed: PathBuf,
    pub mount: Option<MountInfo>,
    /// Why the mount could not be found.
    pub problem: Option<String>,
}

impl PathMount {
    pub fn sec(&self) -> Option<String> {
        self.mount.as_ref().and_then(MountInfo::sec)
    }
    pub fn needs_tickets(&self) -> bool {
        self.mount.as_ref().is_some_and(MountInfo::needs_tickets)
    }
}

/// Finds the mount for `path` (or, when it does not exist, for its nearest
/// existing ancestor) in `/proc/self/mountinfo`.
pub fn mount_for_path(path: &Path) -> PathMount {
    let text = std::fs::read_to_string("/proc/self/mountinfo");
    let entries = match &text {
        Ok(t) => parse_mountinfo(t),
        Err(_) => Vec::new(),
    };
    let mut pm = mount_in(&entries, path);
    if let Err(e) = text {
        pm.mount = None;
        pm.problem = Some(format!("cannot read /proc/self/mountinfo: {e}"));
    }
    pm
}

/// [`mount_for_path`] against given mountinfo entries (stat still touches the real path).
pub fn mount_in(entries: &[MountInfo], path: &Path) -> PathMount {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let exists = std::fs::symlink_metadata(path).is_ok();
    let mut probe = absolute.clone();
    let meta = loop {
        match std::fs::metadata(&probe) {
            Ok(m) => break Some(m),
            Err(_) => {
                if !probe.pop() {
                    break None;
                }
            }
        }
    };
    let Some(meta) = meta else {
        return PathMount {
            path: path.to_path_buf(),
            exists,
            probed: probe,
            mount: None,
            problem: Some("no existing ancestor could be examined".into()),
        };
    };
    let canonical = std::fs::canonicalize(&probe).unwrap_or_else(|_| probe.clone());
    let dev = split_dev(meta.dev());
    let mount = find_mount(entries, dev, &canonical).cloned();
    let problem = mount.is_none().then(|| format!("device {}:{} is not in /proc/self/mountinfo", dev.0, dev.1));
    PathMount { path: path.to_path_buf(), exists, probed: canonical, mount, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:45 / /home/alice rw,relatime shared:20 - nfs4 srv:/home/alice rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=krb5,clientaddr=10.0.0.2,local_lock=none,addr=10.0.0.1
41 22 0:46 / /data/integrity rw shared:21 - nfs4 srv:/i rw,vers=4.2,sec=krb5i,addr=10.0.0.1
42 22 0:47 / /data/private rw shared:22 - nfs4 srv:/p rw,vers=4.1,sec=krb5p,addr=10.0.0.1
43 22 0:48 / /data/sys rw shared:23 - nfs srv:/s rw,vers=3,sec=sys,mountaddr=10.0.0.1
44 22 0:49 /sub /mnt/with\\040space\\011tab rw shared:24 - nfs4 srv:/x\\040y rw,vers=4.2,sec=krb5p
45 22 0:50 / /mnt/tmp rw - tmpfs tmpfs rw,size=1024k
46 22 0:50 / /mnt/tmp-again rw - tmpfs tmpfs rw,size=1024k
bad line without separator
";

    #[test]
    fn parses_nfs_sec_flavours() {
        let e = parse_mountinfo(SAMPLE);
        assert_eq!(e.len(), 8);
        let by = |mp: &str| e.iter().find(|m| m.mount_point == Path::new(mp)).expect("entry");
        assert_eq!(by("/home/alice").sec().as_deref(), Some("krb5"));
        assert!(by("/home/alice").needs_tickets());
        assert_eq!(by("/home/alice").dev, (0, 45));
        assert_eq!(by("/home/alice").fstype, "nfs4");
        assert_eq!(by("/data/integrity").sec().as_deref(), Some("krb5i"));
        assert!(by("/data/integrity").needs_tickets());
        assert_eq!(by("/data/private").sec().as_deref(), Some("krb5p"));
        assert!(by("/data/private").needs_tickets());
        assert_eq!(by("/data/sys").sec().as_deref(), Some("sys"));
        assert!(!by("/data/sys").needs_tickets());
        assert_eq!(by("/").sec(), None);
        assert!(!by("/").needs_tickets());
    }

    #[test]
    fn decodes_escaped_mount_points() {
        let e = parse_mountinfo(SAMPLE);
        let m = e.iter().find(|m| m.dev == (0, 49)).expect("escaped entry");
        assert_eq!(m.mount_point, Path::new("/mnt/with space\ttab"));
        assert_eq!(m.root, Path::new("/sub"));
        assert_eq!(m.source, "srv:/x y");
        assert_eq!(m.sec().as_deref(), Some("krb5p"));
        assert_eq!(unescape(r"a\134b\040"), OsString::from("a\\b "));
        assert_eq!(unescape(r"trailing\04"), OsString::from(r"trailing\04"));
    }

    #[test]
    fn matches_by_device_not_prefix() {
        let e = parse_mountinfo(SAMPLE);
        // A path under /home/alice by name, but on device 0:21: the root fs.
        let m = find_mount(&e, (0, 21), Path::new("/home/alice/x")).expect("found");
        assert_eq!(m.mount_point, Path::new("/"));
        // Same device mounted twice: the ancestor wins, else the last.
        let m = find_mount(&e, (0, 50), Path::new("/mnt/tmp/a")).expect("found");
        assert_eq!(m.mount_point, Path::new("/mnt/tmp"));
        let m = find_mount(&e, (0, 50), Path::new("/elsewhere")).expect("found");
        assert_eq!(m.mount_point, Path::new("/mnt/tmp-again"));
        assert!(find_mount(&e, (9, 9), Path::new("/")).is_none());
    }

    #[test]
    fn dev_split() {
        assert_eq!(split_dev(0x0801), (8, 1));
        assert_eq!(split_dev((259u64 << 8) | 3), (259, 3));
        assert_eq!(split_dev(0x0010_0000 | 0x2d), (0, 0x12d));
    }

    #[test]
    fn real_root_and_missing_path() {
        let pm = mount_for_path(Path::new("/proc/self"));
        assert_eq!(pm.mount.as_ref().map(|m| m.fstype.as_str()), Some("proc"));
        let pm = mount_for_path(Path::new("/proc/nonexistent-duct/child"));
        assert!(!pm.exists);
        assert_eq!(pm.probed, Path::new("/proc"));
        assert_eq!(pm.mount.as_ref().map(|m| m.fstype.as_str()), Some("proc"));
    }
}
