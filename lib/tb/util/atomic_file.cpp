#include "tb/util/atomic_file.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tb/util/error.hpp"

namespace fs = std::filesystem;

namespace tb {
namespace {

constexpr std::string_view kTempMarker = ".tb-tmp-";

std::string dir_of(const std::string& path) {
    auto parent = fs::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// The PID in a temporary file's name, or 0 when the name is not one of ours.
long temp_pid(const std::string& name) {
    if (name.empty() || name[0] != '.') return 0;
    auto at = name.rfind(kTempMarker);
    if (at == std::string::npos) return 0;
    auto rest = name.substr(at + kTempMarker.size());
    for (auto suffix : {"-wal", "-shm", "-journal"}) {
        std::string_view sv(suffix);
        if (rest.size() > sv.size() && rest.compare(rest.size() - sv.size(), sv.size(), sv) == 0) {
            rest.resize(rest.size() - sv.size());
            break;
        }
    }
    if (rest.empty() || rest.size() > 9) return 0;
    for (char c : rest)
        if (c < '0' || c > '9') return 0;
    return std::stol(rest);
}

}  // namespace

std::string resolve_symlinks(const std::string& path) {
    std::string cur = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(cur.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
        std::error_code ec;
        auto target = fs::read_symlink(cur, ec);
        if (ec) return cur;
        cur = target.is_absolute() ? target.string() : (fs::path(cur).parent_path() / target).string();
    }
    throw SystemError(fmt::format("cannot write {}: too many levels of symbolic links", path));
}

bool writes_in_place(const std::string& path) {
    if (starts_with(path, "/proc/")) return true;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return true;
    // A symlink through /proc (/dev/stdout -> /proc/self/fd/1) names a
    // descriptor that is open already, even when it is a regular file
    // (`>> log`): it is written, never replaced.
    std::string cur = path;
    for (int hops = 0; hops < 40; ++hops) {
        if (starts_with(cur, "/proc/")) return true;
        struct stat lst {};
        if (::lstat(cur.c_str(), &lst) != 0 || !S_ISLNK(lst.st_mode)) return false;
        std::error_code ec;
        auto target = fs::read_symlink(cur, ec);
        if (ec) return false;
        cur = target.is_absolute() ? target.string() : (fs::path(cur).parent_path() / target).string();
    }
    return false;
}

std::string temp_path_for(const std::string& target) {
    auto p = fs::path(target);
    auto name = "." + p.filename().string() + std::string(kTempMarker) + std::to_string(::getpid());
    return (p.parent_path() / name).string();
}

void remove_stale_temps(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    const long self = ::getpid();
    while (auto* e = ::readdir(d)) {
        std::string name = e->d_name;
        long pid = temp_pid(name);
        if (pid <= 0 || pid == self) continue;
        // EPERM: alive, under another user; only a process that is gone is stale.
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        auto full = (fs::path(dir) / name).string();
        struct stat st {};
        if (::lstat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(full.c_str());
    }
    ::closedir(d);
}

bool same_file(const std::string& a, const std::string& b) {
    auto ra = resolve_symlinks(a), rb = resolve_symlinks(b);
    struct stat sa {}, sb {};
    bool ea = ::stat(ra.c_str(), &sa) == 0, eb = ::stat(rb.c_str(), &sb) == 0;
    if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea || eb) return false;
    auto pa = fs::path(ra), pb = fs::path(rb);
    if (pa.filename() != pb.filename()) return false;
    struct stat da {}, db {};
    if (::stat(dir_of(ra).c_str(), &da) != 0 || ::stat(dir_of(rb).c_str(), &db) != 0) return false;
    return da.st_dev == db.st_dev && da.st_ino == db.st_ino;
}

AtomicFile::AtomicFile(std::string path, unsigned mode) : path_(std::move(path)), mode_(mode) {
    if (writes_in_place(path_)) {
        struct stat st {};
        if (::stat(path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            throw SystemError(fmt::format("cannot write {}: it is a directory", path_));
        direct_ = true;
        target_ = path_;
        // Appending: a descriptor (/dev/stdout of `>> log`) is never truncated.
        out_.open(path_, std::ios::binary | std::ios::app);
        if (!out_) throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
        return;
    }
    target_ = resolve_symlinks(path_);
    remove_stale_temps(dir_of(target_));
    tmp_ = temp_path_for(target_);
    int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);  // private until committed
    if (fd < 0 && errno == EEXIST) {
        // Ours, from an earlier AtomicFile of this process on the same target.
        ::unlink(tmp_.c_str());
        fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    ::close(fd);
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) {
        ::unlink(tmp_.c_str());
        throw SystemError(fmt::format("cannot write {}", path_));
    }
}

AtomicFile::~AtomicFile() {
    if (!committed_ && !direct_) {
        out_.close();
        ::unlink(tmp_.c_str());
    }
}

void AtomicFile::commit() {
    out_.flush();
    bool good = out_.good();
    out_.close();
    if (!good) throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    if (direct_) {
        committed_ = true;
        return;
    }
    int fd = ::open(tmp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    ::chmod(tmp_.c_str(), static_cast<mode_t>(mode_));
    if (::rename(tmp_.c_str(), target_.c_str()) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", path_, std::strerror(errno)));
    committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view content, unsigned mode) {
    AtomicFile f(path, mode);
    f.stream() << content;
    f.commit();
}

}  // namespace tb
