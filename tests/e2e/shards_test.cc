// Sharded indexes through the real binaries (docs/scaling.md): `indexer build --shards N`,
// searchd over the stub, over `--db` given per shard, and over shards behind real
// xapian-tcpsrv processes on loopback ports; the same answers as one index; a remote shard
// going down and coming back.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/percent_encode.h"
#include "common/shards.h"
#include "tests/test_support.h"

namespace afori {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;

int Exit(const std::string& command) { return testing::Shell(command).status; }

// A searchd over `dbs` (each passed as --db), answering on an ephemeral port.
struct Searchd {
  Searchd(const testing::TempDir& dir, const std::string& name, const std::vector<std::string>& dbs,
          const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{AFORI_SEARCHD_BIN, "--port", "0", "--web-root", "none",
                                  "--threads", "2", "--today", "2026-06-01"};
    for (const std::string& db : dbs) args.insert(args.end(), {"--db", db});
    args.insert(args.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(args, dir.Join(name + ".log"));
    port = std::stoi("0" + process->WaitFor(R"(listening on http://127\.0\.0\.1:(\d+)/)"));
  }
  json Get(const std::string& path, int* status = nullptr) const {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30);
    auto res = client.Get(path.c_str());
    if (status) *status = res ? res->status : -1;
    return res ? json::parse(res->body, nullptr, false) : json();
  }
  std::unique_ptr<ChildProcess> process;
  int port = 0;
};

// xapian-tcpsrv (Debian xapian-tools) serving `db` on a free loopback port.
struct TcpSrv {
  TcpSrv(const testing::TempDir& dir, const std::string& name, const std::string& db, int at = 0)
      : port(at ? at : testing::FreeLoopbackPort()) {
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{"xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                                 std::to_string(port), db},
        dir.Join(name + ".log"));
    listening = !process->WaitFor("Listening").empty();
  }
  std::unique_ptr<ChildProcess> process;
  int port;
  bool listening = false;
};

// Asserts that two searchds answer `path` alike: status, total, the ids in order, scores,
// facet counts (and a suggestion). A prefix query (`word*`, as_you_type) is compared on its
// total and facet counts only: Xapian expands a wildcard in each shard on its own and
// estimates the statistics of the expansion (OP_SYNONYM) per shard, so its scores, and with
// them the order, differ between one index and shards (docs/scaling.md).
void ExpectSameAnswer(const Searchd& a, const Searchd& b, const std::string& path) {
  const bool prefix = path.find("as_you_type=1") != std::string::npos ||
                      path.find("*") != std::string::npos || path.find("%2A") != std::string::npos;
  int sa = 0, sb = 0;
  const json ja = a.Get(path, &sa), jb = b.Get(path, &sb);
  ASSERT_EQ(sa, 200) << path << " " << ja.dump();
  ASSERT_EQ(sb, 200) << path << " " << jb.dump();
  if (ja.contains("total")) {
    EXPECT_EQ(ja["total"], jb["total"]) << path;
    ASSERT_EQ(ja["hits"].size(), jb["hits"].size()) << path;
    for (std::size_t i = 0; i < ja["hits"].size() && !prefix; ++i) {
      EXPECT_EQ(ja["hits"][i]["id"], jb["hits"][i]["id"]) << path << " hit " << i;
      const double score_a = ja["hits"][i].value("score", 0.0);
      const double score_b = jb["hits"][i].value("score", 0.0);
      EXPECT_NEAR(score_a, score_b, 1e-6 * std::max(1.0, std::abs(score_a))) << path << " " << i;
    }
    EXPECT_EQ(ja["suggestion"], jb["suggestion"]) << path;
  }
  if (ja.contains("facets")) {
    EXPECT_EQ(ja["facets"], jb["facets"]) << path;
  }
  if (ja.contains("suggestions")) {
    EXPECT_EQ(ja["suggestions"], jb["suggestions"]) << path;
  }
}

std::string IndexerBuild(const std::string& input, const std::string& db, int shards) {
  return std::string(AFORI_INDEXER_BIN) + " build --input " + input + " --db " + db +
         (shards > 1 ? " --shards " + std::to_string(shards) : "");
}

std::vector<std::string> ShardDirs(const std::string& db) {
  std::vector<std::string> dirs;
  const Result<std::vector<shards::Shard>> layout = shards::ReadShards(db);
  if (!layout.ok()) return dirs;
  for (const shards::Shard& s : layout.value()) dirs.push_back(s.path);
  return dirs;
}

const std::vector<std::string> kShippedQueries = {
    "/v1/search?q=upphandling",
    "/v1/search?q=upphandling&limit=10&offset=10",
    "/v1/search?q=innovationsupphandling&type=case",
    "/v1/search?q=elbussar&explain=1",
    "/v1/search?q=%22offentlig%20upphandling%22",
    "/v1/search?q=forkommersiell%20upphandlnig",
    "/v1/search?q=energi&sort=newest",
    "/v1/search?q=energi&sort=title",
    "/v1/search?q=innovationsupp&as_you_type=1",
    "/v1/search?theme=Energi&type=case&theme=Klimat",
    "/v1/search?limit=50",
    "/v1/search?sort=title&limit=50",
    "/v1/search?sort=deadline&type=funding&limit=50",
    "/v1/search?type=funding&status=open&sort=newest&limit=50",
    "/v1/search?q=-energi&limit=30",
    "/v1/facets?facet=organisation",
    "/v1/suggest?q=innovationsupp",
};

TEST(ShardsEndToEnd, OneIndexAndShardsAnswerAlikeOnTheShippedCorpus) {
  testing::TempDir dir;
  const std::string corpus = AFORI_SOURCE_DIR "/corpus/data";
  ASSERT_EQ(Exit(IndexerBuild(corpus, dir.Join("one"), 1)), 0);
  ASSERT_EQ(Exit(IndexerBuild(corpus, dir.Join("three"), 3)), 0);
  ASSERT_EQ(testing::XapianCheck(dir.Join("three")), 0);
  const Searchd one(dir, "one", {dir.Join("one")});
  const Searchd stub(dir, "stub", {dir.Join("three")});      // the link to the stub directory
  const Searchd listed(dir, "listed", ShardDirs(dir.Join("three")));  // --db per shard
  ASSERT_GT(one.port, 0);
  ASSERT_GT(stub.port, 0);
  ASSERT_GT(listed.port, 0);
  EXPECT_EQ(stub.Get("/healthz")["shards"], 3);
  EXPECT_EQ(stub.Get("/healthz")["documents"], 186);
  for (const std::string& path : kShippedQueries) {
    ExpectSameAnswer(one, stub, path);
    ExpectSameAnswer(one, listed, path);
  }
  // Updates reach the shard of the id and searchd sees them at once; the ETag, keyed by
  // every shard's uuid and revision, changes with a commit to any one shard.
  httplib::Client client("127.0.0.1", stub.port);
  const std::string etag = client.Get("/v1/search?q=upphandling")->get_header_value("ETag");
  EXPECT_FALSE(etag.empty());
  EXPECT_EQ(client.Get("/v1/search?q=upphandling")->get_header_value("ETag"), etag);
  ASSERT_EQ(Exit(std::string(AFORI_INDEXER_BIN) + " delete --db " + dir.Join("three") + " " +
                one.Get("/v1/search?q=upphandling")["hits"][0]["id"].get<std::string>()),
            0);
  EXPECT_EQ(stub.Get("/healthz")["documents"], 185);
  EXPECT_NE(client.Get("/v1/search?q=upphandling")->get_header_value("ETag"), etag);
}

// A shard behind xapian-tcpsrv is killed and restarted: searchd keeps serving, names it,
// gives partial results when asked, and takes it back without a restart.
TEST(ShardsEndToEnd, ARemoteShardGoesDownAndComesBack) {
  testing::TempDir dir;
  ASSERT_EQ(Exit(IndexerBuild(AFORI_SOURCE_DIR "/corpus/data", dir.Join("two"), 2)), 0);
  const std::vector<std::string> shard_dirs = ShardDirs(dir.Join("two"));
  auto server = std::make_unique<TcpSrv>(dir, "tcpsrv1", shard_dirs[1]);
  ASSERT_TRUE(server->listening);
  const int port = server->port;
  const std::string remote = "127.0.0.1:" + std::to_string(port);
  dir.Write("mixed/XAPIANDB", "auto " + shard_dirs[0] + "\nremote " + remote + "\n");
  const Searchd searchd(dir, "searchd", {dir.Join("mixed")},
                        {"--shard-retry-ms", "200", "--remote-timeout-ms", "3000",
                         "--remote-connect-timeout-ms", "1000"});
  ASSERT_GT(searchd.port, 0);
  const Xapian::Database local(shard_dirs[0]), far(shard_dirs[1]);
  const std::string remote_id =
      json::parse(far.get_document(*far.postlist_begin("")).get_data())["id"];
  int status = 0;
  json health = searchd.Get("/healthz");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["documents"], 186);  // counted through the remote backend
  searchd.Get("/v1/documents/" + remote_id, &status);
  EXPECT_EQ(status, 200);  // read from the remote shard
  // Xapian 1.4's xapian-tcpsrv cannot run the engine's ranking, facets and sort keys.
  json refused = searchd.Get("/v1/search?q=upphandling", &status);
  EXPECT_EQ(status, 500);
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("remote shards is not supported"),
            std::string::npos);

  server.reset();  // SIGKILL to the server and the child serving our connections
  health = searchd.Get("/healthz", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(health["status"], "degraded");
  EXPECT_EQ(health["missing_shards"], json::array({remote}));
  EXPECT_EQ(health["documents"], local.get_doccount());
  json down = searchd.Get("/v1/search?q=upphandling", &status);
  EXPECT_EQ(status, 503) << down.dump();
  EXPECT_EQ(down["error"]["code"], "unavailable");
  EXPECT_NE(down["error"]["message"].get<std::string>().find(remote), std::string::npos);
  json partial = searchd.Get("/v1/search?q=upphandling&partial=1&limit=100", &status);
  ASSERT_EQ(status, 200) << partial.dump();
  EXPECT_EQ(partial["partial"], true);
  EXPECT_EQ(partial["missing_shards"], json::array({remote}));
  EXPECT_GT(partial["total"].get<int>(), 0);
  for (const json& hit : partial["hits"]) {
    EXPECT_EQ(shards::ShardOf(hit["id"].get<std::string>(), 2), 0u) << hit["id"];
  }
  searchd.Get("/v1/documents/" + remote_id, &status);
  EXPECT_EQ(status, 503);  // not 404: it may well be on the missing shard

  server = std::make_unique<TcpSrv>(dir, "tcpsrv2", shard_dirs[1], port);
  ASSERT_TRUE(server->listening);
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    back = searchd.Get("/healthz")["status"] == "ok";
  }
  EXPECT_TRUE(back) << "searchd did not take the shard back";
  EXPECT_EQ(searchd.Get("/healthz")["documents"], 186);
  searchd.Get("/v1/documents/" + remote_id, &status);
  EXPECT_EQ(status, 200);
}

