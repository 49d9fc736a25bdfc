//! The batch job duct runs in (SLURM, or PBS for the requested CPUs) and how well the run fitted what the
//! job asked for. Read from the environment the job gives its tasks; the environment is passed in, so this
//! module is pure. Anything missing is `None` (null in info.json), never an error: outside a batch system,
//! or with a partial environment, duct records what there is.

use serde::Serialize;

use crate::record::{ExecutionSummary, Fit};

/// info.json's `slurm` section. The keys carry a `slurm_` prefix because con-duct's `ls` flattens nested
/// objects to their last key: a bare `partition` or `ntasks` would be read as a field of its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Job {
    pub slurm_job_id: Option<String>,
    pub slurm_array_job_id: Option<String>,
    pub slurm_array_task_id: Option<String>,
    pub slurm_step_id: Option<String>,
    pub slurm_procid: Option<String>,
    pub slurm_ntasks: Option<u64>,
    pub slurm_nodelist: Option<String>,
    pub slurm_partition: Option<String>,
    pub slurm_cluster: Option<String>,
    pub slurm_submit_dir: Option<String>,
    /// CPUs this task may use, from the first variable that says it (see `requested_cpus`).
    pub cpus_requested: Option<f64>,
    /// Bytes of memory this task may use (`--mem` per node, or `--mem-per-cpu` times its CPUs).
    pub memory_requested: Option<u64>,
    /// How long after SLURM's SIGTERM (scancel, time limit) duct lets the command run before it kills the
    /// command itself: SLURM's SIGKILL reaches duct too, KillWait after the SIGTERM, and duct must have
    /// written its record and logs by then. Only for a SLURM job; not part of info.json.
    #[serde(skip)]
    pub term_grace: Option<std::time::Duration>,
}

impl Job {
    /// The job, when duct runs inside one (a SLURM job id, or PBS's CPU count, is present).
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Option<Job> {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let job_id = text("SLURM_JOB_ID").or_else(|| text("SLURM_JOBID"));
        let cpus = requested_cpus(&text);
        if job_id.is_none() && cpus.is_none() {
            return None;
        }
        Some(Job {
            slurm_job_id: job_id,
            slurm_array_job_id: text("SLURM_ARRAY_JOB_ID"),
            slurm_array_task_id: text("SLURM_ARRAY_TASK_ID"),
            slurm_step_id: text("SLURM_STEP_ID").or_else(|| text("SLURM_STEPID")),
            slurm_procid: text("SLURM_PROCID"),
            slurm_ntasks: text("SLURM_NTASKS").and_then(|v| v.parse().ok()),
            slurm_nodelist: text("SLURM_JOB_NODELIST").or_else(|| text("SLURM_NODELIST")),
            slurm_partition: text("SLURM_JOB_PARTITION"),
            slurm_cluster: text("SLURM_CLUSTER_NAME"),
            slurm_submit_dir: text("SLURM_SUBMIT_DIR"),
            cpus_requested: cpus,
            memory_requested: requested_memory(&text, cpus),
            term_grace: None,
        })
    }

    /// The job with its SIGTERM grace, from the text of the slurm.conf the job runs under (None when it
    /// cannot be read: SLURM's default KillWait, 30 s, then applies).
    pub fn with_conf(mut self, conf: Option<&str>) -> Job {
        if self.slurm_job_id.is_some() {
            let kill_wait = conf.and_then(kill_wait).unwrap_or(DEFAULT_KILL_WAIT);
            self.term_grace = Some(term_grace(std::time::Duration::from_secs(kill_wait)));
        }
        self
    }

    /// The fit of the run to the request, as `execution_summary` fields: fractions (1.0 = all of it), null
    /// where either side is unknown. From duct's peak_rss (bytes), the cgroup's memory peak and
    /// average/peak_pcpu (percent of one CPU, as ps counts).
    pub fn fit(&self, summary: &ExecutionSummary) -> Fit {
        let used = &summary.resources;
        let cgroup_peak = summary.sampled.as_ref().and_then(|s| s.cgroup.cgroup_memory_peak);
        let mem = self.memory_requested.filter(|m| *m > 0).map(|m| m as f64);
        let cpus = self.cpus_requested.filter(|c| *c > 0.0);
        let ratio = |used: Option<f64>, of: Option<f64>| used.zip(of).map(|(u, o)| u / o);
        Fit {
            memory_requested: self.memory_requested,
            cpus_requested: self.cpus_requested,
            memory_fit_peak: ratio(used.peak_rss.map(|b| b as f64), mem),
            memory_fit_cgroup_peak: ratio(cgroup_peak.map(|b| b as f64), mem),
            cpu_fit_average: ratio(used.average_pcpu.map(|p| p / 100.0), cpus),
            cpu_fit_peak: ratio(used.peak_pcpu.map(|p| p / 100.0), cpus),
        }
    }
}

