// The HTTP API of searchd (docs/api.md): translation only.
//
// Each handler parses the request into a typed struct (a bad parameter becomes a 400 naming
// it), calls the search core (searchd/search.h) on a pooled database handle, and serialises
// the result as JSON. Errors are {"error": {"code", "message"}} with 400 for a bad parameter,
// 404 for an unknown id or route and 500 only for failures of the server itself; an
// exception from a handler is caught here and never takes the daemon down.
//
// Thread safety: HttpServer runs handlers on its own thread pool; Stop() may be called from
// any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searchd/database_pool.h"
#include "searchd/search.h"
#include "searchd/synonym_source.h"
#include "stemming/analysis.h"
#include "stemming/vocabulary.h"

namespace afori::searchd {

// The HTTP status that reports `code` to a client.
int HttpStatusFor(ErrorCode code);

// {"error": {"code": "...", "message": "..."}}
nlohmann::ordered_json ErrorJson(const Status& status);

// Query parameters of GET /v1/search -> SearchRequest; unknown or malformed parameters are an
// InvalidArgument naming the parameter.
Result<SearchRequest> ParseSearchRequest(const httplib::Params& params);

nlohmann::ordered_json SearchResponseToJson(const SearchResponse& response);

// GET /v1/analyze?text=...&field=title|summary|body|query (default query).
struct AnalyzeRequest {
  std::string text;
  std::string field = "query";
};
Result<AnalyzeRequest> ParseAnalyzeRequest(const httplib::Params& params);

class HttpServer {
 public:
  // `pool`, `analyzer` and `synonyms` (null: no synonyms) must outlive the server.
  HttpServer(DatabasePool& pool, const stemming::Analyzer& analyzer, SynonymSource* synonyms,
             std::size_t threads);
  ~HttpServer();

  // Binds host:port (port 0 picks a free one) and returns the bound port.
  Result<int> Bind(const std::string& host, int port);

  // Serves until Stop(); returns false if the server could not run.
  bool Run();

  void Stop();

 private:
  void RegisterRoutes();

  // Runs fn(db, context) with a pooled handle and the query-time helpers of its revision.
  template <typename Fn>
  auto WithContext(Fn&& fn);

  DatabasePool& pool_;
  const stemming::Analyzer& analyzer_;
  SynonymSource* synonyms_;
  stemming::VocabularyCache vocabularies_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace afori::searchd
