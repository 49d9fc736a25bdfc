//! duct inside real SLURM jobs: a one-node cluster started per test (tests/common/slurm.rs), `srun` tasks,
//! a batch job with a memory and CPU request, a job array and a job step inside a batch job.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::slurm::Cluster;
use common::wait_until;
use serde_json::Value;

fn duct() -> String {
    common::duct_bin().display().to_string()
}

fn info(path: &Path) -> Value {
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{} is not JSON ({e})", path.display()))
}

/// A client command run in `dir` with duct's own variables removed, as the other tests run duct.
fn client(cluster: &Cluster, tool: &str, dir: &Path) -> Command {
    let mut cmd = cluster.command(tool);
    cmd.current_dir(dir);
    common::isolate_env(&mut cmd, dir);
    cmd
}

fn files_under(dir: &Path, suffix: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn srun_tasks_each_get_their_own_files_and_job_record() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let out = cluster.run(client(&cluster, "srun", dir.path()).args([
        "-n2",
        &duct(),
        "-p",
        "logs/{slurm_job_id}/{slurm_procid}_",
        "sh",
        "-c",
        "echo task $SLURM_PROCID",
    ]));
    assert!(out.status.success(), "srun: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let infos = files_under(&dir.join("logs"), "_info.json");
    assert_eq!(infos.len(), 2, "{infos:?}");
    let docs: Vec<Value> = infos.iter().map(|p| info(p)).collect();
    let job = docs[0]["slurm"]["slurm_job_id"].as_str().expect("a job id").to_string();
    for (i, doc) in docs.iter().enumerate() {
        let s = &doc["slurm"];
        assert_eq!(s["slurm_job_id"], job.as_str());
        assert_eq!(s["slurm_procid"], i.to_string());
        assert_eq!(s["slurm_ntasks"], 2);
        assert_eq!(s["slurm_cluster"], "ducttest");
        assert_eq!(s["slurm_partition"], "debug");
        assert_eq!(s["slurm_nodelist"], "localhost");
        assert_eq!(doc["execution_summary"]["exit_code"], 0);
        let stdout = dir.join(format!("logs/{job}/{i}_stdout"));
        assert_eq!(std::fs::read_to_string(&stdout).unwrap(), format!("task {i}\n"));
    }
}

#[test]
fn a_batch_job_records_its_request_and_prints_the_fit() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let script = format!(
        "{} -p 'logs/{{slurm_job_id}}_' --s-i 0.1 --r-i 1 sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'",
        duct()
    );
    let mut sbatch = client(&cluster, "sbatch", dir.path());
    let out = cluster.run(sbatch.args(["--parsable", "--mem=100M", "-c", "2", "-o", "job-%j.out", "--wrap", &script]));
    assert!(out.status.success(), "sbatch: {}", String::from_utf8_lossy(&out.stderr));
    let job = String::from_utf8_lossy(&out.stdout).trim().split(';').next().unwrap_or_default().to_string();
    cluster.wait_idle();
    let doc = info(&dir.join(format!("logs/{job}_info.json")));
    assert_eq!(doc["slurm"]["slurm_job_id"], job.as_str());
    assert_eq!(doc["slurm"]["memory_requested"], 100u64 << 20);
    assert_eq!(doc["slurm"]["cpus_requested"], 2.0);
    let es = &doc["execution_summary"];
    assert_eq!(es["exit_code"], 0);
    assert!(es["memory_fit_peak"].as_f64().is_some_and(|f| f > 0.0 && f < 1.0), "{es}");
    assert!(es["cpu_fit_average"].as_f64().is_some(), "{es}");
    let batch_out = std::fs::read_to_string(dir.join(format!("job-{job}.out"))).expect("the job's output file");
    let line = batch_out.lines().find(|l| l.starts_with("The job used ")).unwrap_or_else(|| panic!("{batch_out}"));
    assert!(
        line.contains(" of the 104.9 MB of memory and ") && line.contains(" of the 2 CPUs (average, peak "),
        "{line}"
    );
}

