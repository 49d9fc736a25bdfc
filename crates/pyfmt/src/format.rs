//! Python's built-in `format(value, spec)` for `str`, `int`, `bool` and `float`: padding,
//! alignment, signs, `#` prefixes and thousands grouping as CPython's `fill_number` and
//! `_PyUnicode_InsertThousandsGrouping` lay them out.

use crate::float::double_to_string;
use crate::spec::{Grouping, Spec, parse_spec, unknown_code};
use crate::value::PyVal;

/// Python's built-in `format(value, spec)`.
pub fn format(value: &PyVal, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(value.to_str());
    }
    match value {
        PyVal::Str(s) => {
            let parsed = parse_spec(spec, Some('s'), '<')?;
            match parsed.kind {
                Some('s') => format_str(s, &parsed),
                other => Err(unknown_code(other.unwrap_or('\0'), "str")),
            }
        }
        PyVal::Bool(b) => format_int(i128::from(*b), "bool", spec),
        PyVal::Int(i) => format_int(*i, "int", spec),
        PyVal::Float(f) => {
            let parsed = parse_spec(spec, None, '>')?;
            match parsed.kind {
                None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => format_float(*f, &parsed),
                Some(other) => Err(unknown_code(other, "float")),
            }
        }
        other => Err(format!("unsupported format string passed to {}.__format__", other.type_name())),
    }
}

fn format_str(s: &str, spec: &Spec) -> Result<String, String> {
    match spec.sign {
        Some(' ') => return Err("Space not allowed in string format specifier".to_string()),
        Some(_) => return Err("Sign not allowed in string format specifier".to_string()),
        None => {}
    }
    if spec.no_neg_zero {
        return Err("Negative zero coercion (z) not allowed in string format specifier".to_string());
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".to_string());
    }
    if spec.align == '=' {
        return Err("'=' alignment not allowed in string format specifier".to_string());
    }
    let mut text: String = s.to_string();
    if let Some(precision) = spec.precision {
        text = s.chars().take(usize::try_from(precision).unwrap_or(0)).collect();
    }
    Ok(pad(&text, spec.width, spec.align, spec.fill))
}

/// CPython's `calc_padding` + `fill_padding`.
fn pad(text: &str, width: i64, align: char, fill: char) -> String {
    let len = text.chars().count() as i64;
    let total = width.max(len);
    let left = match align {
        '>' => total - len,
        '^' => (total - len) / 2,
        _ => 0,
    };
    let right = total - len - left;
    let mut out = String::with_capacity(text.len() + (total - len) as usize);
    out.extend(std::iter::repeat_n(fill, left as usize));
    out.push_str(text);
    out.extend(std::iter::repeat_n(fill, right as usize));
    out
}

fn format_int(value: i128, type_name: &str, spec: &str) -> Result<String, String> {
    let spec = parse_spec(spec, Some('d'), '>')?;
    let kind = spec.kind.unwrap_or('d');
    match kind {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(value as f64, &spec),
        other => return Err(unknown_code(other, type_name)),
    }
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_string());
    }
    if spec.no_neg_zero {
        return Err("Negative zero coercion (z) not allowed in integer format specifier".to_string());
    }
    let negative = value < 0;
    let magnitude = value.unsigned_abs();
    if kind == 'c' {
        if spec.sign.is_some() {
            return Err("Sign not allowed with integer format specifier 'c'".to_string());
        }
        if spec.alternate {
            return Err("Alternate form (#) not allowed with integer format specifier 'c'".to_string());
        }
        let ch = u32::try_from(value)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| "%c arg not in range(0x110000)".to_string())?;
        return Ok(layout_number(false, "", "", false, &ch.to_string(), &spec, Grouping::None));
    }
    let (digits, prefix) = match kind {
        'b' => (format!("{magnitude:b}"), "0b"),
        'o' => (format!("{magnitude:o}"), "0o"),
        'x' => (format!("{magnitude:x}"), "0x"),
        'X' => (format!("{magnitude:X}"), "0X"),
        _ => (magnitude.to_string(), ""),
    };
    let prefix = if spec.alternate { prefix } else { "" };
    // 'n' groups by the C locale, which Python never changes for LC_NUMERIC: no grouping.
    let grouping = if kind == 'n' { Grouping::None } else { spec.grouping };
    Ok(layout_number(negative, prefix, &digits, false, "", &spec, grouping))
}

