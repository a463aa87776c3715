#include "tb/cli/tools.hpp"

int main(int argc, char** argv) { return tb::cli::member_main(argc, argv); }
