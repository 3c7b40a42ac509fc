// Hot-path benchmarks on the shipped corpus: query analysis, the whole Search() call per
// query class, and document indexing. Run: build/bench/search_bench (docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "searchd/search.h"
#include "stemming/analysis.h"

namespace {

using namespace afori;

// The shipped corpus indexed once into a private temporary directory.
struct Fixture {
  Fixture() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/afori-bench-XXXXXX";
    dir = mkdtemp(pattern.data());
    docs = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    if (!indexer::BuildDatabase(dir + "/db", docs, analyzer).ok()) std::abort();
    db = Xapian::Database(dir + "/db");
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  std::string dir;
  stemming::Analyzer analyzer;
  std::vector<corpus::LoadedDocument> docs;
  Xapian::Database db;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // benchmark-process lifetime
  return *fixture;
}

void BM_ParseQuery(benchmark::State& state) {
  stemming::Analyzer& analyzer = Shared().analyzer;
  for (auto _ : state) {
    Xapian::QueryParser qp;
    analyzer.ConfigureQueryParser(qp);
    benchmark::DoNotOptimize(
        qp.parse_query(analyzer.NormalizeQuery("Upphandlingar av elbussar med funktionskrav")));
  }
}
BENCHMARK(BM_ParseQuery);

void RunSearch(benchmark::State& state, searchd::SearchRequest request) {
  Fixture& f = Shared();
  for (auto _ : state) {
    Result<searchd::SearchResponse> r = searchd::Search(f.db, f.analyzer, request);
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
  Xapian::TermGenerator tg;
  f.analyzer.ConfigureIndexer(tg);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(indexer::ToXapianDocument(f.docs[i++ % f.docs.size()].document, tg));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IndexDocument);

}  // namespace

BENCHMARK_MAIN();
