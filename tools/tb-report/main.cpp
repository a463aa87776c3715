#include "tb/cli/tools.hpp"

int main(int argc, char** argv) { return tb::cli::report_main(argc, argv); }
