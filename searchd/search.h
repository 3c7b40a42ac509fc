// Search: the query side of afori-search, free of HTTP and JSON.
//
// Search() runs one request against an open database: it builds the query from the words
// with the shared Swedish analysis (stemming/query.h: stems, compounds, typos, missing
// diacritics, synonyms), applies facet filters (values OR'ed within a facet, facets AND'ed), ranks
// with CoordinationWeight (documents with all query words first, BM25 within), counts facets
// exactly over all matches and cuts highlighted snippets. An empty query lists every
// (filtered) document, newest first, so facets work as a browser.
//
// Expected failures (a parameter out of range, an unknown facet, an unknown id) come back as
// a Status; Xapian exceptions other than a malformed query escape to the caller, which
// decides (searchd's DatabasePool retries DatabaseModifiedError after reopen()).
//
// Thread safety: the functions are reentrant, but a Xapian::Database must be used by one
// thread at a time: give each thread its own (see DatabasePool).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "searchd/facets.h"
#include "stemming/analysis.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace afori::searchd {

inline constexpr std::size_t kDefaultLimit = 10;
inline constexpr std::size_t kMaxLimit = 100;
inline constexpr std::size_t kMaxOffset = 10000;

struct FacetFilter {
  std::string facet;                // an API facet name from schema::kFacets
  std::vector<std::string> values;  // any of them (OR)
};

struct SearchRequest {
  std::string query;                // empty: browse everything, newest first
  std::vector<FacetFilter> filters;  // all of them (AND)
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
  std::optional<std::vector<std::string>> facets;  // facets to count; unset: all
  bool as_you_type = false;  // the last word may be unfinished: also match it as a prefix
};

// What Search() uses besides the database and the request.
struct SearchContext {
  const stemming::Analyzer* analyzer = nullptr;    // required
  const stemming::Vocabulary* vocabulary = nullptr;  // of the database; null: no typo help
  const stemming::SynonymTable* synonyms = nullptr;  // null: no synonyms
  stemming::QueryOptions query_options;
};

struct SearchHit {
  std::string id;
  std::string type;
  std::string title;
  std::optional<std::string> url;
  std::optional<std::string> summary;
  std::string snippet;  // HTML: text escaped, matches wrapped in <mark>...</mark>
  std::optional<std::string> published;
  double score = 0.0;  // relative: only comparable within one response
};

struct SearchResponse {
  std::string query;
  std::optional<std::string> suggestion;  // a better-spelled query ("Menade du …")
  std::uint64_t total = 0;  // exact number of matching documents
  std::vector<SearchHit> hits;
  std::vector<FacetCounts> facets;
  double took_ms = 0.0;
};

// Checks ranges and names (limit, offset, facet names) without touching the database.
Status ValidateSearchRequest(const SearchRequest& request);

Result<SearchResponse> Search(Xapian::Database& db, const SearchContext& context,
                              const SearchRequest& request);

// The stored document (as JSON text, unknown fields included), or NotFound.
Result<std::string> GetDocumentJson(Xapian::Database& db, std::string_view id);

}  // namespace afori::searchd
