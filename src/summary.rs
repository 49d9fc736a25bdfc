//! The end-of-run summary, formatted the way con-duct 0.23.0's `SummaryFormatter` does it.
//!
//! con-duct renders its summary with a subclass of Python's `string.Formatter`, and users
//! can pass their own template with `--summary-format`. People write those templates
//! against con-duct's behaviour: Python's side of it (the template parser, `format()`,
//! `str()`/`repr()`) is the `pyfmt` crate; this module is con-duct's side: its default
//! template, its custom conversions (`!S !E !X !N !P !T !D`) and their quirks, and the
//! check of a user's template against the summary's field names.
//!
//! Where con-duct would crash with a traceback (unknown placeholder, unknown conversion,
//! a conversion fed a value it cannot handle), we either reject the template up front in
//! [`validate`] or, at render time, log a warning and fall back to plain `str()`, because
//! the summary is printed after the user's command has already run and must not lose
//! the run's exit code to a formatting problem.

use chrono::{Datelike, TimeZone, Timelike};
use pyfmt::float::{floordiv, int_text, modulo};
use pyfmt::parse::syntax;
use pyfmt::{Formatter as _, Piece, PyVal, format_fixed};
use serde_json::{Map, Value};

/// con-duct's default summary template (EXECUTION_SUMMARY_FORMAT), verbatim.
pub const DEFAULT_SUMMARY_FORMAT: &str = "Summary:\n\
Exit Code: {exit_code!E}\n\
Command: {command}\n\
Log files location: {logs_prefix}\n\
Wall Clock Time: {wall_clock_time:.3f} sec\n\
Memory Peak Usage (RSS): {peak_rss!S}\n\
Memory Average Usage (RSS): {average_rss!S}\n\
Virtual Memory Peak Usage (VSZ): {peak_vsz!S}\n\
Virtual Memory Average Usage (VSZ): {average_vsz!S}\n\
Memory Peak Percentage: {peak_pmem:.2f!N}%\n\
Memory Average Percentage: {average_pmem:.2f!N}%\n\
CPU Peak Usage: {peak_pcpu:.2f!N}%\n\
Average CPU Usage: {average_pcpu:.2f!N}%\n";

/// Error in a user's template: unknown placeholder, unbalanced brace, unknown conversion. Message is one line, for people.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The template is not valid `str.format` syntax (stray brace, unterminated field, ...).
    /// `position` is the 1-based character index of the offending brace or field.
    #[error("invalid summary format at character {position}: {message}")]
    Syntax { position: usize, message: String },
    /// A placeholder that names no summary field (or uses positional/attribute syntax).
    #[error("unknown placeholder {{{name}}} in summary format{hint}")]
    UnknownPlaceholder { name: String, hint: String },
    /// A `!X` conversion that neither con-duct nor Python defines.
    #[error(
        "unknown conversion !{conversion} in summary format placeholder {{{field}}} \
         (known: !S !E !X !N !P !T !D !r !s !a)"
    )]
    UnknownConversion { field: String, conversion: String },
}

impl From<pyfmt::SyntaxError> for TemplateError {
    fn from(err: pyfmt::SyntaxError) -> Self {
        TemplateError::Syntax { position: err.position, message: err.message }
    }
}

/// Check a template once at start-up (so a bad --summary-format is a usage error before the command runs).
pub fn validate(template: &str, known_keys: &[&str]) -> Result<(), TemplateError> {
    validate_level(template, 0, pyfmt::MAX_RECURSION, known_keys)
}

/// Render. `values` is the execution_summary JSON object (keys: exit_code, command, logs_prefix, wall_clock_time, peak_rss, average_rss, peak_vsz, average_vsz, peak_pmem, average_pmem, peak_pcpu, average_pcpu, num_samples, num_reports, start_time, end_time, working_directory; any value may be null). Never panics for any input.
pub fn render(template: &str, values: &Map<String, Value>, colors: bool) -> String {
    let formatter = SummaryFormatter { values, colors };
    match formatter.vformat(template) {
        Ok(text) => text,
        Err(err) => {
            // Callers are expected to have run `validate`; if they did not, showing the
            // template is more useful than showing nothing.
            let err = match err {
                pyfmt::Error::Syntax(err) => TemplateError::from(err).to_string(),
                pyfmt::Error::Value(message) => message,
            };
            tracing::warn!("cannot render summary: {err}; printing the template verbatim");
            template.to_string()
        }
    }
}

