// tb-member: members, skills, safeguarding checks, blocks, forgetting.
#include <algorithm>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

#include "tb/cli/app.hpp"
#include "tb/cli/tools.hpp"
#include "tb/core/ledger_service.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/core/member_service.hpp"
#include "tb/io/records.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::cli {
namespace {

using io::Format;

// The member fields that `add` and `edit` both take as flags.
struct MemberFlags {
    std::optional<std::string> id, email, phone, postcode, neighbourhood, kind, offers, wants, joined, note,
        min_balance, max_balance;
    std::vector<std::string> tags;

    void declare(CLI::App* sub, bool with_id) {
        if (with_id) sub->add_option("--id", id, "The member's ID (default: the next M0001, M0002, ...)");
        sub->add_option("--email", email, "Email address (unique; may name the member on the command line)");
        sub->add_option("--phone", phone, "Phone number");
        sub->add_option("--postcode", postcode, "Postcode");
        sub->add_option("--neighbourhood", neighbourhood, "Neighbourhood");
        sub->add_option("--kind", kind, "person (default), organisation, or bank (a partner bank's clearing account)");
        sub->add_option("--offers", offers, "Skills offered, ;-separated");
        sub->add_option("--wants", wants, "Skills wanted, ;-separated");
        sub->add_option("--joined", joined, "Date joined (default today)");
        sub->add_option("--note", note, "A note");
        sub->add_option("--tag", tags, "A tag (repeatable)");
        sub->add_option("--min-balance", min_balance, "This member's lowest balance in hours, none, or default (the bank's)");
        sub->add_option("--max-balance", max_balance, "This member's highest balance in hours, none, or default (the bank's)");
    }

    // The flags given, as (field, value) for apply_member_fields; every
    // --tag together as one ;-separated list.
    MemberFields fields() const {
        MemberFields set;
        auto one = [&](const std::optional<std::string>& v, const char* field) {
            if (v) set.emplace_back(field, *v);
        };
        one(email, "email");
        one(phone, "phone");
        one(postcode, "postcode");
        one(neighbourhood, "neighbourhood");
        one(kind, "kind");
        one(offers, "offers");
        one(wants, "wants");
        one(joined, "joined");
        one(note, "note");
        one(min_balance, "min_balance");
        one(max_balance, "max_balance");
        if (!tags.empty()) set.emplace_back("tags", text::join(tags, ";"));
        return set;
    }
};

void emit_member_table(Context& ctx, const std::vector<Member>& members) {
    auto ro = ctx.render_options();
    io::Table t;
    if (ro.format == Format::table) {
        // For people: the columns that fit a terminal.
        t.columns = {"id", "name", "kind", "status", "neighbourhood", "joined", "balance"};
        for (auto& m : members)
            t.add({m.id, m.name, to_string(m.kind), to_string(m.status), m.neighbourhood, to_string(m.joined),
                   io::Hours{m.balance}});
    } else {
        bool json = ro.json();
        t.columns = io::member_columns(json);
        for (auto& m : members) t.add(io::member_cells(m, ctx.today(), json));
    }
    io::render_table(t, ro, ctx.out());
}

void add_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("add", "Add a member; prints the new ID");
    auto name = std::make_shared<std::string>();
    auto flags = std::make_shared<MemberFlags>();
    sub->add_option("NAME", *name, "The member's name")->required();
    flags->declare(sub, true);
    reg.on(sub, formats::none, [name, flags](Context& ctx) {
        Member m;
        m.name = *name;
        m.joined = ctx.today();
        apply_member_fields(m, flags->fields(), ctx.today());
        if (flags->id) m.id = *flags->id;
        // Checked before the store is opened: a rejected first member must
        // not leave a new, empty store behind (exit 3 writes nothing).
        require_valid_member(m);
        auto id = add_member(ctx.write_store(), m, ctx.user());
        ctx.out() << id << '\n';
    });
}