/// The job duct runs in, from duct's own environment and, for a SLURM job, its slurm.conf (the one place
/// this module reads anything: a local file, read once at start).
pub fn current_job() -> Option<Job> {
    let env = |k: &str| std::env::var(k).ok();
    let job = Job::from_env(env)?;
    let conf = job.slurm_job_id.as_ref().and_then(|_| std::fs::read_to_string(conf_path(env)).ok());
    Some(job.with_conf(conf.as_deref()))
}

/// SLURM's KillWait when slurm.conf does not set it (slurm.conf(5)).
const DEFAULT_KILL_WAIT: u64 = 30;

/// What duct keeps of KillWait for itself after killing the command: draining the pipes, the last report,
/// info.json and the summary (about 0.2 s on an idle node; failing log files get what is left).
const KEPT_FOR_DUCT: std::time::Duration = std::time::Duration::from_millis(2500);

/// The path of the slurm.conf a job's processes read: `SLURM_CONF` (set by slurmd in configless setups
/// too), else the compiled-in default of Debian's and upstream's packages.
pub fn conf_path(get: impl Fn(&str) -> Option<String>) -> std::path::PathBuf {
    get("SLURM_CONF").filter(|p| !p.is_empty()).map_or_else(|| "/etc/slurm/slurm.conf".into(), Into::into)
}

