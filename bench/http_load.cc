// http_load: search throughput and latency against a running searchd (docs/scaling.md).
//
//   http_load --url http://127.0.0.1:8080 --queries q.tsv [--clients 4] [--seconds 20]
//             [--format generator|peers] [--route search|suggest] [--keep-alive]
//
// Each client thread sends GET requests, one after the other, cycling through a query file,
// each client starting at its own offset. --format generator (the default) reads
// bench/gen_corpus's file (id, class, words, filters; "prefix" queries are sent with
// as_you_type=1); --format peers reads ../shared/peers' file (id, type filter, words), sent
// with all_words=1 like bench/query_bench runs it (docs/performance.md). --route suggest
// sends each query's first word, cut to its first four letters, to /v1/suggest instead, as a
// visitor typing would. --keep-alive sends each client's requests over one connection, as
// browsers and proxies do; without it every request opens a new one. Prints key=value lines: requests, errors (non-200), queries_per_s,
// and latency p50/p95/p99/max in ms. Not part of the tests.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "common/percent_encode.h"
#include "common/utf8.h"

namespace {

using Clock = std::chrono::steady_clock;

// The first word of `words`, cut to at most four code points: what a visitor has typed.
std::string TypedPrefix(const std::string& words) {
  return std::string(afori::Utf8Prefix(std::string_view(words).substr(0, words.find(' ')), 4));
}

std::vector<std::string> ReadQueries(const std::string& file, bool peers_format, bool suggest) {
  std::vector<std::string> paths;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    if (cols.size() < 2) continue;
    const std::string words = cols.size() > 2 ? cols[2] : "";
    if (suggest) {
      if (!words.empty()) paths.push_back("/v1/suggest?q=" + afori::PercentEncode(TypedPrefix(words)));
      continue;
    }
    if (peers_format) {
      std::string path = "/v1/search?limit=10&all_words=1&q=" + afori::PercentEncode(words);
      if (!cols[1].empty()) path += "&type=" + afori::PercentEncode(cols[1]);
      paths.push_back(path);
      continue;
    }
    std::string path = "/v1/search?limit=10";
    if (cols.size() > 2 && !cols[2].empty()) path += "&q=" + afori::PercentEncode(cols[2]);
    if (cols[1] == "prefix") path += "&as_you_type=1";
    if (cols.size() > 3 && !cols[3].empty()) {
      std::stringstream params(cols[3]);
      for (std::string kv; std::getline(params, kv, '&');) {
        const std::size_t eq = kv.find('=');
        if (eq != std::string::npos) path += "&" + kv.substr(0, eq) + "=" + afori::PercentEncode(kv.substr(eq + 1));
      }
    }
    paths.push_back(path);
  }
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, queries_file;
  int clients = 4;
  double seconds = 20;
  std::string format = "generator", route = "search";
  bool keep_alive = false;
  for (int i = 1; i < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--keep-alive") {
      keep_alive = true;
      --i;  // a flag: no value follows
      continue;
    }
    if (i + 1 >= argc) break;
    if (arg == "--url") url = argv[i + 1];
    else if (arg == "--queries") queries_file = argv[i + 1];
    else if (arg == "--clients") clients = std::max(1, std::atoi(argv[i + 1]));
    else if (arg == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (arg == "--format") format = argv[i + 1];
    else if (arg == "--route") route = argv[i + 1];
  }
  const bool known = (format == "generator" || format == "peers") &&
                     (route == "search" || route == "suggest");
  const std::vector<std::string> paths =
      known ? ReadQueries(queries_file, format == "peers", route == "suggest")
            : std::vector<std::string>{};
  if (url.empty() || paths.empty()) {
    std::fprintf(stderr,
                 "usage: http_load --url URL --queries q.tsv [--clients N] [--seconds S]"
                 " [--format generator|peers] [--route search|suggest] [--keep-alive]\n");
    return 2;
  }
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<long> errors{0};
  const Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  const Clock::time_point started = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client(url);
      client.set_read_timeout(60);
      client.set_keep_alive(keep_alive);
      std::vector<double> mine;
      for (std::size_t i = c * paths.size() / clients; Clock::now() < end; ++i) {
        const Clock::time_point t0 = Clock::now();
        auto res = client.Get(paths[i % paths.size()].c_str());
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!res || res->status != 200) ++errors;
      }
      std::lock_guard lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? 0.0 : latencies[std::min(latencies.size() - 1,
                                                        static_cast<std::size_t>(p * latencies.size()))];
  };
  std::printf("requests=%zu\nerrors=%ld\nqueries_per_s=%.1f\n", latencies.size(), errors.load(),
              latencies.size() / elapsed);
  std::printf("p50_ms=%.2f\np95_ms=%.2f\np99_ms=%.2f\nmax_ms=%.2f\n", pct(0.50), pct(0.95),
              pct(0.99), latencies.empty() ? 0.0 : latencies.back());
  return 0;
}
