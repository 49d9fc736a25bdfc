//! The command line, as clap sees it: names, help, defaults and environment variables.
//! Nothing here touches the system; `config` turns these raw values into resolved settings.

use std::ffi::OsString;

use clap::{Parser, ValueEnum};

use crate::log_paths::DEFAULT_OUTPUT_PREFIX;

#[derive(Parser, Debug)]
#[command(
    name = "duct",
    version,
    about = "Run a command, tee its output to log files, and record the resource usage of its whole process tree.",
    long_about = "Run a command, tee its stdout and stderr to the terminal and to log files, sample the resource \
usage of its whole process tree, and write usage.jsonl (periodic reports) and info.json (system, command, exit \
code, summary). A drop-in replacement for con-duct's `duct`: same flags, files and JSON fields.\n\n\
duct never lets the command suffer because of its logs: the command writes only to pipes duct owns, and duct \
returns the command's exit code (128+N when it died from signal N, 127 when it was not found, 126 when it could \
not be executed, 2 for a usage error, 1 when the log files could not be set up).",
    after_help = "Options are also read from DUCT_* environment variables and from .env files \
(/etc/duct/.env, ${XDG_CONFIG_HOME:-~/.config}/duct/.env, .duct/.env; DUCT_CONFIG_PATHS replaces the list, \
separated by ':'). Precedence: command line > environment > .env files (later files win) > defaults.\n\n\
`duct krb-status` reports on Kerberos credentials (see duct-krb-status(1)); it is the only word duct reserves \
for itself.",
    max_term_width = 100,
    override_usage = "duct [OPTIONS] [--] COMMAND [ARGS...]",
    // As con-duct (argparse): a repeated option takes its last value.
    args_override_self = true
)]
pub struct Cli {
    /// File name prefix for the captured stdout and stderr and the usage and info files. Understood
    /// placeholders: {datetime} (local time, %Y.%m.%dT%H.%M.%S), {pid} (duct's pid), {hostname},
    /// {slurm_job_id}, {slurm_array_job_id}, {slurm_array_task_id}, {slurm_step_id}, {slurm_procid} (empty
    /// outside SLURM) and {env:NAME} (empty when unset). A prefix ending in '/' is a directory. Leading
    /// directories are created.
    #[arg(short = 'p', long, env = "DUCT_OUTPUT_PREFIX", default_value = DEFAULT_OUTPUT_PREFIX,
          hide_env_values = true)]
    pub output_prefix: OsString,

    /// Template for the summary printed after the command ends. Placeholders are the execution_summary
    /// keys; conversions !S (sizes), !E (exit code), !X, !N, !P, !T, !D as in con-duct. Default: con-duct's.
    #[arg(long, env = "DUCT_SUMMARY_FORMAT", hide_env_values = true)]
    pub summary_format: Option<String>,

    /// Use colours in the summary (env DUCT_COLORS: 1/true/yes/on or 0/false/no/off).
    #[arg(long)]
    pub colors: bool,

    /// Replace log files if they already exist.
    #[arg(long)]
    pub clobber: bool,

    /// Seconds between samples of the process tree (a number, or a duration such as 100ms).
    #[arg(
        long,
        visible_alias = "s-i",
        env = "DUCT_SAMPLE_INTERVAL",
        default_value = "1.0",
        value_name = "SECONDS",
        hide_env_values = true,
        allow_negative_numbers = true
    )]
    pub sample_interval: String,

    /// Seconds between reports written to usage.jsonl; at least the sample interval.
    #[arg(
        long,
        visible_alias = "r-i",
        env = "DUCT_REPORT_INTERVAL",
        default_value = "60.0",
        value_name = "SECONDS",
        hide_env_values = true,
        allow_negative_numbers = true
    )]
    pub report_interval: String,

    /// If the command fails (non-zero exit) in less than this many seconds, its log files are removed and no
    /// summary is printed. 0 keeps logs of every failing command; a negative value removes them always.
    #[arg(
        long,
        visible_alias = "f-t",
        env = "DUCT_FAIL_TIME",
        hide_env_values = true,
        default_value = "3.0",
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    pub fail_time: String,

    /// Which of the command's streams are written to log files.
    #[arg(short = 'c', long, env = "DUCT_CAPTURE_OUTPUTS", hide_env_values = true, value_enum, default_value_t = Outputs::All,
          ignore_case = true)]
    pub capture_outputs: Outputs,

    /// Which of the command's streams are passed through to duct's own stdout and stderr.
    #[arg(short = 'o', long, value_enum, default_value_t = Outputs::All, ignore_case = true)]
    pub outputs: Outputs,

    /// What to record: info.json and system summary, process samples (usage.jsonl), or both.
    #[arg(short = 't', long, value_enum, default_value_t = RecordTypes::All, ignore_case = true)]
    pub record_types: RecordTypes,

    /// A descriptive message about the purpose of this run, stored in info.json.
    #[arg(
        short = 'm',
        long,
        env = "DUCT_MESSAGE",
        default_value = "",
        hide_default_value = true,
        hide_env_values = true
    )]
    pub message: OsString,

    /// Wait for every descendant of the command (workers it started in the background, daemons), not just
    /// the command, before finishing: they are sampled and their output logged until the last one ends.
    #[arg(long)]
    pub wait_descendants: bool,

    /// new-session runs the command in a session of its own (the default); current-session keeps it in
    /// duct's session and tracks every process of that session (e.g. a SLURM job step).
    #[arg(long, value_enum, default_value_t = Mode::NewSession)]
    pub mode: Mode,

    /// Give the command pseudo-terminals for stdout and stderr (captured apart, as the command wrote them):
    /// auto = when duct's stdin and stdout are terminals and duct is in the foreground (stderr too when
    /// duct's stderr is one); always = on both, even without a terminal (no input is relayed then); never =
    /// pipes, as con-duct.
    #[arg(long, env = "DUCT_PTY", hide_env_values = true, value_enum, default_value_t = PtyMode::Auto, ignore_case = true)]
    pub pty: PtyMode,

    /// How much duct says on stderr; above INFO the summary is hidden too, as in con-duct.
    #[arg(short = 'l', long, env = "DUCT_LOG_LEVEL", hide_env_values = true, value_enum, default_value_t = LogLevel::Info,
          ignore_case = true)]
    pub log_level: LogLevel,

    /// Deprecated: same as --log-level NONE.
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Memory that log output may occupy (all files together, a real bound), e.g. 64MiB; beyond it, and for a
    /// file that fails or stalls, output waits in the spool on local disk until the file confirms it.
    #[arg(
        long,
        env = "DUCT_MAX_BUFFER",
        hide_env_values = true,
        default_value = "64MiB",
        value_name = "SIZE",
        help_heading = "Resilience",
        allow_negative_numbers = true
    )]
    pub max_buffer: String,

    /// Private directory (0700) for output that cannot reach its log file yet. Default: /var/tmp/duct-UID,
    /// else /tmp/duct-UID.
    #[arg(long, env = "DUCT_SPOOL_DIR", hide_env_values = true, value_name = "DIR", help_heading = "Resilience")]
    pub spool_dir: Option<std::path::PathBuf>,

    /// At the end, how long to wait for failing log files to come back before leaving their tails in the
    /// spool, and for duct's own stdout and stderr to take what waits for them while they accept nothing
    /// (5 s after a SIGTERM, since batch systems follow it with SIGKILL).
    #[arg(
        long,
        env = "DUCT_FINAL_TIMEOUT",
        hide_env_values = true,
        default_value = "30",
        value_name = "SECONDS",
        help_heading = "Resilience"
    )]
    pub final_timeout: String,

    /// Write the spooled output in SPOOL_DIR back into its log files and put the run's final info.json in place
    /// of the provisional one (after duct ended before they came back, or was killed), then exit.
    #[arg(long, value_name = "SPOOL_DIR", exclusive = true, help_heading = "Resilience")]
    pub recover: Option<std::path::PathBuf>,

    /// Keep the Kerberos ticket alive while the command runs: renew it in its own cache (the one NFS uses)
    /// before it ends, then reopen every log file (env DUCT_KRB_RENEW: 1/true/yes/on).
    #[arg(long, help_heading = "Kerberos")]
    pub krb_renew: bool,

    /// Credential cache to keep alive (default: KRB5CCNAME, else the default cache).
    #[arg(long, env = "DUCT_KRB_CCACHE", hide_env_values = true, value_name = "CCACHE", help_heading = "Kerberos")]
    pub krb_ccache: Option<String>,

    /// Renew this long before the ticket ends (default: when a third of its lifetime remains, at most 30m).
    #[arg(long, env = "DUCT_KRB_MARGIN", hide_env_values = true, value_name = "DURATION", help_heading = "Kerberos")]
    pub krb_margin: Option<String>,

    /// Renew with this command instead of the built-in renewal, e.g. 'kinit -R' or 'k5start -U -f KEYTAB'
    /// (run without a shell, with KRB5CCNAME set, for at most 60 s; its output is logged).
    #[arg(long, env = "DUCT_KRB_RENEW_CMD", hide_env_values = true, value_name = "CMD", help_heading = "Kerberos")]
    pub krb_renew_cmd: Option<String>,

    /// When the ticket cannot be renewed (not renewable, renewable life over), get a new one from this keytab.
    #[arg(long, env = "DUCT_KRB_KEYTAB", hide_env_values = true, value_name = "PATH", help_heading = "Kerberos")]
    pub krb_keytab: Option<std::path::PathBuf>,

    /// Principal for --krb-keytab (default: the cache's).
    #[arg(long, env = "DUCT_KRB_PRINCIPAL", hide_env_values = true, value_name = "NAME", help_heading = "Kerberos")]
    pub krb_principal: Option<String>,

    /// Run this command when the ticket is going to lapse and duct cannot prevent it, or lapsed anyway
    /// (once per lapse). DUCT_KRB_REASON is one of not_renewable, renewable_life_ending,
    /// renewable_life_exhausted, expired, kdc_unreachable, no_ticket; also DUCT_KRB_PRINCIPAL,
    /// DUCT_KRB_CCACHE, DUCT_KRB_EXPIRES, DUCT_KRB_RENEW_UNTIL.
    #[arg(long, env = "DUCT_KRB_NOTIFY_CMD", hide_env_values = true, value_name = "CMD", help_heading = "Kerberos")]
    pub krb_notify_cmd: Option<String>,

    /// Run aklog (or PROG) after each renewal, for AFS.
    #[arg(long, value_name = "PROG", num_args = 0..=1, default_missing_value = "aklog", require_equals = true,
          help_heading = "Kerberos")]
    pub krb_aklog: Option<String>,

    /// Write the man page to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true)]
    pub manual: bool,

    /// Write shell completions for SHELL to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true, value_name = "SHELL")]
    pub completions: Option<clap_complete::Shell>,

    /// The command to run and its arguments. The first word that is not an option ends duct's options.
    // Optional for clap: a missing command is checked after parsing, for an error that shows the usage.
    #[arg(value_name = "COMMAND", trailing_var_arg = true, allow_hyphen_values = false)]
    pub command: Vec<OsString>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outputs {
    All,
    None,
    Stdout,
    Stderr,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordTypes {
    All,
    SystemSummary,
    ProcessesSamples,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PtyMode {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    NewSession,
    CurrentSession,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[value(rename_all = "UPPER")]
pub enum LogLevel {
    Debug,
    Info,
    Warning,
    Error,
    Critical,
    None,
}

/// The clap definition, for the man page and completions.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Which option or environment variable holds bytes that are not UTF-8, for the one line that replaces
/// clap's "invalid UTF-8 was detected in one or more arguments" (which names neither). The command line is
/// parsed again with every value taken as raw bytes; `value_source` then tells the option from its variable.
pub fn invalid_utf8_culprit(args: impl IntoIterator<Item = OsString>) -> Option<String> {
    let raw = command().mut_args(|a| {
        if a.get_action().takes_values() { a.value_parser(clap::builder::OsStringValueParser::new()) } else { a }
    });
    let matches = raw.clone().try_get_matches_from(args).ok()?;
    raw.get_arguments().find_map(|arg| {
        let id = arg.get_id().as_str();
        let mut values = matches.get_raw(id)?;
        if values.all(|v| v.to_str().is_some()) {
            return None;
        }
        let option = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("--{long}"),
            (None, Some(short)) => format!("-{short}"),
            (None, None) => id.to_string(),
        };
        Some(match (matches.value_source(id), arg.get_env()) {
            (Some(clap::parser::ValueSource::EnvVariable), Some(var)) => {
                format!("{} (the environment variable for {option}) is not valid UTF-8", var.to_string_lossy())
            }
            _ => format!("{option}: the value is not valid UTF-8"),
        })
    })
}
