//! Resolved settings: the raw command line plus environment and .env files, validated once, so that the rest
//! of duct never re-checks an option. Every error here is a usage error (exit 2) raised before anything runs.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::{self, Cli, PtyMode};
use crate::summary;

/// con-duct's default search list for .env files, in increasing precedence.
const DEFAULT_CONFIG_PATHS: &str = "/etc/duct/.env:${XDG_CONFIG_HOME:-~/.config}/duct/.env:.duct/.env";

#[derive(Debug)]
pub struct Config {
    /// Said once logging is set up: settings that are valid but do nothing.
    pub warnings: Vec<String>,
    pub output_prefix: OsString,
    pub summary_format: String,
    pub colors: bool,
    pub clobber: bool,
    /// Finish only when every descendant of the command has ended.
    pub wait_descendants: bool,
    pub sample_interval: Duration,
    pub report_interval: Duration,
    /// Seconds; negative means "always remove the logs of a failing command", 0 means "never".
    pub fail_time: f64,
    pub capture: Outputs,
    pub outputs: Outputs,
    pub record_types: RecordTypes,
    pub message: String,
    pub mode: Mode,
    pub log_level: LogLevel,
    pub command: Vec<OsString>,
    pub max_buffer: usize,
    pub spool_dir: Option<PathBuf>,
    pub final_timeout: Duration,
    /// The command gets pseudo-terminals.
    pub pty: bool,
    /// stderr gets one too: with `--pty always`, or when duct's own stderr is a terminal.
    pub pty_stderr: bool,
    /// `--krb-renew` and its options; None when duct leaves credentials alone.
    pub krb: Option<KrbConfig>,
}

#[derive(Debug, Clone)]
pub struct KrbConfig {
    pub ccache: Option<String>,
    pub margin: Option<Duration>,
    pub renew_cmd: Option<Vec<String>>,
    pub keytab: Option<PathBuf>,
    pub principal: Option<String>,
    pub notify_cmd: Option<Vec<String>>,
    pub aklog: Option<String>,
}

/// Which of the command's outputs a setting covers (`--capture-outputs`, `--outputs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outputs {
    All,
    None,
    Stdout,
    Stderr,
}

impl Outputs {
    pub fn stdout(self) -> bool {
        matches!(self, Outputs::All | Outputs::Stdout)
    }
    pub fn stderr(self) -> bool {
        matches!(self, Outputs::All | Outputs::Stderr)
    }
}

/// Which records are written (`--record-types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordTypes {
    All,
    SystemSummary,
    ProcessesSamples,
}

/// Where the command runs (`--mode`): in a session of its own, which duct signals and samples as a whole, or in
/// duct's session, where the terminal's signals reach it directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    NewSession,
    CurrentSession,
}

/// How much duct says (`--log-level`, `--quiet`), in con-duct's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    Debug,
    Info,
    Warning,
    Error,
    Critical,
    None,
}

// The command line's values, turned into the run's vocabulary: one arm per value, so a new value in cli.rs
// cannot be forgotten here.
impl From<cli::Outputs> for Outputs {
    fn from(o: cli::Outputs) -> Self {
        match o {
            cli::Outputs::All => Outputs::All,
            cli::Outputs::None => Outputs::None,
            cli::Outputs::Stdout => Outputs::Stdout,
            cli::Outputs::Stderr => Outputs::Stderr,
        }
    }
}

impl From<cli::RecordTypes> for RecordTypes {
    fn from(r: cli::RecordTypes) -> Self {
        match r {
            cli::RecordTypes::All => RecordTypes::All,
            cli::RecordTypes::SystemSummary => RecordTypes::SystemSummary,
            cli::RecordTypes::ProcessesSamples => RecordTypes::ProcessesSamples,
        }
    }
}

impl From<cli::Mode> for Mode {
    fn from(m: cli::Mode) -> Self {
        match m {
            cli::Mode::NewSession => Mode::NewSession,
            cli::Mode::CurrentSession => Mode::CurrentSession,
        }
    }
}