void list_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("list", "List members (active ones by default)");
    struct Opts {
        bool all = false, inactive = false;
        std::optional<std::string> kind;
        std::string offers, wants, neighbourhood, tag;
    };
    auto o = std::make_shared<Opts>();
    auto* all = sub->add_flag("--all", o->all, "Every member, inactive and forgotten ones too");
    sub->add_flag("--inactive", o->inactive, "Only inactive members")->excludes(all);
    sub->add_option("--kind", o->kind, "person, organisation, pot or bank (the pot and clearing accounts are listed only so)");
    sub->add_option("--offers", o->offers, "Who offers a skill (words match within skills)");
    sub->add_option("--wants", o->wants, "Who wants a skill");
    sub->add_option("--neighbourhood", o->neighbourhood, "Who lives in a neighbourhood");
    sub->add_option("--tag", o->tag, "Who has a tag");
    reg.on(sub, formats::data, [o](Context& ctx) {
        store::MemberFilter f;
        f.include_active = !o->inactive;
        f.include_inactive = o->all || o->inactive;
        f.include_forgotten = o->all;
        if (o->kind) f.kind = parse_member_kind(*o->kind);
        f.offers = o->offers;
        f.wants = o->wants;
        f.neighbourhood = o->neighbourhood;
        f.tag = o->tag;
        auto ro = ctx.render_options();
        f.with_checks = ro.format != Format::table;
        auto& s = ctx.read_store();
        if (ro.format == Format::table) {
            std::vector<Member> members;
            store::for_each_member(s, f, [&](const Member& m) { members.push_back(m); });
            emit_member_table(ctx, members);
            return;
        }
        bool json = ro.json();
        io::RowWriter w(ctx.out(), ro, io::member_columns(json));
        store::for_each_member(s, f, [&](const Member& m) { w.row(io::member_cells(m, ctx.today(), json)); });
        w.finish();
    });
}

void find_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "find", "Members whose name, email, phone or ID contains TEXT (case- and accent-insensitive)");
    auto what = std::make_shared<std::string>();
    sub->add_option("TEXT", *what, "What to look for: part of a name, email, phone number or ID")->required();
    reg.on(sub, formats::data, [what](Context& ctx) {
        ctx.render_options();  // a format it cannot write fails first
        auto& s = ctx.read_store();
        std::vector<Member> members;
        for (auto& id : find_members(s, *what))
            if (auto m = store::find_member(s, id)) members.push_back(std::move(*m));
        if (members.empty()) ctx.notice(fmt::format("no member's name, email, phone or ID contains '{}'", *what));
        emit_member_table(ctx, members);
    });
}

void show_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("show", "Everything about one member, with balance and last exchange");
    auto key = std::make_shared<std::string>();
    sub->add_option("MEMBER", *key, "ID, email or full name")->required();
    reg.on(sub, formats::data, [key](Context& ctx) {
        auto ro = ctx.render_options();
        // json gives every time in minutes as well as hours.
        bool json = ro.json();
        auto& s = ctx.read_store();
        auto m = require_member(s, *key);
        io::Table t;
        t.columns = io::member_columns();
        auto cells = io::member_cells(m, ctx.today());
        if (ro.format == Format::table) {
            // For people: each check on its own, expired ones marked.
            io::List checks;
            for (auto& c : m.checks)
                checks.push_back(fmt::format("{} (expires {}{})", c.name, c.expires,
                                             c.expires < ctx.today() ? ", EXPIRED" : ""));
            auto at = std::find(t.columns.begin(), t.columns.end(), "checks") - t.columns.begin();
            cells[static_cast<std::size_t>(at)] = checks;
        }
        t.columns.insert(t.columns.end(), {"minutes", "opening"});
        if (json) t.columns.push_back("opening_minutes");
        t.columns.insert(t.columns.end(), {"min_balance", "max_balance", "blocked_with", "status_reason",
                                           "last_exchange", "created_at"});
        cells.push_back(static_cast<std::int64_t>(m.balance));
        cells.push_back(io::Hours{m.opening});
        if (json) cells.push_back(static_cast<std::int64_t>(m.opening));
        // A limit is hours, "none" or "default" (the bank's); in json the
        // limit in effect and whose it is.
        cells.push_back(io::limit_cell(m.min_limit, ctx.config().min_balance, io::limit_text(m.min_limit)));
        cells.push_back(io::limit_cell(m.max_limit, ctx.config().max_balance, io::limit_text(m.max_limit)));
        io::List blocked;
        for (auto& b : store::blocks_of(s, m.id)) blocked.push_back(b.a == m.id ? b.b : b.a);
        cells.push_back(blocked);
        cells.push_back(m.status_reason);
        cells.push_back(m.last_exchange ? io::Cell{to_string(*m.last_exchange)} : io::Cell{});
        cells.push_back(m.created_at);
        t.add(cells);
        io::render_record(t, ro, ctx.out());
    });
}

void edit_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand("edit", "Change a member's fields");
    auto key = std::make_shared<std::string>();
    auto sets = std::make_shared<std::vector<std::string>>();
    auto name = std::make_shared<std::optional<std::string>>();
    auto flags = std::make_shared<MemberFlags>();
    sub->add_option("MEMBER", *key, "ID, email or full name")->required();
    sub->add_option("--set", *sets, "FIELD=VALUE (repeatable): " + text::join(member_settable_fields(), ", "));
    sub->add_option("--name", *name, "New name");
    flags->declare(sub, false);
    reg.on(sub, formats::none, [key, sets, name, flags](Context& ctx) {
        MemberEdit edit{*sets, {}};
        if (*name) edit.fields.emplace_back("name", **name);
        auto more = flags->fields();
        edit.fields.insert(edit.fields.end(), more.begin(), more.end());
        edit_member(ctx.write_store(), *key, edit, ctx.today(), ctx.user());
    });
}