#[test]
fn a_job_array_gives_one_set_of_files_per_task() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let script = format!(
        "{} -p 'logs/{{slurm_array_job_id}}_{{slurm_array_task_id}}_' sh -c 'echo $SLURM_ARRAY_TASK_ID'",
        duct()
    );
    let mut sbatch = client(&cluster, "sbatch", dir.path());
    let out = cluster.run(sbatch.args(["--parsable", "--array=0-2", "-o", "/dev/null", "--wrap", &script]));
    assert!(out.status.success(), "sbatch: {}", String::from_utf8_lossy(&out.stderr));
    let array = String::from_utf8_lossy(&out.stdout).trim().split(';').next().unwrap_or_default().to_string();
    cluster.wait_idle();
    for task in 0..3 {
        let doc = info(&dir.join(format!("logs/{array}_{task}_info.json")));
        assert_eq!(doc["slurm"]["slurm_array_job_id"], array.as_str());
        assert_eq!(doc["slurm"]["slurm_array_task_id"], task.to_string());
        let stdout = std::fs::read_to_string(dir.join(format!("logs/{array}_{task}_stdout"))).unwrap();
        assert_eq!(stdout, format!("{task}\n"));
    }
}

#[test]
fn a_job_step_inside_a_batch_job_is_recorded_as_a_step() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let script = format!("srun -n2 {} -p 'logs/{{slurm_job_id}}/{{slurm_step_id}}_{{slurm_procid}}_' true", duct());
    let mut sbatch = client(&cluster, "sbatch", dir.path());
    let out = cluster.run(sbatch.args(["--parsable", "-n2", "-o", "job.out", "--wrap", &script]));
    assert!(out.status.success(), "sbatch: {}", String::from_utf8_lossy(&out.stderr));
    let job = String::from_utf8_lossy(&out.stdout).trim().split(';').next().unwrap_or_default().to_string();
    cluster.wait_idle();
    let infos = files_under(&dir.join(format!("logs/{job}")), "_info.json");
    let names: Vec<String> = infos.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        ["0_0_info.json", "0_1_info.json"],
        "job output:\n{}",
        std::fs::read_to_string(dir.join("job.out")).unwrap_or_default()
    );
    for p in &infos {
        assert_eq!(info(p)["slurm"]["slurm_step_id"], "0");
    }
}

// ---------------------------------------------------------------------------------------------------------
// The examples in contrib/slurm/, submitted as a user would, with `duct` on PATH.

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/slurm").join(name).display().to_string()
}

/// sbatch run in `dir` with duct's directory first on PATH (sbatch passes the environment to the job).
fn sbatch_example(cluster: &Cluster, dir: &Path, args: &[&str]) -> String {
    let bin_dir = common::duct_bin().parent().expect("the binary's directory").to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("a PATH");
    let mut sbatch = client(cluster, "sbatch", dir);
    sbatch.env("PATH", path).env("DUCT_SAMPLE_INTERVAL", "0.1");
    cluster.sbatch_with(&mut sbatch, args)
}

#[test]
fn contrib_job_example_runs_and_reports_the_fit() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    // Long enough for samples, so that there is a peak to compare with the request.
    let job = sbatch_example(
        &cluster,
        dir.path(),
        &["--mem=200M", &example("duct-job.sbatch"), "sh", "-c", "echo hi; sleep 1"],
    );
    cluster.wait_idle();
    let infos = files_under(&dir.join(format!("logs/{job}")), "_info.json");
    assert_eq!(infos.len(), 1, "{infos:?}");
    let doc = info(&infos[0]);
    assert_eq!(doc["execution_summary"]["exit_code"], 0);
    assert_eq!(doc["slurm"]["cpus_requested"], 2.0);
    assert_eq!(doc["slurm"]["memory_requested"], 200u64 << 20);
    let out = std::fs::read_to_string(dir.join(format!("slurm-{job}.out"))).expect("slurm-<job>.out");
    assert!(out.lines().any(|l| l.starts_with("The job used ") && l.contains("of the 209.7 MB of memory")), "{out}");
    assert!(out.contains("Exit Code: 0"), "no summary in the job's output:\n{out}");
}