impl From<cli::LogLevel> for LogLevel {
    fn from(l: cli::LogLevel) -> Self {
        match l {
            cli::LogLevel::Debug => LogLevel::Debug,
            cli::LogLevel::Info => LogLevel::Info,
            cli::LogLevel::Warning => LogLevel::Warning,
            cli::LogLevel::Error => LogLevel::Error,
            cli::LogLevel::Critical => LogLevel::Critical,
            cli::LogLevel::None => LogLevel::None,
        }
    }
}

impl Config {
    pub fn records_samples(&self) -> bool {
        matches!(self.record_types, RecordTypes::All | RecordTypes::ProcessesSamples)
    }
    pub fn records_info(&self) -> bool {
        matches!(self.record_types, RecordTypes::All | RecordTypes::SystemSummary)
    }
}

/// A usage error: one line for a person, exit 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn usage(msg: impl Into<String>) -> UsageError {
    UsageError(msg.into())
}

pub fn resolve(cli: Cli) -> Result<Config, UsageError> {
    let sample_interval = parse_interval("--sample-interval", &cli.sample_interval)?;
    let report_interval = parse_interval("--report-interval", &cli.report_interval)?;
    if report_interval < sample_interval {
        return Err(usage(format!(
            "--report-interval ({}) must be at least --sample-interval ({})",
            cli.report_interval, cli.sample_interval
        )));
    }
    let fail_time = parse_seconds(&cli.fail_time)
        .ok_or_else(|| usage(format!("--fail-time: '{}' is not a number of seconds", cli.fail_time)))?;
    let colors = cli.colors || env_bool("DUCT_COLORS")?;
    let summary_format = cli.summary_format.unwrap_or_else(|| summary::DEFAULT_SUMMARY_FORMAT.to_string());
    summary::validate(&summary_format, crate::info::SUMMARY_KEYS)
        .map_err(|e| usage(format!("--summary-format: {e}")))?;
    crate::log_paths::check_template(&cli.output_prefix).map_err(|e| usage(format!("--output-prefix: {e}")))?;
    let max_buffer =
        parse_size(&cli.max_buffer).map_err(|e| usage(format!("--max-buffer: '{}' {e}", cli.max_buffer)))?;
    let max_buffer = max_buffer.max(64 << 10);
    let final_timeout = parse_seconds(&cli.final_timeout)
        .filter(|s| *s >= 0.0 && *s <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            usage(format!("--final-timeout: '{}' is not a number of seconds (0 to 86400)", cli.final_timeout))
        })?;
    let on_terminal = || {
        use std::os::fd::AsFd;
        // Behind `&` the terminal is not duct's to take: the command gets pipes.
        let stdin = std::io::stdin();
        crate::tty::is_tty(stdin.as_fd())
            && crate::tty::is_tty(std::io::stdout().as_fd())
            && crate::tty::in_foreground(stdin.as_fd())
    };
    let mode = Mode::from(cli.mode);
    let pty = match (cli.pty, mode) {
        (PtyMode::Never, _) => false,
        // A terminal needs a session of its own to be the command's controlling terminal.
        (PtyMode::Auto, Mode::CurrentSession) => false,
        (PtyMode::Always, Mode::CurrentSession) => {
            return Err(usage("--pty always needs --mode new-session (a terminal needs a session of its own)"));
        }
        (PtyMode::Auto, Mode::NewSession) => on_terminal(),
        (PtyMode::Always, Mode::NewSession) => true,
    };
    let pty_stderr = pty
        && (cli.pty == PtyMode::Always || {
            use std::os::fd::AsFd;
            crate::tty::is_tty(std::io::stderr().as_fd())
        });
    let krb_renew = cli.krb_renew || env_bool("DUCT_KRB_RENEW")?;
    // A bad --krb-margin is a usage error even without --krb-renew (issue 14 item 5).
    let margin = match &cli.krb_margin {
        None => None,
        Some(t) => Some(
            parse_seconds(t)
                .filter(|s| *s > 0.0 && *s < 365.0 * 86_400.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| usage(format!("--krb-margin: '{t}' is not a duration such as 90s, 10m or 1h30m")))?,
        ),
    };
    let krb = if krb_renew {
        let words = |flag: &str, text: &Option<String>| -> Result<Option<Vec<String>>, UsageError> {
            match text {
                None => Ok(None),
                Some(t) => match shell_words::split(t) {
                    Ok(w) if !w.is_empty() => Ok(Some(w)),
                    Ok(_) => Err(usage(format!("{flag}: empty command"))),
                    Err(e) => Err(usage(format!("{flag}: {e}"))),
                },
            }
        };
        Some(KrbConfig {
            ccache: cli.krb_ccache.clone(),
            margin,
            renew_cmd: words("--krb-renew-cmd", &cli.krb_renew_cmd)?,
            keytab: cli.krb_keytab.clone(),
            principal: cli.krb_principal.clone(),
            notify_cmd: words("--krb-notify-cmd", &cli.krb_notify_cmd)?,
            aklog: cli.krb_aklog.clone(),
        })
    } else {
        None
    };
    // Kerberos options without --krb-renew do nothing: say so, once each, rather than let a user believe
    // the ticket is looked after.
    let mut warnings = Vec::new();
    if !krb_renew {
        let given = [
            ("--krb-ccache", cli.krb_ccache.is_some()),
            ("--krb-margin", cli.krb_margin.is_some()),
            ("--krb-renew-cmd", cli.krb_renew_cmd.is_some()),
            ("--krb-keytab", cli.krb_keytab.is_some()),
            ("--krb-principal", cli.krb_principal.is_some()),
            ("--krb-notify-cmd", cli.krb_notify_cmd.is_some()),
            ("--krb-aklog", cli.krb_aklog.is_some()),
        ];
        for (flag, _) in given.iter().filter(|(_, set)| *set) {
            warnings.push(format!("{flag} has no effect without --krb-renew"));
        }
    }
    let log_level = if cli.quiet { LogLevel::None } else { cli.log_level.into() };
    Ok(Config {
        warnings,
        output_prefix: cli.output_prefix,
        summary_format,
        colors,
        clobber: cli.clobber,
        wait_descendants: cli.wait_descendants,
        sample_interval,
        report_interval,
        fail_time,
        capture: cli.capture_outputs.into(),
        outputs: cli.outputs.into(),
        record_types: cli.record_types.into(),
        // info.json is JSON text: bytes that are not UTF-8 become U+FFFD there.
        message: cli.message.to_string_lossy().into_owned(),
        mode,
        log_level,
        command: cli.command,
        max_buffer,
        spool_dir: cli.spool_dir,
        final_timeout,
        pty,
        pty_stderr,
        krb,
    })
}