void status_cmds(CLI::App& app, Registry& reg) {
    auto* de = app.add_subcommand("deactivate", "Mark a member inactive (kept, but no new exchanges or matches)");
    auto dkey = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    de->add_option("MEMBER", *dkey, "ID, email or full name")->required();
    de->add_option("--reason", *reason, "Why");
    reg.on(de, formats::none, [dkey, reason](Context& ctx) {
        auto r = deactivate_member(ctx.write_store(), *dkey, *reason, ctx.user());
        if (!r.changed) ctx.notice(fmt::format("{} is already inactive", r.id));
    });
    auto* re = app.add_subcommand("reactivate", "Make an inactive member active again");
    auto rkey = std::make_shared<std::string>();
    re->add_option("MEMBER", *rkey, "ID, email or full name")->required();
    reg.on(re, formats::none, [rkey](Context& ctx) {
        auto r = reactivate_member(ctx.write_store(), *rkey, ctx.user());
        if (!r.changed) ctx.notice(fmt::format("{} is already active", r.id));
    });
}

void skill_cmds(CLI::App& app, Registry& reg) {
    auto* skill = app.add_subcommand("skill", "Add or remove skills offered or wanted");
    skill->require_subcommand(1);
    for (bool adding : {true, false}) {
        auto* sub = skill->add_subcommand(adding ? "add" : "remove", adding ? "Add skills" : "Remove skills");
        struct Opts {
            std::string member;
            bool offers = false, wants = false;
            std::vector<std::string> skills;
        };
        auto o = std::make_shared<Opts>();
        sub->add_option("MEMBER", o->member, "ID, email or full name")->required();
        auto* of = sub->add_flag("--offers", o->offers, "Skills the member offers");
        auto* wa = sub->add_flag("--wants", o->wants, "Skills the member wants");
        of->excludes(wa);
        sub->add_option("SKILL", o->skills, "Skills (each may be ;-separated)")->required();
        reg.on(sub, formats::none, [o, adding](Context& ctx) {
            if (!o->offers && !o->wants) throw UsageError("say --offers or --wants");
            std::string dir = o->offers ? "offers" : "wants";
            auto& s = ctx.write_store();
            if (adding) add_skills(s, o->member, dir, o->skills, ctx.user());
            else remove_skills(s, o->member, dir, o->skills, ctx.user());
        });
    }
}

void check_cmds(CLI::App& app, Registry& reg) {
    auto* chk = app.add_subcommand("check", "Safeguarding checks (e.g. dbs) that some categories require");
    chk->require_subcommand(1);
    auto* add = chk->add_subcommand("add", "Record a check with its expiry date (a known check name)");
    struct Opts {
        std::string member, name, expires;
    };
    auto a = std::make_shared<Opts>();
    add->add_option("MEMBER", a->member, "ID, email or full name")->required();
    add->add_option("NAME", a->name, "The check: one a category requires or [safeguarding] checks lists")->required();
    add->add_option("--expires", a->expires, "Expiry date YYYY-MM-DD")->required();
    reg.on(add, formats::none, [a](Context& ctx) {
        auto expires = parse_date(a->expires, ctx.today());
        auto name = add_check(ctx.write_store(), ctx.config(), a->member, a->name, expires, ctx.user());
        if (expires < ctx.today())
            ctx.warn(fmt::format("the {} check of {} has already expired", name, text::trim(a->member)));
    });
    auto* rm = chk->add_subcommand("remove", "Remove a check");
    auto r = std::make_shared<Opts>();
    rm->add_option("MEMBER", r->member, "ID, email or full name")->required();
    rm->add_option("NAME", r->name, "The check (any spelling of it)")->required();
    reg.on(rm, formats::none, [r](Context& ctx) { remove_check(ctx.write_store(), ctx.config(), r->member, r->name, ctx.user()); });

    auto* ls = chk->add_subcommand("list", "Every member's checks, soonest expiry first: the renewal list");
    struct ListOpts {
        std::optional<int> expiring;
        bool expired = false;
    };
    auto l = std::make_shared<ListOpts>();
    ls->add_option("--expiring", l->expiring, "Only checks that expire within DAYS days from today")
        ->check(CLI::NonNegativeNumber);
    ls->add_flag("--expired", l->expired, "Only checks that have expired (with --expiring: those too)");
    reg.on(ls, formats::data, [l](Context& ctx) {
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        io::Table t;
        t.columns = {"member", "member_name", "check", "expires", "expired", "days_left"};
        for (auto& c : checks_due(s, ctx.today(), l->expiring, l->expired))
            t.add({c.row.member, c.row.name, c.row.check.name, to_string(c.row.check.expires), c.expired,
                   static_cast<std::int64_t>(c.days_left)});
        io::render_table(t, ro, ctx.out());
    });
}

