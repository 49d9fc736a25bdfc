//! The run record: info.json's `execution_summary`, typed. Built by `run` (its start, then its end), written
//! into info.json, handed to the summary line as a JSON object, and read back by the supervisor when the
//! worker died (to record the command's end).
//!
//! ```text
//! ExecutionSummary::start(command, logs_prefix, start_time, working_directory) -> ExecutionSummary  // provisional
//! ExecutionSummary::end_at(&mut self, exit_code, end_time)   // then run sets resources, sampled, ended
//! ExecutionSummary::to_map(&self) -> serde_json::Map   // what summary templates are rendered from
//! SUMMARY_KEYS                                          // con-duct's keys, which a template may name
//! ```
//!
//! The key order is con-duct 0.23.0's, then duct's own: its tools and users' scripts read info.json as it is.
//! What was not measured is null; what does not apply to a run is absent, in groups: the sampler's extra
//! figures (`Sampled`: no sampler with `--record-types system-summary`, or before the end), the end of the
//! run (`Ended`), the fit to a batch job's request (`Fit`: only in a job).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Number, Value};

/// Keys of `execution_summary` that a summary template may name: con-duct's, in its order (the unit test
/// checks them against the record's).
pub const SUMMARY_KEYS: &[&str] = &[
    "exit_code",
    "command",
    "logs_prefix",
    "wall_clock_time",
    "peak_rss",
    "average_rss",
    "peak_vsz",
    "average_vsz",
    "peak_pmem",
    "average_pmem",
    "peak_pcpu",
    "average_pcpu",
    "num_samples",
    "num_reports",
    "start_time",
    "end_time",
    "working_directory",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionSummary {
    /// Null until the command has ended.
    pub exit_code: Option<i32>,
    pub command: String,
    pub logs_prefix: String,
    pub wall_clock_time: Option<f64>,
    #[serde(flatten)]
    pub resources: Resources,
    /// Seconds since the epoch.
    pub start_time: f64,
    pub end_time: Option<f64>,
    pub working_directory: String,
    #[serde(flatten, deserialize_with = "group")]
    pub sampled: Option<Sampled>,
    #[serde(flatten, deserialize_with = "ended")]
    pub ended: Option<Ended>,
}

/// con-duct's figures of the whole run, from the sampler (see `report`): `peak_*`/`average_*` are null
/// without samples.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub peak_rss: Option<u64>,
    /// An integer after one sample, a float after more, as con-duct's mean.
    pub average_rss: Option<Number>,
    pub peak_vsz: Option<u64>,
    pub average_vsz: Option<Number>,
    pub peak_pmem: Option<f64>,
    pub average_pmem: Option<f64>,
    pub peak_pcpu: Option<f64>,
    pub average_pcpu: Option<f64>,
    pub num_samples: u64,
    pub num_reports: u64,
}

/// Beyond con-duct, what the sampler saw besides con-duct's figures (present once a sampler's run ended).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sampled {
    /// The highest sampled total of the tree's rss.
    pub peak_rss_sampled_total: Option<u64>,
    /// The largest one process reached (`VmHWM`, or a reaped process's rusage).
    pub peak_rss_single_process: Option<u64>,
    pub rusage_max_rss: Option<u64>,
    #[serde(flatten)]
    pub cgroup: CgroupUsage,
}

impl Group for Sampled {
    const KEY: &'static str = "peak_rss_sampled_total";
}

/// The cgroup duct ran in (see `sample::cgroup`); all null when there was none to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CgroupUsage {
    pub cgroup_path: Option<String>,
    pub cgroup_version: Option<u8>,
    pub cgroup_memory_peak: Option<u64>,
    /// The highest `memory.current` sampled.
    pub cgroup_memory_current_peak: Option<u64>,
    pub cgroup_memory_limit: Option<u64>,
    pub cgroup_cpu_seconds: Option<f64>,
    pub cgroup_cpu_user_seconds: Option<f64>,
    pub cgroup_cpu_system_seconds: Option<f64>,
}

