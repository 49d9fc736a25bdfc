//! `con-duct ls -e`: con-duct `eval`s a Python expression per run; this is a small, safe language covering what
//! people write there, with Python's meaning: field names (the flattened record), numbers, 'strings' (also
//! r'raw'), None/True/False, [lists] and (tuples), `== != < <= > >=` (chained, as Python), `in`, `not in`,
//! `is`, `is not`, `and or not` (returning an operand, as Python), parentheses, unary minus, and
//! `re.search/match/fullmatch(PATTERN, value[, re.I|re.IGNORECASE])`. Anything else is refused before any
//! file is read, in one line. Where Python would raise while evaluating a run (a missing field, `None < 1`),
//! the run is left out with a warning, as con-duct does.

use serde_json::{Map, Value};

/// A parsed expression, ready for every run.
#[derive(Debug)]
pub struct Filter {
    expr: Expr,
}

#[derive(Debug)]
enum Expr {
    Const(V),
    Field(String),
    List(Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Box<Expr>, Vec<(Op, Expr)>),
    Regex(RegexKind, Box<Expr>, Box<Expr>, bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug, Clone, Copy)]
enum RegexKind {
    Search,
    Match,
    FullMatch,
}

/// A value while evaluating: what `json.load` gives, plus a match object.
#[derive(Debug, Clone)]
enum V {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<V>),
    Dict(Vec<(String, V)>),
    Match,
}

impl V {
    fn from_json(value: &Value) -> V {
        match value {
            Value::Null => V::None,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => n.as_i64().map(V::Int).unwrap_or_else(|| V::Float(n.as_f64().unwrap_or(f64::NAN))),
            Value::String(s) => V::Str(s.clone()),
            Value::Array(items) => V::List(items.iter().map(V::from_json).collect()),
            Value::Object(map) => V::Dict(map.iter().map(|(k, v)| (k.clone(), V::from_json(v))).collect()),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            V::None => false,
            V::Bool(b) => *b,
            V::Int(i) => *i != 0,
            V::Float(f) => *f != 0.0,
            V::Str(s) => !s.is_empty(),
            V::List(items) => !items.is_empty(),
            V::Dict(items) => !items.is_empty(),
            V::Match => true,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            V::None => "NoneType",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Float(_) => "float",
            V::Str(_) => "str",
            V::List(_) => "list",
            V::Dict(_) => "dict",
            V::Match => "re.Match",
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            V::Bool(b) => Some(f64::from(u8::from(*b))),
            V::Int(i) => Some(*i as f64),
            V::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// Python's `==`.
fn equal(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::None, V::None) => true,
        (V::Str(x), V::Str(y)) => x == y,
        (V::List(x), V::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q)),
        (V::Dict(x), V::Dict(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && equal(v, v2)))
        }
        (V::Int(x), V::Int(y)) => x == y,
        _ => match (a.number(), b.number()) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// Python's ordering, or its TypeError.
fn order(a: &V, b: &V, op: &str) -> Result<std::cmp::Ordering, String> {
    let err = || format!("'{op}' not supported between instances of '{}' and '{}'", a.type_name(), b.type_name());
    match (a, b) {
        (V::Str(x), V::Str(y)) => Ok(x.cmp(y)),
        (V::Int(x), V::Int(y)) => Ok(x.cmp(y)),
        (V::List(x), V::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !equal(p, q) {
                    return order(p, q, op);
                }
            }
            Ok(x.len().cmp(&y.len()))
        }
        _ => match (a.number(), b.number()) {
            // NaN compares false every way; Equal then Less is never reported for it below.
            (Some(x), Some(y)) => x.partial_cmp(&y).ok_or_else(|| "nan".to_string()),
            _ => Err(err()),
        },
    }
}

