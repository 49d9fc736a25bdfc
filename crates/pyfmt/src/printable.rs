//! Python's `str.isprintable()` for one character, which decides what `repr()` escapes.
//!
//! CPython's definition (Tools/unicode/makeunicodedata.py): a character is printable
//! unless its Unicode general category is Cc, Cf, Cs, Co, Cn, Zl, Zp or Zs, except the
//! space, which is printable. The categories here are Unicode 16.0's (the
//! unicode-general-category crate), which is CPython 3.14's database; an older CPython
//! differs only on the characters its own, older, database does not know yet (it calls
//! them Cn and escapes them). tests/isprintable.rs checks every code point against
//! CPython 3.11's answers, the version duct's con-duct reference runs on.

use unicode_general_category::{GeneralCategory, get_general_category};

/// Python's `str.isprintable()` of `c`.
pub fn is_printable(c: char) -> bool {
    c == ' '
        || !matches!(
            get_general_category(c),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::Surrogate
                | GeneralCategory::PrivateUse
                | GeneralCategory::Unassigned
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
                | GeneralCategory::SpaceSeparator
        )
}
