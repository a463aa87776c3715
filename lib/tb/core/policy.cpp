#include "tb/core/policy.hpp"

#include <fmt/format.h>

#include "tb/core/taxonomy.hpp"
#include "tb/util/text.hpp"

namespace tb {

namespace {

// Each rule: its name, the import field it blames, whether history waives it.
constexpr RuleInfo kRules[] = {
    {Rule::self, "self", "recipient", false},
    {Rule::inactive, "inactive", "member", true},
    {Rule::hours, "hours", "hours", false},
    {Rule::future, "future", "date", true},
    {Rule::backdate, "backdate", "date", true},
    {Rule::min_balance, "min_balance", "recipient", true},
    {Rule::max_balance, "max_balance", "provider", true},
    {Rule::category, "category", "category", false},
    {Rule::blocked, "blocked", "recipient", false},
};

}  // namespace

const RuleInfo& rule_info(Rule r) {
    for (auto& info : kRules)
        if (info.rule == r) return info;
    return kRules[0];  // not reached: every rule is in the table
}

std::string_view rule_name(Rule r) { return rule_info(r).name; }

// The rules about members and hours that exchanges, requests and matching
// share: each written once, here.

bool is_active(MemberStatus s) { return s == MemberStatus::active; }

std::optional<std::string> inactive_problem(const Member& m) {
    if (is_active(m.status)) return std::nullopt;
    return fmt::format("{} is {}, not active", m.id, to_string(m.status));
}

bool over_hours_limit(Minutes minutes, const Config& c) { return minutes > c.max_minutes_per_exchange; }

std::optional<std::string> future_date_problem(Date date, Date today) {
    if (date <= today) return std::nullopt;
    return fmt::format("date {} is in the future (today is {})", date, today);
}

// Exchanges (SPEC "Policy").

std::optional<Minutes> effective_min(const Member& m, const Config& c) {
    switch (m.min_limit.mode) {
        case BalanceLimit::Mode::none: return std::nullopt;
        case BalanceLimit::Mode::value: return m.min_limit.value;
        default: return m.kind == MemberKind::pot ? c.pot_min_balance : c.min_balance;
    }
}

std::optional<Minutes> effective_max(const Member& m, const Config& c) {
    switch (m.max_limit.mode) {
        case BalanceLimit::Mode::none: return std::nullopt;
        case BalanceLimit::Mode::value: return m.max_limit.value;
        // The pot has no ceiling: members may give it all they like.
        default: return m.kind == MemberKind::pot ? std::nullopt : c.max_balance;
    }
}

std::vector<Violation> LedgerPolicy::check_exchange(const ExchangeDraft& d, const Member& p,
                                                    const Member& r) const {
    auto out = check_exchange_but_category(d, p, r);
    // SPEC "Values": a category given resolves to the taxonomy; with
    // strict_categories one that resolves to none is refused. An exchange
    // may have no category at all.
    if (auto ruling = rule_category(config_, d.category); ruling.problem)
        out.push_back({Rule::category, *ruling.problem, false});
    return out;
}

std::vector<Violation> LedgerPolicy::check_exchange_but_category(const ExchangeDraft& d, const Member& p,
                                                                 const Member& r) const {
    std::vector<Violation> out;
    if (p.id == r.id)
        out.push_back({Rule::self, fmt::format("{} cannot exchange with themselves", p.id), false});
    if (auto why = inactive_problem(p)) out.push_back({Rule::inactive, *why, false});
    if (r.id != p.id)
        if (auto why = inactive_problem(r)) out.push_back({Rule::inactive, *why, false});
    if (d.minutes <= 0)
        out.push_back({Rule::hours, fmt::format("hours must be more than zero, not {}", format_hours(d.minutes)), false});
    else if (over_hours_limit(d.minutes, config_))
        out.push_back({Rule::hours,
                       fmt::format("{} hours is more than the limit of {} hours per exchange",
                                   format_hours(d.minutes), format_hours(config_.max_minutes_per_exchange)),
                       false});
    if (auto why = future_date_problem(d.date, today_))
        out.push_back({Rule::future, *why, true});
    else if (today_ - d.date > config_.backdate_days)
        out.push_back({Rule::backdate,
                       fmt::format("date {} is {} days ago, more than the limit of {} days", d.date,
                                   today_ - d.date, config_.backdate_days),
                       true});
    return out;
}

std::vector<Violation> LedgerPolicy::check_pair(const ExchangeDraft& d, bool blocked) const {
    std::vector<Violation> out;
    if (blocked)
        out.push_back({Rule::blocked,
                       fmt::format("{} and {} are a blocked pair (tb-member block list)", d.provider, d.recipient),
                       true});
    return out;
}

std::vector<Violation> LedgerPolicy::check_balances(const ExchangeDraft& d, const Member& p, Minutes pb,
                                                    const Member& r, Minutes rb) const {
    std::vector<Violation> out;
    if (auto mx = effective_max(p, config_); mx && pb + d.minutes > *mx)
        out.push_back({Rule::max_balance,
                       fmt::format("{} would reach {} hours, above the limit of {}", p.id, format_hours(pb + d.minutes),
                                   format_hours(*mx)),
                       true});
    if (auto mn = effective_min(r, config_); mn && rb - d.minutes < *mn)
        out.push_back({Rule::min_balance,
                       fmt::format("{} would reach {} hours, below the limit of {}", r.id, format_hours(rb - d.minutes),
                                   format_hours(*mn)),
                       true});
    return out;
}

std::optional<std::string> LedgerPolicy::warning(const Member& m, Minutes balance) const {
    if (config_.warn_below && balance < *config_.warn_below)
        return fmt::format("{} has {} hours, below the warning level of {}", m.id, format_hours(balance),
                           format_hours(*config_.warn_below));
    return std::nullopt;
}

std::string describe(const std::vector<Violation>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += "; ";
        out += v[i].message;
    }
    return out;
}

// Requests for help (tb-match request add).

std::optional<std::string> request_problem(const Request& r, const Config& c, Date today) {
    if (r.minutes && over_hours_limit(*r.minutes, c))
        return fmt::format("--hours {} is more than the limit of {} hours", format_hours(*r.minutes),
                           format_hours(c.max_minutes_per_exchange));
    if (r.needed_by && *r.needed_by < today) return fmt::format("--needed-by {} is in the past", *r.needed_by);
    if (text::trim(r.text).empty()) return "--text is empty: say what is needed";
    if (text::trim(r.category).empty()) return "--category is empty";
    return std::nullopt;
}

}  // namespace tb
