#include "tb/cli/tools.hpp"

int main(int argc, char** argv) { return tb::cli::match_main(argc, argv); }
