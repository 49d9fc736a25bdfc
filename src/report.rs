//! Folds samples into usage.jsonl reports and the whole-run summary, with con-duct 0.23.0's arithmetic.
//!
//! ```text
//! Aggregator::new() -> Aggregator
//! Aggregator::add(&mut self, sample: &Sample)
//! Aggregator::note_reaped(&mut self, pid: i32, maxrss_bytes: u64)   // rusage maxrss of a reaped process
//! Aggregator::has_pending(&self) -> bool                             // samples not yet in a written report
//! Aggregator::take_report(&mut self) -> Option<String>               // one usage.jsonl line, no newline
//! Aggregator::summary(&self) -> (Resources, Sampled)                // execution_summary's figures
//! ```
//!
//! Within a report: per pid, the maxima of pcpu/pmem/rss/vsz, the latest etime, the latest timestamp, STAT
//! strings counted, and the first command seen (replaced only if it was a `[bracketed]` kernel name). `totals`
//! are the maxima over samples of each sample's sums; `averages` the running mean of those sums. The whole run
//! is reduced the same way into `peak_*` and `average_*`.
//!
//! Beyond con-duct, reports carry per-process `pcpu_lifetime` (ps's lifetime ratio) and `peak_rss_hwm`, and
//! the summary's `peak_rss` also covers spikes between samples: it is the larger of the highest sampled tree
//! total (`peak_rss_sampled_total`) and the largest single-process high-water mark seen
//! (`peak_rss_single_process`, from `VmHWM` or a reaped process's rusage, `rusage_max_rss`).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Local};
use serde::Serialize;
use serde_json::Number;

use crate::record::{CgroupUsage, Resources, Sampled};
use crate::sample::{Sample, StatCode, Totals, format_etime};

/// ISO-8601 with microseconds and the local UTC offset, as Python's `datetime.isoformat()` writes it.
///
/// Python drops `.000000` when the microseconds are zero; always writing them keeps every timestamp the same
/// width, and `fromisoformat` reads both.
pub fn isoformat(t: &DateTime<Local>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()
}

/// Peak and running mean of per-sample totals: con-duct's `Sample.total_*` plus `Averages`.
#[derive(Debug, Default, Clone)]
struct Stats {
    num_samples: u64,
    peak: Totals,
    mean_rss: f64,
    mean_vsz: f64,
    mean_pmem: f64,
    mean_pcpu: f64,
}

impl Stats {
    fn add(&mut self, t: &Totals) {
        self.peak.rss = self.peak.rss.max(t.rss);
        self.peak.vsz = self.peak.vsz.max(t.vsz);
        self.peak.pmem = self.peak.pmem.max(t.pmem);
        self.peak.pcpu = self.peak.pcpu.max(t.pcpu);
        self.num_samples += 1;
        // The same incremental mean as con-duct, so the float noise matches too.
        let n = self.num_samples as f64;
        self.mean_rss += (t.rss as f64 - self.mean_rss) / n;
        self.mean_vsz += (t.vsz as f64 - self.mean_vsz) / n;
        self.mean_pmem += (t.pmem - self.mean_pmem) / n;
        self.mean_pcpu += (t.pcpu - self.mean_pcpu) / n;
    }

    /// con-duct's mean of rss/vsz is still the int total after one sample, and a float after that (None
    /// only for a mean that is not finite, written as null).
    fn mean_bytes(&self, mean: f64) -> Option<Number> {
        if self.num_samples == 1 { Some(Number::from(mean as u64)) } else { Number::from_f64(mean) }
    }

    fn averages(&self) -> AveragesLine {
        if self.num_samples == 0 {
            return AveragesLine::Empty {};
        }
        AveragesLine::Some {
            rss: self.mean_bytes(self.mean_rss),
            vsz: self.mean_bytes(self.mean_vsz),
            pmem: self.mean_pmem,
            pcpu: self.mean_pcpu,
            num_samples: self.num_samples,
        }
    }
}

