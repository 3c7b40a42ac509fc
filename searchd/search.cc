#include "searchd/search.h"

#include <algorithm>
#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "common/schema.h"
#include "corpus/document.h"
#include "corpus/markdown.h"
#include "searchd/boosts.h"
#include "searchd/filters.h"
#include "searchd/highlight.h"
#include "searchd/ranking.h"
#include "searchd/sort_keys.h"
#include "stemming/tokenizer.h"

namespace afori::searchd {
namespace {

using nlohmann::json;

constexpr std::size_t kSnippetChars = 200;

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

double MillisecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
      .count();
}

std::vector<schema::FacetField> RequestedFacets(const SearchRequest& request) {
  std::vector<schema::FacetField> fields;
  if (request.facets) {
    for (const std::string& name : *request.facets) fields.push_back(*schema::FindFacet(name));
  } else {
    fields.assign(schema::kFacets.begin(), schema::kFacets.end());
  }
  return fields;
}

bool IsSelected(const SearchRequest& request, std::string_view facet) {
  return std::any_of(request.filters.begin(), request.filters.end(),
                     [&](const FacetFilter& f) { return f.facet == facet; });
}

// The words and filters of a request, as far as matching goes.
struct Matching {
  stemming::BuiltQuery built;
  Xapian::Query words;  // what the words match (MatchAll when browsing)
  bool browsing = false;
  std::string today;  // YYYYMMDD
  std::optional<Xapian::Query> expression;  // the request's filter_expression
};

Result<Matching> BuildMatching(Xapian::Database& db, const SearchContext& context,
                               const SearchRequest& request) {
  Matching m;
  m.today = CompactDate(request.today.empty() ? TodayUtc() : request.today);
  if (request.filter_expression) {
    Result<Xapian::Query> q = ExpressionQuery(*request.filter_expression, db, m.today);
    if (!q.ok()) return q.status();
    m.expression = std::move(*q);
  }
  m.browsing = IsBlank(request.query);
  if (!m.browsing) {
    stemming::QueryOptions options = context.query_options;
    options.last_word_is_prefix = request.as_you_type;
    options.require_all_words = request.require_all_words;
    m.built = stemming::BuildQuery(
        request.query, {context.analyzer, &db, context.vocabulary, context.synonyms}, options);
    m.browsing = m.built.only_exclusions;  // "-energi": everything else, listed like a browse
  }
  // An empty Xapian::Query matches nothing; see stemming::MatchAllQuery on why the shared
  // MatchAll/MatchNothing objects are never used.
  m.words = m.browsing && m.built.query.empty() ? stemming::MatchAllQuery() : m.built.query;
  return m;
}

// Xapian 1.4.22 reads freed memory (valgrind; searchd crashed on the second search) when a
// query holding OP_MAX, which every query word is (stemming/query.h), is matched over several
// databases and the MSet fills up, so that the matcher starts dropping subqueries that can no
// longer compete. Over shards (docs/scaling.md) every match is therefore asked for: the MSet
// never fills, and the caller takes its page from it. A single database crashes too when the
// matcher may prune: a top-10 MSet with check_at_least below the match count died (SIGSEGV
// in get_mset) at the 21st query of the peers' file, and only with the proximity part (the
// OP_MAX of the scaled phrase and window queries) in the query (docs/performance.md).
// Search() always asks for exact counts there (check_at_least = the document count), so it
// never prunes.
Xapian::doccount MSetSize(const Xapian::Database& db, Xapian::doccount wanted) {
  return db.size() > 1 ? std::max(wanted, db.get_doccount()) : wanted;
}

// Over several databases Xapian hands match spies and posting sources each shard's own
// docids, which the columns of the combined database do not use: there, values are read.
const FacetColumns* ColumnsFor(const Xapian::Database& db, const SearchContext& context) {
  return db.size() == 1 ? context.facet_columns : nullptr;
}

// `q` restricted by the request's filters (but `except_facet`'s) and filter expression.
Xapian::Query Filtered(const Xapian::Query& q, const SearchRequest& request, const Matching& m,
                       std::string_view except_facet = {}) {
  Xapian::Query out = q;
  if (std::optional<Xapian::Query> filter = FilterQuery(request, m.today, except_facet)) {
    out = Xapian::Query(Xapian::Query::OP_FILTER, out, *filter);
  }
  if (m.expression) out = Xapian::Query(Xapian::Query::OP_FILTER, out, *m.expression);
  return out;
}

// Facet counts over the matches of `query`, for `facets` (one exact pass over all matches).
std::vector<FacetCounts> CountPass(Xapian::Database& db, const Xapian::Query& query,
                                   std::vector<schema::FacetField> facets,
                                   const std::string& today, const FacetColumns* columns) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  FacetCounter counter(std::move(facets), today, columns);
  enquire.add_matchspy(&counter);
  enquire.get_mset(0, 0, db.get_doccount());
  return counter.Counts();
}

