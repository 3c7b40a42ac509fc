// Request observation for searchd's HTTP servers: each answered request is counted in Metrics
// (searchd/metrics.h) and written to the AccessLog (searchd/access_log.h), under the route
// pattern it matched, so neither ever sees an unbounded raw path as a label.
//
// A server's pre-routing handler calls NoteRequestStart() first thing, and ObserveRequests()
// installs a post-routing handler that reports the request. cpp-httplib
// runs pre-routing, the route handler and post-routing of a request on the same worker thread,
// and post-routing after the error handlers and before the answer is written, so the status
// and body size reported are final and the counts are in place when the client reads the
// answer. A handler that answers a search records its number of matches with SetResultCount();
// the value travels in an internal response header that post-routing removes again.
//
// Thread safety: the handlers run on the server's worker threads; Metrics and AccessLog are
// thread-safe. RouteLabels is immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

#include "searchd/access_log.h"
#include "searchd/metrics.h"

namespace afori::searchd {

// Maps a path to the route pattern it matches. In a pattern, "{name}" stands for one path
// segment (no '/', possibly empty) and a final "{name+}" for the non-empty rest; the label is
// the pattern with the '+' dropped. The first match wins; no match is "other".
class RouteLabels {
 public:
  explicit RouteLabels(std::vector<std::string> patterns);

  std::string_view For(std::string_view path) const;

 private:
  struct Route {
    std::string pattern;
    std::string label;
  };
  std::vector<Route> routes_;
};

// Where requests are reported; a null member is left out.
struct Observers {
  Metrics* metrics = nullptr;
  AccessLog* access_log = nullptr;
};

// Makes `server` report every request to `observers` under `api` ("search", "admin"), and
// strips the internal header of SetResultCount() from every answer. Without `log_query` the
// access log leaves query strings out (the admin API takes none, so one there can only be a
// client's mistake, such as a token). The observers must outlive the server.
void ObserveRequests(httplib::Server& server, std::string api, RouteLabels routes,
                     Observers observers, bool log_query = true);

// Notes, for the worker thread calling it, that a request starts now: the first thing a
// pre-routing handler does. A request refused before routing (a malformed request line) is
// reported with a duration of 0.
void NoteRequestStart();

// Records that `res` answers a search with `count` matches (the access log's "results").
void SetResultCount(httplib::Response& res, std::uint64_t count);

}  // namespace afori::searchd
