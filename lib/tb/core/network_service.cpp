#include "tb/core/network_service.hpp"

#include <fmt/format.h>

#include "tb/core/ledger_service.hpp"
#include "tb/core/policy.hpp"
#include "tb/core/taxonomy.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/network.hpp"
#include "tb/util/error.hpp"
#include "tb/util/sha256.hpp"
#include "tb/util/text.hpp"

namespace tb {

Member require_pot(store::Store& s) {
    auto m = store::find_member(s, kPotId);
    if (!m || m->kind != MemberKind::pot)
        throw SystemError("this store has no community pot (the account 'pot' of kind pot)");
    return *m;
}

namespace {

// Every rule of an exchange but the category (donations, grants and
// received transfers have none of this bank's), then the balances.
void check_or_reject(const Config& c, Date today, const ExchangeDraft& d, const Member& p, const Member& r,
                     bool check_category) {
    LedgerPolicy policy(c, today);
    std::vector<Violation> problems;
    for (auto& v : policy.check_exchange(d, p, r))
        if (check_category || v.rule != Rule::category) problems.push_back(v);
    auto b = policy.check_balances(d, p, p.balance, r, r.balance);
    problems.insert(problems.end(), b.begin(), b.end());
    if (!problems.empty()) throw Rejected(describe(problems));
}

Member require_person(store::Store& s, const std::string& key, const char* what) {
    auto m = require_member(s, key);
    if (is_account(m.kind))
        throw Rejected(fmt::format("{} is the {} account, not a member: it cannot {}", m.id,
                                   m.kind == MemberKind::pot ? "pot" : "clearing", what));
    return m;
}

Exchange pot_move(store::Store& s, const Config& c, Date today, const PotMove& m, const std::string& who,
                  bool donation) {
    store::WriteTransaction tx(s);
    auto pot = require_pot(s);
    auto member = require_person(s, m.member, donation ? "donate to the pot" : "be granted hours from the pot");
    ExchangeDraft d;
    d.date = m.date;
    d.minutes = m.minutes;
    d.note = m.text;
    // A donation credits the pot and debits the donor; a grant the reverse.
    d.provider = donation ? pot.id : member.id;
    d.recipient = donation ? member.id : pot.id;
    if (donation) check_or_reject(c, today, d, pot, member, false);
    else check_or_reject(c, today, d, member, pot, false);
    auto e = store::append_exchange(s, d, who);
    store::audit(s, who, donation ? "tb-exchange donate" : "tb-exchange grant", fmt::format("exchange {}", e.number),
                 {"date", "provider", "recipient", "minutes", donation ? "note" : "reason"});
    tx.commit();
    return e;
}

// The clearing account (kind bank) whose name is the bank's [timebank] name.
std::optional<Member> clearing_account_named(store::Store& s, const std::string& bank) {
    store::MemberFilter f;
    f.kind = MemberKind::bank;
    f.include_inactive = true;
    f.with_skills = false;
    std::vector<Member> found;
    auto want = text::lower(text::trim(bank));
    store::for_each_member(s, f, [&](const Member& m) {
        if (text::lower(text::trim(m.name)) == want) found.push_back(m);
    });
    if (found.size() > 1)
        throw Rejected(fmt::format("several clearing accounts are named '{}': {} and {}", bank, found[0].id,
                                   found[1].id));
    if (found.empty()) return std::nullopt;
    return found.front();
}

}  // namespace

Exchange donate_to_pot(store::Store& s, const Config& c, Date today, const PotMove& m, const std::string& who) {
    return pot_move(s, c, today, m, who, true);
}

Exchange grant_from_pot(store::Store& s, const Config& c, Date today, const PotMove& m, const std::string& who) {
    if (text::trim(m.text).empty()) throw UsageError("a grant needs --reason");
    return pot_move(s, c, today, m, who, false);
}

TransferOutResult transfer_out(store::Store& s, const Config& c, Date today, const TransferOut& t,
                               const std::string& who) {
    if (t.provider.empty() == t.recipient.empty())
        throw UsageError("a transfer names the member here with --provider (they gave) or --recipient (they received)");
    if (text::trim(t.remote_member).empty()) throw UsageError("--remote-member names the member in the other bank");
    if (text::trim(c.name).empty()) throw ConfigError("[timebank] name is needed to send transfers");
    store::WriteTransaction tx(s);
    auto bank = require_member(s, t.bank);
    if (bank.kind != MemberKind::bank)
        throw Rejected(fmt::format("{} is not a clearing account (a member of kind bank)", bank.id));
    if (text::lower(text::trim(bank.name)) == text::lower(text::trim(c.name)))
        throw Rejected(fmt::format("clearing account {} is named after this bank ({})", bank.id, c.name));
    bool gave = !t.provider.empty();
    auto member = require_person(s, gave ? t.provider : t.recipient, "trade with another bank");
    ExchangeDraft d;
    d.date = t.date;
    d.minutes = t.minutes;
    // The category is ruled as for any exchange recorded here (the policy
    // below refuses one outside the taxonomy when strict).
    d.category = rule_category(c, t.category).name;
    d.note = t.note;
    d.ref = random_uuid();
    d.provider = gave ? member.id : bank.id;
    d.recipient = gave ? bank.id : member.id;
    if (gave) check_or_reject(c, today, d, member, bank, true);
    else check_or_reject(c, today, d, bank, member, true);
    auto e = store::append_exchange(s, d, who);
    TransferOutResult out;
    auto& f = out.file;
    f.id = d.ref;
    f.from_bank = c.name;
    f.to_bank = bank.name;
    f.remote_member = std::string(text::trim(t.remote_member));
    f.remote_role = gave ? "recipient" : "provider";
    f.minutes = d.minutes;
    f.date = d.date;
    f.category = d.category;
    f.has_note = c.transfer_sends_notes;
    if (f.has_note) f.note = d.note;
    else f.note_sha256 = sha256_hex(d.note);
    out.text = io::transfer_to_json(f);
    store::insert_transfer(s, {f.id, "out", bank.id, e.number, f.sha256, ""});
    store::audit(s, who, "tb-exchange transfer out", fmt::format("exchange {}", e.number),
                 {"date", "provider", "recipient", "minutes", "category", "ref", "transfer"});
    tx.commit();
    out.exchange = std::move(e);
    return out;
}

TransferInResult transfer_in(store::Store& s, const Config& c, Date today, const io::TransferFile& f,
                             const std::string& who) {
    auto here = text::lower(text::trim(c.name));
    if (text::lower(text::trim(f.to_bank)) != here)
        throw Rejected(fmt::format("transfer {} is addressed to '{}', not to this bank ('{}')", f.id, f.to_bank, c.name));
    store::WriteTransaction tx(s);
    TransferInResult out;
    if (auto n = store::exchange_with_ref(s, f.id)) {
        auto e = store::find_exchange(s, *n);
        out.exchange = *e;
        out.already = true;
        return out;
    }
    auto bank = clearing_account_named(s, f.from_bank);
    if (!bank)
        throw Rejected(fmt::format("no clearing account for bank '{}' (add one: tb-member add \"{}\" --kind bank)",
                                   f.from_bank, f.from_bank));
    std::optional<Member> member;
    try {
        member = require_person(s, f.remote_member, "trade with another bank");
    } catch (const NotFound&) {
        throw Rejected(fmt::format("transfer {} names member '{}', who is not a member here", f.id, f.remote_member));
    }
    ExchangeDraft d;
    d.date = f.date;
    d.minutes = f.minutes;
    // Another bank's category is never refused: one of ours named exactly
    // (ignoring case and spaces) takes our spelling, any other is kept.
    d.category = f.category;
    if (auto* cat = c.find_category(d.category)) d.category = cat->name;
    d.note = f.has_note ? f.note : "";
    d.ref = f.id;
    bool they_pay = f.remote_role == "recipient";
    d.provider = they_pay ? bank->id : member->id;
    d.recipient = they_pay ? member->id : bank->id;
    if (they_pay) check_or_reject(c, today, d, *bank, *member, false);
    else check_or_reject(c, today, d, *member, *bank, false);
    auto e = store::append_exchange(s, d, who);
    store::insert_transfer(s, {f.id, "in", bank->id, e.number, f.sha256, ""});
    store::audit(s, who, "tb-exchange transfer in", fmt::format("exchange {}", e.number),
                 {"date", "provider", "recipient", "minutes", "category", "ref", "transfer"});
    tx.commit();
    out.exchange = std::move(e);
    return out;
}

}  // namespace tb
