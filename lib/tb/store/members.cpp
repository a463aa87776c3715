#include "tb/store/members.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "tb/store/group_month.hpp"
#include "tb/store/rollup.hpp"
#include "tb/store/rows.hpp"
#include "tb/util/error.hpp"
#include "tb/util/text.hpp"

namespace tb::store {
namespace {

using rows::bind_limit;
using rows::bind_opt_text;

const char* kMemberColumns =
    "id, name, kind, status, status_reason, email, phone, postcode, neighbourhood, joined, note, "
    "min_limit, max_limit, balance, opening, last_exchange, created_at";

Member member_from_row(SQLite::Statement& q) {
    Member m;
    m.id = q.getColumn(0).getString();
    m.name = q.getColumn(1).getString();
    m.kind = member_kind_from_stored(q.getColumn(2).getString());
    m.status = member_status_from_stored(q.getColumn(3).getString());
    m.status_reason = rows::text(q, 4);
    m.email = rows::text(q, 5);
    m.phone = rows::text(q, 6);
    m.postcode = rows::text(q, 7);
    m.neighbourhood = rows::text(q, 8);
    m.joined = rows::date(q, 9);
    m.note = rows::text(q, 10);
    m.min_limit = rows::limit(q, 11);
    m.max_limit = rows::limit(q, 12);
    m.balance = q.getColumn(13).getInt64();
    m.opening = q.getColumn(14).getInt64();
    m.last_exchange = rows::opt_date(q, 15);
    m.created_at = q.getColumn(16).getString();
    return m;
}

// The member's own columns, bound from parameter `first` on, in this order: name, kind, status, status_reason, email, phone,
// postcode, neighbourhood, joined, note, min_limit, max_limit.
void bind_member_fields(SQLite::Statement& q, int first, const Member& m) {
    int i = first;
    q.bind(i++, m.name);
    q.bind(i++, to_string(m.kind));
    q.bind(i++, to_string(m.status));
    for (auto* v : {&m.status_reason, &m.email, &m.phone, &m.postcode, &m.neighbourhood}) bind_opt_text(q, i++, *v);
    q.bind(i++, to_string(m.joined));
    bind_opt_text(q, i++, m.note);
    bind_limit(q, i++, m.min_limit);
    bind_limit(q, i, m.max_limit);
}

const char* kSkillsSql = "SELECT direction, skill FROM member_skill WHERE member = ? ORDER BY rowid";
const char* kTagsSql = "SELECT tag FROM member_tag WHERE member = ? ORDER BY rowid";

// A member's skills and tags, by the two statements of kSkillsSql and kTagsSql.
void read_skills_and_tags(SQLite::Statement& skills, SQLite::Statement& tags, Member& m) {
    skills.bind(1, m.id);
    while (skills.executeStep()) {
        auto dir = skills.getColumn(0).getString();
        (dir == "offers" ? m.offers : m.wants).push_back(skills.getColumn(1).getString());
    }
    tags.bind(1, m.id);
    while (tags.executeStep()) m.tags.push_back(tags.getColumn(0).getString());
}

void load_skills_and_tags(Store& s, Member& m) {
    SQLite::Statement q(s.db(), kSkillsSql);
    SQLite::Statement t(s.db(), kTagsSql);
    read_skills_and_tags(q, t, m);
}

void write_skills_and_tags(Store& s, const Member& m) {
    SQLite::Statement del1(s.db(), "DELETE FROM member_skill WHERE member = ?");
    del1.bind(1, m.id);
    del1.exec();
    SQLite::Statement del2(s.db(), "DELETE FROM member_tag WHERE member = ?");
    del2.bind(1, m.id);
    del2.exec();
    for (auto& sk : m.offers) add_skill(s, m.id, "offers", sk);
    for (auto& sk : m.wants) add_skill(s, m.id, "wants", sk);
    SQLite::Statement ins(s.db(), "INSERT OR IGNORE INTO member_tag (member, tag) VALUES (?, ?)");
    for (auto& tag : m.tags) {
        ins.bind(1, m.id);
        ins.bind(2, tag);
        ins.exec();
        ins.reset();
    }
}

std::pair<std::string, std::string> ordered(const std::string& a, const std::string& b) {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

}  // namespace

std::optional<std::string> member_id_by_email(Store& s, const std::string& email) {
    return MemberQueries(s).id_by_email(email);
}

bool member_exists(Store& s, const std::string& id) { return MemberQueries(s).exists(id); }

std::optional<Member> find_member(Store& s, const std::string& key) { return MemberQueries(s).find(key); }

std::optional<std::string> member_name(Store& s, const std::string& id) {
    SQLite::Statement q(s.db(), "SELECT name FROM member WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
}

std::vector<std::string> member_ids_by_name_key(Store& s, const std::string& name_key) {
    return MemberQueries(s).ids_by_name_key(name_key);
}

void for_each_member_contact(Store& s, const std::function<void(const MemberContact&)>& fn) {
    SQLite::Statement q(s.db(),
                        "SELECT id, name, coalesce(email, ''), coalesce(phone, ''), status FROM member ORDER BY id");
    MemberContact c;
    while (q.executeStep()) {
        c.id = q.getColumn(0).getString();
        c.name = q.getColumn(1).getString();
        c.email = q.getColumn(2).getString();
        c.phone = q.getColumn(3).getString();
        c.status = member_status_from_stored(q.getColumn(4).getString());
        fn(c);
    }
}

void refresh_name_keys(Store& s) {
    SQLite::Statement q(s.db(), "SELECT id, name, name_key FROM member");
    SQLite::Statement u(s.db(), "UPDATE member SET name_key = ? WHERE id = ?");
    while (q.executeStep()) {
        auto key = text::fold_name(q.getColumn(1).getString());
        if (key == q.getColumn(2).getString()) continue;
        u.bind(1, key);
        u.bind(2, q.getColumn(0).getString());
        u.exec();
        u.reset();
    }
}

std::string next_member_id(Store& s) {
    SQLite::Statement q(s.db(),
                        "SELECT coalesce(max(CAST(substr(id, 2) AS INTEGER)), 0) FROM member "
                        "WHERE id GLOB 'M[0-9]*' AND substr(id, 2) NOT GLOB '*[^0-9]*'");
    q.executeStep();
    auto n = q.getColumn(0).getInt64() + 1;
    return fmt::format("M{:04}", n);
}

void insert_member(Store& s, const Member& m) {
    SQLite::Statement q(s.db(),
                        "INSERT INTO member (id, name, kind, status, status_reason, email, phone, postcode, "
                        "neighbourhood, joined, note, min_limit, max_limit, created_at, name_key, num) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        // The member's number (store/member_number.hpp), given here: the
                        // trigger that gives it to a row added without one updates the
                        // row again, which cost 80 µs a member in a member import.
                        "(SELECT coalesce(max(num), 0) + 1 FROM member))");
    q.bind(1, m.id);
    bind_member_fields(q, 2, m);
    q.bind(14, m.created_at.empty() ? utc_timestamp_now() : m.created_at);
    q.bind(15, text::fold_name(m.name));
    q.exec();
    write_skills_and_tags(s, m);
}

void update_member(Store& s, const Member& m) {
    // The monthly totals split trades by the kinds of the two members: a new
    // kind moves the member's trades to other pairs (store/rollup.hpp).
    bool new_kind = false;
    {
        SQLite::Statement k(s.db(), "SELECT kind FROM member WHERE id = ?");
        k.bind(1, m.id);
        new_kind = k.executeStep() && k.getColumn(0).getString() != to_string(m.kind);
    }
    if (new_kind) reclassify_member(s, m.id, -1);
    auto groups = member_groups(s, m.id);  // store/group_month.hpp
    SQLite::Statement q(s.db(),
                        "UPDATE member SET name = ?, kind = ?, status = ?, status_reason = ?, email = ?, phone = ?, "
                        "postcode = ?, neighbourhood = ?, joined = ?, note = ?, min_limit = ?, max_limit = ?, name_key = ? "
                        "WHERE id = ?");
    bind_member_fields(q, 1, m);
    q.bind(13, text::fold_name(m.name));
    q.bind(14, m.id);
    q.exec();
    if (new_kind) reclassify_member(s, m.id, +1);
    write_skills_and_tags(s, m);
    regroup_member(s, m.id, groups);
}

void set_member_status(Store& s, const std::string& id, MemberStatus st, const std::string& reason) {
    SQLite::Statement q(s.db(), "UPDATE member SET status = ?, status_reason = ? WHERE id = ?");
    q.bind(1, to_string(st));
    bind_opt_text(q, 2, reason);
    q.bind(3, id);
    q.exec();
}

void for_each_member(Store& s, const MemberFilter& f, const std::function<void(const Member&)>& fn) {
    std::string sql = fmt::format("SELECT {} FROM member m WHERE status IN (", kMemberColumns);
    std::vector<std::string> st;
    if (f.include_active) st.push_back("'active'");
    if (f.include_inactive) st.push_back("'inactive'");
    if (f.include_forgotten) st.push_back("'forgotten'");
    if (st.empty()) return;
    sql += text::join(st, ",") + ")";
    // The pot and clearing accounts are accounts, not people: only asked for by kind.
    if (f.kind) sql += " AND kind = :kind";
    else if (!f.include_accounts) sql += " AND kind IN ('person', 'organisation')";
    if (!f.neighbourhood.empty()) sql += " AND lower(neighbourhood) = lower(:nb)";
    if (!f.offers.empty())
        sql += " AND EXISTS (SELECT 1 FROM member_skill k WHERE k.member = m.id AND k.direction = 'offers' "
               "AND instr(lower(k.skill), lower(:offers)) > 0)";
    if (!f.wants.empty())
        sql += " AND EXISTS (SELECT 1 FROM member_skill k WHERE k.member = m.id AND k.direction = 'wants' "
               "AND instr(lower(k.skill), lower(:wants)) > 0)";
    if (!f.tag.empty())
        sql += " AND EXISTS (SELECT 1 FROM member_tag t WHERE t.member = m.id AND lower(t.tag) = lower(:tag))";
    sql += " ORDER BY id";
    SQLite::Statement q(s.db(), sql);
    if (f.kind) q.bind(":kind", to_string(*f.kind));
    if (!f.neighbourhood.empty()) q.bind(":nb", f.neighbourhood);
    if (!f.offers.empty()) q.bind(":offers", f.offers);
    if (!f.wants.empty()) q.bind(":wants", f.wants);
    if (!f.tag.empty()) q.bind(":tag", f.tag);
    std::map<std::string, std::vector<SafeguardingCheck>> checks;
    if (f.with_checks) checks = checks_by_member(s);
    while (q.executeStep()) {
        Member m = member_from_row(q);
        if (f.with_skills) load_skills_and_tags(s, m);
        if (auto it = checks.find(m.id); it != checks.end()) m.checks = it->second;
        fn(m);
    }
}

void add_skill(Store& s, const std::string& id, const std::string& direction, const std::string& skill) {
    SQLite::Statement q(s.db(), "INSERT OR IGNORE INTO member_skill (member, direction, skill) VALUES (?, ?, ?)");
    q.bind(1, id);
    q.bind(2, direction);
    q.bind(3, skill);
    q.exec();
}

bool remove_skill(Store& s, const std::string& id, const std::string& direction, const std::string& skill) {
    SQLite::Statement q(s.db(),
                        "DELETE FROM member_skill WHERE member = ? AND direction = ? AND lower(skill) = lower(?)");
    q.bind(1, id);
    q.bind(2, direction);
    q.bind(3, skill);
    return q.exec() > 0;
}

void set_check(Store& s, const std::string& id, const std::string& name, Date expires) {
    SQLite::Statement q(s.db(),
                        "INSERT INTO member_check (member, name, expires) VALUES (?, ?, ?) "
                        "ON CONFLICT (member, name) DO UPDATE SET expires = excluded.expires");
    q.bind(1, id);
    q.bind(2, name);
    q.bind(3, to_string(expires));
    q.exec();
}

bool remove_check(Store& s, const std::string& id, const std::string& name) {
    SQLite::Statement q(s.db(), "DELETE FROM member_check WHERE member = ? AND lower(name) = lower(?)");
    q.bind(1, id);
    q.bind(2, name);
    return q.exec() > 0;
}

bool add_block(Store& s, const std::string& a, const std::string& b, const std::string& reason) {
    auto [x, y] = ordered(a, b);
    SQLite::Statement q(s.db(), "INSERT OR IGNORE INTO block (a, b, reason, created_at) VALUES (?, ?, ?, ?)");
    q.bind(1, x);
    q.bind(2, y);
    bind_opt_text(q, 3, reason);
    q.bind(4, utc_timestamp_now());
    return q.exec() > 0;
}

bool remove_block(Store& s, const std::string& a, const std::string& b) {
    auto [x, y] = ordered(a, b);
    SQLite::Statement q(s.db(), "DELETE FROM block WHERE a = ? AND b = ?");
    q.bind(1, x);
    q.bind(2, y);
    return q.exec() > 0;
}

bool is_blocked(Store& s, const std::string& a, const std::string& b) {
    auto [x, y] = ordered(a, b);
    SQLite::Statement q(s.db(), "SELECT 1 FROM block WHERE a = ? AND b = ?");
    q.bind(1, x);
    q.bind(2, y);
    return q.executeStep();
}

namespace {

// Blocks, all or (with `id`) those naming one member, ordered by pair.
std::vector<Block> select_blocks(Store& s, const std::string* id) {
    std::vector<Block> out;
    SQLite::Statement q(s.db(), fmt::format("SELECT a, b, reason, created_at FROM block{} ORDER BY a, b",
                                            id ? " WHERE a = ?1 OR b = ?1" : ""));
    if (id) q.bind(1, *id);
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), rows::text(q, 2),
                       q.getColumn(3).getString()});
    return out;
}

}  // namespace

