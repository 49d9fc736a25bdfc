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

/// Render. `values` is the run record as a JSON object (`record::ExecutionSummary::to_map`; a template may
/// name the keys of `record::SUMMARY_KEYS`, any of them null). Never panics for any input.
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
mod tests;
