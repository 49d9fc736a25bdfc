//! Pure parsers and formatters for the /proc files the sampler reads.
//!
//! Nothing here does I/O, so every corner (odd command names, zombies, kernel threads) can be tested on fixed
//! input. The I/O side lives in `tree.rs`.

use std::fmt;

/// `PF_KTHREAD` from include/linux/sched.h: set in field 9 (flags) for kernel threads.
const PF_KTHREAD: u64 = 0x0020_0000;

/// A command name as the kernel reports it in `/proc/<pid>/stat`.
///
/// Fixed size so a `Stat` is `Copy` and parsing never allocates. 64 bytes covers the 16-byte `TASK_COMM_LEN`
/// and the longer names the kernel composes for workqueue threads; anything longer is cut.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Comm {
    buf: [u8; 64],
    len: u8,
}

impl Comm {
    fn new(bytes: &[u8]) -> Comm {
        let mut buf = [0u8; 64];
        let mut len = 0u8;
        for (slot, &b) in buf.iter_mut().zip(bytes) {
            *slot = b;
            len += 1;
        }
        Comm { buf, len }
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl fmt::Debug for Comm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

/// The fields of `/proc/<pid>/stat` the sampler uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub pid: i32,
    pub comm: Comm,
    pub state: u8,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    pub tpgid: i32,
    pub flags: u64,
    /// Minor plus major page faults of the whole process: resident memory cannot grow without them.
    pub faults: u64,
    /// utime + stime, in clock ticks.
    pub cpu_ticks: u64,
    pub nice: i64,
    pub num_threads: i64,
    /// Clock ticks after boot; with the pid it identifies a process across pid reuse.
    pub starttime: u64,
    /// Bytes.
    pub vsize: u64,
    /// Pages.
    pub rss_pages: u64,
}

impl Stat {
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }

    pub fn is_zombie(&self) -> bool {
        self.state == b'Z'
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("no parenthesised command name")]
    NoComm,
    #[error("field {0} is missing or not a number")]
    Field(usize),
}

/// Parses one `/proc/<pid>/stat` line.
///
/// The command name may contain spaces and parentheses (`a) b (c`), so it is taken as everything between the
/// first `(` and the *last* `)`: no field after it can contain a `)`.
pub fn parse_stat(buf: &[u8]) -> Result<Stat, ParseError> {
    let open = buf.iter().position(|&b| b == b'(').ok_or(ParseError::NoComm)?;
    let close = buf.iter().rposition(|&b| b == b')').ok_or(ParseError::NoComm)?;
    if close < open {
        return Err(ParseError::NoComm);
    }
    let pid = buf.get(..open).and_then(|b| parse_int(b.trim_ascii())).ok_or(ParseError::Field(1))?;
    let comm = Comm::new(buf.get(open + 1..close).unwrap_or_default());
    let rest = buf.get(close + 1..).unwrap_or_default();

    // Field numbers below are the 1-based ones of proc(5); `rest` starts at field 3.
    let mut fields = rest.split(|b| b.is_ascii_whitespace()).filter(|f| !f.is_empty());
    let mut next_field = 3usize;
    let mut field = |wanted: usize| -> Result<&[u8], ParseError> {
        while next_field < wanted {
            fields.next().ok_or(ParseError::Field(wanted))?;
            next_field += 1;
        }
        next_field += 1;
        fields.next().ok_or(ParseError::Field(wanted))
    };

    let state = *field(3)?.first().ok_or(ParseError::Field(3))?;
    let ppid = num(field(4)?, 4)?;
    let pgrp = num(field(5)?, 5)?;
    let session = num(field(6)?, 6)?;
    let tpgid = num(field(8)?, 8)?;
    let flags = num(field(9)?, 9)?;
    let minflt: u64 = num(field(10)?, 10)?;
    let majflt: u64 = num(field(12)?, 12)?;
    let utime: u64 = num(field(14)?, 14)?;
    let stime: u64 = num(field(15)?, 15)?;
    let nice = num(field(19)?, 19)?;
    let num_threads = num(field(20)?, 20)?;
    let starttime = num(field(22)?, 22)?;
    let vsize = num(field(23)?, 23)?;
    // Printed as a signed long; a transiently negative counter means "nothing resident".
    let rss: i64 = num(field(24)?, 24)?;

    Ok(Stat {
        pid,
        comm,
        state,
        ppid,
        pgrp,
        session,
        tpgid,
        flags,
        faults: minflt.saturating_add(majflt),
        cpu_ticks: utime.saturating_add(stime),
        nice,
        num_threads,
        starttime,
        vsize,
        rss_pages: u64::try_from(rss).unwrap_or(0),
    })
}

