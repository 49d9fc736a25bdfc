//! duct reads the cgroup it runs in (issue 15 item 3): a real cgroup the test makes (cgroup v2 where the
//! memory controller is there, else the v1 memory and cpuacct hierarchies, as on hybrid hosts), duct
//! moved into it before it starts, and the figures it records checked against the kernel's own.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A cgroup made for one test, in every hierarchy duct reads; removed in drop (its processes moved out
/// first), also when the test fails.
struct TestCgroup {
    name: String,
    v2: bool,
    /// One directory per hierarchy: memory first, then cpuacct on v1.
    dirs: Vec<PathBuf>,
}

impl TestCgroup {
    /// None (after `require` printed SKIP) without root or a memory controller; under CI=true that fails.
    fn create() -> Option<TestCgroup> {
        if !common::require("root (to make a cgroup)", nix::unistd::geteuid().is_root()) {
            return None;
        }
        let name = format!("duct-test-{}-{}", std::process::id(), unique());
        let root = Path::new("/sys/fs/cgroup");
        let v2_controllers = std::fs::read_to_string(root.join("cgroup.controllers")).unwrap_or_default();
        let mut cg = TestCgroup { name: name.clone(), v2: false, dirs: Vec::new() };
        if v2_controllers.split_whitespace().any(|c| c == "memory") {
            // Children get the memory controller only if the parent hands it down.
            let _ = std::fs::write(root.join("cgroup.subtree_control"), "+memory");
            cg.v2 = true;
            cg.dirs.push(root.join(&name));
        } else {
            if !common::require("a cgroup memory controller", root.join("memory/memory.usage_in_bytes").exists()) {
                return None;
            }
            cg.dirs.push(root.join("memory").join(&name));
            if let Some(cpu) =
                ["cpuacct", "cpu,cpuacct"].iter().map(|h| root.join(h)).find(|h| h.join("cpuacct.usage").exists())
            {
                cg.dirs.push(cpu.join(&name));
            }
        }
        for d in &cg.dirs {
            std::fs::create_dir(d).unwrap_or_else(|e| panic!("make {}: {e}", d.display()));
        }
        Some(cg)
    }

    fn memory_file(&self, v1: &str, v2: &str) -> PathBuf {
        self.dirs[0].join(if self.v2 { v2 } else { v1 })
    }

    /// duct with `args`, started by a shell that first moves itself into the cgroup.
    fn duct(&self, dir: &Path, args: &[&str]) -> Command {
        let procs: Vec<String> = self.dirs.iter().map(|d| d.join("cgroup.procs").display().to_string()).collect();
        into(&procs, dir, args)
    }
}

/// duct with `args` in `dir`, started by a shell that first writes its pid to each of `procs`.
fn into(procs: &[String], dir: &Path, args: &[&str]) -> Command {
    let moves: String = procs.iter().map(|p| format!("echo $$ > '{p}' && ")).collect();
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!("{moves}exec \"$@\"")).arg("sh").arg(common::duct_bin()).args(args);
    cmd.current_dir(dir).stdin(std::process::Stdio::null());
    common::isolate_env(&mut cmd, dir);
    cmd
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

