// The one member resolver: ID, email, or a name only one member has.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>
#include <string>
#include <vector>

#include "report_fixture.hpp"
#include "tb/core/member_lookup.hpp"
#include "tb/store/members.hpp"
#include "tb/util/error.hpp"

using namespace tb;
using tb::test::ReportBank;

namespace {

void bank(ReportBank& b) {
    b.member("M0001", "José Álvarez");
    b.member("M0002", "Ann Lee");
    b.member("M0007", "ann  LEE");
    b.member("bob", "Bob Marsh");
    auto m = *store::find_member(b.store(), "bob");
    m.email = "Bob.Marsh@Example.org";
    store::update_member(b.store(), m);
}

std::string message_of(const std::function<void()>& f, ExitCode& code) {
    try {
        f();
    } catch (const Error& e) {
        code = e.code();
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("by ID (case-sensitive), by email (case-insensitive), by a unique name") {
    ReportBank b;
    bank(b);
    auto& s = b.store();
    CHECK(lookup_member(s, "M0001").id == "M0001");
    CHECK(lookup_member(s, "bob").id == "bob");
    CHECK(lookup_member(s, "bob.marsh@example.ORG").id == "bob");
    CHECK(lookup_member(s, "jose alvarez").id == "M0001");
    CHECK(lookup_member(s, "JOSÉ ÁLVAREZ").id == "M0001");
    CHECK(lookup_member(s, "  josé   álvarez ").id == "M0001");
    CHECK(lookup_member(s, "Bob Marsh").id == "bob");
    CHECK(lookup_member(s, "BOB").result == MemberLookup::Result::not_found);  // IDs are case-sensitive
    CHECK(lookup_member(s, "m0001").result == MemberLookup::Result::not_found);
    CHECK(lookup_member(s, "").result == MemberLookup::Result::not_found);
    CHECK(resolve_member_id(s, "Jose Alvarez") == "M0001");
    CHECK(require_member(s, "bob marsh").email == "Bob.Marsh@Example.org");
}

TEST_CASE("a name two members share is ambiguous: exit 2 listing the IDs") {
    ReportBank b;
    bank(b);
    auto r = lookup_member(b.store(), "Ann Lee");
    CHECK(r.result == MemberLookup::Result::ambiguous);
    CHECK(r.ids == std::vector<std::string>{"M0002", "M0007"});
    CHECK(r.problem == "'Ann Lee' is the name of 2 members: M0002, M0007 (name one by ID or email)");
    ExitCode code = ExitCode::ok;
    auto msg = message_of([&] { resolve_member_id(b.store(), "ann lee"); }, code);
    CHECK(code == ExitCode::usage);
    CHECK(msg == "'ann lee' is the name of 2 members: M0002, M0007 (name one by ID or email)");
}

TEST_CASE("a member not found: exit 4 with the nearest names and IDs") {
    ReportBank b;
    bank(b);
    ExitCode code = ExitCode::ok;
    auto msg = message_of([&] { resolve_member_id(b.store(), "Jose Alvares"); }, code);
    CHECK(code == ExitCode::not_found);
    CHECK(msg == "no member 'Jose Alvares'; nearest: José Álvarez (M0001)");
    msg = message_of([&] { resolve_member_id(b.store(), "m0001"); }, code);
    CHECK(msg == "no member 'm0001'; nearest: José Álvarez (M0001), Ann Lee (M0002), ann  LEE (M0007)");
    msg = message_of([&] { resolve_member_id(b.store(), "Marsh"); }, code);
    CHECK(msg == "no member 'Marsh'; nearest: Bob Marsh (bob)");
    msg = message_of([&] { resolve_member_id(b.store(), "Quentin Zygmunt"); }, code);
    CHECK(code == ExitCode::not_found);
    CHECK(msg == "no member 'Quentin Zygmunt'");
    // A long value is quoted up to 60 characters.
    msg = message_of([&] { resolve_member_id(b.store(), std::string(80, 'x')); }, code);
    CHECK(msg == "no member '" + std::string(60, 'x') + "...'");
}

TEST_CASE("the kept name key follows edits, forget and the migration") {
    ReportBank b;
    bank(b);
    auto& s = b.store();
    auto m = *store::find_member(s, "M0007");
    m.name = "Anna Leigh";
    store::update_member(s, m);
    CHECK(lookup_member(s, "ann lee").id == "M0002");
    CHECK(lookup_member(s, "anna leigh").id == "M0007");
    store::forget_member(s, "M0001");
    CHECK(lookup_member(s, "jose alvarez").result == MemberLookup::Result::not_found);
    // A name changed behind the toolkit's back is found again once refreshed.
    s.db().exec("UPDATE member SET name = 'Zoë Quinn' WHERE id = 'bob'");
    CHECK(lookup_member(s, "zoe quinn").result == MemberLookup::Result::not_found);
    store::refresh_name_keys(s);
    CHECK(lookup_member(s, "zoe quinn").id == "bob");
}

TEST_CASE("find: name, email, phone or ID contains the text") {
    ReportBank b;
    bank(b);
    auto& s = b.store();
    auto m = *store::find_member(s, "M0002");
    m.phone = "07700 900123";
    store::update_member(s, m);
    CHECK(find_members(s, "ALV") == std::vector<std::string>{"M0001"});
    CHECK(find_members(s, "josé á") == std::vector<std::string>{"M0001"});
    CHECK(find_members(s, "lee") == std::vector<std::string>{"M0002", "M0007"});
    CHECK(find_members(s, "example.org") == std::vector<std::string>{"bob"});
    CHECK(find_members(s, "07700900") == std::vector<std::string>{"M0002"});
    CHECK(find_members(s, "900 123") == std::vector<std::string>{"M0002"});
    CHECK(find_members(s, "m000") == std::vector<std::string>{"M0001", "M0002", "M0007"});
    CHECK(find_members(s, "nobody").empty());
    CHECK_THROWS_AS(find_members(s, "  "), UsageError);
}

TEST_CASE("names beside IDs: each read once") {
    ReportBank b;
    bank(b);
    MemberNames names(b.store());
    CHECK(names.of("M0001") == "José Álvarez");
    CHECK(names.of("nope").empty());
    CHECK(names.of("M0001") == "José Álvarez");
}
