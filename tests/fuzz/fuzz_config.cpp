// libFuzzer target: timebank.toml loaded (every section, the contradiction
// checks), and the config rendered back as `tb config` shows it.
#include <cstdint>
#include <cstdlib>

#include "fuzz_input.hpp"
#include "tb/model/config.hpp"
#include "tb/util/error.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ::setenv("TB_SHARE_DIR", TB_FUZZ_SHARE_DIR, 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto path = tb::fuzz::as_file(data, size);
    try {
        auto c = tb::load_config(path);
        if (c.min_balance && *c.min_balance > 0) std::abort();
        if (c.max_balance && *c.max_balance < 0) std::abort();
        (void)tb::config_entries(c);
        // What `tb init --config-out` writes from a config must load again.
        auto text = tb::config_to_toml(c);
        auto again = tb::fuzz::as_file(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        (void)tb::load_config(again);
    } catch (const tb::Error&) {
    }
    return 0;
}
