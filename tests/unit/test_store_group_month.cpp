// The monthly totals per group (lib/tb/store/group_month.cpp).
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "raw_rows.hpp"
#include "report_fixture.hpp"
#include "tb/store/group_month.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/rollup.hpp"

using namespace tb;
using tb::test::d;

namespace {

// group_month's rows of one grouping, "month|group|category|pair|exchanges|minutes", in key order.
std::vector<std::string> rows(store::Store& s, const char* grouping) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT month || '|' || group_key || '|' || category || '|' || pair || '|' || "
                                "exchanges || '|' || minutes FROM group_month WHERE grouping = ? "
                                "ORDER BY month, group_key, category, pair");
    q.bind(1, grouping);
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

// member_org_month's rows, "month|member|trades", in key order.
std::vector<std::string> org_rows(store::Store& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT month || '|' || member || '|' || trades FROM member_org_month "
                                "ORDER BY month, member");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::vector<std::string> all_rows(store::Store& s) {
    std::vector<std::string> out;
    for (auto* g : store::kGroupings)
        for (auto& r : rows(s, g)) out.push_back(std::string(g) + " " + r);
    for (auto& r : org_rows(s)) out.push_back("org " + r);
    return out;
}

// The table must be what a rebuild from the ledger gives, and tb check must agree.
void expect_exact(store::Store& s) {
    CHECK(store::rollups_current(s));
    CHECK(store::check_rollups(s).empty());
    auto kept = all_rows(s);
    store::rebuild_rollups(s);
    CHECK(all_rows(s) == kept);
}

Member& with_postcode(Member& m, const char* postcode) {
    m.postcode = postcode;
    return m;
}

void bank(tb::test::ReportBank& b) {
    b.member("ann", "Ann Lee", "2024-01-01", MemberKind::person, {"carer", "Ward 3"}, "Newsome");
    b.member("bob", "Bob Marsh", "2024-01-01", MemberKind::person, {"carer"}, "newsome ");
    b.member("zoe", "Zoë", "2024-01-01", MemberKind::person, {"ward3"}, "Lockwood");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
    auto& s = b.store();
    for (auto [id, pc] : {std::pair{"ann", "HD1 4QX"}, {"bob", "hd14ab"}, {"zoe", "HD2 1AA"}}) {
        auto m = *store::find_member(s, id);
        store::update_member(s, with_postcode(m, pc));
    }
}

Member member(store::Store& s, const char* id) { return *store::find_member(s, id); }

}  // namespace

TEST_CASE("a trade counts once in each group of either side: within a group once, across groups in both") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");  // both carers, both Newsome, both HD1
    b.trade("2026-01-06", "bob", "zoe", 30, "Gardening");  // carer and ward3; Newsome and Lockwood
    b.trade("2026-01-07", "zoe", "home", 15, "");          // home: no tags, (none) neighbourhood and district
    b.trade("2026-01-08", "ann", "pot", 20, "");           // the pot: no trade
    auto& s = b.store();
    CHECK(rows(s, "tag") == std::vector<std::string>{
                                "2026-01|carer|Gardening|0|2|90",
                                "2026-01|ward3||1|1|15",
                                "2026-01|ward3|Gardening|0|2|90",
                            });
    CHECK(rows(s, "neighbourhood") == std::vector<std::string>{
                                          "2026-01|\x01none||1|1|15",
                                          "2026-01|lockwood||1|1|15",
                                          "2026-01|lockwood|Gardening|0|1|30",
                                          "2026-01|newsome|Gardening|0|2|90",
                                      });
    CHECK(rows(s, "postcode-district") == std::vector<std::string>{
                                              "2026-01|\x01none||1|1|15",
                                              "2026-01|hd1|Gardening|0|2|90",
                                              "2026-01|hd2||1|1|15",
                                              "2026-01|hd2|Gardening|0|1|30",
                                          });
    expect_exact(s);
}

TEST_CASE("a void takes its original out of the original's month and groups, across months and years") {
    tb::test::ReportBank b;
    bank(b);
    auto x = b.trade("2025-12-30", "ann", "zoe", 60, "Gardening");
    b.trade("2026-01-05", "ann", "bob", 30, "Gardening");
    auto y = b.trade("2026-01-31", "bob", "home", 45, "Household");
    b.void_exchange(x, "2026-02-01");  // a year later
    b.void_exchange(y, "2026-03-01");  // a month later
    auto& s = b.store();
    CHECK(rows(s, "tag") == std::vector<std::string>{"2026-01|carer|Gardening|0|1|30", "2026-01|ward3|Gardening|0|1|30"});
    expect_exact(s);
    // The same in one write (an import), and a void of a void reverses nothing counted.
    {
        store::WriteTransaction tx(s);
        store::LedgerAppender a(s, "test");
        auto e = a.append({d("2026-03-10"), "zoe", "home", 120, "Household", "", "", std::nullopt, ""});
        auto v = a.append({d("2027-01-01"), "home", "zoe", 120, "Household", "", "", e.number, ""});
        a.append({d("2027-01-02"), "zoe", "home", 120, "Household", "", "", v.number, ""});
        a.append({d("2026-03-11"), "zoe", "ann", 20, "Household", "", "", std::nullopt, ""});
        a.flush();
        tx.commit();
    }
    CHECK(rows(s, "neighbourhood") == std::vector<std::string>{"2026-01|newsome|Gardening|0|1|30",
                                                               "2026-03|lockwood|Household|0|1|20",
                                                               "2026-03|newsome|Household|0|1|20"});
    expect_exact(s);
}

