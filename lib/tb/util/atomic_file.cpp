#include "tb/util/atomic_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb/util/error.hpp"

namespace tb {

AtomicFile::AtomicFile(std::string path, unsigned mode) : path_(std::move(path)), mode_(mode) {
    tmp_ = path_ + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp_.data());  // created 0600: private until committed
    if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    ::close(fd);
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        ::unlink(tmp_.c_str());
        throw SystemError(fmt::format("cannot write {}", path_));
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        out_.close();
        ::unlink(tmp_.c_str());
    }
}

void AtomicFile::commit() {
    out_.flush();
    bool good = out_.good();
    out_.close();
    if (!good) throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    int fd = ::open(tmp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    ::chmod(tmp_.c_str(), static_cast<mode_t>(mode_));
    if (::rename(tmp_.c_str(), path_.c_str()) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
    AtomicFile f(path, mode);
    f.stream() << content;
    f.commit();
}

}  // namespace tb