// A read replica kept in step with xapian-replicate-server / xapian-replicate (docs/scaling.md):
// searchd on the replica follows changesets applied in place and the full copy a rebuild of
// the master brings (the replica's stub then names a new directory), without a restart.
TEST(ShardsEndToEnd, SearchdOnAReplicaFollowsTheMaster) {
  testing::TempDir dir;
  const std::string corpus = AFORI_SOURCE_DIR "/corpus/data";
  const std::string master = dir.Join("master/index"), replica = dir.Join("replica");
  ASSERT_EQ(Exit(IndexerBuild(corpus, master, 1)), 0);
  const int port = testing::FreeLoopbackPort();
  ChildProcess server({"xapian-replicate-server", "-I", "127.0.0.1", "-p", std::to_string(port),
                       dir.Join("master")},
                      dir.Join("replicate-server.log"));
  auto replicate = [&] {
    int status = -1;
    for (int i = 0; i < 50 && status != 0; ++i) {
      if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      status = Exit("xapian-replicate -q -o -h 127.0.0.1 -p " + std::to_string(port) +
                    " -m index " + replica);
    }
    return status;
  };
  ASSERT_EQ(replicate(), 0);
  const Searchd searchd(dir, "replica", {replica});
  ASSERT_GT(searchd.port, 0);
  EXPECT_EQ(searchd.Get("/healthz")["documents"], 186);
  const std::string first = searchd.Get("/v1/search?q=upphandling")["hits"][0]["id"];

  // An update on the master, written with changesets, applied to the replica in place.
  ASSERT_EQ(Exit("XAPIAN_MAX_CHANGESETS=10 " + std::string(AFORI_INDEXER_BIN) + " delete --db " +
                 master + " " + first),
            0);
  ASSERT_EQ(replicate(), 0);
  EXPECT_EQ(searchd.Get("/healthz")["documents"], 185);
  EXPECT_NE(searchd.Get("/v1/search?q=upphandling")["hits"][0]["id"], first);

  // A full rebuild of the master is a new database: the replica gets a full copy.
  ASSERT_EQ(Exit(IndexerBuild(corpus, master, 1)), 0);
  ASSERT_EQ(replicate(), 0);
  EXPECT_EQ(searchd.Get("/healthz")["documents"], 186);
  EXPECT_EQ(searchd.Get("/v1/search?q=upphandling")["hits"][0]["id"], first);
}