// Disjunctive counts: facets nobody selected are counted in the main pass; each selected one
// over the matches of all the other filters.
std::vector<FacetCounts> DisjunctiveCounts(Xapian::Database& db, const SearchContext& context,
                                           const SearchRequest& request, const Matching& m,
                                           const std::vector<schema::FacetField>& requested,
                                           std::vector<FacetCounts> main_pass_counts) {
  std::vector<FacetCounts> out;
  std::size_t next_main = 0;
  for (const schema::FacetField& facet : requested) {
    if (!IsSelected(request, facet.name)) {
      out.push_back(std::move(main_pass_counts[next_main++]));
      continue;
    }
    const Xapian::Query q = Filtered(m.words, request, m, facet.name);
    out.push_back(std::move(CountPass(db, q, {facet}, m.today, ColumnsFor(db, context)).front()));
  }
  return out;
}

// Ties never fall to the docid, which differs between one index and shards (their docids
// interleave): relevance ties are ordered by id, and a listing without words (where every
// match weighs the same) by its sort value, then id. A value sort with words orders equal
// values by relevance, and only a tie on both falls to the docid (Xapian offers no third key).
void ApplySort(Xapian::Enquire& enquire, const SearchRequest& request, const Matching& m) {
  auto then_id = [&enquire](unsigned slot, bool reverse) {
    auto* keys = new Xapian::MultiValueKeyMaker();
    keys->add_value(slot, reverse);
    keys->add_value(schema::kSlotId);
    enquire.set_sort_by_key(keys->release(), false);
  };
  switch (request.sort) {
    case SortOrder::kRelevance:
      if (m.browsing) {
        then_id(schema::kSlotPublished, /*reverse=*/true);
      } else {
        enquire.set_sort_by_relevance_then_value(schema::kSlotId, false);
      }
      break;
    case SortOrder::kNewest:
      if (m.browsing) {
        then_id(schema::kSlotPublished, /*reverse=*/true);
      } else {
        enquire.set_sort_by_value_then_relevance(schema::kSlotPublished, true);
      }
      break;
    case SortOrder::kDeadline:
      enquire.set_sort_by_key_then_relevance(
          (new DeadlineKeyMaker(m.today, /*then_id=*/m.browsing))->release(), false);
      break;
    case SortOrder::kTitle:
      if (m.browsing) {
        then_id(schema::kSlotTitleSort, /*reverse=*/false);
      } else {
        enquire.set_sort_by_value_then_relevance(schema::kSlotTitleSort, false);
      }
      break;
  }
}

// Weight of `query` for each of `docids` (0 when it does not match there).
std::map<Xapian::docid, double> WeightsFor(Xapian::Database& db, const Xapian::Query& query,
                                           const std::vector<Xapian::docid>& docids,
                                           const std::vector<std::string>& id_terms) {
  std::map<Xapian::docid, double> weights;
  if (query.empty() || docids.empty()) return weights;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, id_terms.begin(),
                                                id_terms.end())));
  enquire.set_weighting_scheme(CoordinationWeight());
  const Xapian::MSet mset = enquire.get_mset(0, MSetSize(db, docids.size()));
  for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
  return weights;
}

