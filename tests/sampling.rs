//! Sampling the whole process tree with real workloads: every descendant is counted (plain, subshell, nohup,
//! setsid, double fork), memory and CPU are measured as they are, and short spikes are never missed.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::time::Duration;

use common::{TestDir, duct, output_with_timeout};
use serde_json::Value;

const T: Duration = Duration::from_secs(120);

fn run(dir: &TestDir, prefix: &str, args: &[&str]) -> (Value, Vec<Value>) {
    let out = output_with_timeout(duct(dir.path()).args(["--fail-time", "0", "-p", prefix]).args(args), T);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let info: Value = serde_json::from_str(&fs::read_to_string(dir.join(format!("{prefix}info.json"))).expect("info"))
        .expect("info.json");
    let usage = fs::read_to_string(dir.join(format!("{prefix}usage.jsonl"))).expect("usage");
    let lines = usage.lines().map(|l| serde_json::from_str(l).expect("usage line is JSON")).collect();
    (info, lines)
}

/// Distinct pids whose command line is `cmd`, over the whole run.
fn pids_running(reports: &[Value], cmd: &str) -> usize {
    let mut pids = std::collections::BTreeSet::new();
    for r in reports {
        for (pid, p) in r["processes"].as_object().expect("processes") {
            if p["cmd"].as_str() == Some(cmd) {
                pids.insert(pid.clone());
            }
        }
    }
    pids.len()
}

#[test]
fn every_descendant_is_counted() {
    let dir = TestDir::new();
    for n in [1, 2, 10] {
        for (how, script) in [
            ("plain", format!("for i in $(seq {n}); do sleep 1.71 & done; wait")),
            ("subshell", format!("(for i in $(seq {n}); do sleep 1.71 & done; wait)")),
            ("nohup", format!("for i in $(seq {n}); do nohup sleep 1.71 >/dev/null 2>&1 & done; wait")),
            ("setsid", format!("for i in $(seq {n}); do setsid sleep 1.71 & done; wait")),
            // Double fork: the sleeps are orphaned at once and re-parent to duct, the subreaper.
            ("double-fork", format!("(for i in $(seq {n}); do setsid sleep 1.71 & done); sleep 1.9")),
        ] {
            let prefix = format!("{how}-{n}/");
            let (info, reports) = run(&dir, &prefix, &["--s-i", "0.1", "--r-i", "0.5", "sh", "-c", &script]);
            assert_eq!(pids_running(&reports, "sleep 1.71"), n, "{how} with {n}: {reports:?}");
            let lines = reports.len() as u64;
            assert_eq!(info["execution_summary"]["num_reports"].as_u64(), Some(lines), "{how} {n}: num_reports");
            let samples: u64 = reports.iter().map(|r| r["num_samples"].as_u64().unwrap_or(0)).sum();
            assert_eq!(info["execution_summary"]["num_samples"].as_u64(), Some(samples), "{how} {n}: num_samples");
        }
    }
}

#[test]
fn usage_lines_have_con_duct_fields_and_types() {
    let dir = TestDir::new();
    let (_, reports) = run(&dir, "o/", &["--s-i", "0.1", "--r-i", "0.3", "sh", "-c", "sleep 1"]);
    assert!(reports.len() >= 3, "{}", reports.len());
    assert_eq!(reports[0]["num_samples"], 1, "the first report follows the first sample");
    for r in &reports {
        assert!(r["timestamp"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()), "{r}");
        assert!(r["num_samples"].is_u64());
        for (_, p) in r["processes"].as_object().expect("processes") {
            assert!(p["pcpu"].is_f64() && p["pmem"].is_f64(), "{p}");
            assert!(p["rss"].is_u64() && p["vsz"].is_u64(), "{p}");
            assert!(p["etime"].as_str().is_some_and(|e| e.contains(':')), "{p}");
            assert!(p["stat"].is_object() && p["cmd"].is_string() && p["timestamp"].is_string(), "{p}");
        }
        for k in ["pmem", "pcpu"] {
            assert!(r["totals"][k].is_f64(), "{r}");
        }
        for k in ["rss", "vsz"] {
            assert!(r["totals"][k].is_u64(), "{r}");
        }
        assert!(r["averages"]["num_samples"].is_u64(), "{r}");
    }
}

#[test]
fn memory_is_at_least_what_was_allocated() {
    let dir = TestDir::new();
    let py = "import time; x = bytearray(150_000_000); time.sleep(1.2)";
    let (info, _) = run(&dir, "o/", &["--s-i", "0.2", "--r-i", "1", "python3", "-c", py]);
    let peak = info["execution_summary"]["peak_rss"].as_u64().expect("peak_rss");
    assert!(peak >= 150_000_000, "{peak}");
    assert!(peak < 400_000_000, "{peak}");
}

