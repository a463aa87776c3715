// tb-exchange: the ledger.
#include <algorithm>
#include <fmt/format.h>

#include "tb/cli/app.hpp"
#include "tb/cli/options.hpp"
#include "tb/cli/tools.hpp"
#include "tb/core/ledger_service.hpp"
#include "tb/core/network_service.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/io/records.hpp"
#include "tb/report/statement.hpp"
#include "tb/report/tables.hpp"
#include "tb/store/ledger.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

using io::Format;

std::int64_t parse_number(const std::string& text, const char* what) {
    try {
        std::size_t pos = 0;
        auto n = std::stoll(text, &pos);
        if (pos == text.size() && n > 0) return n;
    } catch (const std::exception&) {
    }
    throw UsageError(fmt::format("'{}' is not {} number", text, what));
}

std::vector<std::string> member_list(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (auto& a : args)
        for (auto& p : text::split(a, ',')) {
            if (std::find(out.begin(), out.end(), p) != out.end())
                throw UsageError(fmt::format("member {} is named twice", p));
            out.push_back(p);
        }
    return out;
}

void record_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("record", "Record an exchange; prints its number (one per pair for a group)");
    struct Opts {
        std::vector<std::string> providers, recipients;
        std::string hours, date, category, note, ref, override_reason;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("--provider", o->providers, "Who gave the service and earns (A or A,B,C)")->required();
    sub->add_option("--recipient", o->recipients, "Who received it and pays (A or A,B,C for a class)")->required();
    sub->add_option("--hours", o->hours, "Time: 1.5, 0.5h, 1:30, 90m, 2h30m")->required();
    sub->add_option("--date", o->date, "When (default today)");
    sub->add_option("--category", o->category, "The category of service");
    sub->add_option("--note", o->note, "A note");
    sub->add_option("--ref", o->ref, "Your own unique reference");
    sub->add_option("--override", o->override_reason, "Record despite a balance or date limit or a blocked pair; the reason is kept");
    reg.on(sub, formats::none, [o](Context& ctx) {
        ExchangeDraft d;
        d.minutes = parse_duration(o->hours);
        d.date = date_or_today(o->date, ctx.today());
        d.category = o->category;  // resolved to the taxonomy by record_exchanges
        d.note = o->note;
        d.ref = std::string(text::trim(o->ref));
        d.override_reason = o->override_reason;
        auto result = record_exchanges(ctx.write_store(), ctx.config(), ctx.today(), member_list(o->providers),
                                       member_list(o->recipients), d, ctx.user());
        for (auto& e : result.exchanges) ctx.out() << e.number << '\n';
        for (auto& w : result.warnings) ctx.warn(w);
    });
}

void opening_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("opening", "An opening balance carried over from another system (may be negative)");
    struct Opts {
        std::string member, hours, date, note;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("--member", o->member, "ID, email or full name")->required();
    sub->add_option("--hours", o->hours, "Hours, may be negative: -3, -1:30")->required()->allow_extra_args(false);
    sub->add_option("--date", o->date, "As of (default today)");
    sub->add_option("--note", o->note, "A note");
    reg.on(sub, formats::none, [o](Context& ctx) {
        auto minutes = parse_duration(o->hours, true);
        auto date = date_or_today(o->date, ctx.today());
        auto op = record_opening(ctx.write_store(), o->member, minutes, date, ctx.today(), o->note, ctx.user());
        ctx.out() << op.number << '\n';
    });
}

void list_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("list", "List exchanges (voided ones and their voids are left out by default)");
    struct Opts {
        std::string member, category;
        bool voided = false, all = false;
        PeriodOptions period;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("--member", o->member, "Exchanges of one member (ID, email or full name)");
    sub->add_option("--category", o->category, "One category");
    o->period.declare(sub, "", "every date");
    auto* v = sub->add_flag("--voided", o->voided, "Only voided exchanges and their voids");
    sub->add_flag("--all", o->all, "Every exchange, voided and voids included")->excludes(v);
    reg.on(sub, formats::data, [o](Context& ctx) {
        store::ExchangeFilter f;
        std::tie(f.since, f.until) = o->period.bounds(ctx);
        auto& s = ctx.read_store();
        if (!o->member.empty()) f.member = require_member(s, o->member).id;
        if (!text::trim(o->category).empty()) {
            std::optional<std::string> warning;
            f.category = resolve_category_filter(ctx.config(), o->category, store::categories_in_use(s), warning);
            if (warning) ctx.warn(*warning);
        }
        f.voids = o->all ? store::ExchangeFilter::Voids::all
                  : o->voided ? store::ExchangeFilter::Voids::only
                              : store::ExchangeFilter::Voids::hide;
        auto ro = ctx.render_options();
        MemberNames names(s);
        if (ro.format == Format::table) {
            io::Table t;
            t.columns = {"number",         "date",  "provider", "provider_name", "recipient",
                         "recipient_name", "hours", "category", "note",          "reverses"};
            store::for_each_exchange(s, f, [&](const Exchange& e) {
                t.add({static_cast<std::int64_t>(e.number), to_string(e.date), e.provider, names.of(e.provider),
                       e.recipient, names.of(e.recipient), io::Hours{e.minutes}, e.category, e.note,
                       e.reverses ? io::Cell{static_cast<std::int64_t>(*e.reverses)} : io::Cell{}});
            });
            io::render_table(t, ro, ctx.out());
            return;
        }
        io::RowWriter w(ctx.out(), ro, io::exchange_list_columns());
        store::for_each_exchange(s, f, [&](const Exchange& e) {
            w.row(io::exchange_list_cells(e, names.of(e.provider), names.of(e.recipient)));
        });
        w.finish();
    });
}

