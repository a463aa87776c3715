#pragma once
// A small timebank in a scratch directory, built through the store API, for
// the tb-report unit tests.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace tb::test {

inline Date d(const char* iso) { return *parse_iso_date(iso); }

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
        ExchangeDraft x;
        x.date = d(date);
        x.provider = provider;
        x.recipient = recipient;
        x.minutes = minutes;
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

}  // namespace tb::test
