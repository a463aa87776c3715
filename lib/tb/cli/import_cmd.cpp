// import and export of tb-member and tb-exchange.
#include "tb/cli/app.hpp"

namespace tb::cli {

void member_import_export(CLI::App&, Registry&) {}
void exchange_import_export(CLI::App&, Registry&) {}

}  // namespace tb::cli