TEST_CASE("a batch that writes its group totals out as it goes gives the same table") {
    tb::test::ReportBank b;
    bank(b);
    b.trade("2025-11-03", "ann", "bob", 60, "Gardening");
    auto& s = b.store();
    store::WriteTransaction tx(s);
    // The totals are written out past every row or so (a third of 3): many
    // times below, the voids' negative rows among them.
    store::RollupBatch batch(s, 3);
    tb::test::RawRows raw(s, 1);
    auto& number = raw.number;
    auto row = [&](Date date, const std::string& p, const std::string& r, Minutes m, const std::string& category,
                   std::optional<std::int64_t> reverses) {
        raw.add(date, p, r, m, category, reverses);
        if (reverses) batch.void_of(*reverses);
        else batch.add(date, category, p, r, m);
    };
    const char* ids[] = {"ann", "bob", "zoe", "home"};
    const char* categories[] = {"Gardening", "Household", ""};
    for (int i = 0; i < 240; ++i) {
        auto date = d("2025-12-20") + i;
        auto p = ids[i % 4], r = ids[(i + 1 + i / 4 % 3) % 4];
        row(date, p, r, 15 * (1 + i % 3), categories[i % 3], std::nullopt);
        // Every fifth voided, some in the next year.
        if (i % 5 == 0) row(date + 150, r, p, 15 * (1 + i % 3), categories[i % 3], number);
    }
    row(d("2026-06-01"), "bob", "ann", 60, "Gardening", 1);  // last year's first
    batch.apply(number);
    tx.commit();
    CHECK_FALSE(rows(s, "tag").empty());
    expect_exact(s);
}

TEST_CASE("exchanges written behind the totals are folded in by a refresh") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    auto first = b.trade("2025-11-03", "ann", "bob", 60, "Gardening");
    // Rows straight into the table: a refresh folds them in by SQL.
    s.db().exec(fmt::format("INSERT INTO exchange (number, date, provider, recipient, minutes, category, reverses, "
                            "recorded_at, recorded_by, fingerprint, note_digest, hash) VALUES "
                            "({0} + 1, '2026-01-02', 'zoe', 'home', 30, '', NULL, 'now', 'test', 'f', 'd', 'h'), "
                            "({0} + 2, '2026-02-02', 'bob', 'ann', 60, 'Gardening', {0}, 'now', 'test', 'f', 'd', 'h')",
                            first));
    REQUIRE_FALSE(store::rollups_current(s));
    store::refresh_rollups(s);
    CHECK(rows(s, "tag") == std::vector<std::string>{"2026-01|ward3||1|1|30"});
    expect_exact(s);
}

