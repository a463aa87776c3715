#pragma once
// A file that appears whole or not at all: written to a temporary file in the
// same directory, flushed, then renamed over the target on commit(). A cron
// job that dies half way never leaves half a report.
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

private:
    std::string path_;
    std::string tmp_;
    unsigned mode_;
    std::ofstream out_;
    bool committed_ = false;
};

// Writes the whole content atomically.
void write_file_atomically(const std::string& path, std::string_view content, unsigned mode = 0644);

}  // namespace tb
