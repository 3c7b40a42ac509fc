// query_bench: a query file run in-process against an index, printed the way the peer
// harnesses in ../shared/peers print theirs, so that the figures sit side by side
// (docs/performance.md).
//
//   query_bench --db DIR --queries FILE [--rounds N] [--hits-out FILE] [--data-dir DIR]
//               [--describe N] [--strict]
//
// FILE is the peers' TSV: query id, an optional `type` filter, the query words. Every query
// runs the way the search box's API would serve it: all words required, top 10 with
// highlighted titles and snippets, exact counts over every facet. One warm-up pass (which
// writes --hits-out in the peers' hits.tsv format), then N rounds of the whole file on one
// thread, then on two threads each running the whole file with its own Database. Printed:
// p50_us= p95_us= p99_us= qps1= qps2= (medians of the rounds) and *_rounds= (every round).
// --describe N prints the Xapian queries of the first N lines instead, to see what is run.
// --strict matches only what the peers match: no compound parts, diacritic variants, typo
// corrections or synonyms (the totals should then equal theirs).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <xapian.h>

#include "searchd/search.h"
#include "searchd/word_cache_pool.h"
#include "stemming/analysis.h"
#include "stemming/query.h"
#include "stemming/synonyms.h"
#include "stemming/vocabulary.h"

namespace {

using namespace afori;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string db;
  std::string queries;
  std::string hits_out;
  std::string data_dir = AFORI_DATA_DIR;
  int rounds = 3;
  int describe = 0;
  bool strict = false;
};

struct Query {
  std::string id;
  std::string type;  // empty: no filter
  std::string words;
};

bool ParseOptions(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--strict") {
      options->strict = true;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (arg == "--db") {
      options->db = value;
    } else if (arg == "--queries") {
      options->queries = value;
    } else if (arg == "--hits-out") {
      options->hits_out = value;
    } else if (arg == "--data-dir") {
      options->data_dir = value;
    } else if (arg == "--describe") {
      options->describe = std::max(0, std::atoi(value.c_str()));
    } else if (arg == "--rounds") {
      options->rounds = std::max(1, std::atoi(value.c_str()));
    } else {
      return false;
    }
  }
  return !options->db.empty() && !options->queries.empty();
}

std::vector<Query> ReadQueries(const std::string& path) {
  std::vector<Query> queries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::istringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    fields.resize(3);
    queries.push_back({fields[0], fields[1], fields[2]});
  }
  return queries;
}

searchd::SearchRequest RequestFor(const Query& q) {
  searchd::SearchRequest request;
  request.query = q.words;
  request.require_all_words = true;
  request.limit = 10;
  if (!q.type.empty()) request.filters.push_back({"type", {q.type}});
  return request;
}

// One line of the peers' hits.tsv: total, top-10 ids, type counts, theme counts.
std::string HitsLine(const Query& q, const searchd::SearchResponse& r) {
  std::ostringstream out;
  out << q.id << '\t' << r.total << '\t';
  for (const searchd::SearchHit& hit : r.hits) out << hit.id << ',';
  for (const char* facet : {"type", "theme"}) {
    out << '\t';
    for (const searchd::FacetCounts& counts : r.facets) {
      if (counts.name != facet) continue;
      for (const searchd::FacetValueCount& v : counts.values) out << v.value << '=' << v.count << ',';
    }
  }
  return out.str();
}

// Everything a thread needs; Xapian::Database is not shared between threads.
struct Searcher {
  // Like a searchd worker, each thread keeps its highlighter's word analyses across searches
  // (NO_WORD_CACHE=1: none, as before).
  Searcher(const std::string& db_path, const searchd::SearchContext& shared)
      : db(db_path), context(shared) {
    if (!std::getenv("NO_WORD_CACHE")) context.word_cache = &words;
  }
  Searcher(const Searcher&) = delete;  // context points into words
  searchd::SearchResponse Run(const Query& q) {
    Result<searchd::SearchResponse> r = searchd::Search(db, context, RequestFor(q));
    if (!r.ok()) {
      std::cerr << "query_bench: query " << q.id << ": " << r.status().message() << "\n";
      std::exit(3);
    }
    return std::move(*r);
  }
  Xapian::Database db;
  stemming::WordCache words{searchd::WordCachePool::kDefaultMaxWords};
  searchd::SearchContext context;
};

