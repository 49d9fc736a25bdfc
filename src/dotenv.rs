//! `.env` files read by python-dotenv's rules (con-duct loads them with `load_dotenv(path, override=False)`),
//! so that a file written for con-duct means the same to duct. Pure: bytes in, statements out; the caller
//! decides what to do with the environment.
//!
//! The grammar follows python-dotenv 1.2's `parser.py`, one regular expression per step; where it gives up
//! (a statement it cannot parse) only that statement is lost. duct is stricter than Python in one way that
//! costs nothing: bytes that are not UTF-8 make Python skip the whole file, duct only the statements holding
//! them.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// One `KEY=value` statement; `value` is None for a bare `KEY` (which python-dotenv reads but never sets).
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub key: String,
    pub value: Option<String>,
    /// 1-based line where the statement starts.
    pub line: usize,
}

/// A statement that was not applied, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub line: usize,
    pub reason: &'static str,
}

const NOT_PARSED: &str = "cannot parse this statement";
const NOT_UTF8: &str = "not valid UTF-8";

/// Python's `str.isspace` (what `\s` matches in its regular expressions): Unicode White_Space plus the four
/// ASCII separators 0x1C..0x1F.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `[^\S\r\n]`: white space within a line (the text has only `\n` line ends, see `normalize`).
fn is_inline_space(c: char) -> bool {
    c != '\n' && is_space(c)
}

/// Python reads the file in text mode: `\r\n` and `\r` become `\n`; a leading BOM is dropped. Bytes that are
/// not UTF-8 become U+FFFD, and their places are returned so that statements holding them can be refused.
fn normalize(bytes: &[u8]) -> (String, Vec<usize>) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut unix = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' {
            if iter.peek() == Some(&&b'\n') {
                iter.next();
            }
            unix.push(b'\n');
        } else {
            unix.push(b);
        }
    }
    let mut text = String::with_capacity(unix.len());
    let mut invalid = Vec::new();
    for chunk in unix.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            invalid.push(text.len());
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, invalid)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

/// A step of the grammar did not match; the statement is lost from here to the end of its line.
struct Fail;

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn advance(&mut self, len: usize) -> &'a str {
        let taken = &self.text[self.pos..self.pos + len];
        self.line += taken.matches('\n').count();
        self.pos += len;
        taken
    }

    /// Take the longest prefix whose characters all satisfy `keep`.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let len = self.rest().find(|c| !keep(c)).unwrap_or(self.rest().len());
        self.advance(len)
    }

    /// `(?:export[^\S\r\n]+)?`
    fn export(&mut self) {
        if let Some(after) = self.rest().strip_prefix("export")
            && after.starts_with(is_inline_space)
        {
            self.advance("export".len());
            self.take_while(is_inline_space);
        }
    }

    /// `'([^']+)'` or `([^=\#\s]+)`; None for a comment.
    fn key(&mut self) -> Result<Option<String>, Fail> {
        match self.peek() {
            Some('#') => Ok(None),
            Some('\'') => {
                let inner = &self.rest()[1..];
                match inner.find('\'') {
                    Some(end) if end > 0 => {
                        let key = inner[..end].to_string();
                        self.advance(end + 2);
                        Ok(Some(key))
                    }
                    _ => Err(Fail),
                }
            }
            _ => {
                let key = self.take_while(|c| c != '=' && c != '#' && !is_space(c));
                if key.is_empty() { Err(Fail) } else { Ok(Some(key.to_string())) }
            }
        }
    }

    /// `Q((?:\\.|[^Q\\])*)Q` (with `.` matching newlines too): the raw text between the quotes.
    fn quoted(&mut self, quote: char) -> Result<&'a str, Fail> {
        let inner = &self.rest()[1..];
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                chars.next().ok_or(Fail)?;
            } else if c == quote {
                let raw = &inner[..i];
                self.advance(i + 2);
                return Ok(raw);
            }
        }
        Err(Fail)
    }

    fn value(&mut self) -> Result<String, Fail> {
        match self.peek() {
            Some('\'') => Ok(decode_escapes(self.quoted('\'')?, &['\\', '\''])),
            Some('"') => Ok(decode_escapes(self.quoted('"')?, &['\\', '\'', '"', 'a', 'b', 'f', 'n', 'r', 't', 'v'])),
            None | Some('\n') => Ok(String::new()),
            Some(_) => Ok(unquoted(self.take_while(|c| c != '\n'))),
        }
    }

    /// `(?:[^\S\r\n]*#[^\r\n]*)?` then `[^\S\r\n]*(?:\n|$)`.
    fn end_of_statement(&mut self) -> Result<(), Fail> {
        let ws = self.rest().find(|c| !is_inline_space(c)).unwrap_or(self.rest().len());
        if self.rest()[ws..].starts_with('#') {
            self.take_while(|c| c != '\n');
        }
        self.take_while(is_inline_space);
        match self.peek() {
            None => Ok(()),
            Some('\n') => {
                self.advance(1);
                Ok(())
            }
            Some(_) => Err(Fail),
        }
    }

    /// One statement after the leading white space: None for a comment.
    fn statement(&mut self) -> Result<Option<(String, Option<String>)>, Fail> {
        self.export();
        let key = self.key()?;
        self.take_while(is_inline_space);
        let value = if self.peek() == Some('=') {
            self.advance(1);
            let spaced = !self.take_while(is_inline_space).is_empty();
            // `KEY= # note` is empty with a comment; `KEY=#text` is the text.
            if spaced && self.peek() == Some('#') { Some(String::new()) } else { Some(self.value()?) }
        } else {
            None
        };
        self.end_of_statement()?;
        Ok(key.map(|k| (k, value)))
    }
}