#ifdef AFORI_GEN_CORPUS_BIN
// 20,000 generated documents, one index against four shards: the queries of the generator's
// query set and every listing order give the same ids, totals, scores and facet counts.
// Then two of the four shards behind xapian-tcpsrv: the combined index counts and serves
// documents through them.
TEST(ShardsEndToEnd, TwentyThousandGeneratedDocumentsOnFourShards) {
  testing::TempDir dir;
  const std::string corpus = dir.Join("c20k.jsonl"), queries = dir.Join("q.tsv");
  ASSERT_EQ(Exit(std::string(AFORI_GEN_CORPUS_BIN) + " --docs 20000 --out " + corpus +
                " --queries 40 --queries-out " + queries + " --domain " AFORI_SOURCE_DIR
                "/corpus/data"),
            0);
  ASSERT_EQ(Exit(IndexerBuild(corpus, dir.Join("one"), 1)), 0);
  ASSERT_EQ(Exit(IndexerBuild(corpus, dir.Join("four"), 4)), 0);
  const Searchd one(dir, "one", {dir.Join("one")});
  const Searchd four(dir, "four", {dir.Join("four")});
  ASSERT_GT(one.port, 0);
  ASSERT_GT(four.port, 0);
  EXPECT_EQ(four.Get("/healthz")["documents"], 20000);

  std::vector<std::string> paths = {"/v1/search?limit=50", "/v1/search?sort=title&limit=50",
                                    "/v1/search?sort=deadline&type=funding&limit=50",
                                    "/v1/search?sort=newest&limit=50&offset=500"};
  std::ifstream in(queries);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    if (cols.size() < 3) continue;
    std::string path = "/v1/search?limit=20&q=" + PercentEncode(cols[2]) +
                       (cols[1] == "prefix" ? "&as_you_type=1" : "");
    if (cols.size() > 3 && !cols[3].empty()) {
      std::stringstream params(cols[3]);
      for (std::string kv; std::getline(params, kv, '&');) {
        const std::size_t eq = kv.find('=');
        path += "&" + kv.substr(0, eq) + "=" + PercentEncode(kv.substr(eq + 1));
      }
    }
    paths.push_back(path);
  }
  ASSERT_GT(paths.size(), 30u);
  for (const std::string& path : paths) ExpectSameAnswer(one, four, path);

  const std::vector<std::string> shard_dirs = ShardDirs(dir.Join("four"));
  TcpSrv s2(dir, "tcpsrv-2", shard_dirs[2]), s3(dir, "tcpsrv-3", shard_dirs[3]);
  ASSERT_TRUE(s2.listening && s3.listening);
  dir.Write("mixed/XAPIANDB", "auto " + shard_dirs[0] + "\nauto " + shard_dirs[1] +
                                  "\nremote 127.0.0.1:" + std::to_string(s2.port) +
                                  "\nremote 127.0.0.1:" + std::to_string(s3.port) + "\n");
  const Searchd mixed(dir, "mixed", {dir.Join("mixed")});
  ASSERT_GT(mixed.port, 0);
  const json health = mixed.Get("/healthz");
  EXPECT_EQ(health["documents"], 20000);
  EXPECT_EQ(health["shards"], 4);
  EXPECT_EQ(health["missing_shards"], json::array());
  // Kept in a variable: a range-for over a member of a temporary reads freed memory (the
  // temporary dies before the loop; ASan caught it here).
  const json listed = one.Get("/v1/search?limit=40");
  ASSERT_EQ(listed["hits"].size(), 40u);
  for (const json& hit : listed["hits"]) {
    int status = 0;
    const json doc = mixed.Get("/v1/documents/" + hit["id"].get<std::string>(), &status);
    EXPECT_EQ(status, 200);
    EXPECT_EQ(doc["id"], hit["id"]);
  }
}
#endif

}  // namespace
}  // namespace afori
