//! `con-duct plot` (issue 16 item 4): the chart of a real run, checked as an image. Runs are made here by
//! duct (and by the real Python con-duct 0.23.0, when the suite's virtualenv is there; under CI=true it must
//! be); the charts are decoded (PNG) or read (SVG): size, a plot area that is not blank, CPU's orange and
//! RSS's blue, and one faint trace per process.
// Its helpers sit outside #[test] functions; a broken set-up should stop the test where it was found.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{TestDir, duct, our_con_duct, output_with_timeout};

const T: Duration = Duration::from_secs(120);
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 700;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn plot(dir: &Path, args: &[&str]) -> Output {
    output_with_timeout(our_con_duct(dir).arg("plot").args(args), T)
}

/// A real run with several processes that live for a few samples, one of them busy (so that CPU is not 0).
const RUN: &str = "sleep 1.2 & sleep 1.5 & yes >/dev/null & sleep 1.3; kill $!; wait";

fn real_run(dir: &Path) {
    let out = output_with_timeout(duct(dir).args(["-p", "r/", "--s-i", "0.1", "--r-i", "0.3", "sh", "-c", RUN]), T);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// The pids usage.jsonl names, as con-duct's plot draws one trace for each.
fn pids(usage: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(usage).expect("usage.jsonl");
    let mut pids = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("usage line");
        pids.extend(v["processes"].as_object().expect("processes").keys().cloned());
    }
    pids
}

/// The SVG's text contents (plotters puts each on a line of its own between its tags).
fn texts(svg: &str) -> Vec<String> {
    svg.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('<')).map(str::to_owned).collect()
}

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

fn decode_png(path: &Path) -> Image {
    let decoder = png::Decoder::new(fs::File::open(path).expect("open png"));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a valid PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb, "plotters writes RGB");
    buf.truncate(info.buffer_size());
    Image { width: info.width, height: info.height, rgb: buf }
}

impl Image {
    /// Pixels in the inner part of the chart (away from the axis labels and the title) that are close to `c`.
    fn near(&self, c: [u8; 3], tol: i32) -> usize {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut n = 0;
        for y in h / 8..h * 7 / 8 {
            for x in w / 10..w * 9 / 10 {
                let p = &self.rgb[(y * w + x) * 3..(y * w + x) * 3 + 3];
                if (0..3).all(|i| (p[i] as i32 - c[i] as i32).abs() <= tol) {
                    n += 1;
                }
            }
        }
        n
    }
}

const ORANGE: [u8; 3] = [0xff, 0x7f, 0x0e];
const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];

