#include "tb/core/ledger_service.hpp"

#include <fmt/format.h>
#include <map>

#include "tb/core/member_service.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb {

namespace {

// The members a command names, each read once and kept by ID.
class NamedMembers {
public:
    explicit NamedMembers(store::Store& s) : s_(s) {}
    Member& operator()(const std::string& key) {
        auto m = require_member(s_, key);
        auto id = m.id;
        return members_.try_emplace(id, std::move(m)).first->second;
    }
    const std::map<std::string, Member>& all() const { return members_; }

private:
    store::Store& s_;
    std::map<std::string, Member> members_;
};

// Every rule of a record for one exchange, the balances given as they stand
// before it.
std::vector<Violation> record_violations(store::Store& s, const LedgerPolicy& policy, const ExchangeDraft& d,
                                         const Member& p, Minutes provider_balance, const Member& r,
                                         Minutes recipient_balance) {
    auto v = policy.check_exchange(d, p, r);
    auto vp = policy.check_pair(d, p.id != r.id && store::is_blocked(s, p.id, r.id));
    v.insert(v.end(), vp.begin(), vp.end());
    auto vb = policy.check_balances(d, p, provider_balance, r, recipient_balance);
    v.insert(v.end(), vb.begin(), vb.end());
    return v;
}

// The violations --override REASON does not let through.
void keep_refused(const std::vector<Violation>& found, const std::string& override_reason,
                  std::vector<Violation>& refused) {
    for (auto& x : found)
        if (!(x.overridable && !override_reason.empty())) refused.push_back(x);
}

// Rejected naming every refused rule; the hint only when --override would
// let the whole exchange through.
void refuse_if_any(const std::vector<Violation>& refused) {
    if (refused.empty()) return;
    bool all_overridable = true;
    for (auto& x : refused) all_overridable = all_overridable && x.overridable;
    throw Rejected(describe(refused) + (all_overridable ? " (a coordinator may use --override REASON)" : ""));
}

// The same member under two names (ID and name, name and email) is named
// twice, as the same ID twice is.
void refuse_named_twice(NamedMembers& member, const std::vector<std::string>& keys) {
    std::map<std::string, std::string> seen;  // ID -> the key that named it
    for (auto& k : keys) {
        auto id = member(k).id;
        if (auto [it, fresh] = seen.try_emplace(id, k); !fresh)
            throw UsageError(fmt::format("member {} is named twice ('{}' and '{}')", id, it->second, k));
    }
}

std::vector<std::string> recorded_fields(const ExchangeDraft& d) {
    std::vector<std::string> fields = {"date", "provider", "recipient", "minutes"};
    if (!d.category.empty()) fields.push_back("category");
    if (!d.note.empty()) fields.push_back("note");
    if (!d.ref.empty()) fields.push_back("ref");
    if (!d.override_reason.empty()) fields.push_back("override");
    return fields;
}

void add_balance_warnings(const LedgerPolicy& policy, const NamedMembers& members,
                          std::map<std::string, Minutes>& balance, std::vector<std::string>& warnings) {
    for (auto& [id, m] : members.all())
        if (auto w = policy.warning(m, balance[id])) warnings.push_back(*w);
}

}  // namespace

