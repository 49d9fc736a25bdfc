//! `con-duct pp`: a JSON or JSON Lines record, pretty printed as Python's pprint does, as con-duct 0.23.0;
//! `-H` humanizes sizes, percentages, durations and dates by key, as its `humanize_data`.

use std::path::Path;

use serde_json::{Map, Value};

use super::{Error, pprint, write_out};

/// con-duct's `get_field_conversion_mapping`: which keys (any depth, case-insensitive) get which conversion.
fn conversion(key: &str) -> Option<&'static str> {
    Some(match key.to_lowercase().as_str() {
        "average_pcpu" | "average_pmem" | "peak_pcpu" | "peak_pmem" => "{value!P}",
        "average_rss" | "average_vsz" | "memory_total" | "peak_rss" | "peak_vsz" => "{value!S}",
        "wall_clock_time" => "{value!T}",
        "start_time" | "end_time" => "{value!D}",
        _ => return None,
    })
}

/// Files read as JSON Lines, as con-duct's `is_jsonl_file`.
fn is_jsonl(path: &str) -> bool {
    path.ends_with("usage.jsonl") || path.ends_with("usage.json") || path.ends_with(".jsonl")
}

pub fn pp(file: &Path, humanize: bool) -> Result<(), Error> {
    let shown = file.display();
    let text = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Failed(format!("File not found: {shown}")),
        _ => Error::Failed(format!("cannot read {shown}: {e}")),
    })?;
    let text = String::from_utf8(text).map_err(|_| Error::Failed(format!("{shown}: not UTF-8 text")))?;
    let decode = |e: serde_json::Error| Error::Failed(format!("Error decoding JSON: {shown}: {e}"));
    let data = if is_jsonl(&file.to_string_lossy()) {
        let rows: Result<Vec<Value>, _> =
            text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str::<Value>).collect();
        Value::Array(rows.map_err(decode)?)
    } else {
        serde_json::from_str(&text).map_err(decode)?
    };
    let data = if humanize { humanized(data) } else { data };
    write_out(&pprint::pformat(&data))
}

/// con-duct's `humanize_data`: numbers under the mapped keys become text; everything else stays.
fn humanized(data: Value) -> Value {
    match data {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = match (conversion(&key), &value) {
                        (Some(template), Value::Number(_) | Value::Bool(_)) => convert(template, value),
                        _ => value,
                    };
                    (key, humanized(value))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(humanized).collect()),
        other => other,
    }
}

fn convert(template: &str, value: Value) -> Value {
    let mut values = Map::new();
    values.insert("value".into(), value);
    Value::String(crate::summary::render(template, &values, false))
}