/// A size such as `64MiB`, `1.5G` or `1048576` (bytes). Split by hand so that a negative or an overflowing
/// number gets its own message instead of the size parser's confusion about units.
fn parse_size(text: &str) -> Result<usize, String> {
    const WHAT: &str = "is not a size such as 64MiB, 1G or 1048576";
    let t = text.trim();
    if t.starts_with('-') {
        return Err("must not be negative".to_string());
    }
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let number: f64 = number.parse().map_err(|_| WHAT.to_string())?;
    let unit = if unit.is_empty() || unit.eq_ignore_ascii_case("b") {
        1
    } else {
        format!("1{unit}").parse::<bytesize::ByteSize>().map_err(|_| WHAT.to_string())?.as_u64()
    };
    let bytes = number * unit as f64;
    // usize::MAX as f64 rounds up to 2^64, which itself does not fit: the comparison is strict.
    if bytes >= usize::MAX as f64 {
        return Err(format!("is too large (at most {})", bytesize::ByteSize::b(usize::MAX as u64)));
    }
    Ok(bytes as usize)
}

/// Seconds as con-duct takes them (a float), or a human duration such as `100ms` or `1m30s`.
fn parse_seconds(text: &str) -> Option<f64> {
    let t = text.trim();
    if let Ok(v) = t.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    humantime::parse_duration(t).ok().map(|d| d.as_secs_f64())
}

