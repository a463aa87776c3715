#include "tb/cli/complete.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "tb/cli/app.hpp"
#include "tb/cli/tools.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

bool visible(const CLI::App* a) { return !a->get_group().empty(); }

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_') cur += static_cast<char>(std::tolower(u));
        else if (!cur.empty()) {
            out.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// The fixed values an option takes, by its name: those of `vocabulary` its
// own description mentions (--by of summary and of activity differ, and
// each says which it takes), so a new option or value is picked up from its
// help text.
std::string words_in(const std::string& description, const std::vector<std::string>& vocabulary) {
    auto said = words_of(description);
    std::vector<std::string> out;
    for (auto& v : vocabulary)
        if (std::find(said.begin(), said.end(), v) != said.end()) out.push_back(v);
    return out.empty() ? "" : "words:" + text::join(out, " ");
}

const std::vector<std::string> kDateWords = {"today", "yesterday"};
const std::vector<std::string> kPeriodWords = {"this-week",    "last-week",    "this-month", "last-month",
                                               "this-quarter", "last-quarter", "this-year",  "last-year"};

std::string option_kind(const CLI::Option* o) {
    std::string name = o->get_lnames().empty() ? "" : o->get_lnames().front();
    const std::string& d = o->get_description();
    static const std::set<std::string> files = {"config", "db", "output", "config-out", "mapping", "expect-head", "hub"};
    static const std::set<std::string> members = {"provider", "recipient", "member", "from", "to", "bank"};
    static const std::set<std::string> dates = {"today", "date",   "since",     "until",
                                                "as-of", "joined", "needed-by", "expires"};
    if (name == "format") return "format";
    if (files.count(name)) return "file";
    if (members.count(name)) return "member";
    if (name == "category") return "category";
    if (name == "exchange") return "exchange";
    if (name == "request") return "request";
    if (dates.count(name)) return "words:" + text::join(kDateWords, " ");
    if (name == "period") return "words:" + text::join(kPeriodWords, " ");
    if (name == "kind") return words_in(d, {"person", "organisation", "pot", "bank"});
    if (name == "by")
        return words_in(d, {"tag", "neighbourhood", "postcode-district", "kind", "bank", "week", "month", "quarter",
                            "year"});
    if (name == "compare") return words_in(d, {"previous", "last-year", "none"});
    return "";
}

std::string positional_kind(const CLI::Option* o) {
    std::string name = o->get_name();
    const std::string& d = o->get_description();
    if (name.rfind("MEMBER", 0) == 0) return "member";
    if (name == "FILE") return "file";
    if (name == "N") {
        auto w = words_of(d);
        if (std::find(w.begin(), w.end(), "exchange") != w.end()) return "exchange";
        if (std::find(w.begin(), w.end(), "request") != w.end()) return "request";
    }
    if (name == "REPORT")
        return words_in(d, {"summary", "activity", "categories", "network", "social-value", "onboarding"});
    if (name == "CATEGORY") return "category";
    return "";
}

void collect(const std::string& prog, const CLI::App* app, const Registry& reg, const std::vector<std::string>& tools,
             std::vector<CommandSpec>& out) {
    CommandSpec c;
    c.prog = prog;
    c.path = command_path(app);
    for (const CLI::App* sub : app->get_subcommands(visible)) c.subcommands.push_back(sub->get_name());
    if (app->get_parent() == nullptr) {
        for (auto& t : tools) c.subcommands.push_back(t);
        c.subcommands.push_back("help");
    }
    for (const CLI::Option* o : app->get_options()) {
        ArgSpec a;
        if (o->get_positional()) {
            a.names = {o->get_name()};
            a.takes_value = true;
            a.repeats = o->get_expected_max() > 1;
            a.kind = positional_kind(o);
            c.positionals.push_back(a);
            continue;
        }
        for (auto& s : o->get_snames()) a.names.push_back("-" + s);
        for (auto& l : o->get_lnames()) a.names.push_back("--" + l);
        a.takes_value = o->get_expected_max() > 0;  // a flag expects none
        if (a.takes_value) a.kind = option_kind(o);
        c.options.push_back(a);
    }
    if (const Command* cmd = reg.find(app)) {
        c.runs = true;
        for (auto f : cmd->formats.allowed) c.formats.push_back(io::format_name(f));
    }
    out.push_back(c);
    for (const CLI::App* sub : app->get_subcommands(visible)) collect(prog, sub, reg, {}, out);
}

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string key_of(const CommandSpec& c) { return c.path.empty() ? c.prog : c.prog + " " + c.path; }

// The data both shells read, as associative arrays (declared global: a
// completion file may be sourced inside a function).
void emit_data(std::ostream& os, const std::vector<CommandSpec>& specs, bool zsh) {
    // bash: name['key']=value; zsh keeps quotes in a subscript, so name+=(key value).
    auto set = [&](const char* name, const std::string& key, const std::string& value) {
        if (zsh) os << name << "+=(" << quote(key) << ' ' << quote(value) << ")\n";
        else os << name << '[' << quote(key) << "]=" << quote(value) << '\n';
    };
    const char* declare = zsh ? "typeset -gA" : "declare -gA";
    std::vector<std::string> tools;
    for (auto& c : specs)
        if (c.path.empty() && c.prog != "tb") tools.push_back(c.prog.substr(3));
    os << declare << " _tb_subs _tb_opts _tb_vopts _tb_kind _tb_pos _tb_fmt\n";
    os << "_tb_tools=" << quote(text::join(tools, " ")) << "\n";
    for (auto& c : specs) {
        auto key = key_of(c);
        std::vector<std::string> opts, vopts, pos;
        for (auto& o : c.options) {
            for (auto& n : o.names) {
                opts.push_back(n);
                if (o.takes_value) {
                    vopts.push_back(n);
                    if (!o.kind.empty()) set("_tb_kind", key + " " + n, o.kind);
                }
            }
        }
        for (auto& p : c.positionals) {
            // one word per argument: the values of a words: kind joined by ','
            std::string k = p.kind.empty() ? "-" : p.kind;
            std::replace(k.begin(), k.end(), ' ', ',');
            pos.push_back(k + (p.repeats ? "+" : ""));
        }
        set("_tb_subs", key, text::join(c.subcommands, " "));
        set("_tb_opts", key, text::join(opts, " "));
        set("_tb_vopts", key, " " + text::join(vopts, " ") + " ");
        if (!pos.empty()) set("_tb_pos", key, text::join(pos, " "));
        if (c.runs) set("_tb_fmt", key, text::join(c.formats, " "));
    }
}

// The walk over the words typed so far is the same in both shells; so is the
// choice of what to offer. Only how a word is read and offered differs.
// Written once for both: the functions bash and zsh read alike.
const char* kSharedLogic = R"SH(
# _tb_up KEY: KEY without its last word ("" at a tool).
_tb_up() { [[ $1 == *" "* ]] && printf '%s' "${1% *}"; }

# _tb_takes KEY OPTION: whether OPTION takes a value at KEY (or above it).
_tb_takes() {
    local k=$1
    while [[ -n $k ]]; do
        [[ ${_tb_vopts[$k]} == *" $2 "* ]] && return 0
        k=$(_tb_up "$k")
    done
    return 1
}

# _tb_word WORD: a word typed before the cursor that is not an option: a
# tool (after tb), help, a subcommand (key grows) or a positional (pos
# grows). Sets the caller's key, help and pos.
_tb_word() {
    if [[ $key == tb && " $_tb_tools " == *" $1 "* ]]; then
        key=tb-$1
    elif [[ $1 == help && $key != *" "* && $help == 0 ]]; then
        help=1
    elif [[ " ${_tb_subs[$key]} " == *" $1 "* && $1 != help ]]; then
        key="$key $1"
    else
        (( pos++ ))
    fi
}
)SH";