/// One pid within the current report.
#[derive(Debug, Clone)]
struct ProcAgg {
    pcpu: f64,
    pcpu_lifetime: f64,
    pmem: f64,
    rss: u64,
    vsz: u64,
    timestamp: DateTime<Local>,
    etime_secs: u64,
    stat: StatCounts,
    cmd: Arc<str>,
    peak_rss_hwm: Option<u64>,
}

/// A `Counter` of STAT strings; insertion-ordered like Python's.
#[derive(Debug, Clone, Default)]
struct StatCounts(Vec<(StatCode, u64)>);

impl StatCounts {
    fn add(&mut self, code: StatCode) {
        match self.0.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.0.push((code, 1)),
        }
    }
}

impl Serialize for StatCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(code, n)| (code.as_str(), n)))
    }
}

/// con-duct keeps a first-seen command unless the kernel had substituted `[name]` (regex `^\[.+\]`).
fn is_bracketed(cmd: &str) -> bool {
    let mut chars = cmd.chars();
    chars.next() == Some('[') && chars.next().is_some() && chars.as_str().contains(']')
}

#[derive(Serialize)]
struct ProcessLine<'a> {
    pcpu: f64,
    pmem: f64,
    rss: u64,
    vsz: u64,
    timestamp: String,
    etime: String,
    stat: &'a StatCounts,
    cmd: &'a str,
    pcpu_lifetime: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_rss_hwm: Option<u64>,
}

#[derive(Serialize)]
struct TotalsLine {
    pmem: f64,
    pcpu: f64,
    rss: u64,
    vsz: u64,
}

/// Field order as con-duct writes it; `{}` when there are no samples.
#[derive(Serialize)]
#[serde(untagged)]
enum AveragesLine {
    Some { rss: Option<Number>, vsz: Option<Number>, pmem: f64, pcpu: f64, num_samples: u64 },
    Empty {},
}

#[derive(Serialize)]
struct ReportLine<'a> {
    timestamp: String,
    num_samples: u64,
    processes: BTreeMap<i32, ProcessLine<'a>>,
    totals: TotalsLine,
    averages: AveragesLine,
    /// Beyond con-duct: the highest `memory.current` of duct's cgroup over the report's samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    cgroup_memory_current: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Aggregator {
    report: Stats,
    processes: BTreeMap<i32, ProcAgg>,
    report_timestamp: Option<DateTime<Local>>,
    run: Stats,
    num_reports: u64,
    /// Largest rss or `VmHWM` of any one process.
    peak_single: Option<u64>,
    rusage_max_rss: Option<u64>,
    /// Highest cgroup `memory.current` in the current report.
    report_cgroup_memory: Option<u64>,
    /// execution_summary's `cgroup_*` fields, set when sampling stops.
    cgroup: Option<CgroupUsage>,
}

impl Aggregator {
    pub fn new() -> Aggregator {
        Aggregator::default()
    }

    pub fn add(&mut self, sample: &Sample) {
        self.report.add(&sample.totals);
        self.report_cgroup_memory = self.report_cgroup_memory.max(sample.cgroup_memory);
        self.run.add(&sample.totals);
        self.report_timestamp = Some(match self.report_timestamp {
            Some(t) => t.max(sample.timestamp),
            None => sample.timestamp,
        });
        for p in &sample.processes {
            let single = p.rss.max(p.peak_rss_hwm.unwrap_or(0));
            self.peak_single = Some(self.peak_single.unwrap_or(0).max(single));
            match self.processes.get_mut(&p.pid) {
                Some(a) => {
                    a.pcpu = a.pcpu.max(p.pcpu);
                    a.pcpu_lifetime = a.pcpu_lifetime.max(p.pcpu_lifetime);
                    a.pmem = a.pmem.max(p.pmem);
                    a.rss = a.rss.max(p.rss);
                    a.vsz = a.vsz.max(p.vsz);
                    a.timestamp = a.timestamp.max(sample.timestamp);
                    a.etime_secs = p.etime_secs;
                    a.stat.add(p.stat);
                    if *a.cmd != *p.cmd && is_bracketed(&a.cmd) {
                        a.cmd = Arc::clone(&p.cmd);
                    }
                    a.peak_rss_hwm = a.peak_rss_hwm.max(p.peak_rss_hwm);
                }
                None => {
                    let mut stat = StatCounts::default();
                    stat.add(p.stat);
                    let agg = ProcAgg {
                        pcpu: p.pcpu,
                        pcpu_lifetime: p.pcpu_lifetime,
                        pmem: p.pmem,
                        rss: p.rss,
                        vsz: p.vsz,
                        timestamp: sample.timestamp,
                        etime_secs: p.etime_secs,
                        stat,
                        cmd: Arc::clone(&p.cmd),
                        peak_rss_hwm: p.peak_rss_hwm,
                    };
                    self.processes.insert(p.pid, agg);
                }
            }
        }
    }

