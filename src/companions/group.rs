//! `con-duct ls --group-by FIELD` (beyond con-duct): the runs that share a value of FIELD as one row, with
//! their count and the min/median/max of wall time and peak RSS. Rows come in ls's natural order of the
//! value, runs without one last.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ls::{self, Format};
use super::{Error, pyjson};

/// The measurements aggregated: (the run's field, the short name of its columns in the table).
const MEASURES: [(&str, &str); 2] = [("wall_clock_time", "wall"), ("peak_rss", "rss")];

struct Group {
    value: Value,
    runs: Vec<usize>,
}

/// The text ls prints for `runs` (flattened records, already filtered) grouped by `field`.
pub fn render(
    runs: &[Map<String, Value>],
    field: &str,
    format: Format,
    reverse: bool,
    colors: bool,
) -> Result<String, Error> {
    if !runs.is_empty() && runs.iter().all(|run| missing(run.get(field))) {
        tracing::warn!("No run has a value for --group-by field '{field}': they are all in one group.");
    }
    let mut groups = groups(runs, field);
    if reverse {
        groups.reverse();
    }
    let stats = |group: &Group, measure: &str| stats(group.runs.iter().filter_map(|&i| runs[i].get(measure)));
    Ok(match format {
        Format::Json | Format::JsonPp | Format::Yaml => {
            let rows: Vec<Map<String, Value>> = groups
                .iter()
                .map(|group| {
                    let mut row = Map::new();
                    row.insert(field.into(), group.value.clone());
                    row.insert("count".into(), group.runs.len().into());
                    for (measure, _) in MEASURES {
                        let [min, median, max] = stats(group, measure);
                        let mut s = Map::new();
                        s.insert("min".into(), min);
                        s.insert("median".into(), median);
                        s.insert("max".into(), max);
                        row.insert(measure.into(), Value::Object(s));
                    }
                    row
                })
                .collect();
            match format {
                Format::Yaml => ls::yaml(rows)?,
                _ => {
                    let indent = (format == Format::JsonPp).then_some(2);
                    pyjson::dumps(&Value::Array(rows.into_iter().map(Value::Object).collect()), indent) + "\n"
                }
            }
        }
        Format::Table | Format::Summaries => {
            // Text cells as ls shows these fields (seconds, sizes); a group with no value shows '-'.
            let value_colors = colors && format != Format::Table;
            let rows: Vec<Map<String, Value>> = groups
                .iter()
                .map(|group| {
                    let mut row = Map::new();
                    row.insert(field.into(), group.value.clone());
                    row.insert("count".into(), group.runs.len().into());
                    for (measure, short) in MEASURES {
                        for (name, value) in ["min", "median", "max"].iter().zip(stats(group, measure)) {
                            let text =
                                if value.is_null() { "-".into() } else { ls::shown(measure, &value, value_colors) };
                            row.insert(format!("{short}_{name}"), Value::String(text));
                        }
                    }
                    row
                })
                .collect();
            match format {
                Format::Table => ls::table(&rows, colors),
                _ => ls::summaries(&rows, field),
            }
        }
    })
}

fn missing(value: Option<&Value>) -> bool {
    matches!(value, None | Some(Value::Null))
}

/// The runs by value of `field` (missing and null are one group), in ls's natural order of the value.
fn groups(runs: &[Map<String, Value>], field: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, run) in runs.iter().enumerate() {
        let value = run.get(field).cloned().unwrap_or(Value::Null);
        // Values are told apart by their JSON text: "1" and 1 are two groups, as they are two values.
        let key = pyjson::dumps(&ls::sorted_keys(&value), None);
        let slot = *index.entry(key).or_insert_with(|| {
            groups.push(Group { value, runs: Vec::new() });
            groups.len() - 1
        });
        groups[slot].runs.push(i);
    }
    // Stable: groups whose values sort the same (an empty text and none) stay in the order first seen.
    groups.sort_by(|a, b| ls::cmp_values(&a.value, &b.value));
    groups
}

/// min, median and max of the numbers among `values` (others are left out), null when there is none. min and
/// max are the values as recorded; the median of an even count is the mean of the middle two, as Python's
/// statistics.median.
fn stats<'a>(values: impl Iterator<Item = &'a Value>) -> [Value; 3] {
    let mut numbers: Vec<(f64, &Value)> =
        values.filter_map(|v| v.as_f64().filter(|f| !f.is_nan()).map(|f| (f, v))).collect();
    if numbers.is_empty() {
        return [Value::Null, Value::Null, Value::Null];
    }
    numbers.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = numbers.len();
    let median = if n % 2 == 1 {
        numbers[n / 2].1.clone()
    } else {
        serde_json::Number::from_f64((numbers[n / 2 - 1].0 + numbers[n / 2].0) / 2.0).map_or(Value::Null, Value::Number)
    };
    [numbers[0].1.clone(), median, numbers[n - 1].1.clone()]
}
