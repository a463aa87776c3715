// `tb`: the store as a whole, and `tb TOOL ARGS` dispatch.
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "tb/cli/app.hpp"
#include "tb/cli/complete.hpp"
#include "tb/cli/tools.hpp"
#include "tb/core/store_service.hpp"
#include "tb/store/check.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace fs = std::filesystem;

namespace tb::cli {
namespace {

const char* kOwnCommands[] = {"init", "check", "backup", "config", "hub", "help"};
const char* kTools[] = {"member", "exchange", "report", "match"};

bool own_command(const std::string& word) {
    for (auto* c : kOwnCommands)
        if (word == c) return true;
    return false;
}

// `tb member ...` runs tb-member from beside tb, else from PATH, like git,
// with `rest` as its arguments.
int dispatch(const std::string& tool, std::vector<std::string> rest) {
    std::string name = "tb-" + tool;
    std::vector<char*> args;
    args.push_back(name.data());
    for (auto& r : rest) args.push_back(r.data());
    args.push_back(nullptr);
    char self[PATH_MAX];
    auto n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        auto beside = fs::path(self).parent_path() / name;
        if (::access(beside.c_str(), X_OK) == 0) ::execv(beside.c_str(), args.data());
    }
    ::execvp(name.c_str(), args.data());
    std::vector<std::string> known(std::begin(kTools), std::end(kTools));
    known.insert(known.end(), std::begin(kOwnCommands), std::end(kOwnCommands));
    auto near = text::nearest(tool, known);
    std::cerr << "tb: error: '" << text::printable_message(tool) << "' is not a tb command (no "
              << text::printable_message(name) << " beside tb or on PATH)"
              << (near.empty() ? std::string() : "; did you mean '" + near + "'?") << '\n';
    return static_cast<int>(ExitCode::usage);
}

void init_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("init", "Create the store (exit 1 if one exists there)");
    auto name = std::make_shared<std::string>();
    auto config_out = std::make_shared<std::string>();
    sub->add_option("--name", *name, "The timebank's name, kept in the store");
    sub->add_option("--config-out", *config_out, "Also write a commented starter timebank.toml here");
    reg.on(sub, formats::none, [name, config_out](Context& ctx) {
        NewStore n;
        n.path = ctx.db_path();
        n.name = name->empty() ? ctx.config().name : *name;
        n.who = ctx.user();
        n.busy_timeout_ms = ctx.config().busy_timeout_ms;
        n.config_identity = ctx.config_identity();
        n.starter_out = *config_out;
        n.taxonomy = ctx.config().categories;
        init_store(n);
        ctx.out() << ctx.db_path() << '\n';
    });
}

std::string read_head_file(const std::string& path) {
    std::ostringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
        return text.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SystemError(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    text << in.rdbuf();
    return text.str();
}

void check_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("check", "Check the store: integrity, hash chains, voids, balances, monthly totals");
    auto rebuild = std::make_shared<bool>(false);
    auto head = std::make_shared<bool>(false);
    auto expect = std::make_shared<std::string>();
    auto quick = std::make_shared<bool>(false);
    sub->add_flag("--quick", *quick,
                  "Only what can be checked in time that does not grow with the ledger: the newest entry of each "
                  "hash chain and its stored head, balances summing to zero, monthly totals up to date");
    sub->add_flag("--rebuild-totals", *rebuild,
                  "First compute the monthly totals again from the ledger (they are derived data), then check");
    sub->add_flag("--head", *head,
                  "After a clean check, print the head of each hash chain: CHAIN NUMBER SHA256 (exchanges, "
                  "openings, audit)");
    sub->add_option("--expect-head", *expect,
                    "Also fail unless the history whose heads FILE holds (printed earlier by --head or a weekly "
                    "report; - for stdin) is still a prefix of the store's")
        ->type_name("FILE");
    reg.on(sub, formats::none, [rebuild, head, expect, quick](Context& ctx) {
        std::vector<store::ChainHead> expected;
        if (!expect->empty()) {
            auto text = read_head_file(*expect);
            expected = store::parse_heads(text);
            if (expected.empty())
                throw UsageError(fmt::format("{}: no chain head in it (lines such as 'exchanges 12 SHA256', as "
                                             "tb check --head prints)",
                                             *expect));
        }
        if (*rebuild) {
            rebuild_totals(ctx.existing_store(), ctx.user());
            ctx.verbose("monthly totals computed again from the ledger");
        }
        auto& s = *rebuild ? ctx.existing_store() : ctx.read_store();
        auto problems = store::read_consistently(s, [&] {
            auto found = *quick ? store::check_store_quick(s) : store::check_store(s);
            auto lost = store::check_expected_heads(s, expected);
            found.insert(found.end(), lost.begin(), lost.end());
            return std::make_pair(found, store::chain_heads(s));
        });
        for (auto& p : problems.first) ctx.out() << p << '\n';
        if (!problems.first.empty()) {
            ctx.commit_output();
            throw SystemError(fmt::format("{} problem{} found in {}", problems.first.size(),
                                          problems.first.size() == 1 ? "" : "s", ctx.db_path()));
        }
        if (*head)
            for (auto& h : problems.second) ctx.out() << store::format_head(h) << '\n';
    });
}

