// Search-box completions (searchd/suggest.h) on the shipped corpus: the cost of one
// Complete() call per kind of prefix, and of building the index for a revision. Run:
// build/bench/suggest_bench (docs/benchmarks.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "corpus/loader.h"
#include "indexer/indexer.h"
#include "searchd/suggest.h"
#include "stemming/analysis.h"

namespace {

using namespace afori;

// The shipped corpus indexed once into a private temporary directory, as the tests do.
struct Fixture {
  Fixture() {
    auto analyzer = stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(AFORI_SOURCE_DIR));
    if (!analyzer.ok()) std::abort();
    std::string pattern = std::filesystem::temp_directory_path().string() + "/afori-bench-XXXXXX";
    dir = mkdtemp(pattern.data());
    const auto docs = corpus::LoadDocuments({AFORI_SOURCE_DIR "/corpus/data"}).documents;
    if (!indexer::BuildDatabase(dir + "/db", docs, **analyzer).ok()) std::abort();
    db = Xapian::Database(dir + "/db");
    index = searchd::SuggestIndex::FromDatabase(db);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
  std::string dir;
  Xapian::Database db;
  std::shared_ptr<const searchd::SuggestIndex> index;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // benchmark-process lifetime
  return *fixture;
}

// Short and long prefixes, one typed without its diacritics, and one of several words
// (the path that filters titles by the earlier words).
const std::vector<std::string> kTyped = {"upp", "innovationsupp", "forko", "el", "e",
                                         "förkommersiell upp"};

void BM_Complete(benchmark::State& state) {
  const Fixture& f = Shared();
  const std::string& typed = kTyped[static_cast<std::size_t>(state.range(0))];
  std::size_t returned = 0;
  for (auto _ : state) {
    auto suggestions = f.index->Complete(typed, searchd::kMaxSuggestions);
    returned = suggestions.size();
    benchmark::DoNotOptimize(suggestions);
  }
  state.SetLabel("'" + typed + "' -> " + std::to_string(returned));
  state.counters["memory_bytes"] = static_cast<double>(f.index->MemoryBytes());
}
BENCHMARK(BM_Complete)
    ->DenseRange(0, static_cast<int>(kTyped.size()) - 1)
    ->Unit(benchmark::kNanosecond);

// What a new index revision costs before its first completion (once per commit).
void BM_FromDatabase(benchmark::State& state) {
  const Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(searchd::SuggestIndex::FromDatabase(f.db));
  state.counters["documents"] = static_cast<double>(f.db.get_doccount());
}
BENCHMARK(BM_FromDatabase)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
