// tb_match_gen: a reproducible store for the matching benchmark.
//
//   tb_match_gen --db FILE [--members 10000] [--requests 1000] [--exchanges 30000]
//                [--today 2026-11-27] [--seed 1]
//
// Written through the store API in one transaction. Members offer one to
// four skills of the shipped taxonomy (and some skills of their own), live
// in one of 24 neighbourhoods and 40 postcode districts, many hold a dbs
// check or a driving licence (some expired), a few are inactive, a few pairs
// are blocked; the ledger has recent exchanges (recency, fairness, history);
// the requests are open, in every category, worded from the taxonomy.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/requests.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Options {
    std::string db;
    int members = 10000;
    int requests = 1000;
    int exchanges = 30000;
    std::string today = "2026-11-27";
    unsigned seed = 1;
};

const bench::Usage kUsage{"tb_match_gen",
                          "usage: tb_match_gen --db FILE [--members N] [--requests N] [--exchanges N] [--today DATE] "
                          "[--seed N]\n"};

Options parse(int argc, char** argv) {
    Options o;
    bench::read_options(argc, argv, kUsage,
                        {{"--db", &o.db}, {"--members", &o.members}, {"--requests", &o.requests},
                         {"--exchanges", &o.exchanges}, {"--today", &o.today}, {"--seed", &o.seed}});
    if (o.db.empty()) kUsage.fail("--db is required");
    return o;
}

const std::vector<std::string> kOwnSkills = {"dog walking",  "bike repairs",   "knitting",   "sewing repairs",
                                             "photography",  "reading aloud",  "chess",      "bread making",
                                             "cv writing",   "guitar lessons", "car washing", "sign language"};
const std::vector<std::string> kOpenings = {"could someone help with", "looking for", "I need",
                                            "would love some", "please can somebody do some"};

}  // namespace

int main(int argc, char** argv) {
    auto o = parse(argc, argv);
    if (fs::exists(o.db)) kUsage.fail(o.db + " exists; remove it first");
    Date today = *parse_iso_date(o.today);
    Config config = load_config("");
    // Skills and request wording come from the categories that list skills
    // (a catch-all such as "Other" lists none).
    std::vector<Category> cats;
    for (auto& c : config.categories)
        if (!c.skills.empty()) cats.push_back(c);
    if (cats.empty()) kUsage.fail("no taxonomy with skills found (set TB_SHARE_DIR)");

    std::mt19937 rng(o.seed);
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    store::Store s(o.db, store::OpenMode::read_write, 5000);
    store::WriteTransaction tx(s);
    std::vector<std::string> ids;
    for (int i = 1; i <= o.members; ++i) {
        Member m;
        m.id = fmt::format("M{:05}", i);
        m.name = fmt::format("Member {}", i);
        m.joined = today - static_cast<int>(pick(1500));
        m.neighbourhood = fmt::format("Neighbourhood {}", pick(24) + 1);
        m.postcode = fmt::format("LS{} {}{}{}", pick(40) + 1, pick(9) + 1, static_cast<char>('A' + pick(26)),
                                 static_cast<char>('A' + pick(26)));
        int n = 1 + static_cast<int>(pick(4));
        for (int k = 0; k < n; ++k) {
            if (chance(0.1)) {
                m.offers.push_back(kOwnSkills[pick(kOwnSkills.size())]);
            } else {
                auto& c = cats[pick(cats.size())];
                m.offers.push_back(c.skills[pick(c.skills.size())]);
            }
        }
        std::sort(m.offers.begin(), m.offers.end());
        m.offers.erase(std::unique(m.offers.begin(), m.offers.end()), m.offers.end());
        m.created_at = "2026-01-01T00:00:00Z";
        store::insert_member(s, m);
        if (chance(0.45)) store::set_check(s, m.id, "dbs", today + static_cast<int>(pick(900)) - 150);
        if (chance(0.5)) store::set_check(s, m.id, "driving-licence", today + static_cast<int>(pick(3000)) - 100);
        if (chance(0.03)) store::set_member_status(s, m.id, MemberStatus::inactive, "");
        ids.push_back(m.id);
    }
    for (int i = 0; i < o.members / 200; ++i) {
        auto a = ids[pick(ids.size())], b = ids[pick(ids.size())];
        if (a != b) store::add_block(s, a, b, "");
    }
    for (int i = 0; i < o.exchanges; ++i) {
        ExchangeDraft d;
        d.date = today - static_cast<int>(pick(365));
        d.provider = ids[pick(ids.size())];
        do d.recipient = ids[pick(ids.size())];
        while (d.recipient == d.provider);
        d.minutes = 30 * static_cast<Minutes>(1 + pick(6));
        d.category = cats[pick(cats.size())].name;
        store::append_exchange(s, d, "tb_match_gen");
    }
    for (int i = 0; i < o.requests; ++i) {
        Request r;
        r.member = ids[pick(ids.size())];
        auto& c = cats[pick(cats.size())];
        r.category = c.name;
        std::string what = c.skills[pick(c.skills.size())];
        if (!c.keywords.empty() && chance(0.7)) what += " " + c.keywords[pick(c.keywords.size())];
        r.text = kOpenings[pick(kOpenings.size())] + " " + what;
        if (chance(0.5)) r.minutes = 60 * static_cast<Minutes>(1 + pick(3));
        r.recorded_by = "tb_match_gen";
        store::insert_request(s, r);
    }
    tx.commit();
    std::cout << fmt::format("{}: {} members, {} exchanges, {} open requests\n", o.db, o.members, o.exchanges,
                             o.requests);
    return 0;
}