fn parse_interval(flag: &str, text: &str) -> Result<Duration, UsageError> {
    let secs = parse_seconds(text).ok_or_else(|| usage(format!("{flag}: '{text}' is not a number of seconds")))?;
    if secs <= 0.0 {
        return Err(usage(format!("{flag}: the value must be positive (got {text})")));
    }
    // Below a millisecond the sampler would spend its life reading /proc; above a year is surely a typo.
    if !(0.001..=31_536_000.0).contains(&secs) {
        return Err(usage(format!("{flag}: {text} is out of range (0.001 to 31536000 seconds)")));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A boolean environment variable; unset is false, anything not clearly yes or no is an error.
fn env_bool(name: &str) -> Result<bool, UsageError> {
    match std::env::var(name) {
        Ok(v) => {
            parse_bool(&v).ok_or_else(|| usage(format!("{name}: '{v}' is not one of 1/true/yes/on, 0/false/no/off")))
        }
        Err(_) => Ok(false),
    }
}

/// Strict booleans: con-duct treats any non-empty value (even "0") as true, which surprises people.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

/// Messages produced before logging exists; replayed once the log level is known.
pub type EarlyLog = Vec<(LogLevel, String)>;

/// Load DUCT_* settings from .env files into the environment, without overriding variables already set,
/// later files winning over earlier ones (con-duct's rules). Must run before any thread starts, because it
/// changes the process environment.
pub fn load_env_files() -> EarlyLog {
    let mut log = EarlyLog::new();
    let list = std::env::var_os("DUCT_CONFIG_PATHS").unwrap_or_else(|| DEFAULT_CONFIG_PATHS.into());
    log.push((LogLevel::Debug, format!("Searching for .env files in: {}", list.to_string_lossy())));
    let expanded = expand_vars(list.as_bytes());
    let paths: Vec<PathBuf> = expanded
        .split(|b| *b == b':')
        .map(|p| p.trim_ascii())
        .filter(|p| !p.is_empty())
        .map(|p| expand_home(OsStr::from_bytes(p)))
        .collect();
    let mut loaded = 0;
    for path in paths.iter().rev() {
        let shown = path.display();
        let bytes = match read_env_file(path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                log.push((LogLevel::Debug, format!(".env file not found (skipping): {shown}")));
                continue;
            }
            Err(e) => {
                log.push((LogLevel::Warning, format!("Skipping .env file {shown}: {e}")));
                continue;
            }
        };
        log.push((LogLevel::Info, format!("Loading .env file: {shown}")));
        loaded += 1;
        let mut bindings = Vec::new();
        for statement in crate::dotenv::parse(&bytes) {
            let why = match statement {
                Ok(b) => match crate::dotenv::unsettable(&b.key, OsStr::new(b.value.as_deref().unwrap_or_default())) {
                    None => {
                        bindings.push(b);
                        continue;
                    }
                    Some(why) => (b.line, why),
                },
                Err(s) => (s.line, s.reason),
            };
            log.push((LogLevel::Warning, format!(".env file {shown}, line {}: {}; skipped", why.0, why.1)));
        }
        for (key, value) in crate::dotenv::resolve(&bindings, &|name| std::env::var_os(name)) {
            // A bare KEY is read but never set, as in python-dotenv.
            let Some(value) = value else { continue };
            if key == "DUCT_CONFIG_PATHS" || std::env::var_os(&key).is_some() {
                continue;
            }
            // SAFETY: called from main before any other thread exists (see the doc comment). `unsettable`
            // ruled out the names and values set_var rejects; interpolation only adds environment values,
            // which hold no NUL.
            unsafe { std::env::set_var(&key, &value) };
        }
    }
    if loaded == 0 {
        log.push((LogLevel::Info, "No .env files found".to_string()));
    }
    log
}

/// Larger .env files are refused: a settings file that big is a mistake, and reading it would delay the command.
const MAX_ENV_FILE: u64 = 1 << 20;

/// The bytes of a .env file; None when it does not exist. Anything but a regular file of at most 1 MiB is
/// refused before it is read: a FIFO would block duct, a device such as /dev/zero would never end.
fn read_env_file(path: &Path) -> Result<Option<Vec<u8>>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let check = |meta: &std::fs::Metadata| {
        if !meta.is_file() {
            Err("not a regular file".to_string())
        } else if meta.len() > MAX_ENV_FILE {
            Err(format!("larger than 1 MiB ({} bytes)", meta.len()))
        } else {
            Ok(())
        }
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
        Ok(meta) => check(&meta)?,
    }
    // O_NONBLOCK: if the file was swapped for a FIFO since the check, opening it must not wait for a writer.
    let file =
        std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path).map_err(|e| e.to_string())?;
    check(&file.metadata().map_err(|e| e.to_string())?)?;
    let mut bytes = Vec::new();
    file.take(MAX_ENV_FILE + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ENV_FILE {
        return Err("larger than 1 MiB".to_string());
    }
    Ok(Some(bytes))
}

