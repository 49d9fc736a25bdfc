//! The format-spec mini-language: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`
//! parsed as CPython 3.11's `parse_internal_render_format_spec` (Python/formatter_unicode.c)
//! does, with its error messages.

/// Python would happily build a gigabyte-wide field; we refuse (an error, as for a bad
/// spec) rather than risk an allocation failure, which would abort the process.
pub const MAX_WIDTH_OR_PRECISION: i64 = 1_000_000;

/// The thousands separator a spec asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Grouping {
    /// No separator.
    None,
    /// `,` every three digits.
    Comma,
    /// `_` every three digits.
    Underscore,
    /// `_` with b/o/x/X groups every four digits.
    UnderscoreFour,
}

/// A parsed format spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The padding character (space unless given, `0` with a leading zero).
    pub fill: char,
    /// `<`, `>`, `^` or `=`.
    pub align: char,
    /// `+`, `-` or space, if given.
    pub sign: Option<char>,
    /// `z`: negative zero shown as zero.
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// Minimum width, -1 when not given.
    pub width: i64,
    /// Thousands separator.
    pub grouping: Grouping,
    /// `.N`, if given.
    pub precision: Option<i64>,
    /// The presentation type (`d`, `f`, `s`, ...), or the default given to [`parse_spec`].
    pub kind: Option<char>,
}

/// Parses `spec` for a type whose default presentation is `default_kind` and default
/// alignment `default_align` (`<` for `str`, `>` for numbers); the error is Python's message.
pub fn parse_spec(spec: &str, default_kind: Option<char>, default_align: char) -> Result<Spec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let is_align = |c: Option<char>| matches!(c, Some('<' | '>' | '=' | '^'));
    let mut out = Spec {
        fill: ' ',
        align: default_align,
        sign: None,
        no_neg_zero: false,
        alternate: false,
        width: -1,
        grouping: Grouping::None,
        precision: None,
        kind: default_kind,
    };
    let mut pos = 0usize;
    let mut align_specified = false;
    let mut fill_specified = false;
    if is_align(at(1)) {
        out.fill = at(0).unwrap_or(' ');
        out.align = at(1).unwrap_or(default_align);
        fill_specified = true;
        align_specified = true;
        pos = 2;
    } else if is_align(at(0)) {
        out.align = at(0).unwrap_or(default_align);
        align_specified = true;
        pos = 1;
    }
    if let Some(c @ ('+' | '-' | ' ')) = at(pos) {
        out.sign = Some(c);
        pos += 1;
    }
    if at(pos) == Some('z') {
        out.no_neg_zero = true;
        pos += 1;
    }
    if at(pos) == Some('#') {
        out.alternate = true;
        pos += 1;
    }
    if !fill_specified && at(pos) == Some('0') {
        out.fill = '0';
        // Since Python 3.10 a leading 0 no longer forces '=' on strings.
        if !align_specified && default_align == '>' {
            out.align = '=';
        }
        pos += 1;
    }
    if let Some(width) = read_integer(&chars, &mut pos)? {
        out.width = width;
    }
    if at(pos) == Some(',') {
        out.grouping = Grouping::Comma;
        pos += 1;
    }
    if at(pos) == Some('_') {
        if out.grouping != Grouping::None {
            return Err("Cannot specify both ',' and '_'.".to_string());
        }
        out.grouping = Grouping::Underscore;
        pos += 1;
    }
    if at(pos) == Some(',') {
        return Err("Cannot specify both ',' and '_'.".to_string());
    }
    if at(pos) == Some('.') {
        pos += 1;
        match read_integer(&chars, &mut pos)? {
            Some(precision) => out.precision = Some(precision),
            None => return Err("Format specifier missing precision".to_string()),
        }
    }
    let rest = chars.len().saturating_sub(pos);
    if rest > 1 {
        return Err("Invalid format specifier".to_string());
    }
    if rest == 1 {
        out.kind = at(pos);
    }
    if out.grouping != Grouping::None {
        match out.kind {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => {}
            Some('b' | 'o' | 'x' | 'X') if out.grouping == Grouping::Underscore => {
                out.grouping = Grouping::UnderscoreFour;
            }
            Some(kind) => {
                let sep = if out.grouping == Grouping::Comma { ',' } else { '_' };
                return Err(format!("Cannot specify '{sep}' with '{}'.", show_code(kind)));
            }
        }
    }
    if out.width > MAX_WIDTH_OR_PRECISION || out.precision.unwrap_or(0) > MAX_WIDTH_OR_PRECISION {
        return Err(format!("width or precision above {MAX_WIDTH_OR_PRECISION} is not supported"));
    }
    Ok(out)
}

/// Reads decimal digits at `*pos`; None if there are none.
fn read_integer(chars: &[char], pos: &mut usize) -> Result<Option<i64>, String> {
    let mut value: Option<i64> = None;
    while let Some(digit) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        let next = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(digit)))
            .ok_or_else(|| "Too many decimal digits in format string".to_string())?;
        value = Some(next);
        *pos += 1;
    }
    Ok(value)
}

/// A presentation type as Python's error messages show it.
pub fn show_code(kind: char) -> String {
    let code = kind as u32;
    if code > 32 && code < 128 { kind.to_string() } else { format!("\\x{code:x}") }
}

/// Python's "Unknown format code" message.
pub fn unknown_code(kind: char, type_name: &str) -> String {
    format!("Unknown format code '{}' for object of type '{type_name}'", show_code(kind))
}