#[test]
fn png_of_a_real_run_without_o_goes_next_to_it_and_shows_cpu_and_rss() {
    let dir = TestDir::new();
    real_run(dir.path());
    let out = plot(dir.path(), &["r/info.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("to output r/usage.png"), "says where: {stderr}");
    let img = decode_png(&dir.join("r/usage.png"));
    assert_eq!((img.width, img.height), (WIDTH, HEIGHT));
    let white = img.near([255, 255, 255], 0);
    let area = (img.width as usize * 8 / 10) * (img.height as usize * 6 / 8);
    assert!(white < area * 97 / 100, "the plot area is not blank ({white} of {area} white)");
    // The solid envelopes are drawn in the metric's full colour.
    assert!(img.near(ORANGE, 8) > 200, "CPU trace (orange): {}", img.near(ORANGE, 8));
    assert!(img.near(BLUE, 8) > 200, "RSS trace (blue): {}", img.near(BLUE, 8));
}

#[test]
fn svg_has_one_faint_trace_per_process_envelopes_axes_legend_and_title() {
    let dir = TestDir::new();
    real_run(dir.path());
    let out = plot(dir.path(), &["r/usage.jsonl", "-o", "chart.svg"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let svg = fs::read_to_string(dir.join("chart.svg")).expect("svg written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "a whole SVG document");
    assert!(svg.contains(&format!("width=\"{WIDTH}\"")) && svg.contains(&format!("height=\"{HEIGHT}\"")));
    let n = pids(&dir.join("r/usage.jsonl")).len();
    assert!(n >= 3, "sh and its two sleeps were sampled: {n}");
    let polylines = |stroke: &str, extra: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{stroke}\"")) && l.contains(extra))
            .count()
    };
    // One faint RSS line per pid plus the legend's sample of it (every pid has RSS; CPU likewise in ps-pcpu).
    assert_eq!(polylines("#1F77B4", "opacity=\"0.4\""), n + 1, "{svg}");
    assert_eq!(polylines("#FF7F0E", "opacity=\"0.4\""), n + 1);
    // Max across pids: solid and thick, once on the chart and once in the legend.
    assert_eq!(polylines("#1F77B4", "stroke-width=\"3\""), 2);
    assert_eq!(polylines("#FF7F0E", "stroke-width=\"3\""), 2);
    // Totals: dashed, many short segments.
    assert!(polylines("#1F77B4", "stroke-width=\"2\"") > 3);
    let texts = texts(&svg);
    for label in [
        "Elapsed Time",
        "ps-pcpu (%)",
        "rss",
        "Resource Usage Over Time (per pid): sh -c sleep 1.2 &amp; sleep 1.5 &amp; yes",
        "max across pids (lower bound)",
        "totals (upper bound)",
    ] {
        assert!(texts.iter().any(|t| t.contains(label)), "{label} in the chart: {texts:?}");
    }
    // The host's memory (info.json found next to the usage file), in decimal units.
    let info: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("r/info.json")).expect("info")).expect("json");
    let gb = info["system"]["memory_total"].as_f64().expect("memory_total") / 1e9;
    let host = format!("rss (host: {gb:.1} GB)");
    assert!(texts.iter().any(|t| t.starts_with(&host)), "host memory in the legend: {host}");
    // Time in seconds for a run this short, sizes with decimal units on the right axis.
    assert!(texts.iter().any(|t| t == "0.0s"), "time ticks: {texts:?}");
    assert!(texts.iter().any(|t| t.ends_with("MB") || t.ends_with("kB")), "size ticks in decimal units");
}

#[test]
fn timepoint_cpu_and_base_units() {
    let dir = TestDir::new();
    real_run(dir.path());
    let out = plot(dir.path(), &["r/info.json", "--cpu", "ps-cpu-timepoint", "--min-ratio", "-1", "-o", "t.svg"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let svg = fs::read_to_string(dir.join("t.svg")).expect("svg");
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "ps-cpu-timepoint (%)"), "{texts:?}");
    // -1 keeps base units: bytes on the right axis, seconds below.
    assert!(texts.iter().any(|t| t.ends_with(".0B")), "{texts:?}");
    assert!(!texts.iter().any(|t| t.ends_with("MB") || t.ends_with("kB")), "{texts:?}");
}

