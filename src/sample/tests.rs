use super::*;
use std::collections::BTreeMap;
use std::process::{Child, Command};
use std::sync::Mutex;
use std::time::{Duration, Instant};

// ---- a scripted /proc ----

#[derive(Clone)]
struct FakeProcess {
    ppid: i32,
    session: i32,
    ticks: u64,
    starttime: u64,
    rss_pages: u64,
    hwm: Option<u64>,
    cmd: &'static str,
}

fn fake(ppid: i32, session: i32, starttime: u64, cmd: &'static str) -> FakeProcess {
    FakeProcess { ppid, session, ticks: 0, starttime, rss_pages: 10, hwm: None, cmd }
}

#[derive(Clone, Default)]
struct FakeProc(Arc<Mutex<BTreeMap<i32, FakeProcess>>>);

impl FakeProc {
    fn set(&self, pid: i32, p: FakeProcess) {
        self.0.lock().unwrap().insert(pid, p);
    }
    fn remove(&self, pid: i32) {
        self.0.lock().unwrap().remove(&pid);
    }
    fn edit(&self, pid: i32, f: impl FnOnce(&mut FakeProcess)) {
        f(self.0.lock().unwrap().get_mut(&pid).unwrap());
    }
}

impl ProcSource for FakeProc {
    fn list(&mut self, pids: &mut Vec<i32>) -> io::Result<()> {
        pids.clear();
        pids.extend(self.0.lock().unwrap().keys());
        Ok(())
    }
    fn stat(&mut self, pid: i32) -> io::Result<Stat> {
        let map = self.0.lock().unwrap();
        let p = map.get(&pid).ok_or(io::ErrorKind::NotFound)?;
        let comm = p.cmd.split(' ').next().unwrap();
        let line = format!(
            "{pid} ({comm}) S {} {pid} {} 0 -1 0 0 0 0 0 {} 0 0 0 20 0 1 0 {} 4096000 {} 0",
            p.ppid, p.session, p.ticks, p.starttime, p.rss_pages
        );
        Ok(proc_stat::parse_stat(line.as_bytes()).unwrap())
    }
    fn stat_tracked(&mut self, pid: i32) -> io::Result<Stat> {
        self.stat(pid)
    }
    fn forget(&mut self, _pid: i32) {}
    fn status_mem(&mut self, pid: i32) -> io::Result<StatusMem> {
        let map = self.0.lock().unwrap();
        let p = map.get(&pid).ok_or(io::ErrorKind::NotFound)?;
        Ok(StatusMem { hwm: p.hwm, locked: None })
    }
    fn cmd(&mut self, stat: &Stat) -> String {
        let map = self.0.lock().unwrap();
        map.get(&stat.pid).map(|p| p.cmd.to_string()).unwrap_or_default()
    }
}

const DUCT: i32 = 10;
const ROOT: i32 = 20;

fn fake_sampler(mode: Mode) -> (Sampler, FakeProc) {
    let procs = FakeProc::default();
    procs.set(1, fake(0, 1, 1, "init"));
    procs.set(DUCT, fake(1, DUCT, 50, "duct"));
    procs.set(ROOT, fake(DUCT, ROOT, 100, "sh -c work"));
    let me = Identity { self_pid: DUCT, self_sid: Some(DUCT), reaper: Some(DUCT) };
    let sys = SysConsts { clk_tck: 100.0, page_size: 4096, mem_total: Some(4096 * 1000), cpus: 4.0 };
    let sampler = Sampler::with_source(ROOT, mode, me, sys, 150, Box::new(procs.clone()));
    (sampler, procs)
}

fn pids(s: &Sample) -> Vec<i32> {
    let mut v: Vec<i32> = s.processes.iter().map(|p| p.pid).collect();
    v.sort();
    v
}

fn get(s: &Sample, pid: i32) -> &ProcessSample {
    s.processes.iter().find(|p| p.pid == pid).unwrap()
}

