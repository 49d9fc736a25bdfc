//! The template parser: a transcription of CPython's `MarkupIterator`
//! (Objects/stringlib/unicode_format.h), so that exactly the same templates are accepted
//! and split the same way as by `str.format` and `string.Formatter.parse`.

/// A template is literal text and replacement fields, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Text printed as is (`{{` and `}}` already turned into single braces).
    Literal(String),
    /// A `{name!conversion:spec}` replacement field.
    Field(Field),
}

/// One replacement field, split as Python splits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Everything before `!` or `:` (Python's `field_name`, attribute and index syntax included).
    pub name: String,
    /// The character after `!`, if any.
    pub conversion: Option<char>,
    /// The format spec after `:`, unexpanded (it may hold nested fields).
    pub spec: String,
    /// Character offset (0-based, in the top-level template) where `spec` starts.
    pub spec_offset: usize,
}

/// A template that is not valid `str.format` syntax (stray brace, unterminated field, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The 1-based character index of the offending brace or field in the top-level template.
    pub position: usize,
    /// What is wrong, one line.
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// A syntax error at the 0-based character `position`.
pub fn syntax(position: usize, message: &str) -> SyntaxError {
    SyntaxError { position: position.saturating_add(1), message: message.to_string() }
}

/// Splits `template` into literal text and fields. `offset` is where `template` starts
/// inside the top-level template (0 for the template itself), so that errors in nested
/// format specs point at the right character.
pub fn parse(template: &str, offset: usize) -> Result<Vec<Piece>, SyntaxError> {
    let chars: Vec<char> = template.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0usize;
    while let Some(c) = at(i) {
        i += 1;
        match c {
            '{' | '}' => {
                let next = at(i);
                if next == Some(c) {
                    literal.push(c);
                    i += 1;
                    continue;
                }
                if c == '}' {
                    return Err(syntax(offset + i - 1, "single '}' encountered (write '}}' for a literal brace)"));
                }
                if next.is_none() {
                    return Err(syntax(offset + i - 1, "single '{' encountered (write '{{' for a literal brace)"));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                let field = parse_field(&chars, &mut i, offset)?;
                pieces.push(Piece::Field(field));
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

/// Parses one replacement field; `*i` points just past its opening `{`.
fn parse_field(chars: &[char], i: &mut usize, offset: usize) -> Result<Field, SyntaxError> {
    let at = |i: usize| chars.get(i).copied();
    let open = offset + i.saturating_sub(1);
    let name_start = *i;
    let mut terminator = None;
    while let Some(c) = at(*i) {
        *i += 1;
        match c {
            '{' => return Err(syntax(offset + *i - 1, "unexpected '{' in field name")),
            // Python lets `]` hide `:`/`!`/`}` inside an index expression like `{a[:]}`.
            '[' => {
                while let Some(c) = at(*i) {
                    if c == ']' {
                        break;
                    }
                    *i += 1;
                }
            }
            '}' | ':' | '!' => {
                terminator = Some(c);
                break;
            }
            _ => {}
        }
    }
    let Some(terminator) = terminator else {
        return Err(syntax(open, "expected '}' before end of string"));
    };
    let name: String = chars.get(name_start..i.saturating_sub(1)).unwrap_or_default().iter().collect();
    let mut field = Field { name, conversion: None, spec: String::new(), spec_offset: offset + *i };
    if terminator == '}' {
        return Ok(field);
    }
    if terminator == '!' {
        let Some(conversion) = at(*i) else {
            return Err(syntax(open, "end of string while looking for conversion specifier"));
        };
        field.conversion = Some(conversion);
        *i += 1;
        if let Some(c) = at(*i) {
            *i += 1;
            if c == '}' {
                return Ok(field);
            }
            if c != ':' {
                return Err(syntax(offset + *i - 1, "expected ':' after conversion specifier"));
            }
        }
    }
    let spec_start = *i;
    field.spec_offset = offset + spec_start;
    let mut depth = 1usize;
    while let Some(c) = at(*i) {
        *i += 1;
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    field.spec = chars.get(spec_start..*i - 1).unwrap_or_default().iter().collect();
                    return Ok(field);
                }
            }
            _ => {}
        }
    }
    Err(syntax(open, "unmatched '{' in format spec"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, conversion: Option<char>, spec: &str, spec_offset: usize) -> Piece {
        Piece::Field(Field { name: name.to_string(), conversion, spec: spec.to_string(), spec_offset })
    }

    #[test]
    fn splits_like_string_formatter_parse() {
        let pieces = parse("a{{b}} {x!r:>{w}} {y[:]} {}", 0).unwrap();
        assert_eq!(
            pieces,
            vec![
                Piece::Literal("a{b} ".into()),
                field("x", Some('r'), ">{w}", 12),
                Piece::Literal(" ".into()),
                field("y[:]", None, "", 24),
                Piece::Literal(" ".into()),
                field("", None, "", 27),
            ]
        );
    }

    #[test]
    fn rejects_what_python_rejects() {
        for (template, position, needle) in [
            ("{", 1, "single '{'"),
            ("ab}", 3, "single '}'"),
            ("{x", 1, "expected '}'"),
            ("{x!", 1, "conversion specifier"),
            ("{x!rr}", 5, "expected ':'"),
            ("{x:{", 1, "unmatched '{'"),
            ("{a{b}", 3, "unexpected '{'"),
        ] {
            let err = parse(template, 0).unwrap_err();
            assert_eq!(err.position, position, "{template:?}");
            assert!(err.message.contains(needle), "{template:?}: {err}");
        }
        assert_eq!(parse("}", 10).unwrap_err().position, 11);
    }
}
