// searchd under faults, through the real binary: the index disappearing and coming back
// while it runs, and SIGTERM with a request in flight.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace afori {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::ChildProcess;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class SearchdFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::Shell(std::string(AFORI_INDEXER_BIN) + " build --input " +
                             testing::FixtureCorpusDir() + " --db " + link())
                  .status,
              0);
    searchd_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{AFORI_SEARCHD_BIN, "--db", link(), "--port", "0",
                                 "--web-root", "none", "--threads", "2"},
        dir_.Join("searchd.log"));
    port_ = std::stoi("0" + searchd_->WaitFor(R"(listening on http://127\.0\.0\.1:(\d+)/)"));
    ASSERT_GT(port_, 0);
  }
  std::string link() const { return dir_.Join("index"); }

  httplib::Result Get(const std::string& path) {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(10);
    return client.Get(path);
  }

  testing::TempDir dir_;
  std::unique_ptr<ChildProcess> searchd_;
  int port_ = 0;
};

TEST_F(SearchdFaultsTest, AnIndexThatGoesAwayIs503UntilItComesBack) {
  auto ok = Get("/v1/search?q=upphandling");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200);
  const json before = json::parse(ok->body);

  fs::rename(link(), dir_.Join("away"));
  for (const std::string path : {"/v1/search?q=upphandling", "/v1/search?q=energi", "/healthz"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 503) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Retry-After"), "1");
    const json body = json::parse(res->body, nullptr, false);
    EXPECT_EQ(body["error"]["code"], "unavailable") << res->body;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(link()), std::string::npos);
  }
  auto meili = Get("/indexes/kunskapsbank/search?q=energi");
  ASSERT_TRUE(meili);
  EXPECT_EQ(meili->status, 503);
  EXPECT_EQ(json::parse(meili->body)["code"], "unavailable");

  fs::rename(dir_.Join("away"), link());
  auto back = Get("/v1/search?q=upphandling");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, 200);
  EXPECT_EQ(json::parse(back->body)["total"], before["total"]);
}

TEST_F(SearchdFaultsTest, SigtermFinishesTheRequestInFlightThenExitsZero) {
  // A request whose body is still being sent when SIGTERM arrives.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string body = R"({"q": "upphandling", "limit": 1})";
  const std::string head = "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Connection: close\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n";
  ASSERT_GT(send(fd, head.data(), head.size(), MSG_NOSIGNAL), 0);
  ASSERT_GT(send(fd, body.data(), 5, MSG_NOSIGNAL), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the server is reading it

  searchd_->Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // No new connections are taken...
  httplib::Client late("127.0.0.1", port_);
  late.set_connection_timeout(1);
  auto refused = late.Get("/healthz");
  EXPECT_FALSE(refused && refused->status == 200) << "still accepting after SIGTERM";
  // ...but the one in flight is answered.
  ASSERT_GT(send(fd, body.data() + 5, body.size() - 5, MSG_NOSIGNAL), 0);
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<std::size_t>(n));
  close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("\"total\""), std::string::npos) << response;
  EXPECT_EQ(searchd_->Wait(), 0);
}

// A signal while searchd opens and prepares the index (its derived state: a minute at
// 1,000,000 documents) or binds must stop it as one while it serves does. Such a signal
// once came before the server listened, its one Stop() did nothing, and searchd served on
// (13 of 20 trials like these). Signals at moments spread over the start-up.
TEST_F(SearchdFaultsTest, SigtermDuringStartUpStopsSearchd) {
  for (int trial = 0; trial < 20; ++trial) {
    ChildProcess starting({AFORI_SEARCHD_BIN, "--db", link(), "--port", "0", "--web-root", "none",
                           "--threads", "2"},
                          dir_.Join("start-" + std::to_string(trial) + ".log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * trial));
    starting.Signal(SIGTERM);
    bool ended = false;
    for (int i = 0; i < 600 && !ended; ++i) {  // 30 s
      ended = !starting.Running();
      if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(ended) << "searchd kept running after a SIGTERM at start-up, trial " << trial;
    // 0 once its handler is installed; before that (the first milliseconds) the signal's
    // default action ends it.
    const int status = starting.Wait();
    EXPECT_TRUE(status == 0 || status == -SIGTERM) << "trial " << trial << ": " << status;
  }
}

// An index searchd may not read, as an unprivileged user (root reads any file: as root the
// test runs searchd as nobody, through setpriv from util-linux): refused at start with the
// reason, and while running 503 naming the index until it is readable again.
TEST(SearchdPermissionsTest, AnUnreadableIndexIsRefusedAtStartAnd503WhileRunning) {
  testing::TempDir dir;
  fs::permissions(dir.path(), fs::perms::others_read | fs::perms::others_exec,
                  fs::perm_options::add);  // nobody must reach the index inside
  ASSERT_EQ(testing::Shell(std::string(AFORI_INDEXER_BIN) + " build --input " +
                           testing::FixtureCorpusDir() + " --db " + dir.Join("index"))
                .status,
            0);
  const std::string generation = fs::canonical(dir.Join("index")).string();
  std::vector<std::string> args;
  if (geteuid() == 0) args = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  for (const char* a : {AFORI_SEARCHD_BIN, "--port", "0", "--web-root", "none", "--threads", "2",
                        "--db"}) {
    args.push_back(a);
  }
  args.push_back(dir.Join("index"));
  const fs::perms readable = fs::status(generation).permissions();

  fs::permissions(generation, fs::perms::none);
  ChildProcess refused(args, dir.Join("refused.log"));
  EXPECT_EQ(refused.Wait(), 3);
  EXPECT_NE(ReadFile(dir.Join("refused.log")).find("permission denied"),
            std::string::npos)
      << ReadFile(dir.Join("refused.log"));

  fs::permissions(generation, readable);
  ChildProcess searchd(args, dir.Join("searchd.log"));
  const int port = std::stoi("0" + searchd.WaitFor(R"(listening on http://127\.0\.0\.1:(\d+)/)"));
  ASSERT_GT(port, 0) << ReadFile(dir.Join("searchd.log"));
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10);
  auto ok = client.Get("/v1/search?q=upphandling");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);

  fs::permissions(generation, fs::perms::none);
  for (const std::string path : {"/v1/search?q=upphandling", "/healthz"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 503) << path << " " << res->body;
    EXPECT_EQ(res->get_header_value_count("Retry-After"), 1u) << path;
    EXPECT_NE(res->body.find(generation), std::string::npos) << res->body;
    EXPECT_NE(res->body.find("ermission denied"), std::string::npos) << res->body;
  }
  fs::permissions(generation, readable);
  auto back = client.Get("/v1/search?q=upphandling");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->status, 200);
  EXPECT_EQ(json::parse(back->body)["total"], json::parse(ok->body)["total"]);
}

}  // namespace
}  // namespace afori
