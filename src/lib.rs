//! duct: run a command, tee its output to log files, record its resource usage; never hurt the command.
//!
//! One library, two commands: `duct` (the runner, src/main.rs) and `con-duct` (con-duct's suite: `run`, `ls`,
//! `pp`, `plot`, `krb-status`; src/bin/con-duct.rs), so that both ship from the same code.

mod child;
mod cli;
mod companions;
mod con_duct;
mod config;
mod dispositions;
mod dotenv;
mod exec;
mod exit;
mod guard;
mod hurry;
mod info;
mod info_file;
mod krb;
mod krb_status;
mod linger;
mod log_paths;
mod logging;
mod monitor;
mod pump;
mod record;
mod report;
mod run;
mod sample;
mod signals;
mod sink;
mod slurm;
mod spool;
mod summary;
mod supervisor;
mod terminal;
mod tty;

use std::ffi::{OsStr, OsString};
use std::process::ExitCode;

use clap::error::ErrorKind;

pub use guard::guard;

/// `duct ARGS...`: the runner (and `duct krb-status`).
pub fn duct_main() -> ExitCode {
    let start = Startup::begin();
    // `duct krb-status ...` is a subcommand with its own arguments; everything else is `duct [OPTIONS] CMD`.
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).map(OsString::as_os_str) == Some(OsStr::new("krb-status")) {
        return ExitCode::from(krb_status::main(args[2..].to_vec()));
    }
    run_duct(start, args, "duct")
}

/// `con-duct SUBCOMMAND ARGS...`: con-duct 0.23.0's command suite.
pub fn con_duct_main() -> ExitCode {
    let start = Startup::begin();
    con_duct::main(start, std::env::args_os().collect())
}

/// What every command does first, before it looks at its arguments.
pub(crate) struct Startup {
    dispositions: dispositions::Dispositions,
    early: config::EarlyLog,
}

impl Startup {
    fn begin() -> Startup {
        // Before duct installs anything of its own: what was ignored at start stays ignored in the command.
        let dispositions = dispositions::Dispositions::capture();
        // A panic is a bug; it still gets one line, never a backtrace over the command's output.
        std::panic::set_hook(Box::new(|info| {
            tty::restore();
            let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            let text = format!("duct: internal error{place}: {}\n", panic_text(info.payload()));
            terminal::message(text.as_bytes());
        }));
        // Before any option is read: .env files may set DUCT_* variables (con-duct's ls reads DUCT_OUTPUT_PREFIX too).
        let early = config::load_env_files();
        Startup { dispositions, early }
    }

    /// The messages gathered before logging existed (which .env files were read).
    pub(crate) fn into_early_log(self) -> config::EarlyLog {
        self.early
    }
}

/// The runner with `args` (`args[0]` is the program; `name` is how usage, help and errors call it: `duct`
/// or `con-duct run`).
pub(crate) fn run_duct(start: Startup, args: Vec<OsString>, name: &'static str) -> ExitCode {
    exit::status(runner(start, args, name))
}

/// The runner's outcome: the command's exit code, or why duct stopped without one.
fn runner(start: Startup, args: Vec<OsString>, name: &'static str) -> Result<u8, exit::Error> {
    let Startup { dispositions, early } = start;
    let help = format!("{name} --help");
    let command = cli::command().name(name).bin_name(name);
    let command = if name == "duct" {
        command
    } else {
        command.override_usage(format!("{name} [OPTIONS] [--] COMMAND [ARGS...]"))
    };
    let parsed =
        command.try_get_matches_from(&args).and_then(|m| <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::InvalidUtf8 => match cli::invalid_utf8_culprit(args) {
            Some(line) => return Err(exit::Error::Usage(line)),
            None => return exit::from_clap(&e, &help),
        },
        Err(e) => return exit::from_clap(&e, &help),
    };
    if cli.manual {
        return exit::write_stdout(|out| clap_mangen::Man::new(cli::command()).render(out));
    }
    if let Some(shell) = cli.completions {
        return exit::write_stdout(|out| {
            clap_complete::generate(shell, &mut cli::command(), "duct", out);
            Ok(())
        });
    }
    if let Some(dir) = &cli.recover {
        let lines = spool::recover(dir).map_err(|e| exit::Error::Failed(e.lines().map(String::from).collect()))?;
        lines.iter().for_each(|l| logging::fatal(l));
        return Ok(exit::OK);
    }
    if cli.command.is_empty() {
        return Err(exit::Error::Usage("no command given (usage: duct [OPTIONS] [--] COMMAND [ARGS...])".into()));
    }
    let cfg = config::resolve(cli)?;
    logging::init(cfg.log_level);
    logging::replay(early);
    for w in &cfg.warnings {
        tracing::warn!("{w}");
    }
    dispositions::Dispositions::ignore_tty_stops();
    // From here on, two processes: the one the shell waits on supervises, its child does the run.
    let link = match supervisor::split(&dispositions, cfg.mode) {
        supervisor::Role::Worker(link) => link,
        supervisor::Role::Done(code) => return Ok(code),
    };
    run::run(cfg, dispositions, link)
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}