#[test]
fn tree_follows_parents_orphans_and_setsid() {
    let (mut sampler, procs) = fake_sampler(Mode::NewSession);
    procs.set(21, fake(ROOT, ROOT, 110, "sleep 1"));
    procs.set(30, fake(1, 30, 20, "unrelated"));
    procs.set(31, fake(30, 30, 21, "unrelated child"));
    // Listed before its parent 25 (as after pid wrap-around).
    procs.set(24, fake(25, ROOT, 130, "grandchild"));
    procs.set(25, fake(21, ROOT, 120, "child"));
    procs.edit(ROOT, |p| p.ticks = 50);

    let s = sampler.sample_at(2.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21, 24, 25]);
    let root = get(&s, ROOT);
    // First sighting: the whole life, 0.5 s of CPU in 1 s.
    assert_eq!((root.pcpu, root.pcpu_lifetime), (50.0, 50.0));
    assert_eq!(root.etime_secs, 1);
    assert_eq!((root.rss, root.vsz), (40960, 4096000));
    assert_eq!(root.pmem, 1.0);
    assert_eq!(root.stat.as_str(), "Ss");
    assert_eq!(&*root.cmd, "sh -c work");
    assert_eq!(s.totals.rss, 4 * 40960);

    // A descendant calls setsid, another is orphaned by a double fork and re-parented to duct.
    procs.set(26, fake(25, 26, 140, "setsid daemon"));
    procs.set(27, fake(DUCT, ROOT, 145, "orphan"));
    procs.edit(ROOT, |p| p.ticks = 150);
    let s = sampler.sample_at(3.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21, 24, 25, 26, 27]);
    // Since the previous sample: 1 s of CPU in 1 s.
    assert_eq!(get(&s, ROOT).pcpu, 100.0);
    assert_eq!(get(&s, ROOT).pcpu_lifetime, 75.0);
    assert_eq!(get(&s, 26).stat.as_str(), "Ss");

    // Parent 25 exits; its children were re-parented to duct, and stay.
    procs.remove(25);
    procs.edit(24, |p| p.ppid = DUCT);
    procs.edit(26, |p| p.ppid = DUCT);
    let s = sampler.sample_at(4.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21, 24, 26, 27]);

    // Everything ends: no sample.
    for pid in [ROOT, 21, 24, 26, 27] {
        procs.remove(pid);
    }
    assert!(sampler.sample_at(5.0, Local::now()).is_none());
}

#[test]
fn reused_pids_are_different_processes() {
    let (mut sampler, procs) = fake_sampler(Mode::NewSession);
    procs.set(21, fake(ROOT, ROOT, 110, "child"));
    procs.edit(21, |p| p.ticks = 90);
    procs.set(30, fake(1, 30, 20, "unrelated"));
    let s = sampler.sample_at(2.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21]);

    // 21 exited and an unrelated process got its pid: not ours, and not measured against 21's CPU time.
    procs.set(21, fake(1, 1, 190, "stranger"));
    // 30 exits.
    procs.remove(30);
    let s = sampler.sample_at(3.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT]);

    // 30 comes back as a child of the root: ours. The stranger on 21 exits.
    procs.set(30, fake(ROOT, ROOT, 250, "new child"));
    procs.edit(30, |p| p.ticks = 20);
    procs.remove(21);
    let s = sampler.sample_at(3.5, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 30]);
    // First sighting: 0.2 s of CPU over a 1 s life.
    assert_eq!(get(&s, 30).pcpu, 20.0);

    // 21 is reused again, now by a child of the root.
    procs.set(21, fake(ROOT, ROOT, 360, "another child"));
    let s = sampler.sample_at(3.75, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21, 30]);
    assert_eq!(&*get(&s, 21).cmd, "another child");

    // The root exits and a stranger gets its pid: not the root.
    procs.remove(ROOT);
    let _ = sampler.sample_at(4.0, Local::now());
    procs.set(ROOT, fake(1, 1, 390, "not the root"));
    let s = sampler.sample_at(4.5, Local::now()).unwrap();
    assert_eq!(pids(&s), [21, 30]);
}

#[test]
fn child_of_vanished_parent_is_judged_again() {
    let (mut sampler, procs) = fake_sampler(Mode::NewSession);
    // Its parent 39 already exited; it is being re-parented.
    procs.set(40, fake(39, ROOT, 120, "orphan"));
    let s = sampler.sample_at(2.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT]);
    procs.edit(40, |p| p.ppid = DUCT);
    let s = sampler.sample_at(3.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 40]);
}

#[test]
fn current_session_excludes_duct_and_leavers() {
    let (mut sampler, procs) = fake_sampler(Mode::CurrentSession);
    procs.edit(ROOT, |p| p.session = DUCT);
    procs.set(21, fake(ROOT, DUCT, 110, "child"));
    procs.set(22, fake(1, DUCT, 30, "shell"));
    procs.set(30, fake(ROOT, 30, 120, "setsid before first sample"));
    let s = sampler.sample_at(2.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 21, 22]);
    procs.edit(21, |p| p.session = 21);
    let s = sampler.sample_at(3.0, Local::now()).unwrap();
    assert_eq!(pids(&s), [ROOT, 22]);
}

#[test]
fn hwm_is_kept_after_the_process_stops_reporting_it() {
    let (mut sampler, procs) = fake_sampler(Mode::NewSession);
    procs.edit(ROOT, |p| p.hwm = Some(1 << 30));
    let s = sampler.sample_at(2.0, Local::now()).unwrap();
    assert_eq!(get(&s, ROOT).peak_rss_hwm, Some(1 << 30));
    procs.edit(ROOT, |p| p.hwm = None);
    let s = sampler.sample_at(3.0, Local::now()).unwrap();
    assert_eq!(get(&s, ROOT).peak_rss_hwm, Some(1 << 30));
}

// ---- the real /proc ----

/// A sampler on the real /proc that ignores the "parent is the test process" rule: the test harness runs
/// other tests' children in parallel.
fn real_sampler(root: &Child) -> Sampler {
    let me = Identity {
        self_pid: std::process::id() as i32,
        self_sid: nix::unistd::getsid(None).ok().map(i32::from),
        reaper: None,
    };
    Sampler::with_source(
        root.id() as i32,
        Mode::NewSession,
        me,
        SysConsts::read(),
        u64::MAX,
        Box::new(tree::RealProc::default()),
    )
}

