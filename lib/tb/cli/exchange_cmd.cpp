// Placeholder until tb-exchange is built.
#include <iostream>

#include "tb/cli/tools.hpp"

namespace tb::cli {
int exchange_main(int, char**) {
    std::cerr << "tb-exchange: error: not built yet\n";
    return 1;
}
}  // namespace tb::cli
