// The Meilisearch-compatible HTTP routes of searchd (docs/meilisearch-compat.md): translation
// only, like searchd/http_api.h.
//
// Existing Meilisearch clients and the InstantSearch widgets (through instant-meilisearch)
// talk to searchd unchanged: POST/GET /indexes/{uid}/search, POST /multi-search,
// POST /indexes/{uid}/facet-search, GET /indexes/{uid}, GET /indexes, GET /health and
// GET /version. Each handler reads the request with searchd/meili_request.h, runs the same
// search core as /v1/search through MeiliBackend, and answers in Meilisearch's JSON shapes,
// errors included ({message, code, type, link}). The layer is read-only: write methods on
// /indexes answer 405 and point to the admin API.
//
// Thread safety: the handlers run on the server's threads; MeiliBackend's functions must be
// safe to call concurrently (HttpServer's are: each runs on a pooled database handle).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <httplib.h>

#include "common/status.h"
#include "searchd/search.h"

namespace afori::searchd {

struct MeiliOptions {
  bool enabled = true;
  std::string index_uid = "kunskapsbank";
  // When set, every route but /health needs "Authorization: Bearer <api_key>" (401 without,
  // 403 with another key). Empty: open, as the rest of the search API.
  std::string api_key;
};

// What the routes need from the server: the search core on a database of its own.
struct MeiliBackend {
  std::function<Result<SearchResponse>(SearchRequest)> search;
  std::function<Result<FacetsResponse>(FacetsRequest)> facets;
  std::function<std::uint64_t()> document_count;
  // When the index was built and last changed, RFC 3339 (GET /indexes/{uid}).
  std::function<std::pair<std::string, std::string>()> created_and_updated;
};

void RegisterMeiliRoutes(httplib::Server& server, MeiliBackend backend, MeiliOptions options);

// The route patterns RegisterMeiliRoutes() serves, as request metrics label them
// (searchd/request_observer.h): "/indexes/{uid}/search", ...
std::vector<std::string> MeiliRoutePatterns();

}  // namespace afori::searchd