impl Drop for TestCgroup {
    fn drop(&mut self) {
        for d in &self.dirs {
            let parent = d.parent().map(|p| p.join("cgroup.procs"));
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                // A process still inside (a test that failed half-way) keeps the directory busy.
                for pid in std::fs::read_to_string(d.join("cgroup.procs")).unwrap_or_default().lines() {
                    if let Some(parent) = &parent {
                        let _ = std::fs::write(parent, pid);
                    }
                }
                if std::fs::remove_dir(d).is_ok() || !d.exists() || Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn read_u64(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.trim().parse().unwrap_or_else(|e| panic!("{}: {text:?} ({e})", path.display()))
}

fn info(dir: &Path) -> Value {
    let body = std::fs::read_to_string(dir.join("logs/info.json")).expect("info.json");
    serde_json::from_str(&body).expect("info.json is JSON")
}

/// The command builds a 20 MB string and spins for a while: its cgroup's peak is at least that, the CPU
/// it burnt is charged to the cgroup, and the limit set on the cgroup is recorded.
#[test]
fn duct_records_the_memory_and_cpu_of_its_cgroup() {
    let Some(cg) = TestCgroup::create() else { return };
    let dir = common::TestDir::new();
    let limit: u64 = 1 << 30;
    std::fs::write(cg.memory_file("memory.limit_in_bytes", "memory.max"), limit.to_string()).expect("set the limit");
    let out = common::output_with_timeout(
        &mut cg.duct(
            dir.path(),
            &[
                "-p",
                "logs/",
                "--s-i",
                "0.05",
                "--r-i",
                "0.1",
                "sh",
                "-c",
                "x=$(head -c 20000000 /dev/zero | tr '\\0' a); i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done",
            ],
        ),
        Duration::from_secs(120),
    );
    assert!(out.status.success(), "{}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let kernel_peak = read_u64(&cg.memory_file("memory.max_usage_in_bytes", "memory.peak"));
    let doc = info(dir.path());
    let es = &doc["execution_summary"];
    assert_eq!(es["cgroup_path"], format!("/{}", cg.name), "{es}");
    assert_eq!(es["cgroup_version"], if cg.v2 { 2 } else { 1 });
    let peak = es["cgroup_memory_peak"].as_u64().unwrap_or_else(|| panic!("no cgroup_memory_peak: {es}"));
    assert!(peak >= 20_000_000 && peak <= kernel_peak, "peak {peak}, kernel's {kernel_peak}: {es}");
    let sampled = es["cgroup_memory_current_peak"].as_u64().unwrap_or_else(|| panic!("{es}"));
    assert!(sampled > 0 && sampled <= peak, "{es}");
    assert_eq!(es["cgroup_memory_limit"], limit);
    if cg.v2 || cg.dirs.len() > 1 {
        let cpu = es["cgroup_cpu_seconds"].as_f64().unwrap_or_else(|| panic!("no cgroup_cpu_seconds: {es}"));
        let user = es["cgroup_cpu_user_seconds"].as_f64().unwrap_or_default();
        let system = es["cgroup_cpu_system_seconds"].as_f64().unwrap_or_default();
        assert!(cpu > 0.0 && user + system <= cpu * 1.05 + 0.05, "{es}");
    }
    let usage = std::fs::read_to_string(dir.join("logs/usage.jsonl")).expect("usage.jsonl");
    for line in usage.lines() {
        let report: Value = serde_json::from_str(line).expect("a JSON report");
        assert!(report["cgroup_memory_current"].as_u64().is_some_and(|m| m > 0), "{line}");
    }
}

/// In a cgroup duct cannot read as a job's (v1's root is the whole machine; v2's root has no
/// memory.current) duct says so once at DEBUG, records nulls and runs the command as usual.
#[test]
fn without_a_readable_cgroup_duct_says_so_once_and_carries_on() {
    let Some(cg) = TestCgroup::create() else { return };
    // The test cgroup's parents: each hierarchy's root.
    let procs: Vec<String> =
        cg.dirs.iter().filter_map(|d| d.parent()).map(|h| h.join("cgroup.procs").display().to_string()).collect();
    let dir = common::TestDir::new();
    let out = common::output_with_timeout(
        &mut into(
            &procs,
            dir.path(),
            &["-p", "logs/", "-l", "DEBUG", "--s-i", "0.05", "sh", "-c", "sleep 0.3; echo done"],
        ),
        Duration::from_secs(120),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}\n{stderr}", out.status);
    assert_eq!(stderr.matches("no cgroup figures").count(), 1, "{stderr}");
    let es = &info(dir.path())["execution_summary"];
    assert_eq!(es["cgroup_path"], Value::Null, "{es}");
    assert_eq!(es["cgroup_memory_peak"], Value::Null, "{es}");
    assert!(es["num_samples"].as_u64().is_some_and(|n| n > 0), "{es}");
    assert_eq!(std::fs::read_to_string(dir.join("logs/stdout")).unwrap(), "done\n");
}