#[test]
fn contrib_array_example_gives_each_task_its_files() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let array = sbatch_example(
        &cluster,
        dir.path(),
        &[&example("duct-array.sbatch"), "sh", "-c", "echo item $SLURM_ARRAY_TASK_ID"],
    );
    cluster.wait_idle();
    for task in 0..3 {
        let stdout = std::fs::read_to_string(dir.join(format!("logs/{array}/{task}_stdout")))
            .unwrap_or_else(|e| panic!("task {task}: {e}"));
        assert_eq!(stdout, format!("item {task}\n"));
        let doc = info(&dir.join(format!("logs/{array}/{task}_info.json")));
        assert_eq!(doc["slurm"]["slurm_array_task_id"], task.to_string());
        assert_eq!(doc["execution_summary"]["exit_code"], 0);
    }
}

/// The long-job example with a ticket that lives 20 s: the job runs for three lifetimes and the cache it
/// was submitted with stays valid throughout, renewed by duct inside the job.
#[test]
fn contrib_krb_long_example_keeps_the_ticket_alive_in_a_job() {
    use common::kdc::{Kdc, KdcConfig, PrincipalSpec};
    let Some(kdc) = Kdc::start_with(KdcConfig {
        principals: vec![PrincipalSpec::new("jobuser", "20s", "10m")],
        ..KdcConfig::default()
    }) else {
        return;
    };
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let cc = kdc.ccache("jobuser");
    kdc.kinit(&cc, "jobuser", "20s", Some("10m")).expect("kinit");
    let bin_dir = common::duct_bin().parent().expect("the binary's directory").to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("a PATH");
    let mut sbatch = client(&cluster, "sbatch", dir.path());
    sbatch.env("PATH", path);
    kdc.apply(&mut sbatch, &cc);
    let job = cluster.sbatch_with(&mut sbatch, &[&example("duct-krb-long.sbatch"), "sleep", "60"]);
    cluster.wait_idle();
    let out = std::fs::read_to_string(dir.join(format!("slurm-{job}.out"))).unwrap_or_default();
    let doc = info(&dir.join(format!("logs/{job}_info.json")));
    assert_eq!(doc["execution_summary"]["exit_code"], 0, "{out}");
    let renewals = doc["krb"]["renewals"].as_array().unwrap_or_else(|| panic!("no krb.renewals: {doc}\n{out}"));
    assert!(renewals.len() >= 2, "{} renewals in a job of three lifetimes:\n{out}", renewals.len());
    assert!(doc["krb"]["failures"].as_array().is_some_and(Vec::is_empty), "{}", doc["krb"]);
    assert!(kdc.klist(&cc, &["-s"]).status.success(), "the job's cache is no longer valid:\n{out}");
    assert!(out.lines().any(|l| l.starts_with("Kerberos: ") && l.contains(" renewals")), "{out}");
}

// ---------------------------------------------------------------------------------------------------------
// scancel (issue 15 item 4): SLURM sends SIGCONT and SIGTERM to every process of the job, then SIGKILL after
// KillWait (5 s in the test cluster). duct must have written its record and logs by then.

/// Submits a job running duct on `command` (which writes `ready` once it runs), waits for `ready`, cancels
/// the job, waits for the queue to empty, and returns (job id, info.json, slurm-<job>.out).
fn cancelled_job(cluster: &Cluster, dir: &Path, command: &str) -> (String, Value, String) {
    cancelled_job_with(cluster, dir, "", command)
}

/// [`cancelled_job`] with duct options `opts` (shell words).
fn cancelled_job_with(cluster: &Cluster, dir: &Path, opts: &str, command: &str) -> (String, Value, String) {
    // exec'd, as in contrib/slurm: a batch script's shell dies of the SIGTERM at once, and SLURM then
    // SIGKILLs what is left of the job (measured: duct then has no time at all).
    let script = format!("exec {} {opts} -p 'logs/{{slurm_job_id}}_' --s-i 0.1 --r-i 0.5 sh -c '{command}'", duct());
    let job = cluster.sbatch(dir, &["-o", "slurm-%j.out", "--wrap", &script]);
    let ready = dir.join("ready");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !ready.exists() {
        assert!(std::time::Instant::now() < deadline, "the job never started its command");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = cluster.run(cluster.command("scancel").arg(&job));
    assert!(out.status.success(), "scancel: {}", String::from_utf8_lossy(&out.stderr));
    cluster.wait_idle();
    let out = std::fs::read_to_string(dir.join(format!("slurm-{job}.out"))).unwrap_or_default();
    let path = dir.join(format!("logs/{job}_info.json"));
    let body =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}\njob output:\n{out}", path.display()));
    let doc = serde_json::from_str(&body).unwrap_or_else(|e| panic!("info.json is not JSON ({e}):\n{body}\n{out}"));
    (job, doc, out)
}

