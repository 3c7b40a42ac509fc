#include "searchd/word_cache_pool.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "stemming/tokenizer.h"
#include "tests/test_support.h"

namespace afori::searchd {
namespace {

TEST(WordCachePoolTest, ACacheReturnedIsLentAgainWithWhatItLearnt) {
  WordCachePool pool;
  stemming::WordCache* first = nullptr;
  {
    WordCachePool::Lease lease = pool.Borrow();
    first = lease.get();
    stemming::WordCache::Word scratch;
    for (const stemming::Token& t : stemming::Tokenize("innovationsupphandling och marknadsdialog")) {
      testing::SharedAnalyzer().AnalyzeWord(t, lease.get(), &scratch);
    }
    EXPECT_EQ(lease.get()->size(), 3u);
  }
  WordCachePool::Lease again = pool.Borrow();
  EXPECT_EQ(again.get(), first);
  EXPECT_EQ(again.get()->size(), 3u);
  EXPECT_EQ(pool.created(), 1u);
}

TEST(WordCachePoolTest, LeasesHeldAtOnceGetDifferentCaches) {
  WordCachePool pool;
  WordCachePool::Lease a = pool.Borrow();
  WordCachePool::Lease b = pool.Borrow();
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(pool.created(), 2u);
  WordCachePool::Lease moved = std::move(a);  // the moved-from lease returns nothing
  EXPECT_NE(moved.get(), b.get());
  EXPECT_EQ(pool.created(), 2u);
}

TEST(WordCachePoolTest, NoCacheIsLentToTwoThreadsAtOnce) {
  WordCachePool pool(/*max_words=*/64);
  std::mutex mutex;
  std::multiset<const stemming::WordCache*> held;
  bool shared = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        WordCachePool::Lease lease = pool.Borrow();
        {
          std::lock_guard<std::mutex> lock(mutex);
          shared |= held.count(lease.get()) > 0;
          held.insert(lease.get());
        }
        std::lock_guard<std::mutex> lock(mutex);
        held.erase(held.find(lease.get()));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_FALSE(shared);
  EXPECT_GE(pool.created(), 1u);
  EXPECT_LE(pool.created(), 4u);
}

}  // namespace
}  // namespace afori::searchd
