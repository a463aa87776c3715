#pragma once
// What a query returns, as text a test can compare: columns joined by '|',
// rows by '\n' (NULL as empty).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <string>

namespace tb::test {

inline std::string sql_rows(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement q(db, sql);
    std::string out;
    while (q.executeStep()) {
        if (!out.empty()) out += '\n';
        for (int i = 0; i < q.getColumnCount(); ++i) {
            if (i) out += '|';
            out += q.getColumn(i).getString();
        }
    }
    return out;
}

}  // namespace tb::test
