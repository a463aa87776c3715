// Schema of each version and the migrations between them.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "tb/util/error.hpp"

namespace tb::store {

// Version 1: members, skills, tags, checks, blocks, the ledger, opening
// balances, requests and the audit log.
std::string schema_sql_v1() {
    return R"SQL(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE member (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation')),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'forgotten')),
  status_reason TEXT,
  email         TEXT,
  phone         TEXT,
  postcode      TEXT,
  neighbourhood TEXT,
  joined        TEXT NOT NULL,
  note          TEXT,
  min_limit,              -- NULL: bank default; 'none': unlimited; integer minutes
  max_limit,
  balance       INTEGER NOT NULL DEFAULT 0,  -- minutes, kept with every ledger write
  opening       INTEGER NOT NULL DEFAULT 0,  -- minutes of opening balances
  last_exchange TEXT,                        -- date of the latest exchange
  created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX member_email ON member (lower(email)) WHERE email IS NOT NULL AND email <> '';
CREATE TABLE member_skill (
  member    TEXT NOT NULL REFERENCES member (id),
  direction TEXT NOT NULL CHECK (direction IN ('offers', 'wants')),
  skill     TEXT NOT NULL,
  PRIMARY KEY (member, direction, skill)
);
CREATE INDEX member_skill_skill ON member_skill (skill);
CREATE TABLE member_tag (
  member TEXT NOT NULL REFERENCES member (id),
  tag    TEXT NOT NULL,
  PRIMARY KEY (member, tag)
);
CREATE TABLE member_check (
  member  TEXT NOT NULL REFERENCES member (id),
  name    TEXT NOT NULL,
  expires TEXT NOT NULL,
  PRIMARY KEY (member, name)
);
CREATE TABLE block (
  a          TEXT NOT NULL REFERENCES member (id),
  b          TEXT NOT NULL REFERENCES member (id),
  reason     TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
);
CREATE TABLE exchange (
  number          INTEGER PRIMARY KEY,
  date            TEXT NOT NULL,
  provider        TEXT NOT NULL REFERENCES member (id),
  recipient       TEXT NOT NULL REFERENCES member (id),
  minutes         INTEGER NOT NULL CHECK (minutes > 0),
  category        TEXT NOT NULL DEFAULT '',
  note            TEXT NOT NULL DEFAULT '',
  ref             TEXT,
  reverses        INTEGER REFERENCES exchange (number),
  override_reason TEXT NOT NULL DEFAULT '',
  recorded_at     TEXT NOT NULL,
  recorded_by     TEXT NOT NULL,
  fingerprint     TEXT NOT NULL,
  salt            TEXT,            -- NULL once forgotten: digests can no longer be recomputed
  note_digest     TEXT NOT NULL,   -- SHA-256 of salt + note + override reason
  hash            TEXT NOT NULL    -- SHA-256 of the previous hash and this row's content
);
-- (exchange_provider and exchange_recipient cover every column a statement
-- shows from version 12 on: migration_sql_v12.)
CREATE INDEX exchange_provider ON exchange (provider, date);
CREATE INDEX exchange_recipient ON exchange (recipient, date);
CREATE INDEX exchange_date ON exchange (date);
CREATE UNIQUE INDEX exchange_ref ON exchange (ref) WHERE ref IS NOT NULL;
CREATE UNIQUE INDEX exchange_reverses ON exchange (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX exchange_fingerprint ON exchange (fingerprint);
CREATE TRIGGER exchange_append_only_update
BEFORE UPDATE OF number, date, provider, recipient, minutes, category, ref, reverses,
                 recorded_at, recorded_by, fingerprint, note_digest, hash ON exchange
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER exchange_append_only_delete BEFORE DELETE ON exchange
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TABLE opening (
  number      INTEGER PRIMARY KEY,
  member      TEXT NOT NULL REFERENCES member (id),
  minutes     INTEGER NOT NULL,
  date        TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  salt        TEXT,
  note_digest TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE TRIGGER opening_append_only_delete BEFORE DELETE ON opening
BEGIN SELECT RAISE(ABORT, 'opening balances are append-only'); END;
CREATE TABLE request (
  number      INTEGER PRIMARY KEY,
  member      TEXT NOT NULL REFERENCES member (id),
  category    TEXT NOT NULL,
  text        TEXT NOT NULL,
  minutes     INTEGER,
  needed_by   TEXT,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  exchange    INTEGER REFERENCES exchange (number),
  created_at  TEXT NOT NULL,
  closed_at   TEXT,
  recorded_by TEXT NOT NULL
);
CREATE INDEX request_status ON request (status);
CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  who     TEXT NOT NULL,
  command TEXT NOT NULL,
  target  TEXT NOT NULL,   -- member ID, exchange or request number: never a personal value
  fields  TEXT NOT NULL    -- names of the fields changed
);
)SQL";
}

// Version 2: match proposals written by `tb-match run`.
std::string migration_sql_v2() {
    return R"SQL(
-- The content fingerprint (for idempotent imports) is not part of the hash
-- chain; forget must be able to recompute it without the blanked note.
DROP TRIGGER exchange_append_only_update;
CREATE TRIGGER exchange_append_only_update
BEFORE UPDATE OF number, date, provider, recipient, minutes, category, ref, reverses,
                 recorded_at, recorded_by, note_digest, hash ON exchange
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TABLE proposal (
  id         INTEGER PRIMARY KEY,
  run        INTEGER NOT NULL,
  request    INTEGER NOT NULL REFERENCES request (number),
  member     TEXT NOT NULL REFERENCES member (id),
  score      REAL NOT NULL,
  status     TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
  created_at TEXT NOT NULL
);
CREATE INDEX proposal_request ON proposal (request);
CREATE INDEX proposal_member ON proposal (member, status);
-- Reports scan a period's trades from this index alone, never the wide rows.
CREATE INDEX exchange_trade ON exchange (date, provider, recipient, minutes, category, reverses);
-- Matching finds who offers a skill from this index alone.
CREATE INDEX member_skill_offered ON member_skill (skill, direction, member);
)SQL";
}

