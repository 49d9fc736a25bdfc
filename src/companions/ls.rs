//! `con-duct ls`: one row per run from info.json files, as con-duct 0.23.0 prints them.

use std::path::PathBuf;

use super::Error;

/// The fields `-F` and `--sort-by` accept: con-duct's LS_FIELD_CHOICES, in its order.
pub const FIELD_CHOICES: [&str; 45] = [
    "average_pcpu",
    "average_pmem",
    "average_rss",
    "average_vsz",
    "end_time",
    "exit_code",
    "memory_total",
    "peak_pcpu",
    "peak_pmem",
    "peak_rss",
    "peak_vsz",
    "start_time",
    "wall_clock_time",
    "arch",
    "command",
    "cpu_total",
    "distro_build_id",
    "distro_codename",
    "distro_id",
    "distro_id_like",
    "distro_name",
    "distro_pretty_name",
    "distro_variant_id",
    "distro_version",
    "distro_version_id",
    "duct_version",
    "gpu",
    "hostname",
    "info",
    "logs_prefix",
    "message",
    "num_samples",
    "num_reports",
    "os_name",
    "os_release",
    "os_version",
    "prefix",
    "processor",
    "schema_version",
    "stderr",
    "stdout",
    "uid",
    "usage",
    "user",
    "working_directory",
];

pub const DEFAULT_FIELDS: [&str; 4] = ["command", "exit_code", "wall_clock_time", "peak_rss"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Summaries,
    Json,
    JsonPp,
    Yaml,
}

#[derive(Debug)]
pub struct Options {
    pub format: Format,
    pub fields: Vec<String>,
    pub colors: bool,
    pub paths: Vec<PathBuf>,
    pub eval_filter: Option<String>,
    pub reverse: bool,
    pub sort_by: Vec<String>,
}

pub fn ls(options: &Options) -> Result<(), Error> {
    let _ = options;
    Err(Error::Failed("con-duct ls: not yet available".into()))
}