/// `${VAR}` and `${VAR:-default}` as con-duct expands them in DUCT_CONFIG_PATHS (`\$\{([^}]+)\}`; a set but
/// empty variable stays empty). Bytes, because paths and the environment may hold any.
fn expand_vars(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.windows(2).position(|w| w == b"${") {
        let after = &rest[start + 2..];
        match after.iter().position(|b| *b == b'}') {
            Some(end) if end > 0 => {
                out.extend_from_slice(&rest[..start]);
                let expr = &after[..end];
                let (name, default) = match expr.windows(2).position(|w| w == b":-") {
                    Some(i) => (&expr[..i], Some(&expr[i + 2..])),
                    None => (expr, None),
                };
                match std::env::var_os(OsStr::from_bytes(name)) {
                    Some(v) => out.extend_from_slice(v.as_bytes()),
                    None => out.extend_from_slice(default.unwrap_or_default()),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.extend_from_slice(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

fn expand_home(path: &OsStr) -> PathBuf {
    match (path.as_bytes().strip_prefix(b"~"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with(b"/") => {
            let mut p = PathBuf::from(home);
            let first = rest.iter().position(|b| *b != b'/').unwrap_or(rest.len());
            p.push(OsStr::from_bytes(&rest[first..]));
            p
        }
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_accept_numbers_and_durations() {
        assert_eq!(parse_seconds("0.5"), Some(0.5));
        assert_eq!(parse_seconds("-1"), Some(-1.0));
        assert_eq!(parse_seconds("100ms"), Some(0.1));
        assert_eq!(parse_seconds("1m30s"), Some(90.0));
        assert_eq!(parse_seconds("abc"), None);
        assert_eq!(parse_seconds("inf"), None);
    }

    #[test]
    fn intervals_are_bounded() {
        assert!(parse_interval("--s-i", "0").is_err());
        assert!(parse_interval("--s-i", "-1").is_err());
        assert!(parse_interval("--s-i", "0.01").is_ok());
    }

    #[test]
    fn booleans_are_strict() {
        for t in ["1", "true", "YES", "on"] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for t in ["0", "false", "No", "off"] {
            assert_eq!(parse_bool(t), Some(false), "{t}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn config_paths_expand_like_con_duct() {
        assert_eq!(expand_vars(b"${DUCT_TEST_SURELY_UNSET:-~/.config}/duct"), b"~/.config/duct");
        assert_eq!(expand_vars(b"a${DUCT_TEST_SURELY_UNSET}b"), b"ab");
        assert_eq!(expand_vars(b"no vars"), b"no vars");
        assert_eq!(expand_vars(b"broken ${X"), b"broken ${X");
        assert_eq!(expand_vars(b"empty ${} stays"), b"empty ${} stays");
        assert_eq!(expand_vars(b"\xff${DUCT_TEST_SURELY_UNSET:-\xfe}"), b"\xff\xfe");
    }
}