std::vector<Block> blocks_of(Store& s, const std::string& id) { return select_blocks(s, &id); }

std::vector<Block> all_blocks(Store& s) { return select_blocks(s, nullptr); }

std::vector<CheckRow> all_checks(Store& s) {
    std::vector<CheckRow> out;
    SQLite::Statement q(s.db(),
                        "SELECT k.member, m.name, k.name, k.expires FROM member_check k JOIN member m ON m.id = k.member "
                        "ORDER BY k.expires, k.member, k.name");
    while (q.executeStep())
        out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), rows::check(q, 2)});
    return out;
}

std::map<std::string, std::vector<SafeguardingCheck>> checks_by_member(Store& s) {
    std::map<std::string, std::vector<SafeguardingCheck>> out;
    SQLite::Statement q(s.db(), "SELECT member, name, expires FROM member_check ORDER BY member, name");
    while (q.executeStep())
        out[q.getColumn(0).getString()].push_back(rows::check(q, 1));
    return out;
}

void replace_checks(Store& s, const std::string& id, const std::vector<SafeguardingCheck>& checks) {
    SQLite::Statement d(s.db(), "DELETE FROM member_check WHERE member = ?");
    d.bind(1, id);
    d.exec();
    for (auto& c : checks) set_check(s, id, c.name, c.expires);
}

