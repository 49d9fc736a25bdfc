//! usage.jsonl into the series the chart draws, as con-duct 0.23.0's `plot.py` builds them
//! (`_build_pid_series`, `_envelopes`, `_totals_series`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

/// Which CPU value to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cpu {
    /// ps's pcpu as recorded: CPU time over the process's lifetime.
    PsPcpu,
    /// CPU over each interval, from consecutive (pcpu, etime) pairs.
    PsCpuTimepoint,
}

impl Cpu {
    pub fn name(self) -> &'static str {
        match self {
            Cpu::PsPcpu => "ps-pcpu",
            Cpu::PsCpuTimepoint => "ps-cpu-timepoint",
        }
    }
}

/// One pid's trace; `cpu` is None where the value cannot be known (ps-cpu-timepoint's first sample, ...).
#[derive(Debug)]
pub struct Pid {
    pub elapsed: Vec<f64>,
    pub cpu: Vec<Option<f64>>,
    pub rss: Vec<f64>,
}

#[derive(Debug)]
pub struct Usage {
    /// In the order the pids first appear.
    pub pids: Vec<Pid>,
    pub totals_pcpu: Vec<(f64, f64)>,
    pub totals_rss: Vec<(f64, f64)>,
}

fn timestamp(v: Option<&Value>, what: &str) -> Result<DateTime<FixedOffset>, String> {
    let s = v.and_then(Value::as_str).ok_or_else(|| format!("missing required field: {what}"))?;
    DateTime::parse_from_rfc3339(s).map_err(|e| format!("invalid {what} '{s}': {e}"))
}

