// StringMap<V>: an unordered_map keyed by std::string that is looked up by std::string_view
// without building a string (a transparent hash), for the per-match and per-word hot paths
// (facet tallies, facet value ordinals, the highlighter's memo).
//
// Thread safety: as std::unordered_map.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace afori {

struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, TransparentStringHash, std::equal_to<>>;

}  // namespace afori