const char* kBashLogic = R"BASH(

# _tb_kindof KEY OPTION: how the value of OPTION completes.
_tb_kindof() {
    local k=$1
    while [[ -n $k ]]; do
        if [[ -n ${_tb_kind["$k $2"]+x} ]]; then printf '%s' "${_tb_kind["$k $2"]}"; return; fi
        k=$(_tb_up "$k")
    done
}

# _tb_values KIND CUR KEY: adds the values of KIND that start with CUR.
_tb_values() {
    local kind=$1 cur=$2 key=$3 line
    case $kind in
        format)
            COMPREPLY+=($(compgen -W "${_tb_fmt[$key]}" -- "$cur")) ;;
        file)
            compopt -o filenames 2>/dev/null
            local IFS=$'\n'
            COMPREPLY+=($(compgen -f -- "$cur")) ;;
        words:*)
            COMPREPLY+=($(compgen -W "${kind#words:}" -- "$cur")) ;;
        member | category | request | exchange)
            while IFS= read -r line; do
                [[ -n $line && $line == "$cur"* ]] && COMPREPLY+=("$(printf '%q' "$line")")
            done < <("$_tb_bin" __complete "$kind" "${_tb_store[@]}" 2>/dev/null) ;;
    esac
}

_tb() {
    local cur=${COMP_WORDS[COMP_CWORD]} prog=${COMP_WORDS[0]##*/}
    local _tb_bin=tb
    [[ ${COMP_WORDS[0]} == */* ]] && _tb_bin=${COMP_WORDS[0]%/*}/tb
    COMPREPLY=()
    [[ -n ${_tb_opts[$prog]+x} ]] || return 0
    local key=$prog i=1 w opt pos=0 help=0 kind k
    local -a _tb_store=()
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        if [[ $w == -?* ]]; then
            opt=${w%%=*}
            if [[ $w != *=* ]] && _tb_takes "$key" "$opt"; then
                [[ ${COMP_WORDS[i + 1]} == = ]] && ((i++))
                ((i++))
                [[ $opt == --db || $opt == --config ]] && _tb_store+=("$opt" "${COMP_WORDS[i]}")
            fi
        else
            _tb_word "$w"
        fi
        ((i++))
    done
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    [[ $prev == = && COMP_CWORD -ge 2 ]] && prev=${COMP_WORDS[COMP_CWORD - 2]}
    [[ $cur == = ]] && cur=
    if [[ $cur == -?*=* ]]; then
        # --format=js typed as one word (when = does not break words)
        opt=${cur%%=*}
        _tb_takes "$key" "$opt" || return 0
        _tb_values "$(_tb_kindof "$key" "$opt")" "${cur#*=}" "$key"
        COMPREPLY=("${COMPREPLY[@]/#/$opt=}")
        return 0
    fi
    if [[ $prev == -?* && $prev != *=* ]] && _tb_takes "$key" "$prev"; then
        _tb_values "$(_tb_kindof "$key" "$prev")" "$cur" "$key"
        return 0
    fi
    if [[ $cur == -* ]]; then
        local all="" drop=""
        [[ -n ${_tb_fmt[$key]+x} && -z ${_tb_fmt[$key]} ]] && drop=--format
        k=$key
        while [[ -n $k ]]; do all="$all ${_tb_opts[$k]}"; k=$(_tb_up "$k"); done
        for w in $all; do
            [[ $w == "$drop" ]] && continue
            [[ $w == "$cur"* ]] && COMPREPLY+=("$w")
        done
        return 0
    fi
    if ((help)); then
        COMPREPLY=($(compgen -W "${_tb_subs[$key]//help/}" -- "$cur"))
        return 0
    fi
    if [[ -n ${_tb_subs[$key]} ]]; then
        COMPREPLY=($(compgen -W "${_tb_subs[$key]}" -- "$cur"))
        return 0
    fi
    local -a kinds=(${_tb_pos[$key]})
    ((${#kinds[@]})) || return 0
    if ((pos < ${#kinds[@]})); then kind=${kinds[pos]}; else kind=${kinds[${#kinds[@]} - 1]}; [[ $kind == *+ ]] || return 0; fi
    kind=${kind%+}
    kind=${kind//,/ }
    [[ $kind == - ]] || _tb_values "$kind" "$cur" "$key"
    return 0
}
complete -F _tb tb tb-member tb-exchange tb-report tb-match
)BASH";

const char* kZshLogic = R"ZSH(

_tb_kindof() {
    local k=$1
    while [[ -n $k ]]; do
        if (( ${+_tb_kind[$k $2]} )); then print -rn -- "${_tb_kind[$k $2]}"; return; fi
        k=$(_tb_up "$k")
    done
}

_tb_values() {
    local kind=$1 key=$2
    local -a vals
    case $kind in
        format) vals=(${=_tb_fmt[$key]}); compadd -a vals ;;
        file) _files ;;
        words:*) vals=(${=${kind#words:}}); compadd -a vals ;;
        member|category|request|exchange)
            vals=(${(f)"$($_tb_bin __complete $kind $_tb_store 2>/dev/null)"})
            compadd -a vals ;;
    esac
}

_tb() {
    local prog=${words[1]:t} _tb_bin=tb
    [[ $words[1] == */* ]] && _tb_bin=${words[1]:h}/tb
    (( ${+_tb_opts[$prog]} )) || return 1
    local key=$prog w opt kind k all drop
    local -i i=2 pos=0 help=0
    local -a _tb_store kinds vals
    while (( i < CURRENT )); do
        w=$words[i]
        if [[ $w == -?* ]]; then
            opt=${w%%=*}
            if [[ $w != *=* ]] && _tb_takes "$key" "$opt"; then
                (( i++ ))
                [[ $opt == --db || $opt == --config ]] && _tb_store+=($opt $words[i])
            fi
        else
            _tb_word "$w"
        fi
        (( i++ ))
    done
    local cur=$words[CURRENT] prev=$words[CURRENT-1]
    if [[ $prev == -?* && $prev != *=* ]] && _tb_takes "$key" "$prev"; then
        _tb_values "$(_tb_kindof "$key" "$prev")" "$key"
        return
    fi
    if [[ $cur == -* ]]; then
        [[ ${+_tb_fmt[$key]} == 1 && -z ${_tb_fmt[$key]} ]] && drop=--format
        k=$key
        while [[ -n $k ]]; do all="$all ${_tb_opts[$k]}"; k=$(_tb_up "$k"); done
        vals=(${(u)=all})
        [[ -n $drop ]] && vals=(${vals:#--format})
        compadd -a vals
        return
    fi
    if (( help )); then
        vals=(${=_tb_subs[$key]}); vals=(${vals:#help}); compadd -a vals
        return
    fi
    if [[ -n ${_tb_subs[$key]} ]]; then
        vals=(${=_tb_subs[$key]}); compadd -a vals
        return
    fi
    kinds=(${=_tb_pos[$key]})
    (( ${#kinds} )) || return 1
    if (( pos < ${#kinds} )); then kind=$kinds[pos+1]; else kind=$kinds[-1]; [[ $kind == *+ ]] || return 1; fi
    kind=${kind%+}
    kind=${kind//,/ }
    [[ $kind == - ]] || _tb_values "$kind" "$key"
}

_tb "$@"
)ZSH";

// `what` is plural (members) or, as the completion scripts name a kind of
// value, singular (member).
int live_values(std::string what, int argc, char** argv) {
    if (what == "member" || what == "request" || what == "exchange") what += 's';
    if (what == "category") what = "categories";
    CommonOptions o;
    for (int i = 0; i + 1 < argc; ++i) {
        std::string a = argv[i];
        if (a == "--db") o.db = argv[i + 1];
        if (a == "--config") o.config = argv[i + 1];
    }
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--db=", 0) == 0) o.db = a.substr(5);
        if (a.rfind("--config=", 0) == 0) o.config = a.substr(9);
    }
    Context ctx("tb", o);
    if (what == "categories") {
        for (auto& c : ctx.config().categories) std::cout << c.name << '\n';
        return 0;
    }
    if (what != "members" && what != "requests" && what != "exchanges") return 2;
    // Read-only, and without the notices a command would give: a store
    // that is not there is no completion, never a new file.
    if (!store::store_exists(ctx.db_path())) return 1;
    store::Store s(ctx.db_path(), store::OpenMode::read_only, ctx.config().busy_timeout_ms);
    std::ostringstream out;
    if (what == "members") {
        store::MemberFilter f;
        f.include_inactive = true;
        f.include_accounts = true;
        f.with_skills = false;
        std::vector<std::string> names;
        store::for_each_member(s, f, [&](const Member& m) {
            out << m.id << '\n';
            if (!m.name.empty() && m.name.find('\n') == std::string::npos) names.push_back(m.name);
        });
        for (auto& n : names) out << n << '\n';
    } else if (what == "requests") {
        for (auto& r : store::list_requests(s, store::RequestFilter{})) out << r.number << '\n';
    } else {
        store::ExchangeFilter f;
        f.voids = store::ExchangeFilter::Voids::all;
        store::for_each_exchange(s, f, [&](const Exchange& e) { out << e.number << '\n'; });
    }
    std::cout << out.str();
    return 0;
}

}  // namespace

std::vector<CommandSpec> command_specs() {
    std::vector<CommandSpec> out;
    struct Tool {
        int (*main)(int, char**);
        const char* prog;
    };
    const Tool tools[] = {{tb_main, "tb"},
                          {member_main, "tb-member"},
                          {exchange_main, "tb-exchange"},
                          {report_main, "tb-report"},
                          {match_main, "tb-match"}};
    std::vector<std::string> names;
    for (auto& t : tools)
        if (std::string(t.prog) != "tb") names.push_back(std::string(t.prog).substr(3));
    Inspector inspect = [&](const std::string& prog, CLI::App& app, const Registry& reg) {
        collect(prog, &app, reg, prog == "tb" ? names : std::vector<std::string>{}, out);
    };
    set_inspector(&inspect);
    try {
        for (auto& t : tools) {
            std::string prog = t.prog;
            char* argv[] = {prog.data(), nullptr};
            t.main(1, argv);
        }
    } catch (...) {
        set_inspector(nullptr);
        throw;
    }
    set_inspector(nullptr);
    return out;
}

int complete_main(int argc, char** argv) {
    // argv: tb __complete WHAT [--db FILE] [--config FILE]
    if (argc < 3) {
        std::cerr << "tb: error: __complete needs one of: spec, bash, zsh, members, categories, requests, exchanges\n";
        return 2;
    }
    std::string what = argv[2];
    try {
        if (what == "spec") {
            // One line per command, option and argument, tab-separated:
            //   command  KEY  formats(comma-separated, "-" for a group)
            //   option   KEY  NAMES(comma-separated)  value|flag  KIND
            //   argument KEY  NAME  one|many  KIND
            for (auto& c : command_specs()) {
                auto key = key_of(c);
                std::cout << "command\t" << key << '\t' << (c.runs ? text::join(c.formats, ",") : "-") << '\t'
                          << text::join(c.subcommands, ",") << '\n';
                for (auto& o : c.options)
                    std::cout << "option\t" << key << '\t' << text::join(o.names, ",") << '\t'
                              << (o.takes_value ? "value" : "flag") << '\t' << o.kind << '\n';
                for (auto& p : c.positionals)
                    std::cout << "argument\t" << key << '\t' << p.names.front() << '\t' << (p.repeats ? "many" : "one")
                              << '\t' << p.kind << '\n';
            }
            return 0;
        }
        if (what == "bash" || what == "zsh") {
            auto specs = command_specs();
            if (what == "bash") {
                std::cout << "# bash completion for tb, tb-member, tb-exchange, tb-report and tb-match.\n"
                             "# Generated by `tb __complete bash` from the tools' own command trees: do not edit.\n"
                             "# Values of members, categories, requests and exchanges come from the store\n"
                             "# (`tb __complete members`, read-only). See tb(1), COMPLETION.\n";
                emit_data(std::cout, specs, false);
                std::cout << kSharedLogic << kBashLogic;
            } else {
                std::cout << "#compdef tb tb-member tb-exchange tb-report tb-match\n"
                             "# zsh completion for the tb tools. Generated by `tb __complete zsh` from the\n"
                             "# tools' own command trees: do not edit. See tb(1), COMPLETION.\n";
                emit_data(std::cout, specs, true);
                std::cout << kSharedLogic << kZshLogic;
            }
            return 0;
        }
        return live_values(what, argc - 3, argv + 3);
    } catch (...) {
        // Completion fails quietly: no store, no config, nothing to offer.
        return 1;
    }
}

}  // namespace tb::cli
