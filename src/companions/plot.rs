//! `con-duct plot`: con-duct 0.23.0's resource-usage chart, drawn without Python (plotters, with DejaVu
//! Sans embedded so that no system font is needed). What it shows follows con-duct's `plot.py`: faint
//! per-pid traces, the max across pids (solid, a lower bound) and the record's `totals` (dashed, an upper
//! bound), CPU % on the left axis and RSS on the right in decimal units, the host's memory in the legend.

mod series;

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::Value;

pub use series::Cpu;
use series::Usage;

use super::Error;

/// The image's size in pixels (SVG: its viewBox); con-duct's matplotlib default is 640x480 at 100 dpi,
/// too small for a legend of six entries, so this is larger.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 700;

/// matplotlib's tab:orange and tab:blue, the colours con-duct gives CPU and RSS.
const CPU_COLOR: RGBColor = RGBColor(0xff, 0x7f, 0x0e);
const RSS_COLOR: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
/// The per-pid traces are background texture, the envelopes carry the signal (as in con-duct).
const PER_PID_ALPHA: f64 = 0.4;

/// What `con-duct plot` was asked, resolved by the command line.
pub struct Options {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    pub min_ratio: f64,
    pub cpu: Cpu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

/// Draws the chart; returns the usage file it read and where the chart went.
pub fn plot(options: &Options) -> Result<(PathBuf, PathBuf), Error> {
    let (usage_path, info) = resolve(&options.input)?;
    let output = match &options.output {
        Some(o) => o.clone(),
        None => default_output(&usage_path),
    };
    let format = format_of(&output)?;
    let text = std::fs::read_to_string(&usage_path)
        .map_err(|e| Error::Failed(format!("cannot read usage file {}: {e}", usage_path.display())))?;
    let usage = Usage::parse(&text, options.cpu)
        .map_err(|e| Error::Failed(format!("usage file {}: {e}", usage_path.display())))?;
    let chart = Chart {
        usage: &usage,
        cpu: options.cpu,
        min_ratio: options.min_ratio,
        host_memory: info.as_ref().and_then(|i| i.pointer("/system/memory_total")).and_then(Value::as_f64),
        command: info.as_ref().and_then(|i| i.get("command")).and_then(Value::as_str).map(str::to_owned),
    };
    render(&chart, &output, format)?;
    Ok((usage_path, output))
}

/// A chart that can be drawn on either back end.
trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

fn render(chart: &impl Draw, output: &Path, format: Format) -> Result<(), Error> {
    let drawn = match format {
        Format::Png => {
            let root = BitMapBackend::new(output, (WIDTH, HEIGHT)).into_drawing_area();
            chart.draw(&root).and_then(|()| root.present().map_err(|e| e.to_string()))
        }
        Format::Svg => {
            let root = SVGBackend::new(output, (WIDTH, HEIGHT)).into_drawing_area();
            chart.draw(&root).and_then(|()| root.present().map_err(|e| e.to_string()))
        }
    };
    drawn.map_err(|e| Error::Failed(format!("cannot write {}: {e}", output.display())))
}

/// Beyond con-duct (issue 16 item 5): several runs' `totals` on one chart, one colour per run, RSS solid
/// on the right axis and CPU dashed on the left, time from each run's own start. Returns where it went.
pub fn compare(inputs: &[PathBuf], output: Option<&Path>, min_ratio: f64) -> Result<PathBuf, Error> {
    let mut runs = Vec::new();
    for input in inputs {
        let (usage_path, info) = resolve(input)?;
        let text = std::fs::read_to_string(&usage_path)
            .map_err(|e| Error::Failed(format!("cannot read usage file {}: {e}", usage_path.display())))?;
        let usage = Usage::parse(&text, Cpu::PsPcpu)
            .map_err(|e| Error::Failed(format!("usage file {}: {e}", usage_path.display())))?;
        let command = info.as_ref().and_then(|i| i.get("command")).and_then(Value::as_str);
        let label = match command {
            Some(c) => format!("{}: {}", usage_path.display(), shorten(c, 30)),
            None => usage_path.display().to_string(),
        };
        runs.push((label, usage, usage_path));
    }
    let output = match output {
        Some(o) => o.to_path_buf(),
        None => {
            let first = default_output(&runs[0].2);
            first.with_file_name(format!(
                "{}-compare.png",
                first.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            ))
        }
    };
    let format = format_of(&output)?;
    let chart = Compare { runs: runs.into_iter().map(|(l, u, _)| (shorten(&l, 70), u)).collect(), min_ratio };
    render(&chart, &output, format)?;
    Ok(output)
}

/// matplotlib's tab10, the colours con-duct's users know, for telling runs apart.
const RUN_COLORS: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

struct Compare {
    runs: Vec<(String, Usage)>,
    min_ratio: f64,
}

impl Draw for Compare {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        register_font();
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let most = |f: &dyn Fn(&Usage) -> f64| self.runs.iter().map(|(_, u)| f(u)).fold(0.0, f64::max);
        let x_max = most(&|u| u.max_elapsed()).max(1.0);
        let cpu_max = (most(&|u| u.totals_pcpu.iter().map(|p| p.1).fold(0.0, f64::max)) * 1.4).max(1.0);
        let rss_max = (most(&|u| u.totals_rss.iter().map(|p| p.1).fold(0.0, f64::max)) * 1.4).max(1.0);
        let title = format!("Resource usage of {} runs (totals)", self.runs.len());
        let descs = ["Elapsed Time (from each run's start)", "totals pcpu (%), dashed", "totals rss, solid"];
        let mut chart = frame(root, &title, [x_max, cpu_max, rss_max], self.min_ratio, descs)?;
        for (i, (label, u)) in self.runs.iter().enumerate() {
            let color = RUN_COLORS[i % RUN_COLORS.len()];
            chart
                .draw_series(DashedLineSeries::new(u.totals_pcpu.clone(), 8, 5, color.stroke_width(2)))
                .map_err(err)?;
            chart
                .draw_secondary_series(LineSeries::new(u.totals_rss.clone(), color.stroke_width(3)))
                .map_err(err)?
                .label(label.clone())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(3)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// The usage file to read and, when one is at hand, the run's info.json (for the host's memory and the
/// command). As con-duct: an info.json names its usage file, found next to it; a usage file's info.json is
/// its sibling with the usage suffix swapped.
type Frame<'a, DB> = plotters::chart::DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Both charts' frame: the title, elapsed time across, CPU on the left axis and memory on the right, in the
/// units con-duct picks for their ranges (`max`: time, CPU, memory); `descs` names the three axes.
fn frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    max: [f64; 3],
    min_ratio: f64,
    descs: [&str; 3],
) -> Result<Frame<'a, DB>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let [x_max, cpu_max, rss_max] = max;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 24))
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .right_y_label_area_size(90)
        .build_cartesian_2d(0.0..x_max, 0.0..cpu_max)
        .map_err(err)?
        .set_secondary_coord(0.0..x_max, 0.0..rss_max);
    let (tname, tdiv) = pick_unit(x_max, min_ratio, &TIME_UNITS);
    let (sname, sdiv) = pick_unit(rss_max, min_ratio, &SIZE_UNITS);
    chart
        .configure_mesh()
        .x_desc(descs[0])
        .y_desc(descs[1])
        .x_label_formatter(&|x| format!("{:.1}{tname}", x / tdiv))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    chart
        .configure_secondary_axes()
        .y_desc(descs[2])
        .y_label_formatter(&|y| format!("{:.1}{sname}", y / sdiv))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn resolve(input: &Path) -> Result<(PathBuf, Option<Value>), Error> {
    let name = input.to_string_lossy();
    let read_json = |p: &Path| -> Result<Value, String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", p.display()))
    };
    if name.ends_with("info.json") {
        let info = read_json(input).map_err(Error::Failed)?;
        let usage = info
            .pointer("/output_paths/usage")
            .and_then(Value::as_str)
            .and_then(|u| Path::new(u).file_name().map(|n| input.with_file_name(n)))
            .ok_or_else(|| Error::Failed(format!("info file {} has no output_paths.usage", input.display())))?;
        return Ok((usage, Some(info)));
    }
    if !input.exists() {
        return Err(Error::Failed(format!("no such file: {}", input.display())));
    }
    let sibling = ["usage.jsonl", "usage.json"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .map(|prefix| PathBuf::from(format!("{prefix}info.json")));
    let info = sibling.filter(|s| s.exists()).and_then(|s| read_json(&s).ok());
    Ok((input.to_path_buf(), info))
}

/// Without -o the chart goes next to the usage file, named after it (`…_usage.png`).
fn default_output(usage: &Path) -> PathBuf {
    let name = usage.to_string_lossy();
    let stem = [".jsonl", ".json"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(&name);
    PathBuf::from(format!("{stem}.png"))
}

pub fn format_of(output: &Path) -> Result<Format, Error> {
    match output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(Error::Usage(format!(
            "cannot tell the image format of {}: the output must end in .png or .svg",
            output.display()
        ))),
    }
}

const TIME_UNITS: [(&str, f64); 4] = [("s", 1.0), ("min", 60.0), ("h", 3600.0), ("d", 86400.0)];
const SIZE_UNITS: [(&str, f64); 9] = [
    ("B", 1.0),
    ("kB", 1e3),
    ("MB", 1e6),
    ("GB", 1e9),
    ("TB", 1e12),
    ("PB", 1e15),
    ("EB", 1e18),
    ("ZB", 1e21),
    ("YB", 1e24),
];

/// con-duct's HumanizedAxisFormatter.pick_unit: the largest unit the axis span is at least `min_ratio`
/// of; -1 keeps the base unit.
pub fn pick_unit(span: f64, min_ratio: f64, units: &[(&'static str, f64)]) -> (&'static str, f64) {
    if min_ratio == -1.0 {
        return units[0];
    }
    units.iter().copied().rfind(|(_, d)| span / d >= min_ratio).unwrap_or(units[0])
}

/// con-duct's SummaryFormatter.naturalsize (decimal units, "%.1f").
pub fn naturalsize(bytes: f64) -> String {
    let abs = bytes.abs();
    if abs == 1.0 {
        return format!("{} Byte", bytes as i64);
    }
    if abs < 1000.0 {
        return format!("{} Bytes", bytes as i64);
    }
    let (name, d) = SIZE_UNITS[1..].iter().copied().rfind(|(_, d)| abs / d >= 1.0).unwrap_or(SIZE_UNITS[1]);
    format!("{:.1} {name}", bytes / d)
}

struct Chart<'a> {
    usage: &'a Usage,
    cpu: Cpu,
    min_ratio: f64,
    host_memory: Option<f64>,
    command: Option<String>,
}

fn register_font() {
    // Registering twice is harmless; plotters keeps the last one.
    let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
}

impl Draw for Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        register_font();
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(err)?;
        let u = self.usage;
        let x_max = u.max_elapsed().max(1.0);
        // Headroom above the data for the legend, which sits in the upper left as con-duct's does.
        let cpu_max = (u.max_cpu() * 1.4).max(1.0);
        let rss_max = (u.max_rss() * 1.4).max(1.0);
        let title = match &self.command {
            Some(c) => format!("Resource Usage Over Time (per pid): {}", shorten(c, 60)),
            None => "Resource Usage Over Time (per pid)".to_owned(),
        };
        let cpu_label = format!("{} (%)", self.cpu.name());
        let mut chart =
            frame(root, &title, [x_max, cpu_max, rss_max], self.min_ratio, ["Elapsed Time", &cpu_label, "rss"])?;

        let cpu_name = self.cpu.name();
        let rss_name = match self.host_memory {
            Some(m) => format!("rss (host: {})", naturalsize(m)),
            None => "rss".to_owned(),
        };
        let faint = |c: RGBColor| c.mix(PER_PID_ALPHA).stroke_width(2);
        // One polyline per pid and metric; only the first is named in the legend.
        for (i, pid) in u.pids.iter().enumerate() {
            let cpu_points: Vec<(f64, f64)> =
                pid.elapsed.iter().zip(&pid.cpu).filter_map(|(x, v)| v.map(|v| (*x, v))).collect();
            if !cpu_points.is_empty() {
                let s = chart.draw_series(LineSeries::new(cpu_points, faint(CPU_COLOR))).map_err(err)?;
                if i == 0 {
                    s.label(format!("{cpu_name} per pid (faint)"))
                        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], faint(CPU_COLOR)));
                }
            }
            let rss_points: Vec<(f64, f64)> = pid.elapsed.iter().copied().zip(pid.rss.iter().copied()).collect();
            let s = chart.draw_secondary_series(LineSeries::new(rss_points, faint(RSS_COLOR))).map_err(err)?;
            if i == 0 {
                s.label(format!("{rss_name} per pid (faint)"))
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], faint(RSS_COLOR)));
            }
        }
        let solid = |c: RGBColor| c.stroke_width(3);
        let dashed = |c: RGBColor| c.stroke_width(2);
        let (cpu_xs, cpu_max_ys, cpu_sum_ys) = u.envelopes(|p| &p.cpu);
        if !cpu_xs.is_empty() {
            chart
                .draw_series(LineSeries::new(cpu_xs.iter().copied().zip(cpu_max_ys), solid(CPU_COLOR)))
                .map_err(err)?
                .label(format!("{cpu_name} max across pids (lower bound)"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], solid(CPU_COLOR)));
            // ps-cpu-timepoint has no totals to read: the sum across pids is its upper bound (con-duct).
            let upper: Vec<(f64, f64)> = match self.cpu {
                Cpu::PsPcpu => u.totals_pcpu.clone(),
                Cpu::PsCpuTimepoint => cpu_xs.iter().copied().zip(cpu_sum_ys).collect(),
            };
            chart
                .draw_series(DashedLineSeries::new(upper, 8, 5, dashed(CPU_COLOR)))
                .map_err(err)?
                .label(format!("{cpu_name} totals (upper bound)"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], dashed(CPU_COLOR)));
        }
        let (rss_xs, rss_max_ys, _) = u.envelopes_rss();
        if !rss_xs.is_empty() {
            chart
                .draw_secondary_series(LineSeries::new(rss_xs.iter().copied().zip(rss_max_ys), solid(RSS_COLOR)))
                .map_err(err)?
                .label(format!("{rss_name} max across pids (lower bound)"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], solid(RSS_COLOR)));
        }
        if !u.totals_rss.is_empty() {
            chart
                .draw_secondary_series(DashedLineSeries::new(u.totals_rss.clone(), 8, 5, dashed(RSS_COLOR)))
                .map_err(err)?
                .label(format!("{rss_name} totals (upper bound)"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], dashed(RSS_COLOR)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// One line of at most `max` characters: a command's newlines and tabs would be drawn as boxes.
fn shorten(s: &str, max: usize) -> String {
    let one_line: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}...", one_line.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_con_duct() {
        assert_eq!(pick_unit(120.0, 3.0, &TIME_UNITS).0, "s");
        assert_eq!(pick_unit(200.0, 3.0, &TIME_UNITS).0, "min");
        assert_eq!(pick_unit(5e9, 3.0, &SIZE_UNITS).0, "GB");
        assert_eq!(pick_unit(5e9, -1.0, &SIZE_UNITS).0, "B");
        assert_eq!(naturalsize(25276502016.0), "25.3 GB");
        assert_eq!(naturalsize(999.0), "999 Bytes");
    }

    #[test]
    fn output_format_by_extension() {
        assert_eq!(format_of(Path::new("a.PNG")).unwrap(), Format::Png);
        assert_eq!(format_of(Path::new("a.svg")).unwrap(), Format::Svg);
        assert!(matches!(format_of(Path::new("a.jpg")), Err(Error::Usage(_))));
        assert_eq!(default_output(Path::new("d/x_usage.jsonl")), PathBuf::from("d/x_usage.png"));
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("abcdef", 3), "abc...");
    }
}
