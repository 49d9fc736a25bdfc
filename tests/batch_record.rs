//! The batch job in info.json and the summary: the `slurm` section, the fit of the run to what the job
//! requested, and con-duct's `ls` reading the section without a clash of field names.
//!
//! These runs get the variables a SLURM task sees (names and formats as in ../shared/notes/slurm.md); the
//! same fields under a real srun/sbatch are the SLURM cluster tests' business.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(120);

fn run(dir: &Path, vars: &[(&str, &str)], script: &str) -> Output {
    let mut cmd = common::duct(dir);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("SLURM_") || k.starts_with("PBS_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(vars.iter().copied()).args(["-p", "logs/{slurm_job_id}_{slurm_procid}_", "--s-i", "0.1", "--r-i", "0.5"]);
    let out = common::output_with_timeout(cmd.args(["sh", "-c", script]), TIMEOUT);
    assert!(out.status.success(), "duct failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    out
}

fn info(path: &Path) -> Value {
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{} is not JSON ({e})", path.display()))
}

const TASK: &[(&str, &str)] = &[
    ("SLURM_JOB_ID", "4242"),
    ("SLURM_JOBID", "4242"),
    ("SLURM_ARRAY_JOB_ID", "4240"),
    ("SLURM_ARRAY_TASK_ID", "2"),
    ("SLURM_STEP_ID", "0"),
    ("SLURM_PROCID", "1"),
    ("SLURM_NTASKS", "2"),
    ("SLURM_JOB_NODELIST", "node01"),
    ("SLURM_JOB_PARTITION", "debug"),
    ("SLURM_CLUSTER_NAME", "testcluster"),
    ("SLURM_SUBMIT_DIR", "/home/someone"),
    ("SLURM_CPUS_PER_TASK", "2"),
    ("SLURM_CPUS_ON_NODE", "4"),
    ("SLURM_MEM_PER_NODE", "1024"),
];

#[test]
fn a_slurm_task_records_its_job_and_the_fit() {
    let dir = common::TestDir::new();
    // Busy for a while so that there are samples with CPU use to compare with the request.
    let out = run(dir.path(), TASK, "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
    let doc = info(&dir.join("logs/4242_1_info.json"));
    let slurm = &doc["slurm"];
    assert_eq!(slurm["slurm_job_id"], "4242");
    assert_eq!(slurm["slurm_array_job_id"], "4240");
    assert_eq!(slurm["slurm_array_task_id"], "2");
    assert_eq!(slurm["slurm_step_id"], "0");
    assert_eq!(slurm["slurm_procid"], "1");
    assert_eq!(slurm["slurm_ntasks"], 2);
    assert_eq!(slurm["slurm_nodelist"], "node01");
    assert_eq!(slurm["slurm_partition"], "debug");
    assert_eq!(slurm["slurm_cluster"], "testcluster");
    assert_eq!(slurm["slurm_submit_dir"], "/home/someone");
    assert_eq!(slurm["cpus_requested"], 2.0);
    assert_eq!(slurm["memory_requested"], 1024u64 << 20);

    let es = &doc["execution_summary"];
    let peak_rss = es["peak_rss"].as_f64().expect("peak_rss measured");
    let fit = es["memory_fit_peak"].as_f64().expect("memory_fit_peak is a number");
    assert!((fit - peak_rss / f64::from(1024u32 << 20)).abs() < 1e-9, "memory fit {fit} for peak {peak_rss}");
    let avg = es["cpu_fit_average"].as_f64().expect("cpu_fit_average is a number");
    let pcpu = es["average_pcpu"].as_f64().expect("average_pcpu measured");
    assert!((avg - pcpu / 200.0).abs() < 1e-9, "cpu fit {avg} for average pcpu {pcpu}");
    assert!(es["cpu_fit_peak"].as_f64().is_some());

    let stderr = String::from_utf8_lossy(&out.stderr);
    let line =
        stderr.lines().find(|l| l.starts_with("The job used ")).unwrap_or_else(|| panic!("no fit line:\n{stderr}"));
    assert!(
        line.contains(" of the 1.1 GB of memory and ") && line.contains(" of the 2 CPUs (average, peak "),
        "{line}"
    );
}

#[test]
fn a_partial_environment_gives_nulls_and_no_fit_line() {
    let dir = common::TestDir::new();
    let out = run(dir.path(), &[("SLURM_JOB_ID", "7")], "true");
    let doc = info(&dir.join("logs/7__info.json"));
    assert_eq!(doc["slurm"]["slurm_job_id"], "7");
    assert_eq!(doc["slurm"]["slurm_procid"], Value::Null);
    assert_eq!(doc["execution_summary"]["memory_fit_peak"], Value::Null);
    assert_eq!(doc["execution_summary"]["cpus_requested"], Value::Null);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("The job used"));
}

#[test]
fn outside_a_batch_job_there_is_no_slurm_section() {
    let dir = common::TestDir::new();
    run(dir.path(), &[], "true");
    let doc = info(&dir.join("logs/__info.json"));
    assert!(doc.get("slurm").is_none(), "{doc}");
    assert!(doc["execution_summary"].get("memory_fit_peak").is_none());
}

/// con-duct's `ls` flattens nested objects to their last key, so a key of the section named like one of
/// con-duct's fields would replace that field: its fields must read the same as without the section.
#[test]
fn con_duct_ls_reads_a_slurm_run_without_clashes() {
    let Some(exe) = common::con_duct() else {
        common::require("con-duct virtualenv (run contrib/setup-debian.sh)", false);
        return;
    };
    let dir = common::TestDir::new();
    run(dir.path(), TASK, "true");
    let path = dir.join("logs/4242_1_info.json");
    let doc = info(&path);
    // Every field con-duct 0.23.0's `ls -F` offers that a batch section could plausibly shadow.
    let fields = ["prefix", "command", "exit_code", "hostname", "cpu_total", "memory_total", "message", "info", "user"];
    let mut cmd = std::process::Command::new(exe);
    // -F takes every word after it, so the path goes first.
    cmd.current_dir(dir.path()).args(["ls", "-f", "json"]).arg(&path).arg("-F").args(fields);
    common::isolate_env(&mut cmd, dir.path());
    let out = common::output_with_timeout(&mut cmd, TIMEOUT);
    assert!(out.status.success(), "con-duct ls failed: {}", String::from_utf8_lossy(&out.stderr));
    let rows: Value = serde_json::from_slice(&out.stdout).expect("con-duct ls -f json prints JSON");
    let row = &rows[0];
    assert!(row["prefix"].as_str().is_some_and(|p| p.ends_with("/logs/4242_1_")), "{rows}");
    assert_eq!(row["command"], "sh -c true", "{rows}");
    assert_eq!(row["exit_code"], "0", "{rows}");
    assert_eq!(row["hostname"], doc["system"]["hostname"], "{rows}");
    assert_eq!(row["cpu_total"], doc["system"]["cpu_total"], "{rows}");
    assert_eq!(row["message"], "", "{rows}");
    assert_eq!(row["info"], "logs/4242_1_info.json", "{rows}");
    assert_eq!(row["user"], doc["system"]["user"], "{rows}");
}
