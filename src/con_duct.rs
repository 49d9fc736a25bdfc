//! The `con-duct` command line: con-duct 0.23.0's suite of subcommands, as clap sees it, and the dispatch to
//! the code that does each job (`run` is duct itself, `ls` and `pp` are in `companions`, `krb-status` is duct's).
//! Only this layer knows about clap; the companions take plain options.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::cli::LogLevel;
use crate::companions::{self, ls};
use crate::exit;

// The exit codes of ls, pp and plot are crate::exit's; this text tells them.
const EXIT_CODES: &str = "Exit codes (ls, pp, plot): 0 success; 1 a file missing or not JSON, stdout not \
writable, or an image that cannot be written; 2 usage error (including an --eval-filter outside the expression \
language, or a plot output not ending in .png or .svg); 141 stdout closed early (e.g. `| head`). `run` returns the command's exit code, as duct(1); \
`krb-status` its own, see duct-krb-status(1).";

#[derive(Parser, Debug)]
#[command(
    name = "con-duct",
    version,
    about = "A suite of commands to manage or manipulate con-duct logs.",
    long_about = "A suite of commands to manage or manipulate con-duct logs: a drop-in for Python con-duct \
0.23.0's `con-duct`, with no Python. `con-duct run` is duct(1); `ls`, `pp` and `plot` read the info.json and \
usage.jsonl files that duct and con-duct write.",
    override_usage = "con-duct <command> [options]",
    after_help = EXIT_CODES,
    max_term_width = 100,
    args_override_self = true,
    disable_help_subcommand = true
)]
struct Top {
    #[command(subcommand)]
    command: Option<Sub>,

    /// Write the man page to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true)]
    manual: bool,

    /// Write the man page of SUBCOMMAND to stdout (for packaging; `run` and `krb-status` parse their own
    /// options, so their pages come from here).
    #[arg(long, hide = true, exclusive = true, value_name = "SUBCOMMAND",
          value_parser = ["run", "pp", "plot", "ls", "krb-status"])]
    manual_of: Option<String>,

    /// Write shell completions for SHELL to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true, value_name = "SHELL")]
    completions: Option<clap_complete::Shell>,
}

#[derive(Subcommand, Debug)]
enum Sub {
    /// Execute a command with duct monitoring (the same as `duct`, see duct(1)).
    // Parsed by duct's own definition (see `main`); this entry is for help, man page and completions.
    Run,
    /// Pretty print a JSON log.
    Pp(PpArgs),
    /// Plot resource usage for an execution.
    Plot(PlotArgs),
    /// Print execution information for all matching runs.
    Ls(LsArgs),
    /// Report on Kerberos credentials (the same as `duct krb-status`, see duct-krb-status(1)).
    KrbStatus,
}

/// Options every subcommand of con-duct 0.23.0 accepts (its `_create_common_parser`).
#[derive(Args, Debug)]
struct Common {
    /// Level of log output to stderr, use NONE to entirely disable.
    #[arg(short = 'l', long, env = "DUCT_LOG_LEVEL", hide_env_values = true, value_enum,
          default_value_t = LogLevel::Info, ignore_case = true)]
    log_level: LogLevel,

    /// [deprecated, use log level NONE] Disable duct logging output (to stderr).
    #[arg(short = 'q', long)]
    quiet: bool,

    /// Write the man page to stdout (for packaging).
    #[arg(long, hide = true, exclusive = true)]
    manual: bool,
}

#[derive(Args, Debug)]
#[command(version, args_override_self = true, after_help = EXIT_CODES)]
struct PpArgs {
    /// JSON file to pretty print (usage.jsonl, usage.json and *.jsonl are read as JSON Lines).
    #[arg(value_name = "FILE_PATH", required_unless_present = "manual")]
    file_path: Option<PathBuf>,

    /// Convert numeric values to human-readable format.
    #[arg(short = 'H', long)]
    humanize: bool,

    #[command(flatten)]
    common: Common,
}

/// `con-duct plot`'s options, as con-duct 0.23.0 has them.
#[derive(Args, Debug)]
#[command(version, args_override_self = true, after_help = EXIT_CODES)]
pub struct PlotArgs {
    /// duct-produced usage file (usage.jsonl), or an info.json (its usage file is found next to it). Beyond
    /// con-duct: several files draw the runs' totals on one chart, one colour per run.
    #[arg(value_name = "FILE_PATH", required_unless_present = "manual", num_args = 1..)]
    pub file_path: Vec<PathBuf>,

    /// Output path for the image file: PNG or SVG, by its extension. Without it the chart is written as a
    /// PNG next to the usage file (`…_usage.png`), and the path is printed.
    #[arg(short = 'o', long, value_name = "OUTPUT")]
    pub output: Option<PathBuf>,

    /// Minimum ratio for axis unit selection. Lower values use larger units sooner. Use -1 to always use base
    /// units (seconds, bytes).
    #[arg(long, default_value_t = 3.0, allow_negative_numbers = true, value_name = "MIN_RATIO")]
    pub min_ratio: f64,

