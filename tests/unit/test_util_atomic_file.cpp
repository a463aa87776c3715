// A file appears whole or not at all.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
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
        CHECK(names[0] == ".report.csv.tb-tmp-" + std::to_string(::getpid()));
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

TEST_CASE("temporary files are named .NAME.tb-tmp-PID beside the target") {
    CHECK(tb::temp_path_for("/a/b/report.csv") == "/a/b/.report.csv.tb-tmp-" + std::to_string(::getpid()));
    CHECK(tb::temp_path_for("report.csv") == ".report.csv.tb-tmp-" + std::to_string(::getpid()));
}

TEST_CASE("stale temporary files of dead processes are removed, others kept") {
    TempDir dir;
    // PID 2^22+1 is above the kernel's pid_max: no such process.
    const std::string dead = "4194305";
    for (auto name : {".a.csv.tb-tmp-" + dead, ".b.db.tb-tmp-" + dead + "-journal", ".b.db.tb-tmp-" + dead + "-wal"})
        std::ofstream(dir / name) << "x";
    auto alive = ".c.csv.tb-tmp-" + std::to_string(::getppid());
    for (auto name : {alive, std::string("keep.csv"), std::string(".hidden"), ".d.tb-tmp-12x" + dead,
                      std::string("e.csv.tb-tmp-") + dead})
        std::ofstream(dir / name) << "x";
    tb::remove_stale_temps(dir.path().string());
    auto names = dir.entries();
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{alive, ".d.tb-tmp-12x" + dead, ".hidden", "e.csv.tb-tmp-" + dead,
                                            "keep.csv"});
}

TEST_CASE("a symlink is resolved: the rename replaces its target, never the link") {
    TempDir dir;
    tb::write_file_atomically((dir / "real.csv").string(), "old");
    fs::create_symlink("real.csv", dir / "link.csv");
    fs::create_symlink("link.csv", dir / "chain.csv");
    CHECK(tb::resolve_symlinks((dir / "chain.csv").string()) == (dir / "real.csv").string());
    tb::write_file_atomically((dir / "chain.csv").string(), "new");
    CHECK(fs::is_symlink(dir / "link.csv"));
    CHECK(fs::is_symlink(dir / "chain.csv"));
    CHECK(slurp(dir / "real.csv") == "new");
    // A dangling link: its target is created.
    fs::create_symlink("made.csv", dir / "dangling.csv");
    tb::write_file_atomically((dir / "dangling.csv").string(), "made");
    CHECK(fs::is_symlink(dir / "dangling.csv"));
    CHECK(slurp(dir / "made.csv") == "made");
}

TEST_CASE("a file that is not regular is written in place") {
    CHECK(tb::writes_in_place("/dev/null"));
    CHECK(tb::writes_in_place("/dev/stdout"));
    CHECK(tb::writes_in_place("/proc/self/fd/1"));
    TempDir dir;
    CHECK_FALSE(tb::writes_in_place((dir / "x.csv").string()));
    tb::AtomicFile f("/dev/null");
    CHECK(f.direct());
    f.stream() << "discarded";
    f.commit();
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
}

TEST_CASE("same_file: by device and inode, or by directory and name when absent") {
    TempDir dir;
    tb::write_file_atomically((dir / "store.db").string(), "x");
    fs::create_directory(dir / "sub");
    fs::create_symlink("../store.db", dir / "sub" / "link.db");
    fs::create_hard_link(dir / "store.db", dir / "hard.db");
    auto store = (dir / "store.db").string();
    CHECK(tb::same_file((dir / "sub" / ".." / "store.db").string(), store));
    CHECK(tb::same_file((dir / "sub" / "link.db").string(), store));
    CHECK(tb::same_file((dir / "hard.db").string(), store));
    CHECK_FALSE(tb::same_file((dir / "other.db").string(), store));
    // Neither exists: the same name in the same directory.
    CHECK(tb::same_file((dir / "sub" / ".." / "store.db-wal").string(), store + "-wal"));
    CHECK_FALSE(tb::same_file((dir / "sub" / "store.db-wal").string(), store + "-wal"));
}