// Version 3: monthly totals of the trades (exchanges that are neither voids
// nor voided), kept by every ledger write (store/rollup.cpp), so that a
// report over whole months reads a few thousand rows instead of every
// exchange. They are derived data: tb check recomputes them from the ledger.
// The migration fills them (rebuild_rollups) after creating them.
std::string migration_sql_v3() {
    return R"SQL(
-- pair: 0 person-person, 1 person-organisation, 2 organisation-organisation,
-- from the kinds the two members have now.
CREATE TABLE trade_month (
  month     TEXT NOT NULL,     -- YYYY-MM of the exchange's date
  category  TEXT NOT NULL,
  pair      INTEGER NOT NULL CHECK (pair IN (0, 1, 2)),
  exchanges INTEGER NOT NULL,
  minutes   INTEGER NOT NULL,
  PRIMARY KEY (month, category, pair)
) WITHOUT ROWID;
-- trades: how many trades of the month the member was provider or recipient of.
CREATE TABLE member_month (
  month  TEXT NOT NULL,
  member TEXT NOT NULL,
  trades INTEGER NOT NULL,
  PRIMARY KEY (month, member)
) WITHOUT ROWID;
)SQL";
}

// Version 4: each member's name folded for lookup by name (case, accents and
// spaces ignored: text::fold_name), kept by every write of a name, so that a
// name on the command line or in an import row is found by the index without
// reading every member. The migration fills it (refresh_name_keys).
std::string migration_sql_v4() {
    return R"SQL(
ALTER TABLE member ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX member_name_key ON member (name_key);
)SQL";
}

