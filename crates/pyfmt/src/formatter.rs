//! `string.Formatter`: expanding a template, with the three hooks a Python subclass
//! overrides (`get_value`, `convert_field`, `format_field`).

use crate::format::format;
use crate::parse::{Piece, SyntaxError, parse, syntax};
use crate::value::PyVal;

/// `string.Formatter.vformat` starts at recursion depth 2, which allows exactly one level
/// of `{name:{other}}` nesting inside a format spec.
pub const MAX_RECURSION: i32 = 2;

/// Why a template could not be expanded.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The template is not valid `str.format` syntax, or nests fields too deeply.
    Syntax(SyntaxError),
    /// A hook failed (Python would raise); the message is the exception's.
    Value(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Syntax(err) => write!(f, "invalid format string {err}"),
            Error::Value(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<SyntaxError> for Error {
    fn from(err: SyntaxError) -> Self {
        Error::Syntax(err)
    }
}

/// Python's `string.Formatter`. Fields are looked up by their whole name (no attribute or
/// index access); the provided `convert_field` and `format_field` are Python's defaults.
pub trait Formatter {
    /// The value of the field `name` (Python's `get_value` with a keyword name).
    fn get_value(&self, name: &str) -> Result<PyVal, String>;

    /// Applies `!conversion`: Python's `s`, `r` and `a`.
    fn convert_field(&self, value: PyVal, conversion: char) -> Result<PyVal, String> {
        match conversion {
            's' => Ok(PyVal::Str(value.to_str())),
            'r' => Ok(PyVal::Str(value.repr())),
            'a' => Ok(PyVal::Str(value.ascii())),
            other => Err(format!("Unknown conversion specifier {other}")),
        }
    }

    /// Formats a value with its (expanded) spec: Python's built-in `format()`.
    fn format_field(&self, value: PyVal, spec: &str) -> Result<String, String> {
        format(&value, spec)
    }

    /// `string.Formatter.vformat` with keyword arguments only.
    fn vformat(&self, template: &str) -> Result<String, Error> {
        vformat_at(self, template, 0, MAX_RECURSION)
    }
}

/// `string.Formatter._vformat`: `template` starts at character `offset` of the top-level
/// template, `depth` is the nesting still allowed.
fn vformat_at<F: Formatter + ?Sized>(f: &F, template: &str, offset: usize, depth: i32) -> Result<String, Error> {
    if depth < 0 {
        return Err(syntax(offset, "Max string recursion exceeded").into());
    }
    let mut out = String::with_capacity(template.len());
    for piece in parse(template, offset)? {
        match piece {
            Piece::Literal(text) => out.push_str(&text),
            Piece::Field(field) => {
                let value = f.get_value(&field.name).map_err(Error::Value)?;
                let value = match field.conversion {
                    Some(c) => f.convert_field(value, c).map_err(Error::Value)?,
                    None => value,
                };
                let spec = vformat_at(f, &field.spec, field.spec_offset, depth - 1)?;
                out.push_str(&f.format_field(value, &spec).map_err(Error::Value)?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `str.format(**values)`.
    struct Keywords(Vec<(&'static str, PyVal)>);

    impl Formatter for Keywords {
        fn get_value(&self, name: &str) -> Result<PyVal, String> {
            self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).ok_or_else(|| format!("'{name}'"))
        }
    }

    fn values() -> Keywords {
        Keywords(vec![
            ("n", PyVal::Int(-1234)),
            ("x", PyVal::Float(2.5)),
            ("s", PyVal::Str("héllo".into())),
            ("w", PyVal::Int(9)),
            ("none", PyVal::None),
        ])
    }

    /// Expected strings from CPython 3.11's `str.format`.
    #[test]
    fn expands_like_str_format() {
        let f = values();
        for (template, expected) in [
            ("{n}|{n:,}|{n:08}|{x}|{x!r:>6}|{s!a}|{s:^9}", "-1234|-1,234|-0001234|2.5|   2.5|'h\\xe9llo'|  héllo  "),
            ("{x:{w}.3f}|{s:*<{w}}|{{{n}}}", "    2.500|héllo****|{-1234}"),
            ("{none}|{none!r:>5}", "None| None"),
        ] {
            assert_eq!(f.vformat(template).unwrap(), expected, "{template:?}");
        }
    }

    #[test]
    fn reports_python_errors() {
        let f = values();
        assert_eq!(f.vformat("{missing}"), Err(Error::Value("'missing'".into())));
        assert_eq!(f.vformat("{n!q}"), Err(Error::Value("Unknown conversion specifier q".into())));
        assert_eq!(f.vformat("{s:d}"), Err(Error::Value("Unknown format code 'd' for object of type 'str'".into())));
        assert_eq!(
            f.vformat("{none:>5}"),
            Err(Error::Value("unsupported format string passed to NoneType.__format__".into()))
        );
        let Err(Error::Syntax(err)) = f.vformat("{x:{w:{n}}}") else { panic!("nesting accepted") };
        assert_eq!(err.message, "Max string recursion exceeded");
        let Err(Error::Syntax(err)) = f.vformat("ab}") else { panic!("stray brace accepted") };
        assert_eq!(err.position, 3);
    }
}
