#pragma once
// The command line of the benchmark tools: `--option value` pairs, each
// value stored in the variable its option names, parsed by that variable's
// type. A missing value, an unknown option or a number that does not parse
// prints the tool's usage and exits 2.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <type_traits>
#include <variant>

namespace tb::bench {

struct Usage {
    std::string tool;   // the program's name, before each message
    std::string lines;  // "usage: ..." and its continuation lines, each ending in a newline
    [[noreturn]] void fail(const std::string& why) const {
        std::cerr << tool << ": " << why << "\n" << lines;
        std::exit(2);
    }
};

// option -> the variable its value goes to.
using Targets = std::map<std::string, std::variant<std::string*, int*, long*, unsigned*>>;

inline void read_options(int argc, char** argv, const Usage& usage, const Targets& targets) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto it = targets.find(a);
        if (it == targets.end()) usage.fail("unknown option " + a);
        if (i + 1 >= argc) usage.fail(a + " needs a value");
        std::string v = argv[++i];
        auto whole_number = [&](auto parse) {
            std::size_t used = 0;
            try {
                auto n = parse(v, &used);
                if (used == v.size()) return n;
            } catch (const std::exception&) {  // std::invalid_argument, std::out_of_range
            }
            usage.fail(a + ": not a number: " + v);
        };
        std::visit(
            [&](auto* target) {
                using T = std::remove_pointer_t<decltype(target)>;
                if constexpr (std::is_same_v<T, std::string>)
                    *target = v;
                else if constexpr (std::is_same_v<T, int>)
                    *target = whole_number([](const std::string& s, std::size_t* n) { return std::stoi(s, n); });
                else if constexpr (std::is_same_v<T, long>)
                    *target = whole_number([](const std::string& s, std::size_t* n) { return std::stol(s, n); });
                else
                    *target = static_cast<unsigned>(
                        whole_number([](const std::string& s, std::size_t* n) { return std::stoul(s, n); }));
            },
            it->second);
    }
}

}  // namespace tb::bench