#[test]
fn scancel_of_a_command_that_ignores_sigterm_is_recorded_as_killed_within_killwait() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    // The command ignores TERM and keeps writing; only a SIGKILL ends it.
    let command =
        "trap \"\" TERM; echo started; touch ready; i=0; while :; do i=$((i+1)); echo line $i; sleep 0.1; done";
    let (job, doc, out) = cancelled_job(&cluster, dir.path(), command);
    let es = &doc["execution_summary"];
    assert_eq!(doc["duct"]["state"], "cancelled", "{doc}\n{out}");
    assert_eq!(es["signal"], 9, "reported as killed: {es}\n{out}");
    assert_eq!(es["exit_code"], 137, "{es}");
    assert!(out.contains("killing it before SLURM's SIGKILL"), "{out}");
    let stdout = std::fs::read_to_string(dir.join(format!("logs/{job}_stdout"))).unwrap();
    assert!(stdout.starts_with("started\nline 1\n"), "{stdout}");
    // Everything the command wrote reached the log: its last line is complete.
    assert!(stdout.ends_with('\n') && stdout.lines().count() > 1, "{stdout}");
    assert!(out.contains("Exit Code: 137"), "no summary in the job's output:\n{out}");
}

/// --wait-descendants and a background descendant that ignores SIGTERM: the command exits on the SIGTERM,
/// duct stops waiting for the descendant in time, kills it, and the record is complete.
#[test]
fn scancel_with_wait_descendants_does_not_wait_past_killwait() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let command = "(trap \"\" TERM; while :; do sleep 0.1; done) & echo $! > bg.pid; touch ready; exec sleep 600";
    let (job, doc, out) = cancelled_job_with(&cluster, dir.path(), "--wait-descendants", command);
    assert_eq!(doc["duct"]["state"], "cancelled", "{doc}\n{out}");
    assert_eq!(doc["execution_summary"]["signal"], 15, "{}\n{out}", doc["execution_summary"]);
    assert!(out.contains("has descendants still running"), "{out}");
    let bg: i32 = std::fs::read_to_string(dir.join("bg.pid")).unwrap().trim().parse().unwrap();
    // Gone (or a zombie of duct's subreaper that nobody reaps any more): not running.
    let state = std::fs::read_to_string(format!("/proc/{bg}/stat")).unwrap_or_default();
    let state = state.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().next()).unwrap_or("X").to_string();
    assert!(state == "X" || state == "Z", "the descendant survived the job ({state}), job {job}");
}

#[test]
fn scancel_of_a_command_that_exits_on_sigterm_records_the_signal_and_cancelled_state() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let command = "echo started; touch ready; exec sleep 600";
    let (job, doc, out) = cancelled_job(&cluster, dir.path(), command);
    assert_eq!(doc["duct"]["state"], "cancelled", "{doc}\n{out}");
    assert_eq!(doc["execution_summary"]["signal"], 15, "{}\n{out}", doc["execution_summary"]);
    let stdout = std::fs::read_to_string(dir.join(format!("logs/{job}_stdout"))).unwrap();
    assert_eq!(stdout, "started\n");
}

// ---------------------------------------------------------------------------------------------------------
// The job's cgroup (issue 15 item 3), made by SLURM's task/cgroup plugin.

