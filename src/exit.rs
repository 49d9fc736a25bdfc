//! Why duct stops before (or instead of) running the command, and the exit code each reason gets: the one
//! place where errors become numbers. A run that gets as far as the command returns the command's code
//! instead (run.rs); `krb-status` has its own vocabulary of codes (krb_status.rs).

use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;

/// Success.
pub const OK: u8 = 0;
/// A setup failure (the log files cannot be created), a file missing or not JSON, stdout not writable.
pub const FAILED: u8 = 1;
/// A usage error: unknown option, bad value, no command.
pub const USAGE: u8 = 2;
/// The command exists but cannot be executed, as a shell says.
pub const NOT_EXECUTABLE: u8 = 126;
/// The command is not found, as a shell says.
pub const NOT_FOUND: u8 = 127;
/// The reader of stdout went away (`con-duct ls | head`), as con-duct 0.23.0 and a shell report it (128+13).
pub const BROKEN_PIPE: u8 = 141;

/// Why duct stops without a code of the command's to return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input on the command line or in the environment; the text names the option.
    #[error("{0}")]
    Usage(String),
    /// The log files cannot be created (conflicts, permissions, a file where a directory should be).
    #[error(transparent)]
    Setup(#[from] crate::log_paths::SetupError),
    /// The command cannot be started.
    #[error(transparent)]
    Spawn(#[from] crate::child::SpawnError),
    /// Output that was asked for (help, a man page, completions) cannot be written.
    #[error("cannot write to stdout: {0}")]
    Stdout(io::Error),
    /// Something asked for could not be done; one line of explanation each.
    #[error("{}", .0.join("\n"))]
    Failed(Vec<String>),
    /// The reader of stdout went away: stop quietly.
    #[error("stdout closed")]
    BrokenPipe,
}

impl Error {
    /// The exit code for this reason.
    pub fn code(&self) -> u8 {
        match self {
            Error::Usage(_) => USAGE,
            Error::Setup(_) | Error::Stdout(_) | Error::Failed(_) => FAILED,
            Error::Spawn(crate::child::SpawnError::NotFound(_)) => NOT_FOUND,
            Error::Spawn(_) => NOT_EXECUTABLE,
            Error::BrokenPipe => BROKEN_PIPE,
        }
    }

    /// Say why on stderr (one line a reason) and give the exit code.
    pub fn tell(&self) -> u8 {
        match self {
            Error::BrokenPipe => {}
            // Said through the log when errors are logged, so that it reaches the log's readers too; once only.
            Error::Setup(e) if tracing::enabled!(tracing::Level::ERROR) => tracing::error!("{e}"),
            Error::Setup(e) => crate::logging::fatal(&e.to_string().replace('\n', " ")),
            Error::Failed(lines) => lines.iter().for_each(|l| crate::logging::fatal(l)),
            e => crate::logging::fatal(&e.to_string()),
        }
        self.code()
    }
}

impl From<crate::config::UsageError> for Error {
    fn from(e: crate::config::UsageError) -> Error {
        Error::Usage(e.0)
    }
}

impl From<crate::companions::Error> for Error {
    fn from(e: crate::companions::Error) -> Error {
        match e {
            crate::companions::Error::Usage(line) => Error::Usage(line),
            crate::companions::Error::Failed(line) => Error::Failed(vec![line]),
            crate::companions::Error::BrokenPipe => Error::BrokenPipe,
        }
    }
}

/// The process's exit status: the code on success, else the reason told and its code.
pub fn status(result: Result<u8, Error>) -> ExitCode {
    ExitCode::from(result.unwrap_or_else(|e| e.tell()))
}

/// A clap outcome that is not a parsed command line: help and version go to stdout and succeed; any other is
/// a usage error of one line that points at `help`.
pub fn from_clap(e: &clap::Error, help: &str) -> Result<u8, Error> {
    match e.kind() {
        // Help that could not be written (`duct --help >/dev/full`) is an error, not a silent success.
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // render() leaves the version without its newline (print() adds it); help already ends with one.
            let text = e.render().to_string();
            let newline = if text.ends_with('\n') { "" } else { "\n" };
            write_stdout(|out| write!(out, "{text}{newline}"))
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            Err(Error::Usage(format!("{first} (see '{help}')")))
        }
    }
}

/// Write what `f` writes to stdout, flushed; `OK`, or `Stdout` when it could not be written.
pub fn write_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<u8, Error> {
    let mut out = io::stdout().lock();
    f(&mut out).and_then(|()| out.flush()).map(|()| OK).map_err(Error::Stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_has_its_code() {
        assert_eq!(Error::Usage("x".into()).code(), 2);
        assert_eq!(Error::Spawn(crate::child::SpawnError::NotFound("x".into())).code(), 127);
        assert_eq!(Error::Spawn(crate::child::SpawnError::ExecFormat("x".into())).code(), 126);
        assert_eq!(Error::Failed(vec!["x".into()]).code(), 1);
        assert_eq!(Error::Setup(crate::log_paths::SetupError::Conflict(vec!["a".into()])).code(), 1);
        assert_eq!(Error::BrokenPipe.code(), 141);
    }
}
