//! The I/O half of sampling: listing /proc and reading one process's files into reused buffers.
//!
//! Every read may fail because the process exited in between; callers treat any error as "gone".

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;

use super::ProcSource;
use super::proc_stat::{self, Stat, StatusMem};

/// The real /proc, opened lazily and reopened after a listing error.
///
/// Tracked processes' `stat` files stay open and are re-read with `pread` at offset 0: that skips the path
/// walk, open and close that cost about as much as generating the file. Such an fd is tied to the process,
/// not the pid number, so once the process is reaped it fails with ESRCH even if the pid is reused. Held fds
/// are capped well below the fd limit, since the rest of duct needs fds too; beyond the cap files are
/// opened per read.
pub struct RealProc {
    dir: Option<ProcDir>,
    files: ProcFiles,
    held: HashMap<i32, File>,
    max_held: usize,
}

impl Default for RealProc {
    fn default() -> RealProc {
        let soft = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
            .map(|(soft, _)| soft)
            .unwrap_or(1024);
        RealProc {
            dir: None,
            files: ProcFiles::default(),
            held: HashMap::new(),
            max_held: usize::try_from(soft / 4).unwrap_or(256).min(1024),
        }
    }
}

impl ProcSource for RealProc {
    fn list(&mut self, pids: &mut Vec<i32>) -> io::Result<()> {
        let dir = match &mut self.dir {
            Some(dir) => dir,
            None => self.dir.insert(ProcDir::open()?),
        };
        let listed = dir.list(pids);
        if listed.is_err() {
            self.dir = None;
        }
        listed
    }

    fn stat(&mut self, pid: i32) -> io::Result<Stat> {
        self.files.stat(pid)
    }

    fn stat_tracked(&mut self, pid: i32) -> io::Result<Stat> {
        if let Some(file) = self.held.get(&pid) {
            let read = self.files.pread_stat(file);
            if read.is_err() {
                self.held.remove(&pid);
            }
            return read;
        }
        let file = self.files.open(pid, "stat")?;
        let stat = self.files.pread_stat(&file)?;
        if self.held.len() < self.max_held {
            self.held.insert(pid, file);
        }
        Ok(stat)
    }

    fn forget(&mut self, pid: i32) {
        self.held.remove(&pid);
    }

    fn status_mem(&mut self, pid: i32) -> io::Result<StatusMem> {
        self.files.status_mem(pid)
    }

    fn cmd(&mut self, stat: &Stat) -> String {
        self.files.cmd(stat)
    }
}

/// Lists the numeric entries of /proc (thread-group leaders only; threads live under `task/`).
///
/// Keeps one directory fd open and rewinds it each tick, and decodes `getdents64` records from a reused
/// buffer: `std::fs::read_dir` would reopen /proc and allocate a name per entry, on every tick, for every
/// process on the host.
pub struct ProcDir {
    dir: File,
    buf: Vec<u8>,
}

/// Offset of `d_name` in `struct linux_dirent64` (u64 ino, i64 off, u16 reclen, u8 type).
const DIRENT_NAME: usize = 19;

impl ProcDir {
    pub fn open() -> io::Result<ProcDir> {
        Ok(ProcDir { dir: File::open("/proc")?, buf: vec![0; 32 * 1024] })
    }

    pub fn list(&mut self, pids: &mut Vec<i32>) -> io::Result<()> {
        pids.clear();
        self.dir.seek(SeekFrom::Start(0))?;
        loop {
            // SAFETY: the kernel writes at most `buf.len()` bytes into the buffer we own for the call.
            let n = unsafe {
                libc::syscall(libc::SYS_getdents64, self.dir.as_raw_fd(), self.buf.as_mut_ptr(), self.buf.len())
            };
            let n = match usize::try_from(n) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(_) => return Err(io::Error::last_os_error()),
            };
            let mut records = self.buf.get(..n).unwrap_or_default();
            while let Some(reclen) = records.get(16..18) {
                let Ok(reclen) = <[u8; 2]>::try_from(reclen) else {
                    break;
                };
                let reclen = usize::from(u16::from_ne_bytes(reclen));
                let Some(record) = records.get(..reclen).filter(|_| reclen > DIRENT_NAME) else {
                    break;
                };
                let name = record.get(DIRENT_NAME..).unwrap_or_default();
                let name = name.split(|&b| b == 0).next().unwrap_or_default();
                if let Some(pid) = parse_pid(name) {
                    pids.push(pid);
                }
                records = records.get(reclen..).unwrap_or_default();
            }
        }
    }
}

fn parse_pid(name: &[u8]) -> Option<i32> {
    if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(name).ok()?.parse().ok()
}

/// Reads `/proc/<pid>/…` files through one reused path string and one reused byte buffer.
pub struct ProcFiles {
    path: String,
    buf: Vec<u8>,
}