/// An unquoted value ends at the first white space followed by `#`, and loses trailing white space.
fn unquoted(raw: &str) -> String {
    let mut cut = raw.len();
    let mut run_start = None;
    for (i, c) in raw.char_indices() {
        if is_space(c) {
            run_start.get_or_insert(i);
        } else {
            if c == '#'
                && let Some(start) = run_start
            {
                cut = start;
                break;
            }
            run_start = None;
        }
    }
    raw[..cut].trim_end_matches(is_space).to_string()
}

/// A backslash before one of `escapes` is decoded as Python's `unicode-escape` codec decodes it; any other
/// backslash stays as written.
fn decode_escapes(raw: &str, escapes: &[char]) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek().copied() {
            Some(next) if c == '\\' && escapes.contains(&next) => {
                chars.next();
                out.push(match next {
                    'a' => '\u{07}',
                    'b' => '\u{08}',
                    'f' => '\u{0c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'v' => '\u{0b}',
                    other => other,
                });
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every statement of a file, in order: the bindings read and the statements skipped.
pub fn parse(bytes: &[u8]) -> Vec<Result<Binding, Skipped>> {
    let (text, invalid) = normalize(bytes);
    let mut r = Reader { text: &text, pos: 0, line: 1 };
    let mut out = Vec::new();
    loop {
        r.take_while(is_space);
        if r.pos >= text.len() {
            return out;
        }
        let (start, line) = (r.pos, r.line);
        match r.statement() {
            Ok(None) => {}
            Ok(Some(_)) if invalid.iter().any(|i| (start..r.pos).contains(i)) => {
                out.push(Err(Skipped { line, reason: NOT_UTF8 }));
            }
            Ok(Some((key, value))) => out.push(Ok(Binding { key, value, line })),
            Err(Fail) => {
                r.take_while(|c| c != '\n');
                let reason = if invalid.iter().any(|i| (start..r.pos).contains(i)) { NOT_UTF8 } else { NOT_PARSED };
                out.push(Err(Skipped { line, reason }));
            }
        }
    }
}

/// A piece of a value: text as written, or `${NAME}` / `${NAME:-default}`.
enum Atom<'a> {
    Text(&'a str),
    Var(&'a str, Option<&'a str>),
}

/// python-dotenv's `\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}`, leftmost first.
fn atoms(value: &str) -> Vec<Atom<'_>> {
    let mut out = Vec::new();
    let (mut cursor, mut from) = (0, 0);
    while let Some(found) = value[from..].find("${") {
        let start = from + found;
        let body = &value[start + 2..];
        let name_len = body.find(['}', ':']).unwrap_or(body.len());
        let name = &body[..name_len];
        let after = &body[name_len..];
        let matched = if after.starts_with('}') {
            Some((None, name_len + 1))
        } else if let Some(def) = after.strip_prefix(":-") {
            def.find('}').map(|end| (Some(&def[..end]), name_len + 2 + end + 1))
        } else {
            None
        };
        match matched {
            Some((default, len)) => {
                if start > cursor {
                    out.push(Atom::Text(&value[cursor..start]));
                }
                out.push(Atom::Var(name, default));
                cursor = start + 2 + len;
                from = cursor;
            }
            None => from = start + 1,
        }
    }
    if cursor < value.len() {
        out.push(Atom::Text(&value[cursor..]));
    }
    out
}

/// Expand `${VAR}` in every value as `load_dotenv(override=False)` does: the environment wins over the
/// file's own earlier statements; a name in neither takes its default (or nothing). A repeated key keeps
/// its last value, in its first place. Values are bytes, because the environment's may be.
pub fn resolve(bindings: &[Binding], env: &dyn Fn(&str) -> Option<OsString>) -> Vec<(String, Option<OsString>)> {
    let mut values: Vec<(String, Option<OsString>)> = Vec::new();
    for b in bindings {
        let value = b.value.as_deref().map(|v| {
            let mut out = Vec::new();
            for atom in atoms(v) {
                match atom {
                    Atom::Text(t) => out.extend_from_slice(t.as_bytes()),
                    Atom::Var(name, default) => {
                        let own = || values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone().unwrap_or_default());
                        let found = env(name).or_else(own);
                        let text = found.unwrap_or_else(|| OsString::from(default.unwrap_or_default()));
                        out.extend_from_slice(text.as_bytes());
                    }
                }
            }
            OsString::from_vec(out)
        });
        match values.iter_mut().find(|(k, _)| *k == b.key) {
            Some(slot) => slot.1 = value,
            None => values.push((b.key.clone(), value)),
        }
    }
    values
}

