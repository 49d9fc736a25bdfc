//! duct's own log lines, in con-duct's layout (`2026-11-25T06:08:58+0000 [INFO    ] duct: message`), on
//! stderr through `terminal` so they never split a line of the child's.

use std::fmt;
use std::io;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;

use crate::config::EarlyLog;
use crate::config::LogLevel;

struct DuctFormat;

impl<S, N> FormatEvent<S, N> for DuctFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let level = match *event.metadata().level() {
            Level::ERROR => "ERROR",
            Level::WARN => "WARNING",
            Level::INFO => "INFO",
            Level::DEBUG | Level::TRACE => "DEBUG",
        };
        let now = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%z");
        write!(writer, "{now} [{level:<8}] duct: ")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// Collects one formatted event and hands it to the terminal as a whole.
struct LineWriter(Vec<u8>);

impl io::Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            crate::terminal::message(&self.0);
        }
    }
}

struct Lines;

impl<'a> MakeWriter<'a> for Lines {
    type Writer = LineWriter;
    fn make_writer(&'a self) -> LineWriter {
        LineWriter(Vec::with_capacity(160))
    }
}

fn filter(level: LogLevel) -> tracing::level_filters::LevelFilter {
    use tracing::level_filters::LevelFilter;
    match level {
        LogLevel::Debug => LevelFilter::DEBUG,
        LogLevel::Info => LevelFilter::INFO,
        LogLevel::Warning => LevelFilter::WARN,
        LogLevel::Error | LogLevel::Critical => LevelFilter::ERROR,
        LogLevel::None => LevelFilter::OFF,
    }
}

pub fn init(level: LogLevel) {
    let subscriber =
        tracing_subscriber::fmt().with_max_level(filter(level)).event_format(DuctFormat).with_writer(Lines).finish();
    // Only fails if a subscriber is already set, in which case that one keeps working.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Log the messages gathered before logging existed, at their own levels.
pub fn replay(early: EarlyLog) {
    for (level, msg) in early {
        match level {
            LogLevel::Debug => tracing::debug!("{msg}"),
            LogLevel::Info => tracing::info!("{msg}"),
            LogLevel::Warning => tracing::warn!("{msg}"),
            LogLevel::Error | LogLevel::Critical | LogLevel::None => tracing::error!("{msg}"),
        }
    }
}

/// A one-line error for problems found before logging is set up, or that must show at any log level.
pub fn fatal(msg: &str) {
    crate::terminal::message(format!("duct: {msg}\n").as_bytes());
}