fn seconds(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> f64 {
    (a - b).num_microseconds().map_or(0.0, |us| us as f64 / 1e6)
}

/// ps's etime, `[[DD-]HH:]MM:SS`, in seconds.
pub fn etime_seconds(etime: &str) -> Option<f64> {
    let (days, rest) = match etime.split_once('-') {
        Some((d, r)) => (d.parse::<u64>().ok()?, r),
        None => (0, etime),
    };
    let parts: Vec<u64> = rest.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (h, m, s) = match parts[..] {
        [m, s] => (0, m, s),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    Some((days * 86400 + h * 3600 + m * 60 + s) as f64)
}

/// con-duct's pid-reuse guard: a pid that lived on gained as much etime as wall time passed (ps rounds to
/// seconds, hence the slack).
fn same_pid(prev_etime: f64, etime: f64, wall: f64) -> bool {
    etime - prev_etime >= wall - 2.0
}

/// con-duct's pdcpu_from_pcpu: pcpu is cputime/etime, so the CPU used between two samples is the change in
/// pcpu*etime over the change in etime; none when etime did not grow or for a negative result.
fn pdcpu(prev_pcpu: f64, prev_etime: f64, pcpu: f64, etime: f64) -> Option<f64> {
    let d = etime - prev_etime;
    if d <= 0.0 {
        return None;
    }
    let v = (pcpu * etime - prev_pcpu * prev_etime) / d;
    (v >= 0.0).then_some(v)
}

fn number(v: Option<&Value>) -> f64 {
    v.and_then(Value::as_f64).unwrap_or(0.0)
}

impl Usage {
    pub fn parse(text: &str, cpu: Cpu) -> Result<Usage, String> {
        let mut records = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).map_err(|e| format!("line {} is not JSON: {e}", n + 1))?;
            if !v.is_object() {
                return Err(format!("line {} is not a JSON object", n + 1));
            }
            records.push(v);
        }
        let mut usage = Usage { pids: Vec::new(), totals_pcpu: Vec::new(), totals_rss: Vec::new() };
        let Some(first) = records.first() else { return Ok(usage) };
        let base = timestamp(first.get("timestamp"), "timestamp")?;
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut state: HashMap<String, Option<(f64, f64, DateTime<FixedOffset>)>> = HashMap::new();
        for r in &records {
            let ts = timestamp(r.get("timestamp"), "timestamp")?;
            let elapsed = seconds(ts, base);
            let totals = r.get("totals").ok_or("missing required field: totals")?;
            for (field, out) in [("pcpu", &mut usage.totals_pcpu), ("rss", &mut usage.totals_rss)] {
                let v = totals.get(field).and_then(Value::as_f64);
                out.push((elapsed, v.ok_or_else(|| format!("missing required field: totals.{field}"))?));
            }
            let Some(processes) = r.get("processes").and_then(Value::as_object) else { continue };
            for (pid, p) in processes {
                let pcpu = number(p.get("pcpu"));
                let value = match cpu {
                    Cpu::PsPcpu => Some(pcpu),
                    Cpu::PsCpuTimepoint => {
                        // con-duct skips a sample whose etime it cannot read.
                        let Some(et) = p.get("etime").and_then(Value::as_str).and_then(etime_seconds) else {
                            continue;
                        };
                        let pts = match p.get("timestamp") {
                            Some(t) => timestamp(Some(t), "processes.timestamp")?,
                            None => ts,
                        };
                        let value = match state.get(pid) {
                            Some(Some((pe, pp, pts0))) if et != 0.0 && same_pid(*pe, et, seconds(pts, *pts0)) => {
                                pdcpu(*pp, *pe, pcpu, et)
                            }
                            _ => None,
                        };
                        state.insert(pid.clone(), (et != 0.0).then_some((et, pcpu, pts)));
                        value
                    }
                };
                let i = *index.entry(pid.clone()).or_insert_with(|| {
                    usage.pids.push(Pid { elapsed: Vec::new(), cpu: Vec::new(), rss: Vec::new() });
                    usage.pids.len() - 1
                });
                let s = &mut usage.pids[i];
                s.elapsed.push(elapsed);
                s.cpu.push(value);
                s.rss.push(number(p.get("rss")));
            }
        }
        Ok(usage)
    }

    /// Max and sum across pids at each time any pid had a value (a missing value is not a zero).
    pub fn envelopes(&self, metric: impl Fn(&Pid) -> &Vec<Option<f64>>) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut grid: BTreeMap<u64, (f64, Vec<f64>)> = BTreeMap::new();
        for p in &self.pids {
            for (x, v) in p.elapsed.iter().zip(metric(p)) {
                if let Some(v) = v {
                    // Elapsed times are non-negative in order, so their bits sort as they do.
                    grid.entry(x.max(0.0).to_bits()).or_insert((*x, Vec::new())).1.push(*v);
                }
            }
        }
        let xs = grid.values().map(|(x, _)| *x).collect();
        let maxs = grid.values().map(|(_, v)| v.iter().copied().fold(f64::MIN, f64::max)).collect();
        let sums = grid.values().map(|(_, v)| v.iter().sum()).collect();
        (xs, maxs, sums)
    }

    pub fn envelopes_rss(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let as_options: Vec<Pid> = self
            .pids
            .iter()
            .map(|p| Pid { elapsed: p.elapsed.clone(), cpu: p.rss.iter().map(|v| Some(*v)).collect(), rss: Vec::new() })
            .collect();
        Usage { pids: as_options, totals_pcpu: Vec::new(), totals_rss: Vec::new() }.envelopes(|p| &p.cpu)
    }

    pub fn max_elapsed(&self) -> f64 {
        self.totals_rss.iter().map(|(x, _)| *x).fold(0.0, f64::max)
    }

    pub fn max_cpu(&self) -> f64 {
        let pids = self.pids.iter().flat_map(|p| p.cpu.iter().flatten().copied());
        let (_, _, sums) = self.envelopes(|p| &p.cpu);
        pids.chain(sums).chain(self.totals_pcpu.iter().map(|(_, y)| *y)).fold(0.0, f64::max)
    }

    pub fn max_rss(&self) -> f64 {
        let pids = self.pids.iter().flat_map(|p| p.rss.iter().copied());
        pids.chain(self.totals_rss.iter().map(|(_, y)| *y)).fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"{"timestamp":"2026-11-25T06:08:58+00:00","processes":{"7":{"pcpu":50.0,"rss":100,"etime":"00:02","timestamp":"2026-11-25T06:08:58+00:00"}},"totals":{"pcpu":50.0,"rss":100}}
{"timestamp":"2026-11-25T06:09:00+00:00","processes":{"7":{"pcpu":75.0,"rss":300,"etime":"00:04","timestamp":"2026-11-25T06:09:00+00:00"},"9":{"pcpu":10.0,"rss":50,"etime":"00:01","timestamp":"2026-11-25T06:09:00+00:00"}},"totals":{"pcpu":85.0,"rss":350}}
"#;

    #[test]
    fn pids_envelopes_and_totals() {
        let u = Usage::parse(TWO, Cpu::PsPcpu).unwrap();
        assert_eq!(u.pids.len(), 2);
        assert_eq!(u.pids[0].elapsed, vec![0.0, 2.0]);
        let (xs, max, sum) = u.envelopes(|p| &p.cpu);
        assert_eq!((xs, max, sum), (vec![0.0, 2.0], vec![50.0, 75.0], vec![50.0, 85.0]));
        assert_eq!(u.totals_rss, vec![(0.0, 100.0), (2.0, 350.0)]);
    }

    #[test]
    fn timepoint_cpu_from_consecutive_samples() {
        let u = Usage::parse(TWO, Cpu::PsCpuTimepoint).unwrap();
        // (75*4 - 50*2) / (4-2) = 100; first sightings have no value.
        assert_eq!(u.pids[0].cpu, vec![None, Some(100.0)]);
        assert_eq!(u.pids[1].cpu, vec![None]);
        assert_eq!(etime_seconds("1-02:03:04"), Some(93784.0));
        assert_eq!(etime_seconds("x"), None);
    }

    #[test]
    fn bad_records_are_one_line() {
        assert!(Usage::parse("{not json", Cpu::PsPcpu).unwrap_err().contains("line 1"));
        assert!(
            Usage::parse(r#"{"timestamp":"2026-11-25T06:08:58+00:00"}"#, Cpu::PsPcpu).unwrap_err().contains("totals")
        );
    }
}
