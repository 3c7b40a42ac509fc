// Typo-tolerance benchmarks: FuzzyLexicon (stemming/fuzzy.h) on the Swedish word list of the
// Debian package wswedish, against brute-force scans measured in the same run, plus
// construction time and memory. Run: build/bench/fuzzy_bench (docs/benchmarks.md).
//
// Vocabularies (first argument): 0 = the word list, lowercased (about 121k words);
// 1 = the same plus deterministic two-word compounds up to 200,000 words, the size the
// matcher is specified for. The second argument of the Find benchmarks is the distance.
// Each iteration looks up one query, cycling through a fixed set of misspellings.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "stemming/fuzzy.h"

namespace {

using afori::stemming::EditDistance;
using afori::stemming::FuzzyLexicon;

constexpr const char* kWordList = "/usr/share/dict/swedish";  // ISO-8859-1, one word a line
constexpr std::size_t kExtendedSize = 200000;

// One or two typos each, 5 to 11 letters, all of them misspelt dictionary words.
const std::vector<std::string> kQueries = {"upphandlnig", "leverantor", "kommmun",     "innovatoin",
                                           "hållbarhte",  "utvärderng", "miljo",       "samarbte",
                                           "offentilg",   "sjukhsu",    "kommunerrna", "avtall",
                                           "uphandlnig",  "leveratnör", "anbdu",       "ofentlgi"};

// Latin-1 letters are their own code points, which makes the UTF-8 conversion trivial and
// gives the brute-force baseline its decoded form for free.
std::string ToUtf8(const std::u32string& word) {
  std::string out;
  for (char32_t c : word) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::vector<std::u32string> ReadWordList() {
  std::ifstream in(kWordList, std::ios::binary);
  std::unordered_set<std::u32string> seen;
  std::vector<std::u32string> words;
  for (std::string line; std::getline(in, line);) {
    std::u32string word;
    for (unsigned char c : line) {
      const bool upper = (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
      word += static_cast<char32_t>(upper ? c + 0x20 : c);
    }
    if (!word.empty() && seen.insert(word).second) words.push_back(std::move(word));
  }
  return words;
}

struct Vocabulary {
  std::vector<std::u32string> decoded;
  std::vector<FuzzyLexicon::Entry> entries;
  FuzzyLexicon lexicon;
};

Vocabulary* MakeVocabulary(bool extended) {
  auto* v = new Vocabulary();
  v->decoded = ReadWordList();
  if (v->decoded.empty()) {
    std::fprintf(stderr, "%s missing or empty (apt-get install wswedish)\n", kWordList);
    std::exit(1);
  }
  std::mt19937 rng(121426);
  if (extended) {
    std::unordered_set<std::u32string> seen(v->decoded.begin(), v->decoded.end());
    const std::size_t base = v->decoded.size();
    std::uniform_int_distribution<std::size_t> pick(0, base - 1);
    while (v->decoded.size() < kExtendedSize) {
      const std::u32string& head = v->decoded[pick(rng)];
      if (head.size() < 3 || head.size() > 10) continue;
      std::u32string compound = head + v->decoded[pick(rng)];
      if (seen.insert(compound).second) v->decoded.push_back(std::move(compound));
    }
  }
  std::uniform_int_distribution<std::uint32_t> frequency(1, 1000);
  for (const std::u32string& word : v->decoded) {
    v->entries.push_back({ToUtf8(word), frequency(rng)});
  }
  v->lexicon = FuzzyLexicon(v->entries);
  return v;
}

Vocabulary& Shared(std::int64_t which) {
  static Vocabulary* dictionary = MakeVocabulary(false);  // benchmark-process lifetime
  if (which == 0) return *dictionary;
  static Vocabulary* extended = MakeVocabulary(true);
  return *extended;
}

std::u32string Latin1(const std::string& utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += c;
    } else {
      out += static_cast<char32_t>(((c & 0x1F) << 6) | (utf8[++i] & 0x3F));
    }
  }
  return out;
}

// The baseline a first implementation would write: every word, a length filter, the full
// optimal-string-alignment table with an early exit once a row exceeds the distance.
unsigned BoundedOsa(const std::u32string& a, const std::u32string& b, unsigned k,
                    std::vector<unsigned> rows[3]) {
  const std::size_t n = b.size();
  for (auto* r = rows; r != rows + 3; ++r) r->assign(n + 1, 0);
  std::iota(rows[1].begin(), rows[1].end(), 0u);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::vector<unsigned>& before = rows[(i + 2) % 3];
    std::vector<unsigned>& previous = rows[i % 3];
    std::vector<unsigned>& current = rows[(i + 1) % 3];
    current[0] = static_cast<unsigned>(i);
    unsigned smallest = current[0];
    for (std::size_t j = 1; j <= n; ++j) {
      unsigned cell = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1] ? 1 : 0)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cell = std::min(cell, before[j - 2] + 1);
      }
      current[j] = cell;
      smallest = std::min(smallest, cell);
    }
    if (smallest > k) return k + 1;
  }
  return rows[(a.size() + 1) % 3][n];
}

