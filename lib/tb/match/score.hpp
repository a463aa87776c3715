#pragma once
// The parts of a match score, each in 0..1, and how they are weighed.
// Every function here is pure, so a coordinator's "why this member?" can be
// answered from the numbers alone (see tb-match(1), "THE SCORE").
#include <optional>
#include <string>
#include <string_view>

#include "tb/model/config.hpp"
#include "tb/util/date.hpp"
#include "tb/util/duration.hpp"

namespace tb::match {

struct ScoreParts {
    double skill = 0, place = 0, recency = 0, fairness = 0, history = 0;
};

// Parts are rounded to 3 decimals before weighing, so the printed parts and
// weights reproduce the printed score exactly.
double round_part(double part);
// Σ weight · part, in millionths of a point (the unit the ordering and the
// assignment use, so that float noise never decides a tie).
std::int64_t score_micros(const ScoreParts& p, const MatchWeights& w);
double micros_to_score(std::int64_t micros);

// Skill: the share of the request's terms found in the member's offers. A
// term in the wording of an offered skill counts 1; a term found only in
// the vocabulary of the skill's category (its name, skills and keywords)
// counts half.
double skill_part(int terms, int in_offers, int in_category_only);

// The outward code of a UK postcode: "LS6 2AB" -> "LS6", "ls62ab" -> "LS6".
// Empty when there is none.
std::string postcode_district(std::string_view postcode);

enum class Place { elsewhere, same_district, same_neighbourhood };
// Where a member lives, in the form places are compared in.
struct Locality {
    std::string neighbourhood;  // folded: lower case, no spaces
    std::string district;       // postcode_district()
    static Locality of(std::string_view neighbourhood, std::string_view postcode);
};
Place place_of(const Locality& a, const Locality& b);
Place place_of(std::string_view neighbourhood_a, std::string_view postcode_a, std::string_view neighbourhood_b,
               std::string_view postcode_b);
double place_part(Place p);

// 1 for an exchange today, falling linearly to 0 at inactive_days; 0 never.
double recency_part(std::optional<Date> last_exchange, Date today, int inactive_days);

// Spreading the work: the mean of 1/(1+exchanges given recently),
// 1/(1+open proposals) and a balance part (0.5 at a zero balance, towards 1
// for members owed many hours when owed_first, towards 0 when not).
struct Workload {
    int recent_provided = 0;
    int open_proposals = 0;
    Minutes balance = 0;
};
double balance_part(Minutes balance, bool owed_first);
double fairness_part(const Workload& w, bool owed_first);

// n earlier exchanges between the two (not voided): n / (n + 1).
double history_part(int earlier_exchanges);

}  // namespace tb::match
