#pragma once
// A small timebank in a scratch directory, built through the store API, for
// the tb-report unit tests.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace tb::test {

inline Date d(const char* iso) { return *parse_iso_date(iso); }

// An exchange to append: `reverses` makes it a void.
inline ExchangeDraft draft(const char* date, const std::string& provider, const std::string& recipient,
                           Minutes minutes, std::optional<std::int64_t> reverses = std::nullopt) {
    ExchangeDraft x;
    x.date = d(date);
    x.provider = provider;
    x.recipient = recipient;
    x.minutes = minutes;
    x.reverses = reverses;
    return x;
}

class ReportBank {
public:
    ReportBank() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tb-report-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        dir_ = tmpl;
        store_ = std::make_unique<store::Store>((dir_ / "timebank.db").string(), store::OpenMode::read_write, 1000);
    }
    ~ReportBank() {
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    ReportBank(const ReportBank&) = delete;
    ReportBank& operator=(const ReportBank&) = delete;

    store::Store& store() { return *store_; }
    std::string path() const { return (dir_ / "timebank.db").string(); }

    Member& member(const std::string& id, const std::string& name, const char* joined = "2026-01-01",
                   MemberKind kind = MemberKind::person, std::vector<std::string> tags = {},
                   const std::string& neighbourhood = "") {
        Member m;
        m.id = id;
        m.name = name;
        m.kind = kind;
        m.joined = d(joined);
        m.tags = std::move(tags);
        m.neighbourhood = neighbourhood;
        store::insert_member(*store_, m);
        members_.push_back(m);
        return members_.back();
    }
    void set_status(const std::string& id, MemberStatus st) { store::set_member_status(*store_, id, st, ""); }
    void set_limits(const std::string& id, BalanceLimit lo, BalanceLimit hi) {
        auto m = *store::find_member(*store_, id);
        m.min_limit = lo;
        m.max_limit = hi;
        store::update_member(*store_, m);
    }

    std::int64_t trade(const char* date, const std::string& provider, const std::string& recipient, Minutes minutes,
                       const std::string& category = "Gardening", const std::string& note = "") {
        auto x = draft(date, provider, recipient, minutes);
        x.category = category;
        x.note = note;
        return store::append_exchange(*store_, x, "test").number;
    }
    // A void as tb-exchange records it: a new exchange, sides swapped.
    std::int64_t void_exchange(std::int64_t number, const char* date) {
        auto e = *store::find_exchange(*store_, number);
        ExchangeDraft x;
        x.date = d(date);
        x.provider = e.recipient;
        x.recipient = e.provider;
        x.minutes = e.minutes;
        x.category = e.category;
        x.reverses = number;
        return store::append_exchange(*store_, x, "test").number;
    }
    void opening(const std::string& member, Minutes minutes, const char* date) {
        store::append_opening(*store_, member, minutes, d(date), "carried over", "test");
    }
    // Requests and proposals belong to tb-match; a test writes the rows itself.
    std::int64_t request(const std::string& member, const std::string& category, const std::string& text) {
        SQLite::Statement q(store_->db(),
                            "INSERT INTO request (member, category, text, created_at, recorded_by) "
                            "VALUES (?, ?, ?, '2026-11-01T10:00:00Z', 'test')");
        q.bind(1, member);
        q.bind(2, category);
        q.bind(3, text);
        q.exec();
        return store_->db().getLastInsertRowid();
    }
    void propose(std::int64_t request, const std::string& member) {
        SQLite::Statement q(store_->db(),
                            "INSERT INTO proposal (run, request, member, score, created_at) "
                            "VALUES (1, ?, ?, 1.0, '2026-11-02T10:00:00Z')");
        q.bind(1, request);
        q.bind(2, member);
        q.exec();
    }

    // Anything else a test needs in the store (created_at, needed_by, outcome...).
    void sql(const std::string& statements) { store_->db().exec(statements); }

private:
    std::filesystem::path dir_;
    std::unique_ptr<store::Store> store_;
    std::vector<Member> members_;
};

// Two people (ann, bob) and two organisations (home, cafe), for the tests of
// the kept totals (test_store_rollup.cpp, test_store_pair_year.cpp).
inline void four_members(ReportBank& b) {
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation);
    b.member("cafe", "Café Sól", "2024-01-01", MemberKind::organisation);
}

