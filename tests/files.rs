//! Where the files go and what info.json holds: prefix templates, --clobber, --fail-time, info.json fields.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::time::Duration;

use common::{TestDir, duct, output_with_timeout};
use serde_json::Value;

const T: Duration = Duration::from_secs(60);

fn run(dir: &TestDir, args: &[&str]) -> std::process::Output {
    output_with_timeout(duct(dir.path()).args(args), T)
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn default_prefix_has_datetime_and_duct_pid() {
    let dir = TestDir::new();
    let out = run(&dir, &["true"]);
    assert_eq!(out.status.code(), Some(0));
    let files = names(&dir.join(".duct/logs"));
    assert_eq!(files.len(), 4, "{files:?}");
    let f = &files[0];
    // 2026.11.25T06.08.58-7095_info.json
    let (stamp, rest) = f.split_once('-').expect("datetime-pid");
    assert_eq!(stamp.len(), 19, "{f}");
    assert!(chrono::NaiveDateTime::parse_from_str(stamp, "%Y.%m.%dT%H.%M.%S").is_ok(), "{f}");
    let pid: u32 = rest.split('_').next().and_then(|p| p.parse().ok()).expect("pid");
    assert!(pid > 1);
    for suffix in ["info.json", "stderr", "stdout", "usage.jsonl"] {
        assert!(files.iter().any(|x| x.ends_with(suffix)), "{suffix} in {files:?}");
    }
}

#[test]
fn prefix_forms() {
    let dir = TestDir::new();
    assert_eq!(run(&dir, &["-p", "a/b/c/run_", "true"]).status.code(), Some(0));
    assert_eq!(names(&dir.join("a/b/c")).len(), 4);
    assert_eq!(run(&dir, &["-p", "d/", "true"]).status.code(), Some(0));
    assert_eq!(names(&dir.join("d")), ["info.json", "stderr", "stdout", "usage.jsonl"]);
    let out = run(&dir, &["-p", "e/{datetime_filesafe}_", "true"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("deprecated"));
    let out = run(&dir, &["-p", "f/{{x}}{pid}_", "true"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(names(&dir.join("f")).iter().all(|n| n.starts_with("{x}")), "{:?}", names(&dir.join("f")));
}

#[test]
fn existing_files_need_clobber() {
    let dir = TestDir::new();
    assert_eq!(run(&dir, &["-p", "o/", "sh", "-c", "echo one"]).status.code(), Some(0));
    let out = run(&dir, &["-p", "o/", "sh", "-c", "echo two > ran"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("o/stdout") && err.contains("--clobber"), "{err}");
    assert!(!dir.join("ran").exists(), "the command ran despite the conflict");
    assert_eq!(fs::read_to_string(dir.join("o/stdout")).expect("kept"), "one\n");
    let out = run(&dir, &["--clobber", "-p", "o/", "sh", "-c", "echo two"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(dir.join("o/stdout")).expect("replaced"), "two\n");
}

#[test]
fn uncreatable_files_fail_before_the_command_runs() {
    let dir = TestDir::new();
    fs::write(dir.join("plainfile"), "x").expect("write");
    let out = run(&dir, &["-p", "plainfile/sub/", "sh", "-c", "touch ran"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().filter(|l| l.contains("plainfile")).count(), 1, "{err}");
    assert!(!dir.join("ran").exists());
}

#[test]
fn fail_time_removes_logs_of_fast_failures() {
    let dir = TestDir::new();
    let out = run(&dir, &["-p", "fast/", "sh", "-c", "echo x; exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(names(&dir.join("fast")).is_empty(), "{:?}", names(&dir.join("fast")));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Summary:"));
    let out = run(&dir, &["--fail-time", "0", "-p", "kept/", "sh", "-c", "exit 3"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(names(&dir.join("kept")).len(), 4);
    let out = run(&dir, &["--f-t", "0.2", "-p", "slow/", "sh", "-c", "sleep 0.5; exit 4"]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(names(&dir.join("slow")).len(), 4);
    let out = run(&dir, &["--fail-time", "-1", "-p", "neg/", "sh", "-c", "sleep 0.3; exit 5"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(names(&dir.join("neg")).is_empty());
    // Success keeps everything however fast.
    assert_eq!(run(&dir, &["-p", "ok/", "true"]).status.code(), Some(0));
    assert_eq!(names(&dir.join("ok")).len(), 4);
}

fn info(dir: &TestDir, prefix: &str) -> Value {
    let text = fs::read_to_string(dir.join(format!("{prefix}info.json"))).expect("info.json");
    serde_json::from_str(&text).expect("info.json is JSON")
}

#[test]
fn info_json_has_con_duct_fields() {
    let dir = TestDir::new();
    let out = output_with_timeout(
        duct(dir.path()).env("SLURM_JOB_ID", "42").env("UNRELATED", "x").args([
            "-m",
            "why not",
            "-p",
            "o/",
            "sh",
            "-c",
            "sleep 0.2",
        ]),
        T,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = info(&dir, "o/");
    assert_eq!(v["command"], "sh -c sleep 0.2");
    assert_eq!(v["schema_version"], "0.2.3");
    assert_eq!(v["message"], "why not");
    assert_eq!(v["env"]["SLURM_JOB_ID"], "42");
    assert!(v["env"].get("UNRELATED").is_none());
    assert!(v["gpu"].is_null() || v["gpu"].is_array());
    let sys = &v["system"];
    for k in ["cpu_total", "memory_total", "hostname", "uid", "os_name", "arch", "distro_id", "distro_pretty_name"] {
        assert!(sys.get(k).is_some(), "system.{k}");
    }
    assert!(sys["cpu_total"].as_i64().unwrap_or(0) >= 1);
    let es = &v["execution_summary"];
    assert_eq!(es["exit_code"], 0);
    assert_eq!(es["logs_prefix"], "o/");
    let wall = es["wall_clock_time"].as_f64().expect("wall_clock_time");
    assert!((0.2..10.0).contains(&wall), "{wall}");
    let (s, e) = (es["start_time"].as_f64().expect("start"), es["end_time"].as_f64().expect("end"));
    assert!((e - s - wall).abs() < 0.05);
    assert_eq!(v["output_paths"]["stdout"], "o/stdout");
    assert_eq!(v["output_paths"]["usage"], "o/usage.jsonl");
    assert_eq!(v["output_paths"]["prefix"], "o/");
    assert_eq!(v["working_directory"], dir.path().canonicalize().expect("cwd").display().to_string());
    assert_eq!(es["working_directory"], v["working_directory"]);
}

/// info.json exists and is valid JSON while the command still runs, so a crash or kill never leaves it empty.
#[test]
fn provisional_info_json_while_running() {
    let dir = TestDir::new();
    let mut child = duct(dir.path())
        .args(["-p", "o/", "sh", "-c", "sleep 1.5"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn duct");
    std::thread::sleep(Duration::from_millis(600));
    let v = info(&dir, "o/");
    assert!(v["execution_summary"]["exit_code"].is_null());
    assert_eq!(v["command"], "sh -c sleep 1.5");
    assert_eq!(child.wait().expect("wait").code(), Some(0));
    assert_eq!(info(&dir, "o/")["execution_summary"]["exit_code"], 0);
}

#[test]
fn record_types_limit_what_is_written() {
    let dir = TestDir::new();
    assert_eq!(run(&dir, &["-t", "processes-samples", "-p", "s/", "true"]).status.code(), Some(0));
    assert_eq!(names(&dir.join("s")), ["stderr", "stdout", "usage.jsonl"]);
    assert_eq!(run(&dir, &["-t", "system-summary", "-p", "i/", "true"]).status.code(), Some(0));
    assert_eq!(names(&dir.join("i")), ["info.json", "stderr", "stdout"]);
}

/// The GPU inventory comes from nvidia-smi when it is on PATH (here a script that answers as the real one
/// does, since this machine has no GPU), without delaying the command.
#[test]
fn gpu_inventory_from_nvidia_smi() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).expect("mkdir");
    let script = "#!/bin/sh\necho 'index, name, pci.bus_id, driver_version, memory.total [MiB], compute_mode'\n\
                  echo '0, NVIDIA A100-SXM4-40GB, 00000000:07:00.0, 535.104.05, 40960 MiB, Default'\n";
    fs::write(bin.join("nvidia-smi"), script).expect("write");
    fs::set_permissions(bin.join("nvidia-smi"), fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = output_with_timeout(duct(dir.path()).env("PATH", path).args(["-p", "g/", "sleep", "0.2"]), T);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = info(&dir, "g/");
    let gpu = &v["gpu"][0];
    assert_eq!(gpu["index"], "0");
    assert_eq!(gpu["name"], "NVIDIA A100-SXM4-40GB");
    assert_eq!(gpu["memory.total"], "40960 MiB");
    assert_eq!(gpu["compute_mode"], "Default");
    // The probe is duct's own helper: it is neither sampled nor counted in the command's CPU.
    let usage = fs::read_to_string(dir.join("g/usage.jsonl")).expect("usage");
    assert!(!usage.contains("nvidia-smi"), "{usage}");
}

#[test]
fn prefix_placeholders_from_host_and_environment() {
    let dir = TestDir::new();
    let host = nix::unistd::gethostname().expect("hostname").to_string_lossy().into_owned();
    let mut cmd = duct(dir.path());
    for var in ["SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_STEP_ID", "SLURM_PROCID"] {
        cmd.env_remove(var);
    }
    cmd.env("PREFIX_TEST_RUN", "r42").env_remove("PREFIX_TEST_UNSET");
    let prefix = "{hostname}/{env:PREFIX_TEST_RUN}/j{slurm_job_id}-{slurm_array_job_id}-{slurm_array_task_id}\
                  -{slurm_step_id}-{slurm_procid}-{env:PREFIX_TEST_UNSET}_";
    let out = output_with_timeout(cmd.args(["-p", prefix, "true"]), T);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        names(&dir.join(&host).join("r42")),
        ["j-----_info.json", "j-----_stderr", "j-----_stdout", "j-----_usage.jsonl"]
    );
    let out = run(&dir, &["-p", "{env:}_", "true"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown placeholder {env:}"), "{out:?}");
}