/// Beyond con-duct, what is known once the command has ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ended {
    /// The rusage of the command and of the orphans duct reaped.
    pub cpu_user_seconds: f64,
    pub cpu_system_seconds: f64,
    /// Here only for a run without a sampler (with one, it is in `Sampled`, which folds it into peak_rss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rusage_max_rss: Option<u64>,
    /// The signal that ended the command, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    pub descendants_running: usize,
    #[serde(flatten, deserialize_with = "group")]
    pub fit: Option<Fit>,
}

impl Group for Ended {
    const KEY: &'static str = "cpu_user_seconds";
}

/// How well the run fitted a batch job's request (see `slurm`): fractions (1.0 = all of it), null where
/// either side is unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    pub memory_requested: Option<u64>,
    pub cpus_requested: Option<f64>,
    pub memory_fit_peak: Option<f64>,
    /// What the batch system OOM-kills on, when duct could read the job's cgroup (page cache included).
    pub memory_fit_cgroup_peak: Option<f64>,
    pub cpu_fit_average: Option<f64>,
    pub cpu_fit_peak: Option<f64>,
}

impl Group for Fit {
    const KEY: &'static str = "memory_requested";
}

impl ExecutionSummary {
    /// The record at the start: no exit code, no end, nothing measured yet (null, not zero).
    pub fn start(command: &str, logs_prefix: &str, start_time: f64, working_directory: &str) -> ExecutionSummary {
        ExecutionSummary {
            exit_code: None,
            command: command.into(),
            logs_prefix: logs_prefix.into(),
            wall_clock_time: None,
            resources: Resources::default(),
            start_time,
            end_time: None,
            working_directory: working_directory.into(),
            sampled: None,
            ended: None,
        }
    }

    /// The command's end: its exit code, end time and wall-clock time.
    pub fn end_at(&mut self, exit_code: i32, end_time: f64) {
        self.exit_code = Some(exit_code);
        self.end_time = Some(end_time);
        self.wall_clock_time = Some(end_time - self.start_time);
    }

    /// The record as a JSON object, as summary templates and info.json see it.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            // Cannot happen: a struct of numbers and strings (non-finite floats become null).
            _ => Map::new(),
        }
    }
}

/// A group of keys that is there whole or not at all, recognised by its first key.
trait Group: for<'de> Deserialize<'de> {
    const KEY: &'static str;
}

/// A flattened group, read from the keys that are left without taking them: `rusage_max_rss` is in
/// `Sampled` or in `Ended`, and a group that is not there must not take it from the other.
fn group<'de, D: Deserializer<'de>, T: Group>(d: D) -> Result<Option<T>, D::Error> {
    let map = Map::<String, Value>::deserialize(d)?;
    from_map(map)
}

fn from_map<E: serde::de::Error, T: Group>(map: Map<String, Value>) -> Result<Option<T>, E> {
    if !map.contains_key(T::KEY) {
        return Ok(None);
    }
    serde_json::from_value(Value::Object(map)).map(Some).map_err(E::custom)
}

