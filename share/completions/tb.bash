# bash completion for the tb timebank toolkit: tb, tb-member, tb-exchange,
# tb-report and tb-match (see tb(1)).
#
# Installed as bash-completion/completions/tb; or source it from ~/.bashrc:
#   . /usr/local/share/bash-completion/completions/tb
# It completes commands, subcommands, options and the values of options that
# have a fixed set of them; file names after --db, --config, -o and friends.
# It never runs a tool and never reads the store.

_tb_common_opts='--config --db --today --format -o --output --no-header --recorded-by -q --quiet -v --verbose --version -h --help'
_tb_common_arg_opts=' --config --db --today --format -o --output --recorded-by '

# _tb_subcommands TOOL PATH: the words that may come next at PATH ("" at the top).
_tb_subcommands() {
    case "$1:$2" in
        tb:) echo 'init check backup config member exchange report match' ;;
        tb-member:) echo 'add list show edit deactivate reactivate skill check block unblock forget import export' ;;
        tb-member:skill | tb-member:check) echo 'add remove' ;;
        tb-exchange:) echo 'record opening list show void amend balance statement import export' ;;
        tb-report:) echo 'summary weekly balances activity members categories network social-value' ;;
        tb-match:) echo 'request suggest run' ;;
        tb-match:request) echo 'add list close decline' ;;
    esac
}

# _tb_command_opts TOOL PATH: the options of the command at PATH, as
# "flags|options-with-a-value".
_tb_command_opts() {
    local member_fields='--id --email --phone --postcode --neighbourhood --kind --offers --wants --joined --note --tag --min-balance --max-balance'
    case "$1:$2" in
        tb:init) echo '|--name --config-out' ;;
        tb:check) echo '--rebuild-totals|' ;;
        tb-member:add) echo "|$member_fields" ;;
        tb-member:list) echo '--all --inactive|--kind --offers --wants --neighbourhood' ;;
        tb-member:edit) echo "|--set $member_fields" ;;
        tb-member:deactivate | tb-member:block) echo '|--reason' ;;
        tb-member:forget) echo '--yes|--reason' ;;
        tb-member:skill\ *) echo '--offers --wants|' ;;
        tb-member:check\ add) echo '|--expires' ;;
        tb-member:import) echo '--dry-run --update|--mapping --sheet' ;;
        tb-exchange:record) echo '|--provider --recipient --hours --date --category --note --ref --override' ;;
        tb-exchange:opening) echo '|--member --hours --date --note' ;;
        tb-exchange:list) echo '--voided --all|--member --period --since --until --category' ;;
        tb-exchange:void) echo '|--reason' ;;
        tb-exchange:amend) echo '|--category --hours --date --provider --recipient --note --reason --override' ;;
        tb-exchange:statement | tb-exchange:export) echo '|--period' ;;
        tb-exchange:import) echo '--dry-run|--mapping --sheet' ;;
        tb-report:summary) echo '|--period --by' ;;
        tb-report:balances) echo '|--period --below --above --as-of' ;;
        tb-report:activity) echo '|--period --by' ;;
        tb-report:members) echo '--never-traded|--period --inactive-days' ;;
        tb-report:social-value) echo '|--period --rate --currency' ;;
        tb-report:?*) echo '|--period' ;;
        tb-match:request\ add) echo '|--category --text --hours --needed-by' ;;
        tb-match:request\ list) echo '--open --all|' ;;
        tb-match:request\ close) echo '--met --withdrawn|--exchange --reason' ;;
        tb-match:request\ decline) echo '|--member' ;;
        tb-match:suggest) echo '--explain|--limit' ;;
        tb-match:run) echo '--dry-run --contact|' ;;
    esac
}

_tb_formats() {
    case "$1" in
        tb) echo 'text table csv tsv json jsonl' ;;
        tb-report) echo 'table csv tsv json jsonl text markdown html' ;;
        *) echo 'table csv tsv json jsonl' ;;
    esac
}

# _tb_files PREFIX CUR: file names (and directories) completing CUR.
_tb_files() {
    local prefix=$1 cur=$2 f
    local IFS=$'\n'
    type compopt &>/dev/null && compopt -o filenames 2>/dev/null
    for f in $(compgen -f -- "$cur"); do
        COMPREPLY+=("$prefix$f")
    done
}

# _tb_words PREFIX CUR WORDS...: the WORDS that complete CUR.
_tb_words() {
    local prefix=$1 cur=$2 w
    shift 2
    for w in $(compgen -W "$*" -- "$cur"); do
        COMPREPLY+=("$prefix$w")
    done
}