#[test]
fn a_job_under_task_cgroup_records_its_cgroup_memory_and_limit() {
    let Some(cluster) = Cluster::start_with_task_cgroup() else { return };
    let dir = common::TestDir::new();
    let script = format!(
        "exec {} -p 'logs/{{slurm_job_id}}_' --s-i 0.05 --r-i 0.1 sh -c \
         'x=$(head -c 20000000 /dev/zero | tr \"\\0\" a); i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'",
        duct()
    );
    let job = cluster.sbatch(dir.path(), &["--mem=200M", "-o", "slurm-%j.out", "--wrap", &script]);
    cluster.wait_idle();
    let out = std::fs::read_to_string(dir.join(format!("slurm-{job}.out"))).unwrap_or_default();
    let path = dir.join(format!("logs/{job}_info.json"));
    let doc = info(&path);
    let es = &doc["execution_summary"];
    assert_eq!(es["exit_code"], 0, "{out}");
    let cgroup = es["cgroup_path"].as_str().unwrap_or_else(|| panic!("no cgroup_path: {es}\n{out}"));
    assert!(cgroup.contains(&format!("job_{job}/")), "{cgroup}");
    assert!(es["cgroup_memory_peak"].as_u64().is_some_and(|p| p >= 20_000_000), "{es}");
    assert_eq!(
        es["cgroup_memory_limit"],
        200u64 << 20,
        "the job's --mem, set on the job's cgroup above the task's: {es}"
    ); // 20 MB and more of the 200 MiB requested, as the cgroup counts it.
    let fit = es["memory_fit_cgroup_peak"].as_f64().unwrap_or_else(|| panic!("no memory_fit_cgroup_peak: {es}"));
    assert!(fit > 0.09 && fit < 1.0, "{es}");
}

// ---------------------------------------------------------------------------------------------------------
// Batch output files (issue 15 item 6): duct's own stdout/stderr are the job's slurm-%j.out.

/// One line, then (after `go`) 20 MB in 200 chunks of 100 KB, then `written`, then waits for `gate`, exit 5.
const WRITER: &str = r#"
import os, sys, time
out = sys.stdout.buffer
out.write(b"first\n"); out.flush()
while not os.path.exists("go"):
    time.sleep(0.02)
for c in range(200):
    out.write(b"".join(b"chunk %03d line %04d %s\n" % (c, i, b"y" * 80) for i in range(1000))); out.flush()
open("written", "w").close()
while not os.path.exists("gate"):
    time.sleep(0.02)
sys.exit(5)
"#;

/// The job's slurm-%j.out is on a filesystem that hangs (the fault daemon blocks every operation on it):
/// the command still writes its 20 MB, the log under logs/ has every byte, and once the file answers again
/// the job's output file gets duct's one warning about what it did not show, and the summary.
#[test]
fn a_hung_batch_output_file_never_stalls_the_command() {
    let Some(cluster) = Cluster::start() else { return };
    let dir = common::TestDir::new();
    let Some(ffs) = common::faultfs::FaultFs::mount(dir.path()) else { return };
    let work = dir.join("work");
    std::fs::create_dir(&work).expect("work dir");
    let script = format!("exec {} --fail-time 0 -p logs/ python3 -c '{WRITER}'", duct());
    let out_path = format!("{}/slurm-%j.out", ffs.mnt.display());
    let job = cluster.sbatch(&work, &["-o", &out_path, "--wrap", &script]);
    let name = format!("slurm-{job}.out");
    let backing = ffs.backing.join(&name);
    wait_until("duct's first echo in the job's output", std::time::Duration::from_secs(120), || {
        std::fs::read_to_string(&backing).is_ok_and(|t| t.contains("first\n"))
    });
    ffs.ctl(&format!("hang @{name}"));
    std::fs::write(work.join("go"), "").expect("go");
    // With the job's output file hung, the command must still get all 20 MB out.
    wait_until("the command to write everything", std::time::Duration::from_secs(90), || work.join("written").exists());
    ffs.ctl("ok");
    std::fs::write(work.join("gate"), "").expect("gate");
    cluster.wait_idle();
    let log = std::fs::read(work.join("logs/stdout")).expect("the stdout log");
    let mut want = b"first\n".to_vec();
    for c in 0..200 {
        for i in 0..1000 {
            want.extend_from_slice(format!("chunk {c:03} line {i:04} {}\n", "y".repeat(80)).as_bytes());
        }
    }
    let out = String::from_utf8_lossy(&std::fs::read(&backing).expect("the job's output file")).into_owned();
    let tail: String = out.lines().filter(|l| !l.starts_with("chunk ")).collect::<Vec<_>>().join("\n");
    assert!(log == want, "the log is not the command's output; the job's output without chunks:\n{tail}");
    let doc = info(&work.join("logs/info.json"));
    assert_eq!(doc["execution_summary"]["exit_code"], 5, "{tail}");
    assert_eq!(out.lines().filter(|l| l.contains("not shown")).count(), 1, "one warning about it:\n{tail}");
    assert!(out.contains("Exit Code: 5"), "no summary in the job's output:\n{tail}");
}
