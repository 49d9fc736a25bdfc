//! Float to text as CPython does it: `PyOS_double_to_string` and `format_float_short`
//! (Python/pystrtod.c) for `repr()` and the `e`/`f`/`g` codes, and the float arithmetic
//! (`//`, `%`, `int()`) that formatting code written in Python relies on.

use std::fmt::Write as _;

/// Python's `repr(float)`.
pub fn float_repr(value: f64) -> String {
    double_to_string(value, 'r', 0, false, true, false)
}

/// `"%.Nf" % value` / `format(value, ".Nf")`.
pub fn format_fixed(value: f64, precision: i64) -> String {
    double_to_string(value, 'f', precision, false, false, false)
}

/// CPython's `PyOS_double_to_string` + `format_float_short` (Python/pystrtod.c) for the
/// codes e/E/f/F/g/G/r. Digit generation is delegated to Rust's float formatting, which
/// like David Gay's dtoa is correctly rounded (ties to even on exact binary values).
pub fn double_to_string(
    value: f64,
    code: char,
    precision: i64,
    alternate: bool,
    add_dot_0: bool,
    no_neg_zero: bool,
) -> String {
    let upper = code.is_ascii_uppercase();
    let code = code.to_ascii_lowercase();
    if value.is_nan() {
        return if upper { "NAN" } else { "nan" }.to_string();
    }
    let mut negative = value.is_sign_negative();
    if value.is_infinite() {
        let inf = if upper { "INF" } else { "inf" };
        return if negative { format!("-{inf}") } else { inf.to_string() };
    }
    let (mode_digits, precision) = match code {
        'e' => (DigitMode::Significant(precision + 1), precision + 1),
        'f' => (DigitMode::Fixed(precision), precision),
        'g' => {
            let p = precision.max(1);
            (DigitMode::Significant(p), p)
        }
        _ => (DigitMode::Shortest, 0),
    };
    let (digits, decpt) = dtoa(value.abs(), mode_digits);
    if no_neg_zero && negative && (digits.is_empty() || digits == "0") {
        negative = false;
    }
    let digits_len = digits.len() as i64;
    let mut decpt = decpt;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if add_dot_0 { precision - 1 } else { precision };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if alternate {
                vdigits_end = precision;
            }
        }
        _ => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exponent = 0i64;
    if use_exp {
        exponent = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && add_dot_0 { vdigits_end.max(decpt + 1) } else { vdigits_end.max(decpt) };
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if decpt <= 0 {
        out.push_str(&zeros(decpt - vdigits_start));
        out.push('.');
        out.push_str(&zeros(-decpt));
    } else {
        out.push_str(&zeros(-vdigits_start));
    }
    if 0 < decpt && decpt <= digits_len {
        let (head, tail) = digits.split_at(usize::try_from(decpt).unwrap_or(0));
        out.push_str(head);
        out.push('.');
        out.push_str(tail);
    } else {
        out.push_str(&digits);
    }
    if digits_len < decpt {
        out.push_str(&zeros(decpt - digits_len));
        out.push('.');
        out.push_str(&zeros(vdigits_end - decpt));
    } else {
        out.push_str(&zeros(vdigits_end - digits_len));
    }
    if out.ends_with('.') && !alternate {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "{sign}{:02}", exponent.unsigned_abs());
    }
    out
}

/// Drops the last digit of `digits` (which is a 5 exactly at the halfway point),
/// rounding the rest half to even; returns dtoa-style (digits, decpt).
fn round_half_even_drop_last(digits: &str, decpt: i64) -> (String, i64) {
    let mut kept: Vec<u8> = digits.bytes().collect();
    kept.pop();
    let odd = kept.last().is_some_and(|d| (d - b'0') % 2 == 1);
    let mut decpt = decpt;
    if odd {
        let mut carry = true;
        for d in kept.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            kept.insert(0, b'1');
            decpt += 1;
        }
    }
    let text: String = kept.iter().map(|&d| char::from(d)).collect();
    let text = text.trim_end_matches('0');
    if text.is_empty() { ("0".to_string(), 1) } else { (text.to_string(), decpt) }
}

#[derive(Debug, Clone, Copy)]
enum DigitMode {
    /// Shortest digits that round-trip (dtoa mode 0).
    Shortest,
    /// This many significant digits (dtoa mode 2).
    Significant(i64),
    /// This many digits after the decimal point (dtoa mode 3).
    Fixed(i64),
}

