// Placeholder until tb-member is built.
#include <iostream>

#include "tb/cli/tools.hpp"

namespace tb::cli {
int member_main(int, char**) {
    std::cerr << "tb-member: error: not built yet\n";
    return 1;
}
}  // namespace tb::cli