    /// Records the rusage `ru_maxrss` (converted to bytes) of a process the main program reaped: it covers
    /// peaks the sampler could not see, such as a child that lived less than one interval.
    pub fn note_reaped(&mut self, pid: i32, maxrss_bytes: u64) {
        tracing::debug!(pid, maxrss_bytes, "reaped");
        self.rusage_max_rss = Some(self.rusage_max_rss.unwrap_or(0).max(maxrss_bytes));
        self.peak_single = Some(self.peak_single.unwrap_or(0).max(maxrss_bytes));
    }

    /// The cgroup's figures for the whole run (see `sample::cgroup`).
    pub fn set_cgroup(&mut self, fields: CgroupUsage) {
        self.cgroup = Some(fields);
    }

    pub fn has_pending(&self) -> bool {
        self.report.num_samples > 0
    }

    /// The current report as one usage.jsonl line (without the newline), starting a new report.
    pub fn take_report(&mut self) -> Option<String> {
        let timestamp = self.report_timestamp?;
        if self.report.num_samples == 0 {
            return None;
        }
        let processes = self
            .processes
            .iter()
            .map(|(&pid, a)| {
                let line = ProcessLine {
                    pcpu: a.pcpu,
                    pmem: a.pmem,
                    rss: a.rss,
                    vsz: a.vsz,
                    timestamp: isoformat(&a.timestamp),
                    etime: format_etime(a.etime_secs),
                    stat: &a.stat,
                    cmd: &a.cmd,
                    pcpu_lifetime: a.pcpu_lifetime,
                    peak_rss_hwm: a.peak_rss_hwm,
                };
                (pid, line)
            })
            .collect();
        let line = ReportLine {
            timestamp: isoformat(&timestamp),
            num_samples: self.report.num_samples,
            processes,
            totals: TotalsLine {
                pmem: self.report.peak.pmem,
                pcpu: self.report.peak.pcpu,
                rss: self.report.peak.rss,
                vsz: self.report.peak.vsz,
            },
            averages: self.report.averages(),
            cgroup_memory_current: self.report_cgroup_memory.take(),
        };
        let json = serde_json::to_string(&line);
        self.report = Stats::default();
        self.processes.clear();
        self.report_timestamp = None;
        match json {
            Ok(json) => {
                self.num_reports += 1;
                Some(json)
            }
            Err(e) => {
                // Cannot happen with these types (map keys are integers, floats become null); never panic.
                tracing::warn!("cannot serialize a usage report: {e}");
                None
            }
        }
    }

