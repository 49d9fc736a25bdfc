//! Samples the resource usage of the monitored command's whole process tree from /proc.
//!
//! ```text
//! Sampler::new(root_pid: i32, mode: config::Mode) -> Sampler   // call from duct itself: its pid is the reaper
//! Sampler::sample(&mut self) -> Option<Sample>                // None when no tracked process is alive
//! Sample { timestamp: DateTime<Local>, processes: Vec<ProcessSample>, totals: Totals }
//! ProcessSample { pid, pcpu, pcpu_lifetime, pmem, rss, vsz, etime_secs, stat: StatCode, cmd: Arc<str>,
//!                 peak_rss_hwm: Option<u64> }
//! format_etime(secs) -> String                                // ps style `[[DD-]HH:]MM:SS`
//! Totals { rss, vsz, pmem, pcpu }                             // sums over `processes`
//! ```
//!
//! Which processes are tracked:
//! - `NewSession`: the root, and every process whose parent is tracked or is duct itself. duct is meant to be a
//!   child subreaper, so a descendant orphaned by a double fork is re-parented to duct and stays tracked, and one
//!   that calls `setsid` stays tracked too because membership follows parents, not sessions. duct itself is
//!   never tracked, nor are duct's other children (Kerberos hooks, nvidia-smi): they share duct's session, which
//!   no descendant of the command can join.
//! - `CurrentSession`: every process in duct's session except duct, as con-duct does with `ps -s`.
//!
//! A process is identified by (pid, starttime), so a reused pid starts a new process rather than continuing
//! an old one.
//!
//! Cost: each tick lists /proc (one `getdents64` pass on a kept-open fd) and re-reads `stat` of the tracked
//! processes through kept-open fds. A pid not seen before is read once to learn its parent or session; if it
//! is not ours it is remembered and skipped until it leaves the listing. `status` (for `VmHWM`, the resident
//! high-water mark, which catches spikes between samples) is read on a first sighting, whenever the process's
//! page-fault count moved, and every 5 s otherwise. `cmdline` is read on a first sighting and again only
//! after `comm` changes (an exec).
//!
//! With a readable cgroup (`cgroup.rs`), each sample also carries the cgroup's `memory.current`, and the
//! sampler gives the run's `cgroup_*` summary fields at the end.
//!
//! Known gap: a non-member pid that exits and is reused by a new descendant within one tick is not re-read,
//! so that descendant is missed. The kernel hands out pids cyclically, so this needs the whole pid space
//! to wrap within one interval.
//!
//! Units and meanings:
//! - `pcpu`: CPU used since this process's previous sample, as a percentage of one core. On a first sighting
//!   the window is the process's whole life (equal to `pcpu_lifetime`). Capped at 100 × min(threads, CPUs)
//!   because clock-tick rounding can otherwise report 110 % for a single thread.
//! - `pcpu_lifetime`: con-duct's (ps's) value, cputime / elapsed × 100.
//! - `pmem`: rss / MemTotal × 100. `pcpu`, `pcpu_lifetime` and `pmem` are rounded to one decimal, as ps
//!   prints them.
//! - `rss`, `vsz`, `peak_rss_hwm` (the kernel's `VmHWM`, the process's resident high-water mark): bytes.

pub mod cgroup;
pub(crate) mod proc_stat;
mod tree;

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use chrono::{DateTime, Local};

use crate::config::Mode;

use proc_stat::{Comm, Stat, StatusMem};
pub use proc_stat::{StatCode, format_etime};

/// One process in one sample.
#[derive(Debug, Clone)]
pub struct ProcessSample {
    pub pid: i32,
    pub pcpu: f64,
    pub pcpu_lifetime: f64,
    pub pmem: f64,
    pub rss: u64,
    pub vsz: u64,
    pub etime_secs: u64,
    pub stat: StatCode,
    /// Shared with the sampler, so a sample does not copy every command line on every tick.
    pub cmd: Arc<str>,
    /// Highest `VmHWM` read so far for this process; `None` if never readable (zombie, permission).
    pub peak_rss_hwm: Option<u64>,
}

/// Sums over the processes of one sample.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    pub rss: u64,
    pub vsz: u64,
    pub pmem: f64,
    pub pcpu: f64,
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub timestamp: DateTime<Local>,
    pub processes: Vec<ProcessSample>,
    pub totals: Totals,
    /// The `memory.current` of duct's cgroup at this sample, when it has a readable one.
    pub cgroup_memory: Option<u64>,
}

