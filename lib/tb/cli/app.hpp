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

#include "tb/core/config.hpp"
#include "tb/io/output.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace tb::cli {

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

    // The output format: --format, else the -o extension, else `fallback`.
    io::Format format(const std::vector<io::Format>& allowed, io::Format fallback = io::Format::table) const;
    io::RenderOptions render_options(const std::vector<io::Format>& allowed,
                                     io::Format fallback = io::Format::table) const;
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
    bool succeeded_ = false;
    bool writing_ = false;
};

using Action = std::function<void(Context&)>;

// Builds subcommands: `on(sub, action)` registers what a leaf command does.
class Registry {
public:
    void on(CLI::App* sub, Action a) { actions_[sub] = std::move(a); }
    const Action* find(CLI::App* sub) const {
        auto it = actions_.find(sub);
        return it == actions_.end() ? nullptr : &it->second;
    }

private:
    std::map<CLI::App*, Action> actions_;
};

// Runs a tool: builds the app with `build`, parses, runs the chosen command,
// and maps every error to its exit status with one message on stderr.
int run_tool(const std::string& prog, const std::string& description, int argc, char** argv,
             const std::function<void(CLI::App&, Registry&)>& build);

// Common value parsers for options.
Minutes parse_hours_option(const std::string& text, bool allow_negative = false);

}  // namespace tb::cli
