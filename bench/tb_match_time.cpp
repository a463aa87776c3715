// tb_match_time: the time of one `suggest` inside the process, without the
// process start, dynamic linking and configuration that every tb command
// pays. Each request gets a fresh connection (a cold SQLite cache, as in a
// new tb-match process) and a fresh Matcher.
//
//   tb_match_time --db FILE [--requests 1,21,41,...] [--every 20] [--limit 5] [--today DATE]
//
// Prints one line per request (number, candidates ranked, wall ms, CPU ms)
// and the median, 90th percentile and maximum.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fmt/format.h>
#include <iostream>
#include <string>
#include <vector>

#include "tb/model/config.hpp"
#include "tb/match/matcher.hpp"
#include "tb/store/match_queries.hpp"
#include "tb/store/requests.hpp"
#include "tb/store/store.hpp"

using namespace tb;

namespace {

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, int p) {
    std::sort(v.begin(), v.end());
    auto i = (v.size() * static_cast<std::size_t>(p) + 99) / 100;
    return v[std::max<std::size_t>(i, 1) - 1];
}

}  // namespace

int main(int argc, char** argv) {
    std::string db, today_text = "2026-11-27";
    int every = 20;
    std::size_t limit = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--db") db = argv[i + 1];
        else if (a == "--every") every = std::stoi(argv[i + 1]);
        else if (a == "--limit") limit = static_cast<std::size_t>(std::stoul(argv[i + 1]));
        else if (a == "--today") today_text = argv[i + 1];
        else {
            std::cerr << "usage: tb_match_time --db FILE [--every N] [--limit K] [--today DATE]\n";
            return 2;
        }
    }
    if (db.empty()) {
        std::cerr << "tb_match_time: --db is required\n";
        return 2;
    }
    Config config = load_config("");
    Date today = *parse_iso_date(today_text);
    std::vector<Request> requests;
    {
        store::Store s(db, store::OpenMode::read_only, 5000);
        requests = store::list_requests(s, {});
    }
    std::vector<double> wall, cpu;
    for (std::size_t i = 0; i < requests.size(); i += static_cast<std::size_t>(every)) {
        auto w0 = std::chrono::steady_clock::now();
        double c0 = cpu_ms();
        std::size_t n = 0;
        {
            store::Store s(db, store::OpenMode::read_only, 5000);
            store::prepare_for_matching(s);
            store::ReadSnapshot snapshot(s);
            match::Matcher m(s, config, today);
            n = m.suggest(requests[i], false, limit).size();
        }
        double w = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count();
        double c = cpu_ms() - c0;
        wall.push_back(w);
        cpu.push_back(c);
        std::cout << fmt::format("request {:5}  {:2} shown  {:7.2f} ms  CPU {:7.2f} ms\n", requests[i].number, n, w, c);
    }
    if (wall.empty()) return 0;
    std::cout << fmt::format("median {:.1f} ms (CPU {:.1f}), 90th percentile {:.1f} ms (CPU {:.1f}), max {:.1f} ms "
                             "(CPU {:.1f}) over {} requests\n",
                             percentile(wall, 50), percentile(cpu, 50), percentile(wall, 90), percentile(cpu, 90),
                             percentile(wall, 100), percentile(cpu, 100), wall.size());
    return 0;
}