struct Reap(Vec<Child>);
impl Drop for Reap {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn poll_until(mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn real_spinner_uses_one_core() {
    let child = Command::new("sh").args(["-c", "while :; do :; done"]).spawn().unwrap();
    let pid = child.id() as i32;
    let _reap = Reap(vec![child]);
    let mut sampler = real_sampler(&_reap.0[0]);
    let cpu_secs = || tree::ProcFiles::default().stat(pid).unwrap().cpu_ticks as f64 / 100.0;
    let first = sampler.sample().unwrap();
    let (t0, c0) = (Instant::now(), cpu_secs());
    assert_eq!(pids(&first), [pid]);
    std::thread::sleep(Duration::from_millis(1200));
    let s = sampler.sample().unwrap();
    let used = (cpu_secs() - c0) / t0.elapsed().as_secs_f64() * 100.0;
    let p = get(&s, pid);
    // Other builds on a small host can take the spinner's core; what it did get must be what we report.
    assert!((p.pcpu - used).abs() <= 10.0, "{p:?} vs {used}");
    if used >= 85.0 {
        assert!((80.0..=100.0).contains(&p.pcpu), "{p:?}");
    }
    assert!(p.pcpu_lifetime > 0.0 && p.pcpu <= 100.0, "{p:?}");
    assert!(p.stat.as_str().starts_with('R'), "{p:?}");
    assert_eq!(&*p.cmd, "sh -c while :; do :; done");
    assert_eq!(format_etime(p.etime_secs), "00:01");
}

#[test]
fn real_allocation_shows_in_rss() {
    let child =
        Command::new("python3").args(["-c", "x=bytearray(100_000_000)\nimport time; time.sleep(5)"]).spawn().unwrap();
    let pid = child.id() as i32;
    let _reap = Reap(vec![child]);
    let mut sampler = real_sampler(&_reap.0[0]);
    let mut last = None;
    let found = poll_until(|| {
        last = sampler.sample();
        last.as_ref().is_some_and(|s| s.processes.iter().any(|p| p.rss >= 100_000_000))
    });
    let s = last.unwrap();
    assert!(found, "{s:?}");
    let p = get(&s, pid);
    assert!(p.peak_rss_hwm.unwrap() >= 100_000_000, "{p:?}");
    assert!(p.pmem > 0.0, "{p:?}");
    assert!(p.vsz >= p.rss, "{p:?}");
    // The newline in the script is shown as a space, as ps does.
    assert!(p.cmd.contains("bytearray(100_000_000) import time"), "{p:?}");
    assert!(s.totals.rss >= 100_000_000);
}

#[test]
fn real_tree_keeps_double_forked_and_setsid_descendants() {
    // Orphans re-parent to the test process, as they will to duct.
    nix::sys::prctl::set_child_subreaper(true).unwrap();
    let script = "sleep 1001 & (sleep 1002 &); setsid sleep 1003 & exec sleep 1004";
    // A session of its own, as duct's new-session mode gives the command.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            nix::unistd::setsid().map(|_| ()).map_err(std::io::Error::from)
        });
    }
    let child = cmd.spawn().unwrap();
    let root = child.id() as i32;
    let mut reap = Reap(vec![child]);
    let mut sampler = Sampler::new(root, Mode::NewSession);
    let wanted = ["sleep 1001", "sleep 1002", "sleep 1003", "sleep 1004"];
    let mut seen = BTreeMap::new();
    let found = poll_until(|| {
        if let Some(s) = sampler.sample() {
            for p in &s.processes {
                if wanted.contains(&&*p.cmd) {
                    seen.insert(p.cmd.to_string(), p.pid);
                }
            }
        }
        seen.len() == wanted.len()
    });
    assert!(found, "{seen:?}");
    // The root exec'd: its command was re-read.
    assert_eq!(seen.get("sleep 1004"), Some(&root));
    assert!(!seen.values().any(|&p| p == std::process::id() as i32));

    for (_, &pid) in seen.iter().filter(|&(_, &pid)| pid != root) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::SIGKILL);
    }
    let _ = reap.0[0].kill();
    let _ = reap.0[0].wait();
    reap.0.clear();
    for (_, &pid) in seen.iter().filter(|&(_, &pid)| pid != root) {
        let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None);
    }
}

#[test]
fn real_current_session_has_children_but_not_self() {
    let child = Command::new("sleep").arg("1005").spawn().unwrap();
    let pid = child.id() as i32;
    let _reap = Reap(vec![child]);
    let mut sampler = Sampler::new(pid, Mode::CurrentSession);
    let s = sampler.sample().unwrap();
    assert!(s.processes.iter().any(|p| p.pid == pid));
    assert!(!s.processes.iter().any(|p| p.pid == std::process::id() as i32));
}

#[test]
fn sampler_and_aggregator_can_move_to_a_thread() {
    fn send<T: Send>() {}
    send::<Sampler>();
    send::<crate::report::Aggregator>();
}