    /// The resource fields of info.json's `execution_summary` (con-duct's, and the sampler's own); `peak_*`
    /// and `average_*` are null without samples.
    pub fn summary(&self) -> (Resources, Sampled) {
        let run = &self.run;
        let sampled = run.num_samples > 0;
        let peak_rss = run.peak.rss.max(self.peak_single.unwrap_or(0));
        let resources = Resources {
            peak_rss: sampled.then_some(peak_rss),
            average_rss: sampled.then(|| run.mean_bytes(run.mean_rss)).flatten(),
            peak_vsz: sampled.then_some(run.peak.vsz),
            average_vsz: sampled.then(|| run.mean_bytes(run.mean_vsz)).flatten(),
            peak_pmem: sampled.then_some(run.peak.pmem),
            average_pmem: sampled.then_some(run.mean_pmem),
            peak_pcpu: sampled.then_some(run.peak.pcpu),
            average_pcpu: sampled.then_some(run.mean_pcpu),
            num_samples: run.num_samples,
            num_reports: self.num_reports,
        };
        let extra = Sampled {
            peak_rss_sampled_total: sampled.then_some(run.peak.rss),
            peak_rss_single_process: self.peak_single,
            rusage_max_rss: self.rusage_max_rss,
            cgroup: self.cgroup.clone().unwrap_or_default(),
        };
        (resources, extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::ProcessSample;
    use chrono::TimeZone;
    use serde_json::Value;

    fn ts(micros: i64) -> DateTime<Local> {
        Local.timestamp_micros(1_795_586_938_000_000 + micros).unwrap()
    }

    fn code(s: &str) -> StatCode {
        StatCode::from_ascii(s)
    }

    #[allow(clippy::too_many_arguments)]
    fn proc(pid: i32, pcpu: f64, pmem: f64, rss: u64, vsz: u64, etime: u64, stat: &str, cmd: &str) -> ProcessSample {
        ProcessSample {
            pid,
            pcpu,
            pcpu_lifetime: pcpu / 2.0,
            pmem,
            rss,
            vsz,
            etime_secs: etime,
            stat: code(stat),
            cmd: cmd.into(),
            peak_rss_hwm: None,
        }
    }

    /// The two con-duct lines of the reference (§2.2), rebuilt from their samples.
    #[test]
    fn two_samples_two_pids_like_con_duct() {
        let mut agg = Aggregator::new();
        let s1 = Sample::new(ts(589_634), vec![proc(7172, 0.0, 0.0, 8900608, 12832768, 0, "Rs", "python3 work.py")]);
        agg.add(&s1);
        assert!(agg.has_pending());
        let line1: Value = serde_json::from_str(&agg.take_report().unwrap()).unwrap();
        assert!(!agg.has_pending());
        assert_eq!(agg.take_report(), None);
        assert_eq!(
            line1["averages"],
            serde_json::json!({"rss": 8900608, "vsz": 12832768, "pmem": 0.0, "pcpu": 0.0, "num_samples": 1})
        );
        assert_eq!(line1["processes"]["7172"]["etime"], "00:00");
        assert_eq!(line1["num_samples"], 1);

        // Second report: two samples; the child appears only in the second.
        let s2 = Sample::new(
            ts(1_000_000),
            vec![
                proc(7172, 96.1, 0.8, 224120832, 226926592, 1, "Rs", "python3 work.py"),
                proc(7237, 90.0, 0.4, 100, 200, 0, "R", "[python3]"),
            ],
        );
        let s3 = Sample::new(
            ts(1_020_118),
            vec![
                proc(7172, 50.0, 0.8, 224120832, 226926592, 1, "Rs", "python3 work.py"),
                proc(7237, 96.8, 0.4, 118824960, 121823232, 0, "R+", "python3 -c x"),
            ],
        );
        agg.add(&s2);
        agg.add(&s3);
        let line = agg.take_report().unwrap();
        let got: Value = serde_json::from_str(&line).unwrap();
        let t3 = isoformat(&ts(1_020_118));
        let want = serde_json::json!({
            "timestamp": t3,
            "num_samples": 2,
            "processes": {
                "7172": {"pcpu": 96.1, "pmem": 0.8, "rss": 224120832, "vsz": 226926592, "timestamp": t3,
                         "etime": "00:01", "stat": {"Rs": 2}, "cmd": "python3 work.py", "pcpu_lifetime": 48.05},
                "7237": {"pcpu": 96.8, "pmem": 0.4, "rss": 118824960, "vsz": 121823232, "timestamp": t3,
                         "etime": "00:00", "stat": {"R": 1, "R+": 1}, "cmd": "python3 -c x", "pcpu_lifetime": 48.4},
            },
            // max over samples of per-sample sums: s2 has the higher pcpu sum, s3 the higher rss sum
            "totals": {"pmem": 0.8 + 0.4, "pcpu": 96.1 + 90.0, "rss": 224120832u64 + 118824960, "vsz": 226926592u64 + 121823232},
            "averages": {
                "rss": (224120832.0 + 100.0 + 224120832.0 + 118824960.0) / 2.0,
                "vsz": (226926592.0 + 200.0 + 226926592.0 + 121823232.0) / 2.0,
                "pmem": 0.8 + 0.4,
                "pcpu": (96.1 + 90.0) + ((50.0 + 96.8) - (96.1 + 90.0)) / 2.0,
                "num_samples": 2
            }
        });
        assert_eq!(got, want, "{line}");
        // Key order as con-duct writes it.
        assert!(line.starts_with(r#"{"timestamp":"#), "{line}");
        assert!(line.contains(r#""totals":{"pmem":"#), "{line}");
        assert!(line.ends_with(r#""num_samples":2}}"#), "{line}");
        assert_eq!(serde_json::to_string(&Stats::default().averages()).unwrap(), "{}");

        let (sum, extra) = agg.summary();
        assert_eq!(sum.num_samples, 3);
        assert_eq!(sum.num_reports, 2);
        assert_eq!(sum.peak_rss, Some(224120832u64 + 118824960));
        assert_eq!(sum.peak_pcpu, Some(96.1 + 90.0));
        let mean_rss = 8900608.0 + ((224120832.0 + 100.0) - 8900608.0) / 2.0;
        let mean_rss = mean_rss + ((224120832.0 + 118824960.0) - mean_rss) / 3.0;
        assert_eq!(sum.average_rss, Number::from_f64(mean_rss));
        assert_eq!(extra.rusage_max_rss, None);
    }

    #[test]
    fn first_command_kept_unless_bracketed() {
        assert!(is_bracketed("[kworker/0:1]"));
        assert!(is_bracketed("[é] <defunct>"));
        assert!(!is_bracketed("[]"));
        assert!(!is_bracketed("python3 [x]"));
        let mut agg = Aggregator::new();
        for cmd in ["sh -c a", "sh -c b"] {
            agg.add(&Sample::new(ts(0), vec![proc(1, 0.0, 0.0, 1, 1, 0, "S", cmd)]));
        }
        let v: Value = serde_json::from_str(&agg.take_report().unwrap()).unwrap();
        assert_eq!(v["processes"]["1"]["cmd"], "sh -c a");
    }

    #[test]
    fn empty_run_has_nulls() {
        let mut agg = Aggregator::new();
        assert!(!agg.has_pending());
        assert_eq!(agg.take_report(), None);
        let (s, extra) = agg.summary();
        assert_eq!(s, Resources::default());
        assert_eq!(extra, Sampled::default());
        agg.note_reaped(42, 5000);
        let (s, extra) = agg.summary();
        assert_eq!(extra.rusage_max_rss, Some(5000));
        assert_eq!(s.peak_rss, None);
    }

    #[test]
    fn peak_rss_covers_spikes_between_samples() {
        let mut agg = Aggregator::new();
        let mut a = proc(1, 0.0, 0.0, 1000, 1, 0, "S", "a");
        a.peak_rss_hwm = Some(7000);
        let b = proc(2, 0.0, 0.0, 2000, 1, 0, "S", "b");
        agg.add(&Sample::new(ts(0), vec![a, b]));
        let (s, extra) = agg.summary();
        assert_eq!(extra.peak_rss_sampled_total, Some(3000));
        assert_eq!(extra.peak_rss_single_process, Some(7000));
        assert_eq!(s.peak_rss, Some(7000));
        agg.note_reaped(3, 9000);
        assert_eq!(agg.summary().0.peak_rss, Some(9000));
        let v: Value = serde_json::from_str(&agg.take_report().unwrap()).unwrap();
        assert_eq!(v["processes"]["1"]["peak_rss_hwm"], 7000);
        assert!(v["processes"]["2"].get("peak_rss_hwm").is_none());
    }

    #[test]
    fn isoformat_like_python() {
        let t = ts(589_634);
        let s = isoformat(&t);
        assert_eq!(s.len(), "2026-11-25T06:08:58.589634+00:00".len(), "{s}");
        assert!(s.contains(".589634"), "{s}");
        assert_eq!(DateTime::parse_from_rfc3339(&s).unwrap(), t);
    }
}