fn compare(op: Op, a: &V, b: &V) -> Result<bool, String> {
    use std::cmp::Ordering::*;
    let ordered = |name: &str, want: &[std::cmp::Ordering]| match order(a, b, name) {
        Ok(o) => Ok(want.contains(&o)),
        Err(e) if e == "nan" => Ok(false),
        Err(e) => Err(e),
    };
    match op {
        Op::Eq => Ok(equal(a, b)),
        Op::Ne => Ok(!equal(a, b)),
        Op::Lt => ordered("<", &[Less]),
        Op::Le => ordered("<=", &[Less, Equal]),
        Op::Gt => ordered(">", &[Greater]),
        Op::Ge => ordered(">=", &[Greater, Equal]),
        Op::In => contains(b, a),
        Op::NotIn => contains(b, a).map(|x| !x),
        Op::Is => Ok(identical(a, b)),
        Op::IsNot => Ok(!identical(a, b)),
    }
}

/// `is`: meaningful for None, True and False (singletons), which is what people write it with.
fn identical(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::None, V::None) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        _ => false,
    }
}

/// Python's `item in container`.
fn contains(container: &V, item: &V) -> Result<bool, String> {
    match container {
        V::Str(s) => match item {
            V::Str(sub) => Ok(s.contains(sub.as_str())),
            other => Err(format!("'in <string>' requires string as left operand, not {}", other.type_name())),
        },
        V::List(items) => Ok(items.iter().any(|x| equal(x, item))),
        V::Dict(items) => Ok(items.iter().any(|(k, _)| matches!(item, V::Str(s) if s == k))),
        other => Err(format!("argument of type '{}' is not iterable", other.type_name())),
    }
}

impl Filter {
    /// Parses `source`; the error is one line saying what is not understood and where.
    pub fn compile(source: &str) -> Result<Filter, String> {
        let tokens = tokenize(source)?;
        let mut parser = Parser { tokens, pos: 0 };
        let expr = parser.or_test()?;
        if let Some(t) = parser.tokens.get(parser.pos) {
            return Err(format!("unexpected {} at character {}", t.kind.describe(), t.at + 1));
        }
        check_patterns(&expr)?;
        Ok(Filter { expr })
    }

    /// Whether the run (flattened) is kept; `Err` is Python's exception, in words.
    pub fn keep(&self, run: &Map<String, Value>) -> Result<bool, String> {
        eval(&self.expr, run).map(|v| v.truthy())
    }
}

/// A constant pattern that cannot be compiled is refused up front, not once per run.
fn check_patterns(expr: &Expr) -> Result<(), String> {
    match expr {
        Expr::Regex(kind, pattern, value, icase) => {
            if let Expr::Const(V::Str(p)) = pattern.as_ref() {
                build_regex(*kind, p, *icase)?;
            }
            check_patterns(pattern)?;
            check_patterns(value)
        }
        Expr::List(items) => items.iter().try_for_each(check_patterns),
        Expr::Neg(e) | Expr::Not(e) => check_patterns(e),
        Expr::And(a, b) | Expr::Or(a, b) => check_patterns(a).and_then(|()| check_patterns(b)),
        Expr::Compare(first, rest) => {
            check_patterns(first)?;
            rest.iter().try_for_each(|(_, e)| check_patterns(e))
        }
        Expr::Const(_) | Expr::Field(_) => Ok(()),
    }
}

fn build_regex(kind: RegexKind, pattern: &str, icase: bool) -> Result<regex::Regex, String> {
    let anchored = match kind {
        RegexKind::Search => pattern.to_string(),
        RegexKind::Match => format!(r"\A(?:{pattern})"),
        RegexKind::FullMatch => format!(r"\A(?:{pattern})\z"),
    };
    regex::RegexBuilder::new(&anchored).case_insensitive(icase).build().map_err(|e| {
        let reason = e.to_string();
        let last = reason.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid").trim().to_string();
        format!(
            "pattern {} is not a regular expression this language supports: {last}",
            crate::summary::py_str_repr(pattern)
        )
    })
}

