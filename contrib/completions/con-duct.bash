_con__duct() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="con__duct"
                ;;
            con__duct,krb-status)
                cmd="con__duct__subcmd__krb__subcmd__status"
                ;;
            con__duct,ls)
                cmd="con__duct__subcmd__ls"
                ;;
            con__duct,plot)
                cmd="con__duct__subcmd__plot"
                ;;
            con__duct,pp)
                cmd="con__duct__subcmd__pp"
                ;;
            con__duct,run)
                cmd="con__duct__subcmd__run"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        con__duct)
            opts="-h -V --manual --manual-of --completions --help --version run pp plot ls krb-status"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --manual-of)
                    COMPREPLY=($(compgen -W "run pp plot ls krb-status" -- "${cur}"))
                    return 0
                    ;;
                --completions)
                    COMPREPLY=($(compgen -W "bash elvish fish powershell zsh" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        con__subcmd__duct__subcmd__krb__subcmd__status)
            opts="-p -h --for --json --krb-keytab --output-prefix --manual --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --for)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-keytab)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -p)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        con__subcmd__duct__subcmd__ls)
            opts="-f -F -e -l -q -h -V --format --fields --colors --eval-filter --reverse --sort-by --group-by --log-level --quiet --manual --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --format)
                    COMPREPLY=($(compgen -W "auto pyout summaries json json_pp yaml" -- "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -W "auto pyout summaries json json_pp yaml" -- "${cur}"))
                    return 0
                    ;;
                --fields)
                    COMPREPLY=($(compgen -W "average_pcpu average_pmem average_rss average_vsz end_time exit_code memory_total peak_pcpu peak_pmem peak_rss peak_vsz start_time wall_clock_time arch command cpu_total distro_build_id distro_codename distro_id distro_id_like distro_name distro_pretty_name distro_variant_id distro_version distro_version_id duct_version gpu hostname info logs_prefix message num_samples num_reports os_name os_release os_version prefix processor schema_version stderr stdout uid usage user working_directory" -- "${cur}"))
                    return 0
                    ;;
                -F)
                    COMPREPLY=($(compgen -W "average_pcpu average_pmem average_rss average_vsz end_time exit_code memory_total peak_pcpu peak_pmem peak_rss peak_vsz start_time wall_clock_time arch command cpu_total distro_build_id distro_codename distro_id distro_id_like distro_name distro_pretty_name distro_variant_id distro_version distro_version_id duct_version gpu hostname info logs_prefix message num_samples num_reports os_name os_release os_version prefix processor schema_version stderr stdout uid usage user working_directory" -- "${cur}"))
                    return 0
                    ;;
                --eval-filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -e)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sort-by)
                    COMPREPLY=($(compgen -W "average_pcpu average_pmem average_rss average_vsz end_time exit_code memory_total peak_pcpu peak_pmem peak_rss peak_vsz start_time wall_clock_time arch command cpu_total distro_build_id distro_codename distro_id distro_id_like distro_name distro_pretty_name distro_variant_id distro_version distro_version_id duct_version gpu hostname info logs_prefix message num_samples num_reports os_name os_release os_version prefix processor schema_version stderr stdout uid usage user working_directory" -- "${cur}"))
                    return 0
                    ;;
                --group-by)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --log-level)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        con__subcmd__duct__subcmd__plot)
            opts="-o -l -q -h -V --output --min-ratio --cpu --log-level --quiet --manual --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --min-ratio)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cpu)
                    COMPREPLY=($(compgen -W "ps-pcpu ps-cpu-timepoint" -- "${cur}"))
                    return 0
                    ;;
                --log-level)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        con__subcmd__duct__subcmd__pp)
            opts="-H -l -q -h -V --humanize --log-level --quiet --manual --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --log-level)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        con__subcmd__duct__subcmd__run)
            opts="-p -c -o -t -m -l -q -h -V --output-prefix --summary-format --colors --clobber --s-i --sample-interval --r-i --report-interval --f-t --fail-time --capture-outputs --outputs --record-types --message --wait-descendants --mode --pty --log-level --quiet --max-buffer --spool-dir --final-timeout --recover --krb-renew --krb-ccache --krb-margin --krb-renew-cmd --krb-keytab --krb-principal --krb-notify-cmd --krb-aklog --manual --completions --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --output-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -p)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --summary-format)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sample-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --s-i)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --report-interval)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --r-i)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-time)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --f-t)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --capture-outputs)
                    COMPREPLY=($(compgen -W "all none stdout stderr" -- "${cur}"))
                    return 0
                    ;;
                -c)
                    COMPREPLY=($(compgen -W "all none stdout stderr" -- "${cur}"))
                    return 0
                    ;;
                --outputs)
                    COMPREPLY=($(compgen -W "all none stdout stderr" -- "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -W "all none stdout stderr" -- "${cur}"))
                    return 0
                    ;;
                --record-types)
                    COMPREPLY=($(compgen -W "all system-summary processes-samples" -- "${cur}"))
                    return 0
                    ;;
                -t)
                    COMPREPLY=($(compgen -W "all system-summary processes-samples" -- "${cur}"))
                    return 0
                    ;;
                --message)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -m)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mode)
                    COMPREPLY=($(compgen -W "new-session current-session" -- "${cur}"))
                    return 0
                    ;;
                --pty)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --log-level)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                -l)
                    COMPREPLY=($(compgen -W "DEBUG INFO WARNING ERROR CRITICAL NONE" -- "${cur}"))
                    return 0
                    ;;
                --max-buffer)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --spool-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --final-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --recover)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-ccache)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-margin)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-renew-cmd)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-keytab)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-principal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-notify-cmd)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --krb-aklog)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --completions)
                    COMPREPLY=($(compgen -W "bash elvish fish powershell zsh" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _con__duct -o nosort -o bashdefault -o default con-duct
else
    complete -F _con__duct -o bashdefault -o default con-duct
fi
