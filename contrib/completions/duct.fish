complete -c duct -s p -l output-prefix -d 'File name prefix for the captured stdout and stderr and the usage and info files. Understood placeholders: {datetime} (local time, %Y.%m.%dT%H.%M.%S), {pid} (duct\'s pid), {hostname}, {slurm_job_id}, {slurm_array_job_id}, {slurm_array_task_id}, {slurm_step_id}, {slurm_procid} (empty outside SLURM) and {env:NAME} (empty when unset). A prefix ending in \'/\' is a directory. Leading directories are created' -r
complete -c duct -l summary-format -d 'Template for the summary printed after the command ends. Placeholders are the execution_summary keys; conversions !S (sizes), !E (exit code), !X, !N, !P, !T, !D as in con-duct. Default: con-duct\'s' -r
complete -c duct -l sample-interval -l s-i -d 'Seconds between samples of the process tree (a number, or a duration such as 100ms)' -r
complete -c duct -l report-interval -l r-i -d 'Seconds between reports written to usage.jsonl; at least the sample interval' -r
complete -c duct -l fail-time -l f-t -d 'If the command fails (non-zero exit) in less than this many seconds, its log files are removed and no summary is printed. 0 keeps logs of every failing command; a negative value removes them always' -r
complete -c duct -s c -l capture-outputs -d 'Which of the command\'s streams are written to log files' -r -f -a "all\t''
none\t''
stdout\t''
stderr\t''"
complete -c duct -s o -l outputs -d 'Which of the command\'s streams are passed through to duct\'s own stdout and stderr' -r -f -a "all\t''
none\t''
stdout\t''
stderr\t''"
complete -c duct -s t -l record-types -d 'What to record: info.json and system summary, process samples (usage.jsonl), or both' -r -f -a "all\t''
system-summary\t''
processes-samples\t''"
complete -c duct -s m -l message -d 'A descriptive message about the purpose of this run, stored in info.json' -r
complete -c duct -l mode -d 'new-session runs the command in a session of its own (the default); current-session keeps it in duct\'s session and tracks every process of that session (e.g. a SLURM job step)' -r -f -a "new-session\t''
current-session\t''"
complete -c duct -l pty -d 'Give the command pseudo-terminals for stdout and stderr (captured apart, as the command wrote them): auto = when duct\'s stdin and stdout are terminals and duct is in the foreground (stderr too when duct\'s stderr is one); always = on both, even without a terminal (no input is relayed then); never = pipes, as con-duct' -r -f -a "auto\t''
always\t''
never\t''"
complete -c duct -s l -l log-level -d 'How much duct says on stderr; above INFO the summary is hidden too, as in con-duct' -r -f -a "DEBUG\t''
INFO\t''
WARNING\t''
ERROR\t''
CRITICAL\t''
NONE\t''"
complete -c duct -l max-buffer -d 'Memory that log output may occupy (all files together, a real bound), e.g. 64MiB; beyond it, and for a file that fails or stalls, output waits in the spool on local disk until the file confirms it' -r
complete -c duct -l spool-dir -d 'Private directory (0700) for output that cannot reach its log file yet. Default: /var/tmp/duct-UID, else /tmp/duct-UID' -r -F
complete -c duct -l final-timeout -d 'At the end, how long to wait for failing log files to come back before leaving their tails in the spool, and for duct\'s own stdout and stderr to take what waits for them while they accept nothing (5 s after a SIGTERM, since batch systems follow it with SIGKILL)' -r
complete -c duct -l recover -d 'Write the spooled output in SPOOL_DIR back into its log files and put the run\'s final info.json in place of the provisional one (after duct ended before they came back, or was killed), then exit' -r -F
complete -c duct -l krb-ccache -d 'Credential cache to keep alive (default: KRB5CCNAME, else the default cache)' -r
complete -c duct -l krb-margin -d 'Renew this long before the ticket ends (default: when a third of its lifetime remains, at most 30m)' -r
complete -c duct -l krb-renew-cmd -d 'Renew with this command instead of the built-in renewal, e.g. \'kinit -R\' or \'k5start -U -f KEYTAB\' (run without a shell, with KRB5CCNAME set, for at most 60 s; its output is logged)' -r
complete -c duct -l krb-keytab -d 'When the ticket cannot be renewed (not renewable, renewable life over), get a new one from this keytab' -r -F
complete -c duct -l krb-principal -d 'Principal for --krb-keytab (default: the cache\'s)' -r
complete -c duct -l krb-notify-cmd -d 'Run this command when the ticket is going to lapse and duct cannot prevent it, or lapsed anyway (once per lapse). DUCT_KRB_REASON is one of not_renewable, renewable_life_ending, renewable_life_exhausted, expired, kdc_unreachable, no_ticket; also DUCT_KRB_PRINCIPAL, DUCT_KRB_CCACHE, DUCT_KRB_EXPIRES, DUCT_KRB_RENEW_UNTIL' -r
complete -c duct -l krb-aklog -d 'Run aklog (or PROG) after each renewal, for AFS' -r
complete -c duct -l completions -d 'Write shell completions for SHELL to stdout (for packaging)' -r -f -a "bash\t''
elvish\t''
fish\t''
powershell\t''
zsh\t''"
complete -c duct -l colors -d 'Use colours in the summary (env DUCT_COLORS: 1/true/yes/on or 0/false/no/off)'
complete -c duct -l clobber -d 'Replace log files if they already exist'
complete -c duct -l wait-descendants -d 'Wait for every descendant of the command (workers it started in the background, daemons), not just the command, before finishing: they are sampled and their output logged until the last one ends'
complete -c duct -s q -l quiet -d 'Deprecated: same as --log-level NONE'
complete -c duct -l krb-renew -d 'Keep the Kerberos ticket alive while the command runs: renew it in its own cache (the one NFS uses) before it ends, then reopen every log file (env DUCT_KRB_RENEW: 1/true/yes/on)'
complete -c duct -l manual -d 'Write the man page to stdout (for packaging)'
complete -c duct -s h -l help -d 'Print help (see more with \'--help\')'
complete -c duct -s V -l version -d 'Print version'