impl Sample {
    /// Builds a sample and its totals; also how tests make hand-written samples.
    pub fn new(timestamp: DateTime<Local>, processes: Vec<ProcessSample>) -> Sample {
        let mut totals = Totals::default();
        for p in &processes {
            totals.rss = totals.rss.saturating_add(p.rss);
            totals.vsz = totals.vsz.saturating_add(p.vsz);
            totals.pmem += p.pmem;
            totals.pcpu += p.pcpu;
        }
        Sample { timestamp, processes, totals, cgroup_memory: None }
    }
}

/// What the sampler remembers about a tracked process between ticks.
struct Member {
    starttime: u64,
    last_ticks: u64,
    last_time: f64,
    comm: Comm,
    cmd: Arc<str>,
    hwm: Option<u64>,
    /// Has pages locked in memory (ps's `L`), as of the last `status` read.
    locked: bool,
    /// The fault count at the last `status` read.
    status_faults: Option<u64>,
    status_at: f64,
    seen: u64,
}

/// Re-read `status` this often even without page faults, for the ways memory gets resident without the
/// process faulting (another process populating it, khugepaged).
const STATUS_REFRESH_SECS: f64 = 5.0;

/// A process that is not ours, kept so its `stat` is not re-read every tick.
struct Other {
    seen: u64,
}

/// Where the sampler gets process data: the real /proc, or a scripted one in tests (pid reuse cannot be
/// provoked on demand).
pub(crate) trait ProcSource: Send {
    fn list(&mut self, pids: &mut Vec<i32>) -> io::Result<()>;
    /// A process seen for the first time.
    fn stat(&mut self, pid: i32) -> io::Result<Stat>;
    /// A tracked process, read every tick.
    fn stat_tracked(&mut self, pid: i32) -> io::Result<Stat>;
    /// The process is no longer tracked.
    fn forget(&mut self, pid: i32);
    fn status_mem(&mut self, pid: i32) -> io::Result<StatusMem>;
    fn cmd(&mut self, stat: &Stat) -> String;
}

#[derive(Debug, Clone, Copy)]
struct SysConsts {
    clk_tck: f64,
    page_size: u64,
    mem_total: Option<u64>,
    cpus: f64,
}

impl SysConsts {
    fn read() -> SysConsts {
        use nix::unistd::{SysconfVar, sysconf};
        let conf = |var, default: i64| match sysconf(var) {
            Ok(Some(v)) if v > 0 => v,
            _ => default,
        };
        SysConsts {
            // 100 on every Linux ABI we run on; the fallback only matters if sysconf is broken.
            clk_tck: conf(SysconfVar::CLK_TCK, 100) as f64,
            page_size: conf(SysconfVar::PAGE_SIZE, 4096) as u64,
            mem_total: tree::mem_total(),
            cpus: conf(SysconfVar::_NPROCESSORS_ONLN, 1) as f64,
        }
    }
}

/// Who is asking: decides the "parent is duct" and "same session" rules.
#[derive(Debug, Clone, Copy)]
struct Identity {
    self_pid: i32,
    self_sid: Option<i32>,
    /// Where orphaned descendants are re-parented: duct, as a child subreaper.
    reaper: Option<i32>,
}

pub struct Sampler {
    root_pid: i32,
    /// duct's supervisor (the pid the shell waits on): duct too, never counted in current-session mode.
    supervisor: Option<i32>,
    /// Set on the first sighting of the root, so a later process reusing its pid is not taken for it.
    root_start: Option<u64>,
    /// The root was running when the sampler was created; nothing that started later can be it.
    root_start_limit: u64,
    mode: Mode,
    me: Identity,
    sys: SysConsts,
    source: Box<dyn ProcSource>,
    members: HashMap<i32, Member>,
    others: HashMap<i32, Other>,
    /// On the first tick, pids below the root's belong to older processes (see `sample_at`).
    older_pids_are_strangers: bool,
    tick: u64,
    pids: Vec<i32>,
    fresh: Vec<Stat>,
    warned: bool,
    cgroup: Option<cgroup::Cgroup>,
    cgroup_peak: Option<u64>,
}

