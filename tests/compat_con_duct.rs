//! Compatibility with the reference implementation: the real con-duct 0.23.0
//! (`ls`, `pp`, `plot`) must read the files that duct writes.
//!
//! con-duct comes from the virtualenv made by contrib/setup-debian.sh (or
//! `$DUCT_CON_DUCT`). Under CI=true a missing con-duct fails the test.
//!
//! What con-duct 0.23.0 printed for its own run of
//! `con-duct run -p x/run_ --s-i 0.1 --r-i 0.2 -- sh -c 'echo hello; echo oops >&2; sleep 0.5'`
//! (this is what the assertions below expect of duct's files):
//!
//! * `con-duct ls --format json x/run_info.json` prints one line, a JSON list
//!   with one object per run. Keys are `prefix` (the info path as given, minus
//!   `info.json`) and then the `-F` fields (default: command, exit_code,
//!   wall_clock_time, peak_rss). Values of the "transformed" fields are
//!   humanized strings, not numbers:
//!   `[{"prefix": "x/run_", "command": "sh -c echo hello; echo oops >&2; sleep 0.5",
//!      "exit_code": "0", "wall_clock_time": "0.505 sec", "peak_rss": "3.6 MB"}]`
//!   (wall_clock_time is `{:.3f} sec`, sizes are decimal units with `%.1f`).
//!   Fields such as num_samples, logs_prefix, schema_version stay raw JSON
//!   values. A file that fails to load is *skipped* with a WARNING on stderr
//!   and ls still exits 0 with `[]`, so the row count is the real check.
//!   `-e EXPR` evaluates a Python expression against the raw flattened record.
//! * `con-duct pp FILE` prints Python `pprint` output (single quotes, `None`,
//!   sorted keys, wrapped at 80 columns); a `.jsonl` file becomes a list of
//!   dicts. `pp -H` humanizes: `'peak_rss': '3.6 MB'`, `'wall_clock_time': '0.51s'`,
//!   `'start_time': 'Nov 25, 2026 06:58 AM'`.
//! * `con-duct plot -o out.png x/run_info.json` (MPLBACKEND=Agg) follows
//!   `output_paths.usage`, writes a ~36 kB PNG and logs
//!   `Successfully rendered input file: x/run_usage.jsonl to output ...`.
//! * Every command logs `[INFO] con-duct: No .env files found` to stderr.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

const SCRIPT: &str = "echo hello; echo oops >&2; sleep 0.5";
/// How con-duct (and so duct) records `sh -c SCRIPT`: arguments joined by
/// spaces, no quoting.
const COMMAND: &str = "sh -c echo hello; echo oops >&2; sleep 0.5";
const TIMEOUT: Duration = Duration::from_secs(120);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn con_duct_or_skip() -> Option<std::path::PathBuf> {
    let exe = common::con_duct();
    if common::require("con-duct virtualenv (run contrib/setup-debian.sh)", exe.is_some()) { exe } else { None }
}

/// Runs `con-duct ARGS` in `dir` with a clean environment, and checks that it
/// exited 0 without a traceback, an error or a warning (a file con-duct cannot
/// load only gives a warning). Returns (stdout, stderr).
fn run_con_duct(exe: &Path, dir: &Path, args: &[&str]) -> (String, String) {
    let mut cmd = std::process::Command::new(exe);
    cmd.args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .env("MPLBACKEND", "Agg")
        .env("MPLCONFIGDIR", dir.join("mplconfig"));
    common::isolate_env(&mut cmd, dir);
    let out = common::output_with_timeout(&mut cmd, TIMEOUT);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let what = format!("con-duct {}", args.join(" "));
    assert!(out.status.success(), "{what} failed ({})\nstdout:\n{stdout}\nstderr:\n{stderr}", out.status);
    for bad in ["Traceback", "[ERROR", "[CRITICAL", "[WARNING"] {
        assert!(!stderr.contains(bad), "{what} printed {bad:?} on stderr:\n{stderr}");
    }
    (stdout, stderr)
}

