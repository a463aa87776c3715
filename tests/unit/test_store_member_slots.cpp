#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "tb/store/member_slots.hpp"

using tb::store::at_slot;
using tb::store::MemberSlots;

TEST_CASE("member slots: numbered in the order first seen, the same number each time after") {
    MemberSlots slots;
    CHECK(slots.size() == 0);
    CHECK_FALSE(slots.find("M0001").has_value());
    CHECK(slots("M0002") == 0);
    CHECK(slots("M0001") == 1);
    CHECK(slots(std::string("M0002")) == 0);  // however the ID is held
    CHECK(slots("") == 2);                   // a NULL side reads as ""
    CHECK(slots.size() == 3);
    CHECK(slots.id(0) == "M0002");
    CHECK(slots.id(1) == "M0001");
    CHECK(slots.id(2).empty());
    REQUIRE(slots.find("M0001").has_value());
    CHECK(*slots.find("M0001") == 1);
    CHECK_FALSE(slots.find("m0001").has_value());  // IDs compare byte for byte
}

TEST_CASE("member slots: IDs keep their text however many are added") {
    MemberSlots slots;
    for (int i = 0; i < 5000; ++i) CHECK(slots(fmt::format("M{}", i)) == static_cast<std::uint32_t>(i));
    for (int i = 0; i < 5000; i += 499) CHECK(slots.id(static_cast<std::uint32_t>(i)) == fmt::format("M{}", i));
}

TEST_CASE("at_slot: grows the vector to reach the slot, values kept and new ones zero") {
    std::vector<long> v;
    at_slot(v, 3) = 7;
    CHECK(v.size() >= 4);
    at_slot(v, 0) += 2;
    at_slot(v, 100) = 1;
    CHECK(v.size() >= 101);
    CHECK(v[0] == 2);
    CHECK(v[3] == 7);
    CHECK(v[2] == 0);
    CHECK(v[100] == 1);
}
