#include "searchd/access_log.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>

#include <nlohmann/json.hpp>

#include "common/rfc3339.h"

namespace afori::searchd {

std::string FormatAccessLogLine(const AccessLogEntry& e) {
  using nlohmann::ordered_json;
  // Microseconds are plenty, and keep the number short.
  const double duration_ms = std::round(std::max(e.duration_ms, 0.0) * 1000.0) / 1000.0;
  const ordered_json line = {
      {"time", FormatRfc3339(e.time, /*milliseconds=*/true)},
      {"api", e.api},
      {"method", e.method},
      {"route", e.route},
      {"path", e.path},
      {"query", e.query},
      {"status", e.status},
      {"duration_ms", duration_ms},
      {"results", e.results ? ordered_json(*e.results) : ordered_json(nullptr)},
      {"bytes", e.bytes},
      {"remote", e.remote}};
  return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& destination) {
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(stderr, false));
  std::FILE* out = std::fopen(destination.c_str(), "a");
  if (!out) {
    return Status::IoError("cannot open the access log " + destination + ": " +
                           std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(out, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(out_);
}

void AccessLog::Write(const AccessLogEntry& entry) {
  std::string line = FormatAccessLogLine(entry);
  line += '\n';
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace afori::searchd
