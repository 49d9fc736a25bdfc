//! con-duct's summary formatter: its conversions, its default template, and CPython parity.

use super::*;

const KNOWN: &[&str] = crate::info::SUMMARY_KEYS;

/// The execution_summary from the "Real output" run in con-duct-reference.md §2.3/§2.4.
const REAL_SUMMARY: &str = r#"{"exit_code": 0, "command": "python3 work.py",
    "logs_prefix": ".duct/logs/2026.11.25T06.08.58-7095_", "wall_clock_time": 4.7384185791015625,
    "peak_rss": 342945792, "average_rss": 277907865.6, "peak_vsz": 348749824, "average_vsz": 290793472.0,
    "peak_pmem": 1.2000000000000002, "average_pmem": 0.9700000000000002,
    "peak_pcpu": 192.89999999999998, "average_pcpu": 135.32999999999998,
    "num_samples": 10, "num_reports": 6,
    "start_time": 1795586938.579589, "end_time": 1795586943.3180075,
    "working_directory": "$T/ductrun"}"#;

fn values(json: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => map,
        other => panic!("test JSON is not an object: {other:?}"),
    }
}

fn null_values() -> Map<String, Value> {
    KNOWN.iter().map(|k| ((*k).to_string(), Value::Null)).collect()
}

#[test]
fn default_format_is_con_ducts_verbatim() {
    let expected = concat!(
        "Summary:\n",
        "Exit Code: {exit_code!E}\n",
        "Command: {command}\n",
        "Log files location: {logs_prefix}\n",
        "Wall Clock Time: {wall_clock_time:.3f} sec\n",
        "Memory Peak Usage (RSS): {peak_rss!S}\n",
        "Memory Average Usage (RSS): {average_rss!S}\n",
        "Virtual Memory Peak Usage (VSZ): {peak_vsz!S}\n",
        "Virtual Memory Average Usage (VSZ): {average_vsz!S}\n",
        "Memory Peak Percentage: {peak_pmem:.2f!N}%\n",
        "Memory Average Percentage: {average_pmem:.2f!N}%\n",
        "CPU Peak Usage: {peak_pcpu:.2f!N}%\n",
        "Average CPU Usage: {average_pcpu:.2f!N}%\n",
    );
    assert_eq!(DEFAULT_SUMMARY_FORMAT, expected);
    assert!(validate(DEFAULT_SUMMARY_FORMAT, KNOWN).is_ok());
}

#[test]
fn default_format_matches_real_con_duct_run() {
    let out = render(DEFAULT_SUMMARY_FORMAT, &values(REAL_SUMMARY), false);
    let expected = "Summary:
Exit Code: 0
Command: python3 work.py
Log files location: .duct/logs/2026.11.25T06.08.58-7095_
Wall Clock Time: 4.738 sec
Memory Peak Usage (RSS): 342.9 MB
Memory Average Usage (RSS): 277.9 MB
Virtual Memory Peak Usage (VSZ): 348.7 MB
Virtual Memory Average Usage (VSZ): 290.8 MB
Memory Peak Percentage: 1.20%
Memory Average Percentage: 0.97%
CPU Peak Usage: 192.90%
Average CPU Usage: 135.33%
";
    assert_eq!(out, expected);
}

#[test]
fn default_format_all_null() {
    let plain = render(DEFAULT_SUMMARY_FORMAT, &null_values(), false);
    assert_eq!(
        plain,
        "Summary:\nExit Code: -\nCommand: -\nLog files location: -\nWall Clock Time: - sec\n\
         Memory Peak Usage (RSS): -\nMemory Average Usage (RSS): -\n\
         Virtual Memory Peak Usage (VSZ): -\nVirtual Memory Average Usage (VSZ): -\n\
         Memory Peak Percentage: -%\nMemory Average Percentage: -%\nCPU Peak Usage: -%\n\
         Average CPU Usage: -%\n"
    );
    // con-duct colours the dash only where a conversion saw the None: `{x!S}` and
    // `{x!E}` do, while `{x:.2f!N}` short-circuits on None before converting.
    let red = "\x1b[1;31m-\x1b[0m";
    let colored = render(DEFAULT_SUMMARY_FORMAT, &null_values(), true);
    assert!(colored.contains(&format!("Exit Code: {red}\n")));
    assert!(colored.contains(&format!("Memory Peak Usage (RSS): {red}\n")));
    assert!(colored.contains("Memory Peak Percentage: -%\n"));
    assert!(colored.contains("Wall Clock Time: - sec\n"));
}

#[test]
fn empty_values_map_renders_dashes() {
    let out = render(DEFAULT_SUMMARY_FORMAT, &Map::new(), false);
    assert!(out.starts_with("Summary:\nExit Code: -\nCommand: -\n"));
}

#[test]
fn colors_wrap_exactly_like_con_duct() {
    let mut v = values(REAL_SUMMARY);
    v.insert("exit_code".into(), Value::from(3));
    let out = render("{exit_code!E} {peak_rss!S} {peak_pmem:.2f!N}", &v, true);
    assert_eq!(out, "\x1b[1;31m3\x1b[0m \x1b[1;32m342.9 MB\x1b[0m \x1b[1;32m1.20\x1b[0m");
}

