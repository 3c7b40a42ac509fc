#include "searchd/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <vector>

namespace afori::searchd {
namespace {

using namespace std::chrono_literals;

// Jobs that block until released, like connections of clients that send slowly.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    open_cv_.wait(lock, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    open_cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable open_cv_;
  bool open_ = false;
};

TEST(ElasticThreadPoolTest, BlockedJobsDoNotStarveANewOne) {
  ElasticThreadPool pool(2, 64);
  Gate gate;
  std::atomic<int> started{0};
  for (int i = 0; i < 40; ++i) {
    pool.enqueue([&] {
      ++started;
      gate.Wait();
    });
  }
  std::promise<void> ran;
  pool.enqueue([&] { ran.set_value(); });
  // A fixed pool of two would never run it while the gate is shut.
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_GE(pool.threads(), 41u);
  gate.Open();
  pool.shutdown();
  EXPECT_EQ(started, 40);
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(ElasticThreadPoolTest, NeverMoreThanTheMaximumAndQueuedJobsStillRun) {
  ElasticThreadPool pool(1, 4);
  Gate gate;
  std::atomic<int> done{0};
  for (int i = 0; i < 10; ++i) {
    pool.enqueue([&] {
      gate.Wait();
      ++done;
    });
  }
  EXPECT_LE(pool.threads(), 4u);
  EXPECT_GE(pool.high_water(), 6u);  // six waited for one of the four
  gate.Open();
  pool.shutdown();  // runs what is queued first
  EXPECT_EQ(done, 10);
}

TEST(ElasticThreadPoolTest, ExtraWorkersEndWhenIdle) {
  ElasticThreadPool pool(1, 16, 50ms);
  Gate gate;
  for (int i = 0; i < 8; ++i) pool.enqueue([&] { gate.Wait(); });
  gate.Open();
  for (int i = 0; i < 200 && pool.threads() > 1; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(pool.threads(), 1u);
  // And the pool still works afterwards, growing again.
  std::promise<void> ran;
  pool.enqueue([&] { ran.set_value(); });
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
}

TEST(ElasticThreadPoolTest, WorkAfterShutdownIsDropped) {
  ElasticThreadPool pool(1, 2);
  pool.shutdown();
  bool ran = false;
  pool.enqueue([&] { ran = true; });
  pool.shutdown();
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace afori::searchd
