//! Python's `str.isprintable()` for one character, which decides what `repr()` escapes.

/// An approximation of Python's `str.isprintable()` for non-ASCII characters: Rust has
/// no Unicode general-category table, so we cover the categories Python escapes that
/// realistically occur (controls, non-space separators, common format characters,
/// private use).
pub fn is_printable(c: char) -> bool {
    let code = c as u32;
    let format_char = matches!(
        code,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private_or_nonchar = matches!(
        code,
        0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFDD0..=0xFDEF
    ) || (code & 0xFFFE) == 0xFFFE;
    !(c.is_control() || c.is_whitespace() || format_char || private_or_nonchar)
}