fn format_float(value: f64, spec: &Spec) -> Result<String, String> {
    let mut kind = spec.kind.unwrap_or('r');
    let mut add_dot_0 = false;
    let mut default_precision = 6;
    if spec.kind.is_none() {
        add_dot_0 = true;
        default_precision = 0;
    }
    if kind == 'n' {
        kind = 'g';
    }
    let mut value = value;
    let mut percent = false;
    if kind == '%' {
        kind = 'f';
        value *= 100.0;
        percent = true;
    }
    let precision = match spec.precision {
        Some(p) => {
            if kind == 'r' {
                kind = 'g';
            }
            p
        }
        None => default_precision,
    };
    let mut text = double_to_string(value, kind, precision, spec.alternate, add_dot_0, spec.no_neg_zero);
    if percent {
        text.push('%');
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let digit_end = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(unsigned.len());
    let (digits, rest) = unsigned.split_at(digit_end);
    let (has_decimal, remainder) = match rest.strip_prefix('.') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let grouping = if spec.kind == Some('n') { Grouping::None } else { spec.grouping };
    Ok(layout_number(negative, "", digits, has_decimal, remainder, spec, grouping))
}

/// CPython's `calc_number_widths` + `fill_number`: sign, prefix, padding, grouped digits,
/// decimal point and remainder (fraction/exponent/`%`).
fn layout_number(
    negative: bool,
    prefix: &str,
    digits: &str,
    has_decimal: bool,
    remainder: &str,
    spec: &Spec,
    grouping: Grouping,
) -> String {
    let sign = match spec.sign {
        Some('+') => Some(if negative { '-' } else { '+' }),
        Some(' ') => Some(if negative { '-' } else { ' ' }),
        _ => negative.then_some('-'),
    };
    let n_non_digit = i64::from(sign.is_some())
        + prefix.chars().count() as i64
        + i64::from(has_decimal)
        + remainder.chars().count() as i64;
    let min_width = if spec.fill == '0' && spec.align == '=' { spec.width - n_non_digit } else { 0 };
    let grouped = if digits.is_empty() { String::new() } else { group_digits(digits, min_width, grouping) };
    let padding = spec.width - (n_non_digit + grouped.chars().count() as i64);
    let (mut left, mut middle, mut right) = (0i64, 0i64, 0i64);
    if padding > 0 {
        match spec.align {
            '<' => right = padding,
            '^' => {
                left = padding / 2;
                right = padding - left;
            }
            '=' => middle = padding,
            _ => left = padding,
        }
    }
    let fill = |n: i64| std::iter::repeat_n(spec.fill, usize::try_from(n).unwrap_or(0));
    let mut out = String::new();
    out.extend(fill(left));
    out.extend(sign);
    out.push_str(prefix);
    out.extend(fill(middle));
    out.push_str(&grouped);
    if has_decimal {
        out.push('.');
    }
    out.push_str(remainder);
    out.extend(fill(right));
    out
}

/// CPython's `_PyUnicode_InsertThousandsGrouping`: inserts separators and, for
/// zero-padding, pads with `0`s that are themselves grouped (`format(1234, "010,")` is
/// `00,001,234`).
fn group_digits(digits: &str, min_width: i64, grouping: Grouping) -> String {
    let digits: Vec<char> = digits.chars().collect();
    let (separator, group) = match grouping {
        Grouping::None => (None, 0i64),
        Grouping::Comma => (Some(','), 3),
        Grouping::Underscore => (Some('_'), 3),
        Grouping::UnderscoreFour => (Some('_'), 4),
    };
    let mut min_width = min_width.max(0);
    let mut remaining = digits.len() as i64;
    // Built right to left, then reversed.
    let mut reversed: Vec<char> = Vec::with_capacity(digits.len() + min_width as usize);
    let mut use_separator = false;
    let emit = |reversed: &mut Vec<char>, n_chars: i64, n_zeros: i64, remaining: i64, sep: bool| {
        if sep && let Some(s) = separator {
            reversed.push(s);
        }
        let start = usize::try_from(remaining - n_chars).unwrap_or(0);
        let end = usize::try_from(remaining).unwrap_or(0);
        if let Some(chunk) = digits.get(start..end) {
            reversed.extend(chunk.iter().rev());
        }
        reversed.extend(std::iter::repeat_n('0', usize::try_from(n_zeros).unwrap_or(0)));
    };
    let mut finished = false;
    if separator.is_some() {
        loop {
            let len = group.min(remaining.max(min_width).max(1));
            let n_zeros = (len - remaining).max(0);
            let n_chars = remaining.min(len).max(0);
            emit(&mut reversed, n_chars, n_zeros, remaining, use_separator);
            use_separator = true;
            remaining -= n_chars;
            min_width -= len;
            if remaining <= 0 && min_width <= 0 {
                finished = true;
                break;
            }
            min_width -= 1;
        }
    }
    if !finished {
        let len = remaining.max(min_width).max(1);
        let n_zeros = (len - remaining).max(0);
        let n_chars = remaining.min(len).max(0);
        emit(&mut reversed, n_chars, n_zeros, remaining, use_separator);
    }
    reversed.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings from CPython 3.11's `format(value, spec)`.
    #[test]
    fn format_matches_python() {
        let cases: &[(PyVal, &str, &str)] = &[
            (PyVal::Int(1234), "010,", "00,001,234"),
            (PyVal::Int(-98765), "#010_b", "-0b1_1000_0001_1100_1101"),
            (PyVal::Int(255), "#X", "0XFF"),
            (PyVal::Int(65), ">3c", "  A"),
            (PyVal::Int(10), "%", "1000.000000%"),
            (PyVal::Int(-42), "=+8", "-     42"),
            (PyVal::Bool(true), ">6", "     1"),
            (PyVal::Bool(true), "", "True"),
            (PyVal::Float(2.675), ".2f", "2.67"),
            (PyVal::Float(-0.0), "z.1f", "0.0"),
            (PyVal::Float(1e16), "", "1e+16"),
            (PyVal::Float(0.5), "#.3", "0.500"),
            (PyVal::Float(999999.5), ".3g", "1e+06"),
            (PyVal::Float(1234567.0), "_.2f", "1_234_567.00"),
            (PyVal::Float(f64::NEG_INFINITY), "+08.2f", "-0000inf"),
            (PyVal::Float(1.5), "n", "1.5"),
            (PyVal::Str("héllo".into()), "*^9.3", "***hél***"),
            (PyVal::Str("ab".into()), "05", "ab000"),
        ];
        for (value, spec, expected) in cases {
            assert_eq!(format(value, spec).as_deref(), Ok(*expected), "format({value:?}, {spec:?})");
        }
    }

    #[test]
    fn format_errors_are_pythons() {
        let cases: &[(PyVal, &str, &str)] = &[
            (PyVal::Int(1), ".2d", "Precision not allowed in integer format specifier"),
            (PyVal::Int(1), ",_", "Cannot specify both ',' and '_'."),
            (PyVal::Int(1), ",b", "Cannot specify ',' with 'b'."),
            (PyVal::Int(-1), "c", "%c arg not in range(0x110000)"),
            (PyVal::Float(1.0), "d", "Unknown format code 'd' for object of type 'float'"),
            (PyVal::Str("a".into()), "+", "Sign not allowed in string format specifier"),
            (PyVal::Str("a".into()), "=5", "'=' alignment not allowed in string format specifier"),
            (PyVal::Str("a".into()), "5.", "Format specifier missing precision"),
            (PyVal::List(vec![]), ">5", "unsupported format string passed to list.__format__"),
        ];
        for (value, spec, expected) in cases {
            assert_eq!(format(value, spec).unwrap_err(), *expected, "format({value:?}, {spec:?})");
        }
        // CPython 3.11.7 goes on " 'xx<' for object of type 'str'".
        assert!(format(&PyVal::Str("a".into()), "xx<").is_err_and(|e| e.starts_with("Invalid format specifier")));
        assert!(format(&PyVal::Int(0), "99999999999").is_err());
        assert!(format(&PyVal::Int(0), "999999999999999999999999").is_err());
    }
}