/// Python's `str()` of a JSON value as `json.load` gives it (`None`, `True`, `[{'a': 1}]`, floats as `repr`).
pub fn py_str(value: &Value) -> String {
    from_json(value).to_str()
}

/// Python's `repr()` of a JSON value as `json.load` gives it.
pub fn py_repr(value: &Value) -> String {
    from_json(value).repr()
}

/// Python's `repr()` of a str.
pub fn py_str_repr(text: &str) -> String {
    pyfmt::str_repr(text, false)
}

/// Python's `repr()` of a float.
pub fn py_float_repr(value: f64) -> String {
    pyfmt::float_repr(value)
}

/// The Python object `json.load` makes of a JSON value.
fn from_json(value: &Value) -> PyVal {
    match value {
        Value::Null => PyVal::None,
        Value::Bool(b) => PyVal::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                PyVal::Int(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                PyVal::Int(i128::from(u))
            } else {
                PyVal::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => PyVal::Str(s.clone()),
        Value::Array(items) => PyVal::List(items.iter().map(from_json).collect()),
        Value::Object(map) => PyVal::Dict(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    }
}

const NONE_TEXT: &str = "-";
const RED: u8 = 31;
const GREEN: u8 = 32;

// ---------------------------------------------------------------------------------------
// Checking a template up front
// ---------------------------------------------------------------------------------------

/// con-duct's `format_field` treats `{x:spec!C}` as "format with spec, then convert with
/// C", but only when the first `!` is past the second character (so `{x:!<5}` still
/// means fill with `!`). Returns (spec, conversion).
fn split_spec_conversion(spec: &str) -> (&str, Option<&str>) {
    match spec.char_indices().find(|&(_, c)| c == '!') {
        Some((byte_index, _)) if spec.get(..byte_index).unwrap_or_default().chars().count() > 1 => {
            let head = spec.get(..byte_index).unwrap_or_default();
            let tail = spec.get(byte_index + 1..).unwrap_or_default();
            (head, Some(tail))
        }
        _ => (spec, None),
    }
}

fn is_known_conversion(c: char) -> bool {
    matches!(c, 'S' | 'E' | 'X' | 'N' | 'P' | 'T' | 'D' | 'r' | 's' | 'a')
}

/// Makes user-supplied text safe to embed in a one-line error message.
fn one_line(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() { c.escape_debug().collect() } else { vec![c] };
            escaped
        })
        .collect()
}

fn validate_level(template: &str, offset: usize, depth: i32, known: &[&str]) -> Result<(), TemplateError> {
    if depth < 0 {
        return Err(syntax(
            offset,
            "placeholders nested too deeply (a format spec may contain placeholders, \
             but theirs may not)",
        )
        .into());
    }
    for piece in pyfmt::parse(template, offset)? {
        let Piece::Field(field) = piece else { continue };
        check_name(&field.name, known)?;
        if let Some(c) = field.conversion
            && !is_known_conversion(c)
        {
            return Err(TemplateError::UnknownConversion {
                field: one_line(&field.name),
                conversion: one_line(&c.to_string()),
            });
        }
        validate_level(&field.spec, field.spec_offset, depth - 1, known)?;
        // The trailing `!C` of a spec can only be checked when the spec is fixed text;
        // with nested placeholders it depends on their values, and render copes.
        let literal_spec: Option<String> = pyfmt::parse(&field.spec, field.spec_offset)?
            .into_iter()
            .map(|p| match p {
                Piece::Literal(s) => Some(s),
                Piece::Field(_) => None,
            })
            .collect();
        if let Some(spec) = literal_spec
            && let (_, Some(conversion)) = split_spec_conversion(&spec)
        {
            let mut chars = conversion.chars();
            let ok = match (chars.next(), chars.next()) {
                (None, _) => true,
                (Some(c), None) => is_known_conversion(c),
                _ => false,
            };
            if !ok {
                return Err(TemplateError::UnknownConversion {
                    field: one_line(&field.name),
                    conversion: one_line(conversion),
                });
            }
        }
    }
    Ok(())
}