void backup_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("backup", "A consistent copy of the store (mode 0600), even while others write");
    auto dest = std::make_shared<std::string>();
    sub->add_option("FILE", *dest, "Where to write the copy")->required();
    reg.on(sub, formats::none, [dest](Context& ctx) {
        auto& s = ctx.read_store();
        backup_store(s, *dest);
        ctx.verbose(fmt::format("backed up {} to {}", ctx.db_path(), *dest));
    });
}

void config_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("config", "Print the effective configuration and where each value came from");
    using io::Format;
    Formats formats{{Format::text, Format::table, Format::csv, Format::tsv, Format::json, Format::jsonl}, Format::text};
    reg.on(sub, formats, [](Context& ctx) {
        using io::Format;
        auto fmt = ctx.format();
        // The store in use may come from --db or TIMEBANK_DB, not the file.
        Config effective = ctx.config();
        if (ctx.db_path() != effective.store_path) {
            effective.store_path = ctx.db_path();
            effective.origin["store.path"] =
                ctx.options().db ? ValueOrigin{ValueOrigin::Source::option, {}, 0, "--db"}
                                 : ValueOrigin{ValueOrigin::Source::environment, {}, 0, "TIMEBANK_DB"};
        }
        if (fmt == Format::text) {
            ctx.out() << config_to_toml(effective);
            return;
        }
        // json: each value typed, its origin in fields of its own; csv, tsv
        // and the table: the value as text (a TOML string loses its quotes).
        bool json = fmt == Format::json || fmt == Format::jsonl;
        auto plain = [](const std::string& v) {
            if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front())
                return v.substr(1, v.size() - 2);
            return v;
        };
        io::Table t;
        t.columns = {"key", "value", "source"};
        if (json) t.columns.insert(t.columns.end(), {"file", "line", "name"});
        for (auto& e : config_entries(effective)) {
            if (!json) {
                t.add({e.key, plain(e.toml), e.origin.text()});
                continue;
            }
            using Src = ValueOrigin::Source;
            auto& o = e.origin;
            bool in_file = o.source == Src::file;
            bool named = o.source == Src::option || o.source == Src::environment;
            t.add({e.key, io::Structured{plain(e.toml), e.value}, std::string(o.source_name()),
                   in_file ? io::Cell{o.file} : io::Cell{},
                   in_file ? io::Cell{static_cast<std::int64_t>(o.line)} : io::Cell{},
                   named ? io::Cell{o.name} : io::Cell{}});
        }
        io::render_table(t, io::RenderOptions{fmt, !ctx.options().no_header}, ctx.out());
    });
}

}  // namespace

void hub_parser(CLI::App& app, Registry& reg);

int tb_main(int argc, char** argv) {
    if (argc >= 2 && std::string(argv[1]) == "__complete") return complete_main(argc, argv);
    // `tb help TOOL [COMMAND...]` is `tb-TOOL help [COMMAND...]`.
    if (argc >= 3 && std::string(argv[1]) == "help" && argv[2][0] != '-' && !own_command(argv[2]))
        return dispatch(argv[2], [&] {
            std::vector<std::string> rest{"help"};
            for (int i = 3; i < argc; ++i) rest.push_back(argv[i]);
            return rest;
        }());
    if (argc >= 2 && argv[1][0] != '-' && !own_command(argv[1]))
        return dispatch(argv[1], std::vector<std::string>(argv + 2, argv + argc));
    return run_tool("tb", "tb: the timebank toolkit. `tb TOOL ARGS` runs tb-TOOL (member, exchange, report, match).",
                    argc, argv, [](CLI::App& app, Registry& reg) {
                        init_parser(app, reg);
                        check_parser(app, reg);
                        backup_parser(app, reg);
                        config_parser(app, reg);
                        hub_parser(app, reg);
                        app.footer("Tools: tb member, tb exchange, tb report, tb match (see man tb).\n"
                                   "Help: tb help [TOOL [COMMAND]], or --help after any command.");
                    });
}

}  // namespace tb::cli