void forget_member(Store& s, const std::string& id) {
    auto exec = [&](const char* sql) {
        SQLite::Statement q(s.db(), sql);
        q.bind(1, id);
        q.exec();
    };
    auto groups = member_groups(s, id);  // store/group_month.hpp
    exec("UPDATE member SET name = 'forgotten-' || id, status = 'forgotten', status_reason = NULL, email = NULL, "
         "phone = NULL, postcode = NULL, neighbourhood = NULL, note = NULL WHERE id = ?1");
    {
        SQLite::Statement k(s.db(), "UPDATE member SET name_key = ?2 WHERE id = ?1");
        k.bind(1, id);
        k.bind(2, text::fold_name("forgotten-" + id));
        k.exec();
    }
    exec("DELETE FROM member_skill WHERE member = ?1");
    exec("DELETE FROM member_tag WHERE member = ?1");
    regroup_member(s, id, groups);
    exec("DELETE FROM member_check WHERE member = ?1");
    exec("DELETE FROM block WHERE a = ?1 OR b = ?1");
    // Notes may name people: blank them, and the salt with them, so the
    // digests in the hash chain can no longer be matched against a guess.
    exec("UPDATE exchange SET note = '', override_reason = '', salt = NULL WHERE provider = ?1 OR recipient = ?1");
    // The import fingerprint covered the note: recompute it without, or a
    // guessed note could be confirmed against it.
    {
        SQLite::Statement q(s.db(),
                            "SELECT number, date, provider, recipient, minutes, category FROM exchange "
                            "WHERE provider = ?1 OR recipient = ?1");
        q.bind(1, id);
        SQLite::Statement u(s.db(), "UPDATE exchange SET fingerprint = ? WHERE number = ?");
        while (q.executeStep()) {
            auto date = rows::date(q, 1);
            u.bind(1, exchange_fingerprint(date, q.getColumn(2).getString(), q.getColumn(3).getString(),
                                           q.getColumn(4).getInt64(), q.getColumn(5).getString(), ""));
            u.bind(2, q.getColumn(0).getInt64());
            u.exec();
            u.reset();
        }
    }
    exec("UPDATE opening SET note = '', salt = NULL WHERE member = ?1");
    exec("UPDATE request SET text = '', close_reason = NULL WHERE member = ?1");
    exec("DELETE FROM proposal WHERE member = ?1");
}

