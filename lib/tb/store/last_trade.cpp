#include "tb/store/last_trade.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <array>
#include <set>

#include "tb/store/member_number.hpp"
#include "tb/store/trade_sql.hpp"

namespace tb::store {
namespace {

// The three dates last_trade is made of (last_trade.hpp), none as "".
struct Dates {
    std::string latest, voided, trade;
};

// last_trade from them.
std::optional<std::string> last_trade_from(const std::string& latest, const std::string& voided,
                                           const std::string& trade) {
    if (latest.empty()) return std::nullopt;
    if (voided.empty() || voided < latest) return latest;
    if (trade.empty()) return std::nullopt;
    return trade;
}

void raise_to(std::string& date, std::string_view d) {
    if (date < d) date.assign(d);
}

// One member's dates from the ledger: on each side, the (side, date) index
// walked back from the newest row, each row's void looked up by the unique
// index on reverses. Prepared once for all the members asked.
class LedgerQuery {
public:
    explicit LedgerQuery(SQLite::Database& db)
        : latest_{{{db, latest_sql("provider")}, {db, latest_sql("recipient")}}},
          voided_on_{{{db, voided_on_sql("provider")}, {db, voided_on_sql("recipient")}}},
          trade_{{{db, trade_sql("provider")}, {db, trade_sql("recipient")}}} {}

    std::optional<std::string> operator()(const std::string& member) {
        Dates d;
        for (auto& q : latest_) raise_to(d.latest, first(q, member));
        if (d.latest.empty()) return std::nullopt;
        bool voided = false;
        for (auto& q : voided_on_) {
            q.reset();
            q.bind(1, member);
            q.bind(2, d.latest);
            voided = voided || (q.executeStep() && q.getColumn(0).getInt() != 0);
        }
        if (!voided) return d.latest;
        d.voided = d.latest;
        for (auto& q : trade_) raise_to(d.trade, first(q, member));
        return last_trade_from(d.latest, d.voided, d.trade);
    }

private:
    static std::string latest_sql(const char* side) {
        return fmt::format("SELECT date FROM exchange WHERE {} = ? AND reverses IS NULL ORDER BY date DESC LIMIT 1",
                           side);
    }
    // The (side, date) index by name: for the recipient, SQLite would
    // rather read every exchange of the day from exchange_trade (date, ...).
    static std::string voided_on_sql(const char* side) {
        return fmt::format("SELECT EXISTS (SELECT 1 FROM exchange e INDEXED BY exchange_{0} WHERE e.{0} = ?1 AND "
                           "e.date = ?2 AND e.reverses IS NULL AND EXISTS (SELECT 1 FROM exchange v WHERE "
                           "v.reverses = e.number))",
                           side);
    }
    static std::string trade_sql(const char* side) {
        return fmt::format("SELECT e.date FROM exchange e WHERE e.{} = ? AND {} ORDER BY e.date DESC LIMIT 1", side,
                           kIsTradeSql);
    }
    // The first row's date, "" when none.
    static std::string first(SQLite::Statement& q, const std::string& member) {
        q.reset();
        q.bind(1, member);
        return q.executeStep() ? q.getColumn(0).getString() : std::string();
    }
    std::array<SQLite::Statement, 2> latest_, voided_on_, trade_;
};

void bind_date(SQLite::Statement& q, int i, const std::optional<std::string>& date) {
    if (date) q.bind(i, *date);
    else q.bind(i);
}

}  // namespace

void add_last_trade_column(Store& s) {
    if (s.db().execAndGet("SELECT count(*) FROM pragma_table_info('member') WHERE name = 'last_trade'").getInt() == 0)
        s.db().exec("ALTER TABLE member ADD COLUMN last_trade TEXT");
}

namespace {

// last_trade from the ledger for the members `members` reads (id, last_trade).
void set_from_ledger(Store& s, SQLite::Statement& members) {
    LedgerQuery ledger(s.db());
    SQLite::Statement set(s.db(), "UPDATE member SET last_trade = ?1 WHERE id = ?2");
    // Written after the read: an update while the members are read could
    // move the rows under it.
    std::vector<std::pair<std::string, std::optional<std::string>>> changed;
    while (members.executeStep()) {
        auto id = members.getColumn(0).getString();
        auto kept = members.getColumn(1).isNull() ? std::nullopt
                                                  : std::optional<std::string>(members.getColumn(1).getString());
        auto date = ledger(id);
        if (date != kept) changed.emplace_back(std::move(id), std::move(date));
    }
    for (auto& [id, date] : changed) {
        set.reset();
        bind_date(set, 1, date);
        set.bind(2, id);
        set.exec();
    }
}

}  // namespace

void rebuild_last_trade(Store& s) {
    SQLite::Statement members(s.db(), "SELECT id, last_trade FROM member");
    set_from_ledger(s, members);
}

void refresh_last_trade(Store& s, std::int64_t upto) {
    // A void's sides are its original's.
    SQLite::Statement members(s.db(), "SELECT id, last_trade FROM member WHERE id IN (SELECT provider FROM exchange "
                                      "WHERE number > ?1 UNION SELECT recipient FROM exchange WHERE number > ?1)");
    members.bind(1, static_cast<int64_t>(upto));
    set_from_ledger(s, members);
}

std::optional<std::string> last_trade_of(Store& s, const std::string& member) {
    return LedgerQuery(s.db())(member);
}

// ---- LastTradeBatch

struct LastTradeBatch::Impl {
    Store& store;
    const MemberNumbers& names;
    // Per member, of what was appended: the latest trade, the latest
    // original voided, and whether the pot was on the other side of any.
    struct Seen {
        std::string trade, voided;
        bool pot = false, any = false;
    };
    std::vector<Seen> members;          // by slot
    std::vector<std::uint32_t> touched;  // the slots seen, each once
    SQLite::Statement raise, read, set;
    std::unique_ptr<LedgerQuery> ledger;  // prepared for the first member that needs it

