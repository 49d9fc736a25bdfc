//! `con-duct ls`: one row per run from info.json files, as con-duct 0.23.0 prints them.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::filter::Filter;
use super::records::{self, Loaded};
use super::{Error, pyjson, write_out};

/// The fields `-F` and `--sort-by` accept: con-duct's LS_FIELD_CHOICES, in its order.
pub const FIELD_CHOICES: [&str; 45] = [
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

pub const DEFAULT_FIELDS: [&str; 4] = ["command", "exit_code", "wall_clock_time", "peak_rss"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Summaries,
    Json,
    JsonPp,
    Yaml,
}

#[derive(Debug)]
pub struct Options {
    pub format: Format,
    pub fields: Vec<String>,
    pub colors: bool,
    pub paths: Vec<PathBuf>,
    pub eval_filter: Option<String>,
    pub reverse: bool,
    pub sort_by: Vec<String>,
    /// One row per value of this field instead of one per run (see `group`).
    pub group_by: Option<String>,
}

/// con-duct's VALUE_TRANSFORMATION_MAP: how a shown field is turned into text (the other fields stay as they are).
fn transformation(field: &str) -> Option<&'static str> {
    Some(match field {
        "average_pcpu" | "average_pmem" | "peak_pcpu" | "peak_pmem" => "{value:.2f!N}%",
        "average_rss" | "average_vsz" | "memory_total" | "peak_rss" | "peak_vsz" => "{value!S}",
        "end_time" | "start_time" => "{value:.2f!N}",
        "exit_code" => "{value!E}",
        "wall_clock_time" => "{value:.3f} sec",
        _ => return None,
    })
}

pub fn ls(options: &Options) -> Result<(), Error> {
    // The expression is checked before any file is looked at, as con-duct compiles it first.
    let filter = match &options.eval_filter {
        Some(source) => Some(Filter::compile(source).map_err(|e| Error::Usage(format!("--eval-filter: {e}")))?),
        None => None,
    };
    let paths = if options.paths.is_empty() { default_paths() } else { options.paths.clone() };
    let paths: Vec<&PathBuf> = paths.iter().filter(|p| p.to_string_lossy().ends_with("info.json")).collect();
    // A run keeps only what the output, the sort or the grouping looks at: the filter has seen it all.
    let mut wanted: Vec<&str> = vec!["prefix"];
    wanted.extend(options.fields.iter().map(String::as_str));
    wanted.extend(options.sort_by.iter().map(String::as_str));
    if let Some(field) = &options.group_by {
        wanted.extend([field.as_str(), "wall_clock_time", "peak_rss"]);
    }
    let outcomes = read_all(&paths, filter.as_ref(), &wanted);
    // In the order of the paths, as con-duct: its messages, and the first file that cannot be read stops ls.
    let mut runs = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Run(run) => runs.push(run),
            Outcome::Filtered => {}
            Outcome::Left(why) => tracing::debug!("{why}"),
            Outcome::Warned(why) => tracing::warn!("{why}"),
            Outcome::Stop(why) => return Err(Error::Failed(why)),
        }
    }
    if let Some(field) = &options.group_by {
        return write_out(&super::group::render(&runs, field, options.format, options.reverse, options.colors)?);
    }
    if !options.sort_by.is_empty() {
        sort_runs(&mut runs, &options.sort_by);
    }
    // The table's values are plain text (con-duct leaves colouring it to pyout); the other formats take --colors.
    let value_colors = options.colors && options.format != Format::Table;
    let mut rows: Vec<Map<String, Value>> = runs.iter().map(|run| row(run, &options.fields, value_colors)).collect();
    if options.reverse {
        rows.reverse();
    }
    let text = match options.format {
        Format::Summaries => summaries(&rows, "prefix"),
        Format::Json => pyjson::dumps(&Value::Array(rows.into_iter().map(Value::Object).collect()), None) + "\n",
        Format::JsonPp => pyjson::dumps(&Value::Array(rows.into_iter().map(Value::Object).collect()), Some(2)) + "\n",
        Format::Yaml => yaml(rows)?,
        Format::Table => table(&rows, options.colors),
    };
    write_out(&text)
}

/// What became of one path.
enum Outcome {
    Run(Map<String, Value>),
    /// -e said no.
    Filtered,
    /// Left out without a word (logged at DEBUG).
    Left(String),
    Warned(String),
    Stop(String),
}

/// Reads, flattens and filters every path, on a few threads (parsing thousands of records is the cost of ls);
/// the outcomes in the order of the paths.
fn read_all(paths: &[&PathBuf], filter: Option<&Filter>, wanted: &[&str]) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    // Below a few hundred files a thread costs more than it saves.
    let chunk = paths.len().div_ceil(threads).max(256);
    if paths.len() <= chunk {
        return paths.iter().map(|p| read_one(p, filter, wanted)).collect();
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|p| read_one(p, filter, wanted)).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

