//! The `con-duct` command (issue 16): the same code as duct, con-duct 0.23.0's subcommands (`run`, `ls`, `pp`,
//! `plot`, `krb-status`), its help, version and exit codes; duct itself stays the runner.
//!
//! `ls` and `pp` are compared with the real Python con-duct 0.23.0 (the virtualenv contrib/setup-debian.sh
//! makes, or `$DUCT_CON_DUCT`) on the same corpus of info.json files: runs made by duct here and runs made by
//! the real con-duct here. Under CI=true a missing con-duct fails.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::{TestDir, our_con_duct, output_with_timeout};

const T: Duration = Duration::from_secs(120);

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ours(dir: &Path, args: &[&str]) -> Output {
    output_with_timeout(our_con_duct(dir).args(args), T)
}

#[test]
fn con_duct_run_is_duct() {
    let dir = TestDir::new();
    let out = ours(dir.path(), &["run", "-p", "r/", "--s-i", "0.1", "--", "sh", "-c", "echo hello; echo oops >&2"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(text(&out.stdout), "hello\n");
    assert_eq!(fs::read_to_string(dir.join("r/stdout")).expect("stdout log"), "hello\n");
    assert_eq!(fs::read_to_string(dir.join("r/stderr")).expect("stderr log"), "oops\n");
    let info: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("r/info.json")).expect("info.json")).expect("json");
    assert_eq!(info["execution_summary"]["exit_code"], 0);
    assert_eq!(info["command"], "sh -c echo hello; echo oops >&2");
    // The command's exit code, as duct returns it.
    let out = ours(dir.path(), &["run", "-p", "e/", "--f-t", "0", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7), "{out:?}");
    // The first word that is not an option is the command, as duct's.
    let out = ours(dir.path(), &["run", "-p", "l/", "ls", "-d", "r"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(text(&out.stdout), "r\n");
    // duct's usage errors, under con-duct's name.
    let out = ours(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(text(&out.stderr).lines().count(), 1, "{out:?}");
    let out = ours(dir.path(), &["run", "--frob", "true"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(text(&out.stderr).contains("con-duct run --help"), "{out:?}");
    let out = ours(dir.path(), &["run", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stdout).contains("Usage: con-duct run [OPTIONS] [--] COMMAND [ARGS...]"), "{out:?}");
}

/// `duct ls -l` runs `ls -l`: duct reserves no word but krb-status.
#[test]
fn duct_stays_the_runner() {
    let dir = TestDir::new();
    fs::write(dir.join("marker"), "").expect("write");
    let out = output_with_timeout(common::duct(dir.path()).args(["ls", "marker"]), T);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(text(&out.stdout), "marker\n");
    assert!(dir.join(".duct/logs").is_dir(), "duct ran ls as a command, with its logs");
}

#[test]
fn version_help_and_usage_errors_as_con_duct() {
    let dir = TestDir::new();
    let version = env!("CARGO_PKG_VERSION");
    let out = ours(dir.path(), &["--version"]);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), format!("con-duct {version}\n")));
    for sub in ["ls", "pp", "plot"] {
        let out = ours(dir.path(), &[sub, "--version"]);
        assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), format!("con-duct {sub} {version}\n")));
    }
    let out = ours(dir.path(), &["run", "--version"]);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), format!("con-duct run {version}\n")));
    // No subcommand: the help, exit 0 (as con-duct); it lists con-duct's subcommands and ours.
    let out = ours(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let help = text(&out.stdout);
    assert!(help.contains("Usage: con-duct <command> [options]"), "{help}");
    for sub in ["run", "pp", "plot", "ls", "krb-status"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(&format!("{sub} "))), "{sub} in:\n{help}");
    }
    for args in [&["--help"][..], &["ls", "--help"], &["pp", "-h"], &["plot", "--help"], &["krb-status", "--help"]] {
        let out = ours(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    // Usage errors: one line on stderr, exit 2, as argparse's exit code.
    for args in
        [&["frob"][..], &["ls", "--frob"], &["ls", "-f", "xml"], &["ls", "-F", "nosuch"], &["pp"], &["pp", "-x", "f"]]
    {
        let out = ours(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().filter(|l| !l.contains("[INFO")).count(), 1, "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // krb-status is duct's: its own usage errors.
    let out = ours(dir.path(), &["krb-status", "--frob"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

/// The man pages and completions of con-duct are generated from its definition; a stale copy fails here.
#[test]
fn generated_con_duct_docs_are_fresh() {
    let dir = TestDir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages: [(&[&str], &str); 6] = [
        (&["--manual"], "man/con-duct.1"),
        (&["--manual-of", "run"], "man/con-duct-run.1"),
        (&["--manual-of", "krb-status"], "man/con-duct-krb-status.1"),
        (&["ls", "--manual"], "man/con-duct-ls.1"),
        (&["pp", "--manual"], "man/con-duct-pp.1"),
        (&["plot", "--manual"], "man/con-duct-plot.1"),
    ];
    for (args, file) in pages {
        let out = ours(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let committed = fs::read(root.join(file)).unwrap_or_else(|_| panic!("{file} exists"));
        assert!(out.stdout == committed, "{file} is stale: run contrib/regenerate-docs.sh");
    }
    let man = text(&fs::read(root.join("man/con-duct-ls.1")).expect("page"));
    for flag in ["eval\\-filter", "sort\\-by", "reverse", "fields", "format"] {
        assert!(man.contains(flag), "con-duct-ls.1 documents --{flag}");
    }
    for (shell, file) in [("bash", "con-duct.bash"), ("zsh", "_con-duct"), ("fish", "con-duct.fish")] {
        let out = ours(dir.path(), &["--completions", shell]);
        assert_eq!(out.status.code(), Some(0));
        let committed = fs::read(root.join("contrib/completions").join(file)).expect("completion file");
        assert!(out.stdout == committed, "contrib/completions/{file} is stale: run contrib/regenerate-docs.sh");
        let body = text(&out.stdout);
        for word in ["run", "ls", "pp", "plot", "krb-status", "sort-by", "sample-interval"] {
            assert!(body.contains(word), "{file} completes {word}");
        }
    }
}

// ---- ls and pp against the real con-duct 0.23.0, on one corpus ----

/// The Python con-duct, or a skip (a failure under CI=true).
fn reference() -> Option<std::path::PathBuf> {
    let exe = common::con_duct();
    if common::require("con-duct virtualenv (run contrib/setup-debian.sh)", exe.is_some()) { exe } else { None }
}

fn python_of(con_duct: &Path) -> std::path::PathBuf {
    con_duct.parent().expect("venv bin").join("python")
}

fn theirs(exe: &Path, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(exe);
    cmd.args(args).current_dir(dir).stdin(std::process::Stdio::null());
    common::isolate_env(&mut cmd, dir);
    output_with_timeout(&mut cmd, T)
}

/// A corpus of runs in `dir/runs/`: made by duct and by the real con-duct here, plus records of older schemas,
/// an empty and a broken file, as a directory of runs collects them. Returns the info.json paths (relative).
fn corpus(exe: &Path, dir: &Path) -> Vec<String> {
    let duct_runs: [(&str, &[&str]); 4] = [
        ("runs/d-run2_", &["-m", "first", "--", "sh", "-c", "echo two; sleep 0.3"]),
        (
            "runs/d-run10_",
            &["-m", "h\u{e9}llo 'quoted' \"double\"", "--f-t", "0", "--", "sh", "-c", "sleep 0.2; exit 3"],
        ),
        ("runs/d-run1_", &["--", "sleep", "0.4"]),
        ("runs/d-alloc_", &["--", "python3", "-c", "x = bytearray(30_000_000); import time; time.sleep(0.5)"]),
    ];
    for (prefix, args) in duct_runs {
        let out = output_with_timeout(
            common::duct(dir).args(["-p", prefix, "--s-i", "0.1", "--r-i", "0.2", "-l", "NONE"]).args(args),
            T,
        );
        assert!(out.status.code().is_some(), "{out:?}");
        assert!(dir.join(format!("{prefix}info.json")).is_file(), "duct wrote {prefix}info.json: {out:?}");
    }
    let con_duct_runs: [(&str, &[&str]); 3] = [
        ("runs/c-run3_", &["-m", "by con-duct", "--", "sh", "-c", "echo hi; sleep 0.3"]),
        ("runs/c-fail_", &["--f-t", "0", "--", "sh", "-c", "sleep 0.2; exit 2"]),
        (
            "runs/c-long_",
            &[
                "--",
                "sh",
                "-c",
                "sleep 0.2; : aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbb",
            ],
        ),
    ];
    for (prefix, args) in con_duct_runs {
        let out = theirs(
            exe,
            dir,
            &[&["run", "-p", prefix, "--s-i", "0.1", "--r-i", "0.2", "-l", "NONE"][..], args].concat(),
        );
        assert!(dir.join(format!("{prefix}info.json")).is_file(), "con-duct wrote {prefix}info.json: {out:?}");
    }
    // Older schemas, from a con-duct record: 0.2.0 (back-filled: no working_directory, message, os/distro
    // fields) and 0.1.0 (skipped).
    let base: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("runs/c-run3_info.json")).expect("read")).expect("json");
    let mut old = base.clone();
    old["schema_version"] = "0.2.0".into();
    old["execution_summary"].as_object_mut().expect("summary").remove("working_directory");
    old.as_object_mut().expect("object").remove("message");
    for f in ["os_name", "distro_id", "distro_pretty_name", "arch"] {
        old["system"].as_object_mut().expect("system").remove(f);
    }
    fs::write(dir.join("runs/old-020_info.json"), old.to_string()).expect("write");
    let mut older = base;
    older["schema_version"] = "0.1.0".into();
    fs::write(dir.join("runs/old-010_info.json"), older.to_string()).expect("write");
    fs::write(dir.join("runs/empty_info.json"), "").expect("write");
    // Values real runs rarely have, in a con-duct record: missing measurements, a wall time that is not a
    // number, a float count, a multi-line non-ASCII message, a GPU inventory, a batch job's variable.
    let mut odd = base_record(dir);
    for k in ["peak_rss", "average_rss", "peak_pcpu", "average_pmem", "exit_code"] {
        odd["execution_summary"][k] = serde_json::Value::Null;
    }
    odd["execution_summary"]["wall_clock_time"] = "oops".into();
    odd["execution_summary"]["num_samples"] = 2.0.into();
    odd["message"] = "multi\nline 'message' \u{fc}n\u{ef}code \u{2028} end".into();
    odd["gpu"] = serde_json::json!([{"index": "0", "name": "A100", "memory.total": "81920 MiB"}]);
    odd["env"] = serde_json::json!({"SLURM_JOB_ID": "123"});
    fs::write(dir.join("runs/odd-1_info.json"), odd.to_string()).expect("write");
    let mut odd = base_record(dir);
    odd["execution_summary"]["peak_rss"] = 1.0.into();
    odd["execution_summary"]["exit_code"] = (-9).into();
    odd["execution_summary"]["start_time"] = 0.into();
    odd["system"]["memory_total"] = 999.5.into();
    fs::write(dir.join("runs/odd-2_info.json"), odd.to_string()).expect("write");
    let mut names: Vec<String> = fs::read_dir(dir.join("runs"))
        .expect("runs")
        .map(|e| format!("runs/{}", e.expect("entry").file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

fn base_record(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("runs/c-run3_info.json")).expect("read")).expect("json")
}

fn assert_same(exe: &Path, dir: &Path, args: &[&str]) -> (String, String) {
    let theirs = theirs(exe, dir, args);
    let ours = ours(dir, args);
    let (t, o) = (text(&theirs.stdout), text(&ours.stdout));
    assert_eq!(ours.status.code(), theirs.status.code(), "exit code of {args:?}\nours: {ours:?}\ntheirs: {theirs:?}");
    (t, o)
}

/// `ls` in JSON: the same rows, field by field, and the same text.
fn assert_same_json(exe: &Path, dir: &Path, args: &[&str]) {
    let (t, o) = assert_same(exe, dir, args);
    let tv: serde_json::Value =
        serde_json::from_str(&t).unwrap_or_else(|e| panic!("{args:?}: theirs not JSON ({e}): {t}"));
    let ov: serde_json::Value =
        serde_json::from_str(&o).unwrap_or_else(|e| panic!("{args:?}: ours not JSON ({e}): {o}"));
    let (tr, or) = (tv.as_array().expect("list"), ov.as_array().expect("list"));
    assert!(!tr.is_empty() || args.contains(&"-e"), "{args:?}: con-duct listed no run: {t}");
    assert_eq!(or.len(), tr.len(), "{args:?}: rows\nours: {o}\ntheirs: {t}");
    for (i, (a, b)) in or.iter().zip(tr).enumerate() {
        let (a, b) = (a.as_object().expect("row"), b.as_object().expect("row"));
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{args:?}: row {i} fields");
        for (k, v) in b {
            assert_eq!(&a[k], v, "{args:?}: row {i} ({}) field {k}", b["prefix"]);
        }
    }
    assert_eq!(o, t, "{args:?}: the same JSON text");
}

#[test]
fn ls_prints_what_con_duct_prints() {
    let Some(exe) = reference() else { return };
    let dir = TestDir::new();
    let files = corpus(&exe, dir.path());
    let all: Vec<&str> = files.iter().map(String::as_str).collect();
    // A usage.jsonl and the stdout logs given too: only *info.json names are read.
    let with = |args: &[&str]| -> Vec<String> {
        // Paths first: -F and --sort-by take every word after them, in con-duct too.
        let mut v: Vec<String> = ["ls", "-l", "NONE"].iter().map(|s| s.to_string()).collect();
        v.extend(all.iter().map(|s| s.to_string()));
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let every_field: Vec<&str> = FIELDS.to_vec();
    let cases: Vec<Vec<&str>> = vec![
        vec!["-f", "json"],
        vec!["-f", "json", "--reverse"],
        vec!["-f", "json", "--sort-by", "prefix"],
        vec!["-f", "json", "--sort-by", "peak_rss"],
        vec!["-f", "json", "--sort-by", "peak_rss", "--reverse"],
        vec!["-f", "json", "--sort-by", "exit_code", "wall_clock_time"],
        vec!["-f", "json", "--sort-by", "message", "--reverse"],
        vec!["-f", "json", "--sort-by", "gpu"],
        vec!["-f", "json", "--sort-by", "command", "-F", "command", "message", "schema_version"],
        [&["-f", "json", "-F"][..], &every_field].concat(),
        vec!["-f", "json", "-F", "exit_code", "exit_code", "prefix", "distro_id", "num_reports"],
        vec!["-f", "json_pp"],
        vec!["-f", "json_pp", "-F", "message", "start_time", "end_time", "peak_pcpu", "average_pmem", "gpu", "user"],
    ];
    for case in &cases {
        let args = with(case);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_same_json(&exe, dir.path(), &args);
    }
    // Filters whose Python con-duct evaluates.
    for filter in [
        "exit_code == 0",
        "exit_code != 0",
        "peak_rss > 10000000 and exit_code == 0",
        "re.search('run1', prefix)",
        "re.search(r'd-run\\d+_$', prefix) and not message",
        "'sleep' in command",
        "message == ''",
        "not message or exit_code in (2, 3)",
        "re.match('runs/c', prefix) is not None",
        "user is None or uid >= 0",
        "num_samples >= 2 and wall_clock_time < 0.45",
        "schema_version != '0.2.3'",
        "(exit_code > 0) == (message != '')",
        "command not in ['sleep 0.4']",
        "peak_pcpu >= 0",
        "SLURM_JOB_ID == '123'",
        "exit_code is None",
        "exit_code < 0",
        "re.search('line', message)",
    ] {
        let args = with(&["-f", "json", "-F", "command", "exit_code", "message", "-e", filter]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_same_json(&exe, dir.path(), &args);
    }
    // summaries and the table: the same text.
    for case in [
        &[][..],
        &["--colors"],
        &["-f", "summaries", "--colors"],
        &["-f", "summaries"],
        &["-f", "summaries", "-F", "message", "gpu", "memory_total", "distro_id_like"],
        &["-f", "pyout"],
        &["-f", "pyout", "--sort-by", "peak_rss", "-F", "command", "message", "gpu"],
    ] {
        let args = with(case);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (t, o) = assert_same(&exe, dir.path(), &args);
        assert!(!t.is_empty());
        assert_eq!(o, t, "{args:?}");
    }
    // yaml: the same data, read back by PyYAML.
    for case in [
        &["-f", "yaml"][..],
        &["-f", "yaml", "-F", "message", "gpu", "user", "uid", "start_time", "num_samples", "exit_code"],
    ] {
        let args = with(case);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (t, o) = assert_same(&exe, dir.path(), &args);
        let load = |yaml: &str| -> serde_json::Value {
            let script = "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))";
            let mut child = std::process::Command::new(python_of(&exe))
                .args(["-c", script])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("python");
            std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), yaml.as_bytes()).expect("write");
            let out = child.wait_with_output().expect("python");
            assert!(out.status.success(), "PyYAML reads {yaml}");
            serde_json::from_slice(&out.stdout).expect("json")
        };
        assert_eq!(load(&o), load(&t), "{args:?}\nours:\n{o}\ntheirs:\n{t}");
    }
}

/// con-duct 0.23.0's LS_FIELD_CHOICES.
const FIELDS: [&str; 45] = [
    "average_pcpu",
    "average_pmem",
    "average_rss",
    "average_vsz",
    "end_time",
    "exit_code",
    "memory_total",
    "peak_pcpu",
    "peak_pmem",
    "peak_rss",
    "peak_vsz",
    "start_time",
    "wall_clock_time",
    "arch",
    "command",
    "cpu_total",
    "distro_build_id",
    "distro_codename",
    "distro_id",
    "distro_id_like",
    "distro_name",
    "distro_pretty_name",
    "distro_variant_id",
    "distro_version",
    "distro_version_id",
    "duct_version",
    "gpu",
    "hostname",
    "info",
    "logs_prefix",
    "message",
    "num_samples",
    "num_reports",
    "os_name",
    "os_release",
    "os_version",
    "prefix",
    "processor",
    "schema_version",
    "stderr",
    "stdout",
    "uid",
    "usage",
    "user",
    "working_directory",
];

/// With no paths, ls reads what DUCT_OUTPUT_PREFIX's glob finds, as con-duct does.
#[test]
fn ls_without_paths_globs_the_output_prefix() {
    let Some(exe) = reference() else { return };
    let dir = TestDir::new();
    for prefix in ["logs/one_", "logs/two_", "other/three_"] {
        let out = output_with_timeout(common::duct(dir.path()).args(["-p", prefix, "-l", "NONE", "true"]), T);
        assert!(out.status.success(), "{out:?}");
    }
    let out = output_with_timeout(common::duct(dir.path()).args(["-l", "NONE", "true"]), T);
    assert!(out.status.success(), "{out:?}");
    // The last case sets the prefix in .duct/.env, which both read before their options.
    for (i, env) in [None, Some("logs/{datetime}_"), Some("other/{pid}"), None].into_iter().enumerate() {
        if i == 3 {
            fs::write(dir.join(".duct/.env"), "DUCT_OUTPUT_PREFIX=other/{pid}\n").expect("write .env");
        }
        let run = |mut cmd: std::process::Command| {
            cmd.args(["ls", "-l", "NONE", "-f", "json", "--sort-by", "prefix"]).current_dir(dir.path());
            common::isolate_env(&mut cmd, dir.path());
            if let Some(e) = env {
                cmd.env("DUCT_OUTPUT_PREFIX", e);
            }
            output_with_timeout(cmd.stdin(std::process::Stdio::null()), T)
        };
        let (t, o) = (run(std::process::Command::new(&exe)), run(std::process::Command::new(common::con_duct_bin())));
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        if i == 3 {
            // con-duct 0.23.0 reads DUCT_OUTPUT_PREFIX when its module is imported, before it loads .env files,
            // so it ignores the file (in `run` too); duct's runs honour it, and so does ls, to find them.
            assert!(text(&t.stdout).contains(".duct/logs/"), "con-duct ignores .env here: {t:?}");
            assert!(!text(&o.stdout).contains(".duct/logs/"), "{o:?}");
        } else {
            assert_eq!(text(&o.stdout), text(&t.stdout), "DUCT_OUTPUT_PREFIX={env:?}");
        }
        assert!(text(&o.stdout).contains("prefix"), "{env:?}: some run listed: {o:?}");
        if i >= 2 {
            assert!(text(&o.stdout).contains("other/three_"), "case {i}: {o:?}");
        }
    }
}

/// What con-duct answers with a traceback or nothing useful is one line here.
#[test]
fn ls_bad_input_is_one_line() {
    let dir = TestDir::new();
    fs::create_dir(dir.join("r")).expect("mkdir");
    fs::write(dir.join("r/bad_info.json"), "{\"schema_version\": ").expect("write");
    // A missing path: one line, exit 1 (con-duct: a traceback).
    let out = ours(dir.path(), &["ls", "-l", "NONE", "nowhere/x_info.json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(text(&out.stderr).lines().count(), 1, "{out:?}");
    assert!(text(&out.stderr).contains("nowhere/x_info.json"), "{out:?}");
    assert!(out.stdout.is_empty());
    // A broken file: a warning, and the others listed.
    let out = ours(dir.path(), &["ls", "-f", "json", "-l", "WARNING", "r/bad_info.json"]);
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), "[]\n".to_string()), "{out:?}");
    assert!(text(&out.stderr).contains("r/bad_info.json"), "{out:?}");
    // Expressions outside the language: one line, exit 2, before any file is read.
    for expr in [
        "__import__('os').system('touch pwned')",
        "len(command) > 3",
        "command.startswith('sh')",
        "exit_code = 0",
        "exit_code\u{a0}== 0",
        "exit_code + 1 > 0",
        "re.search('(?<=x)y', command)",
        "(exit_code == 0",
    ] {
        let out = ours(dir.path(), &["ls", "-l", "NONE", "-e", expr, "nowhere/x_info.json"]);
        assert_eq!(out.status.code(), Some(2), "{expr:?}: {out:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{expr:?}: {stderr}");
        assert!(stderr.contains("--eval-filter"), "{expr:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{expr:?}");
    }
    assert!(!dir.join("pwned").exists());
    let out = ours(dir.path(), &["ls", "-l", "NONE", "-e", "exit_code\u{a0}== 0"]);
    assert!(text(&out.stderr).contains("no-break space"), "{out:?}");
}

/// `con-duct ls | head`: exit 141, nothing on stderr, as con-duct 0.23.0.
#[test]
fn ls_into_a_closed_pipe_is_141_quietly() {
    let dir = TestDir::new();
    let out = output_with_timeout(common::duct(dir.path()).args(["-p", "r/x_", "-l", "NONE", "true"]), T);
    assert!(out.status.success(), "{out:?}");
    // Far more than a pipe holds, so the writer meets the closed pipe.
    let mut cmd = our_con_duct(dir.path());
    cmd.args(["ls", "-l", "NONE", "-f", "json_pp"]);
    for _ in 0..3000 {
        cmd.arg("r/x_info.json");
    }
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).expect("the start of the listing");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(141), "{out:?}");
    assert!(out.stderr.is_empty(), "quietly: {}", text(&out.stderr));
}

#[test]
fn pp_prints_what_con_duct_prints() {
    let Some(exe) = reference() else { return };
    let dir = TestDir::new();
    let files = corpus(&exe, dir.path());
    let mut targets: Vec<String> =
        files.iter().filter(|f| f.ends_with("info.json") && !f.contains("empty")).cloned().collect();
    targets
        .extend(["runs/d-run2_usage.jsonl", "runs/c-run3_usage.jsonl", "runs/d-alloc_usage.jsonl"].map(String::from));
    // What pprint lays out in several ways: long strings split at spaces (and a top-level one in parentheses),
    // lines kept apart, nested lists, numbers of every kind, the humanized keys at any depth.
    let odd = serde_json::json!({
        "message": "line one is here\nline two is a very long line that goes on and on and on past eighty columns for sure\n\nthird",
        "gpu": [{"index": "0", "name": "NVIDIA A100-SXM4-80GB with a long name", "bus_id": "00000000:07:00.0",
                 "driver_version": "535.54.03", "memory.total": "81920 MiB", "compute_mode": "Default"}],
        "nested": {"deep": {"deeper": [1, 2.5, null, true, false, "x".repeat(100), "tab\there", "\u{e9}".repeat(90)],
                            "peak_rss": 123456789, "wall_clock_time": 3725.5}},
        "aaaa": "b".repeat(200), "e": 1e-7, "big": 12345678901234567890u64, "f": 1e22,
        "start_time": 1796297272.59, "peak_pcpu": 12.3456, "memory_total": 999, "end_time": 0,
    });
    fs::write(dir.join("odd.json"), odd.to_string()).expect("write");
    fs::write(dir.join("top.json"), serde_json::Value::from("a long top level string ".repeat(10)).to_string())
        .expect("write");
    fs::write(dir.join("odd.jsonl"), format!("{odd}\n\n{{\"a\": 1}}\n")).expect("write");
    targets.extend(["odd.json", "top.json", "odd.jsonl"].map(String::from));
    for file in &targets {
        for args in [vec!["pp", "-l", "NONE", file], vec!["pp", "-l", "NONE", "-H", file]] {
            let (t, o) = assert_same(&exe, dir.path(), &args);
            assert!(t.len() > 10, "{args:?}: {t}");
            assert_eq!(o, t, "{args:?}");
        }
    }
    // Missing or broken: exit 1 and one line for both.
    fs::write(dir.join("broken.json"), "{").expect("write");
    for file in ["nowhere.json", "broken.json"] {
        let (_, o) = assert_same(&exe, dir.path(), &["pp", file]);
        assert!(o.is_empty());
        let out = ours(dir.path(), &["pp", "-l", "NONE", file]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(text(&out.stderr).lines().count(), 1, "{out:?}");
    }
}

/// Natural order as con-duct's: digit runs as numbers (not past 18 digits), text by code point, ties stable.
#[test]
fn ls_sorts_naturally_as_con_duct() {
    let Some(exe) = reference() else { return };
    let dir = TestDir::new();
    let out = output_with_timeout(common::duct(dir.path()).args(["-p", "base_", "-l", "NONE", "true"]), T);
    assert!(out.status.success(), "{out:?}");
    let record = fs::read(dir.join("base_info.json")).expect("info.json");
    fs::create_dir(dir.join("r")).expect("mkdir");
    let names = [
        "run2",
        "run10",
        "run1a",
        "run 2",
        "run02",
        "run0000000000000000000001",
        "run999999999999999999999",
        "Run3",
        "r\u{fc}n4",
        "run-1",
        "run2.5",
        "",
    ];
    let mut args: Vec<String> = ["ls", "-l", "NONE", "-f", "json"].map(String::from).to_vec();
    for name in names {
        fs::write(dir.join(format!("r/{name}_info.json")), &record).expect("write");
        args.push(format!("r/{name}_info.json"));
    }
    args.extend(["-F", "command"].map(String::from));
    for extra in [&["--sort-by", "prefix"][..], &["--sort-by", "prefix", "--reverse"], &["--sort-by", "exit_code"]] {
        let all: Vec<&str> = args.iter().map(String::as_str).chain(extra.iter().copied()).collect();
        assert_same_json(&exe, dir.path(), &all);
    }
}

// ---- beyond con-duct: ls --group-by (issue 16 item 5, issue 15 item 8) ----

/// A run for `ls_group_by_aggregates_per_group`: name, SLURM job, message, wall time, peak RSS.
type GroupedRun = (&'static str, Option<&'static str>, &'static str, f64, Option<u64>);

/// Runs of two SLURM jobs (a record duct wrote inside a job, copied with other values) and one run outside any
/// job, grouped by job and by message: count, and min/median/max of wall time and peak RSS, in every format.
#[test]
fn ls_group_by_aggregates_per_group() {
    use serde_json::{Value, json};
    let dir = TestDir::new();
    let out = output_with_timeout(
        common::duct(dir.path())
            .env("SLURM_JOB_ID", "100")
            .env("SLURM_PROCID", "0")
            .args(["-p", "base_", "-l", "NONE", "true"]),
        T,
    );
    assert!(out.status.success(), "{out:?}");
    let base: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("base_info.json")).expect("read")).expect("json");
    assert_eq!(base["slurm"]["slurm_job_id"], "100", "duct recorded the job: {base}");
    fs::create_dir(dir.join("runs")).expect("mkdir");
    let runs: [GroupedRun; 5] = [
        ("a1", Some("100"), "build", 1.0, Some(100)),
        ("a2", Some("100"), "build", 3.0, Some(300)),
        ("a3", Some("100"), "test", 2.0, Some(200)),
        ("b1", Some("9"), "test", 5.0, Some(50)),
        ("c1", None, "", 4.0, None),
    ];
    let mut paths = Vec::new();
    for (name, job, message, wall, rss) in runs {
        let mut record = base.clone();
        match job {
            Some(job) => record["slurm"]["slurm_job_id"] = job.into(),
            None => {
                record.as_object_mut().expect("object").remove("slurm");
            }
        }
        record["message"] = message.into();
        record["execution_summary"]["wall_clock_time"] = wall.into();
        record["execution_summary"]["peak_rss"] = rss.map_or(Value::Null, Value::from);
        let path = format!("runs/{name}_info.json");
        fs::write(dir.join(&path), record.to_string()).expect("write");
        paths.push(path);
    }
    let ls = |extra: &[&str]| -> Output {
        let args: Vec<&str> = ["ls", "-l", "NONE"]
            .into_iter()
            .chain(paths.iter().map(String::as_str))
            .chain(extra.iter().copied())
            .collect();
        ours(dir.path(), &args)
    };
    let json_of = |extra: &[&str]| -> Value {
        let out = ls(extra);
        assert_eq!(out.status.code(), Some(0), "{extra:?}: {out:?}");
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{extra:?}: not JSON ({e}): {out:?}"))
    };
    let stats = |min: Value, median: Value, max: Value| json!({"min": min, "median": median, "max": max});
    // Groups in natural order of their value ("9" before "100"), runs without one last.
    let by_job = json!([
        {"slurm_job_id": "9", "count": 1,
         "wall_clock_time": stats(json!(5.0), json!(5.0), json!(5.0)), "peak_rss": stats(json!(50), json!(50), json!(50))},
        {"slurm_job_id": "100", "count": 3,
         "wall_clock_time": stats(json!(1.0), json!(2.0), json!(3.0)), "peak_rss": stats(json!(100), json!(200), json!(300))},
        {"slurm_job_id": null, "count": 1,
         "wall_clock_time": stats(json!(4.0), json!(4.0), json!(4.0)), "peak_rss": stats(Value::Null, Value::Null, Value::Null)},
    ]);
    assert_eq!(json_of(&["-f", "json", "--group-by", "slurm_job_id"]), by_job);
    assert_eq!(json_of(&["-f", "json_pp", "--group-by", "slurm_job_id"]), by_job);
    // An even count's median is the mean of the middle two, as Python's statistics.median.
    let by_message = json!([
        {"message": "build", "count": 2,
         "wall_clock_time": stats(json!(1.0), json!(2.0), json!(3.0)), "peak_rss": stats(json!(100), json!(200.0), json!(300))},
        {"message": "test", "count": 2,
         "wall_clock_time": stats(json!(2.0), json!(3.5), json!(5.0)), "peak_rss": stats(json!(50), json!(125.0), json!(200))},
        {"message": "", "count": 1,
         "wall_clock_time": stats(json!(4.0), json!(4.0), json!(4.0)), "peak_rss": stats(Value::Null, Value::Null, Value::Null)},
    ]);
    assert_eq!(json_of(&["-f", "json", "--group-by", "message"]), by_message);
    // --reverse reverses the groups; -e filters the runs before they are grouped.
    let mut reversed = by_job.as_array().expect("list").clone();
    reversed.reverse();
    assert_eq!(json_of(&["-f", "json", "--group-by", "slurm_job_id", "--reverse"]), Value::Array(reversed));
    let filtered = json_of(&["-f", "json", "--group-by", "slurm_job_id", "-e", "message == 'test'"]);
    assert_eq!(
        filtered.as_array().map(|a| a.iter().map(|g| g["count"].clone()).collect::<Vec<_>>()),
        Some(vec![json!(1), json!(1)]),
        "{filtered}"
    );
    // YAML: the same data.
    let out = ls(&["-f", "yaml", "--group-by", "slurm_job_id"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let yaml: Value = serde_yaml_ng::from_slice(&out.stdout).expect("YAML");
    assert_eq!(yaml, by_job);
    // The table: one row per group, values shown as ls shows them (seconds, sizes), a missing one as '-'.
    let out = ls(&["--group-by", "slurm_job_id"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let table = text(&out.stdout);
    let lines: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert_eq!(
        lines[0],
        ["SLURM_JOB_ID", "COUNT", "WALL_MIN", "WALL_MEDIAN", "WALL_MAX", "RSS_MIN", "RSS_MEDIAN", "RSS_MAX"],
        "{table}"
    );
    assert_eq!(lines[2][..5], ["100", "3", "1.000", "sec", "2.000"], "{table}");
    assert!(lines[2].join(" ").ends_with("100 Bytes 200 Bytes 300 Bytes"), "{table}");
    assert_eq!(lines[3][..2], ["None", "1"], "{table}");
    assert!(lines[3].join(" ").ends_with("- - -"), "{table}");
    // Summaries: a group per paragraph.
    let out = ls(&["-f", "summaries", "--group-by", "message"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summaries = text(&out.stdout);
    assert!(summaries.starts_with("Message: build\n\tCount: 2\n\tWall Min: 1.000 sec\n"), "{summaries}");
    // Grouping decides the rows and columns: -F and --sort-by do not go with it (usage error, one line).
    for extra in [&["--group-by", "message", "-F", "command"][..], &["--group-by", "message", "--sort-by", "command"]] {
        let out = ls(extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {out:?}");
        assert_eq!(text(&out.stderr).lines().count(), 1, "{extra:?}: {out:?}");
    }
}

/// Many files are read on several threads: the rows still come in the order of the paths, as con-duct's, and
/// a broken or empty file among them is left out in its place.
#[test]
fn ls_of_many_files_keeps_their_order() {
    let Some(exe) = reference() else { return };
    let dir = TestDir::new();
    let out = output_with_timeout(common::duct(dir.path()).args(["-p", "base_", "-l", "NONE", "true"]), T);
    assert!(out.status.success(), "{out:?}");
    let mut record: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("base_info.json")).expect("read")).expect("json");
    fs::create_dir(dir.join("many")).expect("mkdir");
    let mut paths = Vec::new();
    for i in 0..1200 {
        let path = format!("many/r{i:04}_info.json");
        match i {
            400 => fs::write(dir.join(&path), "{not json").expect("write"),
            700 => fs::write(dir.join(&path), "").expect("write"),
            _ => {
                record["execution_summary"]["wall_clock_time"] = (i as f64 / 8.0).into();
                fs::write(dir.join(&path), record.to_string()).expect("write");
            }
        }
        paths.push(if i % 2 == 0 { path } else { format!("./{path}") });
    }
    // Not sorted: the order given is the order printed.
    let mut all: Vec<&str> = vec!["ls", "-l", "NONE", "-f", "json"];
    all.extend(paths.iter().rev().map(String::as_str));
    all.extend(["-F", "wall_clock_time", "command"]);
    assert_same_json(&exe, dir.path(), &all);
}