void show_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("show", "Everything about one exchange");
    auto n = std::make_shared<std::string>();
    sub->add_option("N", *n, "The exchange number")->required();
    reg.on(sub, formats::data, [n](Context& ctx) {
        auto number = parse_number(*n, "an exchange");
        auto& s = ctx.read_store();
        auto e = store::find_exchange(s, number);
        if (!e) throw NotFound(fmt::format("no exchange {}", number));
        io::Table t;
        MemberNames names(s);
        t.columns = io::exchange_list_columns();
        auto cells = io::exchange_list_cells(*e, names.of(e->provider), names.of(e->recipient));
        t.columns.insert(t.columns.end(), {"override", "voided_by", "amends", "amended_by"});
        cells.push_back(e->override_reason.empty() ? io::Cell{} : io::Cell{e->override_reason});
        auto number_or_null = [](const std::optional<std::int64_t>& n) {
            return n ? io::Cell{static_cast<std::int64_t>(*n)} : io::Cell{};
        };
        cells.push_back(number_or_null(e->voided_by));
        cells.push_back(number_or_null(e->amends));
        cells.push_back(number_or_null(e->amended_by));
        t.add(cells);
        io::render_record(t, ctx.render_options(), ctx.out());
    });
}

void void_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("void", "Void an exchange by a reversing one; prints its number");
    auto n = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    sub->add_option("N", *n, "The exchange number")->required();
    sub->add_option("--reason", *reason, "Why")->required();
    reg.on(sub, formats::none, [n, reason](Context& ctx) {
        auto number = parse_number(*n, "an exchange");
        if (text::trim(*reason).empty()) throw UsageError("--reason must say why");
        auto v = void_exchange(ctx.write_store(), ctx.today(), number, *reason, ctx.user());
        ctx.out() << v.number << '\n';
    });
}

void amend_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "amend", "Correct an exchange: a void and the corrected exchange in one go; prints the new number");
    struct Opts {
        std::string n, reason, override_reason;
        std::optional<std::string> provider, recipient, hours, date, category, note;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("N", o->n, "The exchange number")->required();
    sub->add_option("--category", o->category, "The right category");
    sub->add_option("--hours", o->hours, "The right time: 1.5, 0.5h, 1:30, 90m, 2h30m");
    sub->add_option("--date", o->date, "The right date");
    sub->add_option("--provider", o->provider, "The right provider (ID, email or full name)");
    sub->add_option("--recipient", o->recipient, "The right recipient (ID, email or full name)");
    sub->add_option("--note", o->note, "The right note");
    sub->add_option("--reason", o->reason, "Why (kept as the void's note)")->required();
    sub->add_option("--override", o->override_reason,
                    "Record the correction despite a balance or date limit or a blocked pair; the reason is kept");
    reg.on(sub, formats::none, [o](Context& ctx) {
        auto number = parse_number(o->n, "an exchange");
        ExchangeAmendment a;
        a.provider = o->provider;
        a.recipient = o->recipient;
        if (o->hours) a.minutes = parse_duration(*o->hours);
        if (o->date) a.date = parse_date(*o->date, ctx.today());
        a.category = o->category;
        a.note = o->note;
        a.reason = o->reason;
        a.override_reason = o->override_reason;
        auto result = amend_exchange(ctx.write_store(), ctx.config(), ctx.today(), number, a, ctx.user());
        ctx.out() << result.corrected.number << '\n';
        for (auto& w : result.warnings) ctx.warn(w);
    });
}

void balance_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("balance", "Balances of members (every member when none is named)");
    auto keys = std::make_shared<std::vector<std::string>>();
    auto pot = std::make_shared<bool>(false);
    sub->add_option("MEMBER", *keys, "IDs, emails or full names");
    sub->add_flag("--pot", *pot, "The community pot's balance");
    reg.on(sub, formats::data, [keys, pot](Context& ctx) {
        auto& s = ctx.read_store();
        if (*pot) {
            if (!keys->empty()) throw UsageError("--pot cannot be combined with members");
            keys->push_back(require_pot(s).id);
        }
        std::vector<Member> members;
        // Every member with a balance, so that the column sums to the opening balances.
        store::MemberFilter all;
        all.include_inactive = all.include_forgotten = true;
        // The pot and clearing accounts hold hours too: listed when they hold any.
        all.include_accounts = true;
        if (keys->empty())
            store::for_each_member(s, all, [&](const Member& m) {
                if (!is_account(m.kind) || m.balance != 0) members.push_back(m);
            });
        for (auto& k : *keys) members.push_back(require_member(s, k));
        auto ro = ctx.render_options();
        // json gives every time in minutes as well as hours.
        bool json = ro.format == Format::json || ro.format == Format::jsonl;
        io::Table t;
        t.columns = {"id", "name", "balance", "minutes", "opening"};
        if (json) t.columns.push_back("opening_minutes");
        for (auto& m : members) {
            t.add({m.id, m.name, io::Hours{m.balance}, static_cast<std::int64_t>(m.balance), io::Hours{m.opening}});
            if (json) t.rows.back().push_back(static_cast<std::int64_t>(m.opening));
        }
        io::render_table(t, ro, ctx.out());
    });
}

