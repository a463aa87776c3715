// Whole-store operations: tb init, tb check --rebuild-totals.
#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "scratch_dir.hpp"
#include "tb/core/store_service.hpp"
#include "tb/store/members.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/store.hpp"
#include "tb/util/error.hpp"

using namespace tb;

namespace {

// A new store "bank.db" in `dir`, made by tester.
NewStore new_store(const tb::test::ScratchDir& dir) {
    NewStore n;
    n.path = dir.path("bank.db");
    n.name = "Test Bank";
    n.who = "tester";
    n.busy_timeout_ms = 1000;
    return n;
}

}  // namespace

TEST_CASE("rebuild_totals: the monthly totals from the ledger again, audited, the ledger untouched") {
    tb::test::ReportBank b;
    b.member("ann", "Ann Lee");
    b.member("bob", "Bob Marsh");
    b.trade("2026-01-05", "ann", "bob", 60, "Gardening");
    b.trade("2026-02-06", "bob", "ann", 30, "Gardening");
    auto& s = b.store();
    auto ledger = [&] {
        SQLite::Statement q(s.db(), "SELECT group_concat(number || ':' || hash, ',') FROM exchange");
        q.executeStep();
        return q.getColumn(0).getString();
    };
    auto before = ledger();
    s.db().exec("UPDATE trade_month SET minutes = minutes + 1 WHERE month = '2026-02'");
    s.db().exec("DELETE FROM member_month WHERE month = '2026-01' AND member = 'bob'");
    REQUIRE(store::check_rollups(s).size() == 2);

    rebuild_totals(s, "tester");
    CHECK(store::check_rollups(s).empty());
    CHECK(store::rollups_current(s));
    CHECK(ledger() == before);
    SQLite::Statement q(s.db(), "SELECT who, command, target, fields FROM audit");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "tester");
    CHECK(q.getColumn(1).getString() == "tb check --rebuild-totals");
    CHECK(q.getColumn(2).getString() == "monthly totals");
    CHECK(q.getColumn(3).getString() == "trade_month,member_month,pair_month,trade_day,member_year,pair_year,group_month,member_org_month,member.last_trade");
    CHECK_FALSE(q.executeStep());
}

TEST_CASE("init_store: the starter config first, the store remembering it; nothing left when refused") {
    tb::test::ScratchDir dir;
    auto n = new_store(dir);
    n.config_identity = "/elsewhere/timebank.toml";
    n.starter_out = dir.path("conf/timebank.toml");
    std::filesystem::create_directories(dir.path("conf"));
    init_store(n);
    REQUIRE(store::store_exists(n.path));
    REQUIRE(std::filesystem::exists(n.starter_out));
    {
        store::Store s(n.path, store::OpenMode::existing_write, 1000);
        CHECK(store::get_meta(s, "config_file") == std::filesystem::absolute(n.starter_out).string());
        SQLite::Statement q(s.db(), "SELECT who FROM audit");
        REQUIRE(q.executeStep());
        CHECK(q.getColumn(0).getString() == "tester");
    }
    std::ifstream in(n.starter_out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("../bank.db") != std::string::npos);

    // Either existing: SystemError (1), the file there untouched.
    auto code = [&](const NewStore& x) {
        try {
            init_store(x);
        } catch (const Error& e) {
            return e.code();
        }
        return ExitCode::ok;
    };
    CHECK(code(n) == ExitCode::failure);
    auto other = n;
    other.path = dir.path("other.db");
    CHECK(code(other) == ExitCode::failure);
    CHECK_FALSE(store::store_exists(other.path));
    other.starter_out.clear();
    other.path = n.path;
    CHECK(code(other) == ExitCode::failure);

    // A store that cannot be made takes its starter config with it.
    auto lost = n;
    lost.path = dir.path("no/such/place/x.db");
    lost.starter_out = dir.path("orphan.toml");
    CHECK(code(lost) == ExitCode::failure);
    CHECK_FALSE(std::filesystem::exists(lost.starter_out));

    // Without a starter the config in use is remembered.
    auto plain = n;
    plain.path = dir.path("plain.db");
    plain.starter_out.clear();
    init_store(plain);
    store::Store s(plain.path, store::OpenMode::existing_write, 1000);
    CHECK(store::get_meta(s, "config_file") == "/elsewhere/timebank.toml");
}

TEST_CASE("remember_config_file: the first config written with stays until its file is gone") {
    tb::test::ScratchDir dir;
    auto n = new_store(dir);
    init_store(n);
    store::Store s(n.path, store::OpenMode::existing_write, 1000);
    CHECK(remembered_config_file(s).empty());
    remember_config_file(s, "");
    CHECK(remembered_config_file(s).empty());
    auto first = dir.write("a/timebank.toml", "");
    remember_config_file(s, first);
    CHECK(remembered_config_file(s) == first);
    auto second = dir.write("b/timebank.toml", "");
    remember_config_file(s, second);
    CHECK(remembered_config_file(s) == first);
    std::filesystem::remove(first);
    remember_config_file(s, second);
    CHECK(remembered_config_file(s) == second);
}

TEST_CASE("discard_blank_store: a blank store is closed and removed, one with data is kept") {
    tb::test::ScratchDir dir;
    auto path = dir.path("new.db");
    auto s = std::make_unique<store::Store>(path, store::OpenMode::read_write, 1000);
    REQUIRE(store::store_exists(path));
    CHECK(discard_blank_store(s, path));
    CHECK_FALSE(s);
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK_FALSE(discard_blank_store(s, path));

    s = std::make_unique<store::Store>(path, store::OpenMode::read_write, 1000);
    Member m;
    m.id = "M0001";
    m.name = "Ann Lee";
    m.joined = from_ymd(2026, 1, 1);
    store::insert_member(*s, m);
    CHECK_FALSE(discard_blank_store(s, path));
    CHECK(s);
    CHECK(store::store_exists(path));
}
