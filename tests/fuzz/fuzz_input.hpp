// Shared by the fuzz targets: the input as a file the readers can open by
// path (an in-memory file, so a run does no disk I/O), and the rule that a
// tb::Error is an answer while anything else is a finding.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace tb::fuzz {

// The bytes as /proc/self/fd/N of one memfd, rewritten each run.
inline std::string as_file(const std::uint8_t* data, std::size_t size) {
    static int fd = [] {
        int f = ::memfd_create("tb-fuzz", MFD_CLOEXEC);
        if (f < 0) std::abort();
        return f;
    }();
    if (::ftruncate(fd, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
        auto n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) std::abort();
        done += static_cast<std::size_t>(n);
    }
    return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace tb::fuzz
