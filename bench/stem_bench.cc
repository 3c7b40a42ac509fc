// Swedish stemming throughput: afori's Snowball 3 stemmer against Xapian's built-in Snowball
// "swedish" stemmer, over the whole Snowball reference vocabulary (30,738 words), in one run.
// Reports words/s (items_per_second) and input bytes/s. Run a Release/RelWithDebInfo build:
//   build/bench/stem_bench [--benchmark_repetitions=5]
// The word list is read from AFORI_STEM_BENCH_WORDS if set, else from the shared Snowball data.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "stemming/swedish_stemmer.h"

namespace {

struct WordList {
  std::vector<std::string> words;
  std::int64_t bytes = 0;
  std::string path;
};

const WordList& Words() {
  static const WordList* list = [] {
    auto* l = new WordList;  // benchmark-process lifetime
    const char* env = std::getenv("AFORI_STEM_BENCH_WORDS");
    l->path = env != nullptr ? env : AFORI_SHARED_DIR "/snowball/swedish/voc.txt";
    std::ifstream in(l->path);
    for (std::string word; std::getline(in, word);) {
      l->bytes += static_cast<std::int64_t>(word.size());
      l->words.push_back(std::move(word));
    }
    return l;
  }();
  return *list;
}

// Runs `stem` over every word once per iteration; the stems' lengths are summed so that the
// work can't be optimised away.
template <typename Stemmer>
void StemAll(benchmark::State& state, Stemmer&& stem) {
  const WordList& list = Words();
  if (list.words.empty()) {
    state.SkipWithError(("no words read from " + list.path).c_str());
    return;
  }
  std::size_t total = 0;
  for (auto _ : state) {
    for (const std::string& word : list.words) total += stem(word).size();
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(list.words.size()));
  state.SetBytesProcessed(state.iterations() * list.bytes);
  state.counters["words"] = static_cast<double>(list.words.size());
}

// The direct API, as the indexer's own code would call it.
void BM_AforiStemSwedish(benchmark::State& state) {
  StemAll(state, [](const std::string& word) { return afori::stemming::StemSwedish(word); });
}
BENCHMARK(BM_AforiStemSwedish);

// Ours behind Xapian::Stem, as TermGenerator and QueryParser call it: same call path and
// overhead as the built-in stemmer below, so this is the like-for-like comparison.
void BM_AforiViaXapianStem(benchmark::State& state) {
  const Xapian::Stem stem = afori::stemming::MakeSwedishStem();
  StemAll(state, [&stem](const std::string& word) { return stem(word); });
}
BENCHMARK(BM_AforiViaXapianStem);

// Xapian 1.4's built-in Snowball Swedish stemmer (pre-3.0 algorithm).
void BM_XapianBuiltinSwedish(benchmark::State& state) {
  const Xapian::Stem stem("swedish");
  StemAll(state, [&stem](const std::string& word) { return stem(word); });
}
BENCHMARK(BM_XapianBuiltinSwedish);

}  // namespace

BENCHMARK_MAIN();
