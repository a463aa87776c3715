// `tb-match`: requests for help, suggestions of members who could meet
// them, and the optimal assignment of all open requests at once.
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "tb/cli/app.hpp"
#include "tb/cli/tools.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/core/request_service.hpp"
#include "tb/core/policy.hpp"
#include "tb/match/matcher.hpp"
#include "tb/match/run.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

using io::Format;

void request_add_parser(CLI::App& parent, Registry& reg) {
    auto* sub = parent.add_subcommand("add", "Record a request for help; prints its number");
    struct Args {
        std::string member, category, text;
        std::optional<std::string> hours, needed_by;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("MEMBER", a->member, "The member who needs help (ID, email or full name)")->required();
    sub->add_option("--category", a->category, "The category of help (from the taxonomy)")->required();
    sub->add_option("--text", a->text, "What is needed, in the member's words")->required();
    sub->add_option("--hours", a->hours, "How long it should take (1.5, 1:30, 90m)");
    sub->add_option("--needed-by", a->needed_by, "The date it is needed by (YYYY-MM-DD)");
    reg.on(sub, formats::none, [a](Context& ctx) {
        // Values that cannot be parsed are usage errors, before any store is touched.
        RequestDraft d;
        if (a->hours) d.minutes = parse_hours_option(*a->hours);
        if (a->needed_by) d.needed_by = parse_date(*a->needed_by, ctx.today());
        d.member = a->member;
        d.category = a->category;
        d.text = a->text;
        d.who = ctx.user();
        auto added = add_request(ctx.write_store(), ctx.config(), ctx.today(), d);
        for (auto& w : added.warnings) ctx.warn(w);
        ctx.out() << added.number << '\n';
    });
}

void request_list_parser(CLI::App& parent, Registry& reg) {
    auto* sub = parent.add_subcommand("list", "List requests (open ones by default)");
    auto open = std::make_shared<bool>(false);
    auto all = std::make_shared<bool>(false);
    auto* o = sub->add_flag("--open", *open, "Only open requests (the default)");
    auto* al = sub->add_flag("--all", *all, "Open and closed requests");
    o->excludes(al);
    // The action keeps both flags alive: CLI11 writes them while parsing.
    reg.on(sub, formats::data, [open, all](Context& ctx) {
        auto ro = ctx.render_options();
        bool json = ro.format == Format::json || ro.format == Format::jsonl;
        auto& s = ctx.read_store();
        auto list = store::list_requests(s, {true, *all && !*open});
        auto pending = store::pending_proposals(s);
        MemberNames names(s);
        io::Table t;
        t.columns = {"number", "member", "member_name", "category", "text", "hours"};
        if (json) t.columns.push_back("minutes");
        for (auto c : {"needed_by", "status", "exchange", "proposed", "created_at", "outcome", "closed_at", "reason"})
            t.columns.push_back(c);
        for (auto& r : list) {
            io::Cell hours, minutes, needed_by, exchange;
            if (r.minutes) {
                hours = io::Hours{*r.minutes};
                minutes = std::int64_t{*r.minutes};
            }
            if (r.needed_by) needed_by = to_string(*r.needed_by);
            if (r.exchange) exchange = *r.exchange;
            io::List proposed;
            if (auto p = pending.find(r.number); p != pending.end()) proposed = p->second;
            std::string status = r.open ? "open" : "closed";
            const auto& name = names.of(r.member);
            io::Cell outcome, closed_at, reason;
            if (!r.outcome.empty()) outcome = r.outcome;
            if (!r.closed_at.empty()) closed_at = r.closed_at;
            if (!r.close_reason.empty()) reason = r.close_reason;
            if (json)
                t.add({r.number, r.member, name, r.category, r.text, hours, minutes, needed_by, status, exchange,
                       proposed, r.created_at, outcome, closed_at, reason});
            else
                t.add({r.number, r.member, name, r.category, r.text, hours, needed_by, status, exchange, proposed,
                       r.created_at, outcome, closed_at, reason});
        }
        io::render_table(t, ro, ctx.out());
    });
}

void request_close_parser(CLI::App& parent, Registry& reg) {
    auto* sub = parent.add_subcommand(
        "close", "Close request N: met (--exchange M, the exchange that met it, or --met) or --withdrawn");
    struct Args {
        std::int64_t number = 0;
        std::optional<std::int64_t> exchange;
        bool met = false, withdrawn = false;
        std::string reason;
    };
    auto a = std::make_shared<Args>();
    sub->add_option("N", a->number, "The request number")->required();
    auto* ex = sub->add_option("--exchange", a->exchange,
                               "Met by exchange M (its recipient must be the requester; its provider's pending "
                               "proposal is marked accepted)");
    auto* met = sub->add_flag("--met", a->met, "Met, without an exchange recorded for it");
    auto* wd = sub->add_flag("--withdrawn", a->withdrawn, "Withdrawn: no longer needed, or nobody could help");
    ex->excludes(met, wd);
    met->excludes(wd);
    sub->add_option("--reason", a->reason, "Why (kept with the request; blanked by tb-member forget)");
    reg.on(sub, formats::none, [sub, a](Context& ctx) {
        if (!a->exchange && !a->met && !a->withdrawn)
            throw UsageError(fmt::format("say how request {} was closed: --exchange M, --met or --withdrawn",
                                         a->number));
        if (sub->count("--reason") && text::trim(a->reason).empty()) throw UsageError("--reason is empty");
        RequestClosing c;
        c.number = a->number;
        c.outcome = a->withdrawn ? RequestOutcome::withdrawn : RequestOutcome::met;
        c.exchange = a->exchange;
        c.reason = a->reason;
        c.who = ctx.user();
        ctx.verbose(close_request(ctx.write_store(), c));
    });
}

// Not in SPEC: our addition (see request decline in tb-match(1)).
void request_decline_parser(CLI::App& parent, Registry& reg) {
    auto* sub = parent.add_subcommand(
        "decline", "Record that the member proposed for request N declined; the next run asks someone else");
    auto a = std::make_shared<ProposalDecline>();
    sub->add_option("N", a->number, "The request number")->required();
    sub->add_option("--member", a->member, "Only this member's pending proposal (ID, email or full name)");
    reg.on(sub, formats::none, [a](Context& ctx) {
        ProposalDecline d = *a;
        d.who = ctx.user();
        ctx.verbose(decline_proposals(ctx.write_store(), d));
    });
}

// --explain in json: the facts behind each part, as data.
io::Json explanation_json(const match::Explanation& e) {
    using io::Json;
    bool district = e.place == match::Place::same_district;
    return Json{
        {"skill", Json{{"offers", e.offers}, {"category", e.category}, {"terms", e.terms}}},
        {"place", Json{{"match", match::place_key(e.place)}, {"district", district ? Json(e.district) : Json(nullptr)}}},
        {"recency", Json{{"last_exchange", e.last_exchange ? Json(to_string(*e.last_exchange)) : Json(nullptr)},
                         {"days_ago", e.last_exchange ? Json(e.days_since) : Json(nullptr)}}},
        {"fairness", Json{{"gave", e.gave},
                          {"in_days", e.days},
                          {"open_proposals", e.open_proposals},
                          {"balance", io::hours_json(e.balance)},
                          {"balance_minutes", e.balance}}},
        {"history", Json{{"earlier_exchanges", e.earlier}}}};
}

void suggest_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("suggest", "Members who could meet request N, best first");
    auto number = std::make_shared<std::int64_t>(0);
    auto limit = std::make_shared<int>(5);
    auto explain = std::make_shared<bool>(false);
    sub->add_option("N", *number, "The request number")->required();
    sub->add_option("--limit", *limit, "How many members to show (default 5)");
    sub->add_flag("--explain", *explain, "Show the parts of each score and why they have their values");
    reg.on(sub, formats::data, [number, limit, explain](Context& ctx) {
        if (*limit < 1) throw Rejected(fmt::format("--limit {} must be at least 1", *limit));
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        store::prepare_for_matching(s);
        store::ReadSnapshot snapshot(s);
        auto r = store::find_request(s, *number);
        if (!r) throw NotFound(fmt::format("no request {}", *number));
        if (!r->open) ctx.notice(fmt::format("request {} is closed", r->number));
        if (auto requester = store::find_member(s, r->member); !requester || !is_active(requester->status))
            ctx.notice(fmt::format("request {} is from a member who is {}", r->number,
                                   requester ? to_string(requester->status) : std::string("missing")));
        match::Matcher matcher(s, ctx.config(), ctx.today());
        auto list = matcher.suggest(*r, *explain, static_cast<std::size_t>(*limit));
        {
            std::vector<std::string> words;
            for (auto& t : matcher.last_terms()) words.push_back(t.word);
            ctx.verbose(fmt::format("request {} matched on: {}", r->number, text::join(words, ", ")));
            for (auto& [why, n] : matcher.last_exclusions().count)
                ctx.verbose(fmt::format("left out: {} member{} ({})", n, n == 1 ? "" : "s", match::describe(why)));
        }
        if (list.empty()) ctx.notice(fmt::format("no member can meet request {}", r->number));
        io::Table t;
        t.columns = {"member", "name", "score"};
        if (*explain)
            for (auto c : {"skill", "place", "recency", "fairness", "history", "why"}) t.columns.push_back(c);
        for (auto& sg : list) {
            if (!*explain) {
                t.add({sg.member, sg.name, sg.score()});
                continue;
            }
            auto w = match::describe(sg.why);
            auto text = fmt::format("skill: {} | place: {} | recency: {} | fairness: {} | history: {}", w.skill,
                                    w.place, w.recency, w.fairness, w.history);
            t.add({sg.member, sg.name, sg.score(), sg.parts.skill, sg.parts.place, sg.parts.recency,
                   sg.parts.fairness, sg.parts.history, io::Structured{text, explanation_json(sg.why)}});
        }
        io::render_table(t, ro, ctx.out());
    });
}