fn num<T: TryFrom<i128>>(field: &[u8], n: usize) -> Result<T, ParseError> {
    parse_int(field).ok_or(ParseError::Field(n))
}

/// Parses a decimal integer, with an optional leading `-`, straight from bytes: /proc is ASCII and going
/// through `str` would cost a UTF-8 check per field.
fn parse_int<T: TryFrom<i128>>(b: &[u8]) -> Option<T> {
    let (neg, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut v: i128 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i128::from(d - b'0');
    }
    T::try_from(if neg { -v } else { v }).ok()
}

/// Memory fields of `/proc/<pid>/status`, in bytes. Absent for zombies and kernel threads (no mm).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusMem {
    pub hwm: Option<u64>,
    pub locked: Option<u64>,
}

pub fn parse_status_mem(buf: &[u8]) -> StatusMem {
    let mut out = StatusMem::default();
    for line in buf.split(|&b| b == b'\n') {
        if let Some(v) = line.strip_prefix(b"VmLck:") {
            out.locked = parse_kb(v);
        } else if let Some(v) = line.strip_prefix(b"VmHWM:") {
            out.hwm = parse_kb(v);
            // VmLck precedes VmHWM; nothing later is wanted.
            break;
        }
    }
    out
}

/// `MemTotal` from `/proc/meminfo`, in bytes.
pub fn parse_meminfo_total(buf: &[u8]) -> Option<u64> {
    buf.split(|&b| b == b'\n').find_map(|line| line.strip_prefix(b"MemTotal:")).and_then(parse_kb)
}

/// `"   1234 kB"` to bytes.
fn parse_kb(v: &[u8]) -> Option<u64> {
    let v = v.trim_ascii();
    let v = v.strip_suffix(b"kB").unwrap_or(v).trim_ascii();
    parse_int::<u64>(v).map(|kb| kb.saturating_mul(1024))
}

/// The command line as `ps -o cmd` shows it.
///
/// Arguments are NUL-separated; ps prints them space-separated and turns control characters (newlines in a
/// `python -c` script, tabs) into spaces. A process with no command line (kernel thread, zombie, or one that
/// has not exec'd its memory yet) is shown as `[comm]`, and a zombie gets ps's ` <defunct>`.
pub fn format_cmdline(raw: &[u8], comm: &[u8], zombie: bool) -> String {
    let trimmed = match raw.iter().rposition(|&b| b != 0) {
        Some(last) => raw.get(..=last).unwrap_or_default(),
        None => &[],
    };
    if trimmed.is_empty() {
        let mut s = String::with_capacity(comm.len() + 12);
        s.push('[');
        s.push_str(&String::from_utf8_lossy(comm));
        s.push(']');
        if zombie {
            s.push_str(" <defunct>");
        }
        return s;
    }
    let text = String::from_utf8_lossy(trimmed);
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Elapsed time in ps's `etime` format, `[[DD-]HH:]MM:SS`.
pub fn format_etime(secs: u64) -> String {
    let ss = secs % 60;
    let mm = secs / 60 % 60;
    let hh = secs / 3600 % 24;
    let dd = secs / 86400;
    if dd > 0 {
        format!("{dd}-{hh:02}:{mm:02}:{ss:02}")
    } else if hh > 0 {
        format!("{hh:02}:{mm:02}:{ss:02}")
    } else {
        format!("{mm:02}:{ss:02}")
    }
}

/// A ps `STAT` string (`Ss`, `R+`, `Sl`, `Z`…), inline so samples carry it without allocating.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatCode {
    buf: [u8; 8],
    len: u8,
}

