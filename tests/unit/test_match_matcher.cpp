// The matcher on a real (temporary) store: stem matching through FTS5, the
// hard rules, tie-breaking, and the run's capacities.
#include <algorithm>
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>
#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include "tb/match/assign.hpp"
#include "tb/match/matcher.hpp"
#include "tb/store/audit.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"

using namespace tb;
namespace fs = std::filesystem;

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        std::string tmpl = (fs::temp_directory_path() / "tb-match-unit.XXXXXX").string();
        dir = ::mkdtemp(tmpl.data());
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

const Date kToday = from_ymd(2026, 11, 27);

// One hour from provider to recipient. The names are moved in: GCC 12 at -O3
// reports a false maybe-uninitialized when a short string literal is assigned
// into a default-constructed draft's member.
ExchangeDraft hour_draft(Date date, std::string provider, std::string recipient) {
    ExchangeDraft d;
    d.date = date;
    d.provider = std::move(provider);
    d.recipient = std::move(recipient);
    d.minutes = 60;
    return d;
}

Config test_config() {
    Config c;
    c.categories = {
        {"Care & companionship", {"befriending", "lifts to appointments"}, {"company", "visit"}, {"dbs"}},
        {"Gardening", {"gardening", "lawn mowing"}, {"garden", "grass"}, {}},
    };
    return c;
}

struct Bank {
    Scratch scratch;
    store::Store s{(scratch.dir / "timebank.db").string(), store::OpenMode::read_write, 5000};
    Config config = test_config();

    void member(const std::string& id, std::vector<std::string> offers, const std::string& neighbourhood = "",
                const std::string& postcode = "") {
        Member m;
        m.id = id;
        m.name = "Name of " + id;
        m.offers = std::move(offers);
        m.neighbourhood = neighbourhood;
        m.postcode = postcode;
        m.joined = kToday - 100;
        store::insert_member(s, m);
    }
    std::int64_t request(const std::string& member, const std::string& category, const std::string& text) {
        Request r;
        r.member = member;
        r.category = category;
        r.text = text;
        r.recorded_by = "test";
        return store::insert_request(s, r);
    }
    std::vector<match::Suggestion> suggest(std::int64_t n) {
        match::Matcher m(s, config, kToday);
        return m.suggest(*store::find_request(s, n), true);
    }
};

std::vector<std::string> ids(const std::vector<match::Suggestion>& list) {
    std::vector<std::string> out;
    for (auto& s : list) out.push_back(s.member);
    return out;
}

}  // namespace

TEST_CASE("matching reads through a bounded page cache, never a memory map (its pages count in the RSS)") {
    Bank b;
    store::prepare_for_matching(b.s);
    CHECK(b.s.db().execAndGet("PRAGMA mmap_size").getInt64() == 0);
    CHECK(b.s.db().execAndGet("PRAGMA cache_size").getInt64() == -16384);
}

TEST_CASE("porter tokens are the stems FTS5 uses") {
    Bank b;
    auto t = store::porter_tokens(b.s, "A Lift to the Hospitals");
    REQUIRE(t.size() == 5);
    CHECK(t[1].word == "lift");
    CHECK(t[1].stem == "lift");
    CHECK(t[4].word == "hospitals");
    CHECK(t[4].stem == "hospit");
}

TEST_CASE("a lift to the hospital finds a member who offers lifts to appointments") {
    Bank b;
    b.member("R1", {});
    b.member("D1", {"lifts to appointments"});
    b.member("G1", {"gardening"});
    store::set_check(b.s, "D1", "dbs", kToday + 30);
    auto n = b.request("R1", "Care & companionship", "a lift to the hospital");
    auto list = b.suggest(n);
    REQUIRE(ids(list) == std::vector<std::string>{"D1"});
    // "lift" is in the member's own wording; care, companionship from the
    // category name are in the skill's category vocabulary; "hospital" in neither.
    CHECK(list[0].parts.skill == doctest::Approx((1 + 0.5 * 2) / 4.0).epsilon(0.001));
    CHECK(tb::match::describe(list[0].why).skill.find("offers: lift") != std::string::npos);
    CHECK(std::find(list[0].why.offers.begin(), list[0].why.offers.end(), "lift") != list[0].why.offers.end());
}

