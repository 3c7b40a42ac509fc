// FormatRfc3339: a point in time as an RFC 3339 UTC timestamp ("2026-12-02T02:29:39Z", or
// with milliseconds "2026-12-02T02:29:39.042Z"), as the index metadata, the Meilisearch
// routes and the access log write it.
//
// Thread safety: reentrant (gmtime_r).
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace afori {

inline std::string FormatRfc3339(std::chrono::system_clock::time_point t, bool milliseconds = false) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t).time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(ms);
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  if (milliseconds) {
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>((ms - seconds).count()));
  } else {
    std::snprintf(buf + n, sizeof buf - n, "Z");
  }
  return buf;
}

}  // namespace afori