    /// Which CPU value to plot: ps-pcpu, the raw lifetime ratio from ps; ps-cpu-timepoint, a delta-corrected
    /// time-point estimate from consecutive (pcpu, etime) pairs.
    #[arg(long, value_enum, default_value_t = CpuMode::PsPcpu)]
    pub cpu: CpuMode,

    #[command(flatten)]
    common: Common,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuMode {
    PsPcpu,
    PsCpuTimepoint,
}

#[derive(Args, Debug)]
#[command(version, args_override_self = true, after_help = EXIT_CODES)]
struct LsArgs {
    /// Output format: 'auto' is the table (pyout's, in con-duct).
    #[arg(short = 'f', long, value_enum, default_value_t = LsFormat::Auto)]
    format: LsFormat,

    /// Fields to show; prefix is always the first, implicitly.
    #[arg(short = 'F', long, value_name = "FIELD", num_args = 1.., value_parser = clap::builder::PossibleValuesParser::new(ls::FIELD_CHOICES),
          default_values_t = ls::DEFAULT_FIELDS.map(String::from))]
    fields: Vec<String>,

    /// Use colors in duct output (env DUCT_COLORS: 1/true/yes/on or 0/false/no/off).
    #[arg(long)]
    colors: bool,

    /// Paths to duct report files; only names ending in info.json are read. Default: the files matching
    /// DUCT_OUTPUT_PREFIX up to its first '{' (.duct/logs/*).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,

    /// Keep only the runs for which EXPR is true. EXPR uses the --fields names, numbers, 'strings', None,
    /// True, False, == != < <= > >=, and or not, parentheses, in / not in, and re.search(PATTERN, field) (also
    /// re.match, re.fullmatch). Example: -e "exit_code != 0 and re.search('2025.02.09', prefix)".
    #[arg(short = 'e', long, value_name = "EXPR")]
    eval_filter: Option<String>,

    /// List entries in reverse order.
    #[arg(long)]
    reverse: bool,

    /// Sort by these fields (later ones break ties, then the prefix), naturally (run2 before run10); runs
    /// without a value come last (first with --reverse).
    #[arg(long, value_name = "FIELD", num_args = 1.., value_parser = clap::builder::PossibleValuesParser::new(ls::FIELD_CHOICES))]
    sort_by: Vec<String>,

    /// Not in con-duct: one row per value of FIELD (any field of the flattened record, e.g. message, command,
    /// slurm_job_id) with the count of runs and the min, median and max of wall_clock_time and peak_rss. The
    /// table and summaries show them as ls does (wall_min ... rss_max); json, json_pp and yaml give the raw
    /// numbers ({FIELD, count, wall_clock_time: {min, median, max}, peak_rss: {...}}). Groups in natural
    /// order of the value, runs without one last; -e filters runs before grouping, --reverse reverses groups.
    #[arg(long, value_name = "FIELD", conflicts_with_all = ["fields", "sort_by"])]
    group_by: Option<String>,

    #[command(flatten)]
    common: Common,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LsFormat {
    Auto,
    Pyout,
    Summaries,
    Json,
    #[value(name = "json_pp")]
    JsonPp,
    Yaml,
}

/// The whole definition, with duct's own for `run` and `krb-status`: for help, man pages and completions.
pub fn command() -> clap::Command {
    let top = <Top as clap::CommandFactory>::command()
        .mut_subcommand("run", |_| {
            crate::cli::command()
                .name("run")
                .about("Execute a command with duct monitoring (the same as `duct`, see duct(1)).")
                .override_usage("con-duct run [OPTIONS] [--] COMMAND [ARGS...]")
        })
        .mut_subcommand("krb-status", |_| {
            crate::krb_status::command()
                .name("krb-status")
                .about("Report on Kerberos credentials (the same as `duct krb-status`, see duct-krb-status(1)).")
        });
    // In con-duct's order (run first), each with con-duct's name for itself (`con-duct ls --version`).
    ["run", "pp", "plot", "ls", "krb-status"].iter().enumerate().fold(top, |top, (i, name)| {
        top.mut_subcommand(name, |sub| sub.display_order(i).display_name(format!("con-duct {name}")))
    })
}

/// Runs `con-duct ARGS` (`args[0]` is the program); returns the exit code.
pub fn main(start: crate::Startup, args: Vec<OsString>) -> ExitCode {
    // `run` and `krb-status` are duct's own commands, with their own parsers: hand them the rest as it is.
    match args.get(1).map(OsString::as_os_str) {
        Some(word) if word == OsStr::new("run") => {
            let rest = std::iter::once(OsString::from("con-duct run")).chain(args[2..].iter().cloned()).collect();
            crate::run_duct(start, rest, "con-duct run")
        }
        Some(word) if word == OsStr::new("krb-status") => ExitCode::from(crate::krb_status::main(args[2..].to_vec())),
        _ => exit::status(suite(start, &args)),
    }
}