RecordResult record_exchanges(store::Store& s, const Config& c, Date today, const std::vector<std::string>& providers,
                              const std::vector<std::string>& recipients, const ExchangeDraft& common,
                              const std::string& who) {
    if (providers.empty() || recipients.empty()) throw UsageError("an exchange needs a provider and a recipient");
    if (providers.size() > 1 && recipients.size() > 1)
        throw UsageError("a group exchange has several recipients or several providers, not both");
    if (!common.ref.empty() && providers.size() * recipients.size() > 1)
        throw UsageError("--ref names one exchange; a group exchange cannot take one");

    store::WriteTransaction tx(s);
    NamedMembers member(s);
    if (!common.ref.empty() && store::ref_exists(s, common.ref))
        throw Rejected(fmt::format("an exchange with ref '{}' already exists", common.ref));
    refuse_named_twice(member, providers);
    refuse_named_twice(member, recipients);
    // The category once for the whole group: stored under the taxonomy's name.
    auto category = rule_category(c, common.category);
    if (category.problem) throw Rejected(*category.problem);

    LedgerPolicy policy(c, today);
    std::vector<Violation> refused;
    std::vector<ExchangeDraft> drafts;
    // Balances move as the group's rows are applied, so later rows see earlier ones.
    std::map<std::string, Minutes> balance;
    for (auto& pk : providers) {
        for (auto& rk : recipients) {
            Member& p = member(pk);
            Member& r = member(rk);
            ExchangeDraft d = common;
            d.category = category.name;
            d.provider = p.id;
            d.recipient = r.id;
            auto pb = balance.try_emplace(p.id, p.balance).first->second;
            auto rb = balance.try_emplace(r.id, r.balance).first->second;
            keep_refused(record_violations(s, policy, d, p, pb, r, rb), common.override_reason, refused);
            balance[p.id] += d.minutes;
            balance[r.id] -= d.minutes;
            drafts.push_back(std::move(d));
        }
    }
    refuse_if_any(refused);
    RecordResult result;
    if (category.warning) result.warnings.push_back(*category.warning);
    for (auto& d : drafts) {
        auto e = store::append_exchange(s, d, who);
        store::audit(s, who, "tb-exchange record", fmt::format("exchange {}", e.number), recorded_fields(d));
        result.exchanges.push_back(std::move(e));
    }
    add_balance_warnings(policy, member, balance, result.warnings);
    tx.commit();
    return result;
}

namespace {

// The exchange that takes exchange e back, dated `date`.
ExchangeDraft reversal(const Exchange& e, Date date, const std::string& note) {
    ExchangeDraft d;
    d.date = date;
    d.provider = e.recipient;
    d.recipient = e.provider;
    d.minutes = e.minutes;
    d.category = e.category;
    d.note = note;
    d.reverses = e.number;
    return d;
}

// Exchange `number`, refused unless it may be amended.
Exchange amendable(store::Store& s, std::int64_t number) {
    auto e = store::find_exchange(s, number);
    if (!e) throw NotFound(fmt::format("no exchange {}", number));
    if (e->reverses)
        throw Rejected(fmt::format("exchange {} is a void (of exchange {}); a void cannot be amended", number,
                                   *e->reverses));
    if (e->amended_by)
        throw Rejected(fmt::format("exchange {} is already amended (by exchange {}); amend exchange {} instead", number,
                                   *e->amended_by, *e->amended_by));
    if (e->voided_by)
        throw Rejected(fmt::format("exchange {} is voided (by exchange {}); record a new exchange instead", number,
                                   *e->voided_by));
    return *e;
}

std::string_view account_word(const Member& m) { return m.kind == MemberKind::pot ? "pot" : "clearing"; }

// The correction of e that amendment a asks for; its category warning, if any.
ExchangeDraft correction(const Config& c, const Exchange& e, const ExchangeAmendment& a, NamedMembers& member,
                         std::optional<std::string>& category_warning) {
    ExchangeDraft d;
    d.date = a.date.value_or(e.date);
    d.provider = a.provider ? member(*a.provider).id : e.provider;
    d.recipient = a.recipient ? member(*a.recipient).id : e.recipient;
    d.minutes = a.minutes.value_or(e.minutes);
    d.note = a.note.value_or(e.note);
    d.override_reason = a.override_reason;
    d.amends = e.number;
    d.category = e.category;
    if (a.category) {
        auto category = rule_category(c, *a.category);
        if (category.problem) throw Rejected(*category.problem);
        category_warning = category.warning;
        d.category = category.name;
    }
    for (auto* m : {&member(d.provider), &member(d.recipient)})
        if (is_account(m->kind))
            throw Rejected(fmt::format("{} is the {} account, not a member: amend corrects exchanges between members",
                                       m->id, account_word(*m)));
    return d;
}

// The fields a correction changes, by name, for the audit log; refused when none.
std::vector<std::string> changed_fields(const Exchange& e, const ExchangeDraft& d) {
    std::vector<std::string> changed;
    if (d.date != e.date) changed.push_back("date");
    if (d.provider != e.provider) changed.push_back("provider");
    if (d.recipient != e.recipient) changed.push_back("recipient");
    if (d.minutes != e.minutes) changed.push_back("minutes");
    if (d.category != e.category) changed.push_back("category");
    if (d.note != e.note) changed.push_back("note");
    if (changed.empty())
        throw Rejected(fmt::format("exchange {} already has those values: nothing to amend", e.number));
    return changed;
}

}  // namespace