# _tb_value TOOL PATH OPTION PREFIX CUR: completes the value of OPTION.
_tb_value() {
    local tool=$1 path=$2 opt=$3 prefix=$4 cur=$5
    local today
    today=$(date +%F 2>/dev/null)
    case "$opt" in
        --db | --config | -o | --output | --config-out | --mapping)
            _tb_files "$prefix" "$cur" ;;
        --format)
            _tb_words "$prefix" "$cur" "$(_tb_formats "$tool")" ;;
        --today)
            _tb_words "$prefix" "$cur" "$today" ;;
        --date | --joined | --expires | --needed-by | --as-of | --since | --until)
            _tb_words "$prefix" "$cur" "today yesterday $today" ;;
        --period)
            _tb_words "$prefix" "$cur" "this-week last-week this-month last-month this-year last-year ${today%%-*}" ;;
        --kind)
            _tb_words "$prefix" "$cur" 'person organisation' ;;
        --min-balance | --max-balance)
            _tb_words "$prefix" "$cur" 'none' ;;
        --by)
            case "$path" in
                activity) _tb_words "$prefix" "$cur" 'week month quarter year' ;;
                *) _tb_words "$prefix" "$cur" 'tag neighbourhood kind' ;;
            esac ;;
    esac
}

# _tb_complete_tool TOOL FIRST: completes the command line of TOOL whose
# arguments start at COMP_WORDS[FIRST].
_tb_complete_tool() {
    local tool=$1 first=$2
    local cword=$COMP_CWORD
    local cur=${COMP_WORDS[cword]} prev=${COMP_WORDS[cword - 1]}
    local path='' args=0 early_opt=0 i w next arg_opts opts

    # Walk the words before the cursor: options (and their values) are
    # skipped, the first positionals make the command path.
    for ((i = first; i < cword; i++)); do
        w=${COMP_WORDS[i]}
        opts=$(_tb_command_opts "$tool" "$path")
        arg_opts="$_tb_common_arg_opts${opts#*|} "
        case "$w" in
            --*=*) ;;
            -*)
                [[ -z $path ]] && early_opt=1
                next=${COMP_WORDS[i + 1]}
                if [[ $arg_opts == *" $w "* ]]; then
                    # "--db=FILE" is split by bash into "--db" "=" "FILE".
                    if [[ $next == = ]]; then ((i += 2)); else ((i++)); fi
                fi ;;
            =) ;;
            *)
                if [[ -n $(_tb_subcommands "$tool" "$path") ]] &&
                    [[ " $(_tb_subcommands "$tool" "$path") " == *" $w "* ]]; then
                    path=${path:+$path }$w
                    # `tb TOOL ...` runs tb-TOOL: complete as that tool.
                    if [[ $tool == tb && $i == 1 ]]; then
                        case "$w" in
                            member | exchange | report | match)
                                _tb_complete_tool "tb-$w" 2
                                return ;;
                        esac
                    fi
                else
                    ((args++))
                fi ;;
        esac
    done

    opts=$(_tb_command_opts "$tool" "$path")
    arg_opts="$_tb_common_arg_opts${opts#*|} "

    # The value of an option: "--db FILE", "--db=FILE" (split or not).
    if [[ $cur == = && $arg_opts == *" $prev "* ]]; then
        _tb_value "$tool" "$path" "$prev" '' ''
        return
    fi
    if [[ $prev == = && $arg_opts == *" ${COMP_WORDS[cword - 2]} "* ]]; then
        _tb_value "$tool" "$path" "${COMP_WORDS[cword - 2]}" '' "$cur"
        return
    fi
    if [[ $cur == --*=* ]]; then
        _tb_value "$tool" "$path" "${cur%%=*}" "${cur%%=*}=" "${cur#*=}"
        return
    fi
    if [[ $arg_opts == *" $prev "* ]]; then
        _tb_value "$tool" "$path" "$prev" '' "$cur"
        return
    fi

    if [[ $cur == -* ]]; then
        _tb_words '' "$cur" "$_tb_common_opts ${opts%%|*} ${opts#*|}"
        return
    fi

    local subs
    subs=$(_tb_subcommands "$tool" "$path")
    # tb runs another tool only when its name is the first argument.
    if [[ $tool == tb && -z $path ]] && ((early_opt)); then
        subs='init check backup config'
    fi
    if [[ -n $subs ]]; then
        _tb_words '' "$cur" "$subs"
        return
    fi
    # Positional arguments that are files.
    case "$tool:$path" in
        tb:backup | tb-member:import | tb-exchange:import)
            ((args == 0)) && _tb_files '' "$cur" ;;
    esac
}

_tb() {
    COMPREPLY=()
    local tool=${COMP_WORDS[0]##*/}
    case "$tool" in
        tb | tb-member | tb-exchange | tb-report | tb-match) ;;
        *) tool=tb ;;
    esac
    _tb_complete_tool "$tool" 1
}

complete -F _tb tb tb-member tb-exchange tb-report tb-match