/// `ls`, `pp` and `plot`, and the suite's own help, man pages and completions.
fn suite(start: crate::Startup, args: &[OsString]) -> Result<u8, exit::Error> {
    let top = match command().try_get_matches_from(args).and_then(|m| Top::from_arg_matches(&m)) {
        Ok(top) => top,
        Err(e) => return exit::from_clap(&e, &help_for(args)),
    };
    if top.manual {
        return exit::write_stdout(|out| clap_mangen::Man::new(command()).render(out));
    }
    if let Some(sub) = &top.manual_of {
        return manual(sub);
    }
    if let Some(shell) = top.completions {
        return exit::write_stdout(|out| {
            clap_complete::generate(shell, &mut command(), "con-duct", out);
            Ok(())
        });
    }
    let Some(sub) = top.command else {
        // As con-duct: no subcommand prints the help and succeeds.
        return exit::write_stdout(|out| write!(out, "{}", command().render_help()));
    };
    let common = match &sub {
        Sub::Pp(a) => &a.common,
        Sub::Plot(a) => &a.common,
        Sub::Ls(a) => &a.common,
        Sub::Run | Sub::KrbStatus => unreachable!("handled before parsing"),
    };
    if common.manual {
        let name = match &sub {
            Sub::Pp(_) => "pp",
            Sub::Plot(_) => "plot",
            _ => "ls",
        };
        return manual(name);
    }
    let level = if common.quiet { LogLevel::None } else { common.log_level };
    crate::logging::init(level.into());
    crate::logging::replay(start.into_early_log());
    match sub {
        Sub::Pp(a) => pp(a),
        Sub::Plot(a) => plot(a),
        Sub::Ls(a) => ls(a),
        Sub::Run | Sub::KrbStatus => unreachable!("handled before parsing"),
    }?;
    Ok(exit::OK)
}

/// The man page of one subcommand (con-duct-ls(1) and so on).
fn manual(name: &str) -> Result<u8, exit::Error> {
    let Some(sub) = command().find_subcommand(name).cloned() else {
        return Err(exit::Error::Failed(vec![format!("no subcommand {name}")]));
    };
    let (page, bin) = match name {
        "run" => ("con-duct-run", "con-duct run"),
        "krb-status" => ("con-duct-krb-status", "con-duct krb-status"),
        "pp" => ("con-duct-pp", "con-duct pp"),
        "plot" => ("con-duct-plot", "con-duct plot"),
        _ => ("con-duct-ls", "con-duct ls"),
    };
    let page = sub.name(page).display_name(page).bin_name(bin);
    exit::write_stdout(|out| clap_mangen::Man::new(page).render(out))
}

/// Where a usage error sends people: the subcommand's help when there is one.
fn help_for(args: &[OsString]) -> String {
    match args.get(1).and_then(|a| a.to_str()) {
        Some(sub @ ("ls" | "pp" | "plot")) => format!("con-duct {sub} --help"),
        _ => "con-duct --help".to_string(),
    }
}

fn colors(flag: bool) -> Result<bool, String> {
    if flag {
        return Ok(true);
    }
    match std::env::var("DUCT_COLORS") {
        Ok(v) => crate::config::parse_bool(&v)
            .ok_or_else(|| format!("DUCT_COLORS: '{v}' is not one of 1/true/yes/on, 0/false/no/off")),
        Err(_) => Ok(false),
    }
}

fn ls(a: LsArgs) -> Result<(), exit::Error> {
    let colors = colors(a.colors).map_err(exit::Error::Usage)?;
    let format = match a.format {
        LsFormat::Auto | LsFormat::Pyout => ls::Format::Table,
        LsFormat::Summaries => ls::Format::Summaries,
        LsFormat::Json => ls::Format::Json,
        LsFormat::JsonPp => ls::Format::JsonPp,
        LsFormat::Yaml => ls::Format::Yaml,
    };
    let options = ls::Options {
        format,
        fields: a.fields,
        colors,
        paths: a.paths,
        eval_filter: a.eval_filter,
        reverse: a.reverse,
        sort_by: a.sort_by,
        group_by: a.group_by,
    };
    Ok(ls::ls(&options)?)
}

fn pp(a: PpArgs) -> Result<(), exit::Error> {
    let file = a.file_path.ok_or_else(|| exit::Error::Usage("pp: FILE_PATH is required".into()))?;
    Ok(companions::pp::pp(&file, a.humanize)?)
}

fn plot(a: PlotArgs) -> Result<(), exit::Error> {
    if a.file_path.len() > 1 {
        let out = companions::plot::compare(&a.file_path, a.output.as_deref(), a.min_ratio)?;
        tracing::info!("Successfully rendered {} runs to output {}", a.file_path.len(), out.display());
        return Ok(());
    }
    let input =
        a.file_path.into_iter().next().ok_or_else(|| exit::Error::Usage("plot: FILE_PATH is required".into()))?;
    let cpu = match a.cpu {
        CpuMode::PsPcpu => companions::plot::Cpu::PsPcpu,
        CpuMode::PsCpuTimepoint => companions::plot::Cpu::PsCpuTimepoint,
    };
    let options = companions::plot::Options { input, output: a.output, min_ratio: a.min_ratio, cpu };
    let (usage, out) = companions::plot::plot(&options)?;
    // con-duct's INFO line; without -o it is the only way to learn where the chart went.
    tracing::info!("Successfully rendered input file: {} to output {}", usage.display(), out.display());
    Ok(())
}
