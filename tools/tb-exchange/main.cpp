#include "tb/cli/tools.hpp"

int main(int argc, char** argv) { return tb::cli::exchange_main(argc, argv); }