// Version 5: the community pot and clearing accounts. member.kind gains
// 'pot' and 'bank', which its CHECK constraint (version 1) refuses: SQLite
// cannot alter a constraint, so the table is rebuilt (rebuild_member_table)
// before this runs. Then the pot, the account `pot`, is added.
std::string migration_sql_v5() {
    return R"SQL(
INSERT INTO member (id, name, kind, status, joined, created_at)
SELECT 'pot', 'Community pot', 'pot', 'active', date('now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE NOT EXISTS (SELECT 1 FROM member WHERE id = 'pot');
-- Transfers with other banks: one row per transfer file written (out) or
-- received (in); the transfer ID is also the exchange's ref.
CREATE TABLE IF NOT EXISTS transfer (
  id          TEXT PRIMARY KEY,   -- the transfer ID (a UUID)
  direction   TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  bank        TEXT NOT NULL REFERENCES member (id),   -- the clearing account
  exchange    INTEGER NOT NULL REFERENCES exchange (number),
  sha256      TEXT NOT NULL,      -- of the transfer file's content
  recorded_at TEXT NOT NULL
);
)SQL";
}

namespace {

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    if (at == std::string::npos) throw SystemError("cannot migrate the store: unexpected schema of member: " + from);
    return s.replace(at, from.size(), to);
}

}  // namespace

// SQLite's way to change a constraint: a new table from the old one's own
// definition (so that columns other migrations added are kept), the rows
// copied, the old table dropped, the new one renamed, its indexes and
// triggers made again. The caller runs it in the migration's transaction
// with foreign keys off (they cannot be switched inside one) and checks
// them (PRAGMA foreign_key_check) before committing.
void rebuild_member_table(SQLite::Database& db) {
    auto sql = db.execAndGet("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'member'").getString();
    if (sql.find("'pot', 'bank'") != std::string::npos) return;  // already wide
    sql = replace_once(sql, "CREATE TABLE member (", "CREATE TABLE member_v5 (");
    sql = replace_once(sql, "CHECK (kind IN ('person', 'organisation'))",
                       "CHECK (kind IN ('person', 'organisation', 'pot', 'bank'))");
    std::vector<std::string> others;  // indexes and triggers of member
    {
        SQLite::Statement q(db, "SELECT sql FROM sqlite_schema WHERE tbl_name = 'member' "
                                "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name");
        while (q.executeStep()) others.push_back(q.getColumn(0).getString());
    }
    db.exec(sql);
    db.exec("INSERT INTO member_v5 SELECT * FROM member");
    db.exec("DROP TABLE member");
    db.exec("ALTER TABLE member_v5 RENAME TO member");
    for (auto& o : others) db.exec(o);
}

// Version 6: the audit log is hash-chained like the ledger (store/audit.cpp).
// Store::migrate adds the column `hash TEXT NOT NULL DEFAULT ''` to audit
// (unless a store made from a newer one for a test has it), then runs this,
// then chains the entries written before it (chain_audit_log); entries are
// then append-only, as exchanges are.
std::string migration_sql_v6() {
    return R"SQL(
CREATE TRIGGER IF NOT EXISTS audit_append_only_update
BEFORE UPDATE OF id, at, who, command, target, fields ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)SQL";
}

// Version 7: tb-exchange amend. A correction is a void of the exchange and a
// new exchange that points at the one it corrects (`amends`), written in one
// transaction; an exchange is corrected at most once. The column enters the
// hash chain when it is set (store/ledger.cpp), so rows written before it
// keep their hashes. Store::migrate adds the column (unless a store made
// from a newer one for a test has it), then runs this.
std::string migration_sql_v7() {
    return R"SQL(
CREATE UNIQUE INDEX IF NOT EXISTS exchange_amends ON exchange (amends) WHERE amends IS NOT NULL;
DROP TRIGGER IF EXISTS exchange_append_only_update;
CREATE TRIGGER exchange_append_only_update
BEFORE UPDATE OF number, date, provider, recipient, minutes, category, ref, reverses, amends,
                 recorded_at, recorded_by, note_digest, hash ON exchange
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
)SQL";
}

