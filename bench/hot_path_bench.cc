// The hot query path, stage by stage, on any index (docs/performance.md):
//
//   AFORI_BENCH_DB=DIR AFORI_BENCH_QUERIES=queries.tsv build/bench/hot_path_bench
//
// DIR is an index built by `indexer build` (for example from ../shared/peers' generated
// corpus) and the query file is the peers' TSV (id, type filter, words). Each benchmark
// iteration runs the next query of the file, so the figures are means over the query mix:
// query analysis and parsing, matching the top 10, exact facet counting over all matches
// (from the in-memory columns and from value slots), snippets of the top 10, JSON
// serialisation of a response, and the whole Search() per query class (words, faceted
// filter, browsing, as-you-type prefix), plus the search box's completions.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "common/utf8.h"
#include "corpus/markdown.h"
#include "searchd/facet_columns.h"
#include "searchd/facets.h"
#include "searchd/highlight.h"
#include "searchd/http_api.h"
#include "searchd/search.h"
#include "searchd/suggest.h"
#include "searchd/word_cache_pool.h"
#include "stemming/analysis.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace {

using namespace afori;

struct Query {
  std::string type, words;
};

// The index, its derived structures and the query file, loaded once.
struct Fixture {
  Fixture() {
    const char* db_path = std::getenv("AFORI_BENCH_DB");
    const char* queries_path = std::getenv("AFORI_BENCH_QUERIES");
    if (!db_path || !queries_path) {
      std::fprintf(stderr, "hot_path_bench: set AFORI_BENCH_DB and AFORI_BENCH_QUERIES\n");
      std::exit(2);
    }
    auto loaded = stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(AFORI_DATA_DIR));
    if (!loaded.ok()) std::abort();
    analyzer = std::move(*loaded);
    auto table = stemming::SynonymTable::Load(AFORI_DATA_DIR "/corpus/synonyms.txt",
                                              analyzer->StemFunction());
    if (!table.ok()) std::abort();
    synonyms = std::move(*table);
    db = Xapian::Database(db_path);
    vocabulary = stemming::Vocabulary::FromDatabase(db);
    columns = searchd::FacetColumns::FromDatabase(db);
    suggestions = searchd::SuggestIndex::FromDatabase(db);
    context.analyzer = analyzer.get();
    context.vocabulary = vocabulary.get();
    context.synonyms = &synonyms;
    context.facet_columns = columns.get();
    context.word_cache = &words;  // as a searchd worker's (benchmarks run on one thread)
    std::ifstream in(queries_path);
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> fields;
      std::istringstream split(line);
      for (std::string f; std::getline(split, f, '\t');) fields.push_back(f);
      fields.resize(3);
      if (!fields[2].empty()) queries.push_back({fields[1], fields[2]});
    }
    if (queries.empty()) std::abort();
  }
  std::unique_ptr<stemming::Analyzer> analyzer;
  stemming::SynonymTable synonyms;
  Xapian::Database db;
  std::shared_ptr<const stemming::Vocabulary> vocabulary;
  std::shared_ptr<const searchd::FacetColumns> columns;
  std::shared_ptr<const searchd::SuggestIndex> suggestions;
  stemming::WordCache words{searchd::WordCachePool::kDefaultMaxWords};
  searchd::SearchContext context;
  std::vector<Query> queries;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // benchmark-process lifetime
  return *fixture;
}

stemming::BuiltQuery Build(Fixture& f, const std::string& words) {
  stemming::QueryOptions options;
  options.require_all_words = true;
  return stemming::BuildQuery(words, {f.analyzer.get(), &f.db, f.vocabulary.get(), &f.synonyms},
                              options);
}

void BM_AnalyzeAndParseQuery(benchmark::State& state) {
  Fixture& f = Shared();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Build(f, f.queries[i++ % f.queries.size()].words));
  }
}
BENCHMARK(BM_AnalyzeAndParseQuery);

// Matching and ranking the top 10, without exact counts (Xapian stops early where it can).
void BM_MatchTop10(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<Xapian::Query> built;
  for (const Query& q : f.queries) built.push_back(Build(f, q.words).query);
  std::size_t i = 0;
  for (auto _ : state) {
    Xapian::Enquire enquire(f.db);
    enquire.set_query(built[i++ % built.size()]);
    benchmark::DoNotOptimize(enquire.get_mset(0, 10));
  }
}
BENCHMARK(BM_MatchTop10)->Unit(benchmark::kMicrosecond);