namespace {

// Resets a statement however its use ends, so that none stays open.
struct Done {
    SQLite::Statement& q;
    ~Done() {
        try {
            q.reset();
        } catch (...) {  // reset reports the last step's error, already thrown
        }
    }
};

std::string first_column(SQLite::Statement& q) { return q.getColumn(0).getString(); }

}  // namespace

struct MemberQueries::Impl {
    Store& store;
    std::optional<SQLite::Statement> exists, by_id, by_email, id_by_email, by_name_key, by_name, skills, tags, checks;
    explicit Impl(Store& s) : store(s) {}
    // The statement, prepared on first use, ready to bind.
    SQLite::Statement& get(std::optional<SQLite::Statement>& q, const std::string& sql) {
        if (!q) q.emplace(store.db(), sql);
        q->reset();
        return *q;
    }
    // The first row of the statement in `slot` for `key`, as `read` reads it.
    template <typename Read>
    auto first(std::optional<SQLite::Statement>& slot, const std::string& sql, const std::string& key, Read read)
        -> std::optional<decltype(read(*slot))> {
        auto& q = get(slot, sql);
        Done done{q};
        q.bind(1, key);
        if (q.executeStep()) return read(q);
        return std::nullopt;
    }
};

MemberQueries::MemberQueries(Store& s) : impl_(std::make_unique<Impl>(s)) {}
MemberQueries::~MemberQueries() = default;

