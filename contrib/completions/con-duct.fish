# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_con_duct_global_optspecs
    string join \n manual manual-of= completions= h/help V/version
end

function __fish_con_duct_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_con_duct_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_con_duct_using_subcommand
    set -l cmd (__fish_con_duct_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c con-duct -n "__fish_con_duct_needs_command" -l manual-of -d 'Write the man page of SUBCOMMAND to stdout (for packaging; `run` and `krb-status` parse their own options, so their pages come from here)' -r -f -a "run\t''
pp\t''
plot\t''
ls\t''
krb-status\t''"
complete -c con-duct -n "__fish_con_duct_needs_command" -l completions -d 'Write shell completions for SHELL to stdout (for packaging)' -r -f -a "bash\t''
elvish\t''
fish\t''
powershell\t''
zsh\t''"
complete -c con-duct -n "__fish_con_duct_needs_command" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c con-duct -n "__fish_con_duct_needs_command" -s V -l version -d 'Print version'
complete -c con-duct -n "__fish_con_duct_needs_command" -f -a "run" -d 'Execute a command with duct monitoring (the same as `duct`, see duct(1)).'
complete -c con-duct -n "__fish_con_duct_needs_command" -f -a "pp" -d 'Pretty print a JSON log'
complete -c con-duct -n "__fish_con_duct_needs_command" -f -a "plot" -d 'Plot resource usage for an execution'
complete -c con-duct -n "__fish_con_duct_needs_command" -f -a "ls" -d 'Print execution information for all matching runs'
complete -c con-duct -n "__fish_con_duct_needs_command" -f -a "krb-status" -d 'Report on Kerberos credentials (the same as `duct krb-status`, see duct-krb-status(1)).'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s p -l output-prefix -d 'File name prefix for the captured stdout and stderr and the usage and info files. Understood placeholders: {datetime} (local time, %Y.%m.%dT%H.%M.%S), {pid} (duct\'s pid), {hostname}, {slurm_job_id}, {slurm_array_job_id}, {slurm_array_task_id}, {slurm_step_id}, {slurm_procid} (empty outside SLURM) and {env:NAME} (empty when unset). A prefix ending in \'/\' is a directory. Leading directories are created' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l summary-format -d 'Template for the summary printed after the command ends. Placeholders are the execution_summary keys; conversions !S (sizes), !E (exit code), !X, !N, !P, !T, !D as in con-duct. Default: con-duct\'s' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l sample-interval -l s-i -d 'Seconds between samples of the process tree (a number, or a duration such as 100ms)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l report-interval -l r-i -d 'Seconds between reports written to usage.jsonl; at least the sample interval' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l fail-time -l f-t -d 'If the command fails (non-zero exit) in less than this many seconds, its log files are removed and no summary is printed. 0 keeps logs of every failing command; a negative value removes them always' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s c -l capture-outputs -d 'Which of the command\'s streams are written to log files' -r -f -a "all\t''
none\t''
stdout\t''
stderr\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s o -l outputs -d 'Which of the command\'s streams are passed through to duct\'s own stdout and stderr' -r -f -a "all\t''
none\t''
stdout\t''
stderr\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s t -l record-types -d 'What to record: info.json and system summary, process samples (usage.jsonl), or both' -r -f -a "all\t''
system-summary\t''
processes-samples\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s m -l message -d 'A descriptive message about the purpose of this run, stored in info.json' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l mode -d 'new-session runs the command in a session of its own (the default); current-session keeps it in duct\'s session and tracks every process of that session (e.g. a SLURM job step)' -r -f -a "new-session\t''
current-session\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l pty -d 'Give the command pseudo-terminals for stdout and stderr (captured apart, as the command wrote them): auto = when duct\'s stdin and stdout are terminals and duct is in the foreground (stderr too when duct\'s stderr is one); always = on both, even without a terminal (no input is relayed then); never = pipes, as con-duct' -r -f -a "auto\t''
always\t''
never\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s l -l log-level -d 'How much duct says on stderr; above INFO the summary is hidden too, as in con-duct' -r -f -a "DEBUG\t''
INFO\t''
WARNING\t''
ERROR\t''
CRITICAL\t''
NONE\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l max-buffer -d 'Memory that log output may occupy (all files together, a real bound), e.g. 64MiB; beyond it, and for a file that fails or stalls, output waits in the spool on local disk until the file confirms it' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l spool-dir -d 'Private directory (0700) for output that cannot reach its log file yet. Default: /var/tmp/duct-UID, else /tmp/duct-UID' -r -F
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l final-timeout -d 'At the end, how long to wait for failing log files to come back before leaving their tails in the spool, and for duct\'s own stdout and stderr to take what waits for them while they accept nothing (5 s after a SIGTERM, since batch systems follow it with SIGKILL)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l recover -d 'Write the spooled output in SPOOL_DIR back into its log files and put the run\'s final info.json in place of the provisional one (after duct ended before they came back, or was killed), then exit' -r -F
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-ccache -d 'Credential cache to keep alive (default: KRB5CCNAME, else the default cache)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-margin -d 'Renew this long before the ticket ends (default: when a third of its lifetime remains, at most 30m)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-renew-cmd -d 'Renew with this command instead of the built-in renewal, e.g. \'kinit -R\' or \'k5start -U -f KEYTAB\' (run without a shell, with KRB5CCNAME set, for at most 60 s; its output is logged)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-keytab -d 'When the ticket cannot be renewed (not renewable, renewable life over), get a new one from this keytab' -r -F
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-principal -d 'Principal for --krb-keytab (default: the cache\'s)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-notify-cmd -d 'Run this command when the ticket is going to lapse and duct cannot prevent it, or lapsed anyway (once per lapse). DUCT_KRB_REASON is one of not_renewable, renewable_life_ending, renewable_life_exhausted, expired, kdc_unreachable, no_ticket; also DUCT_KRB_PRINCIPAL, DUCT_KRB_CCACHE, DUCT_KRB_EXPIRES, DUCT_KRB_RENEW_UNTIL' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-aklog -d 'Run aklog (or PROG) after each renewal, for AFS' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l completions -d 'Write shell completions for SHELL to stdout (for packaging)' -r -f -a "bash\t''
elvish\t''
fish\t''
powershell\t''
zsh\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l colors -d 'Use colours in the summary (env DUCT_COLORS: 1/true/yes/on or 0/false/no/off)'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l clobber -d 'Replace log files if they already exist'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l wait-descendants -d 'Wait for every descendant of the command (workers it started in the background, daemons), not just the command, before finishing: they are sampled and their output logged until the last one ends'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s q -l quiet -d 'Deprecated: same as --log-level NONE'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l krb-renew -d 'Keep the Kerberos ticket alive while the command runs: renew it in its own cache (the one NFS uses) before it ends, then reopen every log file (env DUCT_KRB_RENEW: 1/true/yes/on)'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c con-duct -n "__fish_con_duct_using_subcommand run" -s V -l version -d 'Print version'
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -s l -l log-level -d 'Level of log output to stderr, use NONE to entirely disable' -r -f -a "DEBUG\t''
INFO\t''
WARNING\t''
ERROR\t''
CRITICAL\t''
NONE\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -s H -l humanize -d 'Convert numeric values to human-readable format'
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -s q -l quiet -d '[deprecated, use log level NONE] Disable duct logging output (to stderr)'
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -s h -l help -d 'Print help'
complete -c con-duct -n "__fish_con_duct_using_subcommand pp" -s V -l version -d 'Print version'
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -s o -l output -d 'Output path for the image file: PNG or SVG, by its extension. Without it the chart is written as a PNG next to the usage file (`…_usage.png`), and the path is printed' -r -F
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -l min-ratio -d 'Minimum ratio for axis unit selection. Lower values use larger units sooner. Use -1 to always use base units (seconds, bytes)' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -l cpu -d 'Which CPU value to plot: ps-pcpu, the raw lifetime ratio from ps; ps-cpu-timepoint, a delta-corrected time-point estimate from consecutive (pcpu, etime) pairs' -r -f -a "ps-pcpu\t''
ps-cpu-timepoint\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -s l -l log-level -d 'Level of log output to stderr, use NONE to entirely disable' -r -f -a "DEBUG\t''
INFO\t''
WARNING\t''
ERROR\t''
CRITICAL\t''
NONE\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -s q -l quiet -d '[deprecated, use log level NONE] Disable duct logging output (to stderr)'
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -s h -l help -d 'Print help'
complete -c con-duct -n "__fish_con_duct_using_subcommand plot" -s V -l version -d 'Print version'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s f -l format -d 'Output format: \'auto\' is the table (pyout\'s, in con-duct)' -r -f -a "auto\t''
pyout\t''
summaries\t''
json\t''
json_pp\t''
yaml\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s F -l fields -d 'Fields to show; prefix is always the first, implicitly' -r -f -a "average_pcpu\t''
average_pmem\t''
average_rss\t''
average_vsz\t''
end_time\t''
exit_code\t''
memory_total\t''
peak_pcpu\t''
peak_pmem\t''
peak_rss\t''
peak_vsz\t''
start_time\t''
wall_clock_time\t''
arch\t''
command\t''
cpu_total\t''
distro_build_id\t''
distro_codename\t''
distro_id\t''
distro_id_like\t''
distro_name\t''
distro_pretty_name\t''
distro_variant_id\t''
distro_version\t''
distro_version_id\t''
duct_version\t''
gpu\t''
hostname\t''
info\t''
logs_prefix\t''
message\t''
num_samples\t''
num_reports\t''
os_name\t''
os_release\t''
os_version\t''
prefix\t''
processor\t''
schema_version\t''
stderr\t''
stdout\t''
uid\t''
usage\t''
user\t''
working_directory\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s e -l eval-filter -d 'Keep only the runs for which EXPR is true. EXPR uses the --fields names, numbers, \'strings\', None, True, False, == != < <= > >=, and or not, parentheses, in / not in, and re.search(PATTERN, field) (also re.match, re.fullmatch). Example: -e "exit_code != 0 and re.search(\'2025.02.09\', prefix)"' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -l sort-by -d 'Sort by these fields (later ones break ties, then the prefix), naturally (run2 before run10); runs without a value come last (first with --reverse)' -r -f -a "average_pcpu\t''
average_pmem\t''
average_rss\t''
average_vsz\t''
end_time\t''
exit_code\t''
memory_total\t''
peak_pcpu\t''
peak_pmem\t''
peak_rss\t''
peak_vsz\t''
start_time\t''
wall_clock_time\t''
arch\t''
command\t''
cpu_total\t''
distro_build_id\t''
distro_codename\t''
distro_id\t''
distro_id_like\t''
distro_name\t''
distro_pretty_name\t''
distro_variant_id\t''
distro_version\t''
distro_version_id\t''
duct_version\t''
gpu\t''
hostname\t''
info\t''
logs_prefix\t''
message\t''
num_samples\t''
num_reports\t''
os_name\t''
os_release\t''
os_version\t''
prefix\t''
processor\t''
schema_version\t''
stderr\t''
stdout\t''
uid\t''
usage\t''
user\t''
working_directory\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -l group-by -d 'Not in con-duct: one row per value of FIELD (any field of the flattened record, e.g. message, command, slurm_job_id) with the count of runs and the min, median and max of wall_clock_time and peak_rss. The table and summaries show them as ls does (wall_min ... rss_max); json, json_pp and yaml give the raw numbers ({FIELD, count, wall_clock_time: {min, median, max}, peak_rss: {...}}). Groups in natural order of the value, runs without one last; -e filters runs before grouping, --reverse reverses groups' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s l -l log-level -d 'Level of log output to stderr, use NONE to entirely disable' -r -f -a "DEBUG\t''
INFO\t''
WARNING\t''
ERROR\t''
CRITICAL\t''
NONE\t''"
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -l colors -d 'Use colors in duct output (env DUCT_COLORS: 1/true/yes/on or 0/false/no/off)'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -l reverse -d 'List entries in reverse order'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s q -l quiet -d '[deprecated, use log level NONE] Disable duct logging output (to stderr)'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s h -l help -d 'Print help'
complete -c con-duct -n "__fish_con_duct_using_subcommand ls" -s V -l version -d 'Print version'
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -l for -d 'How long the job will run, e.g. 90s, 10m, 1h30m, 14h: the verdict says whether the ticket lasts that long' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -l krb-keytab -d 'A keytab duct could get fresh tickets from (`duct --krb-renew --krb-keytab`)' -r -F
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -s p -l output-prefix -d 'The output prefix duct would use; its directory is checked when no PATH is given' -r
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -l json -d 'Print one JSON object instead of text'
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -l manual -d 'Write the man page to stdout (for packaging)'
complete -c con-duct -n "__fish_con_duct_using_subcommand krb-status" -s h -l help -d 'Print help (see more with \'--help\')'
