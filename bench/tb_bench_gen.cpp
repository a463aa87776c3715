// tb_bench_gen: writes a realistic, reproducible timebank for benchmarks.
//
//   tb_bench_gen --db FILE [--members 10000] [--exchanges 1000000] [--years 3]
//                [--today 2026-11-27] [--seed 1] [--csv-dir DIR] [--journal FILE]
//                [--journal-exchanges N]
//
// The store is written through the store API (insert_member, append_opening
// and the bulk LedgerAppender behind append_exchange) in one transaction, so
// it is a valid store (`tb check` accepts it). With --csv-dir it also writes
// members.csv and exchanges.csv with SPEC's field names (for the import
// benchmark); with --journal a ledger/hledger journal of the same ledger (for
// the balance comparison; --journal-exchanges N writes only the first N
// exchanges to a second, smaller journal FILE.small).
//
// Shape: a few very active members and many occasional ones (a heavy-tailed
// activity weight), non-ASCII names, some organisations, tags and
// neighbourhoods, categories from the taxonomy, notes with commas and quotes,
// a few voids and opening balances.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "tb/model/config.hpp"
#include "tb/model/model.hpp"
#include "tb/io/output.hpp"
#include "tb/store/ledger.hpp"
#include "tb/store/members.hpp"
#include "tb/store/store.hpp"
#include "tb/util/date.hpp"
#include "tb/util/duration.hpp"

namespace fs = std::filesystem;
using namespace tb;

namespace {

struct Options {
    std::string db, csv_dir, journal;
    int members = 10000;
    long exchanges = 1000000;
    long journal_small = 0;
    int years = 3;
    std::string today = "2026-11-27";
    unsigned seed = 1;
};

const bench::Usage kUsage{"tb_bench_gen",
                          "usage: tb_bench_gen --db FILE [--members N] [--exchanges N] [--years N] [--today DATE]\n"
                          "                    [--seed N] [--csv-dir DIR] [--journal FILE] [--journal-exchanges N]\n"};

Options parse_args(int argc, char** argv) {
    Options o;
    bench::read_options(argc, argv, kUsage,
                        {{"--db", &o.db}, {"--members", &o.members}, {"--exchanges", &o.exchanges},
                         {"--years", &o.years}, {"--today", &o.today}, {"--seed", &o.seed}, {"--csv-dir", &o.csv_dir},
                         {"--journal", &o.journal}, {"--journal-exchanges", &o.journal_small}});
    if (o.db.empty()) kUsage.fail("--db is required");
    if (o.members < 2 || o.exchanges < 0 || o.years < 1) kUsage.fail("bad sizes");
    return o;
}

const char* kFirst[] = {"Ann",   "Zoë",    "Łukasz", "Siobhán", "José",  "Aoife",  "Bjørn",   "Chloé",  "Ahmed",
                        "Fatima", "Tomás",  "Renée",  "Jürgen",  "Mei",   "Oluwaseun", "Priya", "Dörte", "Noël",
                        "Seán",  "Ingrid", "Kwame",  "Małgorzata", "Ştefan", "Yusuf", "Eilídh", "Grace", "Raj",
                        "Olga",  "Håkon",  "Amélie", "Ciarán",  "Nadia", "Wei",    "Ruth",    "Dafydd", "Agnieszka"};
const char* kLast[] = {"Lee",    "Nguyễn", "Dvořák", "O'Brien", "Müller", "Kowalski", "García", "Ó Súilleabháin",
                       "Patel",  "Smith",  "Jones",  "Zhang",   "Ahmed",  "Björk",    "Okafor", "Rossi",
                       "Szabó",  "Walsh",  "Evans",  "Khan",    "Fernández", "MacLeod", "Çelik", "Novák"};
const char* kOrgs[] = {"Café Sól", "Brunswick Community Centre", "Rosewood Care Home", "St Anne's Church Hall",
                       "Newsome Library", "Hillside Allotment Society", "Crèche on the Corner", "Repair Café",
                       "Men's Shed", "Good Neighbours CIC", "Food Bank", "Sure Start Centre"};
const char* kNeighbourhoods[] = {"Newsome",   "Lockwood",    "Berry Brow", "Armitage Bridge", "Salendine Nook",
                                 "Crosland Moor", "Paddock", "Lindley",   "Marsh",           "Moldgreen",
                                 "Almondbury", "Dalton"};
const char* kTags[] = {"carer", "uses-services", "volunteer", "over-65", "young-person", "ward-1",
                       "ward-2", "ward-3", "ward-4", "refugee", "disabled", "parent"};
const char* kNotes[] = {"",
                        "",
                        "",
                        "",
                        "Helped with the shopping, then a cup of tea",
                        "Lift to the \"big\" hospital, waited, drove back",
                        "Weeding, pruning, and \"general tidying\"",
                        "Phone call, 30 min, all fine",
                        "Fixed the \"wobbly\" shelf",
                        "Café morning — Ünterstützung, merci",
                        "Read letters, filled form \"PIP2\", posted it",
                        "Session 2 of 4; next week same time"};

std::string csv_row(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += io::csv_field(cells[i], ',');
    }
    return out + '\n';
}