impl StatCode {
    /// Composes the code in ps's order: state, `<`/`N` (nice), `L` (locked pages), `s` (session leader),
    /// `l` (multithreaded), `+` (in the terminal's foreground process group).
    pub fn new(stat: &Stat, locked_pages: bool) -> StatCode {
        let mut code = StatCode { buf: [0; 8], len: 0 };
        let state = if stat.state.is_ascii_graphic() { stat.state } else { b'?' };
        code.push(state);
        if stat.nice < 0 {
            code.push(b'<');
        } else if stat.nice > 0 {
            code.push(b'N');
        }
        if locked_pages {
            code.push(b'L');
        }
        if stat.session == stat.pid {
            code.push(b's');
        }
        if stat.num_threads > 1 {
            code.push(b'l');
        }
        if stat.tpgid == stat.pgrp {
            code.push(b'+');
        }
        code
    }

    #[cfg(test)]
    pub fn from_ascii(s: &str) -> StatCode {
        let mut code = StatCode { buf: [0; 8], len: 0 };
        s.bytes().for_each(|b| code.push(b));
        code
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(usize::from(self.len)) {
            *slot = b;
            self.len += 1;
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever pushed.
        let bytes = self.buf.get(..usize::from(self.len)).unwrap_or_default();
        std::str::from_utf8(bytes).unwrap_or("?")
    }
}

impl fmt::Debug for StatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for StatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SELF_CAT: &[u8] = b"6263 (cat) R 6261 6261 3805 34816 6261 4194304 97 0 0 0 7 3 0 0 20 0 1 0 75297 3133440 380 18446744073709551615 93862583685120 93862583705001 140733585635968 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 93862583721008 93862583722624 93863274835968 140733585640160 140733585640180 140733585640180 140733585641451 0\n";

    #[test]
    fn parses_plain_line() {
        let s = parse_stat(SELF_CAT).unwrap();
        assert_eq!(s.pid, 6263);
        assert_eq!(s.comm.as_bytes(), b"cat");
        assert_eq!(s.state, b'R');
        assert_eq!((s.ppid, s.pgrp, s.session, s.tpgid), (6261, 6261, 3805, 6261));
        assert_eq!(s.cpu_ticks, 10);
        assert_eq!(s.faults, 97);
        assert_eq!(s.nice, 0);
        assert_eq!(s.num_threads, 1);
        assert_eq!(s.starttime, 75297);
        assert_eq!(s.vsize, 3133440);
        assert_eq!(s.rss_pages, 380);
        assert!(!s.is_kernel_thread());
        assert_eq!(StatCode::new(&s, false).as_str(), "R+");
    }

    #[test]
    fn comm_with_spaces_and_parentheses() {
        let line = b"42 (a) b (c) S 1 42 42 0 -1 4194560 0 0 0 0 1 2 0 0 20 -5 3 0 999 1000 5 18446744073709551615 0";
        let s = parse_stat(line).unwrap();
        assert_eq!(s.comm.as_bytes(), b"a) b (c");
        assert_eq!(s.state, b'S');
        assert_eq!(s.ppid, 1);
        assert_eq!(s.cpu_ticks, 3);
        assert_eq!(s.nice, -5);
        assert_eq!(s.tpgid, -1);
        assert_eq!(s.starttime, 999);
        // session leader, negative nice, three threads, not in the foreground
        assert_eq!(StatCode::new(&s, false).as_str(), "S<sl");
        assert_eq!(StatCode::new(&s, true).as_str(), "S<Lsl");
    }

    #[test]
    fn comm_with_newline_and_empty_comm() {
        let s = parse_stat(b"7 (x\ny) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0").unwrap();
        assert_eq!(s.comm.as_bytes(), b"x\ny");
        let s = parse_stat(b"8 () S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 19 1 0 5 0 0").unwrap();
        assert_eq!(s.comm.as_bytes(), b"");
        assert_eq!(StatCode::new(&s, false).as_str(), "SN");
    }