/// Larger than any `stat` line (52 numbers and a 64-byte name) and than a typical `status`.
const READ_CHUNK: usize = 4096;

impl Default for ProcFiles {
    fn default() -> ProcFiles {
        ProcFiles { path: String::with_capacity(64), buf: Vec::with_capacity(READ_CHUNK) }
    }
}

impl ProcFiles {
    fn open(&mut self, pid: i32, file: &str) -> io::Result<File> {
        self.path.clear();
        // Writing to a String cannot fail.
        let _ = write!(self.path, "/proc/{pid}/{file}");
        File::open(&self.path)
    }

    /// Reads a whole file from offset 0. procfs builds these files in one go, so a first read that does not
    /// fill the buffer got everything; that saves the size probe and the extra read of `read_to_end`.
    fn pread_all(&mut self, file: &File) -> io::Result<&[u8]> {
        self.buf.clear();
        self.buf.resize(READ_CHUNK, 0);
        let n = file.read_at(&mut self.buf, 0)?;
        if n == self.buf.len() {
            let mut rest = Vec::new();
            let mut f = file;
            f.seek(SeekFrom::Start(n as u64))?;
            f.read_to_end(&mut rest)?;
            self.buf.extend_from_slice(&rest);
        } else {
            self.buf.truncate(n);
        }
        Ok(&self.buf)
    }

    fn pread_stat(&mut self, file: &File) -> io::Result<Stat> {
        let buf = self.pread_all(file)?;
        proc_stat::parse_stat(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    pub fn stat(&mut self, pid: i32) -> io::Result<Stat> {
        let file = self.open(pid, "stat")?;
        self.pread_stat(&file)
    }

    pub fn status_mem(&mut self, pid: i32) -> io::Result<StatusMem> {
        let file = self.open(pid, "status")?;
        self.pread_all(&file).map(proc_stat::parse_status_mem)
    }

    /// The command as ps shows it; `[comm]` when the command line is empty or unreadable.
    pub fn cmd(&mut self, stat: &Stat) -> String {
        let raw = match self.open(stat.pid, "cmdline") {
            Ok(file) => self.pread_all(&file).unwrap_or_default(),
            Err(_) => &[],
        };
        proc_stat::format_cmdline(raw, stat.comm.as_bytes(), stat.is_zombie())
    }
}

/// Total RAM in bytes, for pmem; `None` if /proc/meminfo is unreadable.
pub fn mem_total() -> Option<u64> {
    std::fs::read("/proc/meminfo").ok().and_then(|b| proc_stat::parse_meminfo_total(&b))
}

/// Seconds since boot including suspend: the clock `starttime` in /proc/<pid>/stat counts on, so ages computed
/// from it match ps's etime.
pub fn boottime_secs() -> Option<f64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
    (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_own_pid_and_init() {
        let mut dir = ProcDir::open().unwrap();
        let mut pids = Vec::new();
        for _ in 0..2 {
            dir.list(&mut pids).unwrap();
            assert!(pids.contains(&(std::process::id() as i32)));
            assert!(pids.contains(&1));
        }
    }

    #[test]
    fn reads_own_files() {
        let me = std::process::id() as i32;
        let mut files = ProcFiles::default();
        let st = files.stat(me).unwrap();
        assert_eq!(st.pid, me);
        assert!(st.rss_pages > 0);
        assert!(files.status_mem(me).unwrap().hwm.unwrap() > 0);
        assert!(!files.cmd(&st).is_empty());
        assert!(files.stat(i32::MAX).is_err());
        let long = "x".repeat(3 * READ_CHUNK);
        // `read` blocks in the shell itself, so killing it leaves no orphan behind.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "read x", &long])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Until the child has exec'd it shows the test binary's command line.
        let exec_seen = (0..100).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let st = files.stat(child.id() as i32).unwrap();
            files.cmd(&st) == format!("sh -c read x {long}")
        });
        assert!(exec_seen);
        let _ = child.kill();
        let _ = child.wait();
        assert!(mem_total().unwrap() > 0);
        assert!(boottime_secs().unwrap() > 0.0);
    }

    #[test]
    fn held_stat_fd_follows_the_process_not_the_pid() {
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let pid = child.id() as i32;
        let mut source = RealProc::default();
        let a = source.stat_tracked(pid).unwrap();
        assert!(source.held.contains_key(&pid));
        assert_eq!(source.stat_tracked(pid).unwrap().starttime, a.starttime);
        let _ = child.kill();
        let _ = child.wait();
        assert!(source.stat_tracked(pid).is_err());
        assert!(!source.held.contains_key(&pid));
    }

    #[test]
    fn pid_names() {
        assert_eq!(parse_pid(b"123"), Some(123));
        assert_eq!(parse_pid(b"self"), None);
        assert_eq!(parse_pid(b""), None);
        assert_eq!(parse_pid(b"99999999999"), None);
    }
}
