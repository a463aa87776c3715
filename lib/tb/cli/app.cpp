#include "tb/cli/app.hpp"

#include <SQLiteCpp/Exception.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "tb/core/store_service.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {

class OutputFile : public AtomicFile {
public:
    using AtomicFile::AtomicFile;
};

Context::Context(std::string prog, CommonOptions opts) : prog_(std::move(prog)), opts_(std::move(opts)) {
    std::optional<std::string> db = opts_.db;
    if (!db)
        if (const char* env = std::getenv("TIMEBANK_DB"); env && *env) db = env;
    config_ = load_config(discover_config(opts_.config, db));
    db_path_ = db ? *db : config_.store_path;
    today_ = resolve_today(opts_.today);
    if (opts_.recorded_by && !opts_.recorded_by->empty()) user_ = *opts_.recorded_by;
    else if (const char* u = std::getenv("TB_USER"); u && *u) user_ = u;
    else if (const char* u2 = std::getenv("USER"); u2 && *u2) user_ = u2;
    else user_ = "unknown";
}

Context::~Context() {
    if (succeeded_ || !store_ || !store_->created()) return;
    try {
        discard_blank_store(store_, db_path_);
    } catch (...) {
        // Leaving an empty store behind is harmless; failing here is not.
    }
}

store::Store& Context::read_store() {
    if (!store_) {
        store_ = std::make_unique<store::Store>(db_path_, store::OpenMode::read_only, config_.busy_timeout_ms);
        remember_config(false);
    }
    return *store_;
}

store::Store& Context::write_store() {
    if (!store_) {
        // Only tb init creates a store: a mistyped --db or the wrong
        // directory is an error, never a new empty bank.
        store_ = std::make_unique<store::Store>(db_path_, store::OpenMode::existing_write, config_.busy_timeout_ms);
        writing_ = true;
        remember_config(false);
    }
    return *store_;
}

store::Store& Context::existing_store() { return write_store(); }

store::Store& Context::create_store() {
    if (!store_) {
        store_ = std::make_unique<store::Store>(db_path_, store::OpenMode::read_write, config_.busy_timeout_ms);
        writing_ = true;
    }
    return *store_;
}

std::string Context::config_identity() const {
    if (config_.file.empty()) return {};
    std::error_code ec;
    auto abs = std::filesystem::absolute(config_.file, ec);
    return ec ? config_.file : abs.lexically_normal().string();
}

void Context::remember_config(bool writing) {
    // A store set up with a config file remembers it (meta config_file); a
    // command that finds none runs on the built-in defaults, and says so: a
    // cron job must never report against the wrong limits silently.
    // Written once the command succeeded (a refused command writes nothing).
    auto mine = config_identity();
    if (writing) {
        remember_config_file(*store_, mine);
        return;
    }
    auto remembered = remembered_config_file(*store_);
    if (mine.empty() && !remembered.empty())
        warn(fmt::format("no timebank.toml found: running on built-in defaults, but this store was set up with "
                         "{} (name it with --config or TIMEBANK_CONFIG, or run from its directory)",
                         remembered));
}

void Context::succeeded() {
    succeeded_ = true;
    if (store_ && writing_) {
        try {
            remember_config(true);
        } catch (...) {
            // Remembering is a courtesy to later commands; the work is done.
        }
    }
}

io::Format Context::format() const {
    const auto& allowed = formats_.allowed;
    const auto fallback = formats_.fallback;
    // A command registered with formats::none never asks; one that does has
    // a wrong declaration, and no user could guess what it accepts.
    if (allowed.empty()) throw std::logic_error("internal error: this command declared no output formats");
    if (opts_.format) return io::parse_format(*opts_.format, allowed);
    if (opts_.output) {
        if (auto f = io::format_from_extension(*opts_.output)) {
            for (auto a : allowed)
                if (a == *f) return *f;
            // A .txt file of a command without a text form gets the table.
            if (*f == io::Format::text) return fallback;
            throw UsageError(fmt::format("this command cannot write {} files; use --format",
                                         io::format_name(*f)));
        }
        // Spreadsheets are read, never written: csv in a file named .xlsx
        // would not open, and would not import back.
        auto ext = io::extension_of(*opts_.output);
        if (ext == "xlsx" || ext == "xls" || ext == "ods")
            throw UsageError(fmt::format("cannot write .{} files: tb reads spreadsheets but writes csv; use -o "
                                         "FILE.csv (spreadsheets open it)",
                                         ext));
    }
    return fallback;
}

io::RenderOptions Context::render_options() const {
    return io::RenderOptions{format(), !opts_.no_header};
}

std::ostream& Context::out() {
    if (!opts_.output || *opts_.output == "-") return std::cout;
    if (!file_) {
        // Replacing the store with a report would lose the bank.
        if (store::is_store_file(*opts_.output, db_path_))
            throw UsageError(fmt::format("-o {}: that is the store {} (or its -wal/-shm file); refusing to "
                                         "overwrite it",
                                         *opts_.output, db_path_));
        file_ = std::make_unique<OutputFile>(*opts_.output, 0600);
    }
    return file_->stream();
}

