#pragma once
// How long new members wait before their first exchange: for the members
// who joined in a period, the days from joining to their first trade, the
// median, and how many still had none 30, 90 and 365 days after joining,
// for the period as a whole and for each month (quarter, year) of joining,
// so that a steering group can see whether the wait is shrinking.
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tb/report/figures.hpp"
#include "tb/report/tables.hpp"

namespace tb::report {

// The days after joining at which a member still without a first exchange
// is counted as waiting.
inline constexpr std::array<int, 3> kOnboardingMarks = {30, 90, 365};

struct OnboardingMember {
    std::string id, name;
    MemberKind kind = MemberKind::person;
    Date joined;
    std::optional<Date> first_exchange;
    std::optional<int> days;  // first_exchange - joined, never below 0
};

// The figures of one set of members (a cohort, or all who joined in the period).
struct OnboardingFigures {
    std::int64_t joined = 0;       // members who joined
    std::int64_t traded = 0;       // of them, those with a first exchange by today
    std::optional<double> median_days;  // days to the first exchange, over those who traded
    // By mark (kOnboardingMarks): members who joined at least that many days
    // before today (eligible), and of them those with no exchange within
    // that many days of joining (waiting).
    std::array<std::int64_t, 3> eligible{}, waiting{};
};

struct OnboardingCohort {
    Period joined;       // the month (quarter, year) of joining, cut to the period
    std::string label;   // 2026-03
    OnboardingFigures figures;
};

struct Onboarding {
    Period period;
    Date today;
    Bucket by = Bucket::month;
    OnboardingFigures all;
    std::vector<OnboardingCohort> cohorts;  // in date order, empty ones included
    std::vector<OnboardingMember> members;  // in order of joining
};

// The cohort step for a period when none is asked for: months up to two
// years, quarters up to eight, then years.
Bucket default_onboarding_bucket(Period p);

// Members who joined in `period` (people and organisations, whatever their
// status now); first exchanges as of `today`.
Onboarding onboarding(store::Store& s, const Directory& dir, Period period, Date today, Bucket by, WeekStart ws);

// As rows: one per cohort after a row "all" (or, with members, one per
// member). For people, "2 of 5" cells; for programs, numbers.
ReportTable onboarding_table(const Onboarding& o, bool members, const ReportContext& ctx);
void onboarding_markdown(const Onboarding& o, const std::string& bank, bool members, std::ostream& out);
// One standalone page in the weekly report's style, with a chart of the
// median days to a first exchange by cohort.
void onboarding_html(const Onboarding& o, const std::string& bank, std::ostream& out);

// The median of some whole numbers (the mean of the middle two for an even
// count); none for none.
std::optional<double> median(std::vector<int> v);

}  // namespace tb::report