impl Sampler {
    /// `root_pid` is the command duct started; duct's own pid is taken from `std::process::id()`.
    pub fn new(root_pid: i32, mode: Mode) -> Sampler {
        let self_pid = std::process::id() as i32;
        let me = Identity { self_pid, self_sid: nix::unistd::getsid(None).ok().map(i32::from), reaper: Some(self_pid) };
        let sys = SysConsts::read();
        let root_start_limit = tree::boottime_secs().map(|t| (t * sys.clk_tck) as u64 + 1).unwrap_or(u64::MAX);
        let mut sampler =
            Sampler::with_source(root_pid, mode, me, sys, root_start_limit, Box::new(tree::RealProc::default()));
        // More than a thousand pids below pid_max, the first tick comes too soon for the command's
        // descendants to have wrapped around to lower pids.
        let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max")
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok())
            .unwrap_or(32768);
        sampler.older_pids_are_strangers = mode == Mode::NewSession && root_pid < pid_max - 1000;
        sampler
    }

    /// The supervisor's pid, when duct runs as two processes.
    pub fn with_supervisor(mut self, supervisor: Option<i32>) -> Sampler {
        self.supervisor = supervisor;
        self
    }

    /// The cgroup whose memory is sampled with the tree (duct's own: the job's).
    pub fn with_cgroup(mut self, cgroup: Option<cgroup::Cgroup>) -> Sampler {
        self.cgroup = cgroup;
        self
    }

    /// execution_summary's `cgroup_*` fields at the end of the run (null without a readable cgroup).
    pub fn cgroup_summary(&self) -> crate::record::CgroupUsage {
        self.cgroup.as_ref().map(|cg| cg.summary(self.cgroup_peak)).unwrap_or_default()
    }

    fn with_source(
        root_pid: i32,
        mode: Mode,
        me: Identity,
        sys: SysConsts,
        root_start_limit: u64,
        source: Box<dyn ProcSource>,
    ) -> Sampler {
        Sampler {
            root_pid,
            supervisor: None,
            root_start: None,
            root_start_limit,
            mode,
            me,
            sys,
            source,
            members: HashMap::new(),
            others: HashMap::new(),
            older_pids_are_strangers: false,
            tick: 0,
            pids: Vec::new(),
            fresh: Vec::new(),
            warned: false,
            cgroup: None,
            cgroup_peak: None,
        }
    }

    /// Takes one sample of the tree; `None` when no tracked process is alive (or /proc is unusable).
    pub fn sample(&mut self) -> Option<Sample> {
        let now = tree::boottime_secs()?;
        let mut sample = self.sample_at(now, Local::now())?;
        sample.cgroup_memory = self.cgroup.as_ref().and_then(cgroup::Cgroup::memory_current);
        self.cgroup_peak = self.cgroup_peak.max(sample.cgroup_memory);
        Some(sample)
    }

    /// `now` is seconds since boot on the clock /proc's `starttime` counts on.
    fn sample_at(&mut self, now: f64, timestamp: DateTime<Local>) -> Option<Sample> {
        self.tick = self.tick.wrapping_add(1);
        let tick = self.tick;

        if let Err(e) = self.source.list(&mut self.pids) {
            if !self.warned {
                tracing::warn!("cannot list /proc, no resource samples: {e}");
                self.warned = true;
            }
            return None;
        }

        let mut processes = Vec::with_capacity(self.members.len() + 4);
        self.fresh.clear();
        for &pid in &self.pids {
            if let Some(m) = self.members.get_mut(&pid) {
                // Unreadable means it exited since the listing; it drops out below.
                let Ok(st) = self.source.stat_tracked(pid) else {
                    continue;
                };
                if st.starttime != m.starttime {
                    // The pid was reused: the tracked process is gone and this one must earn its place.
                    self.members.remove(&pid);
                    self.source.forget(pid);
                    self.fresh.push(st);
                } else if self.mode == Mode::CurrentSession && Some(st.session) != self.me.self_sid {
                    // It called setsid and so left the session that defines the tree.
                    self.members.remove(&pid);
                    self.source.forget(pid);
                    self.others.insert(pid, Other { seen: tick });
                } else {
                    m.seen = tick;
                    let p = observe(&self.sys, self.source.as_mut(), m, &st, now, false);
                    processes.push(p);
                }
            } else if let Some(o) = self.others.get_mut(&pid) {
                o.seen = tick;
            } else if tick == 1 && self.older_pids_are_strangers && pid < self.root_pid {
                // First tick: a lower pid was allocated before the command (pids count up, and wrapping is
                // ruled out near the start of the range), so it is no descendant; not reading every
                // process on the machine keeps a short command's run short.
                self.others.insert(pid, Other { seen: tick });
            } else if let Ok(st) = self.source.stat(pid) {
                self.fresh.push(st);
            }
        }
        self.admit_fresh(now, tick, &mut processes);
        let source = &mut self.source;
        self.members.retain(|&pid, m| {
            let alive = m.seen == tick;
            if !alive {
                source.forget(pid);
            }
            alive
        });
        self.others.retain(|_, o| o.seen == tick);

        if processes.is_empty() {
            return None;
        }
        Some(Sample::new(timestamp, processes))
    }

    /// Decides membership for the processes seen for the first time this tick.
    fn admit_fresh(&mut self, now: f64, tick: u64, out: &mut Vec<ProcessSample>) {
        let mut pending = std::mem::take(&mut self.fresh);
        // A child can be listed before its parent (pids wrap), so repeat until no more are admitted.
        loop {
            let before = pending.len();
            pending.retain(|st| {
                if !self.is_member(st) {
                    return true;
                }
                if st.pid == self.root_pid {
                    self.root_start = Some(st.starttime);
                }
                let mut m = Member {
                    starttime: st.starttime,
                    last_ticks: 0,
                    last_time: now,
                    comm: st.comm,
                    cmd: self.source.cmd(st).into(),
                    hwm: None,
                    locked: false,
                    status_faults: None,
                    status_at: now,
                    seen: tick,
                };
                out.push(observe(&self.sys, self.source.as_mut(), &mut m, st, now, true));
                self.members.insert(st.pid, m);
                false
            });
            if pending.len() == before || pending.is_empty() {
                break;
            }
        }
        for st in &pending {
            self.others.insert(st.pid, Other { seen: tick });
        }
        if self.mode == Mode::NewSession {
            // A parent we know nothing about has just exited: the child is being re-parented (possibly to
            // duct), so judge it again next tick instead of caching a verdict based on a dead parent.
            for st in &pending {
                let parent_known =
                    st.ppid == 0 || self.members.contains_key(&st.ppid) || self.others.contains_key(&st.ppid);
                if !parent_known {
                    self.others.remove(&st.pid);
                }
            }
        }
        pending.clear();
        self.fresh = pending;
    }

    fn is_member(&self, st: &Stat) -> bool {
        // Kernel threads are never part of a user's tree, whatever their ids say.
        if st.pid == self.me.self_pid || Some(st.pid) == self.supervisor || st.is_kernel_thread() {
            return false;
        }
        match self.mode {
            Mode::CurrentSession => Some(st.session) == self.me.self_sid,
            Mode::NewSession => {
                let is_root = st.pid == self.root_pid
                    && st.starttime <= self.root_start_limit
                    && self.root_start.is_none_or(|s| s == st.starttime);
                // An orphan re-parented to duct belongs to the command's tree; duct's own children (Kerberos
                // hooks, nvidia-smi) share duct's session, which no descendant of the command can join.
                let adopted = Some(st.ppid) == self.me.reaper && Some(st.session) != self.me.self_sid;
                is_root || adopted || self.members.contains_key(&st.ppid)
            }
        }
    }
}

