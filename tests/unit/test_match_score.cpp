// The parts of the score, each in 0..1, and how they are weighed.
#include <doctest/doctest.h>

#include "tb/match/score.hpp"
#include "tb/match/terms.hpp"

using namespace tb;
using namespace tb::match;

TEST_CASE("postcode districts are outward codes") {
    CHECK(postcode_district("LS6 2AB") == "LS6");
    CHECK(postcode_district("ls6 2ab") == "LS6");
    CHECK(postcode_district("LS62AB") == "LS6");
    CHECK(postcode_district("SW1A 1AA") == "SW1A");
    CHECK(postcode_district("SW1A1AA") == "SW1A");
    CHECK(postcode_district("M1 1AE") == "M1");
    CHECK(postcode_district("LS6") == "LS6");
    CHECK(postcode_district("  ") == "");
}

TEST_CASE("place: same neighbourhood, else same postcode district") {
    CHECK(place_of("Hyde Park", "", "hyde park", "") == Place::same_neighbourhood);
    CHECK(place_of("Hyde Park", "LS6 1AA", "Headingley", "LS6 3XY") == Place::same_district);
    CHECK(place_of("Hyde Park", "LS6 1AA", "Chapeltown", "LS7 3XY") == Place::elsewhere);
    CHECK(place_of("", "", "", "") == Place::elsewhere);  // nothing known is not a match
    CHECK(place_part(Place::same_neighbourhood) == 1.0);
    CHECK(place_part(Place::same_district) == 1.0);
    CHECK(place_part(Place::elsewhere) == 0.0);
}

TEST_CASE("recency decays linearly over inactive_days") {
    Date today = from_ymd(2026, 11, 27);
    CHECK(recency_part(std::nullopt, today, 90) == 0.0);
    CHECK(recency_part(today, today, 90) == 1.0);
    CHECK(recency_part(today - 45, today, 90) == doctest::Approx(0.5));
    CHECK(recency_part(today - 90, today, 90) == 0.0);
    CHECK(recency_part(today - 400, today, 90) == 0.0);
}

TEST_CASE("fairness spreads the work and puts the owed first or last") {
    Workload idle{0, 0, 0}, busy{4, 2, 0};
    CHECK(fairness_part(idle, true) > fairness_part(busy, true));
    CHECK(fairness_part(idle, true) == doctest::Approx((1.0 + 1.0 + 0.5) / 3));
    Workload owed{0, 0, 30 * 60}, owing{0, 0, -30 * 60};
    CHECK(fairness_part(owed, true) > fairness_part(owing, true));
    CHECK(fairness_part(owed, false) < fairness_part(owing, false));
    CHECK(balance_part(0, true) == 0.5);
    CHECK(balance_part(10 * 60, true) == doctest::Approx(0.75));
    CHECK(balance_part(10 * 60, false) == doctest::Approx(0.25));
    for (Minutes b : {-100000, -600, 0, 600, 100000}) {
        CHECK(balance_part(b, true) >= 0.0);
        CHECK(balance_part(b, true) <= 1.0);
    }
}

TEST_CASE("history grows with earlier exchanges") {
    CHECK(history_part(0) == 0.0);
    CHECK(history_part(1) == 0.5);
    CHECK(history_part(3) == doctest::Approx(0.75));
}

TEST_CASE("skill: own wording counts 1, category vocabulary half") {
    CHECK(skill_part(0, 0, 0) == 0.0);
    CHECK(skill_part(3, 1, 2) == doctest::Approx(2.0 / 3));
    CHECK(skill_part(4, 0, 1) == doctest::Approx(0.125));
    CHECK(skill_part(2, 2, 0) == 1.0);
}

TEST_CASE("the score is the weighted sum of the rounded parts") {
    ScoreParts p{0.6667, 1.0, 0.5, 0.3333, 0.0};
    MatchWeights w;  // 1.0, 0.5, 0.3, 0.3, 0.2
    // 1.0*0.667 + 0.5*1 + 0.3*0.5 + 0.3*0.333 + 0.2*0
    CHECK(score_micros(p, w) == 1416900);
    CHECK(micros_to_score(1416900) == doctest::Approx(1.4169));
    MatchWeights only_place{0, 1, 0, 0, 0};
    CHECK(score_micros(p, only_place) == 1000000);
}

TEST_CASE("request terms drop little words and repeated stems") {
    std::vector<Term> text = {{"a", "a"}, {"lift", "lift"}, {"to", "to"}, {"the", "the"}, {"hospital", "hospit"}};
    std::vector<Term> category = {{"transport", "transport"}, {"lifts", "lift"}};
    auto t = request_terms(text, category);
    REQUIRE(t.size() == 3);
    CHECK(t[0].word == "lift");
    CHECK(t[1].stem == "hospit");
    CHECK(t[2].word == "transport");
    CHECK(is_stopword("help"));
    CHECK(is_stopword("tuesday"));
    CHECK_FALSE(is_stopword("garden"));
}
