//! Python's `pprint.pprint` (width 80, indent 1, dicts sorted), for the values `json.load` gives: what
//! `con-duct pp` prints. A value whose `repr` fits stays on one line; a dict or list that does not gets one
//! item per line; a long string is split at whitespace into adjacent literals, as CPython 3.11 does.

use serde_json::Value;

use crate::summary::{py_repr, py_str_repr};

const WIDTH: usize = 80;

/// `pprint.pprint(value)`: the text with its final newline.
pub fn pformat(value: &Value) -> String {
    let mut out = String::new();
    format(&mut out, value, 0, 0, 0);
    out.push('\n');
    out
}

fn len(text: &str) -> usize {
    text.chars().count()
}

/// `PrettyPrinter._safe_repr`: `repr` with dict items sorted by key.
fn repr(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let items: Vec<String> =
                sorted(map).into_iter().map(|(k, v)| format!("{}: {}", py_str_repr(k), repr(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(repr).collect::<Vec<_>>().join(", ")),
        other => py_repr(other),
    }
}

fn sorted(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut items: Vec<(&String, &Value)> = map.iter().collect();
    items.sort_by(|a, b| a.0.cmp(b.0));
    items
}

/// `PrettyPrinter._format`.
fn format(out: &mut String, value: &Value, indent: usize, allowance: usize, level: usize) {
    let rep = repr(value);
    let max_width = WIDTH as isize - indent as isize - allowance as isize;
    if len(&rep) as isize > max_width {
        match value {
            Value::Object(map) if !map.is_empty() => return format_dict(out, map, indent, allowance, level + 1),
            Value::Array(items) if !items.is_empty() => return format_list(out, items, indent, allowance, level + 1),
            Value::String(s) if !s.is_empty() => return format_str(out, s, indent, allowance, level + 1),
            _ => {}
        }
    }
    out.push_str(&rep);
}

/// `_pprint_dict` and `_format_dict_items`.
fn format_dict(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize, allowance: usize, level: usize) {
    out.push('{');
    let items = sorted(map);
    let indent = indent + 1;
    let allowance = allowance + 1;
    let last_index = items.len() - 1;
    for (i, (key, item)) in items.into_iter().enumerate() {
        let last = i == last_index;
        let rep = py_str_repr(key);
        out.push_str(&rep);
        out.push_str(": ");
        format(out, item, indent + len(&rep) + 2, if last { allowance } else { 1 }, level);
        if !last {
            out.push_str(",\n");
            out.push_str(&" ".repeat(indent));
        }
    }
    out.push('}');
}

/// `_pprint_list` and `_format_items` (not compact).
fn format_list(out: &mut String, items: &[Value], indent: usize, allowance: usize, level: usize) {
    out.push('[');
    let indent = indent + 1;
    let allowance = allowance + 1;
    for (i, item) in items.iter().enumerate() {
        let last = i == items.len() - 1;
        if i > 0 {
            out.push_str(",\n");
            out.push_str(&" ".repeat(indent));
        }
        format(out, item, indent, if last { allowance } else { 1 }, level);
    }
    out.push(']');
}

/// `_pprint_str`: lines kept whole when their repr fits, else split after runs of whitespace.
fn format_str(out: &mut String, text: &str, indent: usize, allowance: usize, level: usize) {
    let (indent, allowance) = if level == 1 { (indent + 1, allowance + 1) } else { (indent, allowance) };
    let max_width = WIDTH as isize - indent as isize;
    let lines = split_lines_keep_ends(text);
    let mut chunks: Vec<String> = Vec::new();
    let mut max_width1 = max_width;
    let mut last_rep = String::new();
    for (i, line) in lines.iter().enumerate() {
        let rep = py_str_repr(line);
        let last_line = i == lines.len() - 1;
        if last_line {
            max_width1 -= allowance as isize;
        }
        if len(&rep) as isize <= max_width1 {
            chunks.push(rep.clone());
        } else {
            let parts = whitespace_parts(line);
            let mut max_width2 = max_width;
            let mut current = String::new();
            for (j, part) in parts.iter().enumerate() {
                let candidate = format!("{current}{part}");
                if j == parts.len() - 1 && last_line {
                    max_width2 -= allowance as isize;
                }
                if len(&py_str_repr(&candidate)) as isize > max_width2 {
                    if !current.is_empty() {
                        chunks.push(py_str_repr(&current));
                    }
                    current = (*part).to_string();
                } else {
                    current = candidate;
                }
            }
            if !current.is_empty() {
                chunks.push(py_str_repr(&current));
            }
        }
        last_rep = rep;
    }
    if chunks.len() == 1 {
        // CPython writes the repr of the last line here, which is the whole string when there is one line.
        out.push_str(&last_rep);
        return;
    }
    if level == 1 {
        out.push('(');
    }
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(chunk);
    }
    if level == 1 {
        out.push(')');
    }
}

/// Python's `str.isspace` (what `\s` matches in a str pattern).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// `re.findall(r'\S*\s*', line)` without its final empty match.
fn whitespace_parts(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && !is_py_space(chars[i].1) {
            i += 1;
        }
        while i < chars.len() && is_py_space(chars[i].1) {
            i += 1;
        }
        let end = chars.get(i).map_or(line.len(), |c| c.0);
        parts.push(&line[start..end]);
        start = end;
    }
    parts
}

/// `str.splitlines(keepends=True)`.
fn split_lines_keep_ends(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = match c {
            '\r' => match iter.peek() {
                Some((_, '\n')) => {
                    iter.next();
                    i + 2
                }
                _ => i + 1,
            },
            '\n' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
                i + c.len_utf8()
            }
            _ => continue,
        };
        lines.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}