// Version 8: how a request was closed. `outcome` is 'met' (with or without
// the exchange that met it) or 'withdrawn'; `close_reason` is the
// coordinator's --reason (personal: forget blanks it). Store::migrate adds
// the columns unless they are there, then runs this: a request closed with
// an exchange was met; one closed without is left NULL (closed, how is not
// known), which reports count as neither met nor withdrawn.
std::string migration_sql_v8() {
    return R"SQL(
UPDATE request SET outcome = 'met' WHERE status = 'closed' AND exchange IS NOT NULL AND outcome IS NULL;
)SQL";
}

// Version 9: the monthly totals of the trades per provider, recipient and
// category (store/rollup.hpp), kept like those of version 3, so that
// `summary --by`, `network` and `members` read whole months from them instead
// of every exchange. Only member IDs: a member's kind, tags and neighbourhood
// are joined when a report reads them. Store::migrate runs this (IF NOT
// EXISTS: a store made from a newer one for a test may have it), then fills
// every monthly total from the ledger (rebuild_rollups).
std::string migration_sql_v9() {
    return R"SQL(
CREATE TABLE IF NOT EXISTS pair_month (
  month     TEXT NOT NULL,     -- YYYY-MM of the exchange's date
  provider  TEXT NOT NULL,
  recipient TEXT NOT NULL,
  category  TEXT NOT NULL,
  exchanges INTEGER NOT NULL,
  minutes   INTEGER NOT NULL,
  PRIMARY KEY (month, provider, recipient, category)
) WITHOUT ROWID;
)SQL";
}

// Version 10: the trades and their minutes per date (store/rollup.hpp),
// kept like the monthly totals, so that weekly's twelve-week chart reads a
// row per day instead of every exchange of those weeks. Store::migrate runs
// this (IF NOT EXISTS: a store made from a newer one for a test may have it),
// then fills it from the ledger (fill_trade_day).
std::string migration_sql_v10() {
    return R"SQL(
CREATE TABLE IF NOT EXISTS trade_day (
  day       TEXT NOT NULL PRIMARY KEY,  -- the exchange's date, YYYY-MM-DD
  exchanges INTEGER NOT NULL,
  minutes   INTEGER NOT NULL
) WITHOUT ROWID;
)SQL";
}

// Version 11: tables several changes add (each marked with its table's name).
// Store::migrate runs this (IF NOT EXISTS: a store made from a newer one for a
// test may have them), then fills each from the ledger or the older totals.
std::string migration_sql_v11() {
    return R"SQL(
-- member_year: the trades per year and member (store/member_year.hpp), kept
-- like member_month. (member.last_trade, store/last_trade.hpp, is added by
-- Store::migrate: a column cannot be added IF NOT EXISTS.)
CREATE TABLE IF NOT EXISTS member_year (
  year   INTEGER NOT NULL,  -- of the exchange's date
  member TEXT NOT NULL,
  trades INTEGER NOT NULL,
  PRIMARY KEY (year, member)
) WITHOUT ROWID;
-- pair_year: the trades per year and unordered pair of members
-- (store/pair_year.hpp): low and high are the two member IDs in byte order,
-- `_lh` the trades in which low gave (provided) to high, `_hl` the others.
CREATE TABLE IF NOT EXISTS pair_year (
  year         INTEGER NOT NULL,  -- of the exchange's date
  low          TEXT NOT NULL,
  high         TEXT NOT NULL,
  exchanges_lh INTEGER NOT NULL,
  minutes_lh   INTEGER NOT NULL,
  exchanges_hl INTEGER NOT NULL,
  minutes_hl   INTEGER NOT NULL,
  PRIMARY KEY (year, low, high)
) WITHOUT ROWID;
-- group_month: the monthly totals per group for summary --by (store/group_month.hpp)
CREATE TABLE IF NOT EXISTS group_month (
  grouping  TEXT NOT NULL,     -- 'tag', 'neighbourhood' or 'postcode-district'
  month     TEXT NOT NULL,     -- YYYY-MM of the exchange's date
  group_key TEXT NOT NULL,     -- the group as summary --by compares it (text::group_key)
  category  TEXT NOT NULL,
  pair      INTEGER NOT NULL,  -- organisations among the two sides: 0, 1 or 2
  exchanges INTEGER NOT NULL,
  minutes   INTEGER NOT NULL,
  PRIMARY KEY (grouping, month, group_key, category, pair)
) WITHOUT ROWID;
-- member_org_month: each member's trades with an organisation, for summary --by kind (store/group_month.hpp)
CREATE TABLE IF NOT EXISTS member_org_month (
  month   TEXT NOT NULL,     -- YYYY-MM of the exchange's date
  member  TEXT NOT NULL,
  trades  INTEGER NOT NULL,  -- the member's trades whose other side is an organisation now
  PRIMARY KEY (month, member)
) WITHOUT ROWID;
)SQL";
}

