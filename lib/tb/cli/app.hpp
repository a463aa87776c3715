#pragma once
// The CLI layer shared by every executable: common options, the context a
// command runs in, output, and the single place errors become exit codes.
// Commands parse and print; the library decides.
#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/io/output.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace tb::cli {

// The output formats a command accepts, declared once where the command is
// registered (Registry::on): the --format check, the -o extension check and
// the generated shell completion all read this one declaration.
struct Formats {
    std::vector<io::Format> allowed;  // empty: the command prints no data
    io::Format fallback = io::Format::table;
};
namespace formats {
// A command that prints no data (or only the key it created).
inline const Formats none{};
// table (default), csv, tsv, json, jsonl.
inline const Formats data{{io::Format::table, io::Format::csv, io::Format::tsv, io::Format::json, io::Format::jsonl}};
// What an export writes for import to read back: csv (default), tsv, json, jsonl.
inline const Formats exports{{io::Format::csv, io::Format::tsv, io::Format::json, io::Format::jsonl}, io::Format::csv};
// The data formats and `extra`, e.g. with({markdown, html}).
inline Formats with(std::initializer_list<io::Format> extra, io::Format fallback = io::Format::table) {
    Formats f = data;
    f.allowed.insert(f.allowed.end(), extra);
    f.fallback = fallback;
    return f;
}
}  // namespace formats

struct CommonOptions {
    std::optional<std::string> config, db, today, format, output, recorded_by;
    bool no_header = false;
    bool quiet = false;
    int verbose = 0;
};

class Context {
public:
    Context(std::string prog, CommonOptions opts);
    // A store this command created is removed again if the command fails
    // (and nothing else wrote to it meanwhile): a failed command leaves
    // nothing behind, not even an empty store.
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    // The command finished: keep what it created, and remember the config
    // file in a store it wrote to.
    void succeeded();

    const Config& config() const { return config_; }
    const std::string& db_path() const { return db_path_; }
    Date today() const { return today_; }
    const std::string& user() const { return user_; }
    const CommonOptions& options() const { return opts_; }
    const std::string& prog() const { return prog_; }

    // No command but tb init creates a store: each of these is exit 1 with
    // "no store at PATH (create one with: tb init, or name one with --db)"
    // where there is none, and creates nothing.
    store::Store& read_store();
    store::Store& write_store();
    store::Store& existing_store();  // the same as write_store
    // tb init only: creates the store.
    store::Store& create_store();

    // The formats the command declared where it was registered.
    void declare_formats(Formats f) { formats_ = std::move(f); }
    const Formats& declared_formats() const { return formats_; }
    // The output format: --format, else the -o extension, else the declared
    // fallback; one the command did not declare is a usage error.
    io::Format format() const;
    io::RenderOptions render_options() const;
    // Where data goes: stdout, or the -o file written atomically on commit.
    std::ostream& out();
    // Opens the -o file before the command runs: a file that cannot be
    // written fails before anything is written to the store, and a command
    // that prints nothing still replaces the file (with an empty one).
    void open_output();
    void commit_output();

    void notice(const std::string& msg) const;   // unless --quiet
    void warn(const std::string& msg) const;     // always
    void verbose(const std::string& msg) const;  // only with -v

    // The config file in use as an absolute path; empty for the defaults.
    std::string config_identity() const;

private:
    // Remembers the config file in the store (writing), or warns that none
    // was found for a store that was set up with one.
    void remember_config(bool writing);
    std::string prog_;
    CommonOptions opts_;
    Config config_;
    std::string db_path_;
    Date today_;
    std::string user_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<class OutputFile> file_;
    Formats formats_;
    bool succeeded_ = false;
    bool writing_ = false;
};

using Action = std::function<void(Context&)>;

// A leaf command: what it does and the output formats it accepts.
struct Command {
    Action action;
    Formats formats;
};

// Builds subcommands: `on(sub, formats, action)` registers what a leaf
// command does and which --format values it takes (formats::none when it
// prints no data). There is no form without the formats: a command cannot
// be registered without declaring them.
class Registry {
public:
    void on(CLI::App* sub, Formats f, Action a) { commands_[sub] = Command{std::move(a), std::move(f)}; }
    const Command* find(const CLI::App* sub) const {
        auto it = commands_.find(sub);
        return it == commands_.end() ? nullptr : &it->second;
    }

private:
    std::map<const CLI::App*, Command> commands_;
};

using BuildFn = std::function<void(CLI::App&, Registry&)>;

// Runs a tool: builds the app with `build`, parses, runs the chosen command,
// and maps every error to its exit status with one message on stderr.
// `TOOL help [COMMAND...]` prints the help of that command, as --help does;
// an unknown command or option suggests the nearest one.
int run_tool(const std::string& prog, const std::string& description, int argc, char** argv, const BuildFn& build);

// Every tool's command tree, for `tb __complete`: while an inspector is set,
// run_tool builds the tool's app, hands it to the inspector and returns 0
// without parsing or running anything.
using Inspector = std::function<void(const std::string& prog, CLI::App& app, const Registry& reg)>;
void set_inspector(const Inspector* inspector);

// The command path below `app` a leaf sits at ("skill add"), and its leaves.
std::string command_path(const CLI::App* leaf);
std::vector<CLI::App*> leaf_commands(CLI::App& app);

// Common value parsers for options.
Minutes parse_hours_option(const std::string& text, bool allow_negative = false);

}  // namespace tb::cli
