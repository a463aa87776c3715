#include "tb/cli/tools.hpp"

int main(int argc, char** argv) { return tb::cli::tb_main(argc, argv); }
