// AccessLog: searchd's structured access log, one JSON object a line (docs/observability.md).
//
//   {"time":"2026-12-01T20:31:02.123Z","api":"search","method":"GET","route":"/v1/search",
//    "path":"/v1/search","query":"q=elbussar","status":200,"duration_ms":1.84,"results":1,
//    "bytes":2210,"remote":"127.0.0.1"}
//
// A line names the request by what is safe to keep: method, route pattern, path, query string
// and the peer address. No request header is ever written (the admin token and the Meilisearch
// API key travel in Authorization), nor any body. `results` is the number of matches of a
// search and null for other requests. Invalid UTF-8 in a path is replaced, so every line parses.
//
// Thread safety: Write() may be called from any thread; lines are written whole, one at a
// time under a mutex, and flushed.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace afori::searchd {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the request was answered
  std::string_view api;     // "search", "admin"
  std::string_view method;
  std::string_view route;   // the route pattern, "other" for none
  std::string_view path;    // decoded, without the query string
  std::string_view query;   // as sent, without the '?'
  int status = 0;
  double duration_ms = 0;
  std::optional<std::uint64_t> results;
  std::uint64_t bytes = 0;  // of the response body
  std::string_view remote;
};

// The entry as one JSON line, without the newline; time is RFC 3339 UTC with milliseconds.
std::string FormatAccessLogLine(const AccessLogEntry& entry);

class AccessLog {
 public:
  // "-" writes to stderr; anything else is a file, created if missing and appended to.
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& destination);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Write(const AccessLogEntry& entry);

 private:
  AccessLog(std::FILE* out, bool owned) : out_(out), owned_(owned) {}

  std::mutex mu_;
  std::FILE* const out_;
  const bool owned_;
};

}  // namespace afori::searchd
