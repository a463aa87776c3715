// A file appears whole or not at all.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "scratch_dir.hpp"
#include "tb/util/atomic_file.hpp"
#include "tb/util/error.hpp"

namespace fs = std::filesystem;

namespace {

// A fresh empty directory, removed with everything in it at the end.
struct TempDir : tb::test::ScratchDir {
    fs::path operator/(const std::string& name) const { return path() / name; }
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (auto& e : fs::directory_iterator(path())) out.push_back(e.path().filename().string());
        return out;
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("content appears only on commit") {
    TempDir dir;
    auto target = dir / "report.csv";
    {
        tb::AtomicFile f(target.string());
        CHECK(f.path() == target.string());
        f.stream() << "a,b\n1,2\n";
        f.stream().flush();
        CHECK_FALSE(fs::exists(target));
        // Only the temporary file, beside the target, exists until commit.
        auto names = dir.entries();
        REQUIRE(names.size() == 1);
        CHECK(names[0].rfind("report.csv.", 0) == 0);
        f.commit();
        CHECK(fs::exists(target));
        CHECK(slurp(target) == "a,b\n1,2\n");
    }
    // After commit and destruction only the target is left.
    CHECK(dir.entries() == std::vector<std::string>{"report.csv"});
    CHECK(slurp(target) == "a,b\n1,2\n");
}

TEST_CASE("destroyed without commit leaves neither the file nor a temporary") {
    TempDir dir;
    auto target = dir / "half.csv";
    {
        tb::AtomicFile f(target.string());
        f.stream() << "half a report";
        f.stream().flush();
    }
    CHECK_FALSE(fs::exists(target));
    CHECK(dir.entries().empty());
}

TEST_CASE("an uncommitted rewrite leaves the old file untouched") {
    TempDir dir;
    auto target = dir / "weekly.txt";
    tb::write_file_atomically(target.string(), "old\n");
    {
        tb::AtomicFile f(target.string());
        f.stream() << "new but unfinished";
    }
    CHECK(slurp(target) == "old\n");
    CHECK(dir.entries() == std::vector<std::string>{"weekly.txt"});
    tb::write_file_atomically(target.string(), "new\n");
    CHECK(slurp(target) == "new\n");
    CHECK(dir.entries() == std::vector<std::string>{"weekly.txt"});
}

TEST_CASE("the final file has the requested mode, whatever the umask") {
    const unsigned modes[] = {0600, 0644, 0640, 0444};
    const mode_t old_umask = ::umask(077);
    for (unsigned m : modes) {
        CAPTURE(m);
        TempDir dir;
        auto target = dir / "out.txt";
        tb::write_file_atomically(target.string(), "x", m);
        CHECK(mode_of(target) == m);
    }
    ::umask(old_umask);
    TempDir dir;
    auto target = dir / "default.txt";
    tb::write_file_atomically(target.string(), "x");
    CHECK(mode_of(target) == 0644);
}

TEST_CASE("while uncommitted the temporary file is private") {
    TempDir dir;
    auto target = dir / "personal.csv";
    tb::AtomicFile f(target.string(), 0600);
    auto names = dir.entries();
    REQUIRE(names.size() == 1);
    CHECK(mode_of(dir / names[0]) == 0600);
}

TEST_CASE("binary content and empty files are written exactly") {
    TempDir dir;
    auto target = dir / "bytes.bin";
    std::string bytes("a\0b\r\n\xff", 6);
    tb::write_file_atomically(target.string(), bytes);
    CHECK(slurp(target) == bytes);
    auto empty = dir / "empty.txt";
    tb::write_file_atomically(empty.string(), "");
    CHECK(fs::exists(empty));
    CHECK(fs::file_size(empty) == 0);
}

TEST_CASE("a directory that does not exist is a system error (exit 1) naming the path") {
    TempDir dir;
    auto target = dir / "no-such-dir" / "out.csv";
    try {
        tb::AtomicFile f(target.string());
        FAIL_CHECK("opened");
    } catch (const tb::SystemError& e) {
        CHECK(e.code() == tb::ExitCode::failure);
        CHECK(std::string(e.what()).find(target.string()) != std::string::npos);
    }
}