/// A spinner on one core uses 80-100 % of it, averaged over at least a second; the tree total never exceeds
/// the machine (con-duct's lifetime ratios summed over a churn of workers can, its #399).
#[test]
fn cpu_is_what_the_interval_used() {
    let dir = TestDir::new();
    let spin = "import time\nend = time.time() + 2\nwhile time.time() < end: pass";
    let (info, reports) = run(&dir, "spin/", &["--s-i", "0.2", "--r-i", "1", "python3", "-c", spin]);
    let avg = info["execution_summary"]["average_pcpu"].as_f64().expect("average_pcpu");
    // The measure must agree with what the kernel says the tree used.
    let es = &info["execution_summary"];
    let cpu = es["cpu_user_seconds"].as_f64().unwrap_or(0.0) + es["cpu_system_seconds"].as_f64().unwrap_or(0.0);
    let wall = es["wall_clock_time"].as_f64().expect("wall");
    let kernel_pct = cpu / wall * 100.0;
    assert!((avg - kernel_pct).abs() < 25.0, "sampled {avg} vs kernel {kernel_pct}");
    if kernel_pct > 90.0 {
        assert!((80.0..=105.0).contains(&avg), "a full core gave {avg}");
    }
    // A churn of short workers on all cores: sampled totals stay within the machine.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) as f64;
    let churn = "for i in $(seq 40); do (i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done) & if [ $((i % 4)) -eq 0 ]; then wait; fi; done; wait";
    let (info, reports2) = run(&dir, "churn/", &["--s-i", "0.1", "--r-i", "0.5", "sh", "-c", churn]);
    let peak = info["execution_summary"]["peak_pcpu"].as_f64().expect("peak_pcpu");
    assert!(peak <= cores * 100.0 + 10.0, "peak total pcpu {peak} on {cores} cores");
    for r in reports.iter().chain(&reports2) {
        let t = r["totals"]["pcpu"].as_f64().unwrap_or(0.0);
        assert!(t <= cores * 100.0 + 10.0, "{t}");
    }
}

#[test]
fn a_command_faster_than_a_sample_gives_nulls_not_zeros() {
    let dir = TestDir::new();
    for i in 0..5 {
        let prefix = format!("q{i}/");
        let (info, reports) = run(&dir, &prefix, &["--s-i", "5", "true"]);
        let es = &info["execution_summary"];
        let samples = es["num_samples"].as_u64().expect("num_samples");
        assert_eq!(es["num_reports"].as_u64(), Some(reports.len() as u64));
        if samples == 0 {
            for k in [
                "peak_rss",
                "average_rss",
                "peak_vsz",
                "average_vsz",
                "peak_pmem",
                "average_pmem",
                "peak_pcpu",
                "average_pcpu",
            ] {
                assert!(es[k].is_null(), "{k} should be null: {es}");
            }
            assert!(reports.is_empty());
        }
    }
}

#[test]
fn current_session_never_counts_duct() {
    use std::os::unix::process::CommandExt;
    let dir = TestDir::new();
    // A session of its own, so that other tests' processes are not in it.
    let mut cmd = duct(dir.path());
    cmd.args(["--mode", "current-session", "--s-i", "0.1", "--r-i", "0.3", "-p", "o/{pid}_", "sleep", "0.8"]);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let out = output_with_timeout(&mut cmd, T);
    assert_eq!(out.status.code(), Some(0));
    let name = fs::read_dir(dir.join("o")).expect("o/").flatten().map(|e| e.file_name()).next().expect("a file");
    let duct_pid: String = name.to_string_lossy().chars().take_while(char::is_ascii_digit).collect();
    let usage = fs::read_dir(dir.join("o"))
        .expect("o/")
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with("usage.jsonl"))
        .expect("usage.jsonl");
    let reports: Vec<Value> = fs::read_to_string(usage.path())
        .expect("usage")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert!(!reports.is_empty());
    for r in &reports {
        assert!(r["processes"].get(&duct_pid).is_none(), "duct ({duct_pid}) counted itself: {r}");
    }
    assert_eq!(pids_running(&reports, "sleep 0.8"), 1);
}

fn peak_and_rusage(info: &Value) -> (f64, f64) {
    let es = &info["execution_summary"];
    (es["peak_rss"].as_f64().expect("peak_rss"), es["rusage_max_rss"].as_f64().expect("rusage_max_rss"))
}

/// Peak memory never misses a spike between samples: 400 MB held for 0.2 s, sampled every second.
#[test]
fn a_spike_between_samples_is_caught() {
    let dir = TestDir::new();
    let py = "import time; time.sleep(0.3); x = bytearray(400_000_000); time.sleep(0.2); del x; time.sleep(1.5)";
    let (info, _) = run(&dir, "spike/", &["--s-i", "1", "--r-i", "1", "python3", "-c", py]);
    let (peak, kernel) = peak_and_rusage(&info);
    assert!(kernel > 400e6, "{kernel}");
    assert!((peak - kernel).abs() / kernel < 0.02, "peak_rss {peak} vs kernel {kernel}");

    let py = "import time; x = bytearray(100_000_000); time.sleep(1.5)";
    let (info, _) = run(&dir, "steady/", &["--s-i", "0.5", "--r-i", "1", "python3", "-c", py]);
    let (peak, kernel) = peak_and_rusage(&info);
    assert!((peak - kernel).abs() / kernel < 0.02, "steady: peak_rss {peak} vs kernel {kernel}");
}

#[test]
fn spikes_of_descendants_are_caught() {
    let dir = TestDir::new();
    // Two processes peaking at different times: at least the larger peak.
    let a = "python3 -c 'import time; x=bytearray(200_000_000); time.sleep(0.2)'";
    let b = "python3 -c 'import time; time.sleep(0.6); x=bytearray(120_000_000); time.sleep(0.2)'";
    let (info, _) = run(&dir, "two/", &["--s-i", "1", "--r-i", "1", "sh", "-c", &format!("{a} & {b} & wait; sleep 1")]);
    let peak = info["execution_summary"]["peak_rss"].as_f64().expect("peak");
    assert!(peak >= 200e6, "{peak}");
    // A short-lived grandchild, reaped by its parent shell, never sampled: the kernel's accounting has it.
    let g = "python3 -c 'x=bytearray(300_000_000)'";
    let (info, _) =
        run(&dir, "grand/", &["--s-i", "2", "--r-i", "2", "sh", "-c", &format!("sleep 0.2; {g}; sleep 0.5")]);
    let peak = info["execution_summary"]["peak_rss"].as_f64().expect("peak");
    assert!(peak >= 300e6, "{peak}");
}