#[test]
fn a_run_by_the_real_con_duct_plots() {
    let Some(py) = common::con_duct() else {
        assert!(!common::require("Python con-duct 0.23.0 (target/con-duct-venv)", false));
        return;
    };
    let dir = TestDir::new();
    let mut cmd = Command::new(py);
    cmd.current_dir(dir.path()).stdin(Stdio::null());
    common::isolate_env(&mut cmd, dir.path());
    cmd.args(["run", "-p", "py/", "--s-i", "0.1", "--r-i", "0.3", "sh", "-c", "sleep 1 & sleep 1.2; wait"]);
    let out = output_with_timeout(&mut cmd, T);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = plot(dir.path(), &["py/usage.jsonl", "-o", "py.png"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let img = decode_png(&dir.join("py.png"));
    assert_eq!((img.width, img.height), (WIDTH, HEIGHT));
    assert!(img.near(BLUE, 8) > 200);
}

/// Bad input: one line (a `duct:` line; INFO lines are silenced with -l NONE), a documented exit code
/// (1: a file missing or unreadable or not JSON, an image that cannot be written; 2: an output that is
/// neither .png nor .svg), never a panic.
#[test]
fn bad_input_is_one_line_and_a_documented_exit() {
    let dir = TestDir::new();
    fs::write(dir.join("garbage_usage.jsonl"), "{\"timestamp\": \"x\"\nnot json\n").expect("write");
    fs::write(dir.join("garbage_info.json"), "[1, 2").expect("write");
    fs::write(dir.join("noout_info.json"), "{\"command\": \"x\"}").expect("write");
    fs::write(dir.join("nots_usage.jsonl"), "{\"totals\": {}}\n").expect("write");
    fs::write(dir.join("ok_usage.jsonl"), "").expect("write");
    let cases: [(&[&str], i32, &str); 8] = [
        (&["missing_usage.jsonl"], 1, "missing_usage.jsonl"),
        (&["missing_info.json"], 1, "missing_info.json"),
        (&["garbage_usage.jsonl", "-o", "g.png"], 1, "not JSON"),
        (&["garbage_info.json"], 1, "not JSON"),
        (&["noout_info.json"], 1, "output_paths.usage"),
        (&["nots_usage.jsonl", "-o", "n.svg"], 1, "timestamp"),
        (&["ok_usage.jsonl", "-o", "chart.jpg"], 2, ".png or .svg"),
        (&["ok_usage.jsonl", "-o", "no/such/dir/c.png"], 1, "cannot write"),
    ];
    for (args, code, says) in cases {
        let out = plot(dir.path(), &[&["-l", "NONE"][..], args].concat());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // An empty usage file (a command shorter than a sample) is an empty chart, not an error.
    let out = plot(dir.path(), &["ok_usage.jsonl", "-o", "empty.png"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(decode_png(&dir.join("empty.png")).width, WIDTH);
}

/// Beyond con-duct (issue 16 item 5): several runs' totals on one chart, one colour per run, each named in
/// the legend; without -o it goes next to the first run's usage file.
#[test]
fn several_runs_totals_on_one_chart() {
    let dir = TestDir::new();
    for (prefix, cmd) in [("a/", "sleep 0.6"), ("b/", RUN)] {
        let out = output_with_timeout(
            duct(dir.path()).args(["-p", prefix, "--s-i", "0.1", "--r-i", "0.3", "sh", "-c", cmd]),
            T,
        );
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    }
    let out = plot(dir.path(), &["a/info.json", "b/usage.jsonl", "-o", "cmp.svg"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let svg = fs::read_to_string(dir.join("cmp.svg")).expect("svg");
    let texts = texts(&svg);
    assert!(texts.iter().any(|t| t == "Resource usage of 2 runs (totals)"), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("a/usage.jsonl: sh -c sleep 0.6")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("b/usage.jsonl: sh -c sleep 1.2")), "{texts:?}");
    // Each run's RSS totals: a thick solid line in its own colour, on the chart and in the legend.
    for color in ["#1F77B4", "#FF7F0E"] {
        let n = svg
            .lines()
            .filter(|l| {
                l.starts_with("<polyline")
                    && l.contains(&format!("stroke=\"{color}\""))
                    && l.contains("stroke-width=\"3\"")
            })
            .count();
        assert_eq!(n, 2, "{color}");
    }
    let out = plot(dir.path(), &["a/info.json", "b/info.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(text(&out.stderr).contains("to output a/usage-compare.png"), "{out:?}");
    assert_eq!(decode_png(&dir.join("a/usage-compare.png")).width, WIDTH);
    // One bad file among them: one line, exit 1.
    let out = plot(dir.path(), &["-l", "NONE", "a/info.json", "missing_info.json"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(text(&out.stderr).lines().count(), 1, "{out:?}");
}
