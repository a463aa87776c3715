// tb-exchange donate / grant / transfer: the community pot and trade with
// other banks. The rules are in core/network_service.
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "tb/cli/app.hpp"
#include "tb/cli/options.hpp"
#include "tb/core/network_service.hpp"
#include "tb/io/transfer_file.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

void donate_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("donate", "Give hours to the community pot; prints the exchange number");
    struct Opts {
        std::string member, hours, date, note;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("--from", o->member, "The member who gives (ID or email)")->required();
    sub->add_option("--hours", o->hours, "Time: 1.5, 0.5h, 1:30, 90m, 2h30m")->required();
    sub->add_option("--date", o->date, "When (default today)");
    sub->add_option("--note", o->note, "A note");
    reg.on(sub, formats::none, [o](Context& ctx) {
        PotMove m{date_or_today(o->date, ctx.today()), o->member,
                  parse_duration(o->hours), o->note};
        auto e = donate_to_pot(ctx.existing_store(), ctx.config(), ctx.today(), m, ctx.user());
        ctx.out() << e.number << '\n';
    });
}

void grant_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("grant", "Grant hours from the community pot to a member; prints the exchange number");
    struct Opts {
        std::string member, hours, date, reason;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("--to", o->member, "The member granted the hours (ID or email)")->required();
    sub->add_option("--hours", o->hours, "Time: 1.5, 0.5h, 1:30, 90m, 2h30m")->required();
    sub->add_option("--reason", o->reason, "Why (kept as the exchange's note)")->required();
    sub->add_option("--date", o->date, "When (default today)");
    reg.on(sub, formats::none, [o](Context& ctx) {
        if (text::trim(o->reason).empty()) throw UsageError("--reason must say why");
        PotMove m{date_or_today(o->date, ctx.today()), o->member,
                  parse_duration(o->hours), o->reason};
        auto e = grant_from_pot(ctx.existing_store(), ctx.config(), ctx.today(), m, ctx.user());
        ctx.out() << e.number << '\n';
    });
}

void transfer_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("transfer", "Trade with a member of another bank: transfer out, transfer in FILE");
    sub->require_subcommand(1);

    auto* out = sub->add_subcommand(
        "out", "Record a trade with another bank's member and write the transfer file to send them (-o FILE.json)");
    auto t = std::make_shared<TransferOut>();
    auto hours = std::make_shared<std::string>();
    auto date = std::make_shared<std::string>();
    out->add_option("--bank", t->bank, "The other bank's clearing account here (a member of kind bank)")->required();
    auto* p = out->add_option("--provider", t->provider, "The member here who gave the service (earns)");
    out->add_option("--recipient", t->recipient, "The member here who received it (pays)")->excludes(p);
    out->add_option("--remote-member", t->remote_member, "The member of the other bank, by their ID there")
        ->required();
    out->add_option("--hours", *hours, "Time: 1.5, 0.5h, 1:30, 90m, 2h30m")->required();
    out->add_option("--date", *date, "When (default today)");
    out->add_option("--category", t->category, "The category of service");
    out->add_option("--note", t->note, "A note (sent as its SHA-256 only with [transfer] notes = \"digest\")");
    reg.on(out, formats::none, [t, hours, date](Context& ctx) {
        t->minutes = parse_duration(*hours);
        t->date = date_or_today(*date, ctx.today());
        auto r = transfer_out(ctx.existing_store(), ctx.config(), ctx.today(), *t, ctx.user());
        ctx.out() << r.text;
        ctx.notice(fmt::format("transfer {} recorded as exchange {}; send the file to {}", r.file.id,
                               r.exchange.number, r.file.to_bank));
    });

    auto* in = sub->add_subcommand("in", "Record the mirror entry of a transfer file another bank sent; prints the "
                                         "exchange number");
    auto file = std::make_shared<std::string>();
    in->add_option("FILE", *file, "The transfer file (- for stdin)")->required();
    reg.on(in, formats::none, [file](Context& ctx) {
        std::string text;
        if (*file == "-") {
            std::ostringstream ss;
            ss << std::cin.rdbuf();
            text = ss.str();
        } else {
            std::ifstream f(*file, std::ios::binary);
            if (!f) throw SystemError(fmt::format("cannot read {}", *file));
            std::ostringstream ss;
            ss << f.rdbuf();
            text = ss.str();
        }
        auto tf = io::parse_transfer(text, *file);
        auto r = transfer_in(ctx.existing_store(), ctx.config(), ctx.today(), tf, ctx.user());
        if (r.already)
            ctx.notice(fmt::format("transfer {} was already received (exchange {}); nothing recorded", tf.id,
                                   r.exchange.number));
        ctx.out() << r.exchange.number << '\n';
    });
}

}  // namespace

void exchange_network(CLI::App& app, Registry& reg) {
    donate_cmd(app, reg);
    grant_cmd(app, reg);
    transfer_cmd(app, reg);
}

}  // namespace tb::cli