bool MemberQueries::exists(const std::string& id) {
    auto one = [](SQLite::Statement&) { return true; };
    return impl_->first(impl_->exists, "SELECT 1 FROM member WHERE id = ?", id, one).has_value();
}

std::optional<Member> MemberQueries::by_id(const std::string& id) {
    return impl_->first(impl_->by_id, fmt::format("SELECT {} FROM member WHERE id = ?", kMemberColumns), id,
                        member_from_row);
}

std::optional<Member> MemberQueries::find(const std::string& key, bool with_details) {
    auto& I = *impl_;
    auto m = by_id(key);
    if (!m && key.find('@') != std::string::npos)
        m = I.first(I.by_email,
                    fmt::format("SELECT {} FROM member WHERE lower(email) = lower(?) AND email <> ''", kMemberColumns),
                    key, member_from_row);
    if (!m || !with_details) return m;
    auto& sk = I.get(I.skills, kSkillsSql);
    Done done_skills{sk};
    auto& t = I.get(I.tags, kTagsSql);
    Done done_tags{t};
    read_skills_and_tags(sk, t, *m);
    auto& c = I.get(I.checks, "SELECT name, expires FROM member_check WHERE member = ? ORDER BY name");
    Done done_checks{c};
    c.bind(1, m->id);
    while (c.executeStep())
        m->checks.push_back(rows::check(c, 0));
    return m;
}

std::optional<std::string> MemberQueries::id_by_email(const std::string& email) {
    return impl_->first(impl_->id_by_email, "SELECT id FROM member WHERE lower(email) = lower(?) AND email <> ''",
                        email, first_column);
}

std::vector<std::string> MemberQueries::ids_by_name_key(const std::string& name_key) {
    std::vector<std::string> ids;
    if (name_key.empty()) return ids;
    auto& q = impl_->get(impl_->by_name_key, "SELECT id FROM member WHERE name_key = ? ORDER BY id");
    Done done{q};
    q.bind(1, name_key);
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    return ids;
}

std::optional<std::string> MemberQueries::id_by_name(const std::string& name) {
    return impl_->first(impl_->by_name, "SELECT id FROM member WHERE name = ? ORDER BY id LIMIT 1", name,
                        first_column);
}

}  // namespace tb::store