/// con-duct's `SummaryFormatter.naturalsize` (`{value!S}`): decimal units,
/// `%.1f`.
fn naturalsize(bytes: f64) -> String {
    let abs = bytes.abs();
    if abs == 1.0 {
        return format!("{} Byte", bytes as i64);
    }
    if abs < 1000.0 {
        return format!("{} Bytes", bytes as i64);
    }
    let mut unit = ("kB", 1e3);
    for u in
        [("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("PB", 1e15), ("EB", 1e18), ("ZB", 1e21), ("YB", 1e24)]
    {
        if abs / u.1 >= 1.0 {
            unit = u;
        }
    }
    format!("{:.1} {}", bytes / unit.1, unit.0)
}

fn run_duct(dir: &Path, args: &[&str]) -> Output {
    let out = common::output_with_timeout(common::duct(dir).args(args), TIMEOUT);
    assert!(
        out.status.success(),
        "duct {args:?} failed ({})\nstdout:\n{}\nstderr:\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn read_json(path: &Path) -> Value {
    let body = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{} is not JSON ({e}):\n{body}", path.display()))
}

/// Parses `con-duct ls --format json` output: a list with one row per run.
fn ls_rows(stdout: &str) -> Vec<Value> {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("`con-duct ls --format json` did not print a JSON list ({e}):\n{stdout}"))
}

#[test]
fn con_duct_ls_pp_plot_read_duct_logs() {
    let Some(exe) = con_duct_or_skip() else {
        return;
    };
    let dir = common::TestDir::new();
    let out = run_duct(dir.path(), &["-p", "out/run_", "--s-i", "0.1", "--r-i", "0.2", "--", "sh", "-c", SCRIPT]);
    // con-duct logs to stderr only, so duct's own stdout is the command's.
    assert_eq!(text(&out.stdout), "hello\n", "duct's stdout");

    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"));
    assert_eq!(read("out/run_stdout"), "hello\n");
    assert_eq!(read("out/run_stderr"), "oops\n");
    let usage = read("out/run_usage.jsonl");
    assert!(!usage.trim().is_empty(), "usage.jsonl is empty");

    let info = read_json(&dir.join("out/run_info.json"));
    let summary = &info["execution_summary"];
    assert_eq!(info["command"], COMMAND, "info.json command");
    assert_eq!(summary["command"], COMMAND, "execution_summary.command");
    assert_eq!(summary["exit_code"], 0, "execution_summary.exit_code");
    let peak_rss = summary["peak_rss"]
        .as_u64()
        .unwrap_or_else(|| panic!("peak_rss should be a byte count after a 0.5 s run sampled every 0.1 s: {summary}"));
    let wall =
        summary["wall_clock_time"].as_f64().unwrap_or_else(|| panic!("wall_clock_time should be a number: {summary}"));
    assert!(peak_rss > 0 && wall >= 0.5, "implausible summary: {summary}");

    // ls, default fields: values humanized by con-duct's formatter.
    let (stdout, _) = run_con_duct(&exe, dir.path(), &["ls", "--format", "json", "out/run_info.json"]);
    let rows = ls_rows(&stdout);
    assert_eq!(rows.len(), 1, "con-duct ls should list duct's run: {stdout}");
    let row = &rows[0];
    assert_eq!(row["prefix"], "out/run_", "{row}");
    assert_eq!(row["command"], COMMAND, "{row}");
    assert_eq!(row["exit_code"], "0", "{row}");
    assert_eq!(row["wall_clock_time"], format!("{wall:.3} sec").as_str(), "{row}");
    assert_eq!(row["peak_rss"], naturalsize(peak_rss as f64).as_str(), "{row}");

    // ls, untransformed fields: raw values straight from info.json.
    let raw_fields = [
        ("num_samples", &summary["num_samples"]),
        ("num_reports", &summary["num_reports"]),
        ("logs_prefix", &summary["logs_prefix"]),
        ("working_directory", &info["working_directory"]),
        ("schema_version", &info["schema_version"]),
        ("duct_version", &info["duct_version"]),
        ("hostname", &info["system"]["hostname"]),
        ("cpu_total", &info["system"]["cpu_total"]),
        ("uid", &info["system"]["uid"]),
        ("message", &info["message"]),
    ];
    let mut args = vec!["ls", "--format", "json", "-F"];
    args.extend(raw_fields.iter().map(|(name, _)| *name));
    args.extend(["--", "out/run_info.json"]); // -F takes any number of values
    let (stdout, _) = run_con_duct(&exe, dir.path(), &args);
    let rows = ls_rows(&stdout);
    assert_eq!(rows.len(), 1, "con-duct ls -F should list duct's run: {stdout}");
    for (name, want) in raw_fields {
        assert!(!want.is_null() || name == "message", "info.json lacks {name}: {info}");
        assert_eq!(&rows[0][name], want, "field {name} as listed by con-duct ls");
    }

    // ls -e: a Python filter on the raw numbers selects the run.
    let filter = format!("exit_code == 0 and peak_rss == {peak_rss} and wall_clock_time == {wall:?}");
    let (stdout, _) = run_con_duct(&exe, dir.path(), &["ls", "--format", "json", "-e", &filter, "out/run_info.json"]);
    assert_eq!(ls_rows(&stdout).len(), 1, "con-duct ls -e {filter:?} should match: {stdout}");

    // pp
    let (stdout, _) = run_con_duct(&exe, dir.path(), &["pp", "out/run_info.json"]);
    for want in [format!("'command': '{COMMAND}'"), "'exit_code': 0".to_string(), format!("'peak_rss': {peak_rss}")] {
        assert!(stdout.contains(&want), "con-duct pp info.json lacks {want:?}:\n{stdout}");
    }
    let (stdout, _) = run_con_duct(&exe, dir.path(), &["pp", "out/run_usage.jsonl"]);
    assert!(stdout.starts_with("[{"), "pp of usage.jsonl should be a list of reports:\n{stdout}");
    for want in ["'totals'", "'processes'", "'sleep 0.5'"] {
        assert!(stdout.contains(want), "con-duct pp usage.jsonl lacks {want}:\n{stdout}");
    }
    let (stdout, _) = run_con_duct(&exe, dir.path(), &["pp", "-H", "out/run_info.json"]);
    let want = format!("'peak_rss': '{}'", naturalsize(peak_rss as f64));
    assert!(stdout.contains(&want), "con-duct pp -H lacks {want:?}:\n{stdout}");
    assert!(stdout.contains(COMMAND), "con-duct pp -H lacks the command:\n{stdout}");

    // plot (follows info.json's output_paths.usage)
    run_con_duct(&exe, dir.path(), &["plot", "-o", "out/plot.png", "out/run_info.json"]);
    let png = fs::read(dir.join("out/plot.png")).expect("con-duct plot should write out/plot.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "out/plot.png is not a PNG");
    assert!(png.len() > 5_000, "out/plot.png is only {} bytes", png.len());
}

/// With the default prefix (`.duct/logs/{datetime}-{pid}_`), `con-duct ls`
/// without paths finds the run by globbing `.duct/logs/*`.
#[test]
fn con_duct_ls_finds_runs_under_default_prefix() {
    let Some(exe) = con_duct_or_skip() else {
        return;
    };
    let dir = common::TestDir::new();
    run_duct(dir.path(), &["--s-i", "0.1", "--r-i", "0.2", "--", "sleep", "0.3"]);

    let (stdout, _) = run_con_duct(&exe, dir.path(), &["ls", "--format", "json", "-F", "command", "exit_code"]);
    let rows = ls_rows(&stdout);
    assert_eq!(rows.len(), 1, "con-duct ls should find one run in .duct/logs: {stdout}");
    assert_eq!(rows[0]["command"], "sleep 0.3", "{stdout}");
    assert_eq!(rows[0]["exit_code"], "0", "{stdout}");

    // .duct/logs/YYYY.MM.DDTHH.MM.SS-PID_
    let prefix = rows[0]["prefix"].as_str().expect("prefix is a string");
    let stamp = prefix
        .strip_prefix(".duct/logs/")
        .and_then(|p| p.strip_suffix('_'))
        .unwrap_or_else(|| panic!("prefix {prefix:?} is not .duct/logs/…_"));
    let (datetime, pid) = stamp.split_once('-').unwrap_or_else(|| panic!("prefix {prefix:?} has no -PID"));
    let shape: String = datetime.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
    assert_eq!(shape, "9999.99.99T99.99.99", "datetime part of {prefix:?}");
    assert!(!pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()), "pid part of {prefix:?}");
}