TEST_CASE("stems match in both directions and on other skills without a category") {
    Bank b;
    b.member("R1", {});
    b.member("W1", {"mowing lawns"});  // not a taxonomy skill
    auto n = b.request("R1", "Odd jobs", "my lawn needs mowed");
    auto list = b.suggest(n);
    REQUIRE(ids(list) == std::vector<std::string>{"W1"});
    CHECK(list[0].parts.skill == doctest::Approx(0.5));
}

TEST_CASE("hard rules: never the requester, inactive, unchecked, expired or blocked members") {
    Bank b;
    for (auto id : {"R1", "OK", "INACT", "NOCHECK", "EXPIRED", "TODAY", "BLOCKED"}) b.member(id, {"befriending"});
    for (auto id : {"R1", "OK", "INACT", "EXPIRED", "BLOCKED"}) store::set_check(b.s, id, "dbs", kToday + 10);
    store::set_check(b.s, "EXPIRED", "dbs", kToday - 1);
    store::set_check(b.s, "TODAY", "DBS", kToday);  // valid through its expiry date
    store::set_member_status(b.s, "INACT", MemberStatus::inactive, "moved away");
    store::add_block(b.s, "BLOCKED", "R1", "safeguarding");
    auto n = b.request("R1", "care & companionship", "befriending visits");
    match::Matcher m(b.s, b.config, kToday);
    auto list = m.suggest(*store::find_request(b.s, n));
    CHECK(ids(list) == std::vector<std::string>{"OK", "TODAY"});
    auto& ex = m.last_exclusions().count;
    CHECK(ex.at(match::Exclusion::requester) == 1);
    CHECK(ex.at(match::Exclusion::missing_check) == 1);
    CHECK(ex.at(match::Exclusion::expired_check) == 1);
    CHECK(ex.at(match::Exclusion::blocked) == 1);
    CHECK(ex.count(match::Exclusion::not_active) == 0);  // never even loaded

    store::CandidateRow inactive;
    inactive.id = "X";
    inactive.status = MemberStatus::forgotten;
    CHECK(match::hard_rule(inactive, "R1", {}, {}, {}, kToday) == match::Exclusion::not_active);
    store::CandidateRow declined;
    declined.id = "X";
    CHECK(match::hard_rule(declined, "R1", {}, {}, {"X"}, kToday) == match::Exclusion::declined);
    CHECK(match::hard_rule(declined, "R1", {}, {}, {"Y"}, kToday) == std::nullopt);
}

TEST_CASE("members without any skill match are not suggested") {
    Bank b;
    b.member("R1", {});
    b.member("G1", {"gardening"});
    b.member("C1", {"cooking"});
    auto n = b.request("R1", "Gardening", "the grass is too long");
    CHECK(ids(b.suggest(n)) == std::vector<std::string>{"G1"});
    auto none = b.request("R1", "Unknown", "please help");
    CHECK(b.suggest(none).empty());
}

TEST_CASE("ties are broken by member ID and the order is stable") {
    Bank b;
    b.member("R1", {});
    for (auto id : {"M0009", "M0002", "M0005"}) b.member(id, {"gardening"});
    auto n = b.request("R1", "Gardening", "gardening");
    auto first = b.suggest(n);
    CHECK(ids(first) == std::vector<std::string>{"M0002", "M0005", "M0009"});
    CHECK(ids(b.suggest(n)) == ids(first));
}

