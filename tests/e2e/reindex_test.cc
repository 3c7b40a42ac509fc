// Editors' reindexing through the real binaries: searchd keeps answering during full rebuilds
// and follows the switch; a change acknowledged by the admin API survives SIGKILL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/test_support.h"

namespace afori {
namespace {

using nlohmann::json;

constexpr const char* kToken = "e2e-admin-token-0123456789";

using testing::ChildProcess;

int Exit(const std::string& command) { return testing::Shell(command).status; }

class ReindexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_file_ = dir_.Write("token", std::string(kToken) + "\n");
    ASSERT_EQ(Exit(std::string(AFORI_INDEXER_BIN) + " build --input " AFORI_SOURCE_DIR
                  "/corpus/data --db " + link()), 0);
  }
  std::string link() const { return dir_.Join("index"); }

  std::unique_ptr<ChildProcess> StartSearchd(const std::string& log) {
    auto p = std::make_unique<ChildProcess>(
        std::vector<std::string>{AFORI_SEARCHD_BIN, "--db", link(), "--port", "0",
                                 "--admin-port", "0", "--admin-token-file", token_file_,
                                 "--web-root", "none", "--threads", "4"},
        dir_.Join(log));
    port_ = std::stoi("0" + p->WaitFor(R"(listening on http://127\.0\.0\.1:(\d+)/)"));
    admin_port_ = std::stoi("0" + p->WaitFor(R"(admin API on http://127\.0\.0\.1:(\d+)/)"));
    return p;
  }

  testing::TempDir dir_;
  std::string token_file_;
  int port_ = 0, admin_port_ = 0;
};

TEST_F(ReindexTest, QueriesNeverFailDuringFullRebuildsAndSearchdFollowsTheSwitch) {
  auto searchd = StartSearchd("searchd.log");
  ASSERT_GT(port_, 0);
  httplib::Client probe("127.0.0.1", port_);
  const std::uint64_t revision_before = json::parse(probe.Get("/healthz")->body)["revision"];
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0}, errors{0}, empty{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 3; ++t) {
    clients.emplace_back([&] {
      httplib::Client c("127.0.0.1", port_);
      c.set_read_timeout(10);
      while (!stop) {
        auto res = c.Get("/v1/search?q=upphandling&limit=3");
        ++requests;
        if (!res || res->status != 200) {
          ++errors;
        } else if (json::parse(res->body)["total"] == 0) {
          ++empty;
        }
      }
    });
  }
  for (int rebuild = 0; rebuild < 3; ++rebuild) {
    EXPECT_EQ(Exit(std::string(AFORI_INDEXER_BIN) + " build --input " AFORI_SOURCE_DIR
                  "/corpus/data --db " + link()), 0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& c : clients) c.join();
  EXPECT_GT(requests.load(), 50);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(empty.load(), 0) << "a query that must always match found nothing";
  // The switched index is what searchd reads now (a new directory: a new revision counter).
  const json health = json::parse(probe.Get("/healthz")->body);
  EXPECT_EQ(health["documents"], 186);
  (void)revision_before;
  EXPECT_EQ(Exit("xapian-check " + link()), 0);
}

TEST_F(ReindexTest, AnAcknowledgedChangeSurvivesSigkill) {
  auto searchd = StartSearchd("searchd1.log");
  ASSERT_GT(admin_port_, 0);
  httplib::Client admin("127.0.0.1", admin_port_);
  admin.set_bearer_token_auth(kToken);
  const std::string doc = json({{"id", "overlever-sigkill"}, {"type", "case"},
                                {"title", "Robusta vätgasbussar"}, {"body", "Text om vätgasbussar."}})
                              .dump();
  auto put = admin.Put("/v1/documents/overlever-sigkill", doc, "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  searchd->Kill(SIGKILL);  // right after the answer
  searchd->Wait();
  EXPECT_EQ(Exit("xapian-check " + link()), 0);
  auto again = StartSearchd("searchd2.log");
  httplib::Client search("127.0.0.1", port_);
  auto res = search.Get("/v1/search?q=v%C3%A4tgasbussar");
  ASSERT_TRUE(res);
  const json body = json::parse(res->body);
  ASSERT_GE(body["total"], 1);
  EXPECT_EQ(body["hits"][0]["id"], "overlever-sigkill");  // the title matches: first
  EXPECT_EQ(search.Get("/v1/documents/overlever-sigkill")->status, 200);
}

TEST_F(ReindexTest, AdminApiListensOnLoopbackByDefaultAndNeedsTheTokenFile) {
  ChildProcess no_token({AFORI_SEARCHD_BIN, "--db", link(), "--port", "0", "--admin-token-file",
                    dir_.Join("missing"), "--web-root", "none"},
                   dir_.Join("no-token.log"));
  EXPECT_EQ(no_token.Wait(), 3);
  auto searchd = StartSearchd("searchd3.log");
  EXPECT_GT(admin_port_, 0);  // announced as http://127.0.0.1:PORT/
}

}  // namespace
}  // namespace afori
