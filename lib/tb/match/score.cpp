#include "tb/match/score.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "tb/util/text.hpp"

namespace tb::match {

double round_part(double part) { return std::round(std::clamp(part, 0.0, 1.0) * 1000.0) / 1000.0; }

std::int64_t score_micros(const ScoreParts& p, const MatchWeights& w) {
    double s = w.skill * round_part(p.skill) + w.place * round_part(p.place) + w.recency * round_part(p.recency) +
               w.fairness * round_part(p.fairness) + w.history * round_part(p.history);
    return std::llround(s * 1e6);
}

double micros_to_score(std::int64_t micros) { return static_cast<double>(micros) / 1e6; }

double skill_part(int terms, int in_offers, int in_category_only) {
    if (terms <= 0) return 0;
    return std::clamp((in_offers + 0.5 * in_category_only) / terms, 0.0, 1.0);
}

std::string postcode_district(std::string_view postcode) { return text::postcode_district(postcode); }

Locality Locality::of(std::string_view neighbourhood, std::string_view postcode) {
    return {text::fold_key(neighbourhood), postcode_district(postcode)};
}

Place place_of(const Locality& a, const Locality& b) {
    if (!a.neighbourhood.empty() && a.neighbourhood == b.neighbourhood) return Place::same_neighbourhood;
    if (!a.district.empty() && a.district == b.district) return Place::same_district;
    return Place::elsewhere;
}

Place place_of(std::string_view neighbourhood_a, std::string_view postcode_a, std::string_view neighbourhood_b,
               std::string_view postcode_b) {
    return place_of(Locality::of(neighbourhood_a, postcode_a), Locality::of(neighbourhood_b, postcode_b));
}

double place_part(Place p) { return p == Place::elsewhere ? 0.0 : 1.0; }

double recency_part(std::optional<Date> last_exchange, Date today, int inactive_days) {
    if (!last_exchange) return 0;
    int days = today - *last_exchange;
    if (days <= 0) return 1;
    if (inactive_days <= 0 || days >= inactive_days) return 0;
    return 1.0 - static_cast<double>(days) / inactive_days;
}

double balance_part(Minutes balance, bool owed_first) {
    double hours = static_cast<double>(balance) / 60.0;
    double owed = 0.5 + 0.5 * hours / (std::abs(hours) + 10.0);
    return owed_first ? owed : 1.0 - owed;
}

double fairness_part(const Workload& w, bool owed_first) {
    double load = 1.0 / (1.0 + std::max(0, w.recent_provided));
    double open = 1.0 / (1.0 + std::max(0, w.open_proposals));
    return (load + open + balance_part(w.balance, owed_first)) / 3.0;
}

double history_part(int earlier_exchanges) {
    if (earlier_exchanges <= 0) return 0;
    return static_cast<double>(earlier_exchanges) / (earlier_exchanges + 1.0);
}

}  // namespace tb::match
