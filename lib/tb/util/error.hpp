#pragma once
// The one error hierarchy of the toolkit. Each error carries the exit status
// that SPEC.md assigns to its kind; lower layers throw, only main() prints.
#include <stdexcept>
#include <string>

namespace tb {

enum class ExitCode : int {
    ok = 0,
    failure = 1,    // the store, the file system or the system
    usage = 2,      // usage or configuration error
    rejected = 3,   // input rejected by validation or policy; nothing written
    not_found = 4,  // a member, exchange or request named on the command line
};

class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }
    // "error" for most, "rejected" for policy and validation refusals.
    virtual const char* label() const noexcept { return "error"; }

private:
    ExitCode code_;
};

// The store, the file system or the system failed (exit 1).
class SystemError : public Error {
public:
    explicit SystemError(const std::string& m) : Error(ExitCode::failure, m) {}
};

// A command line that cannot be understood (exit 2).
class UsageError : public Error {
public:
    explicit UsageError(const std::string& m) : Error(ExitCode::usage, m) {}
};

// A configuration file that is wrong (exit 2).
class ConfigError : public Error {
public:
    explicit ConfigError(const std::string& m) : Error(ExitCode::usage, m) {}
};

// Input that parses but breaks a rule (exit 3). Nothing was written.
class Rejected : public Error {
public:
    explicit Rejected(const std::string& m) : Error(ExitCode::rejected, m) {}
    const char* label() const noexcept override { return "rejected"; }
};

// Something named on the command line does not exist (exit 4).
class NotFound : public Error {
public:
    explicit NotFound(const std::string& m) : Error(ExitCode::not_found, m) {}
};

}  // namespace tb
