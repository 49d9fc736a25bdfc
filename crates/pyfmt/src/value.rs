//! The value model: the Python objects a JSON document becomes under `json.load`, with
//! their `str()`, `repr()`, `ascii()`, truthiness and `float()`.

use std::fmt::Write as _;

use crate::float::float_repr;
use crate::printable::is_printable;

/// A Python object of one of the types `json.load` produces; `str()`, truthiness and
/// `format()` differ between these in ways that show in the output.
#[derive(Debug, Clone, PartialEq)]
pub enum PyVal {
    /// `None`.
    None,
    /// `bool` (an `int` subclass in Python, formatted as one by number specs).
    Bool(bool),
    /// `int`; JSON integers fit in i128 (Python's are unbounded).
    Int(i128),
    /// `float`.
    Float(f64),
    /// `str`.
    Str(String),
    /// `list`.
    List(Vec<PyVal>),
    /// `dict` with string keys, in insertion order.
    Dict(Vec<(String, PyVal)>),
}

impl PyVal {
    /// The Python type's name, as error messages spell it.
    pub fn type_name(&self) -> &'static str {
        match self {
            PyVal::None => "NoneType",
            PyVal::Bool(_) => "bool",
            PyVal::Int(_) => "int",
            PyVal::Float(_) => "float",
            PyVal::Str(_) => "str",
            PyVal::List(_) => "list",
            PyVal::Dict(_) => "dict",
        }
    }

    /// Python's `bool()`.
    pub fn truthy(&self) -> bool {
        match self {
            PyVal::None => false,
            PyVal::Bool(b) => *b,
            PyVal::Int(i) => *i != 0,
            PyVal::Float(f) => *f != 0.0,
            PyVal::Str(s) => !s.is_empty(),
            PyVal::List(items) => !items.is_empty(),
            PyVal::Dict(items) => !items.is_empty(),
        }
    }

    /// Python's `str()`.
    pub fn to_str(&self) -> String {
        match self {
            PyVal::Str(s) => s.clone(),
            other => other.repr(),
        }
    }

    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        self.repr_with(false)
    }

    /// Python's `ascii()`: `repr()` with every non-ASCII character escaped.
    pub fn ascii(&self) -> String {
        self.repr_with(true)
    }

    fn repr_with(&self, ascii_only: bool) -> String {
        match self {
            PyVal::None => "None".to_string(),
            PyVal::Bool(true) => "True".to_string(),
            PyVal::Bool(false) => "False".to_string(),
            PyVal::Int(i) => i.to_string(),
            PyVal::Float(f) => float_repr(*f),
            PyVal::Str(s) => str_repr(s, ascii_only),
            PyVal::List(items) => {
                let inner: Vec<String> = items.iter().map(|v| v.repr_with(ascii_only)).collect();
                format!("[{}]", inner.join(", "))
            }
            PyVal::Dict(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("{}: {}", str_repr(k, ascii_only), v.repr_with(ascii_only)))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }

    /// Python's `float()`; the error is Python's message.
    pub fn to_float(&self) -> Result<f64, String> {
        match self {
            PyVal::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
            PyVal::Int(i) => Ok(*i as f64),
            PyVal::Float(f) => Ok(*f),
            PyVal::Str(s) => parse_float(s),
            other => Err(format!("float() argument must be a string or a real number, not '{}'", other.type_name())),
        }
    }
}

/// Python's `repr()` of a `str` (`ascii()` when `ascii_only`): the quote that needs no
/// escaping, `\n`-style escapes, and `\x`/`\u`/`\U` for what is not printable.
pub fn str_repr(s: &str, ascii_only: bool) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() => out.push(c),
            c if !ascii_only && is_printable(c) => out.push(c),
            c => {
                let code = c as u32;
                let _ = if code <= 0xff {
                    write!(out, "\\x{code:02x}")
                } else if code <= 0xffff {
                    write!(out, "\\u{code:04x}")
                } else {
                    write!(out, "\\U{code:08x}")
                };
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `float(str)`: surrounding whitespace allowed, `_` only between digits,
/// `inf`/`nan` in any case; the error is Python's message.
pub fn parse_float(s: &str) -> Result<f64, String> {
    let error = || format!("could not convert string to float: {}", str_repr(s, false));
    let trimmed = s.trim();
    let cleaned: String = if trimmed.contains('_') {
        let chars: Vec<char> = trimmed.chars().collect();
        let mut out = String::with_capacity(trimmed.len());
        for (i, &c) in chars.iter().enumerate() {
            if c == '_' {
                let before = i.checked_sub(1).and_then(|j| chars.get(j));
                let after = chars.get(i + 1);
                let digit = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_digit());
                if !(digit(before) && digit(after)) {
                    return Err(error());
                }
            } else {
                out.push(c);
            }
        }
        out
    } else {
        trimmed.to_string()
    };
    cleaned.parse::<f64>().map_err(|_| error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_parsing() {
        assert_eq!(parse_float(" 1_000.5 "), Ok(1000.5));
        assert_eq!(parse_float("-Infinity"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("nAn").is_ok_and(f64::is_nan));
        assert_eq!(parse_float("+.5e1"), Ok(5.0));
        for bad in ["", "1__0", "_1", "1_", "1_.5", "0x10", "1e", "abc", "."] {
            assert!(parse_float(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_float("x'").unwrap_err(), "could not convert string to float: \"x'\"");
    }

    #[test]
    fn str_and_repr_of_values() {
        assert_eq!(PyVal::Bool(true).to_str(), "True");
        assert_eq!(PyVal::None.to_str(), "None");
        assert_eq!(PyVal::Str("it's".into()).repr(), "\"it's\"");
        assert_eq!(PyVal::Str("a'\"\\\u{e9}\u{a0}".into()).repr(), "'a\\'\"\\\\\u{e9}\\xa0'");
        assert_eq!(PyVal::Str("\u{e9}\u{1F600}\u{20ac}".into()).ascii(), "'\\xe9\\U0001f600\\u20ac'");
        let nested = PyVal::Dict(vec![
            ("a".into(), PyVal::List(vec![PyVal::Int(1), PyVal::Float(2.5), PyVal::None])),
            ("b's".into(), PyVal::Bool(false)),
        ]);
        assert_eq!(nested.to_str(), "{'a': [1, 2.5, None], \"b's\": False}");
    }

    #[test]
    fn truthiness_and_float() {
        assert!(!PyVal::Float(-0.0).truthy());
        assert!(PyVal::Str("0".into()).truthy());
        assert!(!PyVal::List(vec![]).truthy());
        assert_eq!(PyVal::Bool(true).to_float(), Ok(1.0));
        assert_eq!(
            PyVal::List(vec![]).to_float().unwrap_err(),
            "float() argument must be a string or a real number, not 'list'"
        );
    }
}
