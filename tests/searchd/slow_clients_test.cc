// Slow clients (slowloris): 200 connections that send their request a byte at a time must
// not keep a normal visitor's query from being answered (searchd/thread_pool.h).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <httplib.h>

#include "searchd/http_api.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

using namespace std::chrono_literals;

// Connections that each sent the start of a request and then one more header byte every
// 500 ms, well within the server's read timeout, until stopped.
class SlowClients {
 public:
  SlowClients(int port, int count) {
    for (int i = 0; i < count; ++i) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<std::uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        continue;
      }
      const char start[] = "GET /v1/search?q=energi HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      if (send(fd, start, sizeof start - 1, MSG_NOSIGNAL) > 0) fds_.push_back(fd);
    }
    trickle_ = std::thread([this] {
      while (!stop_) {
        for (int fd : fds_) send(fd, "a", 1, MSG_NOSIGNAL);
        for (int i = 0; i < 5 && !stop_; ++i) std::this_thread::sleep_for(100ms);
      }
    });
  }
  ~SlowClients() {
    stop_ = true;
    trickle_.join();
    for (int fd : fds_) close(fd);
  }
  std::size_t open() const { return fds_.size(); }

 private:
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::thread trickle_;
};

class SlowClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string db = testing::BuildFixtureIndex(dir_, testing::SharedAnalyzer());
    pool_ = std::move(DatabasePool::Open(db, 2)).value();
  }

  // Runs a server with these worker limits while `slow` slow clients are connected, and
  // returns the status of one ordinary search (0: no answer within `patience` seconds).
  int OrdinarySearchStatus(std::size_t threads, std::size_t max_threads, int slow, int patience) {
    HttpOptions options;
    options.threads = threads;
    options.max_threads = max_threads;
    HttpServer server(*pool_, testing::SharedAnalyzer(), nullptr, options);
    const int port = *server.Bind("127.0.0.1", 0);
    std::thread run([&] { server.Run(); });
    int status = 0;
    {
      SlowClients clients(port, slow);
      EXPECT_EQ(clients.open(), static_cast<std::size_t>(slow));
      std::this_thread::sleep_for(300ms);  // let the server accept them all
      httplib::Client client("127.0.0.1", port);
      client.set_connection_timeout(patience);
      client.set_read_timeout(patience);
      if (auto res = client.Get("/v1/search?q=energi")) status = res->status;
    }
    server.Stop();
    run.join();
    return status;
  }

  testing::TempDir dir_;
  std::unique_ptr<DatabasePool> pool_;
};

TEST_F(SlowClientsTest, TwoHundredSlowConnectionsDoNotStarveAQuery) {
  EXPECT_EQ(OrdinarySearchStatus(2, 256, 200, 5), 200);
}

// The same attack on a pool that cannot grow: the query waits behind the slow clients.
// This is what the test above would see without the elastic pool.
TEST_F(SlowClientsTest, AFixedPoolWouldBeStarved) {
  EXPECT_EQ(OrdinarySearchStatus(2, 2, 20, 2), 0);
}

}  // namespace
}  // namespace afori::searchd