/// Computes one process's sample and advances its CPU baseline.
fn observe(
    sys: &SysConsts,
    files: &mut dyn ProcSource,
    m: &mut Member,
    st: &Stat,
    now: f64,
    first: bool,
) -> ProcessSample {
    let age = (now - st.starttime as f64 / sys.clk_tck).max(0.0);
    let cpu_cap = sys.cpus.min(st.num_threads.max(1) as f64) * 100.0;
    let pct = |ticks: u64, secs: f64| {
        if secs > 0.0 { (ticks as f64 / sys.clk_tck / secs * 100.0).min(cpu_cap) } else { 0.0 }
    };
    let pcpu_lifetime = pct(st.cpu_ticks, age);
    let pcpu = if first { pcpu_lifetime } else { pct(st.cpu_ticks.saturating_sub(m.last_ticks), now - m.last_time) };
    m.last_ticks = st.cpu_ticks;
    m.last_time = now;

    if st.comm != m.comm {
        // comm changes on exec, and so may the command line.
        m.comm = st.comm;
        m.cmd = files.cmd(st).into();
    }
    // `status` costs three times `stat`, and VmHWM can only have risen if the process faulted pages in.
    let faulted = m.status_faults != Some(st.faults);
    if !st.is_zombie() && (faulted || now - m.status_at >= STATUS_REFRESH_SECS) {
        if let Ok(mem) = files.status_mem(st.pid) {
            m.hwm = m.hwm.max(mem.hwm);
            m.locked = mem.locked.is_some_and(|l| l > 0);
        }
        m.status_faults = Some(st.faults);
        m.status_at = now;
    }

    let rss = st.rss_pages.saturating_mul(sys.page_size);
    let pmem = match sys.mem_total {
        Some(total) if total > 0 => rss as f64 / total as f64 * 100.0,
        _ => 0.0,
    };
    ProcessSample {
        pid: st.pid,
        pcpu: round1(pcpu),
        pcpu_lifetime: round1(pcpu_lifetime),
        pmem: round1(pmem),
        rss,
        vsz: st.vsize,
        etime_secs: age as u64,
        stat: StatCode::new(st, m.locked),
        cmd: Arc::clone(&m.cmd),
        peak_rss_hwm: m.hwm,
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests;
