#pragma once
// Exchange rows written straight into the table, behind the kept totals'
// back, for the tests of the totals (test_store_rollup.cpp,
// test_store_pair_year.cpp).
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tb/model/model.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"

namespace tb::test {

// Numbered on from `last`.
struct RawRows {
    SQLite::Statement ins;
    std::int64_t number;
    RawRows(store::Store& s, std::int64_t last)
        : ins(s.db(),
              "INSERT INTO exchange (number, date, provider, recipient, minutes, category, reverses, "
              "recorded_at, recorded_by, fingerprint, note_digest, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, 'now', 'test', 'f', 'd', 'h')"),
          number(last) {}
    void add(Date date, const std::string& p, const std::string& r, Minutes m, const std::string& cat,
             std::optional<std::int64_t> reverses) {
        ins.reset();
        ins.bind(1, static_cast<int64_t>(++number));
        ins.bind(2, to_string(date));
        ins.bind(3, p);
        ins.bind(4, r);
        ins.bind(5, static_cast<int64_t>(m));
        ins.bind(6, cat);
        if (reverses) ins.bind(7, static_cast<int64_t>(*reverses));
        else ins.bind(7);
        ins.exec();
    }
};

}  // namespace tb::test
