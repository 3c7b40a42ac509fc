// Meilisearch-compatible requests and responses: JSON <-> the search core's types.
//
// The Meilisearch-compatible API (docs/meilisearch-compat.md) is a second dialect of the same
// search, not a second search: its JSON is read into a SearchRequest (plus what only shapes
// the answer: paging style, retrieved attributes, ranking scores) and the core's
// SearchResponse is written back in Meilisearch's shape. Meilisearch attributes are document
// field names (`themes`, `organisations`); the core's facets have API names (`theme`); the
// mapping lives here. Everything a client sends is either honoured or refused with a
// MeiliError in Meilisearch's error shape, never ignored.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searchd/search.h"

namespace afori::searchd {

inline constexpr std::string_view kDefaultMeiliIndexUid = "kunskapsbank";
inline constexpr std::size_t kMeiliDefaultLimit = 20;
inline constexpr std::size_t kMeiliDefaultCropLength = 10;
inline constexpr std::size_t kMeiliMaxValuesPerFacet = 100;

// {message, code, type, link} with the HTTP status to send it with.
struct MeiliError {
  int http_status = 400;
  std::string code;     // e.g. "invalid_search_filter"
  std::string message;
  std::string type = "invalid_request";
};
nlohmann::ordered_json MeiliErrorJson(const MeiliError& error);

// A search as a Meilisearch client asked for it.
struct MeiliSearch {
  std::string index_uid;  // set by multi-search queries (and checked by the caller)
  SearchRequest request;  // what the core runs
  bool paged = false;     // page/hitsPerPage given: exhaustive totals, totalPages
  std::size_t page = 1, hits_per_page = kMeiliDefaultLimit;
  std::size_t offset = 0, limit = kMeiliDefaultLimit;  // as asked (the core caps at kMaxLimit)
  std::vector<std::string> facets;  // Meilisearch attribute names, as asked
  std::optional<std::vector<std::string>> attributes_to_retrieve;  // unset: all ("*")
  bool show_ranking_score = false;
};

// The attributes that can be given in `facets` (and facet-search's facetName).
const std::vector<std::string>& MeiliFacetAttributes();

// Reads a search body (POST /indexes/{uid}/search, or one query of /multi-search when
// `multi` is true, where `indexUid` is required). Unknown keys are a bad_request.
std::optional<MeiliError> ParseMeiliSearch(const nlohmann::json& body, bool multi,
                                           MeiliSearch* out);

// GET /indexes/{uid}/search: the same parameters as strings (lists comma-separated).
std::optional<MeiliError> ParseMeiliSearchParams(
    const std::vector<std::pair<std::string, std::string>>& params, MeiliSearch* out);

// A core failure (a filter attribute unknown to the index, ...) as a Meilisearch error.
MeiliError MeiliErrorFromStatus(const Status& status);

// The hits, paging, facetDistribution and facetStats of a response.
nlohmann::ordered_json MeiliSearchResponseJson(const MeiliSearch& search,
                                               const SearchResponse& response);

// POST /indexes/{uid}/facet-search.
struct MeiliFacetSearch {
  FacetsRequest request;
  std::string facet_name;  // the Meilisearch attribute
};
std::optional<MeiliError> ParseMeiliFacetSearch(const nlohmann::json& body,
                                                MeiliFacetSearch* out);
nlohmann::ordered_json MeiliFacetSearchResponseJson(const MeiliFacetSearch& search,
                                                    const FacetsResponse& response);

}  // namespace afori::searchd
