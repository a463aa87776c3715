#pragma once
// Entry points of the executables; tools/*/main.cpp only call these.
namespace tb::cli {

int tb_main(int argc, char** argv);
int member_main(int argc, char** argv);
int exchange_main(int argc, char** argv);
int report_main(int argc, char** argv);
int match_main(int argc, char** argv);

}  // namespace tb::cli