/// Cases written by tests/data/con_duct_summary_parity.py from con-duct 0.23.0's own
/// `SummaryFormatter(enable_colors=colors).format(template, **values)`, where `values`
/// is the file's `base` updated with the case's `overrides`.
const PARITY: &str = include_str!("../../tests/data/con_duct_summary_parity.json");

#[test]
fn matches_con_duct_0_23_0_output() {
    let doc: Value = serde_json::from_str(PARITY).unwrap();
    let base = doc["base"].as_object().unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 111, "only {} cases in the parity file", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let template = case["template"].as_str().unwrap();
        let colors = case["colors"].as_bool().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let mut values = base.clone();
        values.extend(case["overrides"].as_object().unwrap().clone());
        let got = render(template, &values, colors);
        if got != expected {
            failures.push(format!(
                "template {template:?} overrides {}\n   want {expected:?}\n    got {got:?}",
                case["overrides"]
            ));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// Expected strings from con-duct 0.23.0 run with TZ=UTC.
#[test]
fn epoch_conversion_matches_python_in_utc() {
    let cases: &[(f64, Option<&str>)] = &[
        (1795586938.579589, Some("Nov 25, 2026 06:08 AM")),
        (0.0, Some("Jan 01, 1970 12:00 AM")),
        (1700000000.0, Some("Nov 14, 2023 10:13 PM")),
        (1700000399.9999995, Some("Nov 14, 2023 10:20 PM")),
        (43200.0, Some("Jan 01, 1970 12:00 PM")),
        (-86400.5, Some("Dec 30, 1969 11:59 PM")),
        (253402300799.0, Some("Dec 31, 9999 11:59 PM")),
        // Python raises (year out of range) and con-duct then prints str(value).
        (1e12, None),
        (253402300800.0, None),
        (-62135596800.0, None),
        (f64::NAN, None),
        (f64::INFINITY, None),
    ];
    for (timestamp, expected) in cases {
        assert_eq!(format_epoch(*timestamp, &chrono::Utc).as_deref(), *expected, "timestamp {timestamp}");
    }
}

#[test]
fn epoch_conversion_falls_back_to_str() {
    let v = values(r#"{"start_time": 1e12, "end_time": "abc", "command": [1]}"#);
    assert_eq!(render("{start_time!D}|{end_time!D}|{command!D}", &v, false), "1000000000000.0|abc|[1]");
    // Local time zone: only the shape is predictable.
    let v = values(r#"{"start_time": 1700000000}"#);
    let out = render("{start_time!D}", &v, false);
    let parts: Vec<&str> = out.split(' ').collect();
    assert_eq!(parts.len(), 5, "{out}");
    assert!(matches!(parts.last(), Some(&"AM" | &"PM")), "{out}");
}

#[test]
fn validate_accepts_good_templates() {
    for template in [
        "",
        "plain text",
        "{{not a field}}",
        "{exit_code}",
        "{exit_code!E}",
        "{exit_code!r:>5}",
        "{peak_rss:.2f!S}",
        "{peak_rss:.2f!}",
        "{peak_rss:!<8}",
        "{peak_rss:*!<8}",
        "{wall_clock_time:.{num_reports}f}",
        "{wall_clock_time:{num_reports}!Q}",
        "{start_time!D} {end_time!T} {peak_pmem!P} {command!X} {command!N} {command!a}",
        "{command:.2f}",
    ] {
        assert!(validate(template, KNOWN).is_ok(), "{template:?}: {:?}", validate(template, KNOWN));
    }
}

#[test]
fn validate_rejects_bad_templates() {
    let cases: &[(&str, &str)] = &[
        ("{", "single '{'"),
        ("oops }", "single '}'"),
        ("{exit_code", "expected '}'"),
        ("{exit_code!", "conversion specifier"),
        ("{exit_code!E", "unmatched '{'"),
        ("{exit_code!EE}", "expected ':'"),
        ("{exit_code:{", "unmatched '{'"),
        ("{exit{code}", "unexpected '{'"),
        ("{x:{peak_rss:{command}}}", "unknown placeholder {x}"),
        ("{exit_code:{peak_rss:{command}}}", "nested too deeply"),
        ("{nope}", "unknown placeholder {nope}"),
        ("{}", "positional"),
        ("{0}", "positional"),
        ("{command.upper}", "attribute"),
        ("{command[0]}", "attribute"),
        ("{exit_code!Z}", "unknown conversion !Z"),
        ("{exit_code!}", "unmatched '{'"),
        ("{peak_rss:.2f!Z}", "unknown conversion !Z"),
        ("{peak_rss:.2f!NE}", "unknown conversion !NE"),
        ("{peak_rss:>{nope}}", "unknown placeholder {nope}"),
    ];
    for (template, needle) in cases {
        match validate(template, KNOWN) {
            Ok(()) => panic!("{template:?} was accepted"),
            Err(err) => {
                let message = err.to_string();
                assert!(message.contains(needle), "{template:?}: {message:?} lacks {needle:?}");
                assert!(!message.contains('\n'), "{message:?}");
            }
        }
    }
}

#[test]
fn error_messages_are_one_line_and_point_at_the_problem() {
    let err = validate("line one\n{bad\nname}", KNOWN);
    let Err(TemplateError::UnknownPlaceholder { name, .. }) = err else { panic!("{err:?}") };
    assert_eq!(name, "bad\\nname");
    let err = validate("ab\ncd}", KNOWN);
    let Err(TemplateError::Syntax { position, .. }) = err else { panic!("{err:?}") };
    assert_eq!(position, 6);
    let err = validate("{exit_code:>{peak_rss:{command}}}", KNOWN);
    let Err(TemplateError::Syntax { position, .. }) = err else { panic!("{err:?}") };
    assert_eq!(position, 32);
}

#[test]
fn render_of_invalid_template_shows_it_verbatim() {
    let v = values(REAL_SUMMARY);
    assert_eq!(render("{exit_code", &v, false), "{exit_code");
    assert_eq!(render("x}", &v, true), "x}");
    assert_eq!(render("{exit_code:{peak_rss:{command}}}", &v, false), "{exit_code:{peak_rss:{command}}}");
}

#[test]
fn render_survives_what_would_crash_con_duct() {
    let v = values(REAL_SUMMARY);
    // Unknown names and positional/attribute fields render like null.
    assert_eq!(render("{nope}|{}|{0}|{command.upper}", &v, false), "-|-|-|-");
    // Unknown conversions are skipped.
    assert_eq!(render("{exit_code!Z}|{peak_pmem:.1f!QQ}", &v, false), "0|1.2");
    // Conversions that cannot handle the value leave it unconverted.
    assert_eq!(
        render("{command!S}|{command!P}|{command!T}", &v, false),
        "python3 work.py|python3 work.py|python3 work.py"
    );
    let v = values(r#"{"x": "inf", "y": [1, 2]}"#);
    assert_eq!(render("{x!T}|{y!S}|{x!S}", &v, false), "inf|[1, 2]|inf YB");
    // Lists and dicts with a spec fall back to str().
    assert_eq!(render("{y:>9}", &v, false), "[1, 2]");
}

#[test]
fn absurd_widths_fall_back_instead_of_allocating() {
    let v = values(REAL_SUMMARY);
    assert_eq!(render("{exit_code:99999999999}", &v, false), "0");
    assert_eq!(render("{exit_code:.99999999999f}", &v, false), "0");
    assert_eq!(render("{exit_code:999999999999999999999999}", &v, false), "0");
    assert_eq!(render("{command:>1000000}", &v, false).chars().count(), 1_000_000);
}

/// A tiny deterministic generator, so the "never panics" property is exercised on
/// many odd templates without a fuzzing dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

#[test]
fn never_panics_on_arbitrary_templates_and_values() {
    // Pieces of templates, `|`-separated.
    let atoms: Vec<&str> = concat!(
        "{|}|{{|}}|!|:|[|]|.|exit_code|command|peak_rss|average_pmem|start_time|num_samples|S|E|X|",
        "N|P|T|D|r|s|a|z|0|9|12|,|_|%|e|f|g|G|n|c|x|b|#|+|-| |<|>|^|=|é|\n|999999999999",
    )
    .split('|')
    .collect();
    let value_sets = [
        REAL_SUMMARY.to_string(),
        serde_json::to_string(&Value::Object(null_values())).unwrap_or_default(),
        r#"{"exit_code": -9223372036854775808, "command": "", "peak_rss": 18446744073709551615,
            "average_pmem": -1e308, "start_time": "nan", "num_samples": true}"#
            .to_string(),
        r#"{"exit_code": [], "command": {"a": [null]}, "peak_rss": "1e400",
            "average_pmem": 5e-324, "start_time": -1e300, "num_samples": "-0"}"#
            .to_string(),
    ];
    let mut rng = Lcg(0x5eed);
    for round in 0..20_000 {
        let len = rng.next(12);
        let template: String = (0..len).map(|_| atoms[rng.next(atoms.len())]).collect();
        let v = values(&value_sets[round % value_sets.len()]);
        let _ = validate(&template, KNOWN);
        let _ = render(&template, &v, round % 2 == 0);
        // Well-formed fields with random specs and conversions.
        let spec: String = (0..rng.next(6)).map(|_| atoms[rng.next(atoms.len())]).collect();
        let field = ["exit_code", "command", "peak_rss", "average_pmem", "start_time", "num_samples"][rng.next(6)];
        let conv = ["", "!S", "!E", "!X", "!N", "!P", "!T", "!D", "!r"][rng.next(9)];
        let _ = render(&format!("{{{field}{conv}:{spec}}}"), &v, round % 3 == 0);
    }
}
