#pragma once
// The exit code and message of what an operation throws, for the service
// tests: ok and "" when it throws nothing.
#include <functional>
#include <string>

#include "tb/util/error.hpp"

namespace tb::test {

struct Thrown {
    ExitCode code = ExitCode::ok;
    std::string message;
};

inline Thrown thrown(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return {e.code(), e.what()};
    }
    return {};
}

}  // namespace tb::test