void Context::open_output() { out(); }

void Context::commit_output() {
    if (file_) file_->commit();
    else std::cout.flush();
}

void Context::notice(const std::string& msg) const {
    if (!opts_.quiet) std::cerr << prog_ << ": " << text::printable_message(msg) << '\n';
}
void Context::warn(const std::string& msg) const {
    std::cerr << prog_ << ": warning: " << text::printable_message(msg) << '\n';
}
void Context::verbose(const std::string& msg) const {
    if (opts_.verbose > 0 && !opts_.quiet) std::cerr << prog_ << ": " << text::printable_message(msg) << '\n';
}

Minutes parse_hours_option(const std::string& text, bool allow_negative) {
    return parse_duration(text, allow_negative);
}

namespace {

void add_common_options(CLI::App& app, CommonOptions& o) {
    app.option_defaults()->always_capture_default(false);
    auto* g = "Common options";
    app.add_option("--config", o.config,
                   "Configuration file (env TIMEBANK_CONFIG; default: timebank.toml here or in the nearest parent "
                   "directory, else beside the --db store, else ~/.config/timebank/timebank.toml)")
        ->group(g);
    app.add_option("--db", o.db,
                   "The store (env TIMEBANK_DB; default: [store] path, else timebank.db beside the config file, else "
                   "./timebank.db); only tb init creates one")
        ->group(g);
    app.add_option("--today", o.today, "The date taken as today, YYYY-MM-DD (env TB_TODAY)")->group(g);
    app.add_option("--format", o.format, "Output format: table, csv, tsv, json, jsonl (reports: text, markdown, html)")->group(g);
    app.add_option("-o,--output", o.output, "Write the output to FILE atomically; format from the extension")->group(g);
    app.add_flag("--no-header", o.no_header, "Drop the header row of csv/tsv output")->group(g);
    app.add_option("--recorded-by", o.recorded_by, "Who is doing this, for the audit log (env TB_USER, else $USER)")->group(g);
    app.add_flag("-q,--quiet", o.quiet, "Silence notices")->group(g);
    app.add_flag("-v,--verbose", o.verbose, "More notices")->group(g);
}

// SPEC: an empty value where an option expects one (--date "", --as-of "")
// is a usage error, never "today" or "none". One check, put on every named
// option that takes a value, of every command.
void refuse_empty_values(CLI::App& app) {
    for (CLI::Option* opt : app.get_options()) {
        if (opt->get_positional() || opt->get_type_size_max() <= 0) continue;  // flags take none
        opt->check(CLI::Validator(
            [](std::string& v) -> std::string {
                if (!v.empty()) return {};
                return "an empty value (give one, or leave the option out)";
            },
            "", "NONEMPTY"));
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) refuse_empty_values(*sub);
}

CLI::App* chosen_leaf(CLI::App& app) {
    CLI::App* cur = &app;
    while (true) {
        auto subs = cur->get_subcommands();
        if (subs.empty()) return cur;
        cur = subs.front();
    }
}

const Inspector* g_inspector = nullptr;

// The commands one may name below `app` (hidden ones left out), and `help`.
std::vector<std::string> command_names(const CLI::App* app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app->get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
        names.push_back(sub->get_name());
    if (!names.empty() && app->get_parent() == nullptr) names.push_back("help");
    return names;
}

// "tb-member skill" for the app of `tb-member skill`.
std::string full_name(const CLI::App* app) {
    std::string name = app->get_name();
    for (const CLI::App* p = app->get_parent(); p; p = p->get_parent()) name = p->get_name() + " " + name;
    return name;
}

std::string not_a_command(const CLI::App* app, const std::string& word) {
    auto msg = fmt::format("'{}' is not a {} command", word, full_name(app));
    auto near = text::nearest(word, command_names(app));
    return near.empty() ? msg + fmt::format(" (see {} --help)", full_name(app))
                        : msg + fmt::format("; did you mean '{}'?", near);
}

// A clearer message for a word or option CLI11 did not expect: the nearest
// command or option, when there is one (`did you mean 'list'?`). Empty when
// CLI11's own message says it better.
std::string explain_unexpected(CLI::App& app, int argc, char** argv) {
    CLI::App* cur = chosen_leaf(app);
    std::vector<std::string> left;
    for (CLI::App* a = cur; a; a = a->get_parent())
        for (auto& w : a->remaining(false)) left.push_back(w);
    // The first word not understood, in the order it was typed.
    std::string first;
    for (int i = 1; i < argc && first.empty(); ++i)
        if (std::find(left.begin(), left.end(), argv[i]) != left.end()) first = argv[i];
    if (first.empty()) return {};
    const std::string& w = first;
    bool option = w.size() >= 2 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9') && w[1] != '.';
    if (option) {
        auto name = w.substr(0, w.find('='));
        std::vector<std::string> options;
        for (const CLI::App* a = cur; a; a = a->get_parent())
            for (const CLI::Option* o : a->get_options()) {
                if (o->get_positional()) continue;
                for (auto& l : o->get_lnames()) options.push_back("--" + l);
                for (auto& sn : o->get_snames()) options.push_back("-" + sn);
            }
        auto near = text::nearest(name, options);
        return near.empty() ? fmt::format("unknown option '{}' (see {} --help)", name, full_name(cur))
                            : fmt::format("unknown option '{}'; did you mean '{}'?", name, near);
    }
    if (!command_names(cur).empty()) return not_a_command(cur, first);
    return {};
}

// `TOOL help [COMMAND...]`: the help of that command, exactly as --help
// prints it; an unknown command is a usage error naming the nearest one.
int print_help(const std::string& prog, CLI::App& app, const std::vector<std::string>& words) {
    CLI::App* cur = &app;
    std::string prefix;
    for (auto& w : words) {
        CLI::App* next = nullptr;
        for (CLI::App* sub : cur->get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
            if (sub->get_name() == w) next = sub;
        if (!next) {
            std::cerr << prog << ": error: " << text::printable_message(not_a_command(cur, w)) << '\n';
            return static_cast<int>(ExitCode::usage);
        }
        prefix = prefix.empty() ? cur->get_name() : prefix + " " + cur->get_name();
        cur = next;
    }
    std::cout << cur->help(prefix);
    return 0;
}

}  // namespace

void set_inspector(const Inspector* inspector) { g_inspector = inspector; }

std::string command_path(const CLI::App* leaf) {
    std::string path;
    for (const CLI::App* a = leaf; a && a->get_parent(); a = a->get_parent())
        path = path.empty() ? a->get_name() : a->get_name() + " " + path;
    return path;
}

std::vector<CLI::App*> leaf_commands(CLI::App& app) {
    std::vector<CLI::App*> out;
    for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (sub->get_subcommands([](const CLI::App*) { return true; }).empty()) out.push_back(sub);
        else
            for (CLI::App* l : leaf_commands(*sub)) out.push_back(l);
    }
    return out;
}