// The proposals of a run, best first per request; with contact, both
// members' names and phones (the broker's call list).
io::Table run_table(const match::RunResult& r, bool contact) {
    io::Table t;
    if (!contact) {
        t.columns = {"request", "requester", "category", "member", "name", "score"};
        for (auto& p : r.plan.proposals) t.add({p.request, p.requester, p.category, p.member, p.name, p.score()});
        return t;
    }
    auto person = [&](const std::string& id) {
        auto it = r.contacts.find(id);
        return it == r.contacts.end() ? match::Contact{} : it->second;
    };
    auto phone = [](const match::Contact& c) { return c.phone.empty() ? io::Cell{} : io::Cell{c.phone}; };
    t.columns = {"request", "requester", "requester_name", "requester_phone", "category",
                 "member",  "name",      "member_phone",   "score"};
    for (auto& p : r.plan.proposals) {
        auto requester = person(p.requester);
        t.add({p.request, p.requester, requester.name, phone(requester), p.category, p.member, p.name,
               phone(person(p.member)), p.score()});
    }
    return t;
}

std::string numbers(const std::vector<std::int64_t>& v) {
    std::vector<std::string> out;
    for (auto n : v) out.push_back(std::to_string(n));
    return text::join(out, ", ");
}

// What a run says on stderr: the total with -v, then what was left out and
// what was written.
void tell_run(Context& ctx, const match::RunResult& r, bool dry) {
    const auto& plan = r.plan;
    auto n = plan.proposals.size();
    ctx.verbose(fmt::format("{} request{} assigned, total score {}", n, n == 1 ? "" : "s",
                            match::micros_to_score(plan.total_micros)));
    if (!plan.skipped.empty()) ctx.verbose(fmt::format("skipped (a proposal is pending): {}", numbers(plan.skipped)));
    if (!plan.not_active.empty())
        ctx.notice(fmt::format("skipped (the requester is inactive or forgotten): {}", numbers(plan.not_active)));
    if (!plan.unmatched.empty())
        ctx.notice(fmt::format("no member can take request{} {}", plan.unmatched.size() == 1 ? "" : "s",
                               numbers(plan.unmatched)));
    if (plan.proposals.empty() && plan.unmatched.empty()) {
        if (!plan.skipped.empty())
            ctx.notice(fmt::format("nothing to assign: every open request has a proposal pending ({})",
                                   numbers(plan.skipped)));
        else if (plan.not_active.empty())
            ctx.notice("no open requests");
    } else if (dry)
        ctx.notice(fmt::format("dry run: {} proposal{}, nothing written", n, n == 1 ? "" : "s"));
    else if (r.run)
        ctx.notice(fmt::format("run {}: {} proposal{} written", r.run, n, n == 1 ? "" : "s"));
}