void block_cmds(CLI::App& app, Registry& reg) {
    struct Opts {
        std::string a, b, reason;
    };
    // `block list`: the pairs that must never be matched or trade (without --override).
    auto list_pairs = [](Context& ctx) {
        auto ro = ctx.render_options();
        auto& s = ctx.read_store();
        io::Table t;
        t.columns = {"member_a", "name_a", "member_b", "name_b", "reason", "created_at"};
        MemberNames names(s);
        for (auto& b : store::all_blocks(s)) t.add({b.a, names.of(b.a), b.b, names.of(b.b), b.reason, b.created_at});
        io::render_table(t, ro, ctx.out());
    };
    for (bool blocking : {true, false}) {
        auto* sub = app.add_subcommand(blocking ? "block" : "unblock",
                                       blocking ? "A pair that must never be matched (safeguarding)"
                                                : "Allow a blocked pair to be matched again");
        auto o = std::make_shared<Opts>();
        sub->add_option("MEMBER_A", o->a, blocking ? "ID, email or full name (or `list`: every blocked pair)" : "ID, email or full name")
            ->required();
        sub->add_option("MEMBER_B", o->b, "ID, email or full name");
        if (blocking) sub->add_option("--reason", o->reason, "Why");
        reg.on(sub, blocking ? formats::data : formats::none, [o, blocking, list_pairs](Context& ctx) {
            if (blocking && o->a == "list" && o->b.empty()) {
                if (!o->reason.empty()) throw UsageError("block list takes no --reason");
                list_pairs(ctx);
                return;
            }
            if (o->b.empty()) throw UsageError("name two members: tb-member " + std::string(blocking ? "block" : "unblock") +
                                               " MEMBER MEMBER");
            auto& s = ctx.write_store();
            auto r = blocking ? block_members(s, o->a, o->b, o->reason, ctx.user())
                              : unblock_members(s, o->a, o->b, ctx.user());
            if (!r.changed) ctx.notice(fmt::format("{} and {} are already blocked", r.a, r.b));
        });
    }
}

void forget_cmd(CLI::App& app, Registry& reg) {
    auto* sub = app.add_subcommand(
        "forget", "Erase a member's personal data for good (keeps the ledger balanced and the hash chain valid)");
    struct Opts {
        std::string member, reason;
        bool yes = false;
    };
    auto o = std::make_shared<Opts>();
    sub->add_option("MEMBER", o->member, "ID, email or full name")->required();
    sub->add_option("--reason", o->reason, "Why (kept; must not name the person)")->required();
    sub->add_flag("--yes", o->yes, "Do not ask for confirmation (needed when not on a terminal)");
    // Asked before anything is written: the ID typed back, on a terminal.
    auto confirm = [o](const std::string& id) {
        if (o->yes) return;
        if (!::isatty(STDIN_FILENO))
            throw UsageError("forget cannot be undone; add --yes to confirm when not on a terminal");
        std::cerr << fmt::format("This erases the personal data of {} for good. Type the ID to confirm: ", id);
        std::string answer;
        std::getline(std::cin, answer);
        if (text::trim(answer) != id) throw UsageError("not confirmed; nothing was changed");
    };
    reg.on(sub, formats::none, [o, confirm](Context& ctx) {
        check_forget_reason(o->reason);  // before a store is opened (or made)
        auto r = forget_member(ctx.write_store(), o->member, o->reason, ctx.user(), confirm);
        if (!r.change.changed) {
            ctx.notice(fmt::format("{} is already forgotten", r.change.id));
            return;
        }
        if (!r.checkpointed)
            ctx.warn("another program has the store open: old copies of the erased data stay in " + ctx.db_path() +
                     "-wal until it closes; run `tb check` afterwards to fold them in");
        ctx.notice(fmt::format("forgot {}", r.change.id));
    });
}

}  // namespace

void member_import_export(CLI::App& app, Registry& reg);

int member_main(int argc, char** argv) {
    return run_tool("tb-member", "tb-member: members, their skills, safeguarding checks and blocks", argc, argv,
                    [](CLI::App& app, Registry& reg) {
                        add_cmd(app, reg);
                        list_cmd(app, reg);
                        find_cmd(app, reg);
                        show_cmd(app, reg);
                        edit_cmd(app, reg);
                        status_cmds(app, reg);
                        skill_cmds(app, reg);
                        check_cmds(app, reg);
                        block_cmds(app, reg);
                        forget_cmd(app, reg);
                        member_import_export(app, reg);
                    });
}

}  // namespace tb::cli
