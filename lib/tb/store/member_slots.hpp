#pragma once
// Dense numbers for the member IDs tb check's pass over the ledger meets:
// one hash look-up per side of a row, shared by every per-member figure the
// pass gathers (balances, last trades, groups, kinds), which then live in
// vectors indexed by the number instead of a hash map each. Internal to
// store/ (check.cpp, rollup_check.cpp, last_trade.cpp, group_month.cpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tb::store {

class MemberSlots {
public:
    // The number of `id`, given on first sight: 0, 1, 2... in that order.
    std::uint32_t operator()(std::string_view id) {
        if (auto it = map_.find(id); it != map_.end()) return it->second;
        auto slot = static_cast<std::uint32_t>(ids_.size());
        auto it = map_.emplace(std::string(id), slot).first;
        ids_.push_back(&it->first);
        return slot;
    }
    // The number of an ID seen before, if it was.
    std::optional<std::uint32_t> find(std::string_view id) const {
        auto it = map_.find(id);
        if (it == map_.end()) return std::nullopt;
        return it->second;
    }
    const std::string& id(std::uint32_t slot) const { return *ids_[slot]; }
    std::size_t size() const { return ids_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> map_;
    std::vector<const std::string*> ids_;  // by slot (node keys do not move)
};

// A yes or no about each member, worked out once per slot by `of()` (a look-up
// by the member's ID) and kept by slot (rollup_check.cpp, pair_year.cpp).
class SlotFlags {
public:
    template <class Of>
    bool operator()(std::uint32_t slot, Of of) {
        if (slot >= flags_.size()) flags_.resize(static_cast<std::size_t>(slot) + 1 + flags_.size() / 2, -1);
        auto& f = flags_[slot];
        if (f < 0) f = static_cast<signed char>(of() ? 1 : 0);
        return f != 0;
    }

private:
    std::vector<signed char> flags_;  // -1: not worked out yet
};

// A per-member value by slot, grown as slots are given.
template <class T>
T& at_slot(std::vector<T>& v, std::uint32_t slot) {
    if (slot >= v.size()) v.resize(static_cast<std::size_t>(slot) + 1 + v.size() / 2);
    return v[slot];
}

}  // namespace tb::store
