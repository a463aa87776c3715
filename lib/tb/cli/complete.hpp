#pragma once
// Shell completion, generated from the command trees themselves: every
// tool's commands, options and their values (--format as each command
// declared it), and live values (members, categories, open requests,
// exchanges) read from the store. `tb __complete` is the entry point.
#include <string>
#include <vector>

namespace tb::cli {

// What completes an option's value or a positional argument: "" nothing,
// "file", "member", "category", "request", "exchange", or "words:a b c".
struct ArgSpec {
    std::vector<std::string> names;  // "--kind", "-o"; a positional's NAME
    bool takes_value = false;        // options: false for a flag
    bool repeats = false;            // positionals: takes several
    std::string kind;
};

// One command (or the tool itself, path ""): what may follow it.
struct CommandSpec {
    std::string prog, path;
    std::vector<std::string> subcommands;  // "help" too, at the top
    std::vector<ArgSpec> options, positionals;
    bool runs = false;                     // a leaf with an action
    std::vector<std::string> formats;      // the --format values it takes
};

// The command trees of tb (and tb hub), tb-member, tb-exchange, tb-report and
// tb-match, built exactly as the tools build them.
std::vector<CommandSpec> command_specs();

// `tb __complete WHAT [--db FILE] [--config FILE]`: spec, bash, zsh, or the
// live values members, categories, requests, exchanges (nothing, exit 1,
// when there is no store). Never writes.
int complete_main(int argc, char** argv);

}  // namespace tb::cli