int run_tool(const std::string& prog, const std::string& description, int argc, char** argv, const BuildFn& build) {
    CLI::App app{description, prog};
    CommonOptions opts;
    Registry reg;
    try {
        app.set_version_flag("--version", std::string(prog) + " " + TB_VERSION);
        app.fallthrough();
        app.require_subcommand(0, 1);
        add_common_options(app, opts);
        build(app, reg);
        refuse_empty_values(app);
        // Every tool says how to get a command's help.
        if (app.get_footer().find(" help ") == std::string::npos) {
            auto hint = fmt::format("Help: {} help [COMMAND], or --help after any command.", prog);
            app.footer(app.get_footer().empty() ? hint : app.get_footer() + "\n" + hint);
        }
        if (g_inspector) {
            (*g_inspector)(prog, app, reg);
            return 0;
        }
        if (argc >= 2 && std::string(argv[1]) == "help") {
            std::vector<std::string> words;
            for (int i = 2; i < argc && argv[i][0] != '-'; ++i) words.push_back(argv[i]);
            return print_help(prog, app, words);
        }
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForAllHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForVersion& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            std::string msg;
            if (dynamic_cast<const CLI::ExtrasError*>(&e) || dynamic_cast<const CLI::RequiredError*>(&e))
                msg = explain_unexpected(app, argc, argv);
            std::cerr << prog << ": error: " << text::printable_message(msg.empty() ? e.what() : msg) << "\n"
                      << "Run with --help for more information.\n";
            return static_cast<int>(ExitCode::usage);
        }
        CLI::App* leaf = chosen_leaf(app);
        const Command* command = reg.find(leaf);
        if (!command) {
            std::cerr << (leaf == &app ? app.help() : leaf->help());
            return static_cast<int>(ExitCode::usage);
        }
        Context ctx(prog, opts);
        ctx.declare_formats(command->formats);
        // The declared formats are checked before anything runs, whichever
        // way the command goes (tb-member block A B prints nothing, block
        // list prints a table: --format html is refused for both).
        if (!command->formats.allowed.empty()) (void)ctx.format();
        ctx.open_output();
        command->action(ctx);
        ctx.commit_output();
        ctx.succeeded();
        return 0;
    } catch (const Error& e) {
        // One place for every message: controls escaped, values cut to 60 characters.
        std::cerr << prog << ": " << e.label() << ": " << text::printable_message(e.what()) << '\n';
        return static_cast<int>(e.code());
    } catch (const SQLite::Exception& e) {
        std::cerr << prog << ": error: store: " << text::printable_message(e.what()) << '\n';
        return static_cast<int>(ExitCode::failure);
    } catch (const std::exception& e) {
        std::cerr << prog << ": error: " << text::printable_message(e.what()) << '\n';
        return static_cast<int>(ExitCode::failure);
    }
}

}  // namespace tb::cli