// A ledger of fifteen months for the tests that compare what reports read
// from the kept monthly totals with what they read from every exchange:
// members ann, bob, home (an organisation), cafe (one until after
// everything), zoe (a person who becomes an organisation half way) and dan;
// two trades on most days in four categories, every ninth voided up to 40
// days later (often in a later month), and a void of December's last
// exchange in January, across the year. Returns how many trades.
inline int random_ledger(ReportBank& b) {
    b.member("ann", "Ann Lee", "2025-03-01", MemberKind::person, {"carer"}, "Newsome");
    b.member("bob", "Bob Ó Súilleabháin", "2026-11-20", MemberKind::person, {"carer", "ward-3"}, "Lockwood");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation, {}, "Newsome");
    b.member("cafe", "Café Sól", "2024-01-01", MemberKind::organisation);
    b.member("zoe", "Zoë", "2025-06-15", MemberKind::person, {"ward-3"});
    b.member("dan", "Dan", "2025-01-01", MemberKind::person, {}, "lockwood ");
    const std::vector<std::string> ids = {"ann", "bob", "home", "cafe", "zoe", "dan"};
    const std::vector<std::string> cats = {"Gardening", "Household", "", "Care & companionship"};
    std::uint32_t seed = 12345;
    auto next = [&](std::uint32_t n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    std::vector<std::pair<std::int64_t, Date>> to_void;  // exchange, void date
    auto void_due = [&](Date day) {
        for (auto it = to_void.begin(); it != to_void.end();) {
            if (it->second <= day) {
                b.void_exchange(it->first, to_string(it->second).c_str());
                it = to_void.erase(it);
            } else {
                ++it;
            }
        }
    };
    int n = 0;
    for (Date day = d("2025-01-01"); day <= d("2026-03-31"); day = day + 1 + static_cast<int>(next(2))) {
        void_due(day);
        if (day == d("2025-09-01")) {
            // Zoë becomes an organisation half way: her trades move pairs.
            auto zoe = *store::find_member(b.store(), "zoe");
            zoe.kind = MemberKind::organisation;
            store::update_member(b.store(), zoe);
        }
        for (int k = 0; k < 2; ++k) {
            auto p = ids[next(static_cast<std::uint32_t>(ids.size()))];
            auto r = ids[next(static_cast<std::uint32_t>(ids.size()))];
            if (p == r) continue;
            auto date = to_string(day);
            auto num = b.trade(date.c_str(), p, r, 15 * (1 + static_cast<Minutes>(next(12))),
                               cats[next(static_cast<std::uint32_t>(cats.size()))]);
            if (++n % 9 == 0) to_void.push_back({num, day + static_cast<int>(next(41))});
        }
    }
    void_due(d("2026-12-31"));
    auto dec = b.trade("2025-12-31", "home", "ann", 60, "Household");
    b.void_exchange(dec, "2026-01-02");
    auto cafe = *store::find_member(b.store(), "cafe");
    cafe.kind = MemberKind::person;
    store::update_member(b.store(), cafe);
    return n;
}

// A short ledger that starts and ends mid-month (2026-03-10 to 2026-04-14,
// a void on the last day), and periods starting around its first day and
// ending around its last: where a period covers the rest of the ledger,
// its part months are read from the kept totals (report::split_months).
inline void mid_month_ledger(ReportBank& b) {
    b.member("ann", "Ann Lee", "2025-03-01", MemberKind::person, {"carer"}, "Newsome");
    b.member("bob", "Bob Ó Súilleabháin", "2026-03-20", MemberKind::person, {"carer", "ward-3"}, "Lockwood");
    b.member("home", "Rosewood Care Home", "2024-01-01", MemberKind::organisation, {}, "Newsome");
    b.member("cafe", "Café Sól", "2024-01-01", MemberKind::organisation);
    b.trade("2026-03-10", "ann", "bob", 60, "Gardening");
    b.trade("2026-03-20", "bob", "ann", 30, "Household");
    auto v = b.trade("2026-04-05", "ann", "home", 45, "Gardening");
    b.trade("2026-04-12", "home", "cafe", 15, "Household");
    b.void_exchange(v, "2026-04-14");
    b.trade("2026-04-14", "cafe", "ann", 90, "Gardening");
}
inline std::vector<Period> periods_around_mid_month_ledger() {
    std::vector<Period> periods;
    for (Date a = d("2026-02-27"); a <= d("2026-03-12"); a = a + 1)
        for (Date z = d("2026-04-11"); z <= d("2026-05-02"); z = z + 1) periods.push_back({a, z});
    return periods;
}

// Periods of every shape over that ledger: each day around it, whole years
// and months, months short of a day at either end or both, months with a
// day more at both ends, quarters, long stretches from `seed`, and open ends.
inline std::vector<Period> periods_of_every_shape(int stretches = 300) {
    std::vector<Period> periods;
    for (Date day = d("2024-12-28"); day <= d("2026-04-03"); day = day + 1) periods.push_back({day, day});
    for (int y = 2024; y <= 2027; ++y) {
        periods.push_back({from_ymd(y, 1, 1), from_ymd(y, 12, 31)});
        for (int m = 1; m <= 12; ++m) {
            Date a = from_ymd(y, m, 1), z = from_ymd(y, m, days_in_month(y, m));
            periods.push_back({a, z});
            periods.push_back({a, z - 1});
            periods.push_back({a + 1, z});
            periods.push_back({a + 9, z - 9});
            periods.push_back({a - 1, z + 1});
            if (m % 3 == 1) periods.push_back({a, from_ymd(y, m + 2, days_in_month(y, m + 2))});
        }
    }
    std::uint32_t seed = 777;
    auto next = [&](std::uint32_t n) {
        seed = seed * 1664525u + 1013904223u;
        return (seed >> 8) % n;
    };
    for (int i = 0; i < stretches; ++i) {
        Date a = d("2024-11-01") + static_cast<int>(next(560));
        periods.push_back({a, a + static_cast<int>(next(400))});
    }
    periods.push_back({from_ymd(1, 1, 1), d("2025-06-30")});
    periods.push_back({d("2025-06-01"), from_ymd(9999, 12, 31)});
    periods.push_back({from_ymd(1, 1, 1), from_ymd(9999, 12, 31)});
    periods.push_back({d("2030-01-01"), d("2030-12-31")});
    periods.push_back({d("1000-01-02"), d("8999-12-30")});  // compared with millennia before the year 1
    return periods;
}

// Makes the kept monthly totals look behind the ledger, so that reports read
// every exchange (store::rollups_current is false).
inline void forget_rollups(ReportBank& b) { b.sql("DELETE FROM meta WHERE key = 'rollup_upto'"); }

}  // namespace tb::test