fn eval(expr: &Expr, run: &Map<String, Value>) -> Result<V, String> {
    Ok(match expr {
        Expr::Const(v) => v.clone(),
        Expr::Field(name) => match run.get(name) {
            Some(v) => V::from_json(v),
            None => return Err(format!("name '{name}' is not defined")),
        },
        Expr::List(items) => V::List(items.iter().map(|e| eval(e, run)).collect::<Result<_, _>>()?),
        Expr::Neg(e) => match eval(e, run)? {
            V::Int(i) => V::Int(i.checked_neg().ok_or("integer overflow")?),
            V::Float(f) => V::Float(-f),
            V::Bool(b) => V::Int(-i64::from(b)),
            other => return Err(format!("bad operand type for unary -: '{}'", other.type_name())),
        },
        Expr::Not(e) => V::Bool(!eval(e, run)?.truthy()),
        Expr::And(a, b) => {
            let left = eval(a, run)?;
            if left.truthy() { eval(b, run)? } else { left }
        }
        Expr::Or(a, b) => {
            let left = eval(a, run)?;
            if left.truthy() { left } else { eval(b, run)? }
        }
        Expr::Compare(first, rest) => {
            let mut left = eval(first, run)?;
            for (op, e) in rest {
                let right = eval(e, run)?;
                if !compare(*op, &left, &right)? {
                    return Ok(V::Bool(false));
                }
                left = right;
            }
            V::Bool(true)
        }
        Expr::Regex(kind, pattern, value, icase) => {
            let pattern = match eval(pattern, run)? {
                V::Str(p) => p,
                other => {
                    return Err(format!(
                        "first argument must be string or compiled pattern, not {}",
                        other.type_name()
                    ));
                }
            };
            let value = match eval(value, run)? {
                V::Str(s) => s,
                other => return Err(format!("expected string or bytes-like object, got '{}'", other.type_name())),
            };
            if build_regex(*kind, &pattern, *icase)?.is_match(&value) { V::Match } else { V::None }
        }
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Name(String),
    Int(i64),
    Float(f64),
    Str(String),
    Punct(&'static str),
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Name(n) => format!("'{n}'"),
            Kind::Int(i) => format!("number {i}"),
            Kind::Float(f) => format!("number {f}"),
            Kind::Str(s) => format!("string {}", crate::summary::py_str_repr(s)),
            Kind::Punct(p) => format!("'{p}'"),
        }
    }
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    at: usize,
}

const PUNCT: [&str; 13] = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", ".", "-"];

fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            i += 1;
            continue;
        }
        let at = i;
        // A string, maybe raw (r'...'): the usual way to write a regular expression.
        let raw = matches!(c, 'r' | 'R') && matches!(chars.get(i + 1), Some('\'' | '"'));
        if c == '\'' || c == '"' || raw {
            if raw {
                i += 1;
            }
            let (text, next) = string_literal(&chars, i, raw)?;
            tokens.push(Token { kind: Kind::Str(text), at });
            i = next;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || chars[i] == '.'
                    || ((chars[i] == '+' || chars[i] == '-') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            let kind = if let Ok(n) = text.parse::<i64>() {
                Kind::Int(n)
            } else if let Some(f) = text.parse::<f64>().ok().filter(|_| !text.contains(['x', 'o', 'b', 'X', 'O', 'B']))
            {
                Kind::Float(f)
            } else {
                return Err(format!("'{text}' at character {} is not a number this language reads", at + 1));
            };
            tokens.push(Token { kind, at });
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token { kind: Kind::Name(chars[start..i].iter().collect()), at });
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) {
            tokens.push(Token { kind: Kind::Punct(p), at });
            i += p.chars().count();
            continue;
        }
        let hint = if c == '\u{a0}' {
            " (a no-break space, as macOS Option+Space or a copy from a browser makes: type a plain space)"
        } else if c == '=' {
            " (use == to compare)"
        } else {
            ""
        };
        return Err(format!("character {:?} (U+{:04X}) at character {} is not understood{hint}", c, c as u32, at + 1));
    }
    Ok(tokens)
}