TEST_CASE("place, recency, fairness and history move the order") {
    Bank b;
    b.member("R1", {}, "Hyde Park", "LS6 1AA");
    b.member("NEAR", {"gardening"}, "", "LS6 9ZZ");
    b.member("FAR", {"gardening"}, "", "LS7 1AA");
    auto n = b.request("R1", "Gardening", "gardening");
    auto list = b.suggest(n);
    REQUIRE(ids(list) == std::vector<std::string>{"NEAR", "FAR"});
    CHECK(list[0].parts.place == 1.0);
    CHECK(tb::match::describe(list[0].why).place == "same postcode district LS6");
    CHECK(list[0].why.place == tb::match::Place::same_district);
    CHECK(list[0].why.district == "LS6");

    store::append_exchange(b.s, hour_draft(kToday - 9, "FAR", "R1"), "test");
    list = b.suggest(n);
    auto far = std::find_if(list.begin(), list.end(), [](auto& s) { return s.member == "FAR"; });
    REQUIRE(far != list.end());
    CHECK(far->parts.history == 0.5);
    CHECK(far->parts.recency == doctest::Approx(0.9));
    CHECK(tb::match::describe(far->why).history == "1 earlier exchange");
    CHECK(far->why.earlier == 1);
}

TEST_CASE("plan_run respects max_open_per_member and pending proposals") {
    Bank b;
    b.config.max_open_per_member = 1;
    b.member("R1", {});
    b.member("R2", {});
    b.member("A", {"gardening"});
    b.member("B", {"lawn mowing"});
    auto r1 = b.request("R1", "Gardening", "gardening");
    auto r2 = b.request("R2", "Gardening", "gardening");
    auto open = store::list_requests(b.s, {});
    auto plan = match::plan_run(b.s, b.config, kToday, open);
    REQUIRE(plan.proposals.size() == 2);
    CHECK(plan.proposals[0].member != plan.proposals[1].member);

    // A pending proposal uses A's only place and keeps its request out of the run.
    store::insert_proposal(b.s, 1, r1, "A", 1.0);
    plan = match::plan_run(b.s, b.config, kToday, open);
    CHECK(plan.skipped == std::vector<std::int64_t>{r1});
    REQUIRE(plan.proposals.size() == 1);
    CHECK(plan.proposals[0].request == r2);
    CHECK(plan.proposals[0].member == "B");
}

TEST_CASE("plan_run's short lists give the same total as the full problem") {
    Bank b;
    b.config.max_open_per_member = 1;
    const char* places[] = {"North", "South", "East", "West"};
    for (int i = 0; i < 60; ++i) {
        auto id = fmt::format("H{:02}", i);
        b.member(id, {i % 3 ? "gardening" : "lawn mowing"}, places[i % 4], fmt::format("LS{} 1AA", i % 5));
    }
    for (int i = 0; i < 60; i += 7) {
        store::append_exchange(b.s, hour_draft(kToday - i, fmt::format("H{:02}", i), fmt::format("H{:02}", (i + 1) % 60)),
                               "test");
    }
    for (int i = 0; i < 12; ++i) b.request(fmt::format("H{:02}", i * 5), "Gardening", i % 2 ? "mow my lawn" : "garden");
    auto open = store::list_requests(b.s, {});
    auto plan = match::plan_run(b.s, b.config, kToday, open);

    // The full problem: every eligible pair.
    match::Matcher m(b.s, b.config, kToday);
    match::AssignmentProblem p;
    p.requests = static_cast<int>(open.size());
    std::map<std::string, int> index;
    for (std::size_t r = 0; r < open.size(); ++r)
        for (auto& rk : m.rank(open[r])) {
            auto [it, added] = index.emplace(m.candidate(rk.candidate).id, static_cast<int>(index.size()));
            if (added) p.capacity.push_back(1);
            p.arcs.push_back({static_cast<int>(r), it->second, rk.micros});
        }
    auto full = match::assign_optimal(p);
    CHECK(static_cast<int>(plan.proposals.size()) == full.assigned);
    CHECK(plan.total_micros == full.total_gain);
    std::set<std::string> used;
    for (auto& pp : plan.proposals) CHECK(used.insert(pp.member).second);  // one each
}