void BM_Build(benchmark::State& state) {
  Vocabulary& v = Shared(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<FuzzyLexicon::Entry> entries = v.entries;
    state.ResumeTiming();
    FuzzyLexicon lexicon(std::move(entries));
    benchmark::DoNotOptimize(lexicon);
  }
  state.counters["words"] = static_cast<double>(v.lexicon.size());
  state.counters["MiB"] = static_cast<double>(v.lexicon.MemoryBytes()) / (1 << 20);
  state.counters["bytes_per_word"] =
      static_cast<double>(v.lexicon.MemoryBytes()) / static_cast<double>(v.lexicon.size());
}
BENCHMARK(BM_Build)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Find(benchmark::State& state) {
  const FuzzyLexicon& lexicon = Shared(state.range(0)).lexicon;
  const auto distance = static_cast<unsigned>(state.range(1));
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    std::vector<FuzzyLexicon::Match> found =
        lexicon.Find(kQueries[i++ % kQueries.size()], distance, SIZE_MAX);
    matches += found.size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["matches"] = static_cast<double>(matches) / static_cast<double>(i);
}
BENCHMARK(BM_Find)->ArgsProduct({{0, 1}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);

// Pre-decoded words; only the table work is timed.
void BM_BruteForce(benchmark::State& state) {
  const Vocabulary& v = Shared(state.range(0));
  const auto distance = static_cast<unsigned>(state.range(1));
  std::vector<std::u32string> queries;
  for (const std::string& q : kQueries) queries.push_back(Latin1(q));
  std::vector<unsigned> rows[3];
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    const std::u32string& query = queries[i++ % queries.size()];
    for (const std::u32string& word : v.decoded) {
      const std::size_t gap =
          word.size() > query.size() ? word.size() - query.size() : query.size() - word.size();
      if (gap <= distance && BoundedOsa(query, word, distance, rows) <= distance) ++matches;
    }
  }
  state.counters["matches"] = static_cast<double>(matches) / static_cast<double>(i);
}
BENCHMARK(BM_BruteForce)->ArgsProduct({{0, 1}, {1, 2}})->Unit(benchmark::kMillisecond);

// The public EditDistance on every word, as the tests' reference scan does.
void BM_BruteForceEditDistance(benchmark::State& state) {
  const Vocabulary& v = Shared(state.range(0));
  const auto distance = static_cast<unsigned>(state.range(1));
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    const std::string& query = kQueries[i++ % kQueries.size()];
    for (const FuzzyLexicon::Entry& entry : v.entries) {
      if (EditDistance(query, entry.word) <= distance) ++matches;
    }
  }
  state.counters["matches"] = static_cast<double>(matches) / static_cast<double>(i);
}
BENCHMARK(BM_BruteForceEditDistance)->Args({0, 1})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