void Explain(Xapian::Database& db, const Matching& m, const std::vector<Xapian::docid>& docids,
             std::vector<SearchHit>* hits) {
  std::vector<std::string> id_terms;
  for (const SearchHit& h : *hits) id_terms.push_back(std::string(schema::kPrefixId) + h.id);
  std::vector<std::map<Xapian::docid, double>> units;
  for (const Xapian::Query& unit : m.built.units) units.push_back(WeightsFor(db, unit, docids, id_terms));
  const std::map<Xapian::docid, double> proximity =
      WeightsFor(db, m.built.proximity, docids, id_terms);
  for (std::size_t i = 0; i < hits->size(); ++i) {
    SearchHit& hit = (*hits)[i];
    const Xapian::Document doc = db.get_document(docids[i]);
    const BoostParts boosts = ComputeBoosts(doc.get_value(schema::kSlotPublished),
                                            doc.get_value(schema::kSlotDeadline), m.today);
    ScoreParts parts;
    parts.score = hit.score;
    for (const auto& unit : units) parts.matched_words += unit.count(docids[i]) ? 1 : 0;
    if (auto it = proximity.find(docids[i]); it != proximity.end()) parts.proximity = it->second;
    parts.freshness = m.browsing ? 0.0 : boosts.freshness;
    parts.open_call = m.browsing ? 0.0 : boosts.open_call;
    parts.bm25 = m.browsing ? 0.0
                            : hit.score - parts.proximity - parts.freshness - parts.open_call -
                                  CoordinationWeight::kCoordinationBonus * parts.matched_words;
    hit.explain = parts;
  }
}

std::string StringField(const json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Names(const std::vector<std::string>& names, const std::string& attribute) {
  return std::find(names.begin(), names.end(), attribute) != names.end() ||
         std::find(names.begin(), names.end(), "*") != names.end();
}

// The crop length asked for `attribute` (an exact name before "*"), or 0 for none.
std::size_t CropLength(const HitFormatting& f, const std::string& attribute) {
  std::size_t star = 0;
  for (const HitFormatting::Crop& c : f.crop) {
    if (c.attribute == attribute) return c.words;
    if (c.attribute == "*") star = c.words;
  }
  return star;
}

// SearchHit::formatted: the highlighted or cropped string attributes of the stored document
// (lists of strings element by element). The Markdown body is formatted as its plain text.
json FormatHit(const json& stored, const HitFormatting& f, const MatchTerms& terms,
               const stemming::Analyzer& analyzer) {
  json out = json::object();
  for (const auto& [attribute, value] : stored.items()) {
    const bool highlight = Names(f.highlight, attribute);
    const std::size_t crop = CropLength(f, attribute);
    if (!highlight && crop == 0) continue;
    // Not `attribute` in the lambda: clang before 16 cannot capture structured bindings.
    const bool is_body = attribute == "body";
    auto format = [&](const std::string& text) {
      const std::string plain = is_body ? corpus::PlainTextFromMarkdown(text) : text;
      return crop > 0 ? CropWords(plain, crop, terms, analyzer, f.style, highlight)
                      : HighlightWords(plain, terms, analyzer, f.style);
    };
    if (value.is_string()) {
      out[attribute] = format(value.get<std::string>());
    } else if (value.is_array()) {
      json list = json::array();
      for (const json& element : value) {
        list.push_back(element.is_string() ? json(format(element.get<std::string>())) : element);
      }
      out[attribute] = std::move(list);
    }
  }
  return out;
}

}  // namespace