TEST_CASE("a member's new tags, neighbourhood, postcode or kind move their trades to the new groups") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-01-06", "bob", "zoe", 30, "Gardening");
    auto v = b.trade("2026-01-07", "zoe", "home", 45, "Gardening");
    b.void_exchange(v, "2027-01-08");
    b.trade("2026-02-01", "home", "ann", 90, "");
    CHECK(org_rows(s) == std::vector<std::string>{"2026-02|ann|1"});
    SUBCASE("tags") {
        auto bob = member(s, "bob");
        bob.tags = {"Ward 3", "driver"};
        store::update_member(s, bob);
        CHECK(rows(s, "tag") == std::vector<std::string>{
                                    "2026-01|carer|Gardening|0|1|60",
                                    "2026-01|driver|Gardening|0|2|90",
                                    "2026-01|ward3|Gardening|0|2|90",
                                    "2026-02|carer||1|1|90",
                                    "2026-02|ward3||1|1|90",
                                });
    }
    SUBCASE("neighbourhood, spelt another way or changed") {
        auto before = rows(s, "neighbourhood");
        auto bob = member(s, "bob");
        bob.neighbourhood = "NewSome";
        store::update_member(s, bob);
        CHECK(rows(s, "neighbourhood") == before);
        bob.neighbourhood = "Lockwood";
        store::update_member(s, bob);
        CHECK(rows(s, "neighbourhood") == std::vector<std::string>{
                                              "2026-01|lockwood|Gardening|0|2|90",
                                              "2026-01|newsome|Gardening|0|1|60",
                                              "2026-02|\x01none||1|1|90",
                                              "2026-02|newsome||1|1|90",
                                          });
    }
    SUBCASE("postcode") {
        auto home = member(s, "home");
        store::update_member(s, with_postcode(home, "HD2 9ZZ"));
        CHECK(rows(s, "postcode-district") == std::vector<std::string>{
                                                  "2026-01|hd1|Gardening|0|2|90",
                                                  "2026-01|hd2|Gardening|0|1|30",
                                                  "2026-02|hd1||1|1|90",
                                                  "2026-02|hd2||1|1|90",
                                              });
    }
    SUBCASE("kind") {
        auto ann = member(s, "ann");
        ann.kind = MemberKind::organisation;
        store::update_member(s, ann);
        CHECK(rows(s, "tag") == std::vector<std::string>{
                                    "2026-01|carer|Gardening|0|1|30",
                                    "2026-01|carer|Gardening|1|1|60",
                                    "2026-01|ward3|Gardening|0|1|30",
                                    "2026-01|ward3|Gardening|1|1|60",
                                    "2026-02|carer||2|1|90",
                                    "2026-02|ward3||2|1|90",
                                });
        // Bob's trade with Ann is now with an organisation; Ann's with the home was already.
        CHECK(org_rows(s) == std::vector<std::string>{"2026-01|bob|1", "2026-02|ann|1", "2026-02|home|1"});
    }
    SUBCASE("forgotten") {
        store::forget_member(s, "zoe");
        CHECK(rows(s, "tag") == std::vector<std::string>{
                                    "2026-01|carer|Gardening|0|2|90",
                                    "2026-01|ward3|Gardening|0|1|60",
                                    "2026-02|carer||1|1|90",
                                    "2026-02|ward3||1|1|90",
                                });
        CHECK(rows(s, "neighbourhood").front() == "2026-01|\x01none|Gardening|0|1|30");
    }
    expect_exact(s);
}

TEST_CASE("tb check finds group totals that differ from the ledger, and a rebuild mends them") {
    tb::test::ReportBank b;
    bank(b);
    auto& s = b.store();
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "zoe", "home", 30, "Gardening");
    CHECK(store::check_rollups(s).empty());
    s.db().exec("UPDATE group_month SET minutes = minutes + 1 WHERE grouping = 'tag' AND month = '2026-02'");
    s.db().exec("INSERT INTO group_month VALUES ('neighbourhood', '2025-12', 'newsome', '', 0, 0, 0)");
    s.db().exec("UPDATE group_month SET group_key = 'hd9' WHERE grouping = 'postcode-district' AND month = '2026-01'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-02 (group_month, tag) do not match the ledger",
                                   "monthly totals for 2025-12 (group_month, neighbourhood) do not match the ledger",
                                   "monthly totals for 2026-01 (group_month, postcode-district) do not match the ledger"});
    store::rebuild_rollups(s);
    CHECK(store::check_rollups(s).empty());
    s.db().exec("UPDATE member_org_month SET trades = 2 WHERE month = '2026-02'");
    s.db().exec("INSERT INTO member_org_month VALUES ('2026-01', 'ann', 0)");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-01 (member_org_month) do not match the ledger",
                                   "monthly totals for 2026-02 (member_org_month) do not match the ledger"});
    store::rebuild_rollups(s);
    // A member's groups changed behind the totals' back.
    s.db().exec("UPDATE member SET neighbourhood = 'Lockwood' WHERE id = 'ann'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-01 (group_month, neighbourhood) do not match the ledger"});
    // And a member's kind: the other side's trades with organisations change.
    store::rebuild_rollups(s);
    s.db().exec("UPDATE member SET kind = 'person' WHERE id = 'home'");
    CHECK(store::check_rollups(s) ==
          std::vector<std::string>{"monthly totals for 2026-02 (trade_month) do not match the ledger",
                                   "monthly totals for 2026-02 (member_org_month) do not match the ledger",
                                   "monthly totals for 2026-02 (group_month, tag) do not match the ledger",
                                   "monthly totals for 2026-02 (group_month, neighbourhood) do not match the ledger",
                                   "monthly totals for 2026-02 (group_month, postcode-district) do not match the ledger"});
}

TEST_CASE("member_groups: each grouping's keys as summary --by compares them, people and organisations only") {
    tb::test::ReportBank b;
    bank(b);
    auto g = store::member_groups(b.store(), "ann");
    CHECK_FALSE(g.organisation);
    CHECK(g.keys[0] == std::vector<std::string>{"carer", "ward3"});
    CHECK(g.keys[1] == std::vector<std::string>{"newsome"});
    CHECK(g.keys[2] == std::vector<std::string>{"hd1"});
    auto pot = store::member_groups(b.store(), "pot");
    CHECK(pot.keys[1].empty());
    CHECK(store::member_groups(b.store(), "nobody") == store::MemberGroups{});
    CHECK(store::member_groups(b.store(), "home").organisation);
}
