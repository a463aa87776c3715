// import and export of tb-member and tb-exchange.
#include <fmt/format.h>
#include <iostream>
#include <string_view>

#include "tb/cli/app.hpp"
#include "tb/core/import.hpp"
#include "tb/io/records.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

struct ImportFlags {
    std::string file, mapping, sheet, preset, history;
    bool dry_run = false, update = false;
};

void declare_import(CLI::App* sub, ImportFlags& f, bool with_update) {
    sub->add_option("FILE", f.file, ".csv, .tsv, .txt, .xlsx or .ods; - reads CSV from stdin")->required();
    sub->add_flag("--dry-run", f.dry_run, "Check every row and say what would happen; write nothing");
    if (with_update) sub->add_flag("--update", f.update, "Change existing members whose row differs");
    sub->add_option("--mapping", f.mapping, "A mapping file (TOML) of header names, date format and constants");
    sub->add_option("--sheet", f.sheet, "The sheet of an .xlsx or .ods file (default: the first)");
    sub->add_option("--preset", f.preset,
                    "A mapping shipped with tb (share/presets/NAME.toml), e.g. timeoverflow; --mapping adds to it");
    if (!with_update)
        sub->add_option("--history", f.history,
                        "A file exported by tb (with recorded_at) is history: rules not applied again, REASON "
                        "stored with each row")
            ->type_name("REASON");
}

ImportOptions import_options(Context& ctx, const ImportFlags& f, const ImportMapping& base, const char* section) {
    ImportOptions o;
    o.file = f.file;
    o.sheet = f.sheet;
    o.mapping = base;
    if (!f.preset.empty()) o.mapping.merge(load_preset(f.preset, section));
    if (!f.mapping.empty()) o.mapping.merge(load_mapping_file(f.mapping));
    if (!f.history.empty() && text::trim(f.history).empty())
        throw UsageError("--history needs a reason (it is stored with each row)");
    o.history_reason = std::string(text::trim(f.history));
    o.verbose = ctx.options().verbose > 0 && !ctx.options().quiet;
    o.notice = [&ctx](const std::string& line) { ctx.out() << line << '\n'; };
    o.dry_run = f.dry_run;
    o.update = f.update;
    o.who = ctx.user();
    o.today = ctx.today();
    return o;
}

// Runs an import: problems go to stderr as they are found, the counts to
// stdout ("12 added, 3 updated, 40 unchanged").
template <typename F>
void run_import(Context& ctx, const ImportFlags& f, const ImportOptions& o, F&& importer) {
    auto& s = f.dry_run ? ctx.read_store() : ctx.write_store();
    auto counts = importer(s, ctx.config(), o, [](const std::string& line) { std::cerr << text::printable_message(line) << '\n'; });
    for (auto& w : counts.warnings) ctx.warn(w);
    ctx.out() << (f.dry_run ? "would be: " : "") << describe(counts) << '\n';
}

// `import` of members (with --update) or exchanges (with --history): `what`
// names them, and the section of presets and of [import] they read.
template <typename F>
void import_subcommand(CLI::App& app, Registry& reg, const char* what, ImportMapping Config::*base, F&& importer) {
    bool members = std::string_view(what) == "members";
    auto* imp = app.add_subcommand("import", fmt::format("Import {} from a spreadsheet, all or nothing", what));
    auto f = std::make_shared<ImportFlags>();
    declare_import(imp, *f, members);
    reg.on(imp, formats::none, [f, what, base, importer](Context& ctx) {
        run_import(ctx, *f, import_options(ctx, *f, ctx.config().*base, what), importer);
    });
}

}  // namespace

void member_import_export(CLI::App& app, Registry& reg) {
    import_subcommand(app, reg, "members", &Config::import_members, import_members);

    auto* exp = app.add_subcommand("export", "Export every member as import reads them (csv by default)");
    auto kind = std::make_shared<std::optional<std::string>>();
    exp->add_option("--kind", *kind, "Only members of one kind: person, organisation, pot or bank");
    reg.on(exp, formats::exports, [kind](Context& ctx) {
        using io::Format;
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        bool json = ro.json();
        io::RowWriter w(ctx.out(), ro, io::member_export_columns(json));
        store::MemberFilter all;
        all.include_inactive = all.include_forgotten = true;
        all.with_checks = true;
        if (*kind) all.kind = parse_member_kind(**kind);
        store::for_each_member(s, all, [&](const Member& m) { w.row(io::member_export_cells(m, ctx.today(), &ctx.config(), json)); });
        w.finish();
    });
}

void exchange_import_export(CLI::App& app, Registry& reg) {
    import_subcommand(app, reg, "exchanges", &Config::import_exchanges, import_exchanges);

    auto* exp = app.add_subcommand("export", "Export exchanges (voids included) as import reads them");
    auto period = std::make_shared<std::optional<std::string>>();
    exp->add_option("--period", *period, "Only this period (see tb-periods(7))");
    reg.on(exp, formats::exports, [period](Context& ctx) {
        using io::Format;
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        store::ExchangeFilter filter;
        filter.voids = store::ExchangeFilter::Voids::all;
        if (*period) {
            auto p = parse_period(**period, ctx.today(), ctx.config().week_starts);
            filter.since = p.from;
            filter.until = p.to;
        }
        io::RowWriter w(ctx.out(), ro, io::exchange_columns());
        store::for_each_exchange(s, filter, [&](const Exchange& e) { w.row(io::exchange_cells(e)); });
        w.finish();
    });
}

}  // namespace tb::cli
