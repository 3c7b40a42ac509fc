// The HTTP API of searchd (docs/api.md, docs/openapi.json): translation only.
//
// Each handler parses the request into a typed struct (searchd/http_params.h: a bad
// parameter becomes a 400 naming it), calls the search core (searchd/search.h,
// searchd/suggest.h) on a pooled database handle, and serialises the result as JSON. Errors
// are {"error": {"code", "message"}} with 400 for a bad parameter, 404 for an unknown id or
// route and 500 only for failures of the server itself; an exception from a handler is
// caught here and never takes the daemon down.
//
// Browser use: origins on the allow-list get CORS headers and preflights; search, facets and
// suggest responses carry an ETag keyed to the index revision (and the date, which decides
// open/closed), so a repeated request is answered 304 without searching.
//
// Observability (docs/observability.md): with HttpOptions::observers every request is counted
// and logged under its route pattern (searchd/request_observer.h), and GET /metrics serves the
// counts with the index's gauges in the Prometheus text format.
//
// Thread safety: HttpServer runs handlers on its own thread pool; Stop() may be called from
// any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <set>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searchd/database_pool.h"
#include "searchd/index_refresher.h"
#include "searchd/json_response.h"
#include "searchd/meili_api.h"
#include "searchd/request_observer.h"
#include "searchd/search.h"
#include "searchd/suggest.h"
#include "searchd/synonym_source.h"
#include "searchd/word_cache_pool.h"
#include "stemming/analysis.h"
#include "stemming/vocabulary.h"

namespace afori::searchd {


// The response of /v1/search; `fields` chooses the hit fields (unset: DefaultHitFields()).
nlohmann::ordered_json SearchResponseToJson(const SearchResponse& response,
                                            const std::optional<std::vector<std::string>>& fields);

inline constexpr std::size_t kMaxSearchBodyBytes = 1u << 20;  // a POST /v1/search body

// Binds `server` to host:port (0: a free one) with a listen backlog of SOMAXCONN; the bound
// port, or IoError.
Result<int> BindWithBacklog(httplib::Server& server, const std::string& host, int port);

// JSON errors for unknown routes and cpp-httplib's own rejections (413 names
// `max_body_bytes`), and a JSON 500 for any exception a handler lets escape.
void InstallJsonErrorHandlers(httplib::Server& server, std::size_t max_body_bytes);

struct HttpOptions {
  std::size_t threads = 4;  // workers kept; also what the database pool is sized for
  // Workers at most: one per open connection (searchd/thread_pool.h), so slow clients
  // cannot take all of them.
  std::size_t max_threads = 256;
  std::set<std::string> cors_origins;  // exact origins ("https://afori.se"); "*" allows any
  std::string today;                   // "YYYY-MM-DD" for open/closed; empty: the UTC date
  // The search page's files (web/, docs/search-page.md): GET / serves index.html and
  // GET /static/FILE the other files, nothing outside this folder. Empty: no page.
  std::string web_root;
  // The Meilisearch-compatible routes (searchd/meili_api.h, docs/meilisearch-compat.md).
  MeiliOptions meili;
  // Request metrics and the access log (docs/observability.md); with metrics, GET /metrics
  // serves them. Null members: not kept. Both must outlive the server.
  Observers observers;
};

class HttpServer {
 public:
  // `pool`, `analyzer` and `synonyms` (null: no synonyms) must outlive the server.
  HttpServer(DatabasePool& pool, const stemming::Analyzer& analyzer, SynonymSource* synonyms,
             HttpOptions options);
  ~HttpServer();

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  Result<int> Bind(const std::string& host, int port);

  // Builds what requests derive from the index (searchd/index_refresher.h) now, so that the
  // first requests need not; false if Stop() came first. Xapian errors and
  // IndexUnavailableError escape.
  bool PrepareIndex();

  // Serves until Stop(); returns false if the server could not run. Returns at once after
  // Stop().
  bool Run();

  // Stops listening (requests in flight are finished) and cancels a derived-state build in
  // progress. Callable from any thread, also before Run(): a Stop() just before Run() may
  // still be missed by it, so a signal handler repeats Stop() until Run() has returned.
  void Stop();

 private:
  void RegisterRoutes();
  void RegisterSearchRoutes();
  // GET /metrics, and the observation of every request (searchd/request_observer.h).
  void RegisterMetricsRoute();

  // Runs fn(db, context) with a pooled handle and the query-time helpers of its revision.
  template <typename Fn>
  auto WithContext(Fn&& fn);

  std::string Today() const;

  DatabasePool& pool_;
  const stemming::Analyzer& analyzer_;
  SynonymSource* synonyms_;
  HttpOptions options_;
  std::atomic<bool> stopping_{false};
  IndexRefresher refresher_;  // the vocabulary, suggestions and facet columns of the index
  WordCachePool word_caches_;  // the highlighter's word analyses, one per concurrent search
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace afori::searchd