fn read_one(path: &Path, filter: Option<&Filter>, wanted: &[&str]) -> Outcome {
    let run = match records::load(path) {
        Ok(Loaded::Run(run)) => run,
        Ok(Loaded::Skipped(why)) => return Outcome::Left(why),
        Ok(Loaded::Failed(why)) => return Outcome::Warned(why),
        Err(why) => return Outcome::Stop(why),
    };
    let mut flat = records::flatten(run);
    if let Some(filter) = filter {
        match filter.keep(&flat) {
            Ok(true) => {}
            Ok(false) => return Outcome::Filtered,
            Err(e) => return Outcome::Warned(format!("Failed to load file {}: {e}", path.to_string_lossy())),
        }
    }
    Outcome::Run(wanted.iter().filter_map(|&k| flat.swap_remove_entry(k)).collect())
}

/// With no paths: what matches DUCT_OUTPUT_PREFIX up to its first '{' followed by anything (`.duct/logs/*`).
fn default_paths() -> Vec<PathBuf> {
    let prefix = std::env::var("DUCT_OUTPUT_PREFIX").unwrap_or_else(|_| crate::log_paths::DEFAULT_OUTPUT_PREFIX.into());
    let fixed = prefix.split('{').next().unwrap_or_default();
    let (dir, stem) = match fixed.rfind('/') {
        Some(i) => (&fixed[..=i], &fixed[i + 1..]),
        None => ("", fixed),
    };
    let Ok(entries) = std::fs::read_dir(if dir.is_empty() { "." } else { dir }) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        // A glob's '*' does not match a leading dot.
        .filter(|name| name.starts_with(stem) && (stem.starts_with('.') || !name.starts_with('.')))
        .map(|name| PathBuf::from(format!("{dir}{name}")))
        .collect();
    // glob.glob's order is the directory's; a sorted order is at least the same on every run.
    paths.sort();
    paths
}

/// The prefix, then the asked fields that the run has, each turned into text as con-duct does.
fn row(run: &Map<String, Value>, fields: &[String], colors: bool) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("prefix".into(), run.get("prefix").cloned().unwrap_or(Value::Null));
    for field in fields {
        if field == "prefix" || row.contains_key(field) {
            continue;
        }
        if let Some(value) = run.get(field) {
            let shown = match transformation(field) {
                Some(_) => Value::String(shown(field, value, colors)),
                None => value.clone(),
            };
            row.insert(field.clone(), shown);
        }
    }
    row
}

/// `value` as ls shows `field` (con-duct's transformation of it, or its str()); null is '-'.
pub(super) fn shown(field: &str, value: &Value, colors: bool) -> String {
    match transformation(field) {
        Some(template) => {
            let mut values = Map::new();
            values.insert("value".into(), value.clone());
            crate::summary::render(template, &values, colors)
        }
        None if value.is_null() => "-".into(),
        None => crate::summary::py_str(value),
    }
}

/// `-f summaries`: `Prefix: ...` (the `first` column), then a tab and `Title Case Name: str(value)` per field.
pub(super) fn summaries(rows: &[Map<String, Value>], first: &str) -> String {
    let mut out = String::new();
    for row in rows {
        for (col, value) in row {
            let name = if col == first { col.clone() } else { format!("\t{col}") };
            out.push_str(&title(&name.replace('_', " ")));
            out.push_str(": ");
            out.push_str(&crate::summary::py_str(value));
            out.push('\n');
        }
    }
    out
}

/// Python's `str.title()`: a letter after a non-letter is upper case, the others lower case.
fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_cased = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if previous_cased {
                out.extend(c.to_lowercase())
            } else {
                out.extend(c.to_uppercase())
            }
            previous_cased = true;
        } else {
            out.push(c);
            previous_cased = false;
        }
    }
    out
}

/// `-f yaml`: PyYAML's `yaml.dump(rows, default_flow_style=False)` (keys sorted) and print's newline. The
/// emitter is libyaml's (as PyYAML's is a port of it), so the same data in the same block layout.
pub(super) fn yaml(rows: Vec<Map<String, Value>>) -> Result<String, Error> {
    if rows.is_empty() {
        return Ok("[]\n\n".into());
    }
    // PyYAML sorts the keys of every mapping, nested ones (a gpu entry) too.
    let sorted = sorted_keys(&Value::Array(rows.into_iter().map(Value::Object).collect()));
    let text = serde_yaml_ng::to_string(&sorted).map_err(|e| Error::Failed(format!("cannot write YAML: {e}")))?;
    Ok(text + "\n")
}

