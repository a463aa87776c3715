#include "tb/store/audit.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "tb/util/date.hpp"
#include "tb/util/text.hpp"

namespace tb::store {

void audit(Store& s, const std::string& who, const std::string& command, const std::string& target,
           const std::vector<std::string>& fields) {
    SQLite::Statement q(s.db(), "INSERT INTO audit (at, who, command, target, fields) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, utc_timestamp_now());
    q.bind(2, who);
    q.bind(3, command);
    q.bind(4, target);
    q.bind(5, text::join(fields, ","));
    q.exec();
}

}  // namespace tb::store
