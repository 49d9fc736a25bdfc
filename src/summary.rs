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
        match serde_json::from_str::<Value>(json).map(untag_floats) {
            Ok(Value::Object(map)) => map,
            other => panic!("test JSON is not an object: {other:?}"),
        }
    }

    /// serde_json's default float parser (without its `float_roundtrip` feature) can be
    /// off by one ULP, e.g. it reads 1795586943.3180075 as 1795586943.3180077. The
    /// generated cases therefore carry floats as `{"$f": "<repr>"}`, parsed here with
    /// Rust's correctly rounded `str::parse`, so they hold exactly Python's values.
    fn untag_floats(value: Value) -> Value {
        match value {
            Value::Object(map) => {
                if let (1, Some(Value::String(text))) = (map.len(), map.get("$f")) {
                    let float: f64 = text.parse().unwrap_or(f64::NAN);
                    return serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number);
                }
                Value::Object(map.into_iter().map(|(k, v)| (k, untag_floats(v))).collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(untag_floats).collect()),
            other => other,
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

    /// (template, execution_summary JSON, colors, expected). Every expected string was
    /// produced by con-duct 0.23.0's `SummaryFormatter(enable_colors=colors).format(
    /// template, **json.loads(values))` under CPython 3.11.7.
    const PYTHON_PARITY: &[(&str, &str, bool, &str)] = &[
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "Summary:\nExit Code: 0\nCommand: python3 work.py\nLog files location: .duct/logs/2026.11.25T06.08.58-7095_\nWall Clock Time: 4.738 sec\nMemory Peak Usage (RSS): 342.9 MB\nMemory Average Usage (RSS): 277.9 MB\nVirtual Memory Peak Usage (VSZ): 348.7 MB\nVirtual Memory Average Usage (VSZ): 290.8 MB\nMemory Peak Percentage: 1.20%\nMemory Average Percentage: 0.97%\nCPU Peak Usage: 192.90%\nAverage CPU Usage: 135.33%\n",
        ),
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": null, \"command\": null, \"logs_prefix\": null, \"wall_clock_time\": null, \"peak_rss\": null, \"average_rss\": null, \"peak_vsz\": null, \"average_vsz\": null, \"peak_pmem\": null, \"average_pmem\": null, \"peak_pcpu\": null, \"average_pcpu\": null, \"num_samples\": null, \"num_reports\": null, \"start_time\": null, \"end_time\": null, \"working_directory\": null}",
            false,
            "Summary:\nExit Code: -\nCommand: -\nLog files location: -\nWall Clock Time: - sec\nMemory Peak Usage (RSS): -\nMemory Average Usage (RSS): -\nVirtual Memory Peak Usage (VSZ): -\nVirtual Memory Average Usage (VSZ): -\nMemory Peak Percentage: -%\nMemory Average Percentage: -%\nCPU Peak Usage: -%\nAverage CPU Usage: -%\n",
        ),
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "Summary:\nExit Code: \u{1b}[1;32m0\u{1b}[0m\nCommand: python3 work.py\nLog files location: .duct/logs/2026.11.25T06.08.58-7095_\nWall Clock Time: 4.738 sec\nMemory Peak Usage (RSS): \u{1b}[1;32m342.9 MB\u{1b}[0m\nMemory Average Usage (RSS): \u{1b}[1;32m277.9 MB\u{1b}[0m\nVirtual Memory Peak Usage (VSZ): \u{1b}[1;32m348.7 MB\u{1b}[0m\nVirtual Memory Average Usage (VSZ): \u{1b}[1;32m290.8 MB\u{1b}[0m\nMemory Peak Percentage: \u{1b}[1;32m1.20\u{1b}[0m%\nMemory Average Percentage: \u{1b}[1;32m0.97\u{1b}[0m%\nCPU Peak Usage: \u{1b}[1;32m192.90\u{1b}[0m%\nAverage CPU Usage: \u{1b}[1;32m135.33\u{1b}[0m%\n",
        ),
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": null, \"command\": null, \"logs_prefix\": null, \"wall_clock_time\": null, \"peak_rss\": null, \"average_rss\": null, \"peak_vsz\": null, \"average_vsz\": null, \"peak_pmem\": null, \"average_pmem\": null, \"peak_pcpu\": null, \"average_pcpu\": null, \"num_samples\": null, \"num_reports\": null, \"start_time\": null, \"end_time\": null, \"working_directory\": null}",
            true,
            "Summary:\nExit Code: \u{1b}[1;31m-\u{1b}[0m\nCommand: -\nLog files location: -\nWall Clock Time: - sec\nMemory Peak Usage (RSS): \u{1b}[1;31m-\u{1b}[0m\nMemory Average Usage (RSS): \u{1b}[1;31m-\u{1b}[0m\nVirtual Memory Peak Usage (VSZ): \u{1b}[1;31m-\u{1b}[0m\nVirtual Memory Average Usage (VSZ): \u{1b}[1;31m-\u{1b}[0m\nMemory Peak Percentage: -%\nMemory Average Percentage: -%\nCPU Peak Usage: -%\nAverage CPU Usage: -%\n",
        ),
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": 1, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"0.0005\"}, \"peak_rss\": 1, \"average_rss\": {\"$f\": \"999.9\"}, \"peak_vsz\": 0, \"average_vsz\": {\"$f\": \"1e+25\"}, \"peak_pmem\": 0, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "Summary:\nExit Code: \u{1b}[1;31m1\u{1b}[0m\nCommand: python3 work.py\nLog files location: .duct/logs/2026.11.25T06.08.58-7095_\nWall Clock Time: 0.001 sec\nMemory Peak Usage (RSS): \u{1b}[1;32m1 Byte\u{1b}[0m\nMemory Average Usage (RSS): \u{1b}[1;32m999 Bytes\u{1b}[0m\nVirtual Memory Peak Usage (VSZ): \u{1b}[1;32m0 Bytes\u{1b}[0m\nVirtual Memory Average Usage (VSZ): \u{1b}[1;32m10.0 YB\u{1b}[0m\nMemory Peak Percentage: \u{1b}[1;32m0.00\u{1b}[0m%\nMemory Average Percentage: \u{1b}[1;32m0.97\u{1b}[0m%\nCPU Peak Usage: \u{1b}[1;32m192.90\u{1b}[0m%\nAverage CPU Usage: \u{1b}[1;32m135.33\u{1b}[0m%\n",
        ),
        (
            "Summary:\nExit Code: {exit_code!E}\nCommand: {command}\nLog files location: {logs_prefix}\nWall Clock Time: {wall_clock_time:.3f} sec\nMemory Peak Usage (RSS): {peak_rss!S}\nMemory Average Usage (RSS): {average_rss!S}\nVirtual Memory Peak Usage (VSZ): {peak_vsz!S}\nVirtual Memory Average Usage (VSZ): {average_vsz!S}\nMemory Peak Percentage: {peak_pmem:.2f!N}%\nMemory Average Percentage: {average_pmem:.2f!N}%\nCPU Peak Usage: {peak_pcpu:.2f!N}%\nAverage CPU Usage: {average_pcpu:.2f!N}%\n",
            "{\"exit_code\": 137, \"command\": \"sleep 'x'\\nnext\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": -1, \"average_rss\": 1000, \"peak_vsz\": 999999, \"average_vsz\": {\"$f\": \"1e+30\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "Summary:\nExit Code: 137\nCommand: sleep 'x'\nnext\nLog files location: .duct/logs/2026.11.25T06.08.58-7095_\nWall Clock Time: 4.738 sec\nMemory Peak Usage (RSS): -1 Byte\nMemory Average Usage (RSS): 1.0 kB\nVirtual Memory Peak Usage (VSZ): 1000.0 kB\nVirtual Memory Average Usage (VSZ): 1000000.0 YB\nMemory Peak Percentage: 1.20%\nMemory Average Percentage: 0.97%\nCPU Peak Usage: 192.90%\nAverage CPU Usage: 135.33%\n",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"5.0\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "5.00s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"59.999\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "60.00s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"59.996\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "60.00s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": 60, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1m 0.0s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"61.25\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1m 1.2s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"3599.96\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "59m 60.0s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": 3600, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1h 0m 0.0s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"7325.5\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2h 2m 5.5s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"259201.25\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "72h 0m 1.2s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": 0, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"-3.5\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-3.50s",
        ),
        (
            "{wall_clock_time!T}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": \"90\", \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1m 30.0s",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.20%",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": 0, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00%",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": 100, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "100.00%",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"-0.005\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-0.01%",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": \"3.14159\", \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "3.14%",
        ),
        (
            "{peak_pmem!P}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": true, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.00%",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 0, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0 Bytes|     0 Bytes",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 1, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1 Byte|      1 Byte",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": -1, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-1 Byte|     -1 Byte",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 2, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2 Bytes|     2 Bytes",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 999, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "999 Bytes|   999 Bytes",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": {\"$f\": \"999.99\"}, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "999 Bytes|   999 Bytes",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 1000, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.0 kB|      1.0 kB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": {\"$f\": \"1049.9\"}, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.0 kB|      1.0 kB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 999999, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1000.0 kB|   1000.0 kB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 1000000, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.0 MB|      1.0 MB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": {\"$f\": \"1.5\"}, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1 Bytes|     1 Bytes",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": -2500, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-2.5 kB|     -2.5 kB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": {\"$f\": \"1e+30\"}, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1000000.0 YB|1000000.0 YB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 12345678901234567890, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "12.3 EB|     12.3 EB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": \"2048\", \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2.0 kB|      2.0 kB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": \" 1_000_000 \", \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.0 MB|      1.0 MB",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": true, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1 Byte|      1 Byte",
        ),
        (
            "{peak_rss!S}|{peak_rss!S:>12}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": false, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0 Bytes|     0 Bytes",
        ),
        (
            "{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "      10|10      |   10   |00000010|+10| 10|10|10|a|0xa|0XA|0b1010|12|0o12|1.000000e+01|1000.000000%|10.00|10|00000010|00,000,010|+10*****|10|1010",
        ),
        (
            "{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 0, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "       0|0       |   0    |00000000|+0| 0|0|0|0|0x0|0X0|0b0|0|0o0|0.000000e+00|0.000000%|0.00|0|00000000|00,000,000|+0******|0|0",
        ),
        (
            "{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": -42, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "     -42|-42     |  -42   |-0000042|-42|-42|-42|-42|-2a|-0x2a|-0X2A|-0b101010|-52|-0o52|-4.200000e+01|-4200.000000%|-42.00|-42|-0000042|-0,000,042|-42*****|-42|-10_1010",
        ),
        (
            "{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 1234567, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            " 1234567|1234567 |1234567 |01234567|+1234567| 1234567|1,234,567|1_234_567|12_d687|0x12d687|0X12D687|0b100101101011010000111|4553207|0o4553207|1.234567e+06|123456700.000000%|1234567.00|1234567|01234567|01,234,567|+1234567|1.23457e+06|1_0010_1101_0110_1000_0111",
        ),
        (
            "{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 255, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "     255|255     |  255   |00000255|+255| 255|255|255|ff|0xff|0XFF|0b11111111|377|0o377|2.550000e+02|25500.000000%|255.00|255|00000255|00,000,255|+255****|255|1111_1111",
        ),
        (
            "{num_samples:c}|{num_samples:>3c}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 65, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "A|  A",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "277,907,865.60|2.779079e+08|2.779e+08|2.779079E+08|2.77908e+08|2.78e+08|2.77908E+08|27790786560.0%|277907865.6|277907865.6|277907865.600|*277907865.6**|+    277907865.6|0,277,907,865.60|2.78e+08|         277907865.6|277907865.6         |277907866.|2.77908e+08|2.77908e+08|277907866|277907865.6|277_907_865.6|277907865.600000|277907865.6|277907865.6000000238418579101562500",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1.2000000000000002\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1.20|1.200000e+00|1.200e+00|1.200000E+00|1.2|1.2|1.2|120.0%|1.2000000000000002|1.2000000000000002|     1.200|*****1.2******|+            1.2|0,000,000,001.20|1.2|  1.2000000000000002|1.2000000000000002  |1.|1.20000|1.2|1|1.2|1.2|1.200000|1.2|1.2000000000000001776356839",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|0.000000e+00|0.000e+00|0.000000E+00|0|0|0|0.0%|0.0|0.0|     0.000|*****0.0******|+            0.0|0,000,000,000.00|0.0|                 0.0|0.0                 |0.|0.00000|0|0|0.0|0.0|0.000000|0|0.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"-0.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-0.00|-0.000000e+00|-0.000e+00|-0.000000E+00|-0|-0|-0|-0.0%|-0.0|-0.0|    -0.000|*****-0.0*****|-            0.0|-0,000,000,000.00|-0.0|                -0.0|-0.0                |-0.|-0.00000|-0|-0|0.0|-0.0|-0.000000|-0|-0.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1e+16\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "10,000,000,000,000,000.00|1.000000e+16|1.000e+16|1.000000E+16|1e+16|1e+16|1E+16|1000000000000000000.0%|1e+16|1e+16|10000000000000000.000|10000000000000000.0|+10000000000000000.0|10,000,000,000,000,000.00|1e+16|               1e+16|1e+16               |10000000000000000.|1.00000e+16|1e+16|10000000000000000|10000000000000000.0|10_000_000_000_000_000.0|10000000000000000.000000|1e+16|10000000000000000.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1e-05\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|1.000000e-05|1.000e-05|1.000000E-05|1e-05|1e-05|1E-05|0.0%|1e-05|1e-05|     0.000|*****0.0******|+            0.0|0,000,000,000.00|1e-05|               1e-05|1e-05               |0.|1.00000e-05|1e-05|0|0.0|0.0|0.000010|1e-05|0.0000100000000000000008180",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.0001\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|1.000000e-04|1.000e-04|1.000000E-04|0.0001|0.0001|0.0001|0.0%|0.0001|0.0001|     0.000|*****0.0******|+            0.0|0,000,000,000.00|0.0001|              0.0001|0.0001              |0.|0.000100000|0.0001|0|0.0|0.0|0.000100|0.0001|0.0001000000000000000047922",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"123.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "123.00|1.230000e+02|1.230e+02|1.230000E+02|123|123|123|12300.0%|123.0|123.0|   123.000|****123.0*****|+          123.0|0,000,000,123.00|1.23e+02|               123.0|123.0               |123.|123.000|123|123|123.0|123.0|123.000000|123|123.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"5e-324\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|4.940656e-324|4.941e-324|4.940656E-324|4.94066e-324|4.94e-324|4.94066E-324|0.0%|5e-324|5e-324|     0.000|*****0.0******|+            0.0|0,000,000,000.00|4.94e-324|              5e-324|5e-324              |0.|4.94066e-324|4.94066e-324|0|0.0|0.0|0.000000|4.94065645841e-324|0.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1.7976931348623157e+308\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "179,769,313,486,231,570,814,527,423,731,704,356,798,070,567,525,844,996,598,917,476,803,157,260,780,028,538,760,589,558,632,766,878,171,540,458,953,514,382,464,234,321,326,889,464,182,768,467,546,703,537,516,986,049,910,576,551,282,076,245,490,090,389,328,944,075,868,508,455,133,942,304,583,236,903,222,948,165,808,559,332,123,348,274,797,826,204,144,723,168,738,177,180,919,299,881,250,404,026,184,124,858,368.00|1.797693e+308|1.798e+308|1.797693E+308|1.79769e+308|1.8e+308|1.79769E+308|inf%|1.7976931348623157e+308|1.7976931348623157e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0|+179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0|179,769,313,486,231,570,814,527,423,731,704,356,798,070,567,525,844,996,598,917,476,803,157,260,780,028,538,760,589,558,632,766,878,171,540,458,953,514,382,464,234,321,326,889,464,182,768,467,546,703,537,516,986,049,910,576,551,282,076,245,490,090,389,328,944,075,868,508,455,133,942,304,583,236,903,222,948,165,808,559,332,123,348,274,797,826,204,144,723,168,738,177,180,919,299,881,250,404,026,184,124,858,368.00|1.8e+308|1.7976931348623157e+308|1.7976931348623157e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.|1.79769e+308|1.79769e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0|179_769_313_486_231_570_814_527_423_731_704_356_798_070_567_525_844_996_598_917_476_803_157_260_780_028_538_760_589_558_632_766_878_171_540_458_953_514_382_464_234_321_326_889_464_182_768_467_546_703_537_516_986_049_910_576_551_282_076_245_490_090_389_328_944_075_868_508_455_133_942_304_583_236_903_222_948_165_808_559_332_123_348_274_797_826_204_144_723_168_738_177_180_919_299_881_250_404_026_184_124_858_368.0|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000|1.79769313486e+308|179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.125\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.12|1.250000e-01|1.250e-01|1.250000E-01|0.125|0.125|0.125|12.5%|0.125|0.125|     0.125|*****0.1******|+            0.1|0,000,000,000.12|0.125|               0.125|0.125               |0.|0.125000|0.125|0|0.1|0.1|0.125000|0.125|0.1250000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.375\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.38|3.750000e-01|3.750e-01|3.750000E-01|0.375|0.375|0.375|37.5%|0.375|0.375|     0.375|*****0.4******|+            0.4|0,000,000,000.38|0.375|               0.375|0.375               |0.|0.375000|0.375|0|0.4|0.4|0.375000|0.375|0.3750000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"2.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2.50|2.500000e+00|2.500e+00|2.500000E+00|2.5|2.5|2.5|250.0%|2.5|2.5|     2.500|*****2.5******|+            2.5|0,000,000,002.50|2.5|                 2.5|2.5                 |2.|2.50000|2.5|2|2.5|2.5|2.500000|2.5|2.5000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"2.675\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2.67|2.675000e+00|2.675e+00|2.675000E+00|2.675|2.67|2.675|267.5%|2.675|2.675|     2.675|*****2.7******|+            2.7|0,000,000,002.67|2.67|               2.675|2.675               |3.|2.67500|2.675|3|2.7|2.7|2.675000|2.675|2.6749999999999998223643161",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1234567.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1,234,567.00|1.234567e+06|1.235e+06|1.234567E+06|1.23457e+06|1.23e+06|1.23457E+06|123456700.0%|1234567.0|1234567.0|1234567.000|**1234567.0***|+      1234567.0|0,001,234,567.00|1.23e+06|           1234567.0|1234567.0           |1234567.|1.23457e+06|1.23457e+06|1234567|1234567.0|1_234_567.0|1234567.000000|1234567|1234567.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.50|5.000000e-01|5.000e-01|5.000000E-01|0.5|0.5|0.5|50.0%|0.5|0.5|     0.500|*****0.5******|+            0.5|0,000,000,000.50|0.5|                 0.5|0.5                 |0.|0.500000|0.5|0|0.5|0.5|0.500000|0.5|0.5000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"-0.001\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "-0.00|-1.000000e-03|-1.000e-03|-1.000000E-03|-0.001|-0.001|-0.001|-0.1%|-0.001|-0.001|    -0.001|*****-0.0*****|-            0.0|-0,000,000,000.00|-0.001|              -0.001|-0.001              |-0.|-0.00100000|-0.001|-0|0.0|-0.0|-0.001000|-0.001|-0.0010000000000000000208167",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1e+22\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "10,000,000,000,000,000,000,000.00|1.000000e+22|1.000e+22|1.000000E+22|1e+22|1e+22|1E+22|999999999999999983222784.0%|1e+22|1e+22|10000000000000000000000.000|10000000000000000000000.0|+10000000000000000000000.0|10,000,000,000,000,000,000,000.00|1e+22|               1e+22|1e+22               |10000000000000000000000.|1.00000e+22|1e+22|10000000000000000000000|10000000000000000000000.0|10_000_000_000_000_000_000_000.0|10000000000000000000000.000000|1e+22|10000000000000000000000.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.1\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.10|1.000000e-01|1.000e-01|1.000000E-01|0.1|0.1|0.1|10.0%|0.1|0.1|     0.100|*****0.1******|+            0.1|0,000,000,000.10|0.1|                 0.1|0.1                 |0.|0.100000|0.1|0|0.1|0.1|0.100000|0.1|0.1000000000000000055511151",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"100.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "100.00|1.000000e+02|1.000e+02|1.000000E+02|100|100|100|10000.0%|100.0|100.0|   100.000|****100.0*****|+          100.0|0,000,000,100.00|1e+02|               100.0|100.0               |100.|100.000|100|100|100.0|100.0|100.000000|100|100.0000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"999999.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "999,999.50|9.999995e+05|1.000e+06|9.999995E+05|1e+06|1e+06|1E+06|99999950.0%|999999.5|999999.5|999999.500|***999999.5***|+       999999.5|0,000,999,999.50|1e+06|            999999.5|999999.5            |1000000.|1.00000e+06|1e+06|1000000|999999.5|999_999.5|999999.500000|999999.5|999999.5000000000000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"9.9999e-05\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|9.999900e-05|1.000e-04|9.999900E-05|9.9999e-05|0.0001|9.9999E-05|0.0%|9.9999e-05|9.9999e-05|     0.000|*****0.0******|+            0.0|0,000,000,000.00|0.0001|          9.9999e-05|9.9999e-05          |0.|9.99990e-05|9.9999e-05|0|0.0|0.0|0.000100|9.9999e-05|0.0000999990000000000025995",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1e-10\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.00|1.000000e-10|1.000e-10|1.000000E-10|1e-10|1e-10|1E-10|0.0%|1e-10|1e-10|     0.000|*****0.0******|+            0.0|0,000,000,000.00|1e-10|               1e-10|1e-10               |0.|1.00000e-10|1e-10|0|0.0|0.0|0.000000|1e-10|0.0000000001000000000000000",
        ),
        (
            "{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"123456789012345.67\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "123,456,789,012,345.67|1.234568e+14|1.235e+14|1.234568E+14|1.23457e+14|1.23e+14|1.23457E+14|12345678901234568.0%|123456789012345.67|123456789012345.67|123456789012345.672|123456789012345.7|+123456789012345.7|123,456,789,012,345.67|1.23e+14|  123456789012345.67|123456789012345.67  |123456789012346.|1.23457e+14|1.23457e+14|123456789012346|123456789012345.7|123_456_789_012_345.7|123456789012345.671875|1.23456789012e+14|123456789012345.6718750000000000000000000",
        ),
        (
            "{average_rss:.0e}|{average_rss:.2f}|{average_rss:.1f}|{average_rss:.0f}|{average_rss:.3}|{average_rss:.0g}|{average_rss:#.3}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "5e-01|0.50|0.5|0|0.5|0.5|0.500",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.125\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0|0.1|0.12|1e-01|1.2e-01|0.1|0.12|0.1|0.12",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.375\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0|0.4|0.38|4e-01|3.8e-01|0.4|0.38|0.4|0.38",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"2.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2|2.5|2.50|2e+00|2.5e+00|2|2.5|2e+00|2.5",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1.5\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "2|1.5|1.50|2e+00|1.5e+00|2|1.5|2e+00|1.5",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.045\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0|0.0|0.04|4e-02|4.5e-02|0.04|0.045|0.04|0.045",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"1.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1|1.0|1.00|1e+00|1.0e+00|1|1|1e+00|1.0",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"10.0\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "10|10.0|10.00|1e+01|1.0e+01|1e+01|10|1e+01|1e+01",
        ),
        (
            "{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"0.05\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0|0.1|0.05|5e-02|5.0e-02|0.05|0.05|0.05|0.05",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "     python3 work.py|pytho|***python3 work.py***|'python3 work.py'|'python3 work.py'|python3 work.py|pyt                 |python3 work.py|   python3 work.py|'python3 work.py'     |python3 work.py|python3 work.pyxxx|python3 work.py|python3 work.py|python3 work.py|python3 work.py|python3 work.py",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"h\\u00e9llo w\\u00f6rld \\u2713\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "       héllo wörld ✓|héllo|****héllo wörld ✓****|'héllo wörld ✓'|'h\\xe9llo w\\xf6rld \\u2713'|héllo wörld ✓|hél                 |héllo wörld ✓|     héllo wörld ✓|'héllo wörld ✓'       |héllo wörld ✓|héllo wörld ✓xxxxx|héllo wörld ✓|héllo wörld ✓|héllo wörld ✓|héllo wörld ✓|héllo wörld ✓",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"it's\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "                it's|it's|********it's*********|\"it's\"|\"it's\"|it's|it'                 |it's|              it's|\"it's\"                |it's0|it'sxxxxxxxxxxxxxx|it's|it's|it's|it's|it's",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"say \\\"hi\\\" and 'bye'\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "  say \"hi\" and 'bye'|say \"|*say \"hi\" and 'bye'**|'say \"hi\" and \\'bye\\''|'say \"hi\" and \\'bye\\''|say \"hi\" and 'bye'|say                 |say \"hi\" and 'bye'|say \"hi\" and 'bye'|'say \"hi\" and \\'bye\\''|say \"hi\" and 'bye'|say \"hi\" and 'bye'|say \"hi\" and 'bye'|say \"hi\" and 'bye'|say \"hi\" and 'bye'|say \"hi\" and 'bye'|say \"hi\" and 'bye'",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"tab\\there\\u0001\\u007f\\u00a0\\u200b\\ud83d\\ude00\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "       tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\th|****tab\there\u{1}\u{7f}\u{a0}\u{200b}😀****|'tab\\there\\x01\\x7f\\xa0\\u200b😀'|'tab\\there\\x01\\x7f\\xa0\\u200b\\U0001f600'|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab                 |tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|     tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|'tab\\there\\x01\\x7f\\xa0\\u200b😀'|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀xxxxx|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀|tab\there\u{1}\u{7f}\u{a0}\u{200b}😀",
        ),
        (
            "{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}",
            "{\"exit_code\": 0, \"command\": \"\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "                    ||*********************|''|''||                    ||                  |''                    |00000|xxxxxxxxxxxxxxxxxx|||||",
        ),
        (
            "{exit_code:>3!E}|{exit_code:d!E}|{peak_rss:.0f!S}|{peak_pmem:.2f!}|{exit_code!E:>3}|{exit_code!N:>4}|{exit_code!X}|{num_samples!X}|{command!X}|{peak_pmem:.2f!N}|{peak_pmem:!<8}|{peak_pmem:.1f!r}|{command:>6!s}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "  0|0|342.9 MB|1.20|  0|   0|0|10|python3 work.py|1.20|1.2000000000000002|'1.2'|python3 work.py",
        ),
        (
            "{peak_rss}|{peak_rss:>10}|{peak_rss!s}|{peak_rss!r}|{peak_rss!N}|{peak_rss!X}|{peak_rss!E}|{peak_rss!P}|{peak_rss!T}|{peak_rss!D}|{peak_rss:.2f!N}|{peak_rss!S}|{peak_rss!a}|{peak_rss!s:>6}|{peak_rss!N:>3}",
            "{\"exit_code\": null, \"command\": null, \"logs_prefix\": null, \"wall_clock_time\": null, \"peak_rss\": null, \"average_rss\": null, \"peak_vsz\": null, \"average_vsz\": null, \"peak_pmem\": null, \"average_pmem\": null, \"peak_pcpu\": null, \"average_pcpu\": null, \"num_samples\": null, \"num_reports\": null, \"start_time\": null, \"end_time\": null, \"working_directory\": null}",
            false,
            "-|-|None|None|-|-|-|-|-|-|-|-|None|  None|  -",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}",
            "{\"exit_code\": {\"$f\": \"0.0\"}, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0.0|0.0|0.0",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}",
            "{\"exit_code\": \"0\", \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "0|0|0",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": true, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "True|True|True|True",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": false, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "False|False|False|False",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": \"\", \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "|||",
        ),
        (
            "{exit_code:>3!E}|{exit_code:d!E}|{peak_rss:.0f!S}|{peak_pmem:.2f!}|{exit_code!E:>3}|{exit_code!N:>4}|{exit_code!X}|{num_samples!X}|{command!X}|{peak_pmem:.2f!N}|{peak_pmem:!<8}|{peak_pmem:.1f!r}|{command:>6!s}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;31m  0\u{1b}[0m|0|\u{1b}[1;32m342.9 MB\u{1b}[0m|1.20|\u{1b}[1;32m0\u{1b}[0m|\u{1b}[1;32m0\u{1b}[0m|\u{1b}[1;31m0\u{1b}[0m|\u{1b}[1;32m10\u{1b}[0m|\u{1b}[1;32mpython3 work.py\u{1b}[0m|\u{1b}[1;32m1.20\u{1b}[0m|1.2000000000000002|'1.2'|python3 work.py",
        ),
        (
            "{peak_rss}|{peak_rss:>10}|{peak_rss!s}|{peak_rss!r}|{peak_rss!N}|{peak_rss!X}|{peak_rss!E}|{peak_rss!P}|{peak_rss!T}|{peak_rss!D}|{peak_rss:.2f!N}|{peak_rss!S}|{peak_rss!a}|{peak_rss!s:>6}|{peak_rss!N:>3}",
            "{\"exit_code\": null, \"command\": null, \"logs_prefix\": null, \"wall_clock_time\": null, \"peak_rss\": null, \"average_rss\": null, \"peak_vsz\": null, \"average_vsz\": null, \"peak_pmem\": null, \"average_pmem\": null, \"peak_pcpu\": null, \"average_pcpu\": null, \"num_samples\": null, \"num_reports\": null, \"start_time\": null, \"end_time\": null, \"working_directory\": null}",
            true,
            "-|-|None|None|\u{1b}[1;31m-\u{1b}[0m|\u{1b}[1;31m-\u{1b}[0m|\u{1b}[1;31m-\u{1b}[0m|\u{1b}[1;31m-\u{1b}[0m|\u{1b}[1;31m-\u{1b}[0m|\u{1b}[1;31m-\u{1b}[0m|-|\u{1b}[1;31m-\u{1b}[0m|None|  None|\u{1b}[1;31m-\u{1b}[0m",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}",
            "{\"exit_code\": {\"$f\": \"0.0\"}, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;32m0.0\u{1b}[0m|\u{1b}[1;31m0.0\u{1b}[0m|\u{1b}[1;32m0.0\u{1b}[0m",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}",
            "{\"exit_code\": \"0\", \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;31m0\u{1b}[0m|\u{1b}[1;32m0\u{1b}[0m|\u{1b}[1;32m0\u{1b}[0m",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": true, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;31mTrue\u{1b}[0m|\u{1b}[1;32mTrue\u{1b}[0m|\u{1b}[1;32mTrue\u{1b}[0m|True",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": false, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;32mFalse\u{1b}[0m|\u{1b}[1;31mFalse\u{1b}[0m|\u{1b}[1;32mFalse\u{1b}[0m|False",
        ),
        (
            "{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}",
            "{\"exit_code\": \"\", \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;32m\u{1b}[0m|\u{1b}[1;31m\u{1b}[0m|\u{1b}[1;32m\u{1b}[0m|",
        ),
        (
            "{exit_code}|{exit_code:>6}|{exit_code:d}|{exit_code:.1f}|{exit_code:x}|{exit_code:n}|{exit_code:s}",
            "{\"exit_code\": true, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "True|     1|1|1.0|1|1|True",
        ),
        (
            "{wall_clock_time:.{num_reports}f}|{wall_clock_time:{logs_prefix}}|{command:{num_samples}}|{peak_rss:>{average_rss}}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \">12.4\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": null, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 20, \"num_reports\": 2, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "4.74|       4.738|python3 work.py     |342945792",
        ),
        (
            "{{literal}} {exit_code} }}{{ {{{exit_code}}}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "{literal} 0 }{ {0}",
        ),
        (
            "",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "",
        ),
        (
            "no fields at all\n",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "no fields at all\n",
        ),
        (
            "{working_directory}|{working_directory!r}|{working_directory!s:.3}|{working_directory!a}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": [1, \"a\", null, {\"$f\": \"2.5\"}, true, {\"k\": \"v\"}]}",
            false,
            "[1, 'a', None, 2.5, True, {'k': 'v'}]|[1, 'a', None, 2.5, True, {'k': 'v'}]|[1,|[1, 'a', None, 2.5, True, {'k': 'v'}]",
        ),
        (
            "{working_directory}|{working_directory!r}|{working_directory!s:>25}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": {\"a\": 1, \"b's\": [null]}}",
            false,
            "{'a': 1, \"b's\": [None]}|{'a': 1, \"b's\": [None]}|  {'a': 1, \"b's\": [None]}",
        ),
        (
            "{peak_pmem:.2f!N}% {peak_pcpu:.2f!N}%",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1e-09\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"-1e-09\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            true,
            "\u{1b}[1;32m0.00\u{1b}[0m% \u{1b}[1;32m-0.00\u{1b}[0m%",
        ),
        (
            "{start_time:.6f}|{start_time}|{end_time!r}|{start_time:,.0f}|{start_time:.2e}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": 6, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "1795586938.579589|1795586938.579589|1795586943.3180075|1,795,586,939|1.80e+09",
        ),
        (
            "{num_reports:10,}|{num_reports:^+10}|{num_reports:-^10}|{num_reports:0>5}|{num_reports:0<5}|{num_reports:0^5}|{num_reports:05d}|{num_reports:=5}|{num_reports:#010x}|{num_reports:#010_b}",
            "{\"exit_code\": 0, \"command\": \"python3 work.py\", \"logs_prefix\": \".duct/logs/2026.11.25T06.08.58-7095_\", \"wall_clock_time\": {\"$f\": \"4.7384185791015625\"}, \"peak_rss\": 342945792, \"average_rss\": {\"$f\": \"277907865.6\"}, \"peak_vsz\": 348749824, \"average_vsz\": {\"$f\": \"290793472.0\"}, \"peak_pmem\": {\"$f\": \"1.2000000000000002\"}, \"average_pmem\": {\"$f\": \"0.9700000000000002\"}, \"peak_pcpu\": {\"$f\": \"192.89999999999998\"}, \"average_pcpu\": {\"$f\": \"135.32999999999998\"}, \"num_samples\": 10, \"num_reports\": -98765, \"start_time\": {\"$f\": \"1795586938.579589\"}, \"end_time\": {\"$f\": \"1795586943.3180075\"}, \"working_directory\": \"/tmp/ductrun\"}",
            false,
            "   -98,765|  -98765  |---98765--|-98765|-98765|-98765|-98765|-98765|-0x00181cd|-0b1_1000_0001_1100_1101",
        ),
    ];

    #[test]
    fn matches_con_duct_0_23_0_output() {
        let mut failures = Vec::new();
        for (template, json, colors, expected) in PYTHON_PARITY {
            let got = render(template, &values(json), *colors);
            if got != *expected {
                failures.push(format!("template {template:?} values {json}\n   want {expected:?}\n    got {got:?}"));
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
        const ATOMS: &[&str] = &[
            "{",
            "}",
            "{{",
            "}}",
            "!",
            ":",
            "[",
            "]",
            ".",
            "exit_code",
            "command",
            "peak_rss",
            "average_pmem",
            "start_time",
            "num_samples",
            "S",
            "E",
            "X",
            "N",
            "P",
            "T",
            "D",
            "r",
            "s",
            "a",
            "z",
            "0",
            "9",
            "12",
            ",",
            "_",
            "%",
            "e",
            "f",
            "g",
            "G",
            "n",
            "c",
            "x",
            "b",
            "#",
            "+",
            "-",
            " ",
            "<",
            ">",
            "^",
            "=",
            "é",
            "\n",
            "999999999999",
        ];
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
            let template: String = (0..len).map(|_| ATOMS[rng.next(ATOMS.len())]).collect();
            let v = values(&value_sets[round % value_sets.len()]);
            let _ = validate(&template, KNOWN);
            let _ = render(&template, &v, round % 2 == 0);
            // Well-formed fields with random specs and conversions.
            let spec: String = (0..rng.next(6)).map(|_| ATOMS[rng.next(ATOMS.len())]).collect();
            let field = ["exit_code", "command", "peak_rss", "average_pmem", "start_time", "num_samples"][rng.next(6)];
            let conv = ["", "!S", "!E", "!X", "!N", "!P", "!T", "!D", "!r"][rng.next(9)];
            let _ = render(&format!("{{{field}{conv}:{spec}}}"), &v, round % 3 == 0);
        }
    }
}
