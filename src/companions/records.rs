//! Reading run records (info.json) as con-duct 0.23.0's `ls` does: the prefix from the path, schemas before
//! 0.2.0 skipped, older ones back-filled, and the record flattened to one level for fields and filters.

use std::path::Path;

use serde_json::{Map, Value};

/// The schema of con-duct 0.23.0's info.json (and duct's).
const SCHEMA_VERSION: (i64, i64, i64) = (0, 2, 3);
const MINIMUM_SCHEMA_VERSION: (i64, i64, i64) = (0, 2, 0);

/// The system fields schema 0.2.3 added; older records get them as "".
const SYSTEM_FIELDS_0_2_3: [&str; 14] = [
    "os_name",
    "os_release",
    "os_version",
    "arch",
    "processor",
    "distro_id",
    "distro_id_like",
    "distro_name",
    "distro_version",
    "distro_version_id",
    "distro_codename",
    "distro_variant_id",
    "distro_pretty_name",
    "distro_build_id",
];

/// What became of one info.json.
pub enum Loaded {
    Run(Map<String, Value>),
    /// Left out without a word (an empty file, a schema before 0.2.0), as con-duct (it logs at DEBUG).
    Skipped(String),
    /// Left out with a warning, as con-duct ("Failed to load file ...").
    Failed(String),
}

/// Reads `path` (as given on the command line: its text decides the prefix). `Err` only when the file cannot be
/// opened, which stops con-duct's ls as a whole.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let shown = path.to_string_lossy();
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {}", io_reason(&e)))?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Loaded::Failed(format!("Failed to load file {shown}: not UTF-8 text")));
    };
    if text.trim().is_empty() {
        return Ok(Loaded::Skipped(format!("Skipping empty file {shown}")));
    }
    let mut run = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Ok(Loaded::Failed(format!("Failed to load file {shown}: not a JSON object"))),
        Err(e) => return Ok(Loaded::Failed(format!("Failed to load file {shown}: {e}"))),
    };
    // The prefix is where the files are now (the run may have moved): the path up to the first "info.json".
    let prefix = shown.split("info.json").next().unwrap_or_default().to_string();
    run.insert("prefix".into(), Value::String(prefix.clone()));
    let version = match run.get("schema_version").map(parse_version) {
        Some(Ok(v)) => v,
        Some(Err(e)) => return Ok(Loaded::Failed(format!("Failed to load file {shown}: {e}"))),
        None => return Ok(Loaded::Failed(format!("Failed to load file {shown}: no schema_version"))),
    };
    if version < MINIMUM_SCHEMA_VERSION {
        return Ok(Loaded::Skipped(format!("Skipping {prefix}, schema version below 0.2.0")));
    }
    if let Err(e) = back_fill(&mut run, version) {
        return Ok(Loaded::Failed(format!("Failed to load file {shown}: {e}")));
    }
    Ok(Loaded::Run(run))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => e.to_string(),
    }
}

/// con-duct's `parse_version`: exactly three dot-separated integers.
fn parse_version(value: &Value) -> Result<(i64, i64, i64), String> {
    let Value::String(text) = value else { return Err(format!("schema_version {value} is not a string")) };
    let parts: Vec<&str> = text.split('.').collect();
    let bad = || format!("Invalid version format: {text}. Expected 'x.y.z' format.");
    if parts.len() != 3 {
        return Err(bad());
    }
    let n = |p: &str| p.trim().replace('_', "").parse::<i64>().map_err(|_| bad());
    Ok((n(parts[0])?, n(parts[1])?, n(parts[2])?))
}

/// con-duct's `ensure_compliant_schema`: the fields later schemas added, empty.
fn back_fill(run: &mut Map<String, Value>, version: (i64, i64, i64)) -> Result<(), String> {
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let empty = || Value::String(String::new());
    if version < (0, 2, 1) {
        match run.get_mut("execution_summary") {
            Some(Value::Object(summary)) => {
                summary.insert("working_directory".into(), empty());
            }
            _ => return Err("no execution_summary".into()),
        }
    }
    if version < (0, 2, 2) {
        run.insert("message".into(), empty());
    }
    if version < (0, 2, 3) {
        match run.get_mut("system") {
            Some(Value::Object(system)) => {
                for field in SYSTEM_FIELDS_0_2_3 {
                    system.insert(field.into(), empty());
                }
            }
            _ => return Err("no system".into()),
        }
    }
    Ok(())
}

/// con-duct's `_flatten_dict`: nested objects' keys lifted to the top; a key seen again keeps its first place
/// and takes the later value (so the prefix ls sets wins over output_paths.prefix).
pub fn flatten(run: Map<String, Value>) -> Map<String, Value> {
    let mut flat = Map::new();
    flatten_into(run, &mut flat);
    flat
}

// The values are moved, not copied: ls reads thousands of records.
fn flatten_into(map: Map<String, Value>, flat: &mut Map<String, Value>) {
    for (key, value) in map {
        match value {
            Value::Object(inner) => {
                // A nested object's own flattening is a dict first, then merged, as in Python.
                let mut sub = Map::new();
                flatten_into(inner, &mut sub);
                for (k, v) in sub {
                    flat.insert(k, v);
                }
            }
            other => {
                flat.insert(key, other);
            }
        }
    }
}
