//! info.json: what ran, where, on what machine, and how it went (con-duct schema 0.2.3 plus our own extra
//! fields, which con-duct's readers ignore).

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::log_paths::LogPaths;
use crate::record::ExecutionSummary;

pub const SCHEMA_VERSION: &str = "0.2.3";

/// Keys of `execution_summary` that a summary template may name (con-duct's, in its order).
pub use crate::record::SUMMARY_KEYS;

#[derive(Debug, Serialize)]
pub struct SystemInfo {
    cpu_total: i64,
    memory_total: i64,
    hostname: Option<String>,
    uid: u32,
    user: Option<String>,
    os_name: String,
    os_release: String,
    os_version: String,
    arch: String,
    processor: String,
    distro_id: String,
    distro_id_like: String,
    distro_name: String,
    distro_version: String,
    distro_version_id: String,
    distro_codename: String,
    distro_variant_id: String,
    distro_pretty_name: String,
    distro_build_id: String,
}

fn sysconf(name: libc::c_int) -> i64 {
    // SAFETY: sysconf has no preconditions; -1 means "unknown".
    unsafe { libc::sysconf(name) }
}

pub fn system_info() -> SystemInfo {
    let uts = nix::sys::utsname::uname().ok();
    let u = |f: fn(&nix::sys::utsname::UtsName) -> &std::ffi::OsStr| {
        uts.as_ref().map(|u| f(u).to_string_lossy().into_owned()).unwrap_or_default()
    };
    let osr = os_release();
    let o = |k: &str| osr.get(k).cloned().unwrap_or_default();
    SystemInfo {
        cpu_total: sysconf(libc::_SC_NPROCESSORS_CONF),
        memory_total: sysconf(libc::_SC_PAGESIZE) * sysconf(libc::_SC_PHYS_PAGES),
        hostname: nix::unistd::gethostname().ok().map(|h| h.to_string_lossy().into_owned()),
        uid: nix::unistd::getuid().as_raw(),
        user: std::env::var("USER").ok(),
        os_name: u(|u| u.sysname()),
        os_release: u(|u| u.release()),
        os_version: u(|u| u.version()),
        arch: u(|u| u.machine()),
        // Python's platform.processor() is empty on Linux distributions like this one.
        processor: String::new(),
        distro_id: o("ID"),
        distro_id_like: o("ID_LIKE"),
        distro_name: o("NAME"),
        distro_version: o("VERSION"),
        distro_version_id: o("VERSION_ID"),
        distro_codename: o("VERSION_CODENAME"),
        distro_variant_id: o("VARIANT_ID"),
        distro_pretty_name: o("PRETTY_NAME"),
        distro_build_id: o("BUILD_ID"),
    }
}

fn os_release() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
            (k.trim().to_string(), v.replace("\\\"", "\""))
        })
        .collect()
}

/// Only the batch-system variables, as con-duct records.
pub fn batch_env() -> Map<String, Value> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.to_string_lossy().into_owned())))
        .filter(|(k, _)| k.starts_with("SLURM_") || k.starts_with("PBS_") || k.starts_with("OSG"))
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

/// Asks nvidia-smi for the GPU inventory in the background, so a slow driver never delays the command.
pub struct GpuProbe(pub Option<mpsc::Receiver<Value>>);

impl GpuProbe {
    pub fn start() -> GpuProbe {
        let (tx, rx) = mpsc::channel();
        // Even the PATH search happens on the probe's thread: a PATH entry on a hung mount must not stop duct.
        let spawned = std::thread::Builder::new().name("gpu".into()).spawn(move || {
            let on_path = std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("nvidia-smi").is_file()));
            let inventory =
                if on_path { crate::guard("gpu probe", query_gpus).unwrap_or(Value::Null) } else { Value::Null };
            let _ = tx.send(inventory);
        });
        GpuProbe(spawned.ok().map(|_| rx))
    }

    /// The inventory, or null when there is none or it does not come within `wait`.
    pub fn result(&self, wait: Duration) -> Value {
        self.0.as_ref().and_then(|rx| rx.recv_timeout(wait).ok()).unwrap_or(Value::Null)
    }
}

fn query_gpus() -> Value {
    let fields = ["index", "name", "bus_id", "driver_version", "memory.total", "compute_mode"];
    let mut cmd = Command::new("nvidia-smi");
    cmd.args(["--query-gpu=index,name,pci.bus_id,driver_version,memory.total,compute_mode", "--format=csv"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let Ok(mut child) = crate::child::spawn_helper(&mut cmd) else { return Value::Null };
    let mut stdout = Vec::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut pipe, 1 << 20), &mut stdout);
    }
    let done = crate::child::wait_helper(child.id() as i32, std::time::Instant::now() + Duration::from_secs(30));
    if done.is_none_or(|r| r.code != 0) {
        return Value::Null;
    }
    let text = String::from_utf8_lossy(&stdout);
    let gpus: Vec<Value> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let obj: Map<String, Value> =
                fields.iter().zip(line.split(',')).map(|(k, v)| (k.to_string(), json!(v.trim()))).collect();
            Value::Object(obj)
        })
        .collect();
    Value::Array(gpus)
}

/// Everything info.json holds apart from the execution summary, gathered once.
pub struct Static {
    pub command: String,
    pub system: SystemInfo,
    pub env: Map<String, Value>,
    pub paths: LogPaths,
    pub working_directory: String,
    pub message: String,
    /// The batch job duct runs in, if any.
    pub slurm: Option<crate::slurm::Job>,
}

pub fn document(st: &Static, gpu: &Value, summary: &ExecutionSummary, extra: Map<String, Value>) -> Value {
    let mut doc = json!({
        "command": st.command,
        "system": st.system,
        "env": st.env,
        "gpu": gpu,
        "duct_version": env!("CARGO_PKG_VERSION"),
        "schema_version": SCHEMA_VERSION,
        "execution_summary": summary,
        "output_paths": st.paths,
        "working_directory": st.working_directory,
        "message": st.message,
    });
    if let Value::Object(m) = &mut doc {
        if let Some(job) = &st.slurm {
            m.insert("slurm".to_string(), json!(job));
        }
        m.insert("duct".to_string(), Value::Object(extra));
    }
    doc
}