    #[test]
    fn zombie() {
        let line = b"5150 (sleep) Z 5149 5149 5149 0 -1 4227084 81 0 0 0 0 0 0 0 20 0 1 0 80000 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0";
        let s = parse_stat(line).unwrap();
        assert!(s.is_zombie());
        assert_eq!((s.vsize, s.rss_pages), (0, 0));
        assert_eq!(format_cmdline(b"", s.comm.as_bytes(), true), "[sleep] <defunct>");
        assert_eq!(StatCode::new(&s, false).as_str(), "Z");
    }

    #[test]
    fn kernel_thread() {
        let line = b"17 (kworker/0:1-events_freezable) I 2 0 0 0 -1 69238880 0 0 0 0 0 12 0 0 20 0 1 0 3 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
        let s = parse_stat(line).unwrap();
        assert!(s.is_kernel_thread());
        assert_eq!(s.ppid, 2);
        assert_eq!(s.comm.as_bytes(), b"kworker/0:1-events_freezable");
        assert_eq!(format_cmdline(b"", s.comm.as_bytes(), false), "[kworker/0:1-events_freezable]");
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_stat(b""), Err(ParseError::NoComm));
        assert_eq!(parse_stat(b"12 cat R 1"), Err(ParseError::NoComm));
        assert_eq!(parse_stat(b"12 (cat) R 1 2"), Err(ParseError::Field(6)));
        assert_eq!(parse_stat(b"x (cat) R 1"), Err(ParseError::Field(1)));
        assert_eq!(parse_stat(b"1 (a) R 1 1 1 0 1 0 0 0 0 0 x 0"), Err(ParseError::Field(14)));
        // Truncated before rss.
        assert_eq!(parse_stat(b"1 (a) R 1 1 1 0 1 0 0 0 0 0 1 0 0 0 20 0 1 0 5 0"), Err(ParseError::Field(24)));
    }

    #[test]
    fn status_and_meminfo() {
        let status = b"Name:\tcat\nVmPeak:\t    3776 kB\nVmSize:\t    3760 kB\nVmLck:\t       4 kB\nVmPin:\t       0 kB\nVmHWM:\t    2060 kB\nVmRSS:\t    2060 kB\n";
        assert_eq!(parse_status_mem(status), StatusMem { hwm: Some(2060 * 1024), locked: Some(4096) });
        assert_eq!(parse_status_mem(b"Name:\tz\nState:\tZ (zombie)\n"), StatusMem::default());
        assert_eq!(parse_meminfo_total(b"MemTotal:       24684084 kB\nMemFree: 1 kB\n"), Some(24684084 * 1024));
        assert_eq!(parse_meminfo_total(b"nothing"), None);
    }

    #[test]
    fn cmdline_like_ps() {
        assert_eq!(format_cmdline(b"sleep\x0010\x00", b"sleep", false), "sleep 10");
        assert_eq!(
            format_cmdline(b"python3\x00-c\x00import x\nx.y()\x00", b"python3", false),
            "python3 -c import x x.y()"
        );
        // setproctitle-style: one string padded with NULs
        assert_eq!(format_cmdline(b"worker: idle\x00\x00\x00", b"w", false), "worker: idle");
        assert_eq!(format_cmdline(b"\x00\x00", b"sh", false), "[sh]");
    }

    #[test]
    fn etime_like_ps() {
        assert_eq!(format_etime(0), "00:00");
        assert_eq!(format_etime(59), "00:59");
        assert_eq!(format_etime(61), "01:01");
        assert_eq!(format_etime(3599), "59:59");
        assert_eq!(format_etime(3600), "01:00:00");
        assert_eq!(format_etime(86399), "23:59:59");
        assert_eq!(format_etime(86400), "1-00:00:00");
        assert_eq!(format_etime(12 * 86400 + 3 * 3600 + 4 * 60 + 5), "12-03:04:05");
    }
}
