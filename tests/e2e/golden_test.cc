// Golden end-to-end test: fixture corpus -> indexer binary -> searchd binary -> HTTP query ->
// the ids a visitor should see.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/test_support.h"

namespace afori {
namespace {

using nlohmann::json;
using testing::TempDir;

// A child process with its stdout (and stderr) readable through a pipe.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (out_) fclose(out_);
  }

  // Next line of output, or "" at end of output.
  std::string ReadLine() {
    char buf[4096];
    return fgets(buf, sizeof buf, out_) ? std::string(buf) : std::string();
  }
  std::string ReadAll() {
    std::string all, line;
    while (!(line = ReadLine()).empty()) all += line;
    return all;
  }
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  void Signal(int sig) { kill(pid_, sig); }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

std::vector<std::string> Ids(const json& body) {
  std::vector<std::string> ids;
  for (const json& hit : body["hits"]) ids.push_back(hit["id"]);
  return ids;
}

TEST(GoldenTest, FixtureThroughIndexerAndSearchdGivesTheExpectedIds) {
  TempDir dir;
  const std::string db = dir.Join("db");
  Child indexer({AFORI_INDEXER_BIN, "build", "--input", testing::FixtureCorpusDir(),
                 testing::FixtureCorpusDir() + "/funding.jsonl", "--db", db});
  const std::string report = indexer.ReadAll();
  ASSERT_EQ(indexer.Wait(), 0) << report;
  EXPECT_NE(report.find("indexed 11 documents, rejected 0"), std::string::npos) << report;

  Child searchd({AFORI_SEARCHD_BIN, "--db", db, "--port", "0", "--threads", "2"});
  std::smatch m;
  std::string line;
  const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+)/)");
  while (!(line = searchd.ReadLine()).empty() && !std::regex_search(line, m, listening)) {
  }
  ASSERT_FALSE(m.empty()) << "searchd did not report a port";
  httplib::Client client("127.0.0.1", std::stoi(m[1]));

  struct Golden {
    std::string path;
    std::vector<std::string> ids;
  };
  const std::vector<Golden> golden = {
      {"/v1/search?q=elbussar", {"exempel-elbussar"}},
      {"/v1/search?q=skolm%C3%A5ltider%20matsvinn&limit=2",
       {"exempel-skolmat", "vagledning-matsvinn-i-storkok"}},
      {"/v1/search?q=sensorer", {"exempel-sensorer-hemtjanst", "finans-omsorg"}},
      {"/v1/search?q=upphandling&type=funding&region=Sk%C3%A5ne%20l%C3%A4n", {}},
      {"/v1/search?type=funding&funder=Fonden%20f%C3%B6r%20test",
       {"finans-omsorg", "finans-innovationsbidrag"}},
      {"/v1/search?q=FKU", {"vagledning-fku"}},
  };
  for (const Golden& g : golden) {
    auto res = client.Get(g.path);
    ASSERT_TRUE(res) << g.path;
    ASSERT_EQ(res->status, 200) << g.path << ": " << res->body;
    EXPECT_EQ(Ids(json::parse(res->body)), g.ids) << g.path;
  }
  auto doc = client.Get("/v1/documents/exempel-elbussar");
  ASSERT_TRUE(doc);
  EXPECT_EQ(json::parse(doc->body)["title"], "Elbussar i Älvstad");

  searchd.Signal(SIGTERM);
  EXPECT_EQ(searchd.Wait(), 0) << "searchd should stop cleanly on SIGTERM";
}

TEST(GoldenTest, IndexerReportsRejectedDocumentsAndExitsNonZero) {
  TempDir dir;
  const std::string bad = dir.Write(
      "bad.jsonl", R"({"id": "ok", "type": "guide", "title": "T", "body": "B"})" "\n"
                   R"({"id": "ok", "type": "guide", "title": "T", "body": "B"})" "\n"
                   R"({"id": "x", "type": "guide", "title": "T"})" "\n");
  Child indexer({AFORI_INDEXER_BIN, "build", "--input", bad, "--db", dir.Join("db")});
  const std::string out = indexer.ReadAll();
  EXPECT_EQ(indexer.Wait(), 1);
  EXPECT_NE(out.find(bad + ":2: ok: duplicate id, first defined at " + bad + ":1"), std::string::npos) << out;
  EXPECT_NE(out.find(bad + ":3: x: missing required field 'body'"), std::string::npos) << out;
  EXPECT_NE(out.find("indexed 1 documents, rejected 2"), std::string::npos) << out;
}

TEST(GoldenTest, UsageErrorsExitWithTwo) {
  Child no_args({AFORI_INDEXER_BIN});
  EXPECT_NE(no_args.ReadAll().find("usage: indexer build"), std::string::npos);
  EXPECT_EQ(no_args.Wait(), 2);
  Child bad_port({AFORI_SEARCHD_BIN, "--db", "x", "--port", "70000"});
  EXPECT_NE(bad_port.ReadAll().find("--port"), std::string::npos);
  EXPECT_EQ(bad_port.Wait(), 2);
}

TEST(GoldenTest, SearchdRefusesAMissingIndex) {
  TempDir dir;
  Child searchd({AFORI_SEARCHD_BIN, "--db", dir.Join("none"), "--port", "0"});
  EXPECT_NE(searchd.ReadAll().find("cannot open index"), std::string::npos);
  EXPECT_EQ(searchd.Wait(), 3);
}

}  // namespace
}  // namespace afori