/// `KillWait=N` (seconds) from slurm.conf text; keys are case-insensitive, `#` starts a comment.
pub fn kill_wait(conf: &str) -> Option<u64> {
    conf.lines()
        .map(|l| l.split('#').next().unwrap_or_default())
        .flat_map(str::split_whitespace)
        .filter_map(|word| word.split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("KillWait"))
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// The command's share of KillWait: all but [`KEPT_FOR_DUCT`], or three quarters of a long KillWait.
pub fn term_grace(kill_wait: std::time::Duration) -> std::time::Duration {
    kill_wait.saturating_sub(KEPT_FOR_DUCT.max(kill_wait / 4))
}

/// One line for the summary: how much of the request the run used. None when nothing can be compared.
pub fn fit_line(fit: &Fit) -> Option<String> {
    // A fraction that is not finite is written as null, and left out here as one.
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    let percent = |f: f64| format!("{:.0} %", f * 100.0);
    let mut parts = Vec::new();
    if let (Some(f), Some(bytes)) = (finite(fit.memory_fit_peak), fit.memory_requested.map(|b| b as f64)) {
        parts.push(format!("{} of the {} of memory", percent(f), decimal_size(bytes)));
    }
    if let (Some(avg), Some(cpus)) = (finite(fit.cpu_fit_average), finite(fit.cpus_requested)) {
        let peak = finite(fit.cpu_fit_peak).map(|p| format!(", peak {}", percent(p))).unwrap_or_default();
        let unit = if cpus == 1.0 { "CPU" } else { "CPUs" };
        parts.push(format!("{} of the {cpus} {unit} (average{peak})", percent(avg)));
    }
    (!parts.is_empty()).then(|| format!("The job used {} requested.", parts.join(" and ")))
}

fn decimal_size(bytes: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = bytes;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 { format!("{v:.0} B") } else { format!("{v:.1} {}", units[i]) }
}

/// CPUs this task may use: `--cpus-per-task`, else what the job has on this node, else PBS's ppn.
fn requested_cpus(text: &impl Fn(&str) -> Option<String>) -> Option<f64> {
    let first_count = |v: String| -> Option<f64> {
        // SLURM_JOB_CPUS_PER_NODE looks like "4(x2),2": this node's count comes first.
        let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok().map(f64::from)
    };
    text("SLURM_CPUS_PER_TASK")
        .and_then(first_count)
        .or_else(|| text("SLURM_CPUS_ON_NODE").and_then(first_count))
        .or_else(|| text("SLURM_JOB_CPUS_PER_NODE").and_then(first_count))
        .or_else(|| text("PBS_NUM_PPN").and_then(first_count))
}

/// SLURM gives memory in megabytes (MiB, as SLURM counts: `--mem=4G` is 4096).
fn requested_memory(text: &impl Fn(&str) -> Option<String>, cpus: Option<f64>) -> Option<u64> {
    let mib = |v: String| v.parse::<u64>().ok().filter(|m| *m > 0).map(|m| m * 1024 * 1024);
    text("SLURM_MEM_PER_NODE").and_then(mib).or_else(|| {
        let per_cpu = text("SLURM_MEM_PER_CPU").and_then(mib)?;
        Some(per_cpu * cpus.unwrap_or(1.0) as u64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn job(vars: &[(&str, &str)]) -> Option<Job> {
        let env: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Job::from_env(|k| env.get(k).cloned())
    }

    #[test]
    fn outside_a_batch_job_there_is_none() {
        assert_eq!(job(&[("HOME", "/root")]), None);
        assert_eq!(job(&[("SLURM_JOB_ID", "")]), None);
    }

    #[test]
    fn a_task_of_an_array_job() {
        let j = job(&[
            ("SLURM_JOB_ID", "41"),
            ("SLURM_ARRAY_JOB_ID", "40"),
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_STEP_ID", "0"),
            ("SLURM_PROCID", "3"),
            ("SLURM_NTASKS", "4"),
            ("SLURM_JOB_NODELIST", "node[1-2]"),
            ("SLURM_JOB_PARTITION", "debug"),
            ("SLURM_CLUSTER_NAME", "c1"),
            ("SLURM_SUBMIT_DIR", "/home/u"),
            ("SLURM_CPUS_PER_TASK", "2"),
            ("SLURM_CPUS_ON_NODE", "8"),
            ("SLURM_MEM_PER_CPU", "1000"),
        ])
        .unwrap();
        assert_eq!(j.slurm_job_id.as_deref(), Some("41"));
        assert_eq!(j.slurm_array_job_id.as_deref(), Some("40"));
        assert_eq!(j.slurm_procid.as_deref(), Some("3"));
        assert_eq!(j.slurm_ntasks, Some(4));
        assert_eq!(j.cpus_requested, Some(2.0));
        assert_eq!(j.memory_requested, Some(2 * 1000 * 1024 * 1024));
    }

    #[test]
    fn cpus_from_the_first_variable_that_says_it() {
        assert_eq!(
            job(&[("SLURM_JOB_ID", "1"), ("SLURM_JOB_CPUS_PER_NODE", "4(x2),2")]).unwrap().cpus_requested,
            Some(4.0)
        );
        assert_eq!(job(&[("PBS_NUM_PPN", "6")]).unwrap().cpus_requested, Some(6.0));
        assert_eq!(job(&[("SLURM_JOB_ID", "1"), ("SLURM_CPUS_PER_TASK", "x")]).unwrap().cpus_requested, None);
        assert_eq!(
            job(&[("SLURM_JOB_ID", "1"), ("SLURM_MEM_PER_NODE", "4096")]).unwrap().memory_requested,
            Some(4 << 30)
        );
    }

    #[test]
    fn fit_and_its_line() {
        let j = job(&[("SLURM_JOB_ID", "1"), ("SLURM_CPUS_PER_TASK", "8"), ("SLURM_MEM_PER_NODE", "4000")]).unwrap();
        let mut summary = ExecutionSummary::start("x", "p", 0.0, "/");
        summary.resources.peak_rss = Some(2_516_582_400);
        summary.resources.average_pcpu = Some(280.0);
        summary.resources.peak_pcpu = Some(720.0);
        let fit = j.fit(&summary);
        assert_eq!(fit.memory_fit_peak, Some(0.6));
        assert_eq!(fit.memory_fit_cgroup_peak, None);
        assert_eq!(fit.cpu_fit_average, Some(0.35));
        assert_eq!(fit.cpu_fit_peak, Some(0.9));
        assert_eq!(
            fit_line(&fit).unwrap(),
            "The job used 60 % of the 4.2 GB of memory and 35 % of the 8 CPUs (average, peak 90 %) requested."
        );
    }

    #[test]
    fn kill_wait_from_the_conf_and_the_grace_it_leaves() {
        use std::time::Duration;
        assert_eq!(kill_wait("ClusterName=c\n# KillWait=9\nkillwait=5 # fast\n"), Some(5));
        assert_eq!(kill_wait("NodeName=x KillWait=12\n"), Some(12));
        assert_eq!(kill_wait("KillWait=x\n"), None);
        assert_eq!(term_grace(Duration::from_secs(5)), Duration::from_millis(2500));
        assert_eq!(term_grace(Duration::from_secs(30)), Duration::from_millis(22500));
        assert_eq!(term_grace(Duration::from_secs(1)), Duration::ZERO);
        let j = job(&[("SLURM_JOB_ID", "1")]).unwrap();
        assert_eq!(j.clone().with_conf(Some("KillWait=5")).term_grace, Some(Duration::from_millis(2500)));
        assert_eq!(j.with_conf(None).term_grace, Some(Duration::from_millis(22500)));
        assert_eq!(job(&[("PBS_NUM_PPN", "6")]).unwrap().with_conf(Some("KillWait=5")).term_grace, None);
    }

    #[test]
    fn unknown_sides_are_null_and_no_line() {
        let j = job(&[("SLURM_JOB_ID", "1")]).unwrap();
        let fit = j.fit(&ExecutionSummary::start("x", "p", 0.0, "/"));
        assert_eq!(fit.memory_fit_peak, None);
        assert_eq!(fit.cpu_fit_average, None);
        assert_eq!(fit_line(&fit), None);
        let not_finite = Fit { cpus_requested: Some(2.0), cpu_fit_average: Some(f64::NAN), ..Fit::default() };
        assert_eq!(fit_line(&not_finite), None);
    }
}
