#include "searchd/request_observer.h"

#include <chrono>
#include <charconv>
#include <optional>

namespace afori::searchd {
namespace {

constexpr const char* kResultCountHeader = "X-Afori-Result-Count";

using Clock = std::chrono::steady_clock;

// When the request this worker thread is serving started: set by NoteRequestStart() in
// pre-routing, taken by post-routing. Unset for a request cpp-httplib refused before routing.
thread_local std::optional<Clock::time_point> request_start;

// True when `path` matches `pattern` (see RouteLabels).
bool Matches(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.front() != '{') {
      if (path.empty() || path.front() != pattern.front()) return false;
      pattern.remove_prefix(1);
      path.remove_prefix(1);
      continue;
    }
    const std::size_t close = pattern.find('}');
    if (close == std::string_view::npos) return false;
    if (pattern[close - 1] == '+') return close + 1 == pattern.size() && !path.empty();
    pattern.remove_prefix(close + 1);
    path.remove_prefix(std::min(path.find('/'), path.size()));
  }
  return path.empty();
}

}  // namespace

RouteLabels::RouteLabels(std::vector<std::string> patterns) {
  for (std::string& p : patterns) {
    std::string label = p;
    if (const std::size_t plus = label.find("+}"); plus != std::string::npos) label.erase(plus, 1);
    routes_.push_back({std::move(p), std::move(label)});
  }
}

std::string_view RouteLabels::For(std::string_view path) const {
  for (const Route& r : routes_) {
    if (Matches(r.pattern, path)) return r.label;
  }
  return "other";
}

void NoteRequestStart() { request_start = Clock::now(); }

void ObserveRequests(httplib::Server& server, std::string api, RouteLabels routes,
                     Observers observers, bool log_query) {
  auto report = [api = std::move(api), routes = std::move(routes), observers, log_query](
                    const httplib::Request& req, httplib::Response& res) {
    const double seconds =
        request_start ? std::chrono::duration<double>(Clock::now() - *request_start).count() : 0.0;
    request_start.reset();
    std::optional<std::uint64_t> results;
    if (auto it = res.headers.find(kResultCountHeader); it != res.headers.end()) {
      std::uint64_t n = 0;
      const std::string& v = it->second;
      if (std::from_chars(v.data(), v.data() + v.size(), n).ec == std::errc()) results = n;
      res.headers.erase(kResultCountHeader);
    }
    if (!observers.metrics && !observers.access_log) return;
    const std::string_view route = routes.For(req.path);
    if (observers.metrics) observers.metrics->ObserveRequest(api, req.method, route, res.status, seconds);
    if (observers.access_log) {
      const std::size_t q = req.target.find('?');
      AccessLogEntry entry;
      entry.time = std::chrono::system_clock::now();
      entry.api = api;
      entry.method = req.method;
      entry.route = route;
      entry.path = req.path;
      if (log_query && q != std::string::npos) entry.query = std::string_view(req.target).substr(q + 1);
      entry.status = res.status;
      entry.duration_ms = seconds * 1000.0;
      entry.results = results;
      entry.bytes = res.body.size();
      entry.remote = req.remote_addr;
      observers.access_log->Write(entry);
    }
  };
  server.set_post_routing_handler(std::move(report));
}

void SetResultCount(httplib::Response& res, std::uint64_t count) {
  res.set_header(kResultCountHeader, std::to_string(count));
}

}  // namespace afori::searchd