Result<SearchResponse> Search(Xapian::Database& db, const SearchContext& context,
                              const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (Status s = ValidateSearchRequest(request); !s.ok()) return s;
  const stemming::Analyzer& analyzer = *context.analyzer;
  Result<Matching> matching = BuildMatching(db, context, request);
  if (!matching.ok()) return matching.status();
  const Matching& m = *matching;

  Xapian::Query scored = m.words;
  if (!m.built.proximity.empty()) {
    scored = Xapian::Query(Xapian::Query::OP_AND_MAYBE, scored, m.built.proximity);
  }
  BoostPostingSource boost(m.today, ColumnsFor(db, context));
  if (!m.browsing) scored = Xapian::Query(Xapian::Query::OP_AND_MAYBE, scored, Xapian::Query(&boost));

  Xapian::Enquire enquire(db);
  enquire.set_query(Filtered(scored, request, m));
  enquire.set_weighting_scheme(CoordinationWeight());
  ApplySort(enquire, request, m);

  const std::vector<schema::FacetField> requested = RequestedFacets(request);
  std::vector<schema::FacetField> unselected;
  for (const schema::FacetField& f : requested) {
    if (!IsSelected(request, f.name)) unselected.push_back(f);
  }
  FacetCounter counter(unselected, m.today, ColumnsFor(db, context));
  enquire.add_matchspy(&counter);
  AmountCounter amounts;
  if (request.amount_stats) enquire.add_matchspy(&amounts);
  // Exact totals and facet counts need every match looked at.
  const bool whole = MSetSize(db, request.limit) != request.limit;  // see MSetSize
  const Xapian::MSet mset =
      enquire.get_mset(whole ? 0 : request.offset, MSetSize(db, request.limit), db.get_doccount());
  Xapian::MSetIterator page = mset.begin(), page_end = mset.end();
  if (whole) {
    page = request.offset < mset.size() ? mset[request.offset] : mset.end();
    page_end = request.offset + request.limit < mset.size() ? mset[request.offset + request.limit]
                                                            : mset.end();
  }

  SearchResponse response;
  response.query = request.query;
  response.suggestion = m.built.suggestion;
  response.total = mset.get_matches_estimated();
  response.total_is_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  response.offset = request.offset;
  response.limit = request.limit;
  response.sort = request.sort;
  response.max_score = m.browsing ? 0.0 : mset.get_max_possible();
  if (request.amount_stats) response.amounts = amounts.Stats();
  const MatchTerms terms(m.built.query, m.built.prefixes, context.word_cache);
  std::vector<Xapian::docid> docids;
  for (Xapian::MSetIterator it = page; it != page_end; ++it) {
    const Xapian::Document doc = it.get_document();
    json data = json::parse(doc.get_data(), nullptr, /*allow_exceptions=*/false);
    if (!data.is_object()) {
      return Status::Internal("stored data of document " + std::to_string(*it) + " is not JSON");
    }
    SearchHit hit;
    hit.id = StringField(data, "id");
    hit.type = StringField(data, "type");
    hit.title = StringField(data, "title");
    hit.title_html = HighlightHtml(hit.title, terms, analyzer);
    hit.snippet_html = SnippetHtml(corpus::PlainTextFromMarkdown(StringField(data, "body")),
                                   terms, analyzer, kSnippetChars);
    const std::string deadline = doc.get_value(schema::kSlotDeadline);
    if (!deadline.empty()) {
      hit.status = std::string(deadline >= m.today ? schema::kStatusOpen : schema::kStatusClosed);
    }
    hit.score = it.get_weight();
    if (request.formatting) hit.formatted = FormatHit(data, *request.formatting, terms, analyzer);
    hit.stored = std::move(data);
    response.hits.push_back(std::move(hit));
    docids.push_back(*it);
  }
  if (request.explain) Explain(db, m, docids, &response.hits);
  response.facets = DisjunctiveCounts(db, context, request, m, requested, counter.Counts());
  response.took_ms = MillisecondsSince(started);
  return response;
}

Result<FacetsResponse> ListFacets(Xapian::Database& db, const SearchContext& context,
                                  const FacetsRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (request.facet_query && !request.facet) {
    return Status::InvalidArgument("parameter 'facet_query' needs 'facet'");
  }
  if (request.facet && !schema::FindFacet(*request.facet)) {
    return Status::InvalidArgument("parameter 'facet' names unknown facet '" + *request.facet + "'");
  }
  SearchRequest search = request.search;
  search.limit = 0;
  search.offset = 0;
  search.explain = false;
  if (request.facet) search.facets = std::vector<std::string>{*request.facet};
  Result<SearchResponse> counted = Search(db, context, search);
  if (!counted.ok()) return counted.status();
  FacetsResponse out;
  out.facets = std::move(counted->facets);
  if (request.facet_query) {
    const std::string wanted =
        stemming::FoldDiacritics(stemming::Lowercase(stemming::ComposeLatin(*request.facet_query)));
    for (FacetCounts& fc : out.facets) {
      std::erase_if(fc.values, [&](const FacetValueCount& v) {
        for (const stemming::Token& t : stemming::Tokenize(v.value)) {
          if (stemming::FoldDiacritics(t.text).starts_with(wanted)) return false;
        }
        return !wanted.empty();
      });
    }
  }
  out.took_ms = MillisecondsSince(started);
  return out;
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
