//! JSON text exactly as Python's `json.dumps` writes it (con-duct prints `ls -f json`/`json_pp` with it): `", "`
//! and `": "` separators, non-ASCII as `\uXXXX` (`ensure_ascii`), floats as Python's `repr`, and with an indent
//! one item per line.

use std::fmt::Write as _;

use serde_json::Value;

use crate::summary::py_float_repr;

/// `json.dumps(value)` (`indent` None) or `json.dumps(value, indent=N)`.
pub fn dumps(value: &Value, indent: Option<usize>) -> String {
    let mut out = String::new();
    write_value(&mut out, value, indent, 0);
    out
}

fn write_value(out: &mut String, value: &Value, indent: Option<usize>, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let _ = write!(out, "{i}");
            }
            (None, Some(u), _) => {
                let _ = write!(out, "{u}");
            }
            (None, None, Some(f)) => out.push_str(&float(f)),
            _ => out.push_str("NaN"),
        },
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                separator(out, i, indent, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            close(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                separator(out, i, indent, depth + 1);
                write_str(out, key);
                out.push_str(": ");
                write_value(out, item, indent, depth + 1);
            }
            close(out, indent, depth);
            out.push('}');
        }
    }
}

/// Before item `i`: `", "` inline; with an indent, `","` (not after the opening bracket) and a new line.
fn separator(out: &mut String, i: usize, indent: Option<usize>, depth: usize) {
    match indent {
        None if i > 0 => out.push_str(", "),
        None => {}
        Some(n) => {
            if i > 0 {
                out.push(',');
            }
            out.push('\n');
            out.push_str(&" ".repeat(n * depth));
        }
    }
}

fn close(out: &mut String, indent: Option<usize>, depth: usize) {
    if let Some(n) = indent {
        out.push('\n');
        out.push_str(&" ".repeat(n * depth));
    }
}

/// `float.__repr__`, with Python's spellings of the values JSON has no numbers for.
fn float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else {
        py_float_repr(f)
    }
}

/// A JSON string with `ensure_ascii`: escapes for `"` `\` and controls, `\uXXXX` (surrogate pairs above the
/// BMP) for everything that is not ASCII.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) >= 0x7f => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn as_python_writes_it() {
        let v = json!([{"a": "h\u{e9}\u{1F600}\"\n", "b": 1.0, "c": 1e16, "d": 1e-5, "e": null, "f": [], "g": {}}]);
        assert_eq!(
            dumps(&v, None),
            r#"[{"a": "h\u00e9\ud83d\ude00\"\n", "b": 1.0, "c": 1e+16, "d": 1e-05, "e": null, "f": [], "g": {}}]"#
        );
        assert_eq!(dumps(&json!([{"a": [1, 2]}]), Some(2)), "[\n  {\n    \"a\": [\n      1,\n      2\n    ]\n  }\n]");
        assert_eq!(dumps(&json!([]), Some(2)), "[]");
    }
}
