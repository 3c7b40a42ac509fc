// Utf8Prefix: the first code points of a UTF-8 string, never cutting a sequence in half (what
// a visitor has typed so far, for the as-you-type and suggest benchmarks).
//
// Thread safety: reentrant.
#pragma once

#include <cstddef>
#include <string_view>

namespace afori {

inline std::string_view Utf8Prefix(std::string_view s, std::size_t code_points) {
  std::size_t end = 0;
  for (std::size_t n = 0; end < s.size() && n < code_points; ++n) {
    do {
      ++end;
    } while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80);
  }
  return s.substr(0, end);
}

}  // namespace afori