// Exact counts of all eight facets over every match (the cost of exactness).
void FacetCounting(benchmark::State& state, bool with_columns) {
  Fixture& f = Shared();
  std::vector<Xapian::Query> built;
  for (const Query& q : f.queries) built.push_back(Build(f, q.words).query);
  const std::vector<schema::FacetField> facets(schema::kFacets.begin(), schema::kFacets.end());
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    Xapian::Enquire enquire(f.db);
    enquire.set_query(built[i++ % built.size()]);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    searchd::FacetCounter counter(facets, "20261201", with_columns ? f.columns.get() : nullptr);
    enquire.add_matchspy(&counter);
    matches += enquire.get_mset(0, 0, f.db.get_doccount()).get_matches_estimated();
    benchmark::DoNotOptimize(counter.Counts());
  }
  state.counters["matches"] = benchmark::Counter(static_cast<double>(matches),
                                                 benchmark::Counter::kAvgIterations);
}
void BM_FacetCountsFromColumns(benchmark::State& state) { FacetCounting(state, true); }
void BM_FacetCountsFromValues(benchmark::State& state) { FacetCounting(state, false); }
BENCHMARK(BM_FacetCountsFromColumns)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FacetCountsFromValues)->Unit(benchmark::kMicrosecond);

// Highlighted titles and snippets of a query's top 10, their stored JSON read and parsed.
// With a cache (arg 1) the word analyses are kept across searches, as in searchd's workers
// (searchd/word_cache_pool.h); the cache fills during the benchmark's first iterations.
void BM_SnippetsTop10(benchmark::State& state) {
  Fixture& f = Shared();
  stemming::WordCache words(searchd::WordCachePool::kDefaultMaxWords);
  stemming::WordCache* cache = state.range(0) == 1 ? &words : nullptr;
  struct Prepared {
    stemming::BuiltQuery built;
    std::vector<Xapian::docid> top;
  };
  std::vector<Prepared> prepared;
  for (const Query& q : f.queries) {
    Prepared p{Build(f, q.words), {}};
    Xapian::Enquire enquire(f.db);
    enquire.set_query(p.built.query);
    const Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) p.top.push_back(*it);
    prepared.push_back(std::move(p));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const Prepared& p = prepared[i++ % prepared.size()];
    const searchd::MatchTerms terms(p.built.query, p.built.prefixes, cache);
    for (Xapian::docid did : p.top) {
      const nlohmann::json data = nlohmann::json::parse(f.db.get_document(did).get_data());
      benchmark::DoNotOptimize(
          searchd::HighlightHtml(data.value("title", std::string()), terms, *f.analyzer));
      benchmark::DoNotOptimize(searchd::SnippetHtml(
          corpus::PlainTextFromMarkdown(data.value("body", std::string())), terms, *f.analyzer));
    }
  }
}
BENCHMARK(BM_SnippetsTop10)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

searchd::SearchRequest Words(const Query& q) {
  searchd::SearchRequest r;
  r.query = q.words;
  r.require_all_words = true;
  return r;
}

// A response of 10 hits and eight facets turned into /v1/search's JSON text.
void BM_SerializeResponse(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<searchd::SearchResponse> responses;
  for (std::size_t i = 0; i < 50 && i < f.queries.size(); ++i) {
    responses.push_back(*searchd::Search(f.db, f.context, Words(f.queries[i])));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        searchd::SearchResponseToJson(responses[i++ % responses.size()], std::nullopt).dump());
  }
}
BENCHMARK(BM_SerializeResponse)->Unit(benchmark::kMicrosecond);

template <typename MakeRequest>
void RunSearches(benchmark::State& state, MakeRequest make) {
  Fixture& f = Shared();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = searchd::Search(f.db, f.context, make(f.queries[i++ % f.queries.size()]));
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}

void BM_SearchWords(benchmark::State& state) { RunSearches(state, Words); }
BENCHMARK(BM_SearchWords)->Unit(benchmark::kMicrosecond);

// The query file's type filter where it has one, else every query filtered to guides.
void BM_SearchFaceted(benchmark::State& state) {
  RunSearches(state, [](const Query& q) {
    searchd::SearchRequest r = Words(q);
    r.filters.push_back({"type", {q.type.empty() ? "guide" : q.type}});
    return r;
  });
}
BENCHMARK(BM_SearchFaceted)->Unit(benchmark::kMicrosecond);

// No words: every document, newest first, all facets counted (the facet browser).
void BM_SearchBrowse(benchmark::State& state) {
  RunSearches(state, [](const Query& q) {
    searchd::SearchRequest r;
    if (!q.type.empty()) r.filters.push_back({"type", {q.type}});
    return r;
  });
}
BENCHMARK(BM_SearchBrowse)->Unit(benchmark::kMicrosecond);

// As the visitor types: the words with the last one cut to its first three letters.
void BM_SearchAsYouType(benchmark::State& state) {
  RunSearches(state, [](const Query& q) {
    searchd::SearchRequest r;
    const std::size_t last = q.words.rfind(' ') + 1;  // npos + 1 == 0
    r.query = q.words.substr(0, last) + std::string(Utf8Prefix(std::string_view(q.words).substr(last), 3));
    r.as_you_type = true;
    return r;
  });
}
BENCHMARK(BM_SearchAsYouType)->Unit(benchmark::kMicrosecond);

// The search box's completions for the first four letters of each query.
void BM_Suggest(benchmark::State& state) {
  Fixture& f = Shared();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& words = f.queries[i++ % f.queries.size()].words;
    benchmark::DoNotOptimize(f.suggestions->Complete(Utf8Prefix(words, 4), 8));
  }
}
BENCHMARK(BM_Suggest)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