// "TC", time credits: not "h", which ledger reads as its own unit of time.
std::string ledger_amount(Minutes m) { return format_hours(m) + " TC"; }

// Journal entries in the common subset of ledger and hledger syntax.
void journal_exchange(std::ostream& j, const Exchange& e) {
    j << to_string(e.date) << " (" << e.number << ") " << (e.category.empty() ? "exchange" : e.category) << '\n'
      << "    member:" << e.provider << "  " << ledger_amount(e.minutes) << '\n'
      << "    member:" << e.recipient << "  " << ledger_amount(-e.minutes) << "\n\n";
}

void journal_opening(std::ostream& j, const Opening& o) {
    j << to_string(o.date) << " opening balance\n"
      << "    member:" << o.member << "  " << ledger_amount(o.minutes) << '\n'
      << "    equity:opening\n\n";
}

}  // namespace

int main(int argc, char** argv) try {
    auto o = parse_args(argc, argv);
    auto t0 = std::chrono::steady_clock::now();
    std::mt19937_64 rng(o.seed);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    auto pick = [&](auto& arr) -> const char* {
        return arr[std::uniform_int_distribution<std::size_t>(0, std::size(arr) - 1)(rng)];
    };

    Date today = *parse_iso_date(o.today);
    Date start = today - 365 * o.years;
    auto categories = load_config("").categories;

    // Members: most joined before the ledger starts, the rest along the way.
    std::vector<Member> members;
    std::vector<double> weight;
    members.reserve(o.members);
    for (int i = 0; i < o.members; ++i) {
        Member m;
        m.id = fmt::format("M{:05}", i + 1);
        bool org = uniform(0, 1) < 0.03;
        m.kind = org ? MemberKind::organisation : MemberKind::person;
        m.name = org ? fmt::format("{} {}", pick(kOrgs), i + 1) : fmt::format("{} {}", pick(kFirst), pick(kLast));
        m.neighbourhood = uniform(0, 1) < 0.9 ? pick(kNeighbourhoods) : "";
        m.email = fmt::format("member{}@example.org", i + 1);
        m.postcode = fmt::format("HD{} {}AB", 1 + i % 9, i % 10);
        int ntags = static_cast<int>(uniform(0, 3));
        for (int k = 0; k < ntags; ++k) {
            std::string tag = pick(kTags);
            if (std::find(m.tags.begin(), m.tags.end(), tag) == m.tags.end()) m.tags.push_back(tag);
        }
        const auto& cat = categories[i % categories.size()];
        if (!cat.skills.empty()) m.offers.push_back(cat.skills.front());
        bool early = uniform(0, 1) < 0.6;
        m.joined = early ? start - static_cast<int>(uniform(0, 900)) : start + static_cast<int>(uniform(0, 365 * o.years));
        if (uniform(0, 1) < 0.05) m.status = MemberStatus::inactive;
        members.push_back(std::move(m));
        // Heavy tail: a few members trade a great deal, most now and then.
        double w = std::pow(uniform(1e-4, 1.0), -1.1);
        if (org) w *= 3;
        weight.push_back(w);
    }
    std::discrete_distribution<int> who(weight.begin(), weight.end());
    // Some categories are far more common than others.
    std::vector<double> cat_weight;
    for (std::size_t c = 0; c < categories.size(); ++c) cat_weight.push_back(1.0 / (1.0 + static_cast<double>(c)));
    std::discrete_distribution<std::size_t> which_category(cat_weight.begin(), cat_weight.end());

    fs::remove(o.db);
    fs::remove(o.db + "-wal");
    fs::remove(o.db + "-shm");
    store::Store s(o.db, store::OpenMode::read_write, 5000);

    std::ofstream journal, journal_small, members_csv, exchanges_csv;
    if (!o.journal.empty()) journal.open(o.journal);
    if (!o.journal.empty() && o.journal_small > 0) journal_small.open(o.journal + ".small");
    if (!o.csv_dir.empty()) {
        fs::create_directories(o.csv_dir);
        members_csv.open(fs::path(o.csv_dir) / "members.csv");
        exchanges_csv.open(fs::path(o.csv_dir) / "exchanges.csv");
        members_csv << csv_row({"id", "name", "kind", "status", "email", "phone", "postcode", "neighbourhood",
                                "joined", "offers", "wants", "tags", "note"});
        exchanges_csv << csv_row({"date", "provider", "recipient", "hours", "minutes", "category", "note", "ref"});
    }
    auto to_journals = [&](auto&& write) {
        if (journal.is_open()) write(journal);
    };

    store::WriteTransaction tx(s);
    store::set_meta(s, "name", "Bench Timebank");
    for (auto& m : members) {
        store::insert_member(s, m);
        if (members_csv.is_open())
            members_csv << csv_row({m.id, m.name, to_string(m.kind), to_string(m.status), m.email, "", m.postcode,
                                    m.neighbourhood, to_string(m.joined), fmt::format("{}", fmt::join(m.offers, ";")),
                                    "", fmt::format("{}", fmt::join(m.tags, ";")), ""});
    }
    // Opening balances carried over from an older system, for a few members.
    std::vector<Minutes> balance(members.size(), 0);
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (uniform(0, 1) >= 0.02) continue;
        Minutes m = 15 * static_cast<Minutes>(uniform(-40, 40));
        if (m == 0) continue;
        auto op = store::append_opening(s, members[i].id, m, std::max(start, members[i].joined), "carried over",
                                        "bench");
        balance[i] += m;
        to_journals([&](std::ostream& j) { journal_opening(j, op); });
        if (journal_small.is_open()) journal_opening(journal_small, op);
    }

    // Exchanges in date order, as a bank records them; a few are voided
    // a few days later by a reversing exchange.
    const Minutes kMinutes[] = {30, 45, 60, 60, 60, 90, 90, 120, 120, 180, 240, 15};
    std::multimap<int, Exchange> pending_voids;  // void date -> the exchange to reverse
    std::vector<int> dates(static_cast<std::size_t>(o.exchanges));
    int span = today - start;
    for (auto& d : dates) d = start.days + static_cast<int>(std::sqrt(uniform(0, 1)) * span);  // growing bank
    std::sort(dates.begin(), dates.end());
    long written = 0, voids = 0;
    store::LedgerAppender ledger(s, "bench");
    auto emit_voids_until = [&](int day) {
        while (!pending_voids.empty() && pending_voids.begin()->first <= day) {
            auto [vday, orig] = *pending_voids.begin();
            pending_voids.erase(pending_voids.begin());
            ExchangeDraft v;
            v.date = Date{vday};
            v.provider = orig.recipient;
            v.recipient = orig.provider;
            v.minutes = orig.minutes;
            v.category = orig.category;
            v.note = "void: recorded twice";
            v.reverses = orig.number;
            auto e = ledger.append(v);
            to_journals([&](std::ostream& j) { journal_exchange(j, e); });
            ++voids;
        }
    };
    for (long n = 0; n < o.exchanges; ++n) {
        int day = dates[static_cast<std::size_t>(n)];
        emit_voids_until(day);
        Date date{day};
        int a = 0, b = 0;
        for (int tries = 0; tries < 50; ++tries) {
            a = who(rng);
            b = who(rng);
            if (a != b && members[a].joined <= date && members[b].joined <= date) break;
        }
        if (a == b) b = (a + 1) % o.members;
        // The member with the lower balance gives: balances stay near zero,
        // as a bank's limits keep them.
        if (balance[a] > balance[b]) std::swap(a, b);
        ExchangeDraft d;
        d.date = date;
        d.provider = members[a].id;
        d.recipient = members[b].id;
        d.minutes = kMinutes[std::uniform_int_distribution<int>(0, std::size(kMinutes) - 1)(rng)];
        d.category = uniform(0, 1) < 0.02 ? "" : categories[which_category(rng)].name;
        d.note = pick(kNotes);
        auto e = ledger.append(d);
        balance[a] += d.minutes;
        balance[b] -= d.minutes;
        to_journals([&](std::ostream& j) { journal_exchange(j, e); });
        if (journal_small.is_open() && n < o.journal_small) journal_exchange(journal_small, e);
        if (uniform(0, 1) < 0.003 && date + 3 <= today) {
            pending_voids.emplace(day + static_cast<int>(uniform(0, 4)), e);
        } else if (exchanges_csv.is_open()) {
            exchanges_csv << csv_row({to_string(e.date), e.provider, e.recipient, format_hours(e.minutes),
                                      std::to_string(e.minutes), e.category, e.note, fmt::format("B{}", e.number)});
        }
        ++written;
        if (written % 100000 == 0) std::cerr << "tb_bench_gen: " << written << " exchanges\n";
    }
    emit_voids_until(today.days);
    ledger.flush();
    tx.commit();
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << fmt::format("tb_bench_gen: {} members, {} exchanges, {} voids in {} ({:.1f} s)\n", members.size(),
                             written, voids, o.db, secs);
    return 0;
} catch (const std::exception& e) {
    std::cerr << "tb_bench_gen: error: " << e.what() << '\n';
    return 1;
}
