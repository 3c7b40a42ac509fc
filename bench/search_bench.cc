// Hot-path benchmarks on the shipped corpus: text analysis throughput, query building, the
// whole Search() call per query class, and document indexing. Run: build/bench/search_bench
// (docs/benchmarks.md, docs/swedish.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "corpus/markdown.h"
#include "searchd/search.h"
#include "stemming/analysis.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace {

using namespace afori;

// The shipped corpus indexed once into a private temporary directory.
struct Fixture {
  Fixture() {
    auto loaded = stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(AFORI_SOURCE_DIR));
    if (!loaded.ok()) std::abort();
    analyzer_owner = std::move(*loaded);
    auto table = stemming::SynonymTable::Load(AFORI_SOURCE_DIR "/corpus/synonyms.txt",
                                           analyzer_owner->StemFunction());
    if (!table.ok()) std::abort();
    synonyms = std::move(*table);
    std::string pattern = std::filesystem::temp_directory_path().string() + "/afori-bench-XXXXXX";
    dir = mkdtemp(pattern.data());
    docs = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    if (!indexer::BuildDatabase(dir + "/db", docs, *analyzer_owner).ok()) std::abort();
    db = Xapian::Database(dir + "/db");
    vocabulary = stemming::Vocabulary::FromDatabase(db);
    context.analyzer = analyzer_owner.get();
    context.vocabulary = vocabulary.get();
    context.synonyms = &synonyms;
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  std::unique_ptr<stemming::Analyzer> analyzer_owner;
  const stemming::Analyzer& analyzer() const { return *analyzer_owner; }
  stemming::SynonymTable synonyms;
  std::shared_ptr<const stemming::Vocabulary> vocabulary;
  searchd::SearchContext context;
  std::string dir;
  std::vector<corpus::LoadedDocument> docs;
  Xapian::Database db;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // benchmark-process lifetime
  return *fixture;
}

// Analysis throughput: every body of the corpus through IndexText (tokenize, compose,
// stem, decompound, add terms), reported as bytes of text per second.
void BM_AnalyzeBodies(benchmark::State& state) {
  Fixture& f = Shared();
  std::vector<std::string> bodies;
  std::size_t bytes = 0;
  for (const auto& d : f.docs) {
    bodies.push_back(corpus::PlainTextFromMarkdown(d.document.body));
    bytes += bodies.back().size();
  }
  for (auto _ : state) {
    for (const std::string& body : bodies) {
      Xapian::Document doc;
      Xapian::termpos pos = 1;
      f.analyzer().IndexText(body, 1, {}, &pos, &doc);
      benchmark::DoNotOptimize(doc);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_AnalyzeBodies)->Unit(benchmark::kMillisecond);

void BM_BuildQuery(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    benchmark::DoNotOptimize(stemming::BuildQuery(
        "Upphandlingar av elbussar med funktionskrav",
        {&f.analyzer(), &f.db, f.vocabulary.get(), &f.synonyms}, stemming::QueryOptions()));
  }
}
BENCHMARK(BM_BuildQuery);

void BM_BuildQueryMisspelled(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    benchmark::DoNotOptimize(stemming::BuildQuery(
        "upphandlnig av marknadsdialg forkommersiell",
        {&f.analyzer(), &f.db, f.vocabulary.get(), &f.synonyms}, stemming::QueryOptions()));
  }
}
BENCHMARK(BM_BuildQueryMisspelled);

void RunSearch(benchmark::State& state, searchd::SearchRequest request) {
  Fixture& f = Shared();
  for (auto _ : state) {
    Result<searchd::SearchResponse> r = searchd::Search(f.db, f.context, request);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}

void BM_SearchWords(benchmark::State& state) {
  searchd::SearchRequest request;
  request.query = "innovationsupphandling av välfärdsteknik";
  RunSearch(state, request);
}
BENCHMARK(BM_SearchWords);

void BM_SearchFaceted(benchmark::State& state) {
  searchd::SearchRequest request;
  request.query = "upphandling";
  request.filters = {{"type", {"case", "funding"}}, {"theme", {"Energi"}}};
  RunSearch(state, request);
}
BENCHMARK(BM_SearchFaceted);

void BM_SearchBrowse(benchmark::State& state) { RunSearch(state, searchd::SearchRequest()); }
BENCHMARK(BM_SearchBrowse);

void BM_IndexDocument(benchmark::State& state) {
  Fixture& f = Shared();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        indexer::ToXapianDocument(f.docs[i++ % f.docs.size()].document, f.analyzer()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IndexDocument);

}  // namespace

BENCHMARK_MAIN();