/// Why `key=value` cannot be put in the environment (where Python raises and Rust would panic), if it cannot.
pub fn unsettable(key: &str, value: &OsStr) -> Option<&'static str> {
    if key.contains('=') {
        Some("a variable name cannot contain '='")
    } else if key.contains('\0') || value.as_bytes().contains(&0) {
        Some("a variable cannot hold a NUL character")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bindings of `text` (None for skipped statements), resolved against an environment holding only HOME.
    fn load(text: &str) -> Vec<(String, Option<String>)> {
        let bindings: Vec<Binding> = parse(text.as_bytes()).into_iter().filter_map(Result::ok).collect();
        let env = |name: &str| (name == "HOME").then(|| OsString::from("/root"));
        resolve(&bindings, &env).into_iter().map(|(k, v)| (k, v.map(|v| v.to_string_lossy().into_owned()))).collect()
    }

    fn one(text: &str) -> Option<String> {
        let all = load(text);
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().and_then(|(_, v)| v)
    }

    fn skipped(text: &str) -> Vec<(usize, &'static str)> {
        parse(text.as_bytes()).into_iter().filter_map(Result::err).map(|s| (s.line, s.reason)).collect()
    }

    // Each expectation below is what python-dotenv 1.2 (con-duct's venv) gives for the same text.

    #[test]
    fn unquoted_values() {
        assert_eq!(one("A=hello world # c").as_deref(), Some("hello world"));
        assert_eq!(one("A=a #b #c").as_deref(), Some("a"));
        assert_eq!(one("A=a#b").as_deref(), Some("a#b"));
        assert_eq!(one("A=#c").as_deref(), Some("#c"));
        assert_eq!(one("A= #c").as_deref(), Some(""));
        assert_eq!(one("A=  v  ").as_deref(), Some("v"));
        assert_eq!(one("A = 1").as_deref(), Some("1"));
        assert_eq!(one("A=1 junk").as_deref(), Some("1 junk"));
        assert_eq!(one("A=a\u{1c}#c").as_deref(), Some("a"));
        assert_eq!(one("A=$B").as_deref(), Some("$B"));
        assert_eq!(one("A=").as_deref(), Some(""));
    }

    #[test]
    fn keys_bare_export_and_comments() {
        assert_eq!(load("A"), vec![("A".to_string(), None)]);
        assert_eq!(one("export A=1").as_deref(), Some("1"));
        assert_eq!(load("export"), vec![("export".to_string(), None)]);
        assert_eq!(load("export  A"), vec![("A".to_string(), None)]);
        assert_eq!(load("K#x=1"), vec![("K".to_string(), None)]);
        assert_eq!(load("'k ey'=v"), vec![("k ey".to_string(), Some("v".to_string()))]);
        assert_eq!(load("# only\n  # comments\n\n"), vec![]);
    }

    #[test]
    fn quoted_values_and_escapes() {
        assert_eq!(one(r#"A="x\ty\nz\\q\x41\"e""#).as_deref(), Some("x\ty\nz\\q\\x41\"e"));
        assert_eq!(one(r#"A="\a\b\f\r\v\'""#).as_deref(), Some("\u{7}\u{8}\u{c}\r\u{b}'"));
        assert_eq!(one(r"A='x\\ty\'q'").as_deref(), Some("x\\ty'q"));
        assert_eq!(one(r"A='\n'").as_deref(), Some("\\n"));
        assert_eq!(one("A=\"multi\nline\"").as_deref(), Some("multi\nline"));
        assert_eq!(one("A=\"a\" #c").as_deref(), Some("a"));
        assert_eq!(one("A=\"a\"#c").as_deref(), Some("a"));
        assert_eq!(one("A=\"a\r\nb\"").as_deref(), Some("a\nb"));
    }

    #[test]
    fn line_ends_and_bom() {
        assert_eq!(load("A=x\rB=y").len(), 2);
        assert_eq!(load("A=\r\nB=2")[1], ("B".to_string(), Some("2".to_string())));
        assert_eq!(one("\u{feff}A=1").as_deref(), Some("1"));
        assert_eq!(one("A=1\u{1c}\n").as_deref(), Some("1"));
    }

    #[test]
    fn interpolation() {
        let all = load("B=b\nA=${B}-${C:-def}-${HOME}");
        assert_eq!(all[1].1.as_deref(), Some("b-def-/root"));
        assert_eq!(load("B=b\nA='${B}'")[1].1.as_deref(), Some("b"));
        // The environment beats the file's own value (override=False).
        assert_eq!(load("HOME=x\nA=${HOME}")[1].1.as_deref(), Some("/root"));
        // A bare key is known but empty: its default is not used.
        assert_eq!(load("A\nB=${A:-d}")[1].1.as_deref(), Some(""));
        assert_eq!(load("A=1\nA=2\nB=${A}"), vec![("A".into(), Some("2".into())), ("B".into(), Some("2".into()))]);
        assert_eq!(one("A=${B").as_deref(), Some("${B"));
        assert_eq!(one("A=${:-x}").as_deref(), Some("x"));
        assert_eq!(one("A=${a:b}${HOME}").as_deref(), Some("${a:b}/root"));
    }

    #[test]
    fn bad_statements_are_skipped_alone() {
        assert_eq!(skipped("A=\"unterminated\nB=2"), vec![(1, NOT_PARSED)]);
        assert_eq!(load("A=\"unterminated\nB=2"), vec![("B".to_string(), Some("2".to_string()))]);
        assert_eq!(skipped("A=1\n\n\nbad line\nB=2"), vec![(4, NOT_PARSED)]);
        assert_eq!(skipped("A=\"a\"b"), vec![(1, NOT_PARSED)]);
        assert_eq!(skipped("A='\nB=1"), vec![(1, NOT_PARSED)]);
        assert_eq!(skipped("=x"), vec![(1, NOT_PARSED)]);
        assert_eq!(load("X=\"one\ntwo\"\nbad one\nY=1").len(), 2);
        assert_eq!(skipped("X=\"one\ntwo\"\nbad one\nY=1"), vec![(3, NOT_PARSED)]);
    }

    #[test]
    fn bytes_that_are_not_utf8_cost_only_their_statement() {
        let out = parse(b"A=1\nB=caf\xe9\n# caf\xe9\nC=\"x\xff\ny\"\nD=2\n");
        let keys: Vec<_> = out.iter().filter_map(|s| s.as_ref().ok()).map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["A", "D"]);
        let bad: Vec<_> = out.iter().filter_map(|s| s.as_ref().err()).map(|s| (s.line, s.reason)).collect();
        assert_eq!(bad, [(2, NOT_UTF8), (4, NOT_UTF8)]);
        // A real U+FFFD in the file is just text.
        assert_eq!(one("A=\u{fffd}").as_deref(), Some("\u{fffd}"));
    }

    #[test]
    fn unsettable_variables_are_named() {
        assert!(unsettable("A=B", OsStr::new("x")).is_some());
        assert!(unsettable("A", OsStr::new("x\0y")).is_some());
        assert!(unsettable("A", OsStr::new("x")).is_none());
    }
}
