// Metrics: searchd's request counters, latency histograms and index gauges, rendered in the
// Prometheus text format (version 0.0.4) for GET /metrics (docs/observability.md).
//
// One Metrics object is owned by main and passed to HttpServer and AdminServer, which report
// every answered request with ObserveRequest(). Label values stay bounded because callers pass
// route patterns ("/v1/documents/{id}"), never raw paths; the method is folded into a fixed
// set. Whether a request counts as rejected, and why, is decided here alone (RejectionReason).
// Nothing is global: two Metrics objects (two servers in one test) never share a count.
//
// Thread safety: every member function may be called from any thread at once (one mutex,
// held for a map lookup and a few additions per request).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace afori::searchd {

// The upper bounds (seconds) of the latency histogram's buckets; +Inf follows.
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

// Why a request with this HTTP status was refused ("bad_request", "unauthorized",
// "forbidden", "not_found", "method_not_allowed", "payload_too_large", "uri_too_long",
// "unsupported_media_type", "unavailable", other 4xx "client_error"), or "" when it was not
// (2xx, 3xx, and server failures 5xx other than 503, which are counted by status only).
std::string_view RejectionReason(int status);

// The method as a metric label: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or "other".
std::string_view MethodLabel(std::string_view method);

// What RenderPrometheus reports about the index, read by the caller when rendering.
struct IndexGauges {
  bool available = false;  // false: the index could not be read; documents and revision unset
  std::uint64_t documents = 0;
  std::uint64_t revision = 0;
  std::uint64_t reopens = 0;   // DatabasePool::reopens()
  std::uint64_t switches = 0;  // DatabasePool::switches()
  // IndexRefresher::stats(): the vocabulary, suggestions and facet columns built off the
  // request path.
  std::uint64_t derived_builds = 0;
  std::uint64_t derived_failures = 0;
  double derived_build_seconds = 0;  // the last build
  bool derived_stale = false;
};

class Metrics {
 public:
  // One answered request: `api` names the server ("search", "admin"), `route` the route
  // pattern it matched ("other" for none).
  void ObserveRequest(std::string_view api, std::string_view method, std::string_view route,
                      int status, double duration_seconds);

  // The whole exposition, HELP and TYPE lines included, ending in a newline.
  std::string RenderPrometheus(const IndexGauges& index) const;

  // Escapes a label value for the text format: backslash, double quote and newline.
  static std::string EscapeLabel(std::string_view value);

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  using RequestKey = std::tuple<std::string, std::string, std::string, int>;  // api method route status
  using RouteKey = std::tuple<std::string, std::string>;                      // api route
  using ReasonKey = std::tuple<std::string, std::string>;                     // api reason

  // Compares keys element by element as string_views, so that a lookup by string_views finds
  // a key without building strings. (std::less<> would too, but clang 14, which builds the
  // fuzz targets, cannot compare a tuple of strings with a tuple of string_views.)
  struct KeyLess {
    using is_transparent = void;
    static std::string_view View(std::string_view s) { return s; }
    static int View(int i) { return i; }
    template <typename... T>
    static auto Views(const std::tuple<T...>& t) {
      return std::apply([](const auto&... e) { return std::make_tuple(View(e)...); }, t);
    }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const { return Views(a) < Views(b); }
  };

  mutable std::mutex mu_;
  std::map<RequestKey, std::uint64_t, KeyLess> requests_;
  std::map<RouteKey, Histogram, KeyLess> latency_;
  std::map<ReasonKey, std::uint64_t, KeyLess> rejected_;
};

}  // namespace afori::searchd