Exchange void_exchange(store::Store& s, Date today, std::int64_t number, const std::string& reason,
                       const std::string& who) {
    store::WriteTransaction tx(s);
    auto e = store::find_exchange(s, number);
    if (!e) throw NotFound(fmt::format("no exchange {}", number));
    if (e->reverses)
        throw Rejected(fmt::format("exchange {} is itself a void (of exchange {}); record a new exchange instead",
                                   number, *e->reverses));
    if (e->voided_by)
        throw Rejected(fmt::format("exchange {} is already voided (by exchange {})", number, *e->voided_by));
    auto v = store::append_exchange(s, reversal(*e, today < e->date ? e->date : today, reason), who);
    store::audit(s, who, "tb-exchange void", fmt::format("exchange {}", v.number), {"reverses", "note"});
    tx.commit();
    return v;
}

AmendResult amend_exchange(store::Store& s, const Config& c, Date today, std::int64_t number,
                           const ExchangeAmendment& a, const std::string& who) {
    if (a.empty())
        throw UsageError("amend needs a change: --category, --hours, --date, --provider, --recipient or --note");
    if (text::trim(a.reason).empty()) throw UsageError("--reason must say why");
    store::WriteTransaction tx(s);
    auto e = amendable(s, number);
    NamedMembers member(s);
    for (auto* m : {&member(e.provider), &member(e.recipient)})
        if (is_account(m->kind))
            throw Rejected(fmt::format(
                "exchange {} is with the {} account {}: amend corrects exchanges between members; void it "
                "(tb-exchange void {}) and record it again",
                number, account_word(*m), m->id, number));
    std::optional<std::string> category_warning;
    auto d = correction(c, e, a, member, category_warning);
    auto changed = changed_fields(e, d);

    // Every rule of a record, the balances taken as if N were voided.
    std::map<std::string, Minutes> balance;
    for (auto& [id, m] : member.all()) balance[id] = m.balance;
    balance[e.provider] -= e.minutes;
    balance[e.recipient] += e.minutes;
    LedgerPolicy policy(c, today);
    Member& p = member(d.provider);
    Member& r = member(d.recipient);
    std::vector<Violation> refused;
    keep_refused(record_violations(s, policy, d, p, balance[p.id], r, balance[r.id]), d.override_reason, refused);
    refuse_if_any(refused);
    balance[p.id] += d.minutes;
    balance[r.id] -= d.minutes;

    // The void is dated as the exchange it takes back, so that a balance as
    // of any date and a statement show the correction in its place.
    AmendResult result;
    {
        store::LedgerAppender appender(s, who);
        result.voided = appender.append(reversal(e, e.date, a.reason));
        result.corrected = appender.append(d);
        appender.flush();
    }
    store::audit(s, who, "tb-exchange amend", fmt::format("exchange {}", result.voided.number), {"reverses", "note"});
    changed.insert(changed.begin(), "amends");
    if (!d.override_reason.empty()) changed.push_back("override");
    store::audit(s, who, "tb-exchange amend", fmt::format("exchange {}", result.corrected.number), changed);
    if (category_warning) result.warnings.push_back(*category_warning);
    add_balance_warnings(policy, member, balance, result.warnings);
    tx.commit();
    return result;
}

Opening record_opening(store::Store& s, const std::string& member_key, Minutes minutes, Date date, Date today,
                       const std::string& note, const std::string& who) {
    store::WriteTransaction tx(s);
    auto m = require_member(s, member_key);
    refuse_forgotten(m);
    if (auto why = future_date_problem(date, today)) throw Rejected(*why);
    auto o = store::append_opening(s, m.id, minutes, date, note, who);
    store::audit(s, who, "tb-exchange opening", m.id, {"opening"});
    tx.commit();
    return o;
}

}  // namespace tb
