_duct() {
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
                cmd="duct"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        duct)
            opts="-p -c -o -t -m -l -q -h -V --output-prefix --summary-format --colors --clobber --s-i --sample-interval --r-i --report-interval --f-t --fail-time --capture-outputs --outputs --record-types --message --wait-descendants --mode --pty --log-level --quiet --max-buffer --spool-dir --final-timeout --recover --krb-renew --krb-ccache --krb-margin --krb-renew-cmd --krb-keytab --krb-principal --krb-notify-cmd --krb-aklog --manual --completions --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
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
    complete -F _duct -o nosort -o bashdefault -o default duct
else
    complete -F _duct -o bashdefault -o default duct
fi
