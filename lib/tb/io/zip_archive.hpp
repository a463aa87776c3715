#pragma once
// Reading the zip packages of .xlsx and .ods: whole small parts (for
// pugixml) and large parts streamed through expat, so that a sheet of a
// million rows is never held in memory.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct zip;
struct zip_file;
struct XML_ParserStruct;

namespace tb::io {

class ZipArchive {
public:
    // `kind` names the format in messages (".xlsx", ".ods"). Throws
    // SystemError if the file cannot be opened or read, Rejected (naming
    // the file) if it is not a zip archive.
    ZipArchive(const std::string& path, std::string name, std::string kind);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // A part, read sequentially. Move-only.
    class Entry {
    public:
        Entry(Entry&& o) noexcept;
        Entry& operator=(Entry&& o) noexcept;
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        ~Entry();
        // Up to n bytes; 0 at the end. Throws Rejected if the part is corrupt.
        std::size_t read(void* buf, std::size_t n);
        const std::string& part() const { return part_; }

    private:
        friend class ZipArchive;
        Entry(const ZipArchive* a, zip_file* f, std::string part)
            : archive_(a), file_(f), part_(std::move(part)) {}
        const ZipArchive* archive_;
        zip_file* file_;
        std::string part_;
    };

    // Whether a part exists (names compared case-insensitively).
    bool has(const std::string& part) const;
    // A whole part; throws Rejected if it is missing, corrupt or larger
    // than max_bytes.
    std::string read(const std::string& part, std::size_t max_bytes = 64u << 20) const;
    Entry open(const std::string& part) const;

    const std::string& name() const { return name_; }
    // Throws Rejected: "NAME: not a valid KIND file (WHAT)".
    [[noreturn]] void corrupt(const std::string& what) const;

private:
    zip* za_ = nullptr;
    std::string name_;
    std::string kind_;
};

// An XML part parsed as a stream of events (expat, with namespaces: each
// element and attribute name is split into its namespace URI and local
// name). The handler may call pause() to make resume() return after the
// current event, or fail() to stop with an error.
class XmlStream {
public:
    struct Attr {
        std::string_view ns, local, value;
    };
    class Handler {
    public:
        virtual ~Handler() = default;
        virtual void start(std::string_view ns, std::string_view local, const char** attrs) = 0;
        virtual void end(std::string_view ns, std::string_view local) = 0;
        virtual void text(std::string_view s) = 0;
    };

    XmlStream(ZipArchive::Entry entry, Handler& handler, const ZipArchive& archive);
    ~XmlStream();
    XmlStream(const XmlStream&) = delete;
    XmlStream& operator=(const XmlStream&) = delete;

    // Parses on until the handler pauses (true) or the part ends (false).
    // Throws Rejected for broken XML or a handler's fail().
    bool resume();
    // From a handler: stop after this event; resume() goes on from there.
    void pause();
    // From a handler: stop for good; resume() throws Rejected(message).
    void fail(std::string message);
    // From a handler: stop for good; resume() returns false.
    void finish();

    // The value of the attribute with this namespace and local name (ns ""
    // for an unprefixed attribute); nullptr when absent.
    static const char* attr(const char** attrs, std::string_view ns, std::string_view local);

private:
    static void on_start(void* self, const char* name, const char** attrs);
    static void on_end(void* self, const char* name);
    static void on_text(void* self, const char* s, int len);

    ZipArchive::Entry entry_;
    Handler& handler_;
    const ZipArchive& archive_;
    XML_ParserStruct* parser_ = nullptr;
    bool suspended_ = false;
    bool done_ = false;
    bool finished_by_handler_ = false;
    std::string error_;
};

// Splits an expat namespaced name ("URI local") into its two parts.
std::pair<std::string_view, std::string_view> split_xml_name(const char* name);

}  // namespace tb::io
