// admin_load: how fast editors' changes become searchable, against a running searchd.
//
//   admin_load --search http://127.0.0.1:8080 --admin http://127.0.0.1:8081 --token-file F
//              [--updates 100] [--batch 1000]
//
// 1. Visibility: `--updates` times, PUTs a document with a word of its own and polls
//    /v1/search for that word until it is found; the time from the PUT's 2xx (the commit) to
//    the first search that finds it, in ms (p50, max).
// 2. Single-document PUT throughput: `--updates` PUTs in a row, documents/s.
// 3. Batch throughput: one POST /v1/documents of `--batch` documents, documents/s.
// Prints key=value lines like the other harnesses (docs/reindexing.md). Not part of the tests.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string Document(const std::string& id, const std::string& word) {
  return nlohmann::json({{"id", id},
                         {"type", "guide"},
                         {"title", "Mätning " + word},
                         {"body", "Ett test av synlighet: " + word + " ska hittas direkt."}})
      .dump();
}

// A word no Swedish text has: letters only, unique per n.
std::string UniqueWord(int run, int n) {
  std::string w = "zq";
  for (int v = run * 100000 + n; v > 0; v /= 26) w += static_cast<char>('a' + v % 26);
  return w + "xv";
}

}  // namespace

int main(int argc, char** argv) {
  std::string search_url = "http://127.0.0.1:8080", admin_url = "http://127.0.0.1:8081", token_file;
  int updates = 100, batch = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--search") search_url = argv[i + 1];
    else if (arg == "--admin") admin_url = argv[i + 1];
    else if (arg == "--token-file") token_file = argv[i + 1];
    else if (arg == "--updates") updates = std::stoi(argv[i + 1]);
    else if (arg == "--batch") batch = std::stoi(argv[i + 1]);
  }
  std::string token;
  std::ifstream(token_file) >> token;
  httplib::Client search(search_url), admin(admin_url);
  admin.set_bearer_token_auth(token);
  const int run = static_cast<int>(std::chrono::system_clock::now().time_since_epoch().count() % 1000);

  std::vector<double> visible_ms;
  for (int n = 0; n < updates; ++n) {
    const std::string id = "matning-" + std::to_string(run) + "-" + std::to_string(n);
    const std::string word = UniqueWord(run, n);
    auto put = admin.Put("/v1/documents/" + id, Document(id, word), "application/json");
    if (!put || put->status != 200) {
      std::fprintf(stderr, "PUT failed: %s\n", put ? put->body.c_str() : "no answer");
      return 1;
    }
    const auto committed = Clock::now();
    while (true) {
      auto res = search.Get("/v1/search?limit=0&facets=&q=" + word);
      if (res && res->status == 200 && nlohmann::json::parse(res->body)["total"] == 1) break;
      if (Clock::now() - committed > std::chrono::seconds(5)) {
        std::fprintf(stderr, "%s not visible after 5 s\n", id.c_str());
        return 1;
      }
    }
    visible_ms.push_back(Ms(Clock::now() - committed));
  }
  std::sort(visible_ms.begin(), visible_ms.end());
  std::printf("visible_p50_ms=%.2f\nvisible_max_ms=%.2f\n", visible_ms[visible_ms.size() / 2],
              visible_ms.back());

  const auto puts_started = Clock::now();
  for (int n = 0; n < updates; ++n) {
    const std::string id = "matning-put-" + std::to_string(run) + "-" + std::to_string(n);
    auto put = admin.Put("/v1/documents/" + id, Document(id, UniqueWord(run + 1, n)), "application/json");
    if (!put || put->status != 200) return 1;
  }
  std::printf("put_docs_per_s=%.1f\n", updates / (Ms(Clock::now() - puts_started) / 1000.0));

  std::string body;
  for (int n = 0; n < batch; ++n) {
    const std::string id = "matning-batch-" + std::to_string(run) + "-" + std::to_string(n);
    body += Document(id, UniqueWord(run + 2, n)) + "\n";
  }
  const auto batch_started = Clock::now();
  auto post = admin.Post("/v1/documents", body, "application/x-ndjson");
  if (!post || post->status != 200) {
    std::fprintf(stderr, "batch failed: %s\n", post ? post->body.c_str() : "no answer");
    return 1;
  }
  std::printf("batch_docs_per_s=%.1f\n", batch / (Ms(Clock::now() - batch_started) / 1000.0));
  return 0;
}