void statement_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("statement", "Every exchange of one member with a running balance "
                                                "(--format html: a printable page)");
    struct Opts {
        std::string member;
        PeriodOptions period;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("MEMBER", o->member, "ID, email or full name")->required();
    o->period.declare(sub, "", "every date");
    reg.on(sub, formats::with({Format::html}), [o](Context& ctx) {
        auto [since, until] = o->period.bounds(ctx);
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        auto m = require_member(s, o->member);
        // html reads the lines twice (its closing balance first), and the
        // brought-forward balance is read apart from them: all see one state
        // of the store.
        store::ReadTransaction snapshot(s);
        auto head = report::statement_head(s, m.id, since, until);
        if (ro.format == Format::html) {
            report::statement_html(s, head, report::bank_name(s, ctx.config()), ctx.today(), ctx.out());
            return;
        }
        bool json = ro.format == Format::json || ro.format == Format::jsonl;
        // The balance stays the last column (scripts take it from the end);
        // json gives every time in minutes as well as hours, the running balance too.
        std::vector<std::string> columns = {"date",     "number", "type",   "provider",   "provider_name",
                                            "recipient", "recipient_name", "category", "note", "amends",
                                            "amended_by", "hours",  "minutes", "balance"};
        // json also gives the exchange a void reverses ("void of 4" for people).
        if (json) columns.insert(columns.end(), {"balance_minutes", "reverses"});
        // One row filled in place for every line: a cell that holds text
        // keeps its storage from line to line.
        std::vector<io::Cell> row(columns.size());
        auto number = [](io::Cell& c, const std::optional<std::int64_t>& n) {
            if (n) c = static_cast<std::int64_t>(*n);
            else c = std::monostate{};
        };
        // An opening balance and the balance brought forward have no
        // provider or recipient: null in json.
        auto text = [](io::Cell& c, const std::string& v, bool shown = true) {
            // (A cell that holds text already is assigned in place.)
            if (shown) c = v;
            else c = std::monostate{};
        };
        // The date's text is made once for all the lines of a day.
        std::optional<Date> day;
        auto cells = [&](const report::StatementLine& l) -> const std::vector<io::Cell>& {
            if (l.date != day) {
                day = l.date;
                row[0] = to_string(l.date);
            }
            number(row[1], l.number);
            if (l.reverses) row[2] = io::Structured{l.type, io::Json("void")};
            else if (!l.number) row[2] = io::Structured{l.type, io::Json("brought_forward")};
            else text(row[2], l.type);
            text(row[3], l.provider, !l.provider.empty());
            text(row[4], l.provider_name, !l.provider_name.empty());
            text(row[5], l.recipient, !l.recipient.empty());
            text(row[6], l.recipient_name, !l.recipient_name.empty());
            text(row[7], l.category, l.number.has_value());
            text(row[8], l.note, l.number.has_value());
            number(row[9], l.amends);
            number(row[10], l.amended_by);
            if (l.change) row[11] = io::Hours{*l.change};
            else row[11] = std::monostate{};
            number(row[12], l.change);
            row[13] = io::Hours{l.balance};
            if (json) {
                row[14] = static_cast<std::int64_t>(l.balance);
                number(row[15], l.reverses);
            }
            return row;
        };
        // Rows stream as the ledger is read; the aligned table measures them
        // as they are read once, keeping their texts in a spool file.
        io::RowWriter w(ctx.out(), ro, columns, true);
        report::for_each_statement_line(s, head, [&](const report::StatementLine& l) { w.row(cells(l)); });
        w.finish();
    });
}

}  // namespace

void exchange_import_export(CLI::App& app, Registry& reg);
void exchange_network(CLI::App& app, Registry& reg);

int exchange_main(int argc, char** argv) {
    return run_tool("tb-exchange", "tb-exchange: the ledger of exchanges", argc, argv,
                    [](CLI::App& app, Registry& reg) {
                        record_cmd(app, reg);
                        opening_cmd(app, reg);
                        list_cmd(app, reg);
                        show_cmd(app, reg);
                        void_cmd(app, reg);
                        amend_cmd(app, reg);
                        balance_cmd(app, reg);
                        statement_cmd(app, reg);
                        exchange_import_export(app, reg);
                        exchange_network(app, reg);
                    });
}

}  // namespace tb::cli