fn check_name(name: &str, known: &[&str]) -> Result<(), TemplateError> {
    let known_list = || known.join(", ");
    let first = name.split(['.', '[']).next().unwrap_or_default();
    if first.is_empty() || first.chars().all(|c| c.is_ascii_digit()) {
        return Err(TemplateError::UnknownPlaceholder {
            name: one_line(name),
            hint: format!(" (positional placeholders are not supported; use one of: {})", known_list()),
        });
    }
    if !known.contains(&first) {
        return Err(TemplateError::UnknownPlaceholder {
            name: one_line(name),
            hint: format!(" (known: {})", known_list()),
        });
    }
    if first != name {
        return Err(TemplateError::UnknownPlaceholder {
            name: one_line(name),
            hint: format!(" (attribute and index access are not supported; use {{{first}}})"),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// con-duct's SummaryFormatter
// ---------------------------------------------------------------------------------------

struct SummaryFormatter<'a> {
    values: &'a Map<String, Value>,
    colors: bool,
}

impl pyfmt::Formatter for SummaryFormatter<'_> {
    /// A placeholder with no value (missing key, positional or attribute syntax that
    /// `validate` would have rejected) renders like a null value instead of failing.
    fn get_value(&self, name: &str) -> Result<PyVal, String> {
        Ok(self.values.get(name).map_or(PyVal::None, from_json))
    }

    fn convert_field(&self, value: PyVal, conversion: char) -> Result<PyVal, String> {
        Ok(self.convert_or_keep(value, &conversion.to_string()))
    }

    fn format_field(&self, value: PyVal, spec: &str) -> Result<String, String> {
        Ok(self.format_or_str(value, spec))
    }
}

impl SummaryFormatter<'_> {
    /// con-duct's `SummaryFormatter.format_field`.
    fn format_or_str(&self, value: PyVal, spec: &str) -> String {
        if value == PyVal::None {
            return NONE_TEXT.to_string();
        }
        let (spec, conversion) = split_spec_conversion(spec);
        let formatted = match pyfmt::format(&value, spec) {
            Ok(text) => text,
            Err(err) => {
                tracing::warn!("Falling back to `str` formatting for {} due to exception: {}", value.repr(), err);
                return value.to_str();
            }
        };
        match conversion {
            Some(c) if !c.is_empty() => self.convert_or_keep(PyVal::Str(formatted), c).to_str(),
            _ => formatted,
        }
    }

    fn convert_or_keep(&self, value: PyVal, conversion: &str) -> PyVal {
        match self.convert(&value, conversion) {
            Ok(converted) => converted,
            Err(err) => {
                // con-duct would raise here and lose the whole summary.
                tracing::warn!(
                    "summary conversion !{} failed for {}: {}; showing it unconverted",
                    conversion,
                    value.repr(),
                    err
                );
                value
            }
        }
    }

    /// con-duct's `SummaryFormatter.convert_field`.
    fn convert(&self, value: &PyVal, conversion: &str) -> Result<PyVal, String> {
        let none = || self.color_word(PyVal::Str(NONE_TEXT.to_string()), RED);
        let is_none = *value == PyVal::None;
        let converted = match conversion {
            "S" if is_none => none(),
            "S" => self.color_word(PyVal::Str(naturalsize(value.to_float()?)), GREEN),
            "E" => {
                let color = if is_none || value.truthy() { RED } else { GREEN };
                let shown = if is_none { PyVal::Str(NONE_TEXT.to_string()) } else { value.clone() };
                self.color_word(shown, color)
            }
            "X" => {
                let color = if value.truthy() { GREEN } else { RED };
                let shown = if is_none { PyVal::Str(NONE_TEXT.to_string()) } else { value.clone() };
                self.color_word(shown, color)
            }
            "N" if is_none => none(),
            "N" => self.color_word(value.clone(), GREEN),
            "P" if is_none => none(),
            "P" => PyVal::Str(format!("{}%", format_fixed(value.to_float()?, 2))),
            "T" if is_none => none(),
            "T" => PyVal::Str(format_duration(value.to_float()?)?),
            "D" if is_none => none(),
            "D" => {
                let epoch = value.to_float();
                let text = epoch.ok().and_then(|t| format_epoch(t, &chrono::Local)).unwrap_or_else(|| value.to_str());
                PyVal::Str(text)
            }
            "s" => PyVal::Str(value.to_str()),
            "r" => PyVal::Str(value.repr()),
            "a" => PyVal::Str(value.ascii()),
            other => return Err(format!("Unknown conversion specifier {other}")),
        };
        Ok(converted)
    }

    /// con-duct's `color_word`: without colors the object passes through untouched,
    /// so a later format spec still sees an int, not its string.
    fn color_word(&self, value: PyVal, color: u8) -> PyVal {
        if self.colors { PyVal::Str(format!("\x1b[1;{color}m{}\x1b[0m", value.to_str())) } else { value }
    }
}

/// con-duct's `naturalsize` with its default `%.1f`: decimal units, and "Byte"/"Bytes"
/// below 1000 printed with `%d` (which truncates).
fn naturalsize(bytes: f64) -> String {
    const UNITS: [(&str, f64); 8] =
        [("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("PB", 1e15), ("EB", 1e18), ("ZB", 1e21), ("YB", 1e24)];
    let abs = bytes.abs();
    if abs == 1.0 {
        return format!("{} Byte", bytes.trunc() as i64);
    }
    if abs < 1000.0 {
        return format!("{} Bytes", bytes.trunc() as i64);
    }
    let mut unit = ("kB", 1e3);
    for candidate in UNITS {
        if abs / candidate.1 >= 1.0 {
            unit = candidate;
        }
    }
    format!("{} {}", format_fixed(bytes / unit.1, 1), unit.0)
}

/// con-duct's `_format_duration`, including Python's float `//` and `%` semantics.
fn format_duration(value: f64) -> Result<String, String> {
    if value >= 3600.0 {
        let hours = int_text(floordiv(value, 3600.0))?;
        let minutes = int_text(floordiv(modulo(value, 3600.0), 60.0))?;
        let seconds = modulo(value, 60.0);
        Ok(format!("{hours}h {minutes}m {}s", format_fixed(seconds, 1)))
    } else if value >= 60.0 {
        let minutes = int_text(floordiv(value, 60.0))?;
        let seconds = modulo(value, 60.0);
        Ok(format!("{minutes}m {}s", format_fixed(seconds, 1)))
    } else {
        Ok(format!("{}s", format_fixed(value, 2)))
    }
}

/// `datetime.fromtimestamp(t).strftime("%b %d, %Y %I:%M %p")`, or None where Python
/// raises ValueError/OSError/OverflowError (con-duct then shows `str(value)`).
fn format_epoch<Tz: TimeZone>(timestamp: f64, tz: &Tz) -> Option<String> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    if !timestamp.is_finite() || timestamp.abs() > 1e14 {
        return None;
    }
    // Python rounds the fraction to microseconds, half to even, before converting.
    let mut seconds = timestamp.trunc();
    let mut micros = ((timestamp - seconds) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        seconds += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        seconds -= 1.0;
    }
    let nanos = (micros as u32).checked_mul(1000)?;
    let seconds = seconds as i64;
    let dt = tz.timestamp_opt(seconds, nanos).earliest()?;
    // Python also probes the local time one day earlier (fold detection) and fails if
    // that lands before year 1.
    let probe = tz.timestamp_opt(seconds.checked_sub(86_400)?, 0).earliest()?;
    if !(1..=9999).contains(&dt.year()) || probe.year() < 1 {
        return None;
    }
    let month = MONTHS.get(dt.month0() as usize)?;
    let (pm, hour) = dt.hour12();
    // glibc's %Y does not zero-pad years below 1000, and Python defers to it.
    Some(format!(
        "{month} {:02}, {} {:02}:{:02} {}",
        dt.day(),
        dt.year(),
        hour,
        dt.minute(),
        if pm { "PM" } else { "AM" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = crate::info::SUMMARY_KEYS;

    /// The execution_summary from the "Real output" run in con-duct-reference.md §2.3/§2.4.
    const REAL_SUMMARY: &str = r#"{"exit_code": 0, "command": "python3 work.py",
        "logs_prefix": ".duct/logs/2026.11.25T06.08.58-7095_", "wall_clock_time": 4.7384185791015625,
        "peak_rss": 342945792, "average_rss": 277907865.6, "peak_vsz": 348749824, "average_vsz": 290793472.0,
        "peak_pmem": 1.2000000000000002, "average_pmem": 0.9700000000000002,
        "peak_pcpu": 192.89999999999998, "average_pcpu": 135.32999999999998,
        "num_samples": 10, "num_reports": 6,
        "start_time": 1795586938.579589, "end_time": 1795586943.3180075,
        "working_directory": "$T/ductrun"}"#;

    fn values(json: &str) -> Map<String, Value> {
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(map)) => map,
            other => panic!("test JSON is not an object: {other:?}"),
        }
    }

    fn null_values() -> Map<String, Value> {
        KNOWN.iter().map(|k| ((*k).to_string(), Value::Null)).collect()
    }

    #[test]
    fn default_format_is_con_ducts_verbatim() {
        let expected = concat!(
            "Summary:\n",
            "Exit Code: {exit_code!E}\n",
            "Command: {command}\n",
            "Log files location: {logs_prefix}\n",
            "Wall Clock Time: {wall_clock_time:.3f} sec\n",
            "Memory Peak Usage (RSS): {peak_rss!S}\n",
            "Memory Average Usage (RSS): {average_rss!S}\n",
            "Virtual Memory Peak Usage (VSZ): {peak_vsz!S}\n",
            "Virtual Memory Average Usage (VSZ): {average_vsz!S}\n",
            "Memory Peak Percentage: {peak_pmem:.2f!N}%\n",
            "Memory Average Percentage: {average_pmem:.2f!N}%\n",
            "CPU Peak Usage: {peak_pcpu:.2f!N}%\n",
            "Average CPU Usage: {average_pcpu:.2f!N}%\n",
        );
        assert_eq!(DEFAULT_SUMMARY_FORMAT, expected);
        assert!(validate(DEFAULT_SUMMARY_FORMAT, KNOWN).is_ok());
    }

    #[test]
    fn default_format_matches_real_con_duct_run() {
        let out = render(DEFAULT_SUMMARY_FORMAT, &values(REAL_SUMMARY), false);
        let expected = "Summary:
Exit Code: 0
Command: python3 work.py
Log files location: .duct/logs/2026.11.25T06.08.58-7095_
Wall Clock Time: 4.738 sec
Memory Peak Usage (RSS): 342.9 MB
Memory Average Usage (RSS): 277.9 MB
Virtual Memory Peak Usage (VSZ): 348.7 MB
Virtual Memory Average Usage (VSZ): 290.8 MB
Memory Peak Percentage: 1.20%
Memory Average Percentage: 0.97%
CPU Peak Usage: 192.90%
Average CPU Usage: 135.33%
";
        assert_eq!(out, expected);
    }

    #[test]
    fn default_format_all_null() {
        let plain = render(DEFAULT_SUMMARY_FORMAT, &null_values(), false);
        assert_eq!(
            plain,
            "Summary:\nExit Code: -\nCommand: -\nLog files location: -\nWall Clock Time: - sec\n\
             Memory Peak Usage (RSS): -\nMemory Average Usage (RSS): -\n\
             Virtual Memory Peak Usage (VSZ): -\nVirtual Memory Average Usage (VSZ): -\n\
             Memory Peak Percentage: -%\nMemory Average Percentage: -%\nCPU Peak Usage: -%\n\
             Average CPU Usage: -%\n"
        );
        // con-duct colours the dash only where a conversion saw the None: `{x!S}` and
        // `{x!E}` do, while `{x:.2f!N}` short-circuits on None before converting.
        let red = "\x1b[1;31m-\x1b[0m";
        let colored = render(DEFAULT_SUMMARY_FORMAT, &null_values(), true);
        assert!(colored.contains(&format!("Exit Code: {red}\n")));
        assert!(colored.contains(&format!("Memory Peak Usage (RSS): {red}\n")));
        assert!(colored.contains("Memory Peak Percentage: -%\n"));
        assert!(colored.contains("Wall Clock Time: - sec\n"));
    }

    #[test]
    fn empty_values_map_renders_dashes() {
        let out = render(DEFAULT_SUMMARY_FORMAT, &Map::new(), false);
        assert!(out.starts_with("Summary:\nExit Code: -\nCommand: -\n"));
    }

    #[test]
    fn colors_wrap_exactly_like_con_duct() {
        let mut v = values(REAL_SUMMARY);
        v.insert("exit_code".into(), Value::from(3));
        let out = render("{exit_code!E} {peak_rss!S} {peak_pmem:.2f!N}", &v, true);
        assert_eq!(out, "\x1b[1;31m3\x1b[0m \x1b[1;32m342.9 MB\x1b[0m \x1b[1;32m1.20\x1b[0m");
    }

    /// Cases written by tests/data/con_duct_summary_parity.py from con-duct 0.23.0's own
    /// `SummaryFormatter(enable_colors=colors).format(template, **values)`, where `values`
    /// is the file's `base` updated with the case's `overrides`.
    const PARITY: &str = include_str!("../tests/data/con_duct_summary_parity.json");

    #[test]
    fn matches_con_duct_0_23_0_output() {
        let doc: Value = serde_json::from_str(PARITY).unwrap();
        let base = doc["base"].as_object().unwrap();
        let cases = doc["cases"].as_array().unwrap();
        assert!(cases.len() >= 111, "only {} cases in the parity file", cases.len());
        let mut failures = Vec::new();
        for case in cases {
            let template = case["template"].as_str().unwrap();
            let colors = case["colors"].as_bool().unwrap();
            let expected = case["expected"].as_str().unwrap();
            let mut values = base.clone();
            values.extend(case["overrides"].as_object().unwrap().clone());
            let got = render(template, &values, colors);
            if got != expected {
                failures.push(format!(
                    "template {template:?} overrides {}\n   want {expected:?}\n    got {got:?}",
                    case["overrides"]
                ));
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    }

    /// Expected strings from con-duct 0.23.0 run with TZ=UTC.
    #[test]
    fn epoch_conversion_matches_python_in_utc() {
        let cases: &[(f64, Option<&str>)] = &[
            (1795586938.579589, Some("Nov 25, 2026 06:08 AM")),
            (0.0, Some("Jan 01, 1970 12:00 AM")),
            (1700000000.0, Some("Nov 14, 2023 10:13 PM")),
            (1700000399.9999995, Some("Nov 14, 2023 10:20 PM")),
            (43200.0, Some("Jan 01, 1970 12:00 PM")),
            (-86400.5, Some("Dec 30, 1969 11:59 PM")),
            (253402300799.0, Some("Dec 31, 9999 11:59 PM")),
            // Python raises (year out of range) and con-duct then prints str(value).
            (1e12, None),
            (253402300800.0, None),
            (-62135596800.0, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
        ];
        for (timestamp, expected) in cases {
            assert_eq!(format_epoch(*timestamp, &chrono::Utc).as_deref(), *expected, "timestamp {timestamp}");
        }
    }

    #[test]
    fn epoch_conversion_falls_back_to_str() {
        let v = values(r#"{"start_time": 1e12, "end_time": "abc", "command": [1]}"#);
        assert_eq!(render("{start_time!D}|{end_time!D}|{command!D}", &v, false), "1000000000000.0|abc|[1]");
        // Local time zone: only the shape is predictable.
        let v = values(r#"{"start_time": 1700000000}"#);
        let out = render("{start_time!D}", &v, false);
        let parts: Vec<&str> = out.split(' ').collect();
        assert_eq!(parts.len(), 5, "{out}");
        assert!(matches!(parts.last(), Some(&"AM" | &"PM")), "{out}");
    }

    #[test]
    fn validate_accepts_good_templates() {
        for template in [
            "",
            "plain text",
            "{{not a field}}",
            "{exit_code}",
            "{exit_code!E}",
            "{exit_code!r:>5}",
            "{peak_rss:.2f!S}",
            "{peak_rss:.2f!}",
            "{peak_rss:!<8}",
            "{peak_rss:*!<8}",
            "{wall_clock_time:.{num_reports}f}",
            "{wall_clock_time:{num_reports}!Q}",
            "{start_time!D} {end_time!T} {peak_pmem!P} {command!X} {command!N} {command!a}",
            "{command:.2f}",
        ] {
            assert!(validate(template, KNOWN).is_ok(), "{template:?}: {:?}", validate(template, KNOWN));
        }
    }

    #[test]
    fn validate_rejects_bad_templates() {
        let cases: &[(&str, &str)] = &[
            ("{", "single '{'"),
            ("oops }", "single '}'"),
            ("{exit_code", "expected '}'"),
            ("{exit_code!", "conversion specifier"),
            ("{exit_code!E", "unmatched '{'"),
            ("{exit_code!EE}", "expected ':'"),
            ("{exit_code:{", "unmatched '{'"),
            ("{exit{code}", "unexpected '{'"),
            ("{x:{peak_rss:{command}}}", "unknown placeholder {x}"),
            ("{exit_code:{peak_rss:{command}}}", "nested too deeply"),
            ("{nope}", "unknown placeholder {nope}"),
            ("{}", "positional"),
            ("{0}", "positional"),
            ("{command.upper}", "attribute"),
            ("{command[0]}", "attribute"),
            ("{exit_code!Z}", "unknown conversion !Z"),
            ("{exit_code!}", "unmatched '{'"),
            ("{peak_rss:.2f!Z}", "unknown conversion !Z"),
            ("{peak_rss:.2f!NE}", "unknown conversion !NE"),
            ("{peak_rss:>{nope}}", "unknown placeholder {nope}"),
        ];
        for (template, needle) in cases {
            match validate(template, KNOWN) {
                Ok(()) => panic!("{template:?} was accepted"),
                Err(err) => {
                    let message = err.to_string();
                    assert!(message.contains(needle), "{template:?}: {message:?} lacks {needle:?}");
                    assert!(!message.contains('\n'), "{message:?}");
                }
            }
        }
    }

    #[test]
    fn error_messages_are_one_line_and_point_at_the_problem() {
        let err = validate("line one\n{bad\nname}", KNOWN);
        let Err(TemplateError::UnknownPlaceholder { name, .. }) = err else { panic!("{err:?}") };
        assert_eq!(name, "bad\\nname");
        let err = validate("ab\ncd}", KNOWN);
        let Err(TemplateError::Syntax { position, .. }) = err else { panic!("{err:?}") };
        assert_eq!(position, 6);
        let err = validate("{exit_code:>{peak_rss:{command}}}", KNOWN);
        let Err(TemplateError::Syntax { position, .. }) = err else { panic!("{err:?}") };
        assert_eq!(position, 32);
    }

    #[test]
    fn render_of_invalid_template_shows_it_verbatim() {
        let v = values(REAL_SUMMARY);
        assert_eq!(render("{exit_code", &v, false), "{exit_code");
        assert_eq!(render("x}", &v, true), "x}");
        assert_eq!(render("{exit_code:{peak_rss:{command}}}", &v, false), "{exit_code:{peak_rss:{command}}}");
    }

    #[test]
    fn render_survives_what_would_crash_con_duct() {
        let v = values(REAL_SUMMARY);
        // Unknown names and positional/attribute fields render like null.
        assert_eq!(render("{nope}|{}|{0}|{command.upper}", &v, false), "-|-|-|-");
        // Unknown conversions are skipped.
        assert_eq!(render("{exit_code!Z}|{peak_pmem:.1f!QQ}", &v, false), "0|1.2");
        // Conversions that cannot handle the value leave it unconverted.
        assert_eq!(
            render("{command!S}|{command!P}|{command!T}", &v, false),
            "python3 work.py|python3 work.py|python3 work.py"
        );
        let v = values(r#"{"x": "inf", "y": [1, 2]}"#);
        assert_eq!(render("{x!T}|{y!S}|{x!S}", &v, false), "inf|[1, 2]|inf YB");
        // Lists and dicts with a spec fall back to str().
        assert_eq!(render("{y:>9}", &v, false), "[1, 2]");
    }

    #[test]
    fn absurd_widths_fall_back_instead_of_allocating() {
        let v = values(REAL_SUMMARY);
        assert_eq!(render("{exit_code:99999999999}", &v, false), "0");
        assert_eq!(render("{exit_code:.99999999999f}", &v, false), "0");
        assert_eq!(render("{exit_code:999999999999999999999999}", &v, false), "0");
        assert_eq!(render("{command:>1000000}", &v, false).chars().count(), 1_000_000);
    }

    /// A tiny deterministic generator, so the "never panics" property is exercised on
    /// many odd templates without a fuzzing dependency.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % bound.max(1)
        }
    }

    #[test]
    fn never_panics_on_arbitrary_templates_and_values() {
        // Pieces of templates, `|`-separated.
        let atoms: Vec<&str> = concat!(
            "{|}|{{|}}|!|:|[|]|.|exit_code|command|peak_rss|average_pmem|start_time|num_samples|S|E|X|",
            "N|P|T|D|r|s|a|z|0|9|12|,|_|%|e|f|g|G|n|c|x|b|#|+|-| |<|>|^|=|é|\n|999999999999",
        )
        .split('|')
        .collect();
        let value_sets = [
            REAL_SUMMARY.to_string(),
            serde_json::to_string(&Value::Object(null_values())).unwrap_or_default(),
            r#"{"exit_code": -9223372036854775808, "command": "", "peak_rss": 18446744073709551615,
                "average_pmem": -1e308, "start_time": "nan", "num_samples": true}"#
                .to_string(),
            r#"{"exit_code": [], "command": {"a": [null]}, "peak_rss": "1e400",
                "average_pmem": 5e-324, "start_time": -1e300, "num_samples": "-0"}"#
                .to_string(),
        ];
        let mut rng = Lcg(0x5eed);
        for round in 0..20_000 {
            let len = rng.next(12);
            let template: String = (0..len).map(|_| atoms[rng.next(atoms.len())]).collect();
            let v = values(&value_sets[round % value_sets.len()]);
            let _ = validate(&template, KNOWN);
            let _ = render(&template, &v, round % 2 == 0);
            // Well-formed fields with random specs and conversions.
            let spec: String = (0..rng.next(6)).map(|_| atoms[rng.next(atoms.len())]).collect();
            let field = ["exit_code", "command", "peak_rss", "average_pmem", "start_time", "num_samples"][rng.next(6)];
            let conv = ["", "!S", "!E", "!X", "!N", "!P", "!T", "!D", "!r"][rng.next(9)];
            let _ = render(&format!("{{{field}{conv}:{spec}}}"), &v, round % 3 == 0);
        }
    }
}