    Impl(Store& s, const MemberNumbers& m)
        : store(s),
          names(m),
          raise(s.db(), "UPDATE member SET last_trade = ?1 WHERE id = ?2 AND (last_trade IS NULL OR last_trade < ?1)"),
          read(s.db(), "SELECT last_trade FROM member WHERE id = ?"),
          set(s.db(), "UPDATE member SET last_trade = ? WHERE id = ?") {}

    Seen& of(std::uint32_t slot) {
        auto& seen = at_slot(members, slot);
        if (!seen.any) {
            seen.any = true;
            touched.push_back(slot);
        }
        return seen;
    }

    void from_ledger(const std::string& member) {
        if (!ledger) ledger = std::make_unique<LedgerQuery>(store.db());
        set.reset();
        bind_date(set, 1, (*ledger)(member));
        set.bind(2, member);
        set.exec();
    }

    // Whether a void of an exchange dated `voided` can change the member's
    // last trade: not when it is dated before it.
    bool may_change(const std::string& member, const std::string& voided) {
        read.reset();
        read.bind(1, member);
        bool may = read.executeStep() && (read.getColumn(0).isNull() || voided >= read.getColumn(0).getString());
        read.reset();
        return may;
    }

    void write(const std::string& member, const Seen& seen) {
        // A donation or grant moves last_trade only when it is dated after
        // every exchange of the member's (rare: looked up in the ledger).
        if (seen.pot) return from_ledger(member);
        // A new trade, whatever the rest, makes its date the last trade
        // when it is later.
        if (!seen.trade.empty()) {
            raise.reset();
            raise.bind(1, seen.trade);
            raise.bind(2, member);
            raise.exec();
        }
        if (!seen.voided.empty() && may_change(member, seen.voided)) from_ledger(member);
    }
};

LastTradeBatch::LastTradeBatch(Store& s, const MemberNumbers& members)
    : impl_(std::make_unique<Impl>(s, members)) {}
LastTradeBatch::~LastTradeBatch() = default;

void LastTradeBatch::add(const std::string& date, std::uint32_t provider, std::uint32_t recipient) {
    auto& I = *impl_;
    bool trade = may_be_trade(I.names.id(provider), I.names.id(recipient));
    for (auto slot : {provider, recipient}) {
        auto& seen = I.of(slot);
        if (trade) raise_to(seen.trade, date);
        else seen.pot = true;
    }
}

void LastTradeBatch::voided(const std::string& date, std::uint32_t provider, std::uint32_t recipient) {
    for (auto slot : {provider, recipient}) raise_to(impl_->of(slot).voided, date);
}

void LastTradeBatch::apply() {
    auto& I = *impl_;
    for (auto slot : I.touched) {
        I.write(I.names.id(slot), I.members[slot]);
        I.members[slot] = {};
    }
    I.touched.clear();
}

// ---- LastTradeCheck

struct LastTradeCheck::Impl {
    // The ledger's dates, each held once (a few thousand): the members'
    // entries point at them.
    std::set<std::string, std::less<>> dates;
    const std::string* last_date = nullptr;
    struct Seen {
        const std::string *latest = nullptr, *voided = nullptr, *trade = nullptr;
    };
    std::vector<Seen> members;  // by slot

    const std::string* intern(std::string_view date) {
        if (!last_date || *last_date != date) last_date = &*dates.emplace(date).first;
        return last_date;
    }
    static void raise(const std::string*& to, const std::string* date) {
        if (!to || *to < *date) to = date;
    }
};

LastTradeCheck::LastTradeCheck() : impl_(std::make_unique<Impl>()) {}
LastTradeCheck::~LastTradeCheck() = default;

void LastTradeCheck::add(std::string_view day, std::string_view provider, std::string_view recipient,
                         std::uint32_t provider_slot, std::uint32_t recipient_slot, bool voided) {
    auto& I = *impl_;
    auto date = I.intern(day);
    bool trade = !voided && may_be_trade(provider, recipient);
    for (auto slot : {provider_slot, recipient_slot}) {
        auto& seen = at_slot(I.members, slot);
        Impl::raise(seen.latest, date);
        if (voided) Impl::raise(seen.voided, date);
        if (trade) Impl::raise(seen.trade, date);
    }
}

void LastTradeCheck::differences(Store& s, const MemberSlots& slots, std::vector<std::string>& out) {
    auto& I = *impl_;
    static const std::string none;
    auto text = [](const std::string* d) -> const std::string& { return d ? *d : none; };
    SQLite::Statement q(s.db(), "SELECT id, last_trade FROM member ORDER BY id");
    while (q.executeStep()) {
        auto id = q.getColumn(0).getString();
        std::optional<std::string> ledger;
        if (auto slot = slots.find(id); slot && *slot < I.members.size() && I.members[*slot].latest) {
            auto& seen = I.members[*slot];
            ledger = last_trade_from(text(seen.latest), text(seen.voided), text(seen.trade));
        }
        auto kept = q.getColumn(1);
        if (kept.isNull() ? !ledger : (kept.getType() == SQLite::TEXT && ledger && *ledger == kept.getString()))
            continue;
        out.push_back(fmt::format("member {}: last trade is {}, but the ledger gives {}", id,
                                  kept.isNull() ? "none" : kept.getString(), ledger.value_or("none")));
    }
}

}  // namespace tb::store
