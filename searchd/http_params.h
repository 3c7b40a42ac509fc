// Request parsing for the HTTP API: query parameters and JSON bodies -> typed requests.
//
// GET /v1/search parameters and the POST /v1/search JSON body map onto the same options
// (the body is flattened into parameters first, so both are validated by one parser). Every
// problem is an InvalidArgument naming the parameter or JSON key and the reason; unknown
// names are errors, never ignored.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "common/status.h"
#include "searchd/search.h"
#include "searchd/suggest.h"

namespace afori::searchd {

inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxSuggestBytes = 100;

Result<SearchRequest> ParseSearchRequest(const httplib::Params& params);

// The POST /v1/search body (docs/api.md).
Result<SearchRequest> ParseSearchBody(const std::string& body);

Result<FacetsRequest> ParseFacetsRequest(const httplib::Params& params);

struct SuggestRequest {
  std::string query;
  std::size_t limit = kMaxSuggestions;
};
Result<SuggestRequest> ParseSuggestRequest(const httplib::Params& params);

// GET /v1/analyze?text=...&field=title|summary|body|query (default query).
struct AnalyzeRequest {
  std::string text;
  std::string field = "query";
};
Result<AnalyzeRequest> ParseAnalyzeRequest(const httplib::Params& params);

}  // namespace afori::searchd
