// Placeholder until tb-match is built.
#include <iostream>

#include "tb/cli/tools.hpp"

namespace tb::cli {
int match_main(int, char**) {
    std::cerr << "tb-match: error: not built yet\n";
    return 1;
}
}  // namespace tb::cli