/// The table (pyout's in con-duct): upper-case headers, columns as wide as their widest cell, one space apart.
/// On a terminal the headers are bold and, with --colors, values coloured as pyout's style in con-duct does:
/// an exit code green when 0, else red; sizes and percentages red when missing (`-`), else green.
pub(super) fn table(rows: &[Map<String, Value>], colors: bool) -> String {
    let Some(first) = rows.first() else { return String::new() };
    let columns: Vec<&String> = first.keys().collect();
    let cell = |row: &Map<String, Value>, col: &str| row.get(col).map(crate::summary::py_str).unwrap_or_default();
    let cells: Vec<Vec<String>> = rows.iter().map(|row| columns.iter().map(|c| cell(row, c)).collect()).collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| cells.iter().map(|r| r[i].chars().count()).chain([c.chars().count()]).max().unwrap_or(0))
        .collect();
    let terminal = nix::unistd::isatty(std::io::stdout()).unwrap_or(false);
    let colour = |col: &str, text: &str| -> Option<&'static str> {
        if !(terminal && colors) {
            return None;
        }
        let template = transformation(col)?;
        let green = "\x1b[32m";
        let red = "\x1b[31m";
        if template.contains("!E") {
            Some(if text == "0" { green } else { red })
        } else if template.contains("!N") || template.contains("!S") {
            Some(if text.starts_with('-') { red } else { green })
        } else {
            None
        }
    };
    let mut out = String::new();
    let mut line = |texts: &[String], header: bool| {
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let pad = " ".repeat(widths[i].saturating_sub(text.chars().count()));
            let start = if header && terminal {
                Some("\x1b[1m")
            } else if header {
                None
            } else {
                colour(columns[i], text)
            };
            match start {
                Some(code) => out.push_str(&format!("{code}{text}\x1b[0m{pad}")),
                None => out.push_str(&format!("{text}{pad}")),
            }
        }
        out.push('\n');
    };
    let headers: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    line(&headers, true);
    for row in &cells {
        line(row, false);
    }
    out
}

/// `--sort-by`: con-duct's `_sort_run_data`, on the raw values; the prefix breaks the remaining ties.
fn sort_runs(runs: &mut [Map<String, Value>], sort_by: &[String]) {
    for field in sort_by {
        if !runs.is_empty() && runs.iter().all(|run| matches!(sort_key(run.get(field)), Key::Missing)) {
            tracing::warn!("No run has a value for --sort-by field '{field}', it does not affect the ordering.");
        }
    }
    let fields: Vec<&str> = sort_by.iter().map(String::as_str).chain(["prefix"]).collect();
    let mut keyed: Vec<(Vec<Key>, Map<String, Value>)> =
        runs.iter().map(|run| (fields.iter().map(|f| sort_key(run.get(*f))).collect(), run.clone())).collect();
    keyed.sort_by(|a, b| cmp_keys(&a.0, &b.0));
    for (slot, (_, run)) in runs.iter_mut().zip(keyed) {
        *slot = run;
    }
}

/// con-duct's `_sort_key`: numbers, then text, then other values (by their JSON), then no value.
#[derive(Debug)]
enum Key {
    Number(f64),
    Text(Vec<Chunk>),
    Other(Vec<Chunk>),
    Missing,
}

/// A piece of natural-sort text: a digit run compares as a number (up to 18 digits), the rest as text.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    Number(u64),
    Text(String),
}

fn sort_key(value: Option<&Value>) -> Key {
    match value {
        None | Some(Value::Null) => Key::Missing,
        Some(Value::String(s)) if s.is_empty() => Key::Missing,
        Some(Value::String(s)) => Key::Text(natural_chunks(s)),
        Some(Value::Bool(b)) => Key::Number(f64::from(u8::from(*b))),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_nan() => Key::Missing,
            Some(f) => Key::Number(f),
            None => Key::Missing,
        },
        Some(other) => Key::Other(natural_chunks(&pyjson::dumps(&sorted_keys(other), None))),
    }
}

/// `json.dumps(value, sort_keys=True)`'s order.
pub(super) fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut items: Vec<(&String, &Value)> = map.iter().collect();
            items.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(items.into_iter().map(|(k, v)| (k.clone(), sorted_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// ls's order of two values (`--sort-by`'s on one field).
pub(super) fn cmp_values(a: &Value, b: &Value) -> Ordering {
    cmp_keys(&[sort_key(Some(a))], &[sort_key(Some(b))])
}

fn natural_chunks(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits > 0 {
            let run = &rest[..digits];
            chunks.push(match run.parse::<u64>() {
                Ok(n) if run.len() <= 18 => Chunk::Number(n),
                _ => Chunk::Text(run.to_string()),
            });
            rest = &rest[digits..];
        } else {
            let text_end = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
            chunks.push(Chunk::Text(rest[..text_end].to_string()));
            rest = &rest[text_end..];
        }
    }
    chunks
}

fn rank(key: &Key) -> u8 {
    match key {
        Key::Number(_) => 0,
        Key::Text(_) => 1,
        Key::Other(_) => 2,
        Key::Missing => 3,
    }
}

fn cmp_keys(a: &[Key], b: &[Key]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let o = rank(x).cmp(&rank(y)).then_with(|| match (x, y) {
            (Key::Number(p), Key::Number(q)) => p.partial_cmp(q).unwrap_or(Ordering::Equal),
            (Key::Text(p), Key::Text(q)) | (Key::Other(p), Key::Other(q)) => p.cmp(q),
            _ => Ordering::Equal,
        });
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    /// ls reads records generically (con-duct's, older schemas, keys duct does not know), but every key of
    /// the execution summary duct writes for con-duct is one it can show, sort and group by.
    #[test]
    fn every_con_duct_summary_key_is_a_field_choice() {
        for key in crate::info::SUMMARY_KEYS {
            assert!(super::FIELD_CHOICES.contains(key), "{key}");
        }
    }
}
