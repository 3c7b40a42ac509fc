// Search: the query side of afori-search, free of HTTP and JSON syntax.
//
// Search() runs one request against an open database: it builds the query from the words
// with the shared Swedish analysis (stemming/query.h: stems, compounds, typos, missing
// diacritics, synonyms), applies the filters (searchd/filters.h), ranks with
// CoordinationWeight (documents with all query words first, BM25 within) plus small
// proximity, freshness and open-call boosts, sorts as asked, counts facets exactly and
// disjunctively (a facet's counts ignore that facet's own selection, so a multi-select filter
// UI can show what ticking another value adds), and highlights titles and snippets. An empty
// query lists every (filtered) document, newest first, so facets work as a browser.
//
// Expected failures (a parameter out of range, an unknown facet, an unknown id) come back as
// a Status; Xapian exceptions escape to the caller, which decides (searchd's DatabasePool
// retries DatabaseModifiedError after reopen()).
//
// Thread safety: the functions are reentrant, but a Xapian::Database must be used by one
// thread at a time: give each thread its own (see DatabasePool).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "common/status.h"
#include "searchd/facet_columns.h"
#include "searchd/facets.h"
#include "searchd/search_request.h"
#include "stemming/analysis.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace afori::searchd {

// What Search() uses besides the database and the request.
struct SearchContext {
  const stemming::Analyzer* analyzer = nullptr;      // required
  const stemming::Vocabulary* vocabulary = nullptr;  // of the database; null: no typo help
  const stemming::SynonymTable* synonyms = nullptr;  // null: no synonyms
  // Of exactly the database's revision (IndexRefresher ensures it); null, or a database of
  // several shards: facets and boosts read from value slots.
  const FacetColumns* facet_columns = nullptr;
  // This request's own memo of word analyses for the highlighter (WordCachePool); null: none.
  // Results are the same with and without it.
  stemming::WordCache* word_cache = nullptr;
  stemming::QueryOptions query_options;
};

Result<SearchResponse> Search(Xapian::Database& db, const SearchContext& context,
                              const SearchRequest& request);

// GET /v1/facets: every value of every facet (or of `facet` only) with its count over the
// documents the request's words and filters match, counted disjunctively like Search().
// `facet_query` keeps the values with a word starting with it (case and å/ä/ö ignored).
struct FacetsRequest {
  SearchRequest search;  // words and filters; paging, sort and fields are ignored
  std::optional<std::string> facet;
  std::optional<std::string> facet_query;  // requires `facet`
};

struct FacetsResponse {
  std::vector<FacetCounts> facets;
  double took_ms = 0.0;
};

Result<FacetsResponse> ListFacets(Xapian::Database& db, const SearchContext& context,
                                  const FacetsRequest& request);

// The stored document (as JSON text, unknown fields included), or NotFound.
Result<std::string> GetDocumentJson(Xapian::Database& db, std::string_view id);

}  // namespace afori::searchd