// Version 12: changes several branches add (each marked with its name).
// Store::migrate runs this once the columns it needs are there.
std::string migration_sql_v12() {
    return R"SQL(
-- member.num (store/member_number.hpp): a member's number, given once when
-- the member is added (the next after the highest, by store::insert_member)
-- and never changed, so that tables of pairs can name members by an
-- integer. Store::migrate adds the column and numbers the members there
-- already in ID order.
CREATE UNIQUE INDEX IF NOT EXISTS member_num ON member (num);
-- pair_year (store/pair_year.hpp): low and high are now the two members'
-- numbers (member.num) in numeric order, so that network reads integers.
-- Store::migrate fills it from version 11's (by ID, renamed before this
-- runs; store/pair_year.hpp pair_year_from_ids), or from the monthly totals.
DROP TABLE IF EXISTS pair_year;
CREATE TABLE pair_year (
  year         INTEGER NOT NULL,  -- of the exchange's date
  low          INTEGER NOT NULL,  -- member.num of one side
  high         INTEGER NOT NULL,  -- member.num of the other, low <= high
  exchanges_lh INTEGER NOT NULL,
  minutes_lh   INTEGER NOT NULL,
  exchanges_hl INTEGER NOT NULL,
  minutes_hl   INTEGER NOT NULL,
  PRIMARY KEY (year, low, high)
) WITHOUT ROWID;
-- covering ledger indexes: each member's side of the ledger holds every
-- column a statement shows, in (date, number) order, so that a statement and
-- its balance brought forward read the index alone instead of one scattered
-- table row per line (same names: every query that used them still does).
DROP INDEX IF EXISTS exchange_provider;
DROP INDEX IF EXISTS exchange_recipient;
CREATE INDEX exchange_provider
  ON exchange (provider, date, number, recipient, minutes, category, note, reverses, amends);
CREATE INDEX exchange_recipient
  ON exchange (recipient, date, number, provider, minutes, category, note, reverses, amends);
)SQL";
}

// Version 13: member_year also keeps, per year and member, the trades the
// member provided and the minutes given and received (store/member_year.hpp),
// so that network reads a member's totals for whole years from a row per
// member and pair_year for the pairs alone. Store::migrate fills it again
// (rebuild_member_year: from pair_month, or every table from the ledger). And
// an index of the accounts among the members.
std::string migration_sql_v13() {
    return R"SQL(
DROP TABLE IF EXISTS member_year;
CREATE TABLE member_year (
  year     INTEGER NOT NULL,  -- of the exchange's date
  member   TEXT NOT NULL,
  trades   INTEGER NOT NULL,  -- as provider or recipient (both, for one with themself)
  provided INTEGER NOT NULL,  -- of them as provider
  given    INTEGER NOT NULL,  -- minutes as provider
  received INTEGER NOT NULL,  -- minutes as recipient
  PRIMARY KEY (year, member)
) WITHOUT ROWID;
-- member_account: the accounts (clearing accounts, the pot) among the
-- members, a few rows, so that network finds their trades without reading
-- every member (store::for_each_account_trade).
CREATE INDEX IF NOT EXISTS member_account ON member (id) WHERE kind NOT IN ('person', 'organisation');
)SQL";
}

}  // namespace tb::store