double Percentile(std::vector<double> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  const std::size_t rank = static_cast<std::size_t>(std::ceil(p * sorted.size()));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void PrintMetric(const char* name, std::vector<double> rounds) {
  std::printf("%s_rounds=", name);
  for (double v : rounds) std::printf("%.0f ", v);
  std::sort(rounds.begin(), rounds.end());
  std::printf("\n%s=%.0f\n", name, rounds[(rounds.size() - 1) / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, &options)) {
    std::cerr << "usage: query_bench --db DIR --queries FILE [--rounds N] [--hits-out FILE]"
                 " [--data-dir DIR] [--describe N] [--strict]\n";
    return 2;
  }
  try {
    auto analyzer =
        stemming::Analyzer::Load(stemming::DefaultAnalysisConfig(options.data_dir));
    if (!analyzer.ok()) {
      std::cerr << "query_bench: " << analyzer.status().message() << "\n";
      return 3;
    }
    auto synonyms = stemming::SynonymTable::Load(options.data_dir + "/corpus/synonyms.txt",
                                                 (*analyzer)->StemFunction());
    if (!synonyms.ok()) {
      std::cerr << "query_bench: " << synonyms.status().message() << "\n";
      return 3;
    }
    const std::vector<Query> queries = ReadQueries(options.queries);
    if (queries.empty()) {
      std::cerr << "query_bench: no queries in " << options.queries << "\n";
      return 2;
    }
    const Xapian::Database opened(options.db);
    const auto vocabulary = stemming::Vocabulary::FromDatabase(opened);
    const Clock::time_point reading = Clock::now();
    const auto columns = searchd::FacetColumns::FromDatabase(opened);
    std::printf("facet_columns_ms=%.1f\nfacet_columns_bytes=%zu\n", SecondsSince(reading) * 1e3,
                columns->MemoryBytes());
    searchd::SearchContext context;
    context.facet_columns = std::getenv("NO_FACET_COLUMNS") ? nullptr : columns.get();
    context.analyzer = analyzer->get();
    context.vocabulary = vocabulary.get();
    context.synonyms = &*synonyms;
    if (options.strict) {
      context.query_options.fold_diacritics = false;
      context.query_options.typo_tolerance = false;
      context.query_options.synonyms = false;
      context.query_options.decompound = false;
    }

    Searcher main_searcher(options.db, context);
    if (options.describe > 0) {
      stemming::QueryOptions query_options = context.query_options;
      query_options.require_all_words = true;
      for (int i = 0; i < options.describe && i < static_cast<int>(queries.size()); ++i) {
        const stemming::BuiltQuery built = stemming::BuildQuery(
            queries[i].words, {context.analyzer, &main_searcher.db, context.vocabulary,
                               context.synonyms},
            query_options);
        std::printf("%s\t%s\t%s\n", queries[i].id.c_str(), queries[i].words.c_str(),
                    built.query.get_description().c_str());
      }
      return 0;
    }
    std::printf("docs=%u\nqueries=%zu\n", main_searcher.db.get_doccount(), queries.size());
    {
      std::ofstream hits;
      if (!options.hits_out.empty()) hits.open(options.hits_out);
      for (const Query& q : queries) {
        const searchd::SearchResponse r = main_searcher.Run(q);
        if (hits.is_open()) hits << HitsLine(q, r) << '\n';
      }
    }
    std::vector<double> p50, p95, p99, qps1, qps2;
    for (int round = 0; round < options.rounds; ++round) {
      std::vector<double> latencies_us;
      const Clock::time_point all = Clock::now();
      for (const Query& q : queries) {
        const Clock::time_point one = Clock::now();
        main_searcher.Run(q);
        latencies_us.push_back(SecondsSince(one) * 1e6);
      }
      qps1.push_back(queries.size() / SecondsSince(all));
      p50.push_back(Percentile(latencies_us, 0.50));
      p95.push_back(Percentile(latencies_us, 0.95));
      p99.push_back(Percentile(latencies_us, 0.99));

      const Clock::time_point both = Clock::now();
      std::vector<std::thread> threads;
      for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
          Searcher own(options.db, context);
          for (const Query& q : queries) own.Run(q);
        });
      }
      for (std::thread& t : threads) t.join();
      qps2.push_back(2 * queries.size() / SecondsSince(both));
    }
    PrintMetric("p50_us", p50);
    PrintMetric("p95_us", p95);
    PrintMetric("p99_us", p99);
    PrintMetric("qps1", qps1);
    PrintMetric("qps2", qps2);
    return 0;
  } catch (const Xapian::Error& e) {
    std::cerr << "query_bench: " << e.get_description() << "\n";
    return 3;
  }
}
