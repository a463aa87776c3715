#include "tb/io/zip_archive.hpp"

#include <expat.h>
#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "tb/util/error.hpp"

namespace tb::io {

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr char kNsSep = '\x01';

std::string zip_message(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string msg = zip_error_strerror(&e);
    zip_error_fini(&e);
    return msg;
}

}  // namespace

ZipArchive::ZipArchive(const std::string& path, std::string name, std::string kind)
    : name_(std::move(name)), kind_(std::move(kind)) {
    // Look at the file first: a missing or unreadable file is a system
    // error; the first bytes tell an old .xls (or an encrypted workbook,
    // which is an OLE2 container too) from a zip.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw SystemError(fmt::format("cannot open {}: {}", name_, std::strerror(errno)));
    unsigned char magic[8] = {};
    ssize_t got = ::read(fd, magic, sizeof magic);
    int read_errno = errno;
    ::close(fd);
    if (got < 0) throw SystemError(fmt::format("cannot read {}: {}", name_, std::strerror(read_errno)));
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (got == 8 && std::memcmp(magic, ole2, 8) == 0)
        corrupt(
            "it is an old-style .xls file or a password-protected workbook; save it as " + kind_ +
            " without a password, or as CSV UTF-8");

    int err = 0;
    za_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!za_) {
        if (err == ZIP_ER_OPEN || err == ZIP_ER_READ || err == ZIP_ER_MEMORY ||
            err == ZIP_ER_NOENT || err == ZIP_ER_SEEK)
            throw SystemError(fmt::format("cannot read {}: {}", name_, zip_message(err)));
        corrupt(zip_message(err));
    }
}

ZipArchive::~ZipArchive() {
    if (za_) zip_discard(za_);
}

void ZipArchive::corrupt(const std::string& what) const {
    throw Rejected(fmt::format("{}: not a valid {} file ({})", name_, kind_, what));
}

bool ZipArchive::has(const std::string& part) const {
    return zip_name_locate(za_, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

ZipArchive::Entry ZipArchive::open(const std::string& part) const {
    zip_int64_t idx = zip_name_locate(za_, part.c_str(), ZIP_FL_NOCASE);
    if (idx < 0) corrupt(fmt::format("it has no {}", part));
    zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(idx), 0);
    if (!f) corrupt(fmt::format("{}: {}", part, zip_strerror(za_)));
    return Entry(this, f, part);
}

std::string ZipArchive::read(const std::string& part, std::size_t max_bytes) const {
    Entry e = open(part);
    std::string out;
    char buf[16384];
    while (std::size_t n = e.read(buf, sizeof buf)) {
        out.append(buf, n);
        if (out.size() > max_bytes) corrupt(fmt::format("{} is too large", part));
    }
    return out;
}

ZipArchive::Entry::Entry(Entry&& o) noexcept
    : archive_(o.archive_), file_(o.file_), part_(std::move(o.part_)) {
    o.file_ = nullptr;
}

ZipArchive::Entry& ZipArchive::Entry::operator=(Entry&& o) noexcept {
    if (this != &o) {
        if (file_) zip_fclose(file_);
        archive_ = o.archive_;
        file_ = o.file_;
        part_ = std::move(o.part_);
        o.file_ = nullptr;
    }
    return *this;
}

ZipArchive::Entry::~Entry() {
    if (file_) zip_fclose(file_);
}

std::size_t ZipArchive::Entry::read(void* buf, std::size_t n) {
    zip_int64_t got = zip_fread(file_, buf, n);
    if (got < 0) archive_->corrupt(fmt::format("{}: {}", part_, zip_file_strerror(file_)));
    return static_cast<std::size_t>(got);
}

// ---------------------------------------------------------------- XmlStream

std::pair<std::string_view, std::string_view> split_xml_name(const char* name) {
    std::string_view n(name);
    auto cut = n.find(kNsSep);
    if (cut == std::string_view::npos) return {std::string_view{}, n};
    return {n.substr(0, cut), n.substr(cut + 1)};
}

XmlStream::XmlStream(ZipArchive::Entry entry, Handler& handler, const ZipArchive& archive)
    : entry_(std::move(entry)), handler_(handler), archive_(archive) {
    parser_ = XML_ParserCreateNS(nullptr, kNsSep);  // the encoding the part declares
    if (!parser_) throw SystemError("out of memory creating an XML parser");
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlStream::on_start, &XmlStream::on_end);
    XML_SetCharacterDataHandler(parser_, &XmlStream::on_text);
}

XmlStream::~XmlStream() {
    if (parser_) XML_ParserFree(parser_);
}

void XmlStream::on_start(void* self, const char* name, const char** attrs) {
    auto* s = static_cast<XmlStream*>(self);
    auto [ns, local] = split_xml_name(name);
    s->handler_.start(ns, local, attrs);
}

void XmlStream::on_end(void* self, const char* name) {
    auto* s = static_cast<XmlStream*>(self);
    auto [ns, local] = split_xml_name(name);
    s->handler_.end(ns, local);
}

void XmlStream::on_text(void* self, const char* text, int len) {
    auto* s = static_cast<XmlStream*>(self);
    s->handler_.text(std::string_view(text, static_cast<std::size_t>(len)));
}

void XmlStream::pause() {
    XML_ParsingStatus st;
    XML_GetParsingStatus(parser_, &st);
    if (st.parsing == XML_PARSING) XML_StopParser(parser_, XML_TRUE);
}

void XmlStream::fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    XML_StopParser(parser_, XML_FALSE);
}

void XmlStream::finish() {
    finished_by_handler_ = true;
    XML_StopParser(parser_, XML_FALSE);
}

const char* XmlStream::attr(const char** attrs, std::string_view ns, std::string_view local) {
    for (; attrs && *attrs; attrs += 2) {
        auto [ans, alocal] = split_xml_name(attrs[0]);
        if (alocal == local && ans == ns) return attrs[1];
    }
    return nullptr;
}

bool XmlStream::resume() {
    while (!done_) {
        XML_Status st;
        if (suspended_) {
            st = XML_ResumeParser(parser_);
        } else {
            void* buf = XML_GetBuffer(parser_, static_cast<int>(kChunk));
            if (!buf) throw SystemError("out of memory parsing XML");
            std::size_t n = 0;
            try {
                n = entry_.read(buf, kChunk);
            } catch (...) {
                done_ = true;
                throw;
            }
            st = XML_ParseBuffer(parser_, static_cast<int>(n), n == 0 ? XML_TRUE : XML_FALSE);
            if (n == 0 && st != XML_STATUS_SUSPENDED) done_ = true;
        }
        suspended_ = false;
        if (st == XML_STATUS_ERROR) {
            done_ = true;
            if (!error_.empty()) throw Rejected(error_);
            if (finished_by_handler_) return false;
            archive_.corrupt(fmt::format("{} line {}: {}", entry_.part(),
                                         XML_GetCurrentLineNumber(parser_),
                                         XML_ErrorString(XML_GetErrorCode(parser_))));
        }
        if (st == XML_STATUS_SUSPENDED) {
            suspended_ = true;
            return true;
        }
        // XML_STATUS_OK: the chunk was consumed; when it was the last one,
        // the document is complete.
        XML_ParsingStatus ps;
        XML_GetParsingStatus(parser_, &ps);
        if (ps.parsing == XML_FINISHED) done_ = true;
    }
    return false;
}

}  // namespace tb::io