/// `Ended`, whose `rusage_max_rss` is the sampler's when `Sampled` is there.
fn ended<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Ended>, D::Error> {
    let mut map = Map::<String, Value>::deserialize(d)?;
    if map.contains_key(Sampled::KEY) {
        map.remove("rusage_max_rss");
    }
    from_map(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(sampled: bool, signal: Option<i32>, fit: bool) -> ExecutionSummary {
        let mut s = ExecutionSummary::start("sh -c 'echo hi'", "/tmp/x/", 1_795_586_938.25, "/work");
        s.end_at(0, 1_795_586_939.75);
        s.resources = Resources {
            peak_rss: Some(3_000),
            average_rss: Some(Number::from(2_500)),
            peak_vsz: Some(9_000),
            average_vsz: Number::from_f64(8_500.5),
            peak_pmem: Some(0.1),
            average_pmem: Some(0.05),
            peak_pcpu: Some(12.5),
            average_pcpu: Some(6.25),
            num_samples: 2,
            num_reports: 1,
        };
        s.sampled = sampled.then(|| Sampled {
            peak_rss_sampled_total: Some(2_000),
            peak_rss_single_process: Some(3_000),
            rusage_max_rss: Some(3_000),
            cgroup: CgroupUsage { cgroup_path: Some("/job".into()), cgroup_version: Some(2), ..Default::default() },
        });
        s.ended = Some(Ended {
            cpu_user_seconds: 0.5,
            cpu_system_seconds: 0.25,
            rusage_max_rss: (!sampled).then_some(4_000),
            signal,
            descendants_running: 1,
            fit: fit.then(|| Fit { memory_requested: Some(1 << 30), cpus_requested: Some(2.0), ..Default::default() }),
        });
        s
    }

    fn keys(s: &ExecutionSummary) -> Vec<String> {
        s.to_map().keys().cloned().collect()
    }

    const SAMPLED: [&str; 11] = [
        "peak_rss_sampled_total",
        "peak_rss_single_process",
        "rusage_max_rss",
        "cgroup_path",
        "cgroup_version",
        "cgroup_memory_peak",
        "cgroup_memory_current_peak",
        "cgroup_memory_limit",
        "cgroup_cpu_seconds",
        "cgroup_cpu_user_seconds",
        "cgroup_cpu_system_seconds",
    ];
    const FIT: [&str; 6] = [
        "memory_requested",
        "cpus_requested",
        "memory_fit_peak",
        "memory_fit_cgroup_peak",
        "cpu_fit_average",
        "cpu_fit_peak",
    ];

    #[test]
    fn the_provisional_record_has_con_duct_s_keys_in_its_order() {
        let s = ExecutionSummary::start("true", "/tmp/x/", 1.5, "/w");
        assert_eq!(keys(&s), SUMMARY_KEYS);
        let m = s.to_map();
        for k in ["exit_code", "wall_clock_time", "peak_rss", "average_rss", "average_pcpu", "end_time"] {
            assert_eq!(m[k], Value::Null, "{k}");
        }
        assert_eq!(m["num_samples"], 0);
        assert_eq!(m["num_reports"], 0);
        assert_eq!(m["start_time"], 1.5);
    }

    #[test]
    fn a_finished_record_s_keys_in_order() {
        let with =
            |extra: &[&'static str]| -> Vec<&'static str> { SUMMARY_KEYS.iter().chain(extra).copied().collect() };
        let tail = ["cpu_user_seconds", "cpu_system_seconds", "descendants_running"];
        let sampled: Vec<&str> = SAMPLED.iter().chain(&tail).copied().collect();
        assert_eq!(keys(&finished(true, None, false)), with(&sampled));
        let unsampled = ["cpu_user_seconds", "cpu_system_seconds", "rusage_max_rss", "signal", "descendants_running"];
        let unsampled: Vec<&str> = unsampled.iter().chain(&FIT).copied().collect();
        assert_eq!(keys(&finished(false, Some(15), true)), with(&unsampled));
        let m = finished(true, None, true).to_map();
        assert_eq!(m["cgroup_memory_peak"], Value::Null);
        assert_eq!(m["memory_fit_peak"], Value::Null);
        assert_eq!(m["average_rss"], 2_500);
        assert_eq!(m["average_vsz"], 8_500.5);
        assert_eq!(m["wall_clock_time"], 1.5);
    }

    #[test]
    fn every_shape_reads_back_as_written() {
        let shapes = [
            ExecutionSummary::start("true", "/tmp/x/", 1.5, "/w"),
            finished(true, None, false),
            finished(true, Some(9), true),
            finished(false, None, false),
            finished(false, Some(15), true),
        ];
        for s in shapes {
            let text = serde_json::to_string(&s).unwrap();
            let back: ExecutionSummary = serde_json::from_str(&text).unwrap();
            assert_eq!(back, s, "{text}");
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
            // The supervisor reads it from the document it parsed.
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(ExecutionSummary::deserialize(&value).unwrap(), s);
        }
    }
}
