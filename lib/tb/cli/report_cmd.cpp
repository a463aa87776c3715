// Placeholder until tb-report is built.
#include <iostream>

#include "tb/cli/tools.hpp"

namespace tb::cli {
int report_main(int, char**) {
    std::cerr << "tb-report: error: not built yet\n";
    return 1;
}
}  // namespace tb::cli