/// Like dtoa: digits without trailing zeros and the decimal point position (`0.0123` ->
/// ("123", -1)). `value` must be finite and non-negative.
fn dtoa(value: f64, mode: DigitMode) -> (String, i64) {
    if value == 0.0 {
        return ("0".to_string(), 1);
    }
    let from_scientific = |text: String| -> (String, i64) {
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        let exponent: i64 = exponent.parse().unwrap_or(0);
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.trim_end_matches('0');
        if digits.is_empty() { ("0".to_string(), 1) } else { (digits.to_string(), exponent + 1) }
    };
    match mode {
        DigitMode::Shortest => {
            let shortest = from_scientific(format!("{value:e}"));
            // When the exact binary value lies exactly halfway between two shortest
            // candidates, dtoa picks the even last digit; Rust may pick the other one
            // (repr(624529484216514.25) is ...514.2 in Python, ...514.3 from `{:e}`).
            // 767 digits are enough to print any f64 exactly.
            let exact = from_scientific(format!("{value:.767e}"));
            if exact.0.len() == shortest.0.len() + 1 && exact.0.ends_with('5') {
                round_half_even_drop_last(&exact.0, exact.1)
            } else {
                shortest
            }
        }
        DigitMode::Significant(n) => {
            let decimals = usize::try_from(n - 1).unwrap_or(0);
            from_scientific(format!("{value:.decimals$e}"))
        }
        DigitMode::Fixed(n) => {
            let decimals = usize::try_from(n).unwrap_or(0);
            let text = format!("{value:.decimals$}");
            let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), ""));
            let all: String = int_part.chars().chain(frac_part.chars()).collect();
            let trimmed_start = all.trim_start_matches('0');
            let leading = (all.len() - trimmed_start.len()) as i64;
            let digits = trimmed_start.trim_end_matches('0');
            if digits.is_empty() {
                // Rounds to zero: dtoa returns no digits, decimal point after the last place.
                (String::new(), -n)
            } else {
                (digits.to_string(), int_part.len() as i64 - leading)
            }
        }
    }
}

/// Python's `int(float)` as decimal text (Python ints are unbounded, so no i64 here).
pub fn int_text(value: f64) -> Result<String, String> {
    if value.is_nan() {
        return Err("cannot convert float NaN to integer".to_string());
    }
    if value.is_infinite() {
        return Err("cannot convert float infinity to integer".to_string());
    }
    let text = format!("{:.0}", value.trunc());
    Ok(if text == "-0" { "0".to_string() } else { text })
}

/// CPython's `float_divmod` floor division.
pub fn floordiv(a: f64, b: f64) -> f64 {
    let modulo = a % b;
    let mut div = (a - modulo) / b;
    if modulo != 0.0 && (b < 0.0) != (modulo < 0.0) {
        div -= 1.0;
    }
    if div != 0.0 {
        let mut floordiv = div.floor();
        if div - floordiv > 0.5 {
            floordiv += 1.0;
        }
        floordiv
    } else {
        0.0f64.copysign(a / b)
    }
}

/// CPython's float `%` (result takes the sign of the divisor).
pub fn modulo(a: f64, b: f64) -> f64 {
    let modulo = a % b;
    if modulo != 0.0 { if (b < 0.0) != (modulo < 0.0) { modulo + b } else { modulo } } else { 0.0f64.copysign(b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The tie cases need every digit: the exact binary value is what is being tested.
    #[allow(clippy::excessive_precision)]
    #[test]
    fn float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (4.0, "4.0"),
            (1.2000000000000002, "1.2000000000000002"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-0.0, "-0.0"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (123456789.125, "123456789.125"),
            // Exact ties between two shortest candidates: dtoa keeps the even digit.
            (624529484216514.25, "624529484216514.2"),
            (203643557552125.125, "203643557552125.12"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (value, expected) in cases {
            assert_eq!(float_repr(*value), *expected, "{value:e}");
        }
    }

    /// Expected values from CPython 3.11: `"%.Nf" % x`, `x // y`, `x % y`, `int(x)`.
    #[test]
    fn fixed_and_arithmetic_match_python() {
        assert_eq!(format_fixed(2.675, 2), "2.67");
        assert_eq!(format_fixed(0.5, 0), "0");
        assert_eq!(format_fixed(-0.001, 2), "-0.00");
        assert_eq!(format_fixed(1e22, 1), "10000000000000000000000.0");
        assert_eq!(floordiv(7.5, 2.0), 3.0);
        assert_eq!(floordiv(-7.5, 2.0), -4.0);
        assert!(floordiv(-0.5, 3600.0) == -1.0);
        assert_eq!(modulo(-7.5, 2.0), 0.5);
        assert_eq!(modulo(7.5, -2.0), -0.5);
        assert!(modulo(-0.0, 60.0).is_sign_positive());
        assert_eq!(int_text(-0.7), Ok("0".to_string()));
        assert_eq!(int_text(1e20), Ok("100000000000000000000".to_string()));
        assert!(int_text(f64::NAN).is_err());
        assert!(int_text(f64::INFINITY).is_err());
    }
}
