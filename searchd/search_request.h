// SearchRequest and SearchResponse: what Search() takes and gives, free of HTTP and JSON
// syntax (the HTTP layer maps query parameters and POST bodies onto these; docs/api.md).
//
// ValidateSearchRequest() checks everything that can be checked without the database (ranges,
// names, dates, bucket keys), naming the parameter in the error.
//
// Thread safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searchd/facets.h"
#include "searchd/filter_expression.h"
#include "searchd/formatting.h"

namespace afori::searchd {

inline constexpr std::size_t kDefaultLimit = 10;
inline constexpr std::size_t kMaxLimit = 100;
inline constexpr std::size_t kMaxOffset = 10000;

struct FacetFilter {
  std::string facet;                // an API facet name from schema::kFacets
  std::vector<std::string> values;  // any of them (OR)
};

enum class SortOrder {
  kRelevance,  // default; an empty query lists newest first
  kNewest,     // published, newest first
  kDeadline,   // open calls, soonest deadline first; then closed calls; then undated
  kTitle,      // Swedish alphabetical order of the title (å, ä, ö after z)
};

std::string_view SortOrderName(SortOrder sort);
std::optional<SortOrder> ParseSortOrder(std::string_view name);

// Per-hit formatted copies of stored attributes (SearchHit::formatted), for clients that
// render matches themselves (searchd/formatting.h; the Meilisearch-compatible API).
struct HitFormatting {
  std::vector<std::string> highlight;  // attributes whose matches get the tags; "*": all
  struct Crop {
    std::string attribute;  // "*": all
    std::size_t words;
  };
  std::vector<Crop> crop;  // attributes cut to `words` words around the best passage
  FormatStyle style;
};

// The hit fields returned unless `fields` says otherwise, in response order.
const std::vector<std::string>& DefaultHitFields();

struct SearchRequest {
  std::string query;       // empty: browse everything (newest first unless sorted otherwise)
  bool as_you_type = false;  // the last word may be unfinished: also match it as a prefix
  std::vector<FacetFilter> filters;  // all of them (AND); values OR within a facet
  // Any boolean filter over document attributes, ANDed with the others
  // (ExpressionQuery() in searchd/filters.h says which attributes and operators).
  std::optional<FilterExpression> filter_expression;
  // Only documents with every word (each word still matches its stem, variants, parts and
  // corrections); by default documents with some of the words follow those with all.
  bool require_all_words = false;
  // Inclusive ranges; dates are "YYYY-MM-DD", amounts SEK on amount_max_sek.
  std::optional<std::string> published_from, published_to, deadline_from, deadline_to;
  std::optional<std::int64_t> amount_min, amount_max;
  SortOrder sort = SortOrder::kRelevance;
  std::size_t limit = kDefaultLimit;
  std::size_t offset = 0;
  std::optional<std::vector<std::string>> facets;  // facets to count; unset: all
  std::optional<std::vector<std::string>> fields;  // hit fields; unset: DefaultHitFields()
  bool explain = false;
  std::optional<HitFormatting> formatting;  // unset: SearchHit::formatted stays empty
  bool amount_stats = false;  // fill SearchResponse::amounts (amount_max_sek over the matches)
  // With shards (docs/scaling.md): answer from the shards that can be reached when some
  // cannot, flagged partial, instead of failing. The search core ignores it.
  bool allow_partial = false;
  std::string today;  // "YYYY-MM-DD" the open/closed status is computed against; empty: now (UTC)
};

// Where a hit's score comes from (explain=1). `bm25` is the text score beyond the bonus of
// the matched words (negative when words matched only through parts, variants or
// corrections, which count 0.7-0.9 of a word).
struct ScoreParts {
  double score = 0;
  int matched_words = 0;
  double bm25 = 0;
  double proximity = 0;
  double freshness = 0;
  double open_call = 0;
};

struct SearchHit {
  std::string id;
  std::string type;
  std::string title;
  std::string title_html;    // escaped, matches wrapped in <mark>…</mark>
  std::string snippet_html;  // about 200 characters around the best passage, likewise
  std::optional<std::string> status;  // "open"/"closed" for documents with a deadline
  double score = 0.0;  // relative: only comparable within one response
  std::optional<ScoreParts> explain;
  nlohmann::json stored;  // the stored document (url, summary, dates, any other field)
  // With SearchRequest::formatting: attribute -> its formatted value (a string, or a list
  // of strings for list attributes), for the attributes that were highlighted or cropped.
  nlohmann::json formatted;
};


struct SearchResponse {
  std::string query;
  std::optional<std::string> suggestion;  // a better-spelled query ("Menade du …")
  std::uint64_t total = 0;                // exact number of matching documents
  bool total_is_exact = true;
  std::size_t offset = 0;
  std::size_t limit = 0;
  SortOrder sort = SortOrder::kRelevance;
  std::vector<SearchHit> hits;
  std::vector<FacetCounts> facets;  // in the order requested
  std::optional<AmountStats> amounts;  // with SearchRequest::amount_stats
  // An upper bound of any hit's score for this query (0 when browsing): score / max_score
  // is in [0, 1] and comparable across queries, unlike score alone.
  double max_score = 0.0;
  double took_ms = 0.0;
};

Status ValidateSearchRequest(const SearchRequest& request);

// "YYYY-MM-DD" of a real calendar day.
bool IsValidDate(std::string_view date);

}  // namespace afori::searchd