void run_parser(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("run", "Assign all open requests to members at once (optimal, not greedy)");
    auto dry = std::make_shared<bool>(false);
    auto contact = std::make_shared<bool>(false);
    sub->add_flag("--dry-run,-n", *dry, "Print the assignment without writing proposals");
    sub->add_flag("--contact", *contact,
                  "Add both members' names and phone numbers (the broker's call list)");
    reg.on(sub, formats::data, [dry, contact](Context& ctx) {
        auto ro = ctx.render_options();
        auto& s = *dry ? ctx.read_store() : ctx.write_store();
        auto result = match::run_matching(s, ctx.config(), ctx.today(), {*dry, *contact, ctx.user()});
        io::render_table(run_table(result, *contact), ro, ctx.out());
        tell_run(ctx, result, *dry);
    });
}

}  // namespace

int match_main(int argc, char** argv) {
    return run_tool("tb-match", "tb-match: requests for help, suggestions of members who could meet them, and "
                                "the optimal assignment of all open requests.",
                    argc, argv, [](CLI::App& app, Registry& reg) {
                        auto* request =
                            app.add_subcommand("request", "Requests for help: add, list, close, decline");
                        request_add_parser(*request, reg);
                        request_list_parser(*request, reg);
                        request_close_parser(*request, reg);
                        request_decline_parser(*request, reg);
                        suggest_parser(app, reg);
                        run_parser(app, reg);
                        app.footer("See man tb-match for how the score is made.");
                    });
}

}  // namespace tb::cli