fn string_literal(chars: &[char], start: usize, raw: bool) -> Result<(String, usize), String> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut text = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            return Ok((text, i + 1));
        }
        if c == '\\' && i + 1 < chars.len() {
            let next = chars[i + 1];
            if raw {
                text.push(c);
                text.push(next);
            } else {
                match next {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    '0' => text.push('\0'),
                    '\\' | '\'' | '"' => text.push(next),
                    // Python keeps unknown escapes (\d, \.) as they are, which is how regexes get written.
                    other => {
                        text.push('\\');
                        text.push(other);
                    }
                }
            }
            i += 2;
            continue;
        }
        text.push(c);
        i += 1;
    }
    Err(format!("string starting at character {} is not closed", start + 1))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Kind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Kind::Name(n)) if n == name)
    }

    fn peek_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Kind::Punct(q)) if *q == p)
    }

    fn unexpected(&self, wanted: &str) -> String {
        match self.tokens.get(self.pos) {
            Some(t) => format!("expected {wanted} at character {}, found {}", t.at + 1, t.kind.describe()),
            None => format!("expected {wanted} at the end"),
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.peek_punct(p) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(&format!("'{p}'")))
        }
    }

    fn or_test(&mut self) -> Result<Expr, String> {
        let mut left = self.and_test()?;
        while self.peek_name("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and_test()?));
        }
        Ok(left)
    }

    fn and_test(&mut self) -> Result<Expr, String> {
        let mut left = self.not_test()?;
        while self.peek_name("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.not_test()?));
        }
        Ok(left)
    }

    fn not_test(&mut self) -> Result<Expr, String> {
        if self.peek_name("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not_test()?)));
        }
        self.comparison()
    }

    fn comp_op(&mut self) -> Option<Op> {
        let op = match self.peek()? {
            Kind::Punct("==") => Op::Eq,
            Kind::Punct("!=") => Op::Ne,
            Kind::Punct("<") => Op::Lt,
            Kind::Punct("<=") => Op::Le,
            Kind::Punct(">") => Op::Gt,
            Kind::Punct(">=") => Op::Ge,
            Kind::Name(n) if n == "in" => Op::In,
            Kind::Name(n) if n == "is" => {
                if matches!(self.tokens.get(self.pos + 1).map(|t| &t.kind), Some(Kind::Name(m)) if m == "not") {
                    self.pos += 1;
                    Op::IsNot
                } else {
                    Op::Is
                }
            }
            Kind::Name(n) if n == "not" => {
                if matches!(self.tokens.get(self.pos + 1).map(|t| &t.kind), Some(Kind::Name(m)) if m == "in") {
                    self.pos += 1;
                    Op::NotIn
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        while let Some(op) = self.comp_op() {
            rest.push((op, self.unary()?));
        }
        Ok(if rest.is_empty() { first } else { Expr::Compare(Box::new(first), rest) })
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_punct("-") {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let Some(token) = self.tokens.get(self.pos) else { return Err(self.unexpected("a value")) };
        let at = token.at;
        let kind = token.kind.clone();
        self.pos += 1;
        match kind {
            Kind::Int(i) => Ok(Expr::Const(V::Int(i))),
            Kind::Float(f) => Ok(Expr::Const(V::Float(f))),
            Kind::Str(mut s) => {
                // Adjacent literals concatenate, as in Python.
                while let Some(Kind::Str(more)) = self.peek() {
                    s.push_str(more);
                    self.pos += 1;
                }
                Ok(Expr::Const(V::Str(s)))
            }
            Kind::Punct("(") => {
                if self.peek_punct(")") {
                    self.pos += 1;
                    return Ok(Expr::List(Vec::new()));
                }
                let first = self.or_test()?;
                if self.peek_punct(",") {
                    let items = self.items(first, ")")?;
                    return Ok(Expr::List(items));
                }
                self.expect(")")?;
                Ok(first)
            }
            Kind::Punct("[") => {
                if self.peek_punct("]") {
                    self.pos += 1;
                    return Ok(Expr::List(Vec::new()));
                }
                let first = self.or_test()?;
                Ok(Expr::List(self.items(first, "]")?))
            }
            Kind::Name(name) => match name.as_str() {
                "None" => Ok(Expr::Const(V::None)),
                "True" => Ok(Expr::Const(V::Bool(true))),
                "False" => Ok(Expr::Const(V::Bool(false))),
                "re" => self.regex_call(at),
                "and" | "or" | "not" | "in" | "is" => Err(format!("unexpected '{name}' at character {}", at + 1)),
                _ if self.peek_punct("(") || self.peek_punct(".") || self.peek_punct("[") => Err(format!(
                    "'{name}' at character {} is followed by a call, attribute or index, which this language does not \
have (only re.search, re.match and re.fullmatch)",
                    at + 1
                )),
                _ => Ok(Expr::Field(name)),
            },
            other => Err(format!("unexpected {} at character {}", other.describe(), at + 1)),
        }
    }

    /// The rest of a list or tuple after its first item.
    fn items(&mut self, first: Expr, close: &str) -> Result<Vec<Expr>, String> {
        let mut items = vec![first];
        while self.peek_punct(",") {
            self.pos += 1;
            if self.peek_punct(close) {
                break;
            }
            items.push(self.or_test()?);
        }
        self.expect(close)?;
        Ok(items)
    }

    fn regex_call(&mut self, at: usize) -> Result<Expr, String> {
        let unsupported = || format!("only re.search, re.match and re.fullmatch are understood (character {})", at + 1);
        if !self.peek_punct(".") {
            return Err(unsupported());
        }
        self.pos += 1;
        let kind = match self.peek() {
            Some(Kind::Name(n)) if n == "search" => RegexKind::Search,
            Some(Kind::Name(n)) if n == "match" => RegexKind::Match,
            Some(Kind::Name(n)) if n == "fullmatch" => RegexKind::FullMatch,
            _ => return Err(unsupported()),
        };
        self.pos += 1;
        self.expect("(")?;
        let pattern = self.or_test()?;
        self.expect(",")?;
        let value = self.or_test()?;
        let mut icase = false;
        if self.peek_punct(",") {
            self.pos += 1;
            let flag_at = self.tokens.get(self.pos).map_or(0, |t| t.at);
            let is_re = self.peek_name("re");
            self.pos += 1;
            let dot = self.peek_punct(".");
            self.pos += 1;
            match self.peek() {
                Some(Kind::Name(n)) if is_re && dot && (n == "I" || n == "IGNORECASE") => {
                    self.pos += 1;
                    icase = true;
                }
                _ => {
                    return Err(format!(
                        "the only flag understood is re.I (re.IGNORECASE), at character {}",
                        flag_at + 1
                    ));
                }
            }
        }
        self.expect(")")?;
        Ok(Expr::Regex(kind, Box::new(pattern), Box::new(value), icase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keep(expr: &str, run: Value) -> Result<bool, String> {
        let Value::Object(map) = run else { unreachable!() };
        Filter::compile(expr).expect("compiles").keep(&map)
    }

    #[test]
    fn python_meaning() {
        let run = json!({"exit_code": 0, "command": "sleep 1", "peak_rss": 1000, "user": null, "gpu": null,
                         "prefix": "runs/2025.02.09T10_", "wall_clock_time": 1.5, "message": ""});
        assert_eq!(keep("exit_code == 0", run.clone()), Ok(true));
        assert_eq!(keep("exit_code != 0 or peak_rss >= 1000", run.clone()), Ok(true));
        assert_eq!(keep("0 <= exit_code < 1 < wall_clock_time", run.clone()), Ok(true));
        assert_eq!(keep("'sleep' in command and not message", run.clone()), Ok(true));
        assert_eq!(keep("re.search(r'2025\\.02\\.09.*', prefix)", run.clone()), Ok(true));
        assert_eq!(keep("re.match('runs', prefix) and re.fullmatch('sleep \\d', command)", run.clone()), Ok(true));
        assert_eq!(keep("re.search('SLEEP', command, re.I)", run.clone()), Ok(true));
        assert_eq!(keep("user is None and gpu is not None", run.clone()), Ok(false));
        assert_eq!(keep("exit_code in (1, 2) or command not in ['a', 'b']", run.clone()), Ok(true));
        assert!(keep("user < 1", run.clone()).unwrap_err().contains("'<' not supported"));
        assert!(keep("nosuch == 1", run.clone()).unwrap_err().contains("not defined"));
        assert!(keep("re.search('x', user)", run).unwrap_err().contains("expected string"));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for bad in [
            "__import__('os').system('id')",
            "len(command) > 3",
            "command.startswith('x')",
            "exit_code = 0",
            "exit_code\u{a0}== 0",
            "exit_code + 1",
            "re.compile('x')",
            "re.search('(?<=a)b', command)",
            "(exit_code == 0",
            "'open",
            "",
        ] {
            assert!(Filter::compile(bad).is_err(), "{bad:?} is refused");
        }
    }
}
