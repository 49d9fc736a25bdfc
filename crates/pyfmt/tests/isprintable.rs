//! `pyfmt::printable::is_printable` against CPython's own `str.isprintable()` on every
//! code point (tests/data/python_isprintable.txt, written by the script beside it).
// Its helper sits outside #[test] functions; a broken data file should stop the test where it was found.
#![allow(clippy::unwrap_used)]

use pyfmt::printable::is_printable;

const PYTHON: &str = include_str!("data/python_isprintable.txt");

/// The code points CPython rejects: (first, last, general category), in order.
fn python_rejects() -> Vec<(u32, u32, &'static str)> {
    PYTHON
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let (range, category) = line.split_once(' ').unwrap();
            let (first, last) = range.split_once("..").unwrap();
            (u32::from_str_radix(first, 16).unwrap(), u32::from_str_radix(last, 16).unwrap(), category)
        })
        .collect()
}

#[test]
fn is_printable_is_pythons_on_all_of_unicode() {
    let rejects = python_rejects();
    assert!(PYTHON.starts_with("# Written by python_isprintable.py under CPython 3.11."), "{}", &PYTHON[..80]);
    assert!(rejects.len() > 700, "only {} ranges", rejects.len());
    let mut ranges = rejects.iter().peekable();
    let mut wrong = Vec::new();
    // Code points CPython 3.11 (Unicode 14.0) does not know and Unicode 16.0 assigns a
    // printable category: we print them, as CPython 3.14 does; 3.11 escapes them.
    let mut assigned_since = 0u32;
    for code in 0..=0x10FFFFu32 {
        while ranges.next_if(|(_, last, _)| *last < code).is_some() {}
        let python = ranges.peek().filter(|(first, _, _)| *first <= code).map(|(_, _, category)| *category);
        let Some(c) = char::from_u32(code) else {
            assert_eq!(python, Some("Cs"), "U+{code:04X}");
            continue;
        };
        match (python, is_printable(c)) {
            (None, true) | (Some(_), false) => {}
            (Some("Cn"), true) => assigned_since += 1,
            (python, ours) => wrong.push(format!("U+{code:04X}: CPython {python:?}, ours printable={ours}")),
        }
    }
    assert!(wrong.is_empty(), "{} code points differ:\n{}", wrong.len(), wrong.join("\n"));
    assert_eq!(assigned_since, 10_294, "printable characters new since Unicode 14.0");
}

#[test]
fn repr_escapes_what_python_escapes() {
    // Expected strings from CPython 3.11's repr().
    for (text, expected) in [
        ("a\u{a0}b\u{2028}\u{200b}\u{e000}\u{3000}", "'a\\xa0b\\u2028\\u200b\\ue000\\u3000'"),
        ("\u{378}\u{e9}\u{30a2}\u{1f600}\u{10ffff}", "'\\u0378é\u{30a2}\u{1f600}\\U0010ffff'"),
        ("\u{ad}\u{61c}\u{feff}\u{e0001}", "'\\xad\\u061c\\ufeff\\U000e0001'"),
    ] {
        assert_eq!(pyfmt::str_repr(text, false), expected, "{text:?}");
    }
}
