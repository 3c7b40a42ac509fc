// PercentEncode: a string as one URL query value (RFC 3986: the unreserved characters kept,
// every other byte as %XX), for the load generators and the HTTP tests.
//
// Thread safety: reentrant.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace afori {

inline std::string PercentEncode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace afori
