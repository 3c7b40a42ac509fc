#include "searchd/search.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "corpus/document.h"
#include "corpus/markdown.h"
#include "searchd/ranking.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr unsigned kSnippetBytes = 240;
// No SNIPPET_BACKGROUND_MODEL: it looks up the collection frequency of every word of every
// body shown, which made snippets most of the cost of a search (docs/benchmarks.md).
constexpr unsigned kSnippetFlags = Xapian::MSet::SNIPPET_EXHAUSTIVE;

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Xapian::Query FilterQuery(const std::vector<FacetFilter>& filters) {
  std::vector<Xapian::Query> per_facet;
  for (const FacetFilter& filter : filters) {
    const schema::FacetField facet = *schema::FindFacet(filter.facet);
    std::vector<Xapian::Query> alternatives;
    for (const std::string& value : filter.values) {
      alternatives.emplace_back(std::string(facet.term_prefix) + value);
    }
    per_facet.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  }
  return Xapian::Query(Xapian::Query::OP_AND, per_facet.begin(), per_facet.end());
}

std::optional<std::string> OptionalString(const json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

Status ValidateSearchRequest(const SearchRequest& request) {
  if (request.limit > kMaxLimit) {
    return Status::InvalidArgument("parameter 'limit' must be at most " +
                                   std::to_string(kMaxLimit));
  }
  if (request.offset > kMaxOffset) {
    return Status::InvalidArgument("parameter 'offset' must be at most " +
                                   std::to_string(kMaxOffset));
  }
  for (const FacetFilter& filter : request.filters) {
    if (!schema::FindFacet(filter.facet)) {
      return Status::InvalidArgument("unknown facet filter '" + filter.facet + "'");
    }
  }
  if (request.facets) {
    for (const std::string& name : *request.facets) {
      if (!schema::FindFacet(name)) {
        return Status::InvalidArgument("parameter 'facets' names unknown facet '" + name + "'");
      }
    }
  }
  return Status::Ok();
}

Result<SearchResponse> Search(Xapian::Database& db, const SearchContext& context,
                              const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (Status s = ValidateSearchRequest(request); !s.ok()) return s;

  const stemming::Analyzer& analyzer = *context.analyzer;
  bool browsing = IsBlank(request.query);
  stemming::BuiltQuery built;
  if (!browsing) {
    stemming::QueryOptions options = context.query_options;
    options.last_word_is_prefix = request.as_you_type;
    built = stemming::BuildQuery(
        request.query, {&analyzer, &db, context.vocabulary, context.synonyms}, options);
    // Only exclusions ("-energi"): everything else, listed like a browse.
    browsing = built.only_exclusions;
  }
  // An empty Xapian::Query matches nothing (see stemming::MatchAllQuery on why the shared
  // MatchAll/MatchNothing objects are never used).
  Xapian::Query query = browsing && built.query.empty() ? stemming::MatchAllQuery() : built.query;
  if (!request.filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, FilterQuery(request.filters));
  }

  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(CoordinationWeight());
  if (browsing) enquire.set_sort_by_value(schema::kSlotPublished, /*reverse=*/true);

  std::vector<schema::FacetField> facet_fields;
  if (request.facets) {
    for (const std::string& name : *request.facets) facet_fields.push_back(*schema::FindFacet(name));
  } else {
    facet_fields.assign(schema::kFacets.begin(), schema::kFacets.end());
  }
  FacetCounter counter(std::move(facet_fields));
  enquire.add_matchspy(&counter);

  // Exact totals and facet counts need every match looked at.
  Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, db.get_doccount());

  SearchResponse response;
  response.query = request.query;
  response.suggestion = built.suggestion;
  response.total = mset.get_matches_estimated();
  const Xapian::Stem stemmer = analyzer.MakeStemmer();
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    json data = json::parse(doc.get_data(), nullptr, /*allow_exceptions=*/false);
    if (!data.is_object()) {
      return Status::Internal("stored data of document " + std::to_string(*it) + " is not JSON");
    }
    SearchHit hit;
    hit.id = data.value("id", "");
    hit.type = data.value("type", "");
    hit.title = data.value("title", "");
    hit.url = OptionalString(data, "url");
    hit.summary = OptionalString(data, "summary");
    hit.published = OptionalString(data, "published");
    hit.snippet = mset.snippet(corpus::PlainTextFromMarkdown(data.value("body", "")),
                               kSnippetBytes, stemmer, kSnippetFlags, "<mark>", "</mark>", "…");
    hit.score = it.get_weight();
    response.hits.push_back(std::move(hit));
  }
  response.facets = counter.Counts();
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
          .count();
  return response;
}

Result<std::string> GetDocumentJson(Xapian::Database& db, std::string_view id) {
  if (!corpus::IsValidId(id)) {
    return Status::InvalidArgument("id must match [a-z0-9][a-z0-9-]{0,127}");
  }
  const std::string term = std::string(schema::kPrefixId) + std::string(id);
  Xapian::PostingIterator it = db.postlist_begin(term);
  if (it == db.postlist_end(term)) {
    return Status::NotFound("no document with id '" + std::string(id) + "'");
  }
  return db.get_document(*it).get_data();
}

}  // namespace afori::searchd