TEST_CASE("declining: only pending proposals, only the member's with a member, never proposed again") {
    Bank b;
    b.config.max_open_per_member = 1;
    b.member("R1", {}, "Hyde Park");
    b.member("R2", {}, "Hyde Park");
    b.member("A", {"gardening"}, "Hyde Park");
    b.member("B", {"gardening"});
    auto r1 = b.request("R1", "Gardening", "gardening");
    auto r2 = b.request("R2", "Gardening", "gardening");
    store::insert_proposal(b.s, 1, r1, "A", 1.0);
    store::insert_proposal(b.s, 1, r1, "B", 1.0);
    CHECK(store::pending_proposals(b.s).at(r1) == std::vector<std::string>{"A", "B"});

    // Nothing pending on r2; B has none pending to decline after this.
    CHECK(store::decline_proposals(b.s, r2, std::nullopt) == 0);
    CHECK(store::decline_proposals(b.s, r1, std::string("B")) == 1);
    CHECK(store::decline_proposals(b.s, r1, std::string("B")) == 0);
    CHECK(store::pending_proposals(b.s).at(r1) == std::vector<std::string>{"A"});
    CHECK(store::declined_members(b.s, r1) == std::set<std::string>{"B"});
    CHECK(store::declined_members(b.s, r2).empty());

    // An accepted proposal is not pending: declining leaves it alone.
    CHECK(store::accept_proposals(b.s, r1, "A") == 1);
    CHECK(store::decline_proposals(b.s, r1, std::nullopt) == 0);
    CHECK(store::declined_members(b.s, r1) == std::set<std::string>{"B"});
}

TEST_CASE("a member who declined a request is left out of its suggestions and runs, and nothing else") {
    Bank b;
    b.config.max_open_per_member = 1;
    b.member("R1", {}, "Hyde Park");
    b.member("R2", {}, "Hyde Park");
    b.member("A", {"gardening"}, "Hyde Park");  // the best for both requests
    b.member("B", {"gardening"});
    auto r1 = b.request("R1", "Gardening", "gardening");
    auto r2 = b.request("R2", "Gardening", "gardening");
    CHECK(ids(b.suggest(r1)) == std::vector<std::string>{"A", "B"});

    store::insert_proposal(b.s, 1, r1, "A", 1.0);
    store::insert_proposal(b.s, 1, r2, "B", 1.0);
    REQUIRE(b.suggest(r2)[0].member == "A");
    CHECK(b.suggest(r2)[0].open_proposals == 1);
    REQUIRE(store::decline_proposals(b.s, r1, std::nullopt) == 1);

    match::Matcher m(b.s, b.config, kToday);
    CHECK(ids(m.suggest(*store::find_request(b.s, r1))) == std::vector<std::string>{"B"});
    CHECK(m.last_exclusions().count.at(match::Exclusion::declined) == 1);
    // The decline is about r1 only, and a declined proposal is not open:
    // A's fairness and room are as if it had never been made.
    auto for_r2 = m.suggest(*store::find_request(b.s, r2), true);
    REQUIRE(ids(for_r2) == std::vector<std::string>{"A", "B"});
    CHECK(for_r2[0].open_proposals == 0);
    CHECK(tb::match::describe(for_r2[0].why).fairness.find("0 open proposals") != std::string::npos);
    CHECK(for_r2[0].why.open_proposals == 0);

    // r1 has nothing pending now: the run assigns it again, not to A. B's
    // one place is taken by its pending r2, so r1 goes to nobody...
    auto plan = match::plan_run(b.s, b.config, kToday, store::list_requests(b.s, {}));
    CHECK(plan.skipped == std::vector<std::int64_t>{r2});
    CHECK(plan.unmatched == std::vector<std::int64_t>{r1});
    CHECK(plan.proposals.empty());
    // ... until B declines r2 too: then r1 goes to B, r2 to A.
    REQUIRE(store::decline_proposals(b.s, r2, std::string("B")) == 1);
    plan = match::plan_run(b.s, b.config, kToday, store::list_requests(b.s, {}));
    REQUIRE(plan.proposals.size() == 2);
    CHECK(plan.proposals[0].request == r1);
    CHECK(plan.proposals[0].member == "B");
    CHECK(plan.proposals[1].request == r2);
    CHECK(plan.proposals[1].member == "A");
}
