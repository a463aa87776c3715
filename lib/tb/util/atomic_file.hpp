#pragma once
// A file that appears whole or not at all: written to a temporary file in the
// same directory, flushed, then renamed over the target on commit(). A cron
// job that dies half way never leaves half a report.
//
// The temporary file is named `.NAME.tb-tmp-PID` beside the target; one left
// by a process that was killed is removed by the next AtomicFile made in that
// directory (remove_stale_temps), so a killed job leaves nothing that nobody
// cleans. A target that exists and is not a regular file (/dev/null,
// /dev/stdout, a pipe) is written directly, never replaced; a target that is
// a symlink is resolved first, so the rename replaces what it points at.
#include <fstream>
#include <string>
#include <string_view>

namespace tb {

class AtomicFile {
public:
    // mode is the permission of the final file (0600 for anything personal).
    explicit AtomicFile(std::string path, unsigned mode = 0644);
    ~AtomicFile();  // removes the temporary file unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::ostream& stream() { return out_; }
    void commit();
    const std::string& path() const { return path_; }
    // Whether the target is written directly (not a regular file).
    bool direct() const { return direct_; }

private:
    std::string path_;
    std::string target_;  // path_ with its symlinks resolved
    std::string tmp_;
    unsigned mode_;
    std::ofstream out_;
    bool committed_ = false;
    bool direct_ = false;
};

// Writes the whole content atomically.
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode = 0644);

// The path a symlink chain at the end of `path` leads to (the path itself
// when it is no symlink); the target need not exist.
std::string resolve_symlinks(const std::string& path);

// Whether `path` is written in place rather than replaced: it exists and is
// not a regular file, or it leads into /proc (/dev/stdout -> /proc/self/fd/1).
bool writes_in_place(const std::string& path);

// `.NAME.tb-tmp-PID` beside `target`, for this process.
std::string temp_path_for(const std::string& target);

// Removes the temporary files (`.NAME.tb-tmp-PID`, and their -wal, -shm and
// -journal files) in `dir` whose process is no longer running.
void remove_stale_temps(const std::string& dir);

// Whether two names are the same file: the same device and inode when both
// exist; the same name in the same directory (by device and inode) when
// neither does (a -wal file that is not there yet). Symlinks are resolved.
bool same_file(const std::string& a, const std::string& b);

}  // namespace tb
